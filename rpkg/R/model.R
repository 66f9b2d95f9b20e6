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
  if (!is.null(layers) && !is.list(layers)) layers <- list(layers)
  model <- tb_keras("Sequential", list(layers = layers, name = name))
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
  tb_keras("Model", list(inputs = inputs, outputs = outputs, name = name))
}

#' Configure a model for training
#'
#' @param object A model.
#' @param optimizer Name (`"rmsprop"`, `"adam"`, `"sgd"` ...) or an
#'   `optimizer_*()` object.
#' @param loss Name (`"categorical_crossentropy"` ...), a `loss_*()` object,
#'   or a list of them (one per output, or named by output).
#' @param metrics Character vector or list of metric names and `metric_*()`
#'   objects; `"accuracy"` becomes the accuracy that fits the loss.
#' @param loss_weights Weights of the outputs' losses (a numeric vector or
#'   named list).
#' @param ... Unused.
#' @return The model, invisibly (it is modified in place).
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 3)
#'   model %>% compile(optimizer = "adam", loss = "mse", metrics = "mae")
#' }
#' @export
compile <- function(object, ...) UseMethod("compile")

#' @rdname compile
#' @export
compile.tensorbridge_object <- function(object, optimizer = "rmsprop", loss = NULL,
                                        metrics = NULL, loss_weights = NULL, ...) {
  tb_check_model(object, "compile")
  if (is.character(metrics)) metrics <- as.list(metrics)
  if (is.character(loss) && length(loss) > 1) loss <- as.list(loss)
  if (is.numeric(loss_weights) && is.null(names(loss_weights))) {
    loss_weights <- as.list(loss_weights)
  } else if (is.numeric(loss_weights)) {
    loss_weights <- as.list(loss_weights)
  }
  tb_keras_method(object, "compile", list(optimizer = optimizer, loss = loss,
                                          metrics = metrics, loss_weights = loss_weights))
  invisible(object)
}

# x or y as the model expects them: arrays, data frames, lists for several
# inputs. Validation happens in Python, where the shapes are known.
as_model_data <- function(x) {
  if (is.null(x) || is.list(x) || is.numeric(x) || is.logical(x)) return(x)
  if (inherits(x, "tensorbridge_object")) return(x)
  stop(tb_condition(paste0("model data must be numeric arrays, matrices, data frames or ",
                           "lists of them, not ", class(x)[[1]])))
}

verbose_level <- function(verbose) {
  if (identical(verbose, "auto")) return("auto")
  as_nullable_integer(verbose, "verbose")
}

#' Train a model
#'
#' Trains for `epochs` passes over the data, printing keras' progress bar
#' (`verbose = 1`), one line per epoch (`verbose = 2`) or nothing
#' (`verbose = 0`). Interrupting (Ctrl-C) stops at the next batch; the model
#' keeps the weights of the last finished batch.
#'
#' @param object A compiled model.
#' @param x Inputs: an array or matrix (one row per sample), a data frame of
#'   numeric columns, or a list of those for several inputs.
#' @param y Targets, the same way (a list for several outputs).
#' @param batch_size Samples per gradient update (default 32).
#' @param epochs Number of passes over the data.
#' @param verbose 0, 1 or 2 (default `getOption("keras.fit_verbose", 1)`).
#' @param callbacks List of `callback_*()` objects.
#' @param validation_split Fraction (0 to < 1) of the data, taken from the
#'   end, held out for validation.
#' @param validation_data `list(x_val, y_val)` to validate on instead.
#' @param shuffle Shuffle the training data before each epoch.
#' @param class_weight Named list mapping class index (from 0) to a weight,
#'   e.g. `list("0" = 1, "1" = 5)`.
#' @param sample_weight Vector of per-sample weights.
#' @param initial_epoch Epoch to start from (to resume training).
#' @param steps_per_epoch Batches per epoch (default: all the data).
#' @param ... Unused.
#' @return A `keras_training_history` object: `plot()` it, print it, or turn
#'   it into a data frame.
#' @examples
#' if (tb_available()) {
#'   x <- matrix(runif(200), ncol = 2)
#'   y <- x %*% c(2, -1) + 0.5
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = optimizer_sgd(0.1), loss = "mse")
#'   history <- model %>% fit(x, y, epochs = 5, verbose = 0)
#'   history
#' }
#' @export
fit <- function(object, ...) UseMethod("fit")

#' @rdname fit
#' @export
fit.tensorbridge_object <- function(object, x = NULL, y = NULL, batch_size = NULL, epochs = 10,
                                    verbose = getOption("keras.fit_verbose", default = 1),
                                    callbacks = NULL, validation_split = 0,
                                    validation_data = NULL, shuffle = TRUE,
                                    class_weight = NULL, sample_weight = NULL,
                                    initial_epoch = 0, steps_per_epoch = NULL, ...) {
  tb_check_model(object, "fit")
  if (!is.null(callbacks) && !is.list(callbacks)) callbacks <- list(callbacks)
  history <- tb_keras_method(object, "fit", list(
    x = as_model_data(x), y = as_model_data(y), batch_size = as_nullable_integer(batch_size),
    epochs = as_nullable_integer(epochs), verbose = verbose_level(verbose),
    callbacks = callbacks, validation_split = validation_split,
    validation_data = validation_data, shuffle = shuffle, class_weight = class_weight,
    sample_weight = sample_weight, initial_epoch = as_nullable_integer(initial_epoch),
    steps_per_epoch = as_nullable_integer(steps_per_epoch)
  ))
  as_training_history(history)
}

#' Evaluate a model
#'
#' @inheritParams fit.tensorbridge_object
#' @param verbose 0 (silent) or 1 (progress bar).
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
evaluate.tensorbridge_object <- function(object, x = NULL, y = NULL, batch_size = NULL,
                                         verbose = "auto", sample_weight = NULL, ...) {
  tb_check_model(object, "evaluate")
  tb_keras_method(object, "evaluate", list(
    x = as_model_data(x), y = as_model_data(y), batch_size = as_nullable_integer(batch_size),
    verbose = verbose_level(verbose), sample_weight = sample_weight, return_dict = TRUE
  ))
}

#' Predict with a model
#'
#' @param object A model.
#' @inheritParams fit.tensorbridge_object
#' @param verbose 0 (silent) or 1 (progress bar).
#' @return An array of predictions with one row per sample (a list of arrays
#'   for several outputs).
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 3)
#'   predict(model, matrix(runif(10), ncol = 2))
#' }
#' @importFrom stats predict
#' @export
predict.tensorbridge_object <- function(object, x, batch_size = NULL, verbose = 0, ...) {
  tb_check_model(object, "predict")
  tb_keras_method(object, "predict", list(
    x = as_model_data(x), batch_size = as_nullable_integer(batch_size),
    verbose = verbose_level(verbose)
  ))
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
    x = as_model_data(x), y = as_model_data(y), sample_weight = sample_weight,
    class_weight = class_weight, return_dict = TRUE))
}

#' @rdname on_batch
#' @export
test_on_batch <- function(object, x, y, sample_weight = NULL) {
  tb_check_model(object, "test_on_batch")
  tb_keras_method(object, "test_on_batch", list(
    x = as_model_data(x), y = as_model_data(y), sample_weight = sample_weight,
    return_dict = TRUE))
}

#' @rdname on_batch
#' @export
predict_on_batch <- function(object, x) {
  tb_check_model(object, "predict_on_batch")
  tb_method(object, "predict_on_batch", as_model_data(x))
}

#' Model summary
#'
#' Prints keras' table of layers, output shapes and parameter counts.
#'
#' @param object,x A model.
#' @param line_length Width of the table.
#' @param ... Unused.
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
  cat(tb_keras_method(object, "summary_string",
                      list(line_length = as_nullable_integer(line_length))), "\n", sep = "")
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
#' @param index Layer position, from 1.
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
get_weights <- function(object) tb_method(object, "get_weights")

#' @rdname model-weights
#' @export
set_weights <- function(object, weights) {
  if (!is.list(weights)) {
    stop(tb_condition("`weights` must be a list of arrays, as get_weights() returns"))
  }
  tb_method(object, "set_weights", weights)
  invisible(object)
}

#' @rdname model-weights
#' @export
get_layer <- function(object, name = NULL, index = NULL) {
  tb_check_model(object, "get_layer")
  if (!is.null(index)) index <- as_nullable_integer(index) - 1L
  tb_keras_method(object, "get_layer", list(name = name, index = index))
}

#' @rdname model-weights
#' @export
pop_layer <- function(object) {
  if (!tb_is_sequential(object)) {
    stop(tb_condition("pop_layer() needs a sequential model"))
  }
  tb_method(object, "pop")
  invisible(object)
}

layer_positions <- function(object, from, to) {
  layers <- tb_getattr(object, "layers")
  names <- vapply(layers, function(l) tb_getattr(l, "name"), "")
  position <- function(which, default) {
    if (is.null(which)) return(default)
    if (is.character(which)) {
      i <- match(which, names)
      if (is.na(i)) stop(tb_condition(paste0("the model has no layer named '", which, "'")))
      return(i)
    }
    as_nullable_integer(which)
  }
  list(layers = layers, range = seq(position(from, 1L), position(to, length(layers))))
}

set_trainable <- function(object, from, to, value) {
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
count_params <- function(object) tb_method(object, "count_params")

#' Model and layer configuration
#'
#' `get_config()` gives a model's or layer's configuration as an R list,
#' `from_config()` rebuilds it (with fresh weights); `model_to_json()` and
#' `model_from_json()` do the same through a JSON string.
#'
#' @param object A model or layer.
#' @param config A list from `get_config()`.
#' @param json A JSON string from `model_to_json()`.
#' @param class_name For a layer configuration, the layer class (e.g.
#'   `"Dense"`); `NULL` for a model.
#' @return A list, a JSON string, or a new model or layer.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
#'   json <- model_to_json(model)
#'   twin <- model_from_json(json)
#' }
#' @name model-config
NULL

#' @rdname model-config
#' @export
get_config <- function(object) {
  config <- tb_method(object, "get_config")
  attr(config, "class_name") <- tb_getattr(tb_getattr(object, "__class__"), "__name__")
  config
}

#' @rdname model-config
#' @export
from_config <- function(config, class_name = attr(config, "class_name")) {
  if (is.null(class_name) || class_name %in% c("Sequential", "Model", "Functional")) {
    return(tb_call("engine.keras.saving.model_from_dict",
                   list(class_name = class_name %||% "Functional", config = config)))
  }
  tb_call("engine.keras.layers.deserialize", list(class_name = class_name, config = config))
}

#' @rdname model-config
#' @export
model_to_json <- function(object) tb_method(object, "to_json")

#' @rdname model-config
#' @export
model_from_json <- function(json) tb_call("engine.keras.models.model_from_json", json)

`%||%` <- function(a, b) if (is.null(a)) b else a
