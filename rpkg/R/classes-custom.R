# Metric, loss, callback and learning-rate schedule classes written in R
# (new_metric_class(), new_loss_class(), new_callback_class(),
# new_learning_rate_schedule_class()).

# As for layer classes (layers-custom.R), each class is a Python class made at
# run time (bridge/rclasses_objects.py) whose methods are the user's R
# functions, evaluated with `self` (the object) and `super` (the parent class)
# in scope; tb_class_methods() wraps them.

tb_object_kind_names <- c(metric = "metric", loss = "loss", callback = "callback",
                          schedule = "learning rate schedule")

tb_make_object_class <- function(kind, classname, methods, inherit, required, fn) {
  classname <- check_string(classname, "classname")
  if (!grepl("^[A-Za-z_][A-Za-z0-9_]*$", classname)) {
    tb_arg_error("classname", "a name such as \"MyClass\" (letters, digits and underscores)",
                 classname, fn = fn)
  }
  for (nm in names(required)) {
    if (is.null(methods[[nm]])) tb_arg_error(nm, required[[nm]], fn = fn)
  }
  parent <- NULL
  if (!is.null(inherit)) {
    if (inherits(inherit, "tensorbridge_object_class") &&
        identical(attr(inherit, "kind"), kind)) {
      parent <- environment(inherit)$.tb_class
    } else if (tb_is_class_handle(inherit, kind)) {
      parent <- inherit  # an engine class: keras$metrics$Metric, keras$metrics$Mean ...
    } else {
      kind_name <- tb_object_kind_names[[kind]]
      tb_arg_error("inherit", paste0("a ", kind_name, " class made with ", fn, "(), or a keras ",
                                     kind_name, " class (or NULL)"), inherit, fn = fn)
    }
  }
  init <- methods$initialize %||% methods$`__init__`
  methods <- tb_class_methods(methods, fn)
  py_class <- tb_call("bridge.rclasses_objects.make_object_class", kind, classname,
                      methods, parent = parent,
                      init_formals = if (is.function(init)) as.list(names(formals(args(init)))))
  .tb_class <- py_class
  f <- function(...) tb_call("bridge.rclasses_objects.instantiate", .tb_class, ...)
  # given to Python (load_model()'s custom_objects), the function is the class
  attr(f, "tb_key") <- attr(py_class, "tb_key")
  attr(f, "classname") <- classname
  attr(f, "kind") <- kind
  class(f) <- c("tensorbridge_object_class", "function")
  f
}

#' @export
print.tensorbridge_object_class <- function(x, ...) {
  cat("<", tb_object_kind_names[[attr(x, "kind")]], " class ", attr(x, "classname"),
      " written in R: call it to make one>\n", sep = "")
  invisible(x)
}

#' Define a metric, loss, callback or learning rate schedule class in R
#'
#' Each function makes a class whose methods are R functions and returns its
#' constructor: call it (with the arguments of `initialize`) to make an
#' object, which is used where keras takes the built-in ones:
#' `compile(metrics = list(MyMetric()))`, `compile(loss = MyLoss())`,
#' `fit(callbacks = list(MyCallback()))`,
#' `optimizer_sgd(learning_rate = MySchedule(...))`.
#'
#' As in [new_layer_class()], each method is evaluated with `self` (the
#' object: `self$total`, `self$total <- ...`) and `super` (the parent
#' class: `super$initialize(...)`, keras 2's `super()$`__init__`(...)`) in
#' scope. An `initialize` method must call `super$initialize(...)` first,
#' passing on `...` (a metric's `name` and `dtype`, a loss's `reduction` and
#' `name`).
#'
#' * A metric accumulates in weights made with `self$add_weight(name, shape,
#'   initializer = "zeros")` (variables: `$assign()`, `$assign_add()`) in
#'   `update_state(y_true, y_pred, sample_weight = NULL)`, which gets tensors
#'   (the batch's targets and predictions); `result()` returns its value (a
#'   tensor or a number); `reset_state()` (optional: by default the weights
#'   go back to their initial values) runs at the start of each epoch. The
#'   history names the metric by its `name` (by default the class name in
#'   snake case).
#' * A loss's `call(y_true, y_pred)` returns a tensor of losses, one per
#'   sample (or one value), computed with tensor operations so that it has a
#'   gradient; the base class reduces it as `reduction` says
#'   (`"sum_over_batch_size"`: the mean).
#' * A callback's hooks are called with keras' arguments: the epoch hooks
#'   with `(epoch, logs)`, the batch hooks with `(batch, logs)`, the others
#'   with `(logs)`; epochs and batches count from 0, `logs` is a named list
#'   (the loss and metrics). `self$model` is the model being trained,
#'   `self$params` the settings of the run.
#' * A learning rate schedule's `call(step)` gets the optimizer's step count
#'   (a float tensor, from 0) and returns the learning rate of that step (a
#'   tensor or a number, finite and >= 0).
#'
#' The objects carry keras' class names after their own, so keras code's
#' checks hold: `inherits(x, "keras.metrics.Metric")`, `"keras.losses.Loss"`,
#' `"keras.callbacks.Callback"`,
#' `"keras.optimizers.schedules.learning_rate_schedule.LearningRateSchedule"`
#' (as models carry `"keras.engine.training.Model"` and layers
#' `"keras.engine.base_layer.Layer"`).
#'
#' @param classname The class's name (letters, digits, underscores).
#' @param initialize `function(...)`: the constructor (optional).
#' @param update_state `function(y_true, y_pred, sample_weight = NULL)`:
#'   accumulates a batch.
#' @param result `function()`: the metric's value.
#' @param reset_state `function()`: resets the accumulators (optional; keras
#'   2.x's older name `reset_states` is taken too).
#' @param call A loss's `function(y_true, y_pred)`, or a schedule's
#'   `function(step)`.
#' @param on_epoch_begin,on_epoch_end,on_train_begin,on_train_end,on_train_batch_begin,on_train_batch_end
#'   Callback hooks (optional); further hooks (`on_test_*`, `on_predict_*`)
#'   go in `...`.
#' @param ... Further methods, named (e.g. a helper called as
#'   `self$helper(...)`, `get_config`).
#' @param inherit A class of the same kind made with the same function, or
#'   a keras class of that kind (e.g. `keras$metrics$Mean`), to extend
#'   (`NULL`: the base class).
#' @return The class's constructor, a function that makes an object.
#' @family custom classes
#' @examples
#' if (tb_available()) {
#'   metric_mean_abs <- new_metric_class(
#'     "MeanAbs",
#'     initialize = function(name = "mean_abs", ...) {
#'       super$initialize(name = name, ...)
#'       self$total <- self$add_weight(name = "total", initializer = "zeros")
#'       self$count <- self$add_weight(name = "count", initializer = "zeros")
#'     },
#'     update_state = function(y_true, y_pred, sample_weight = NULL) {
#'       self$total$assign_add(tf$reduce_sum(abs(y_true - y_pred)))
#'       self$count$assign_add(tf$cast(tf$size(y_true), "float32"))
#'     },
#'     result = function() self$total / self$count
#'   )
#'   loss_my_mse <- new_loss_class(
#'     "MyMSE",
#'     call = function(y_true, y_pred) tf$reduce_mean((y_pred - y_true)^2, axis = -1L)
#'   )
#'   seen <- new.env()
#'   callback_note <- new_callback_class(
#'     "Note",
#'     on_epoch_end = function(epoch, logs) seen[[as.character(epoch)]] <- logs$loss
#'   )
#'   halving <- new_learning_rate_schedule_class(
#'     "Halving",
#'     initialize = function(rate) self$rate <- rate,
#'     call = function(step) self$rate * 0.5^step
#'   )
#'   model <- keras_model_sequential(input_shape = c(2)) %>% layer_dense(1)
#'   model %>% compile(optimizer = optimizer_sgd(learning_rate = halving(0.1)),
#'                     loss = loss_my_mse(), metrics = list(metric_mean_abs()))
#'   x <- matrix(runif(20), ncol = 2)
#'   history <- model %>% fit(x, rowSums(x), epochs = 2, verbose = 0,
#'                            callbacks = list(callback_note()))
#' }
#' @export
new_metric_class <- function(classname, initialize = NULL, update_state = NULL, result = NULL,
                             reset_state = NULL, ..., inherit = NULL) {
  methods <- c(list(initialize = initialize, update_state = update_state, result = result,
                    reset_state = reset_state), list(...))
  required <- if (is.null(inherit)) list(
    update_state = "an R function function(y_true, y_pred, sample_weight = NULL)",
    result = "an R function function() returning the metric's value")
  tb_make_object_class("metric", classname, methods, inherit, required, "new_metric_class")
}

#' @rdname new_metric_class
#' @export
new_loss_class <- function(classname, call = NULL, ..., inherit = NULL) {
  methods <- c(list(call = call), list(...))
  required <- if (is.null(inherit)) list(
    call = "an R function function(y_true, y_pred) returning the losses (a tensor)")
  tb_make_object_class("loss", classname, methods, inherit, required, "new_loss_class")
}

#' @rdname new_metric_class
#' @export
new_callback_class <- function(classname, on_epoch_begin = NULL, on_epoch_end = NULL,
                               on_train_begin = NULL, on_train_end = NULL,
                               on_train_batch_begin = NULL, on_train_batch_end = NULL, ...,
                               initialize = NULL, inherit = NULL) {
  methods <- c(list(initialize = initialize, on_epoch_begin = on_epoch_begin,
                    on_epoch_end = on_epoch_end, on_train_begin = on_train_begin,
                    on_train_end = on_train_end, on_train_batch_begin = on_train_batch_begin,
                    on_train_batch_end = on_train_batch_end), list(...))
  tb_make_object_class("callback", classname, methods, inherit, NULL, "new_callback_class")
}

#' @rdname new_metric_class
#' @export
new_learning_rate_schedule_class <- function(classname, initialize = NULL, call = NULL, ...,
                                             inherit = NULL) {
  methods <- c(list(initialize = initialize, call = call), list(...))
  required <- if (is.null(inherit)) list(
    call = "an R function function(step) returning the learning rate")
  tb_make_object_class("schedule", classname, methods, inherit, required,
                       "new_learning_rate_schedule_class")
}

tb_callback_hooks <- c("on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
                       "on_train_batch_begin", "on_train_batch_end", "on_batch_begin",
                       "on_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin",
                       "on_test_batch_end", "on_predict_begin", "on_predict_end",
                       "on_predict_batch_begin", "on_predict_batch_end")

#' keras 2's R6 base class of callbacks
#'
#' A callback written as an R6 class (keras R 2.x style):
#' `R6::R6Class("MyCallback", inherit = KerasCallback, public = list(on_epoch_end
#' = function(epoch, logs) ...))`; give an object of it, `MyCallback$new()`,
#' to [fit()] in `callbacks`. Its hooks are called as those of
#' [new_callback_class()] (epochs and batches from 0, `logs` a named list);
#' `self$model` is the model being trained and `self$params` the settings of
#' the run.
#'
#' @format An R6 class generator.
#' @family custom classes
#' @examples
#' if (tb_available()) {
#'   LossRecorder <- R6::R6Class("LossRecorder", inherit = KerasCallback,
#'     public = list(
#'       losses = NULL,
#'       on_epoch_end = function(epoch, logs = list()) {
#'         self$losses <- c(self$losses, logs$loss)
#'       }
#'     ))
#'   recorder <- LossRecorder$new()
#' }
#' @name KerasCallback
#' @export KerasCallback
NULL

# (Made by a function, so that roxygen documents it as the object above.)
# Every hook does nothing.
tb_keras_callback_class <- function() {
  R6::R6Class("KerasCallback", public = c(
    list(params = NULL, model = NULL,
         set_params = function(params) self$params <- params,
         set_model = function(model) self$model <- model),
    stats::setNames(rep(list(function(...) invisible(NULL)), length(tb_callback_hooks)),
                    tb_callback_hooks)
  ))
}
KerasCallback <- tb_keras_callback_class()

# An R6 KerasCallback object as an engine callback whose hooks call its
# methods (only those it overrides); anything else is returned as it is.
tb_as_callback <- function(x) {
  if (!inherits(x, "KerasCallback") || !inherits(x, "R6")) return(x)
  base <- KerasCallback$public_methods
  hooks <- Filter(function(h) is.function(x[[h]]) && !identical(body(x[[h]]), body(base[[h]])),
                  tb_callback_hooks)
  if ("on_train_batch_begin" %in% hooks) hooks <- setdiff(hooks, "on_batch_begin")
  if ("on_train_batch_end" %in% hooks) hooks <- setdiff(hooks, "on_batch_end")
  call_hook <- function(h) {
    force(h)
    function(...) {
      x[[h]](...)
      invisible(NULL)
    }
  }
  methods <- c(lapply(stats::setNames(hooks, hooks), call_hook),
               list(set_model = function(model) x$set_model(model),
                    set_params = function(params) x$set_params(params)))
  classname <- gsub("[^A-Za-z0-9_]", "_", class(x)[[1]])
  klass <- tb_call("bridge.rclasses_objects.make_object_class", "callback", classname,
                   tb_class_methods(methods, "fit"))
  tb_call("bridge.rclasses_objects.instantiate", klass)
}
