# The tfestimators R package's API: feature columns, input functions, canned
# estimators, train / evaluate / predict.

# -- feature columns ---------------------------------------------------------------------------

tb_names <- function(...) {
  # column constructors take the feature names as strings or bare names
  names <- vapply(as.list(substitute(list(...)))[-1], function(e) {
    if (is.character(e)) e else deparse(e)
  }, "")
  if (!length(names)) stop(tb_condition("give at least one feature name"))
  names
}

tb_fc <- function(fn, ...) tb_call(paste0("estimators.feature_column.", fn), ...)

tb_one_or_list <- function(columns) if (length(columns) == 1L) columns[[1]] else columns

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
#' @param ... Feature names (strings or bare names), one column each; for
#'   `feature_columns()`, columns or lists of columns.
#' @param shape Values per row.
#' @param default_value For numeric columns, the value that replaces NA
#'   (without it NA is an error); for categorical ones, the id of values
#'   that are not in the vocabulary or out of range (`-1`: none).
#' @param normalizer_fn An R function applied to the column's values.
#' @param vocabulary_list The known values, in id order.
#' @param num_oov_buckets Hash buckets for values outside the vocabulary.
#' @param num_buckets Ids run from 0 to `num_buckets - 1`.
#' @param hash_bucket_size Number of hash buckets.
#' @param source_column A numeric column.
#' @param boundaries Increasing cut points: bucket i holds
#'   `boundaries[i] <= x < boundaries[i + 1]`.
#' @param keys Feature names or categorical columns to combine.
#' @param categorical_column A categorical column.
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
#' }
#' @name feature_columns
#' @export
feature_columns <- function(...) {
  columns <- list(...)
  out <- list()
  for (col in columns) {
    if (inherits(col, "tensorbridge_object")) out <- c(out, list(col)) else out <- c(out, col)
  }
  out
}

#' @rdname feature_columns
#' @export
column_numeric <- function(..., shape = 1L, default_value = NULL, normalizer_fn = NULL) {
  tb_one_or_list(lapply(tb_names(...), function(key) {
    tb_fc("numeric_column", key, shape = as.integer(shape), default_value = default_value,
          normalizer_fn = normalizer_fn)
  }))
}

#' @rdname feature_columns
#' @export
column_categorical_with_vocabulary_list <- function(..., vocabulary_list, default_value = -1L,
                                                    num_oov_buckets = 0L) {
  vocabulary_list <- as.character(vocabulary_list)
  tb_one_or_list(lapply(tb_names(...), function(key) {
    tb_fc("categorical_column_with_vocabulary_list", key, as.list(vocabulary_list),
          default_value = as.integer(default_value),
          num_oov_buckets = as.integer(num_oov_buckets))
  }))
}

#' @rdname feature_columns
#' @export
column_categorical_with_identity <- function(..., num_buckets, default_value = NULL) {
  tb_one_or_list(lapply(tb_names(...), function(key) {
    tb_fc("categorical_column_with_identity", key, as.integer(num_buckets),
          default_value = as_nullable_integer(default_value))
  }))
}

#' @rdname feature_columns
#' @export
column_categorical_with_hash_bucket <- function(..., hash_bucket_size) {
  tb_one_or_list(lapply(tb_names(...), function(key) {
    tb_fc("categorical_column_with_hash_bucket", key, as.integer(hash_bucket_size))
  }))
}

#' @rdname feature_columns
#' @export
column_bucketized <- function(source_column, boundaries) {
  tb_fc("bucketized_column", source_column, as.list(as.numeric(boundaries)))
}

#' @rdname feature_columns
#' @export
column_crossed <- function(keys, hash_bucket_size) {
  keys <- if (is.character(keys)) as.list(keys) else keys
  tb_fc("crossed_column", keys, as.integer(hash_bucket_size))
}

#' @rdname feature_columns
#' @export
column_indicator <- function(categorical_column) {
  tb_fc("indicator_column", categorical_column)
}

#' @rdname feature_columns
#' @export
column_embedding <- function(categorical_column, dimension, combiner = "mean") {
  if (!identical(combiner, "mean")) {
    stop(tb_condition("column_embedding(): only combiner = \"mean\" is supported (one id per row)"))
  }
  tb_fc("embedding_column", categorical_column, as.integer(dimension))
}

# -- input functions ---------------------------------------------------------------------------

#' Input functions
#'
#' An input function tells an estimator where its batches come from: the
#' `features` columns of a data frame (or a list of equally long vectors)
#' and its `response` column.
#'
#' @param object A data frame (or a named list of vectors; a matrix with
#'   column names is taken as a data frame).
#' @param features Names of the feature columns (strings or bare names in
#'   `c()`); by default every column but the response.
#' @param response Name of the response column; `NULL` for prediction.
#' @param batch_size Rows per batch.
#' @param shuffle `TRUE`, `FALSE`, or `"auto"`: shuffle for training only.
#' @param num_epochs Passes over the data; `NULL` repeats for as long as
#'   training asks (give `steps` to `train()`); evaluation and prediction
#'   read the data once.
#' @param ... Unused.
#' @return An input function for [train()], [evaluate()] and `predict()`.
#' @examples
#' if (tb_available()) {
#'   fn <- input_fn(mtcars, features = c("disp", "cyl"), response = "mpg", batch_size = 8)
#' }
#' @export
input_fn <- function(object, ...) UseMethod("input_fn")

#' @rdname input_fn
#' @export
input_fn.data.frame <- function(object, features = NULL, response = NULL, batch_size = 128L,
                                shuffle = "auto", num_epochs = 1L, ...) {
  features <- tb_select(object, substitute(features), parent.frame())
  response <- tb_select(object, substitute(response), parent.frame())
  if (length(response) > 1L) {
    stop(tb_condition("input_fn(): give one response column"))
  }
  if (is.null(features)) features <- setdiff(names(object), response)
  y <- if (is.null(response)) NULL else object[[response]]
  if (is.factor(y)) y <- as.character(y)
  tb_call("estimators.inputs.numpy_input_fn", as.list(object[features]), y,
          batch_size = as.integer(batch_size), num_epochs = as_nullable_integer(num_epochs),
          shuffle = shuffle)
}

#' @rdname input_fn
#' @export
input_fn.list <- function(object, features = NULL, response = NULL, ...) {
  input_fn.data.frame(as.data.frame(object, stringsAsFactors = FALSE),
                      features = features, response = response, ...)
}

#' @rdname input_fn
#' @export
input_fn.matrix <- function(object, ...) {
  if (is.null(colnames(object))) {
    stop(tb_condition("input_fn(): the matrix needs column names (they name the features)"))
  }
  input_fn.data.frame(as.data.frame(object), ...)
}

tb_select <- function(data, expr, env) {
  # c("a", "b"), c(a, b), "a" or a bare name -> column names, checked
  if (is.null(expr)) return(NULL)
  value <- if (is.call(expr) && identical(expr[[1]], as.name("c"))) {
    vapply(as.list(expr)[-1], function(e) if (is.character(e)) e else deparse(e), "")
  } else if (is.name(expr) && !exists(as.character(expr), envir = env)) {
    as.character(expr)
  } else {
    eval(expr, env)
  }
  if (is.null(value)) return(NULL)
  value <- as.character(value)
  unknown <- setdiff(value, names(data))
  if (length(unknown)) {
    stop(tb_condition(paste0("input_fn(): no column ", paste0("'", unknown, "'", collapse = ", "),
                             " in the data; it has ", paste(names(data), collapse = ", "))))
  }
  value
}

# -- estimators --------------------------------------------------------------------------------

tb_path <- function(model_dir) if (is.null(model_dir)) NULL else path.expand(model_dir)

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
#'   columns (see [feature_columns()]).
#' @param hidden_units,dnn_hidden_units Units of the hidden layers.
#' @param model_dir Directory for checkpoints, or `NULL`.
#' @param label_dimension Number of regression targets.
#' @param n_classes Number of classes (labels 0 to `n_classes - 1`).
#' @param label_vocabulary The class labels when they are text or a factor.
#' @param optimizer,linear_optimizer,dnn_optimizer An optimizer (e.g.
#'   `optimizer_adagrad(0.1)`) or its name; default Adagrad with learning
#'   rate 0.2 (linear) or 0.05 (DNN). A wide-and-deep model trains both parts
#'   with the DNN optimizer.
#' @param activation_fn,dnn_activation_fn Activation of the hidden layers.
#' @param dropout,dnn_dropout Dropout rate after each hidden layer.
#' @param seed Seed for the initial weights and dropout.
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
  tb_call("estimators.canned.LinearRegressor",
    feature_columns = feature_columns, model_dir = tb_path(model_dir),
    label_dimension = as.integer(label_dimension), optimizer = optimizer,
    seed = as_nullable_integer(seed))
}

#' @rdname estimators
#' @export
linear_classifier <- function(feature_columns, model_dir = NULL, n_classes = 2L,
                              label_vocabulary = NULL, optimizer = NULL, seed = NULL) {
  tb_call("estimators.canned.LinearClassifier",
    feature_columns = feature_columns, model_dir = tb_path(model_dir),
    n_classes = as.integer(n_classes), label_vocabulary = tb_vocabulary(label_vocabulary),
    optimizer = optimizer, seed = as_nullable_integer(seed))
}

#' @rdname estimators
#' @export
dnn_regressor <- function(hidden_units, feature_columns, model_dir = NULL, label_dimension = 1L,
                          optimizer = NULL, activation_fn = "relu", dropout = NULL,
                          seed = NULL) {
  tb_call("estimators.canned.DNNRegressor",
    hidden_units = as.list(as.integer(hidden_units)), feature_columns = feature_columns,
    model_dir = tb_path(model_dir), label_dimension = as.integer(label_dimension),
    optimizer = optimizer, activation_fn = activation_fn, dropout = dropout,
    seed = as_nullable_integer(seed))
}

#' @rdname estimators
#' @export
dnn_classifier <- function(hidden_units, feature_columns, model_dir = NULL, n_classes = 2L,
                           label_vocabulary = NULL, optimizer = NULL, activation_fn = "relu",
                           dropout = NULL, seed = NULL) {
  tb_call("estimators.canned.DNNClassifier",
    hidden_units = as.list(as.integer(hidden_units)), feature_columns = feature_columns,
    model_dir = tb_path(model_dir), n_classes = as.integer(n_classes),
    label_vocabulary = tb_vocabulary(label_vocabulary), optimizer = optimizer,
    activation_fn = activation_fn, dropout = dropout, seed = as_nullable_integer(seed))
}

#' @rdname estimators
#' @export
dnn_linear_combined_regressor <- function(model_dir = NULL, linear_feature_columns = NULL,
                                          linear_optimizer = NULL, dnn_feature_columns = NULL,
                                          dnn_optimizer = NULL, dnn_hidden_units = NULL,
                                          dnn_activation_fn = "relu", dnn_dropout = NULL,
                                          label_dimension = 1L, seed = NULL) {
  tb_call("estimators.canned.DNNLinearCombinedRegressor",
    model_dir = tb_path(model_dir), linear_feature_columns = linear_feature_columns,
    linear_optimizer = linear_optimizer, dnn_feature_columns = dnn_feature_columns,
    dnn_optimizer = dnn_optimizer, dnn_hidden_units = as.list(as.integer(dnn_hidden_units)),
    dnn_activation_fn = dnn_activation_fn, dnn_dropout = dnn_dropout,
    label_dimension = as.integer(label_dimension), seed = as_nullable_integer(seed))
}

#' @rdname estimators
#' @export
dnn_linear_combined_classifier <- function(model_dir = NULL, linear_feature_columns = NULL,
                                           linear_optimizer = NULL, dnn_feature_columns = NULL,
                                           dnn_optimizer = NULL, dnn_hidden_units = NULL,
                                           dnn_activation_fn = "relu", dnn_dropout = NULL,
                                           n_classes = 2L, label_vocabulary = NULL,
                                           seed = NULL) {
  tb_call("estimators.canned.DNNLinearCombinedClassifier",
    model_dir = tb_path(model_dir), linear_feature_columns = linear_feature_columns,
    linear_optimizer = linear_optimizer, dnn_feature_columns = dnn_feature_columns,
    dnn_optimizer = dnn_optimizer, dnn_hidden_units = as.list(as.integer(dnn_hidden_units)),
    dnn_activation_fn = dnn_activation_fn, dnn_dropout = dnn_dropout,
    n_classes = as.integer(n_classes), label_vocabulary = tb_vocabulary(label_vocabulary),
    seed = as_nullable_integer(seed))
}

tb_vocabulary <- function(v) if (is.null(v)) NULL else as.list(as.character(v))

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
#' @param n_batches_per_layer Batches whose statistics grow one layer.
#' @param n_trees Number of trees; training stops when they are grown.
#' @param max_depth Depth of each tree.
#' @param learning_rate Shrinkage of each tree's leaf values.
#' @param l1_regularization,l2_regularization Penalties on the leaf values.
#' @param tree_complexity Gain a split must exceed.
#' @param min_node_weight Smallest mean hessian a split may leave on a side.
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
  tb_call("estimators.boosted_trees.BoostedTreesRegressor", feature_columns,
          as.integer(n_batches_per_layer), model_dir = tb_path(model_dir),
          label_dimension = as.integer(label_dimension), n_trees = as.integer(n_trees),
          max_depth = as.integer(max_depth), learning_rate = learning_rate,
          l1_regularization = l1_regularization, l2_regularization = l2_regularization,
          tree_complexity = tree_complexity, min_node_weight = min_node_weight)
}

#' @rdname boosted_trees_estimators
#' @export
boosted_trees_classifier <- function(feature_columns, n_batches_per_layer, model_dir = NULL,
                                     n_classes = 2L, label_vocabulary = NULL, n_trees = 100L,
                                     max_depth = 6L, learning_rate = 0.1,
                                     l1_regularization = 0, l2_regularization = 0,
                                     tree_complexity = 0, min_node_weight = 0) {
  tb_call("estimators.boosted_trees.BoostedTreesClassifier", feature_columns,
          as.integer(n_batches_per_layer), model_dir = tb_path(model_dir),
          n_classes = as.integer(n_classes), label_vocabulary = tb_vocabulary(label_vocabulary),
          n_trees = as.integer(n_trees), max_depth = as.integer(max_depth),
          learning_rate = learning_rate, l1_regularization = l1_regularization,
          l2_regularization = l2_regularization, tree_complexity = tree_complexity,
          min_node_weight = min_node_weight)
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
#' @param l1_regularization,l2_regularization Penalties on the weights.
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
  tb_call("estimators.canned.LinearSVM",
    feature_columns = feature_columns, model_dir = tb_path(model_dir),
    l1_regularization = l1_regularization, l2_regularization = l2_regularization,
    label_vocabulary = tb_vocabulary(label_vocabulary), optimizer = optimizer,
    seed = as_nullable_integer(seed))
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
#' @param num_clusters Number of clusters.
#' @param feature_columns Columns to cluster on; `NULL`: every numeric
#'   feature of the input.
#' @param model_dir Directory for checkpoints, or `NULL`.
#' @param initial_clusters `"random"` rows of the first batch,
#'   `"kmeans_plus_plus"`, or a matrix with one centre per row.
#' @param distance_metric `"squared_euclidean"` or `"cosine"`.
#' @param use_mini_batch See above.
#' @param seed Seed for the initial centres.
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
  tb_call("estimators.clustering.KMeans", as.integer(num_clusters),
          model_dir = tb_path(model_dir), initial_clusters = initial_clusters,
          distance_metric = distance_metric, random_seed = as.integer(seed),
          use_mini_batch = use_mini_batch, feature_columns = feature_columns)
}

#' @rdname kmeans_estimator
#' @export
cluster_centers <- function(object) tb_method(object, "cluster_centers")

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
#'   `"sqrt"`, `"all"`, a fraction or a count.
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
  tb_call("estimators.forest.RandomForestClassifier", feature_columns,
          model_dir = tb_path(model_dir), n_classes = as.integer(n_classes),
          label_vocabulary = tb_vocabulary(label_vocabulary), n_trees = as.integer(n_trees),
          max_depth = as_nullable_integer(max_depth),
          min_samples_leaf = as.integer(min_samples_leaf), max_features = max_features,
          bootstrap = bootstrap, seed = as_nullable_integer(seed))
}

#' @rdname random_forest_estimators
#' @export
random_forest_regressor <- function(feature_columns, model_dir = NULL, label_dimension = 1L,
                                    n_trees = 100L, max_depth = NULL, min_samples_leaf = 1L,
                                    max_features = "auto", bootstrap = TRUE, seed = NULL) {
  tb_call("estimators.forest.RandomForestRegressor", feature_columns,
          model_dir = tb_path(model_dir), label_dimension = as.integer(label_dimension),
          n_trees = as.integer(n_trees), max_depth = as_nullable_integer(max_depth),
          min_samples_leaf = as.integer(min_samples_leaf), max_features = max_features,
          bootstrap = bootstrap, seed = as_nullable_integer(seed))
}

#' Train, evaluate and predict with an estimator
#'
#' @param object An estimator.
#' @param input_fn An input function ([input_fn()]).
#' @param steps Train (or evaluate) at most this many batches; `NULL`: until
#'   the input function ends.
#' @param max_steps Stop when the estimator's global step reaches this.
#' @param verbose Print progress: the mean training loss every
#'   `log_every_n_steps` steps (a summary line for trees and forests).
#'   Linear, DNN and wide-and-deep estimators also keep these means in
#'   `object$loss_history` (pairs of global step and loss).
#' @param log_every_n_steps How often progress is printed.
#' @param predict_keys Which predictions to return (e.g. `"class_ids"`).
#' @param ... Unused.
#' @return `train()`: the estimator, invisibly; `evaluate()`: a named list
#'   of metrics (`loss`, `average_loss`, and `accuracy`, `auc`, `precision`,
#'   `recall`, `accuracy_baseline`, `label/mean`, `prediction/mean` as they
#'   apply) and `global_step`; `predict()`: a data frame with one row per
#'   input row: `predictions` for regressors; `class_ids` (from 0),
#'   `classes`, and matrix columns `probabilities` and `logits` for
#'   classifiers.
#' @examples
#' if (tb_available()) {
#'   cols <- feature_columns(column_numeric("Petal.Length", "Petal.Width"))
#'   data <- transform(iris, setosa = as.integer(Species == "setosa"))
#'   model <- linear_classifier(cols)
#'   model %>% train(input_fn(data, c(Petal.Length, Petal.Width), "setosa", num_epochs = 20))
#'   head(predict(model, input_fn(data, c(Petal.Length, Petal.Width))))
#' }
#' @export
train <- function(object, ...) UseMethod("train")

#' @rdname train
#' @export
train.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn, steps = NULL,
                                                             max_steps = NULL,
                                                             verbose = interactive(),
                                                             log_every_n_steps = 100L, ...) {
  tb_method(object, "train", input_fn, steps = as_nullable_integer(steps),
            max_steps = as_nullable_integer(max_steps), verbose = isTRUE(verbose),
            log_every_n_steps = as.integer(log_every_n_steps))
  invisible(object)
}

#' @rdname train
#' @export
evaluate.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn,
                                                                steps = NULL, ...) {
  tb_method(object, "evaluate", input_fn, steps = as_nullable_integer(steps))
}

#' @rdname train
#' @export
predict.tensorbridge.estimators.base.BaseEstimator <- function(object, input_fn,
                                                               predict_keys = NULL, ...) {
  keys <- if (is.null(predict_keys)) NULL else as.list(as.character(predict_keys))
  out <- tb_method(object, "predict", input_fn, predict_keys = keys)
  rows <- NROW(out[[1]])
  frame <- data.frame(row.names = seq_len(rows))
  for (name in names(out)) {
    value <- out[[name]]
    if (is.matrix(value) && ncol(value) == 1L) value <- value[, 1]
    frame[[name]] <- value
  }
  frame
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
