# Models: creation, compile, fit, evaluate, predict, inspection.

#' Create a sequential model
#'
#' A linear stack of layers; add layers with the pipe:
#' `keras_model_sequential() %>% layer_dense(...)`.
#'
#' @param layers Optional list of layers to start with.
#' @param name Optional model name.
#' @param input_shape Optional shape of one input sample; when given, the
#'   model is built with this input.
#' @return A sequential model.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 784) %>%
#'     layer_dense(units = 256, activation = "relu") %>%
#'     layer_dense(units = 10, activation = "softmax")
#'   model
#' }
#' @export
keras_model_sequential <- function(layers = NULL, name = NULL, input_shape = NULL) {
  if (!is.null(layers) && (!is.list(layers) || is.object(layers))) layers <- list(layers)
  for (i in seq_along(layers)) {
    check_keras_object(layers[[i]], "layer", arg = paste0("layers[[", i, "]]"))
  }
  input_shape <- check_shape(input_shape)
  model <- tb_keras("Sequential", list(layers = layers, name = check_string(name, null_ok = TRUE)))
  if (!is.null(input_shape)) tb_method(model, "add", layer_input(shape = input_shape))
  model
}

#' Create a model from inputs and outputs (functional API)
#'
#' @param inputs An input tensor from [layer_input()], or a list of them.
#' @param outputs The output tensor, or a list of them.
#' @param name Optional model name.
#' @return A model.
#' @examples
#' if (tb_available()) {
#'   inputs <- layer_input(shape = 8)
#'   hidden <- inputs %>% layer_dense(units = 16, activation = "relu")
#'   out_a <- hidden %>% layer_dense(units = 1, name = "a")
#'   out_b <- hidden %>% layer_dense(units = 3, activation = "softmax", name = "b")
#'   model <- keras_model(inputs, list(out_a, out_b))
#' }
#' @export
keras_model <- function(inputs, outputs = NULL, name = NULL) {
  tb_keras("Model", list(inputs = check_tensors(inputs), outputs = check_tensors(outputs),
                         name = check_string(name, null_ok = TRUE)))
}

# One symbolic tensor or a (named) list of them: a functional model's inputs
# or outputs.
check_tensors <- function(x, arg = tb_arg_name(substitute(x))) {
  is_tensor <- function(v) tb_is_a(v, ".KerasTensor")
  ok <- is_tensor(x) || (is.list(x) && !is.object(x) && length(x) >= 1 &&
                           all(vapply(x, is_tensor, logical(1))))
  if (!ok) {
    tb_arg_error(arg, "a tensor from layer_input() or a layer, or a list of them", x)
  }
  x
}

#' Configure a model for training
#'
#' @param object A model.
#' @param optimizer Name (`"rmsprop"`, `"adam"`, `"sgd"` ...) or an
#'   `optimizer_*()` object.
#' @param loss Name (`"categorical_crossentropy"` ...), a `loss_*()` object
#'   or function (`loss = loss_categorical_crossentropy`), your own R
#'   `function(y_true, y_pred)`, or a list of them (one per output, or named
#'   by output: `list(out_a = "mse", out_b = my_loss)`). Your function is
#'   called with tensors and must return a tensor (the loss of each sample)
#'   computed with tensor operations (R's arithmetic, `tf$...`, `k_*()`),
#'   through which the gradient flows.
#' @param metrics Character vector or list of metric names, `metric_*()`
#'   objects or functions, and your own R functions `function(y_true,
#'   y_pred)` (called with tensors, returning a tensor or numbers);
#'   `"accuracy"` becomes the accuracy that fits the loss. A function is
#'   shown in the logs by its name in the list (`list(my_acc = f)`), else
#'   the symbol you gave (`c(f)` shows `"f"`), or the name set with
#'   [custom_metric()]. A list named by output gives each output its own.
#' @param loss_weights Weights (>= 0) of the outputs' losses (a numeric
#'   vector or named list).
#' @param ... Unused; anything given is an error.
#' @return The model, invisibly (it is modified in place).
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 3)
#'   model %>% compile(optimizer = "adam", loss = "mse", metrics = "mae")
#'   # your own loss and metric, written with tensor operations
#'   my_loss <- function(y_true, y_pred) tf$reduce_mean((y_pred - y_true)^2, axis = -1L)
#'   worst <- function(y_true, y_pred) tf$reduce_max(abs(y_pred - y_true), axis = -1L)
#'   model %>% compile(optimizer = "adam", loss = my_loss, metrics = c(worst))
#' }
#' @export
compile <- function(object, ...) UseMethod("compile")

#' @rdname compile
#' @export
compile.default <- function(object, ...) tb_check_model(object, "compile")

#' @rdname compile
#' @export
compile.tensorbridge_object <- function(object, optimizer = "rmsprop", loss = NULL,
                                        metrics = NULL, loss_weights = NULL, ...) {
  tb_check_model(object, "compile")
  if (isTRUE(tb_call("bridge.rclasses.overrides", object, "compile"))) {
    # a model class written in R with its own compile(): the arguments are its
    env <- parent.frame()
    args <- lapply(as.list(match.call(expand.dots = TRUE))[-c(1L, 2L)], eval, envir = env)
    do.call(tb_method, c(list(object, "compile"), args))
    return(invisible(object))
  }
  check_dots_empty(...)
  optimizer <- check_keras_object(optimizer, "optimizer")
  outputs <- tryCatch(unlist(tb_getattr(object, "output_names")), error = function(e) NULL)
  loss <- prepare_functions(loss, substitute(loss), "loss", outputs)
  metrics <- prepare_functions(metrics, substitute(metrics), "metric", outputs)
  loss <- check_keras_objects(loss, "loss")
  metrics <- check_keras_objects(metrics, "metric")
  loss_weights <- check_loss_weights(loss_weights)
  tb_keras_method(object, "compile", list(optimizer = optimizer, loss = loss,
                                          metrics = metrics, loss_weights = loss_weights))
  invisible(object)
}

# R functions given to compile() as losses or metrics. The package's own
# loss_*() and metric_*() functions stand for the engine's (no R round trip per
# batch). Any other function(y_true, y_pred) is called with tensors; it is
# named as keras R names it: its "py_function_name" attribute (custom_metric()),
# else the name it has in a list of metrics, else the symbol the user wrote
# (`metrics = c(my_acc)` shows "my_acc"), else custom_loss / custom_metric.
prepare_functions <- function(x, expr, kind, outputs = NULL) {
  one <- function(fn, ex, name) {
    # an engine object (metric_auc(), a metric or loss class instance) is
    # callable from R but is not an R function: it goes to the engine as is
    if (!is.function(fn) || inherits(fn, "tensorbridge_object")) return(fn)
    engine <- attr(fn, "tb_engine_name", exact = TRUE)
    if (!is.null(engine)) return(engine)
    label <- attr(fn, "py_function_name", exact = TRUE)
    if (!is.character(label) || length(label) != 1 || is.na(label) || !nzchar(label)) {
      label <- if (kind == "metric" && nzchar(name) && !name %in% outputs) name else
        fn_symbol(ex) %||% paste0("custom_", kind)
    }
    user_function(fn, label, kind)
  }
  if (is.function(x)) return(one(x, expr, ""))
  if (!is.list(x) || is.object(x)) return(x)
  exprs <- call_args(expr, length(x))
  nms <- names(x) %||% rep("", length(x))
  for (i in seq_along(x)) {
    v <- x[[i]]
    if (is.list(v) && !is.object(v)) {
      x[[i]] <- prepare_functions(v, exprs[[i]], kind, outputs)
    } else if (is.function(v)) {
      x[[i]] <- one(v, exprs[[i]], nms[[i]])
    }
  }
  x
}

# The expressions of the elements of `c(...)` or `list(...)` as written, when
# `expr` is such a call with `n` elements; otherwise NULLs.
call_args <- function(expr, n) {
  if (is.call(expr) && length(expr) == n + 1 && (identical(expr[[1]], quote(c)) ||
                                                  identical(expr[[1]], quote(list)))) {
    return(as.list(expr)[-1])
  }
  vector("list", n)
}

# The name of a function as the user wrote it: `f` or `pkg::f`.
fn_symbol <- function(ex) {
  if (is.symbol(ex)) return(as.character(ex))
  if (is.call(ex) && length(ex) == 3 && (identical(ex[[1]], quote(`::`)) ||
                                         identical(ex[[1]], quote(`:::`)))) {
    return(as.character(ex[[3]]))
  }
  NULL
}

# A user's loss or metric, checked for what it returns: a loss a tensor (its
# gradient trains the model), a metric a tensor or numbers.
user_function <- function(fn, label, kind) {
  force(fn)
  wrapped <- function(y_true, y_pred) {
    value <- fn(y_true, y_pred)
    is_tensor <- inherits(value, "tensorbridge.engine.tensor.Tensor")
    if (kind == "loss" && !is_tensor) {
      tb_stop("the loss `", label, "` returned ", tb_describe(value), ", not a tensor: ",
              "compute it from `y_true` and `y_pred` with tensor operations (R's ",
              "arithmetic on them, tf$... or k_*() functions), without as.array(), so that ",
              "it has a gradient.")
    }
    if (kind == "metric" && !is_tensor &&
        !((is.numeric(value) || is.logical(value)) && !is.object(value) && length(value) >= 1)) {
      tb_stop("the metric `", label, "` returned ", tb_describe(value), ": a metric ",
              "function must return a tensor or numbers (one per sample, or one for the ",
              "batch).")
    }
    value
  }
  attr(wrapped, "py_function_name") <- label
  wrapped
}

# Losses or metrics for compile(): NULL, one, or several (a character vector
# or a list, named by output where the model has several).
check_keras_objects <- function(x, kind, arg = tb_arg_name(substitute(x))) {
  force(arg)
  if (is.null(x)) return(NULL)
  if (is.character(x) && length(x) > 1 && !anyNA(x)) x <- as.list(x)
  if (is.list(x) && !is.object(x)) {
    if (length(x) == 0) tb_arg_error(arg, tb_object_kinds[[kind]]$what, x)
    for (i in seq_along(x)) {
      # a per-output entry may itself be several metrics
      if (kind == "metric" && (is.list(x[[i]]) || is.character(x[[i]])) &&
          !is.object(x[[i]]) && length(x[[i]]) > 1) {
        x[[i]] <- as.list(x[[i]])
        for (j in seq_along(x[[i]])) {
          check_keras_object(x[[i]][[j]], kind, arg = paste0(arg, "[[", i, "]][[", j, "]]"))
        }
      } else {
        check_keras_object(x[[i]], kind, arg = paste0(arg, "[[", i, "]]"))
      }
    }
    return(if (kind == "metric" || length(x) > 1 || !is.null(names(x))) x else x[[1]])
  }
  check_keras_object(x, kind, arg)
  if (kind == "metric") list(x) else x
}

# Weights of the outputs' losses: finite numbers >= 0, one per output
# (optionally named by output).
check_loss_weights <- function(x, arg = "loss_weights") {
  if (is.null(x)) return(NULL)
  values <- if (is.list(x) && !is.object(x)) x else if (is.numeric(x)) as.list(x) else NULL
  ok <- length(values) >= 1 && all(vapply(values, function(v) {
    is.numeric(v) && length(v) == 1 && is.finite(v) && v >= 0
  }, logical(1)))
  if (!ok) tb_arg_error(arg, "finite numbers >= 0, one per output (or NULL)", x)
  stats::setNames(lapply(values, as.double), names(x))
}

# Callbacks for fit()/evaluate(): NULL, one callback, or a list of them.
check_callbacks <- function(x, arg = "callbacks") {
  if (is.null(x)) return(NULL)
  if (!is.list(x) || is.object(x)) x <- list(x)
  for (i in seq_along(x)) {
    x[[i]] <- tb_as_callback(x[[i]])  # keras 2's R6 KerasCallback objects
    check_keras_object(x[[i]], "callback", paste0(arg, "[[", i, "]]"))
  }
  x
}

# Per-sample weights: a numeric vector (or a list of them, one per output).
check_sample_weight <- function(x, arg = "sample_weight") {
  if (is.null(x)) return(NULL)
  one_ok <- function(v) is.numeric(v) && !is.object(v) && length(v) >= 1 && all(is.finite(v)) &&
    all(v >= 0)
  ok <- one_ok(x) || (is.list(x) && !is.object(x) && length(x) >= 1 &&
                        all(vapply(x, function(v) is.null(v) || one_ok(v), logical(1))))
  if (!ok) tb_arg_error(arg, "a vector of finite numbers >= 0, one per sample (or NULL)", x)
  if (is.numeric(x)) as.vector(x) else x
}

# Class weights: named by class index (from 0), e.g. list("0" = 1, "1" = 5).
check_class_weight <- function(x, arg = "class_weight") {
  if (is.null(x)) return(NULL)
  values <- if (is.list(x) && !is.object(x)) x else if (is.numeric(x)) as.list(x) else NULL
  nms <- names(values)
  ok <- length(values) >= 1 && !is.null(nms) && all(grepl("^[0-9]+$", nms)) &&
    !anyDuplicated(nms) && all(vapply(values, function(v) {
      is.numeric(v) && length(v) == 1 && is.finite(v) && v >= 0
    }, logical(1)))
  if (!ok) {
    tb_arg_error(arg, paste0('a list of weights >= 0 named by class index from 0, e.g. ',
                             'list("0" = 1, "1" = 5)'), x)
  }
  lapply(values, as.double)
}

#' Train a model
#'
#' Trains for `epochs` passes over the data, printing keras' progress bar
#' (`verbose = 1`), one line per epoch (`verbose = 2`) or nothing
#' (`verbose = 0`). Interrupting (Ctrl-C) stops at the next batch; the model
#' keeps the weights of the last finished batch.
#'
#' @param object A compiled model.
#' @param x Inputs: an array or matrix (one row per sample), a data frame
#'   (numeric, logical, factor and character columns: see "Data frames and
#'   formulas"), or a list of arrays for several inputs; or a formula
#'   `y ~ x1 + x2` with `data`; or a source of batches: a generator
#'   function (an R function returning `list(x, y)` or `list(x, y,
#'   sample_weight)` on each call; give `steps_per_epoch`), a dataset
#'   (`tensor_slices_dataset()` ... `dataset_batch()`), or an engine
#'   iterator or sequence of batches (`flow_images_from_directory()`).
#' @param y Targets, as `x` (a list for several outputs); a factor gives
#'   classes. `NULL` when `x` is a source of batches or a formula.
#' @param batch_size Samples per gradient update (a positive whole number;
#'   default 32).
#' @param epochs The epoch to stop at (a positive whole number larger than
#'   `initial_epoch`): training runs `epochs - initial_epoch` passes over
#'   the data.
#' @param verbose 0, 1, 2 or `"auto"` (default
#'   `getOption("keras.fit_verbose", 1)`).
#' @param callbacks List of `callback_*()` objects.
#' @param validation_split Fraction (0 to < 1) of the data, taken from the
#'   end, held out for validation.
#' @param validation_data `list(x_val, y_val)` (or with sample weights) to
#'   validate on instead, or a generator function or dataset (with
#'   `validation_steps` for a generator).
#' @param shuffle Shuffle the training data before each epoch.
#' @param class_weight Named list mapping class index (from 0) to a weight
#'   (>= 0), e.g. `list("0" = 1, "1" = 5)`.
#' @param sample_weight Vector of per-sample weights (>= 0).
#' @param initial_epoch Epoch to start from (a whole number >= 0, to resume
#'   training).
#' @param steps_per_epoch Batches per epoch (a positive whole number;
#'   default: all the data, or one pass over a finite dataset). Required for
#'   a generator function and an infinite dataset; with it, a generator or
#'   dataset is read on across epochs.
#' @param validation_steps Batches drawn from a validation generator (or
#'   dataset) at the end of each epoch; required for a generator function.
#' @param data A data frame holding the variables of the formula `x`.
#' @param factors How factor and character columns of a data frame become
#'   numbers: `"one_hot"` (one 0/1 column per level) or `"integer"` (level
#'   ids from 0, e.g. for `layer_embedding()`).
#' @param workers,max_queue_size For a batch source computed Python-side
#'   (`flow_images_from_directory()` and the other `flow_*()` iterators):
#'   `workers` threads compute up to `max_queue_size` batches ahead, handed
#'   to the model in order (keras 2's defaults: 1 and 10; `workers = 0`
#'   computes each batch when it is needed). R generator functions and
#'   classes written in R always run in R's own thread, one batch when it is
#'   needed.
#' @param ... Unused; anything given is an error.
#' @return A `keras_training_history` object: `plot()` it, print it, or turn
#'   it into a data frame.
#' @section Generators and datasets: A generator function is called once per
#'   step, in R's own thread. An R error inside it stops training with that
#'   error, its message prefixed with where it happened (`"in the
#'   generator, step 3 of epoch 1: ..."`); a batch of the wrong kind or
#'   shape is an error naming the step and what was expected. With a
#'   generator `steps_per_epoch` is required; a finite dataset gives one
#'   pass per epoch unless `steps_per_epoch` is given; an infinite one
#'   (`dataset_repeat()`) needs `steps_per_epoch`. `batch_size`,
#'   `sample_weight` and `validation_split` are for arrays only. A source
#'   that runs out before `steps_per_epoch` x `epochs` batches stops
#'   training with a warning.
#' @section Data frames and formulas: A data frame becomes a numeric matrix
#'   in its column order: numeric columns as they are, logical ones as 0/1,
#'   factor and character columns as one 0/1 column per level (`factors =
#'   "one_hot"`, named `column_level`) or as one column of level ids from 0
#'   (`factors = "integer"`). The levels are those of the training data (a
#'   factor's levels, a character column's sorted values); `fit()` keeps
#'   them with the model, so [evaluate()] and [predict()] encode new data the
#'   same way, and a level not seen in training is an error.
#'
#'   A factor `y` gives the classes: one-hot rows for
#'   `categorical_crossentropy` (and other losses), ids from 0 for
#'   `sparse_categorical_crossentropy`, 0/1 (the second level is 1) for a
#'   two-level factor with `binary_crossentropy`; `predict(type = "class")`
#'   returns a factor with its levels.
#'
#'   A formula `fit(model, y ~ x1 + x2, data = df)` (or `y ~ .`, all other
#'   columns) takes the target and the predictors from `df`. Predictors are
#'   columns or transformations (`log(x1)`); interactions (`x1:x2`) are not
#'   supported, and the intercept is the model's own bias. `evaluate(model,
#'   y ~ x1 + x2, data = df)` reads the same way, and `predict(model, df)`
#'   uses the formula's terms.
#' @examples
#' if (tb_available()) {
#'   x <- matrix(runif(200), ncol = 2)
#'   y <- x %*% c(2, -1) + 0.5
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = optimizer_sgd(0.1), loss = "mse")
#'   history <- model %>% fit(x, y, epochs = 5, verbose = 0)
#'   history
#'   # a data frame with a factor, by formula
#'   df <- data.frame(a = runif(60), b = factor(sample(c("u", "v", "w"), 60, TRUE)))
#'   df$y <- 2 * df$a + (df$b == "v")
#'   model2 <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 1)
#'   model2 %>% compile(optimizer = "adam", loss = "mse")
#'   model2 %>% fit(y ~ a + b, data = df, epochs = 2, verbose = 0)
#'   predict(model2, df[1:3, ])
#' }
#' @export
fit <- function(object, ...) UseMethod("fit")

#' @rdname fit
#' @export
fit.default <- function(object, ...) tb_check_model(object, "fit")

#' @rdname fit
#' @export
fit.tensorbridge_object <- function(object, x = NULL, y = NULL, batch_size = NULL, epochs = 10,
                                    verbose = getOption("keras.fit_verbose", default = 1),
                                    callbacks = NULL, validation_split = 0,
                                    validation_data = NULL, shuffle = TRUE,
                                    class_weight = NULL, sample_weight = NULL,
                                    initial_epoch = 0, steps_per_epoch = NULL,
                                    validation_steps = NULL, ..., data = NULL,
                                    factors = c("one_hot", "integer"), workers = 1,
                                    max_queue_size = 10) {
  tb_check_model(object, "fit")
  check_dots_empty(...)
  factors <- check_string(factors[[1]], "factors", choices = c("one_hot", "integer"))
  given <- epochs
  epochs <- check_count(epochs)
  initial_epoch <- check_count(initial_epoch, min = 0)
  if (initial_epoch >= epochs) {
    tb_arg_error("epochs", paste0("larger than `initial_epoch` (", initial_epoch,
                                  "): the epoch to stop at"), given)
  }
  model_data <- tb_model_data(object, x, y, data, factors, "fit")
  history <- tb_keras_method(object, "fit", list(
    x = model_data$x, y = model_data$y,
    batch_size = check_count(batch_size, null_ok = TRUE), epochs = epochs,
    verbose = check_verbose(verbose), callbacks = check_callbacks(callbacks),
    validation_split = check_number(validation_split, min = 0, max = 1, max_open = TRUE),
    validation_data = tb_validation_data(object, validation_data, model_data$spec),
    shuffle = check_flag(shuffle), class_weight = check_class_weight(class_weight),
    sample_weight = check_sample_weight(sample_weight), initial_epoch = initial_epoch,
    steps_per_epoch = check_count(steps_per_epoch, null_ok = TRUE),
    validation_steps = check_count(validation_steps, null_ok = TRUE),
    workers = check_count(workers, min = 0), max_queue_size = check_count(max_queue_size)
  ))
  as_training_history(history)
}

#' Evaluate a model
#'
#' @inheritParams fit.tensorbridge_object
#' @param verbose 0 (silent), 1 (progress bar), 2 or `"auto"`.
#' @param steps Batches to evaluate (a positive whole number; default: all
#'   the data, or one pass over a dataset; required for a generator
#'   function).
#' @param callbacks List of callbacks (their test hooks are called).
#' @param data A data frame holding the variables of the formula `x`.
#' @param ... Unused; anything given is an error.
#' @return A named list: the loss and each metric.
#' @examples
#' if (tb_available()) {
#'   x <- matrix(runif(20), ncol = 2)
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "sgd", loss = "mse", metrics = "mae")
#'   model %>% evaluate(x, rowSums(x), verbose = 0)
#' }
#' @export
evaluate <- function(object, ...) UseMethod("evaluate")

#' @rdname evaluate
#' @export
evaluate.default <- function(object, ...) tb_check_model(object, "evaluate")

#' @rdname evaluate
#' @export
evaluate.tensorbridge_object <- function(object, x = NULL, y = NULL, batch_size = NULL,
                                         verbose = "auto", sample_weight = NULL,
                                         steps = NULL, callbacks = NULL, ..., data = NULL,
                                         workers = 1, max_queue_size = 10) {
  tb_check_model(object, "evaluate")
  check_dots_empty(...)
  model_data <- tb_model_data(object, x, y, data, NULL, "evaluate")
  tb_keras_method(object, "evaluate", list(
    x = model_data$x, y = model_data$y,
    batch_size = check_count(batch_size, null_ok = TRUE), verbose = check_verbose(verbose),
    sample_weight = check_sample_weight(sample_weight),
    steps = check_count(steps, null_ok = TRUE), callbacks = check_callbacks(callbacks),
    return_dict = TRUE, workers = check_count(workers, min = 0),
    max_queue_size = check_count(max_queue_size)
  ))
}

#' Predict with a model
#'
#' @param object A model.
#' @inheritParams fit.tensorbridge_object
#' @param verbose 0 (silent), 1 (progress bar), 2 or `"auto"`.
#' @param steps Batches to predict (a positive whole number; default: all
#'   the data, or one pass over a dataset; required for a generator
#'   function, which returns `list(x)` or `x`).
#' @param callbacks List of callbacks (their predict hooks are called).
#' @param type `"response"`: the model's outputs; `"class"`: for a model
#'   fitted on a factor `y`, a factor with its levels (the most probable
#'   class, or for one output unit, the second level where the output is
#'   above 0.5).
#' @param data A data frame holding the variables of the formula `x`
#'   (`predict(model, ~ x1 + x2, data = df)`); a model fitted with a formula
#'   also takes the data frame itself as `x`.
#' @param ... Unused; anything given is an error (e.g. keras' `simplify`
#'   is not supported).
#' @return An array of predictions with one row per sample (a list of arrays
#'   for several outputs), or a factor (`type = "class"`).
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 3)
#'   predict(model, matrix(runif(10), ncol = 2))
#' }
#' @importFrom stats predict
#' @export
predict.tensorbridge_object <- function(object, x, batch_size = NULL, verbose = 0,
                                        steps = NULL, callbacks = NULL, ...,
                                        type = c("response", "class"), data = NULL,
                                        workers = 1, max_queue_size = 10) {
  tb_check_model(object, "predict")
  check_dots_empty(...)
  type <- check_string(type[[1]], "type", choices = c("response", "class"))
  model_data <- tb_model_data(object, x, NULL, data, NULL, "predict")
  pred <- tb_keras_method(object, "predict", list(
    x = model_data$x, batch_size = check_count(batch_size, null_ok = TRUE),
    verbose = check_verbose(verbose), steps = check_count(steps, null_ok = TRUE),
    callbacks = check_callbacks(callbacks), workers = check_count(workers, min = 0),
    max_queue_size = check_count(max_queue_size)
  ))
  if (type == "class") tb_predict_classes(object, pred) else pred
}

#' Single-batch training, evaluation and prediction
#'
#' One gradient update on a batch, the loss and metrics on a batch, or the
#' predictions for a batch.
#'
#' @param object A (compiled) model.
#' @param x,y A batch of inputs and targets.
#' @param sample_weight,class_weight Optional weights.
#' @return `train_on_batch()` and `test_on_batch()`: the loss and metrics
#'   (a named list); `predict_on_batch()`: the predictions.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "sgd", loss = "mse")
#'   x <- matrix(runif(8), 4)
#'   train_on_batch(model, x, rowSums(x))
#'   test_on_batch(model, x, rowSums(x))
#'   predict_on_batch(model, x)
#' }
#' @name on_batch
NULL

#' @rdname on_batch
#' @export
train_on_batch <- function(object, x, y, sample_weight = NULL, class_weight = NULL) {
  tb_check_model(object, "train_on_batch")
  tb_keras_method(object, "train_on_batch", list(
    x = check_model_data(x, null_ok = FALSE), y = check_model_data(y, null_ok = FALSE),
    sample_weight = check_sample_weight(sample_weight),
    class_weight = check_class_weight(class_weight), return_dict = TRUE))
}

#' @rdname on_batch
#' @export
test_on_batch <- function(object, x, y, sample_weight = NULL) {
  tb_check_model(object, "test_on_batch")
  tb_keras_method(object, "test_on_batch", list(
    x = check_model_data(x, null_ok = FALSE), y = check_model_data(y, null_ok = FALSE),
    sample_weight = check_sample_weight(sample_weight), return_dict = TRUE))
}

#' @rdname on_batch
#' @export
predict_on_batch <- function(object, x) {
  tb_check_model(object, "predict_on_batch")
  x <- check_model_data(x, null_ok = FALSE)
  tb_method(object, "predict_on_batch", x)
}

#' Model summary
#'
#' Prints keras' table of layers, output shapes and parameter counts.
#'
#' @param object,x A model.
#' @param line_length Width of the table (a whole number >= 40, or `NULL`).
#' @param ... Unused (for `summary()`, anything given is an error).
#' @return `object`, invisibly.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 784) %>%
#'     layer_dense(units = 256, activation = "relu") %>%
#'     layer_dense(units = 10, activation = "softmax")
#'   summary(model)
#' }
#' @export
summary.tensorbridge_object <- function(object, line_length = NULL, ...) {
  if (!tb_is_model(object)) return(NextMethod())
  check_dots_empty(...)
  cat(tb_keras_method(object, "summary_string",
                      list(line_length = check_count(line_length, min = 40, null_ok = TRUE))),
      "\n", sep = "")
  invisible(object)
}

#' @rdname summary.tensorbridge_object
#' @export
format.tensorbridge.engine.keras.model.Model <- function(x, ...) {
  tb_method(x, "summary_string")
}

#' Inspect and change a model's weights and layers
#'
#' * `get_weights()` / `set_weights()`: the weights as a list of R arrays, in
#'   layer order (kernels are input-by-output matrices);
#' * `get_layer()`: a layer by name or by position (from 1);
#' * `pop_layer()`: removes the last layer of a sequential model;
#' * `freeze_weights()` / `unfreeze_weights()`: stop or resume training the
#'   weights of the whole model or of the layers `from` .. `to`;
#' * `count_params()`: the number of weights.
#'
#' @param object A model (or, for weights and `count_params()`, a layer).
#' @param weights A list of arrays shaped like `get_weights()`'s.
#' @param name Layer name.
#' @param index Layer position, from 1 (negative positions count from the
#'   end: `-1` is the last layer). Give `name` or `index`.
#' @param from,to First and last layer (names or positions) to (un)freeze.
#' @return `get_weights()`: a list of arrays; `get_layer()`: a layer;
#'   `count_params()`: a number; the others: `object`, invisibly.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 3) %>%
#'     layer_dense(units = 2, name = "hidden") %>%
#'     layer_dense(units = 1)
#'   w <- get_weights(model)
#'   set_weights(model, lapply(w, function(a) a * 0))
#'   count_params(model)
#'   get_layer(model, name = "hidden")
#'   freeze_weights(model, to = "hidden")
#' }
#' @name model-weights
NULL

#' @rdname model-weights
#' @export
get_weights <- function(object) {
  check_layer(object)
  tb_method(object, "get_weights")
}

# A model or a layer (what has weights).
check_layer <- function(object, arg = "object") {
  if (!tb_is_a(object, ".Layer")) tb_arg_error(arg, "a model or a layer", object)
  object
}

#' @rdname model-weights
#' @export
set_weights <- function(object, weights) {
  check_layer(object)
  ok <- is.list(weights) && !is.object(weights) && all(vapply(weights, function(w) {
    (is.numeric(w) || is.logical(w)) && !is.object(w) || inherits(w, "tensorbridge_object")
  }, logical(1)))
  if (!ok) tb_arg_error("weights", "a list of numeric arrays, as get_weights() returns", weights)
  tb_method(object, "set_weights", weights)
  invisible(object)
}

#' @rdname model-weights
#' @export
get_layer <- function(object, name = NULL, index = NULL) {
  tb_check_model(object, "get_layer")
  name <- check_string(name, null_ok = TRUE)
  if (!is.null(name) && !is.null(index)) {
    tb_arg_error("index", "NULL when `name` is given (give one of them)", index)
  }
  if (is.null(name) && is.null(index)) {
    tb_arg_error("name", "one string when `index` is NULL (give one of them)", name)
  }
  if (!is.null(index)) index <- layer_index(object, index, "index") - 1L
  tb_keras_method(object, "get_layer", list(name = name, index = index))
}

#' @rdname model-weights
#' @export
pop_layer <- function(object) {
  if (!tb_is_sequential(object)) {
    tb_arg_error("object", "a sequential model (keras_model_sequential())", object)
  }
  tb_method(object, "pop")
  invisible(object)
}

# A layer position as keras R counts them: 1 is the first layer, -1 the last;
# returned from 1.
layer_index <- function(object, index, arg) {
  n <- length(tb_getattr(object, "layers"))
  if (length(index) != 1 || !is.null(dim(index)) || !tb_is_whole(index, -n, n) || index == 0) {
    tb_arg_error(arg, paste0("a layer position from 1 to ", n, " (or -1 to -", n,
                             " from the end): the model has ", n,
                             if (n == 1) " layer" else " layers"), index)
  }
  index <- as.integer(index)
  if (index < 0) n + index + 1L else index
}

layer_positions <- function(object, from, to) {
  layers <- tb_getattr(object, "layers")
  names <- vapply(layers, function(l) tb_getattr(l, "name"), "")
  position <- function(which, default, arg) {
    if (is.null(which)) return(default)
    if (is.character(which) && length(which) == 1 && !is.na(which)) {
      i <- match(which, names)
      if (is.na(i)) {
        tb_arg_error(arg, paste0("the name or position of one of the model's layers (",
                                 paste0('"', names, '"', collapse = ", "), ")"), which)
      }
      return(i)
    }
    layer_index(object, which, arg)
  }
  first <- position(from, 1L, "from")
  last <- position(to, length(layers), "to")
  if (first > last) {
    tb_arg_error("to", paste0("a layer at or after `from` (layer ", first, ")"), to)
  }
  list(layers = layers, range = seq(first, last))
}

set_trainable <- function(object, from, to, value) {
  check_layer(object)
  if (!tb_is_model(object) && (!is.null(from) || !is.null(to))) {
    tb_arg_error("object", "a model when `from` or `to` is given", object)
  }
  if (is.null(from) && is.null(to)) {
    tb_call("bridge.api.set_attr", object, "trainable", value)
  } else {
    sel <- layer_positions(object, from, to)
    for (i in sel$range) tb_call("bridge.api.set_attr", sel$layers[[i]], "trainable", value)
  }
  invisible(object)
}

#' @rdname model-weights
#' @export
freeze_weights <- function(object, from = NULL, to = NULL) {
  set_trainable(object, from, to, FALSE)
}

#' @rdname model-weights
#' @export
unfreeze_weights <- function(object, from = NULL, to = NULL) {
  set_trainable(object, from, to, TRUE)
}

#' @rdname model-weights
#' @export
count_params <- function(object) {
  check_layer(object)
  tb_method(object, "count_params")
}

#' Model and layer configuration
#'
#' `get_config()` gives a model's or layer's configuration as an R list (its
#' class kept as an attribute), `from_config()` rebuilds it (with fresh
#' weights); `model_to_json()` / `model_from_json()` and `model_to_yaml()` /
#' `model_from_yaml()` do the same through a JSON or YAML text.
#'
#' Reading a text never runs code: `model_from_yaml()` reads plain YAML data
#' only (no tags that make objects, no aliases), and both readers check the
#' text's size and depth before building anything.
#'
#' @param object A model or layer.
#' @param config A list from `get_config()`.
#' @param custom_objects A named list of the classes written in R that the
#'   configuration uses (as for [load_model()]), or `NULL`. A configuration
#'   from `get_config()` of an object of a class written in R needs none: it
#'   carries its class.
#' @param json A JSON string from `model_to_json()`.
#' @param yaml A YAML string from `model_to_yaml()`.
#' @return A list, a JSON or YAML string, or a new model or layer.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
#'   json <- model_to_json(model)
#'   twin <- model_from_json(json)
#'   yaml <- model_to_yaml(model)
#'   cat(yaml)
#'   twin2 <- model_from_yaml(yaml)
#'   twin3 <- from_config(get_config(model))
#' }
#' @name model-config
NULL

#' @rdname model-config
#' @export
get_config <- function(object) {
  check_layer(object)
  config <- tb_method(object, "get_config")
  klass <- tb_getattr(object, "__class__")
  attr(config, "class_name") <- tb_getattr(klass, "__name__")
  attr(config, "config_class") <- klass
  config
}

#' @rdname model-config
#' @export
from_config <- function(config, custom_objects = NULL) {
  if (!is.list(config) || is.object(config)) {
    tb_arg_error("config", "a list from get_config()", config)
  }
  custom_objects <- tb_custom_objects(custom_objects)
  class_name <- attr(config, "class_name") %||% "Functional"
  klass <- attr(config, "config_class")
  if (!is.null(klass) && !class_name %in% c("Sequential", "Model", "Functional") &&
      is.null(custom_objects[[class_name]])) {
    # a class written in R carries itself
    custom_objects <- c(custom_objects, stats::setNames(list(klass), class_name))
  }
  attributes(config) <- list(names = names(config))
  if (!is.null(klass) && tb_is_class_handle(klass, "model") ||
      class_name %in% c("Sequential", "Model", "Functional")) {
    return(tb_call("bridge.rclasses.model_from_text",
                   list(class_name = class_name, config = config),
                   custom_objects = custom_objects, format = "config"))
  }
  tb_call("engine.keras.layers.deserialize", list(class_name = class_name, config = config),
          custom_objects)
}

#' @rdname model-config
#' @export
model_to_json <- function(object) {
  tb_check_model(object)
  tb_method(object, "to_json")
}

#' @rdname model-config
#' @export
model_from_json <- function(json, custom_objects = NULL) {
  tb_model_from_text(check_string(json), custom_objects, "json")
}

#' @rdname model-config
#' @export
model_to_yaml <- function(object) {
  tb_check_model(object)
  tb_method(object, "to_yaml")
}

#' @rdname model-config
#' @export
model_from_yaml <- function(yaml, custom_objects = NULL) {
  tb_model_from_text(check_string(yaml), custom_objects, "yaml")
}

tb_model_from_text <- function(text, custom_objects, format) {
  tb_call("bridge.rclasses.model_from_text", text, format = format,
          custom_objects = tb_custom_objects(custom_objects, fn = paste0("model_from_", format)))
}

`%||%` <- function(a, b) if (is.null(a)) b else a
