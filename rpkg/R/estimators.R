# The tfestimators R package's API: feature columns, input functions, canned
# estimators, train / evaluate / predict. Every argument is checked here, in
# R, before the engine is reached (see checks.R for the shared checks).

# -- private checks for this file -------------------------------------------------------------

tb_est_is <- function(x, class_suffix) {
  inherits(x, "tensorbridge_object") && any(endsWith(class(x), class_suffix))
}

tb_est_is_column <- function(x) {
  inherits(x, "tensorbridge_object") &&
    any(startsWith(class(x), "tensorbridge.estimators.feature_column."))
}

# `feature_columns`: one column or a list of columns (from column_*() or
# feature_columns()), given to Python as a list.
tb_est_columns <- function(x, arg, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (tb_est_is_column(x)) return(list(x))
  must <- "a list of feature columns made by column_*() or feature_columns()"
  if (!is.list(x) || is.object(x) || length(x) == 0) {
    tb_arg_error(arg, paste0(must, if (null_ok) " (or NULL)" else ""), x)
  }
  for (i in seq_along(x)) {
    if (!tb_est_is_column(x[[i]])) {
      tb_arg_error(paste0(arg, "[[", i, "]]"), "a feature column made by column_*()", x[[i]])
    }
  }
  unname(x)
}

# An optimizer object, an optimizer name ("adagrad", "sgd" ...) or NULL.
tb_est_optimizer <- function(x, arg) {
  if (is.null(x) || tb_est_is(x, ".Optimizer")) return(x)
  must <- 'an optimizer_*() object or an optimizer name such as "adagrad" (or NULL)'
  if (!is.character(x) || length(x) != 1 || is.na(x)) tb_arg_error(arg, must, x)
  tryCatch(tb_call("engine.keras.optimizers.get", x),
           tensorbridge_error = function(e) tb_arg_error(arg, must, x))
  x
}

# An activation name ("relu", "tanh" ...) or an R function.
tb_est_activation <- function(x, arg) {
  if (is.function(x)) return(x)
  must <- 'an activation name such as "relu" or "tanh", or an R function'
  if (!is.character(x) || length(x) != 1 || is.na(x)) tb_arg_error(arg, must, x)
  tryCatch(tb_call("engine.keras.activations.get", x),
           tensorbridge_error = function(e) tb_arg_error(arg, must, x))
  x
}

tb_est_dropout <- function(x, arg) {
  if (is.null(x)) return(NULL)
  check_number(x, arg, min = 0, max = 1, max_open = TRUE, null_ok = TRUE)
}

tb_est_seed <- function(x, arg) check_count(x, arg, min = 0, null_ok = TRUE)

tb_est_model_dir <- function(x, arg = "model_dir") {
  x <- check_string(x, arg, null_ok = TRUE)
  if (is.null(x)) NULL else path.expand(x)
}

# Class labels: a character vector without NA or duplicates (a factor gives
# its levels), `n` of them when `n` is known.
tb_est_vocabulary <- function(x, arg, n = NULL) {
  if (is.null(x)) return(NULL)
  if (is.factor(x)) x <- levels(x)
  must <- "a character vector of distinct class labels (or NULL)"
  if (!is.character(x) || length(x) < 2 || anyNA(x) || anyDuplicated(x)) {
    tb_arg_error(arg, must, x)
  }
  if (!is.null(n) && length(x) != n) {
    tb_arg_error(arg, paste0("one label per class (n_classes = ", n, ")"), x)
  }
  as.list(x)
}

# n_classes and label_vocabulary together: the vocabulary's length is the
# number of classes when n_classes is left at its default.
tb_est_classes <- function(n_classes, label_vocabulary, n_classes_missing) {
  n_classes <- check_count(n_classes, "n_classes", min = 2)
  n <- if (n_classes_missing) NULL else n_classes
  vocabulary <- tb_est_vocabulary(label_vocabulary, "label_vocabulary", n)
  if (!is.null(vocabulary)) n_classes <- length(vocabulary)
  list(n_classes = n_classes, label_vocabulary = vocabulary)
}

tb_est_hidden_units <- function(x, arg, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  as.list(unlist(check_counts(x, arg)))
}

# A dtype given as its name or as a tf$ dtype object, one of `allowed`.
tb_est_dtype <- function(x, arg, allowed) {
  name <- if (tb_est_is(x, ".DType")) tb_getattr(x, "name") else x
  if (!is.character(name) || length(name) != 1 || is.na(name) || !name %in% allowed) {
    tb_arg_error(arg, paste0("one of ", paste0('"', allowed, '"', collapse = ", "),
                             " (or the tf$ dtype of that name)"), x)
  }
  name
}

# The feature names of a column constructor's `...` (as tfestimators, which
# evaluates its arguments): a string, or an expression giving a character
# vector (`c("a", "b")`, `names(data)[2:3]`, a variable holding names); a
# bare name is that feature's name unless it is a variable holding a
# character vector, whose strings are then the names. `c()` of bare names
# works too. Named arguments that reach `...` are not feature names: an
# error (the constructor's own arguments have been matched already).
tb_est_keys <- function(dots, env) {
  labels <- names(dots) %||% rep("", length(dots))
  if (any(labels != "")) {
    bad <- labels[labels != ""]
    tb_unknown_args(paste0("`", bad, "`"), bad, hint = "; give feature names unnamed")
  }
  must <- "feature names: strings, bare names or a character vector"
  one <- function(e) {
    if (is.character(e)) return(e)
    if (is.name(e)) {
      value <- tb_est_user_value(as.character(e), env)
      return(if (is.character(value)) value else as.character(e))
    }
    if (is.call(e) && identical(e[[1]], as.name("c"))) {
      return(unlist(lapply(as.list(e)[-1], one), use.names = FALSE) %||% character())
    }
    value <- if (is.call(e)) eval(e, env) else e
    if (!is.character(value)) tb_arg_error("...", must, value)
    value
  }
  keys <- unlist(lapply(dots, one), use.names = FALSE)
  if (length(keys) == 0) tb_arg_error("...", paste0("one or more ", must))
  if (anyNA(keys) || any(keys == "")) tb_arg_error("...", paste0(must, " without NA or \"\""), keys)
  if (anyDuplicated(keys)) {
    tb_arg_error("...", paste0(must, " without duplicates (\"", keys[anyDuplicated(keys)],
                               "\" is given twice)"), keys)
  }
  keys
}

# The value a bare name has among the user's own variables (the calling
# frames and the global environment; not base R's or packages' objects, so
# a feature called `letters` stays a name), or NULL.
tb_est_user_value <- function(name, env) {
  while (!identical(env, emptyenv()) && !isNamespace(env) && !identical(env, baseenv())) {
    if (exists(name, envir = env, inherits = FALSE)) return(get(name, envir = env))
    if (identical(env, globalenv())) break
    env <- parent.env(env)
  }
  NULL
}

tb_est_dots <- function(...) as.list(substitute(list(...)))[-1]

# A Python constructor called with arguments checked first: the checks run
# here, so their errors name the user's function rather than tb_call().
tb_est_new <- function(target, ...) {
  args <- list(...)
  do.call(tb_call, c(list(target), args))
}

tb_fc <- function(fn, ...) tb_call(paste0("estimators.feature_column.", fn), ...)

tb_one_or_list <- function(columns) if (length(columns) == 1L) columns[[1]] else columns

# -- feature columns ---------------------------------------------------------------------------

#' Feature columns
#'
#' How an estimator reads its input, as in tfestimators: `column_numeric()`
#' for numbers, the `column_categorical_*()` family for values that map to
#' ids (a vocabulary, integer ids, hash buckets), `column_bucketized()` to
#' cut a number into ranges, `column_crossed()` for combinations,
#' `column_indicator()` (one-hot) and `column_embedding()` (a learned vector
#' per id) to feed categorical columns to a DNN. `feature_columns()`
#' collects columns into the list an estimator takes.
#'
#' Linear estimators take numeric and categorical columns; DNNs take numeric,
#' indicator and embedding columns. Hash buckets use CRC-32 of the value's
#' text, so they differ from TensorFlow's FarmHash buckets.
#'
#' **Feature names in `...`.** As in tfestimators, the arguments are
#' evaluated: a string (`"disp"`), several (`"disp", "wt"`), or any
#' expression that gives a character vector (`c("disp", "wt")`,
#' `names(mtcars)[3:4]`, a variable holding the names). A bare name
#' (`disp`) is the feature of that name, unless it is one of your
#' variables that holds a character vector: then its strings are the names
#' (so `features <- c("disp", "wt"); column_numeric(features)` makes two
#' columns). Each name may be given once. Named arguments other than the
#' function's own are an error, never a column.
#'
#' @param ... Feature names (see above), one column each; for
#'   `feature_columns()`, columns or lists of columns.
#' @param shape Values per row: a positive whole number, or several for a
#'   multi-dimensional feature.
#' @param default_value For numeric columns, the number that replaces NA
#'   (without it NA is an error); for categorical ones, the id of values
#'   that are not in the vocabulary or out of range (`-1`: none).
#' @param dtype The type of the feature's values: for `column_numeric()` a
#'   real type (`"float32"`, `"float64"`, `"float16"`, `"int32"` or
#'   `"int64"`; the model always sees float32 values); for the categorical
#'   columns `"string"`, `"int32"` or `"int64"` (`NULL`: from the
#'   vocabulary). A name or the `tf$` dtype object of that name.
#' @param normalizer_fn An R function applied to the column's values.
#' @param vocabulary_list The known values, in id order, without
#'   duplicates (a factor gives its levels).
#' @param num_oov_buckets Hash buckets for values outside the vocabulary.
#' @param num_buckets Ids run from 0 to `num_buckets - 1`.
#' @param hash_bucket_size Number of hash buckets (at least 2).
#' @param source_column A numeric column (`column_numeric()`).
#' @param boundaries Strictly increasing cut points: bucket i holds
#'   `boundaries[i] <= x < boundaries[i + 1]`.
#' @param keys Feature names or categorical columns to combine (two or
#'   more).
#' @param categorical_column A categorical column (`column_categorical_*()`,
#'   `column_bucketized()` or `column_crossed()`).
#' @param dimension Length of the embedding vectors.
#' @param combiner Only `"mean"` (one id per row).
#' @return A feature column (a list of them when several names are given);
#'   `feature_columns()`: a list of columns.
#' @examples
#' if (tb_available()) {
#'   cols <- feature_columns(
#'     column_numeric("Sepal.Length", "Sepal.Width"),
#'     column_indicator(column_categorical_with_vocabulary_list(
#'       "Species", vocabulary_list = levels(iris$Species)))
#'   )
#'   length(cols)
#'   features <- c("Petal.Length", "Petal.Width")
#'   length(column_numeric(features))  # two columns
#' }
#' @name feature_columns
#' @export
feature_columns <- function(...) {
  columns <- list(...)
  out <- list()
  for (i in seq_along(columns)) {
    col <- columns[[i]]
    if (tb_est_is_column(col)) {
      out <- c(out, list(col))
    } else if (is.list(col) && !is.object(col) && length(col) &&
               all(vapply(col, tb_est_is_column, TRUE))) {
      out <- c(out, unname(col))
    } else {
      tb_arg_error(paste0("..", i), "a feature column (or a list of them) made by column_*()", col)
    }
  }
  out
}

#' @rdname feature_columns
#' @export
column_numeric <- function(..., shape = 1L, default_value = NULL, dtype = "float32",
                           normalizer_fn = NULL) {
  keys <- tb_est_keys(tb_est_dots(...), parent.frame())
  shape <- check_counts(shape)
  default_value <- check_number(default_value, null_ok = TRUE)
  dtype <- tb_est_dtype(dtype, "dtype", c("float32", "float64", "float16", "int32", "int64"))
  normalizer_fn <- check_function(normalizer_fn, null_ok = TRUE)
  tb_one_or_list(lapply(keys, function(key) {
    tb_fc("numeric_column", key, shape = shape, default_value = default_value,
          normalizer_fn = normalizer_fn)
  }))
}

tb_est_categorical_dtype <- function(dtype) {
  if (is.null(dtype)) return(NULL)
  tb_est_dtype(dtype, "dtype", c("string", "int32", "int64"))
}

#' @rdname feature_columns
#' @export
column_categorical_with_vocabulary_list <- function(..., vocabulary_list, dtype = NULL,
                                                    default_value = -1L,
                                                    num_oov_buckets = 0L) {
  keys <- tb_est_keys(tb_est_dots(...), parent.frame())
  if (missing(vocabulary_list)) {
    tb_arg_error("vocabulary_list", "given: the known values, in id order")
  }
  if (is.factor(vocabulary_list)) vocabulary_list <- levels(vocabulary_list)
  if (!(is.character(vocabulary_list) || is.numeric(vocabulary_list)) ||
      !is.null(dim(vocabulary_list)) || length(vocabulary_list) == 0 ||
      anyNA(vocabulary_list) || anyDuplicated(vocabulary_list)) {
    tb_arg_error("vocabulary_list", "a vector of distinct values without NA", vocabulary_list)
  }
  dtype <- tb_est_categorical_dtype(dtype)
  if (identical(dtype, "string") && !is.character(vocabulary_list) ||
      !is.null(dtype) && dtype != "string" &&
      !(is.numeric(vocabulary_list) && all(vocabulary_list == round(vocabulary_list)))) {
    tb_arg_error("vocabulary_list", paste0("values of the column's dtype (", dtype, ")"),
                 vocabulary_list)
  }
  given_default <- default_value
  default_value <- check_count(default_value, min = -1)
  num_oov_buckets <- check_count(num_oov_buckets, min = 0)
  if (num_oov_buckets > 0 && default_value != -1) {
    tb_arg_error("default_value", "-1 (the default) when num_oov_buckets is given", given_default)
  }
  vocabulary <- as.list(as.character(vocabulary_list))
  tb_one_or_list(lapply(keys, function(key) {
    tb_fc("categorical_column_with_vocabulary_list", key, vocabulary,
          default_value = default_value, num_oov_buckets = num_oov_buckets)
  }))
}

#' @rdname feature_columns
#' @export
column_categorical_with_identity <- function(..., num_buckets, default_value = NULL) {
  keys <- tb_est_keys(tb_est_dots(...), parent.frame())
  if (missing(num_buckets)) tb_arg_error("num_buckets", "given: ids run from 0 to num_buckets - 1")
  num_buckets <- check_count(num_buckets)
  default_value <- check_count(default_value, min = 0, max = num_buckets - 1, null_ok = TRUE)
  tb_one_or_list(lapply(keys, function(key) {
    tb_fc("categorical_column_with_identity", key, num_buckets, default_value = default_value)
  }))
}

#' @rdname feature_columns
#' @export
column_categorical_with_hash_bucket <- function(..., hash_bucket_size, dtype = "string") {
  keys <- tb_est_keys(tb_est_dots(...), parent.frame())
  if (missing(hash_bucket_size)) tb_arg_error("hash_bucket_size", "given: the number of buckets")
  hash_bucket_size <- check_count(hash_bucket_size, min = 2)
  dtype <- tb_est_dtype(dtype, "dtype", c("string", "int32", "int64"))
  tb_one_or_list(lapply(keys, function(key) {
    tb_fc("categorical_column_with_hash_bucket", key, hash_bucket_size)
  }))
}

#' @rdname feature_columns
#' @export
column_bucketized <- function(source_column, boundaries) {
  if (!tb_est_is(source_column, ".NumericColumn")) {
    tb_arg_error("source_column", "a numeric column made by column_numeric()", source_column)
  }
  if (!is.numeric(boundaries) || is.factor(boundaries) || length(boundaries) == 0 ||
      !all(is.finite(boundaries)) || any(diff(boundaries) <= 0)) {
    tb_arg_error("boundaries", "strictly increasing finite numbers", boundaries)
  }
  tb_fc("bucketized_column", source_column, as.list(as.numeric(boundaries)))
}

#' @rdname feature_columns
#' @export
column_crossed <- function(keys, hash_bucket_size) {
  must <- "two or more feature names or categorical columns"
  if (is.character(keys)) {
    if (anyNA(keys) || any(keys == "")) tb_arg_error("keys", must, keys)
    keys <- as.list(keys)
  }
  ok <- is.list(keys) && !is.object(keys) && length(keys) >= 2 &&
    all(vapply(keys, function(k) {
      tb_est_is(k, ".CategoricalColumn") || (is.character(k) && length(k) == 1 && !is.na(k))
    }, TRUE))
  if (!ok) tb_arg_error("keys", must, keys)
  hash_bucket_size <- check_count(hash_bucket_size)
  tb_fc("crossed_column", unname(keys), hash_bucket_size)
}

tb_est_categorical <- function(x, arg = "categorical_column") {
  if (!tb_est_is(x, ".CategoricalColumn")) {
    tb_arg_error(arg, paste0("a categorical column made by column_categorical_*(), ",
                             "column_bucketized() or column_crossed()"), x)
  }
  x
}

#' @rdname feature_columns
#' @export
column_indicator <- function(categorical_column) {
  tb_fc("indicator_column", tb_est_categorical(categorical_column))
}

#' @rdname feature_columns
#' @export
column_embedding <- function(categorical_column, dimension, combiner = "mean") {
  categorical_column <- tb_est_categorical(categorical_column)
  dimension <- check_count(dimension)
  if (!identical(combiner, "mean")) {
    tb_arg_error("combiner", '"mean" (tensorbridge takes one id per row)', combiner)
  }
  tb_fc("embedding_column", categorical_column, dimension)
}

# -- input functions ---------------------------------------------------------------------------

#' Input functions
#'
#' An input function tells an estimator where its batches come from: the
#' `features` columns of a data frame (or a list of equally long vectors)
#' and its `response` column.
#'
#' `features` and `response` name columns of `object`: strings, bare names,
#' `c()` of them, or an expression giving a character vector. A bare name
#' is the column of that name; a bare name that is no column but one of
#' your variables holding a character vector stands for those names.
#'
#' @param object A data frame (or a named list of equally long vectors; a
#'   matrix with column names is taken as a data frame).
#' @param features Names of the feature columns (see above); by default
#'   every column but the response.
#' @param response Name of the response column; `NULL` for prediction.
#' @param batch_size Rows per batch.
#' @param shuffle `TRUE`, `FALSE`, or `"auto"`: shuffle for training only.
#' @param num_epochs Passes over the data; `NULL` repeats for as long as
#'   training asks (give `steps` to `train()`); evaluation and prediction
#'   read the data once.
#' @param ... For the methods: nothing (an unknown argument is an error).
#' @return An input function for [train()], [evaluate()] and `predict()`.
#' @examples
#' if (tb_available()) {
#'   fn <- input_fn(mtcars, features = c("disp", "cyl"), response = "mpg", batch_size = 8)
#' }
#' @export
input_fn <- function(object, ...) UseMethod("input_fn")

#' @rdname input_fn
#' @export
input_fn.default <- function(object, ...) {
  tb_arg_error("object", "a data frame, a named list of equally long vectors or a matrix with column names",
               object, fn = "input_fn")
}

#' @rdname input_fn
#' @export
input_fn.data.frame <- function(object, features = NULL, response = NULL, batch_size = 128L,
                                shuffle = "auto", num_epochs = 1L, ...) {
  check_dots_empty(...)
  env <- parent.frame()
  features <- tb_select(object, substitute(features), env, "features")
  response <- tb_select(object, substitute(response), env, "response")
  tb_input_fn(object, features, response, batch_size, shuffle, num_epochs)
}

tb_input_fn <- function(object, features, response, batch_size, shuffle, num_epochs) {
  if (length(response) > 1L) {
    tb_arg_error("response", "one column name (or NULL)", response, fn = "input_fn")
  }
  if (is.null(features)) features <- setdiff(names(object), response)
  if (length(features) == 0) {
    tb_arg_error("features", "one or more column names", features, fn = "input_fn")
  }
  batch_size <- check_count(batch_size)
  if (!(isTRUE(shuffle) || isFALSE(shuffle) || identical(shuffle, "auto"))) {
    tb_arg_error("shuffle", 'TRUE, FALSE or "auto"', shuffle, fn = "input_fn")
  }
  num_epochs <- check_count(num_epochs, null_ok = TRUE)
  y <- if (is.null(response)) NULL else object[[response]]
  if (is.factor(y)) y <- as.character(y)
  tb_call("estimators.inputs.numpy_input_fn", as.list(object[features]), y,
          batch_size = batch_size, num_epochs = num_epochs, shuffle = shuffle)
}

#' @rdname input_fn
#' @export
input_fn.list <- function(object, features = NULL, response = NULL, batch_size = 128L,
                          shuffle = "auto", num_epochs = 1L, ...) {
  check_dots_empty(...)
  lengths <- vapply(object, NROW, 0L)
  if (length(object) == 0 || is.null(names(object)) || any(names(object) == "") ||
      anyDuplicated(names(object)) || any(lengths != lengths[[1]])) {
    tb_arg_error("object", "a named list of equally long vectors (one per column)",
                 object, fn = "input_fn")
  }
  object <- as.data.frame(object, stringsAsFactors = FALSE, optional = TRUE)
  env <- parent.frame()
  features <- tb_select(object, substitute(features), env, "features")
  response <- tb_select(object, substitute(response), env, "response")
  tb_input_fn(object, features, response, batch_size, shuffle, num_epochs)
}

#' @rdname input_fn
#' @export
input_fn.matrix <- function(object, features = NULL, response = NULL, batch_size = 128L,
                            shuffle = "auto", num_epochs = 1L, ...) {
  check_dots_empty(...)
  if (is.null(colnames(object)) || anyNA(colnames(object)) || any(colnames(object) == "")) {
    tb_arg_error("object", "a matrix with column names (they name the features)",
                 object, fn = "input_fn")
  }
  object <- as.data.frame(object, optional = TRUE)
  env <- parent.frame()
  features <- tb_select(object, substitute(features), env, "features")
  response <- tb_select(object, substitute(response), env, "response")
  tb_input_fn(object, features, response, batch_size, shuffle, num_epochs)
}

# Column names from `features =` / `response =`: strings, bare names, c() of
# them, or an expression giving names; each checked against the data.
tb_select <- function(data, expr, env, arg) {
  if (is.null(expr)) return(NULL)
  one <- function(e) {
    if (is.name(e)) {
      name <- as.character(e)
      if (name %in% names(data)) return(name)
      value <- tb_est_user_value(name, env)
      return(if (is.character(value)) value else name)
    }
    if (is.call(e) && identical(e[[1]], as.name("c"))) {
      return(unlist(lapply(as.list(e)[-1], one), use.names = FALSE) %||% character())
    }
    value <- if (is.call(e)) eval(e, env) else e
    if (is.null(value)) return(NULL)
    if (!is.character(value) || anyNA(value)) {
      tb_arg_error(arg, "column names (strings or bare names)", value, fn = "input_fn")
    }
    value
  }
  value <- one(expr)
  if (is.null(value)) return(NULL)
  unknown <- setdiff(value, names(data))
  if (length(unknown)) {
    stop(tb_condition(
      paste0("input_fn(): `", arg, "` names no column ",
             paste0("'", unknown, "'", collapse = ", "), " of the data; it has ",
             paste(names(data), collapse = ", "), "."),
      class = "tensorbridge_argument_error", fn = "input_fn", arg = arg))
  }
  if (anyDuplicated(value)) {
    tb_arg_error(arg, "distinct column names", value, fn = "input_fn")
  }
  value
}

# -- estimators --------------------------------------------------------------------------------

#' Canned estimators
#'
#' Linear, DNN and wide-and-deep (linear + DNN) regressors and classifiers,
#' as in tfestimators. Train them with [train()] on an [input_fn()], then
#' [evaluate()] them (tf.estimator's metrics) and `predict()`. With a
#' `model_dir`, every `train()` ends with a checkpoint there, and an
#' estimator created later on the same directory (with the same
#' specification) goes on from it.
#'
#' @param feature_columns,linear_feature_columns,dnn_feature_columns Feature
#'   columns: a list made by [feature_columns()] (or one column).
#' @param hidden_units,dnn_hidden_units Units of the hidden layers: positive
#'   whole numbers, one per layer.
#' @param model_dir Directory for checkpoints (one string), or `NULL`.
#' @param label_dimension Number of regression targets.
#' @param n_classes Number of classes, at least 2 (labels 0 to
#'   `n_classes - 1`); with a `label_vocabulary`, its length unless given.
#' @param label_vocabulary The class labels when they are text or a factor:
#'   a character vector of distinct labels (a factor gives its levels).
#' @param optimizer,linear_optimizer,dnn_optimizer An optimizer (e.g.
#'   `optimizer_adagrad(0.1)`) or its name; default Adagrad with learning
#'   rate 0.2 (linear) or 0.05 (DNN). A wide-and-deep model trains both parts
#'   with the DNN optimizer.
#' @param activation_fn,dnn_activation_fn Activation of the hidden layers: a
#'   name such as `"relu"` or an R function.
#' @param dropout,dnn_dropout Dropout rate after each hidden layer, in
#'   \[0, 1), or `NULL`.
#' @param seed Seed for the initial weights and dropout: a non-negative
#'   whole number, or `NULL`.
#' @return An estimator.
#' @examples
#' if (tb_available()) {
#'   model <- linear_regressor(feature_columns(column_numeric("disp", "cyl")))
#'   model %>% train(input_fn(mtcars, c(disp, cyl), "mpg", num_epochs = 20))
#'   evaluate(model, input_fn(mtcars, c(disp, cyl), "mpg"))$average_loss
#' }
#' @name estimators
#' @export
linear_regressor <- function(feature_columns, model_dir = NULL, label_dimension = 1L,
                             optimizer = NULL, seed = NULL) {
  tb_est_new("estimators.canned.LinearRegressor",
    feature_columns = tb_est_columns(feature_columns, "feature_columns"),
    model_dir = tb_est_model_dir(model_dir), label_dimension = check_count(label_dimension),
    optimizer = tb_est_optimizer(optimizer, "optimizer"), seed = tb_est_seed(seed, "seed"))
}

#' @rdname estimators
#' @export
linear_classifier <- function(feature_columns, model_dir = NULL, n_classes = 2L,
                              label_vocabulary = NULL, optimizer = NULL, seed = NULL) {
  classes <- tb_est_classes(n_classes, label_vocabulary, missing(n_classes))
  tb_est_new("estimators.canned.LinearClassifier",
    feature_columns = tb_est_columns(feature_columns, "feature_columns"),
    model_dir = tb_est_model_dir(model_dir), n_classes = classes$n_classes,
    label_vocabulary = classes$label_vocabulary,
    optimizer = tb_est_optimizer(optimizer, "optimizer"), seed = tb_est_seed(seed, "seed"))
}

#' @rdname estimators
#' @export
dnn_regressor <- function(hidden_units, feature_columns, model_dir = NULL, label_dimension = 1L,
                          optimizer = NULL, activation_fn = "relu", dropout = NULL,
                          seed = NULL) {
  tb_est_new("estimators.canned.DNNRegressor",
    hidden_units = tb_est_hidden_units(hidden_units, "hidden_units"),
    feature_columns = tb_est_columns(feature_columns, "feature_columns"),
    model_dir = tb_est_model_dir(model_dir), label_dimension = check_count(label_dimension),
    optimizer = tb_est_optimizer(optimizer, "optimizer"),
    activation_fn = tb_est_activation(activation_fn, "activation_fn"),
    dropout = tb_est_dropout(dropout, "dropout"), seed = tb_est_seed(seed, "seed"))
}

#' @rdname estimators
#' @export
dnn_classifier <- function(hidden_units, feature_columns, model_dir = NULL, n_classes = 2L,
                           label_vocabulary = NULL, optimizer = NULL, activation_fn = "relu",
                           dropout = NULL, seed = NULL) {
  hidden_units <- tb_est_hidden_units(hidden_units, "hidden_units")
  classes <- tb_est_classes(n_classes, label_vocabulary, missing(n_classes))
  tb_est_new("estimators.canned.DNNClassifier",
    hidden_units = hidden_units,
    feature_columns = tb_est_columns(feature_columns, "feature_columns"),
    model_dir = tb_est_model_dir(model_dir), n_classes = classes$n_classes,
    label_vocabulary = classes$label_vocabulary,
    optimizer = tb_est_optimizer(optimizer, "optimizer"),
    activation_fn = tb_est_activation(activation_fn, "activation_fn"),
    dropout = tb_est_dropout(dropout, "dropout"), seed = tb_est_seed(seed, "seed"))
}

# The arguments both wide-and-deep estimators check the same way.
tb_est_combined <- function(model_dir, linear_feature_columns, linear_optimizer,
                            dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                            dnn_activation_fn, dnn_dropout, seed) {
  linear <- tb_est_columns(linear_feature_columns, "linear_feature_columns", null_ok = TRUE)
  dnn <- tb_est_columns(dnn_feature_columns, "dnn_feature_columns", null_ok = TRUE)
  if (is.null(linear) && is.null(dnn)) {
    tb_arg_error("linear_feature_columns",
                 "given when dnn_feature_columns is NULL (a model needs feature columns)")
  }
  units <- tb_est_hidden_units(dnn_hidden_units, "dnn_hidden_units", null_ok = is.null(dnn))
  list(model_dir = tb_est_model_dir(model_dir), linear_feature_columns = linear,
       linear_optimizer = tb_est_optimizer(linear_optimizer, "linear_optimizer"),
       dnn_feature_columns = dnn, dnn_optimizer = tb_est_optimizer(dnn_optimizer, "dnn_optimizer"),
       dnn_hidden_units = units %||% list(),
       dnn_activation_fn = tb_est_activation(dnn_activation_fn, "dnn_activation_fn"),
       dnn_dropout = tb_est_dropout(dnn_dropout, "dnn_dropout"), seed = tb_est_seed(seed, "seed"))
}

#' @rdname estimators
#' @export
dnn_linear_combined_regressor <- function(model_dir = NULL, linear_feature_columns = NULL,
                                          linear_optimizer = NULL, dnn_feature_columns = NULL,
                                          dnn_optimizer = NULL, dnn_hidden_units = NULL,
                                          dnn_activation_fn = "relu", dnn_dropout = NULL,
                                          label_dimension = 1L, seed = NULL) {
  args <- tb_est_combined(model_dir, linear_feature_columns, linear_optimizer,
                          dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                          dnn_activation_fn, dnn_dropout, seed)
  args$label_dimension <- check_count(label_dimension)
  do.call(tb_est_new, c(list("estimators.canned.DNNLinearCombinedRegressor"), args))
}

#' @rdname estimators
#' @export
dnn_linear_combined_classifier <- function(model_dir = NULL, linear_feature_columns = NULL,
                                           linear_optimizer = NULL, dnn_feature_columns = NULL,
                                           dnn_optimizer = NULL, dnn_hidden_units = NULL,
                                           dnn_activation_fn = "relu", dnn_dropout = NULL,
                                           n_classes = 2L, label_vocabulary = NULL,
                                           seed = NULL) {
  args <- tb_est_combined(model_dir, linear_feature_columns, linear_optimizer,
                          dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                          dnn_activation_fn, dnn_dropout, seed)
  classes <- tb_est_classes(n_classes, label_vocabulary, missing(n_classes))
  args$n_classes <- classes$n_classes
  args["label_vocabulary"] <- list(classes$label_vocabulary)
  do.call(tb_est_new, c(list("estimators.canned.DNNLinearCombinedClassifier"), args))
}

#' Boosted trees estimators
#'
#' Gradient-boosted decision trees, as in tfestimators: trees grow one layer
#' at a time from the loss's gradients and hessians summed over
#' `n_batches_per_layer` batches; a leaf splits where the gain
#' \eqn{\frac{1}{2}[G_L^2/(H_L+\lambda) + G_R^2/(H_R+\lambda) - G^2/(H+\lambda)] -
#' \gamma}{1/2 [GL^2/(HL + l2) + GR^2/(HR + l2) - G^2/(H + l2)] - tree_complexity}
#' is largest and positive, and takes a Newton step scaled by
#' `learning_rate`. The feature columns must be bucketized
#' ([column_bucketized()]) or indicator ([column_indicator()]) columns.
#'
#' @inheritParams estimators
#' @param feature_columns Bucketized and indicator columns (see
#'   [feature_columns()]).
#' @param n_batches_per_layer Batches whose statistics grow one layer (a
#'   positive whole number).
#' @param n_trees Number of trees; training stops when they are grown.
#' @param max_depth Depth of each tree (a positive whole number).
#' @param learning_rate Shrinkage of each tree's leaf values, a number > 0.
#' @param l1_regularization,l2_regularization Penalties on the leaf values
#'   (numbers >= 0).
#' @param tree_complexity Gain a split must exceed (>= 0).
#' @param min_node_weight Smallest mean hessian a split may leave on a side
#'   (>= 0).
#' @return An estimator, to use with [train()], [evaluate()] and `predict()`.
#' @examples
#' if (tb_available()) {
#'   cols <- feature_columns(
#'     column_bucketized(column_numeric("disp"), boundaries = c(100, 200, 300, 400)),
#'     column_bucketized(column_numeric("wt"), boundaries = 2:5))
#'   model <- boosted_trees_regressor(cols, n_batches_per_layer = 1, n_trees = 20,
#'                                    max_depth = 2)
#'   model %>% train(input_fn(mtcars, c(disp, wt), "mpg", batch_size = 32, num_epochs = 40))
#'   evaluate(model, input_fn(mtcars, c(disp, wt), "mpg"))$average_loss
#' }
#' @name boosted_trees_estimators
#' @export
boosted_trees_regressor <- function(feature_columns, n_batches_per_layer, model_dir = NULL,
                                    label_dimension = 1L, n_trees = 100L, max_depth = 6L,
                                    learning_rate = 0.1, l1_regularization = 0,
                                    l2_regularization = 0, tree_complexity = 0,
                                    min_node_weight = 0) {
  args <- tb_est_trees(feature_columns, n_batches_per_layer, model_dir, n_trees, max_depth,
                       learning_rate, l1_regularization, l2_regularization, tree_complexity,
                       min_node_weight)
  args$label_dimension <- check_count(label_dimension)
  do.call(tb_est_new, c(list("estimators.boosted_trees.BoostedTreesRegressor"), args))
}

#' @rdname boosted_trees_estimators
#' @export
boosted_trees_classifier <- function(feature_columns, n_batches_per_layer, model_dir = NULL,
                                     n_classes = 2L, label_vocabulary = NULL, n_trees = 100L,
                                     max_depth = 6L, learning_rate = 0.1,
                                     l1_regularization = 0, l2_regularization = 0,
                                     tree_complexity = 0, min_node_weight = 0) {
  args <- tb_est_trees(feature_columns, n_batches_per_layer, model_dir, n_trees, max_depth,
                       learning_rate, l1_regularization, l2_regularization, tree_complexity,
                       min_node_weight)
  classes <- tb_est_classes(n_classes, label_vocabulary, missing(n_classes))
  args$n_classes <- classes$n_classes
  args["label_vocabulary"] <- list(classes$label_vocabulary)
  do.call(tb_est_new, c(list("estimators.boosted_trees.BoostedTreesClassifier"), args))
}

tb_est_trees <- function(feature_columns, n_batches_per_layer, model_dir, n_trees, max_depth,
                         learning_rate, l1_regularization, l2_regularization, tree_complexity,
                         min_node_weight) {
  if (missing(n_batches_per_layer)) {
    tb_arg_error("n_batches_per_layer", "given: the batches whose statistics grow one layer")
  }
  list(tb_est_columns(feature_columns, "feature_columns"),
       check_count(n_batches_per_layer, "n_batches_per_layer"),
       model_dir = tb_est_model_dir(model_dir), n_trees = check_count(n_trees, "n_trees"),
       max_depth = check_count(max_depth, "max_depth"),
       learning_rate = check_number(learning_rate, "learning_rate", min = 0, min_open = TRUE),
       l1_regularization = check_number(l1_regularization, "l1_regularization", min = 0),
       l2_regularization = check_number(l2_regularization, "l2_regularization", min = 0),
       tree_complexity = check_number(tree_complexity, "tree_complexity", min = 0),
       min_node_weight = check_number(min_node_weight, "min_node_weight", min = 0))
}

#' Linear support vector machine
#'
#' A two-class linear SVM: it minimises the mean hinge loss plus
#' `l1_regularization * sum(abs(w)) + l2_regularization * sum(w^2)` over the
#' weights (not the bias). `predict()` gives `logits` (the signed score),
#' `class_ids` and `classes`.
#'
#' @inheritParams estimators
#' @param feature_columns Numeric and categorical columns (see
#'   [feature_columns()]).
#' @param optimizer An optimizer or its name; default Adagrad with learning
#'   rate 0.2.
#' @param l1_regularization,l2_regularization Penalties on the weights
#'   (numbers >= 0).
#' @param label_vocabulary The two class labels when they are text or a
#'   factor (otherwise 0 and 1).
#' @return An estimator, to use with [train()], [evaluate()] and `predict()`.
#' @examples
#' if (tb_available()) {
#'   data <- transform(iris, setosa = as.integer(Species == "setosa"))
#'   svm <- svm_classifier(feature_columns(column_numeric("Petal.Length")),
#'                         l2_regularization = 0.01)
#'   svm %>% train(input_fn(data, "Petal.Length", "setosa", num_epochs = 50))
#'   evaluate(svm, input_fn(data, "Petal.Length", "setosa"))$accuracy
#' }
#' @export
svm_classifier <- function(feature_columns, model_dir = NULL, l1_regularization = 0,
                           l2_regularization = 0, label_vocabulary = NULL, optimizer = NULL,
                           seed = NULL) {
  tb_est_new("estimators.canned.LinearSVM",
    feature_columns = tb_est_columns(feature_columns, "feature_columns"),
    model_dir = tb_est_model_dir(model_dir),
    l1_regularization = check_number(l1_regularization, min = 0),
    l2_regularization = check_number(l2_regularization, min = 0),
    label_vocabulary = tb_est_vocabulary(label_vocabulary, "label_vocabulary", 2),
    optimizer = tb_est_optimizer(optimizer, "optimizer"), seed = tb_est_seed(seed, "seed"))
}

#' k-means clustering
#'
#' Each training step reads one batch: the first picks the initial centres;
#' with `use_mini_batch = TRUE` a step moves each centre towards the mean of
#' the batch rows nearest to it, by their share of all rows it has seen;
#' with `use_mini_batch = FALSE` a step is one iteration of Lloyd's
#' algorithm over its batch (give all rows as one batch). `predict()` gives
#' `cluster_index` (from 0) and `all_distances`; `evaluate()` the score, the
#' summed distance of rows to their nearest centre.
#'
#' @param num_clusters Number of clusters (a positive whole number).
#' @param feature_columns Columns to cluster on; `NULL`: every numeric
#'   feature of the input.
#' @param model_dir Directory for checkpoints, or `NULL`.
#' @param initial_clusters `"random"` rows of the first batch,
#'   `"kmeans_plus_plus"`, or a numeric matrix with one centre per row
#'   (`num_clusters` rows, no NA).
#' @param distance_metric `"squared_euclidean"` or `"cosine"`.
#' @param use_mini_batch See above.
#' @param seed Seed for the initial centres (a non-negative whole number).
#' @param object A k-means estimator.
#' @return `kmeans_estimator()`: an estimator; `cluster_centers()`: a matrix
#'   with one centre per row.
#' @examples
#' if (tb_available()) {
#'   km <- kmeans_estimator(3, initial_clusters = "kmeans_plus_plus", seed = 1)
#'   km %>% train(input_fn(iris, c(Petal.Length, Petal.Width), batch_size = 50,
#'                         num_epochs = 10))
#'   cluster_centers(km)
#' }
#' @export
kmeans_estimator <- function(num_clusters, feature_columns = NULL, model_dir = NULL,
                             initial_clusters = "random",
                             distance_metric = "squared_euclidean", use_mini_batch = TRUE,
                             seed = 0L) {
  num_clusters <- check_count(num_clusters)
  named <- is.character(initial_clusters) && length(initial_clusters) == 1 &&
    initial_clusters %in% c("random", "kmeans_plus_plus")
  if (!named && (!is.matrix(initial_clusters) || !is.numeric(initial_clusters) ||
                 nrow(initial_clusters) != num_clusters || ncol(initial_clusters) == 0 ||
                 !all(is.finite(initial_clusters)))) {
    tb_arg_error("initial_clusters", paste0(
      '"random", "kmeans_plus_plus" or a numeric matrix of ', num_clusters,
      " rows (one centre per row) without NA"), initial_clusters)
  }
  tb_est_new("estimators.clustering.KMeans", num_clusters,
          model_dir = tb_est_model_dir(model_dir), initial_clusters = initial_clusters,
          distance_metric = check_string(distance_metric,
                                         choices = c("squared_euclidean", "cosine")),
          random_seed = check_count(seed, min = 0), use_mini_batch = check_flag(use_mini_batch),
          feature_columns = tb_est_columns(feature_columns, "feature_columns", null_ok = TRUE))
}

#' @rdname kmeans_estimator
#' @export
cluster_centers <- function(object) {
  if (!tb_est_is(object, ".KMeans")) {
    tb_arg_error("object", "a k-means estimator made by kmeans_estimator()", object)
  }
  tb_method(object, "cluster_centers")
}

#' Random forests
#'
#' Breiman's random forest: `n_trees` CART trees, each grown on a bootstrap
#' sample of the rows, each split chosen among a random subset of the
#' features (Gini impurity for classes, squared error for values).
#' `train()` reads the input function once to its end and grows the forest
#' on those rows; `predict()` averages the trees (class probabilities, or
#' means).
#'
#' @inheritParams estimators
#' @param feature_columns Numeric, bucketized, categorical or indicator
#'   columns (see [feature_columns()]).
#' @param n_trees Number of trees.
#' @param max_depth Depth limit of the trees (`NULL`: grow until pure or
#'   `min_samples_leaf`).
#' @param min_samples_leaf Fewest rows a leaf may have.
#' @param max_features Features to choose each split from: `"auto"` (the
#'   square root of their number for classifiers, a third for regressors),
#'   `"sqrt"`, `"all"`, a fraction strictly between 0 and 1, or a whole
#'   number of features (`1` is one feature, not all of them).
#' @param bootstrap Sample rows with replacement for each tree.
#' @return An estimator, to use with [train()], [evaluate()] and `predict()`.
#' @examples
#' if (tb_available()) {
#'   forest <- random_forest_classifier(
#'     feature_columns(column_numeric("Petal.Length", "Petal.Width")), n_classes = 3,
#'     label_vocabulary = levels(iris$Species), n_trees = 20, seed = 1)
#'   forest %>% train(input_fn(iris, c(Petal.Length, Petal.Width), "Species"))
#'   evaluate(forest, input_fn(iris, c(Petal.Length, Petal.Width), "Species"))$accuracy
#' }
#' @name random_forest_estimators
#' @export
random_forest_classifier <- function(feature_columns, model_dir = NULL, n_classes = 2L,
                                     label_vocabulary = NULL, n_trees = 100L, max_depth = NULL,
                                     min_samples_leaf = 1L, max_features = "auto",
                                     bootstrap = TRUE, seed = NULL) {
  args <- tb_est_forest(feature_columns, model_dir, n_trees, max_depth, min_samples_leaf,
                        max_features, bootstrap, seed)
  classes <- tb_est_classes(n_classes, label_vocabulary, missing(n_classes))
  args$n_classes <- classes$n_classes
  args["label_vocabulary"] <- list(classes$label_vocabulary)
  do.call(tb_est_new, c(list("estimators.forest.RandomForestClassifier"), args))
}

#' @rdname random_forest_estimators
#' @export
random_forest_regressor <- function(feature_columns, model_dir = NULL, label_dimension = 1L,
                                    n_trees = 100L, max_depth = NULL, min_samples_leaf = 1L,
                                    max_features = "auto", bootstrap = TRUE, seed = NULL) {
  args <- tb_est_forest(feature_columns, model_dir, n_trees, max_depth, min_samples_leaf,
                        max_features, bootstrap, seed)
  args$label_dimension <- check_count(label_dimension)
  do.call(tb_est_new, c(list("estimators.forest.RandomForestRegressor"), args))
}

tb_est_forest <- function(feature_columns, model_dir, n_trees, max_depth, min_samples_leaf,
                          max_features, bootstrap, seed) {
  if (is.character(max_features) && length(max_features) == 1 && !is.na(max_features)) {
    max_features <- check_string(max_features, "max_features", choices = c("auto", "sqrt", "all"))
  } else if (tb_is_whole(max_features, 1, tb_int_max) && length(max_features) == 1) {
    max_features <- as.integer(max_features)
  } else {
    max_features <- tryCatch(
      check_number(max_features, "max_features", min = 0, max = 1, min_open = TRUE,
                   max_open = TRUE),
      tensorbridge_argument_error = function(e) {
        tb_arg_error("max_features", paste0('"auto", "sqrt", "all", a fraction between 0 ',
                                            "and 1 or a whole number of features"),
                     max_features)
      })
  }
  list(tb_est_columns(feature_columns, "feature_columns"),
       model_dir = tb_est_model_dir(model_dir), n_trees = check_count(n_trees, "n_trees"),
       max_depth = check_count(max_depth, "max_depth", null_ok = TRUE),
       min_samples_leaf = check_count(min_samples_leaf, "min_samples_leaf"),
       max_features = max_features, bootstrap = check_flag(bootstrap, "bootstrap"),
       seed = tb_est_seed(seed, "seed"))
}

#' Train, evaluate and predict with an estimator
#'
#' Arguments that tfestimators has but tensorbridge does not implement
#' (`hooks`, `checkpoint_path`, `saving_listeners` ...) are an error, as is
#' any other unknown argument: nothing is silently ignored.
#'
#' @param object An estimator.
#' @param input_fn An input function ([input_fn()]).
#' @param steps Train (or evaluate) at most this many batches; `NULL`: until
#'   the input function ends.
#' @param max_steps Stop when the estimator's global step reaches this.
#' @param verbose Print progress (`TRUE` or `FALSE`): the mean training loss
#'   every `log_every_n_steps` steps (a summary line for trees and forests).
#'   Linear, DNN and wide-and-deep estimators also keep these means in
#'   `object$loss_history` (pairs of global step and loss).
#' @param log_every_n_steps How often progress is printed.
#' @param predict_keys Which predictions to return (e.g. `"class_ids"`);
#'   `NULL`: all of them.
#' @param simplify `TRUE`: the predictions as a data frame; `FALSE`: as in
#'   tfestimators, a list with one element per input row, each a named list
#'   of that row's predictions.
#' @param ... Nothing: an unknown argument is an error.
#' @return `train()`: the estimator, invisibly; `evaluate()`: a named list
#'   of metrics (`loss`, `average_loss`, and `accuracy`, `auc`, `precision`,
#'   `recall`, `accuracy_baseline`, `label/mean`, `prediction/mean` as they
#'   apply) and `global_step`; `predict()`: a data frame with one row per
#'   input row: `predictions` for regressors; `class_ids` (from 0),
#'   `classes`, and matrix columns `probabilities` and `logits` for
#'   classifiers (with `simplify = FALSE`, a list of rows).
#' @examples
#' if (tb_available()) {
#'   cols <- feature_columns(column_numeric("Petal.Length", "Petal.Width"))
#'   data <- transform(iris, setosa = as.integer(Species == "setosa"))
#'   model <- linear_classifier(cols)
#'   model %>% train(input_fn(data, c(Petal.Length, Petal.Width), "setosa", num_epochs = 20))
#'   head(predict(model, input_fn(data, c(Petal.Length, Petal.Width))))
#'   predict(model, input_fn(data[1, ], c(Petal.Length, Petal.Width)), simplify = FALSE)
#' }
#' @export
train <- function(object, ...) UseMethod("train")

#' @rdname train
#' @export
train.default <- function(object, ...) {
  tb_arg_error("object", "an estimator (e.g. made by linear_regressor())", object, fn = "train")
}

tb_est_input_fn <- function(input_fn, fn) {
  if (missing(input_fn)) {
    tb_arg_error("input_fn", "given: an input function made by input_fn()", fn = fn)
  }
  if (!is.function(input_fn) || !inherits(input_fn, "tensorbridge_object")) {
    tb_arg_error("input_fn", "an input function made by input_fn()", input_fn, fn = fn)
  }
  input_fn
}

#' @rdname train
#' @export
train.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn, steps = NULL,
                                                             max_steps = NULL,
                                                             verbose = interactive(),
                                                             log_every_n_steps = 100L, ...) {
  check_dots_empty(...)
  input_fn <- tb_est_input_fn(input_fn, "train")
  steps <- check_count(steps, null_ok = TRUE)
  max_steps <- check_count(max_steps, null_ok = TRUE)
  verbose <- check_flag(verbose)
  log_every_n_steps <- check_count(log_every_n_steps)
  tb_method(object, "train", input_fn, steps = steps, max_steps = max_steps, verbose = verbose,
            log_every_n_steps = log_every_n_steps)
  invisible(object)
}

#' @rdname train
#' @export
evaluate.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn,
                                                                steps = NULL, ...) {
  check_dots_empty(...)
  input_fn <- tb_est_input_fn(input_fn, "evaluate")
  steps <- check_count(steps, null_ok = TRUE)
  tb_method(object, "evaluate", input_fn, steps = steps)
}

#' @rdname train
#' @export
predict.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn,
                                                               predict_keys = NULL,
                                                               simplify = TRUE, ...) {
  tb_est_as("predict", {
    check_dots_empty(...)
    input_fn <- tb_est_input_fn(input_fn, "predict")
    keys <- check_strings(predict_keys, null_ok = TRUE)
    simplify <- check_flag(simplify)
  })
  out <- tb_method(object, "predict", input_fn,
                   predict_keys = if (is.null(keys)) NULL else as.list(keys))
  rows <- NROW(out[[1]])
  if (!simplify) {
    return(lapply(seq_len(rows), function(i) {
      lapply(out, function(value) if (is.matrix(value)) value[i, ] else value[[i]])
    }))
  }
  frame <- data.frame(row.names = seq_len(rows))
  for (name in names(out)) {
    value <- out[[name]]
    if (is.matrix(value) && ncol(value) == 1L) value <- value[, 1]
    frame[[name]] <- value
  }
  frame
}

# Argument errors raised in `expr` name `fn` (for methods of generics that
# are not the package's own, such as predict(), whose frames the checks
# cannot name).
tb_est_as <- function(fn, expr) {
  withCallingHandlers(expr, tensorbridge_argument_error = function(e) {
    if (is.null(e$fn)) {
      e$message <- paste0(fn, "(): ", sub("see [?]tensorbridge ", "see ?train ",
                                          conditionMessage(e)))
      e$fn <- fn
      stop(e)
    }
  })
}

#' @export
format.tensorbridge.estimators.boosted_trees.BoostedTrees <- function(x, ...) {
  paste0("<", sub(".*[.]", "", class(x)[[1]]), ": ", length(tb_getattr(x, "trees")),
         " of ", tb_getattr(x, "n_trees"), " trees grown, global step ",
         tb_getattr(x, "global_step"), ">")
}

#' @export
format.tensorbridge.estimators.canned.Estimator <- function(x, ...) {
  paste0("<", sub(".*[.]", "", class(x)[[1]]),
         ": global step ", tb_getattr(x, "global_step"),
         if (!is.null(tb_getattr(x, "model_dir"))) paste0(", model_dir ",
                                                         tb_getattr(x, "model_dir")), ">")
}
