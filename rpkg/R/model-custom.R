# Models whose code the user writes in R: new_model_class() (keras 3) and
# keras_model_custom() (keras 2), with train_step()/test_step()/predict_step()
# overrides.
#
# A model class written in R is a Python class made at run time on the
# bridge's RModel (bridge/rclasses.py), with the machinery of layer classes
# written in R (layers-custom.R): each method is an R function evaluated with
# `self` and `super` in scope.

#' Define a model class in R
#'
#' A model whose forward pass is an R function `call()`: layers assigned to
#' `self` in `initialize()` are tracked (their weights are the model's and
#' are trained), and the model works with [compile()], [fit()],
#' [evaluate()], [predict()] and, once built (called on data or fitted),
#' `summary()`.
#'
#' Defining `train_step(data)` replaces what `fit()` does with each batch
#' (`test_step(data)`: `evaluate()` and validation; `predict_step(data)`:
#' `predict()`), keras 2 style: `data` is `list(x, y)` (or `list(x, y,
#' sample_weight)` when there are sample weights; `list(x)` for
#' `predict_step()`), tensors. In the step, `self$compiled_loss(y, y_pred,
#' regularization_losses = self$losses)` computes the loss given to
#' `compile()`, `self$compiled_metrics$update_state(y, y_pred)` updates the
#' compiled metrics, `self$optimizer$apply_gradients(zip_lists(gradients,
#' self$trainable_variables))` makes an optimizer step, and `self$metrics`
#' lists the metrics (the loss first, then the compiled metrics, then metric
#' objects assigned to `self`, all reset at the start of each epoch).
#' `train_step()` and `test_step()` return a named list of metric values,
#' which the progress bar, the callbacks and the history receive;
#' `predict_step()` returns the predictions (a tensor). `super$train_step(data)`
#' runs the built-in step. A model with its own `train_step()` (`test_step()`)
#' may be fitted (evaluated) without targets, `fit(x)`: `data` is then the
#' inputs alone, as in keras' autoencoder and GAN examples. keras 2.13's `self$compute_loss(x, y, y_pred,
#' sample_weight)` and `self$compute_metrics(x, y, y_pred, sample_weight)`
#' (which returns every metric's result by name) are there too.
#'
#' keras 3 style: a model with its own `train_step()` may be compiled without
#' a loss and keep its own metric objects (e.g. `self$loss_tracker <-
#' keras$metrics$Mean(name = "loss")`); a method `metrics = function()
#' list(self$loss_tracker)` then lists them as `self$metrics`, and `fit()`
#' resets them at the start of each epoch.
#'
#' A model of a class written in R saves with [save_model()] once built
#' (fitted or called on data): the file holds its config -- what a method
#' `get_config = function() list(...)` returns, or by default the arguments
#' the model was made with -- and its input shape and weights. [load_model()]
#' rebuilds it when given the class: `load_model(path, custom_objects =
#' list(MyModel = MyModel))`; losses and metrics written in R are passed the
#' same way.
#'
#' @param classname The class's name (letters, digits, underscores).
#' @param initialize `function(...)`: the constructor; calls
#'   `super$initialize(...)` (keras 2: `super()$`__init__`(...)`) first, then
#'   makes the layers (`self$dense <- layer_dense(units = 4)`).
#' @param call `function(inputs)`: the forward pass on tensors; may take
#'   `training` and `mask`, then passed.
#' @param train_step,test_step,predict_step `function(data)`: optional
#'   overrides of what `fit()`, `evaluate()` and `predict()` do with a batch
#'   (see Details).
#' @param ... Further methods, named (helpers called as `self$name(...)`;
#'   `metrics`, see Details).
#' @param inherit A model class made with `new_model_class()` to extend
#'   (`NULL`: a plain model).
#' @return A model class: a function whose arguments go to `initialize()` and
#'   that returns a model.
#' @family custom models
#' @seealso [new_layer_class()] for layers.
#' @examples
#' if (tb_available()) {
#'   TwoLayers <- new_model_class(
#'     "TwoLayers",
#'     initialize = function(units, ...) {
#'       super$initialize(...)
#'       self$hidden <- layer_dense(units = units, activation = "relu")
#'       self$out <- layer_dense(units = 1)
#'     },
#'     call = function(inputs) self$out(self$hidden(inputs))
#'   )
#'   model <- TwoLayers(units = 8)
#'   model %>% compile(optimizer = "sgd", loss = "mse")
#'   x <- matrix(runif(40), 10)
#'   fit(model, x, rowSums(x), epochs = 2, verbose = 0)
#'   predict(model, x, verbose = 0)
#' }
#' @export
new_model_class <- function(classname, initialize = NULL, call = NULL, train_step = NULL,
                            predict_step = NULL, test_step = NULL, ..., inherit = NULL) {
  methods <- c(list(initialize = initialize, call = call, train_step = train_step,
                    predict_step = predict_step, test_step = test_step),
               list(...))
  tb_make_layer_class(classname, methods, inherit, "new_model_class", kind = "model")
}

#' @export
print.tensorbridge_model_class <- function(x, ...) {
  cat("<model class ", attr(x, "classname"), " written in R>\n", sep = "")
  invisible(x)
}

#' Create a model from an R function (keras 2 style)
#'
#' keras R 2.x's way to write a model in R: `model_fn(self)` makes the
#' layers, assigning them to `self` (so they are tracked and their weights
#' trained), and returns the forward pass, `function(inputs, mask = NULL,
#' training = FALSE)` (the `mask` and `training` arguments are optional; they
#' are passed when the function has them and the caller gives them). The
#' model works with [compile()], [fit()], [evaluate()], [predict()], and
#' `summary()` once built. For a custom training step, use
#' [new_model_class()].
#'
#' @param model_fn `function(self)`: makes the layers and returns the forward
#'   pass (an R function of the input tensor).
#' @param name The model's name (`NULL`: one is made up).
#' @return A model.
#' @family custom models
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_custom(name = "mlp", function(self) {
#'     self$dense1 <- layer_dense(units = 8, activation = "relu")
#'     self$dense2 <- layer_dense(units = 1)
#'     function(inputs, mask = NULL, training = FALSE) {
#'       inputs %>% self$dense1() %>% self$dense2()
#'     }
#'   })
#'   model %>% compile(optimizer = "sgd", loss = "mse")
#'   x <- matrix(runif(40), 10)
#'   fit(model, x, rowSums(x), epochs = 2, verbose = 0)
#'   summary(model)
#' }
#' @export
keras_model_custom <- function(model_fn, name = NULL) {
  if (missing(model_fn)) {
    tb_arg_error("model_fn", "a function(self) that makes the layers and returns the forward pass")
  }
  if (!is.function(model_fn) || is.primitive(model_fn) || length(formals(model_fn)) < 1) {
    tb_arg_error("model_fn",
                 "a function(self) that makes the layers and returns the forward pass",
                 model_fn)
  }
  name <- check_string(name, "name", null_ok = TRUE)
  state <- new.env(parent = emptyenv())
  initialize <- function(...) {
    super$initialize(...)
    forward <- model_fn(self)
    if (!is.function(forward)) {
      stop(tb_condition(paste0(
        "keras_model_custom(): `model_fn` must return the forward pass, a function(inputs, ",
        "mask = NULL, training = FALSE), not ", tb_describe(forward), ".")))
    }
    state$forward <- forward
    state$formals <- names(formals(args(forward)))
  }
  call <- function(inputs, mask = NULL, training = NULL) {
    extra <- list()
    if (!is.null(mask) && "mask" %in% state$formals) extra$mask <- mask
    if (!is.null(training) && "training" %in% state$formals) extra$training <- training
    do.call(state$forward, c(list(inputs), extra))
  }
  klass <- tb_make_layer_class("CustomModel", list(initialize = initialize, call = call),
                               NULL, "keras_model_custom", kind = "model")
  if (is.null(name)) klass() else klass(name = name)
}
