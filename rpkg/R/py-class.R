# keras R's other ways to write a class: `%py_class%` (with `%<-active%`
# properties) and keras 3's constructors Model(), Metric(), Loss(),
# Callback() and LearningRateSchedule(). Each makes its class with the same
# functions as new_layer_class() and friends (layers-custom.R,
# classes-custom.R); only the way the members are written differs.

#' Define a class with a class body: `\%py_class\%`
#'
#' keras R's `\%py_class\%` writes a class the way Python does: the left side
#' names the class and its base class, the right side is a block whose
#' functions are the methods (`initialize`, `build`, `call`, `get_config`,
#' `update_state` ... and any helper) and whose other values are class
#' attributes. The class is assigned to its name in the calling environment
#' (and returned invisibly). The base class decides what is made: a keras
#' layer class (`keras$layers$Layer`, or one to extend such as
#' `keras$layers$Dense`, or a layer class made in R) gives a layer class as
#' [Layer()] returns; `keras$Model` a model class as [new_model_class()]
#' does; `keras$metrics$Metric`, `keras$losses$Loss`,
#' `keras$callbacks$Callback`,
#' `keras$optimizers$schedules$LearningRateSchedule` (or such a class made in
#' R) the classes of [new_metric_class()] and its siblings. Methods see
#' `self` and `super` as there.
#'
#' In the body, `name \%<-active\% function(value) ...` makes a property:
#' reading `obj$name` calls the function without `value`, assigning
#' `obj$name <- v` calls it with `value = v`. Outside a class body,
#' `\%<-active\%` makes an active binding ([makeActiveBinding()]) in the
#' calling environment.
#'
#' @param spec `ClassName(BaseClass)`: the new class's name and its base.
#' @param body The class body, in braces.
#' @param sym A name.
#' @param value A function `function(value)`.
#' @return `\%py_class\%`: the class, invisibly (also assigned to its name).
#'   `\%<-active\%`: `value`, invisibly.
#' @family custom layers
#' @examples
#' if (tb_available()) {
#'   Scale(keras$layers$Layer) %py_class% {
#'     initialize <- function(factor = 2, ...) {
#'       super$initialize(...)
#'       self$factor <- factor
#'     }
#'     call <- function(inputs) inputs * self$factor
#'     half %<-active% function(value) {
#'       if (missing(value)) self$factor / 2 else self$factor <- value * 2
#'     }
#'   }
#'   layer <- Scale(factor = 3)
#'   layer$half
#'   model <- keras_model_sequential(input_shape = 2) %>% Scale(factor = 10)
#'   predict(model, matrix(1:4, 2), verbose = 0)
#' }
#' @export
`%py_class%` <- function(spec, body) {
  spec <- substitute(spec)
  body <- substitute(body)
  env <- parent.frame()
  if (!is.call(spec) || !is.name(spec[[1]]) || length(spec) != 2) {
    tb_stop("%py_class%: the left side must name the class and its base class, as in ",
            "MyLayer(keras$layers$Layer) %py_class% { ... }")
  }
  classname <- as.character(spec[[1]])
  base <- eval(spec[[2]], env)
  members <- new.env(parent = env)
  eval(body, members)
  active <- members$.tb_active %||% list()
  names_all <- setdiff(ls(members, all.names = TRUE), c(".tb_active", names(active)))
  values <- mget(names_all, envir = members)
  is_method <- vapply(values, is.function, logical(1))
  methods <- values[is_method]
  attributes <- values[!is_method]
  kind <- tb_class_kind_of(base)
  klass <- switch(
    kind,
    layer = tb_make_layer_class(classname, methods, base, "%py_class%"),
    model = tb_make_layer_class(classname, methods, base, "%py_class%", kind = "model"),
    tb_make_object_class(kind, classname, methods, base, NULL, "%py_class%")
  )
  py_class <- tb_layer_class_of(klass) %||% environment(klass)$.tb_class
  if (length(attributes) || length(active)) {
    tb_call("bridge.rclasses.set_class_members", py_class,
            attributes = if (length(attributes)) attributes,
            properties = if (length(active)) tb_class_methods(active, "%py_class%"))
  }
  assign(classname, klass, envir = env)
  invisible(klass)
}

# "layer", "model", "metric", "loss", "callback" or "schedule": what a base
# class given to %py_class% makes.
tb_class_kind_of <- function(base) {
  if (inherits(base, "tensorbridge_model_class")) return("model")
  if (inherits(base, c("tensorbridge_layer_class", "tensorbridge_layer_wrapper"))) {
    return("layer")
  }
  if (inherits(base, "tensorbridge_object_class")) return(attr(base, "kind"))
  kind <- if (inherits(base, "tensorbridge_object")) {
    tb_call("bridge.rclasses.class_kind", base)
  }
  if (is.null(kind)) {
    tb_stop("%py_class%: the base class must be a keras class (keras$layers$Layer, ",
            "keras$Model, keras$metrics$Metric, keras$losses$Loss, keras$callbacks$Callback, ",
            "keras$optimizers$schedules$LearningRateSchedule) or a class made in R, not ",
            tb_describe(base))
  }
  kind
}

#' @rdname grapes-py_class-grapes
#' @export
`%<-active%` <- function(sym, value) {
  name <- substitute(sym)
  if (!is.name(name)) tb_stop("%<-active%: the left side must be a name, as in x %<-active% function(value) ...")
  if (!is.function(value)) tb_arg_error("value", "a function function(value)", value,
                                        fn = "%<-active%")
  env <- parent.frame()
  name <- as.character(name)
  if (exists(name, envir = env, inherits = FALSE)) rm(list = name, envir = env)
  makeActiveBinding(name, value, env)
  active <- if (exists(".tb_active", envir = env, inherits = FALSE)) env$.tb_active else list()
  active[[name]] <- value
  assign(".tb_active", active, envir = env)
  invisible(value)
}

# keras 3 R's `public` (further members) merged into the methods; its
# `private` and `parent_env` have no counterpart here.
tb_keras3_members <- function(fn, methods, public, dots) {
  bad <- intersect(names(dots), c("private", "parent_env"))
  if (length(bad)) {
    tb_stop(fn, "(): `", bad[[1]], "` is not supported: methods see their own environment, ",
            "and values they keep go in `self` (self$x <- ...)")
  }
  if (!is.list(public) || is.object(public) ||
      (length(public) && (is.null(names(public)) || any(names(public) == "")))) {
    tb_arg_error("public", "a named list of further members", public, fn = fn)
  }
  c(methods, dots, public)
}

#' keras 3's names for classes written in R
#'
#' keras 3 R makes classes with `Model()`, `Metric()`, `Loss()`,
#' `Callback()` and `LearningRateSchedule()` (and [Layer()]); these are
#' [new_model_class()], [new_metric_class()], [new_loss_class()],
#' [new_callback_class()] and [new_learning_rate_schedule_class()] under
#' those names, with keras 3's `public` list of further members.
#'
#' @inheritParams new_metric_class
#' @inheritParams new_model_class
#' @param compute_loss,compute_metrics keras 3's overrides of the loss and
#'   metrics computation of a model (optional).
#' @param get_config `function()`: the arguments that rebuild the object
#'   (optional).
#' @param on_test_begin,on_test_end,on_test_batch_begin,on_test_batch_end,on_predict_begin,on_predict_end,on_predict_batch_begin,on_predict_batch_end
#'   Callback hooks (optional).
#' @param public A named list of further members (methods or values).
#' @return The class's constructor.
#' @family custom classes
#' @examples
#' if (tb_available()) {
#'   MeanAbs <- Metric(
#'     "MeanAbs3",
#'     initialize = function(...) {
#'       super$initialize(...)
#'       self$total <- self$add_weight(name = "total", initializer = "zeros")
#'       self$n <- self$add_weight(name = "n", initializer = "zeros")
#'     },
#'     update_state = function(y_true, y_pred, sample_weight = NULL) {
#'       self$total$assign_add(k_sum(k_abs(y_true - y_pred)))
#'       self$n$assign_add(k_cast(k_prod(k_shape(y_true)), "float32"))
#'     },
#'     result = function() self$total / self$n
#'   )
#'   m <- MeanAbs()
#'   m$update_state(as_tensor(c(1, 2)), as_tensor(c(2, 4)))
#'   m$result()
#' }
#' @name keras3-classes
NULL

#' @rdname keras3-classes
#' @export
Model <- function(classname, initialize = NULL, call = NULL, train_step = NULL,
                  predict_step = NULL, test_step = NULL, compute_loss = NULL,
                  compute_metrics = NULL, ..., public = list(), inherit = NULL) {
  methods <- tb_keras3_members("Model", list(
    initialize = initialize, call = call, train_step = train_step,
    predict_step = predict_step, test_step = test_step, compute_loss = compute_loss,
    compute_metrics = compute_metrics), public, list(...))
  tb_make_layer_class(classname, methods, inherit, "Model", kind = "model")
}

#' @rdname keras3-classes
#' @export
Metric <- function(classname, initialize = NULL, update_state = NULL, result = NULL, ...,
                   public = list(), inherit = NULL) {
  methods <- tb_keras3_members("Metric", list(initialize = initialize,
                                              update_state = update_state, result = result),
                               public, list(...))
  do.call(new_metric_class, c(list(classname), methods, list(inherit = inherit)))
}

#' @rdname keras3-classes
#' @export
Loss <- function(classname, call = NULL, ..., public = list(), inherit = NULL) {
  methods <- tb_keras3_members("Loss", list(call = call), public, list(...))
  do.call(new_loss_class, c(list(classname), methods, list(inherit = inherit)))
}

#' @rdname keras3-classes
#' @export
Callback <- function(classname, on_epoch_begin = NULL, on_epoch_end = NULL,
                     on_train_begin = NULL, on_train_end = NULL,
                     on_train_batch_begin = NULL, on_train_batch_end = NULL,
                     on_test_begin = NULL, on_test_end = NULL, on_test_batch_begin = NULL,
                     on_test_batch_end = NULL, on_predict_begin = NULL, on_predict_end = NULL,
                     on_predict_batch_begin = NULL, on_predict_batch_end = NULL, ...,
                     public = list(), inherit = NULL) {
  hooks <- grep("^on_", names(formals(sys.function())), value = TRUE)
  methods <- tb_keras3_members("Callback", mget(hooks, environment()), public, list(...))
  do.call(new_callback_class, c(list(classname), methods, list(inherit = inherit)))
}

#' @rdname keras3-classes
#' @export
LearningRateSchedule <- function(classname, call = NULL, initialize = NULL, get_config = NULL,
                                 ..., public = list(), inherit = NULL) {
  methods <- tb_keras3_members("LearningRateSchedule", list(
    call = call, initialize = initialize, get_config = get_config), public, list(...))
  do.call(new_learning_rate_schedule_class, c(list(classname), methods,
                                              list(inherit = inherit)))
}
