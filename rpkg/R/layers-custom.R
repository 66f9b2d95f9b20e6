# Layers whose code the user writes in R: layer_lambda() and layer classes
# (new_layer_class(), Layer(), create_layer(), create_layer_wrapper()).

# A layer class written in R is a Python class made at run time
# (bridge/rclasses.py). Each of its methods is an R function that Python calls
# through the bridge; the wrapper made by tb_layer_method() evaluates the
# user's function in a new environment whose parent is the function's own, and
# binds there `self` (the layer itself, a handle: `self$units`,
# `self$add_weight()`, `self$kernel <- w`) and `super` (the parent class:
# keras 3's `super$initialize(...)`, keras 2's `super()$`__init__`(...)`).

#' Wrap an R function as a layer
#'
#' `layer_lambda()` makes a layer that applies an R function of tensors, as
#' keras' `Lambda` layer does: everything `f` computes with R's operators,
#' `tf$...` functions and other tensor functions is differentiated, so the
#' layer trains like any other (it has no weights of its own).
#'
#' @inheritParams layer_dense
#' @param f An R function of the input tensor, `function(x)`; it may also take
#'   `mask` and `training` arguments (passed when it has them), and the
#'   elements of `arguments`. It returns a tensor (or a list of tensors).
#' @param output_shape `NULL` (the shape is found by calling `f` on a batch of
#'   one), the shape of one output sample (positive whole numbers, `NA` for a
#'   size that can vary), or an R function of the input shape (a list whose
#'   first element, the batch size, is `NULL`) returning the full output shape.
#' @param mask `NULL` (no mask), an R function `function(inputs, mask)` giving
#'   the output mask, or a tensor used as the mask whatever the input.
#' @param arguments A named list of further arguments to `f`.
#' @details A model holding a lambda layer saves with [save_model()], the R
#'   function stored with it (with R's `serialize()`). Since loading the
#'   function would run code from the file, [load_model()] restores it only
#'   when given `safe_mode = FALSE`: do so only for files you trust.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family custom layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(3)) %>%
#'     layer_lambda(function(x) x * 2 + 1)
#'   predict(model, matrix(1:6, nrow = 2), verbose = 0)
#' }
#' @export
layer_lambda <- function(object, f, output_shape = NULL, mask = NULL, arguments = NULL,
                         input_shape = NULL, batch_size = NULL, dtype = NULL, name = NULL,
                         trainable = NULL) {
  object <- if (missing(object)) NULL else check_layer_object(object)
  if (missing(f)) tb_arg_error("f", "an R function of the input tensor")
  f <- tb_check_r_function(f, "f")
  if (!is.null(output_shape) && !is.function(output_shape)) {
    output_shape <- check_shape(output_shape, "output_shape")
  } else if (is.function(output_shape)) {
    output_shape <- tb_check_r_function(output_shape, "output_shape")
  }
  if (!is.null(mask) && !is.function(mask) &&
      !inherits(mask, "tensorbridge.engine.tensor.Tensor")) {
    tb_arg_error("mask", "NULL, an R function function(inputs, mask) or a tensor", mask)
  }
  if (!is.null(arguments) && (!is.list(arguments) || is.object(arguments) ||
                              (length(arguments) && (is.null(names(arguments)) ||
                                                     any(names(arguments) == ""))))) {
    tb_arg_error("arguments", "a named list of further arguments to `f` (or NULL)", arguments)
  }
  formal_names <- names(formals(args(f)) %||% list())
  args <- list(f, output_shape = output_shape, mask = mask,
               arguments = if (length(arguments)) arguments,
               serializer = function() serialize(f, NULL),
               uses_training = "training" %in% formal_names,
               uses_mask = "mask" %in% formal_names,
               input_shape = check_shape(input_shape, "input_shape"),
               batch_size = check_count(batch_size, "batch_size", null_ok = TRUE),
               dtype = check_string(dtype, "dtype", null_ok = TRUE),
               name = check_string(name, "name", null_ok = TRUE),
               trainable = check_flag(trainable, "trainable", null_ok = TRUE))
  args <- args[!vapply(args, is.null, logical(1))]
  layer <- do.call(tb_call, c(list("bridge.rclasses.RLambda"), args))
  compose_layer(object, layer)
}

# An R function the bridge can call back (a closure or a primitive).
tb_check_r_function <- function(x, arg) {
  if (!is.function(x) || !is.null(attr(x, "tb_key"))) {
    tb_arg_error(arg, "an R function", x)
  }
  x
}

# A user's method as the function Python calls: function(self, .class, ...).
tb_layer_method <- function(fn, method) {
  force(fn)
  function(self, .class, ...) {
    env <- new.env(parent = environment(fn) %||% baseenv())
    env$self <- self
    env$super <- tb_super(self, .class)
    env$`__class__` <- .class
    environment(fn) <- env
    fn(...)
  }
}

# `super`: both keras 3's super$initialize(...) and keras 2's
# super()$`__init__`(...) reach the parent class's methods.
tb_super <- function(self, klass) {
  proxy <- function() proxy
  attr(proxy, "tb_self") <- self
  attr(proxy, "tb_class") <- klass
  class(proxy) <- "tensorbridge_super"
  proxy
}

#' @export
`$.tensorbridge_super` <- function(x, name) {
  self <- attr(x, "tb_self")
  klass <- attr(x, "tb_class")
  function(...) tb_call("bridge.rclasses.call_super", self, klass, name, ...)
}

#' @export
print.tensorbridge_super <- function(x, ...) {
  cat("<the parent class of a layer class written in R: call its methods, ",
      "e.g. super$initialize(...)>\n", sep = "")
  invisible(x)
}

# The methods of a class: named R closures, each as tb_layer_method() wraps it.
tb_class_methods <- function(methods, fn) {
  methods <- methods[!vapply(methods, is.null, logical(1))]
  nms <- names(methods) %||% rep("", length(methods))
  if (any(nms == "")) {
    tb_stop("every method must be named (e.g. call = function(inputs) ...); ",
            sum(nms == ""), " of them are not")
  }
  if (anyDuplicated(nms)) {
    tb_stop("the method ", nms[anyDuplicated(nms)], " is given twice")
  }
  for (nm in nms) {
    m <- methods[[nm]]
    if (!is.function(m) || is.primitive(m)) {
      tb_arg_error(nm, "an R function (a method of the class)", m, fn = fn)
    }
  }
  lapply(stats::setNames(nms, nms), function(nm) tb_layer_method(methods[[nm]], nm))
}

# Whether `x` is the handle of an engine class of this kind ("layer" also
# takes model classes, which are layers).
tb_is_class_handle <- function(x, kind) {
  if (!inherits(x, "tensorbridge_object")) return(FALSE)
  is <- tb_call("bridge.rclasses.class_kind", x)
  !is.null(is) && (identical(is, kind) || (kind == "layer" && identical(is, "model")))
}

# The Python class behind a class made here (a handle), or NULL.
tb_layer_class_of <- function(x) {
  if (inherits(x, "tensorbridge_layer_class") || inherits(x, "tensorbridge_layer_wrapper")) {
    return(environment(x)$.tb_class)
  }
  NULL
}

# A layer (or, with kind = "model", a model) class written in R: the
# Python class made by bridge/rclasses.py, as an R function that makes
# objects of it. `fn` is the user's function, for the errors.
tb_make_layer_class <- function(classname, methods, inherit, fn, kind = "layer") {
  model <- kind == "model"
  classname <- check_string(classname, "classname")
  if (!grepl("^[A-Za-z_][A-Za-z0-9_]*$", classname)) {
    tb_arg_error("classname", paste0("a name such as \"", if (model) "MyModel" else "MyLayer",
                                     "\" (letters, digits and underscores)"),
                 classname, fn = fn)
  }
  parent <- NULL
  if (!is.null(inherit)) {
    if (tb_is_class_handle(inherit, kind)) {
      parent <- inherit  # an engine class: keras$layers$Layer, keras$Model ...
    } else if (!model || inherits(inherit, "tensorbridge_model_class")) {
      parent <- tb_layer_class_of(inherit)
    }
    if (is.null(parent)) {
      tb_arg_error("inherit", if (model) "a model class made with new_model_class(), or keras$Model (or NULL)"
                   else "a layer class made with new_layer_class() or Layer(), or a keras layer class such as keras$layers$Layer (or NULL)",
                   inherit, fn = fn)
    }
  }
  call <- methods$call
  call_args <- if (is.function(call)) names(formals(args(call))) else character()
  init <- methods$initialize %||% methods$`__init__`
  methods <- tb_class_methods(methods, fn)
  py_class <- tb_call(paste0("bridge.rclasses.make_", kind, "_class"), classname, methods,
                      uses_training = if (is.function(call)) "training" %in% call_args,
                      uses_mask = if (is.function(call)) "mask" %in% call_args,
                      parent = parent,
                      init_formals = if (is.function(init)) as.list(names(formals(args(init)))))
  f <- tb_layer_class_function(py_class, classname, compose = !model)
  # the constructor's arguments, for the wrapper made by create_layer_wrapper()
  attr(f, "init_formals") <- if (is.function(init)) formals(args(init)) else
    attr(inherit, "init_formals")
  if (model) class(f) <- c("tensorbridge_model_class", class(f))
  f
}

# An R function that makes a layer of the Python class `py_class`; passed to
# the engine (e.g. in load_model()'s custom_objects) it is that class.
tb_layer_class_function <- function(py_class, classname, compose = TRUE) {
  .tb_class <- py_class
  f <- function(...) {
    # keras 3: a layer class called on a model or a tensor composes with it
    # (a model class takes its arguments as they are: a model may hold one)
    if (compose && ...length() && (is.null(...names()) || ...names()[[1]] == "") &&
        inherits(..1, c("tensorbridge.engine.keras.model.Model",
                        "tensorbridge.engine.keras.layers.base.KerasTensor",
                        "tensorbridge.engine.tensor.Tensor"))) {
      return(create_layer(f, ..1, list(...)[-1]))
    }
    tb_call("bridge.rclasses.instantiate", .tb_class, ...)
  }
  attr(f, "tb_key") <- attr(py_class, "tb_key")
  attr(f, "classname") <- classname
  class(f) <- c("tensorbridge_layer_class", "function")
  f
}

#' @export
print.tensorbridge_layer_class <- function(x, ...) {
  cat("<layer class ", attr(x, "classname"), " written in R>\n", sep = "")
  invisible(x)
}

#' @export
print.tensorbridge_layer_wrapper <- function(x, ...) {
  cat("<layer constructor for the class ", attr(x, "classname"), " written in R: ",
      "layer_x(object, ...)>\n", sep = "")
  invisible(x)
}

#' Define a layer class in R
#'
#' A custom layer: its weights are made in `build()`, its computation is
#' `call()`, and it is a layer like the built-in ones (Sequential and
#' functional models, shared use, `summary()`, `get_weights()` /
#' `set_weights()`, `freeze_weights()`, saving). `new_layer_class()` (keras 3
#' style) returns a layer constructor that composes like `layer_dense()`;
#' `Layer()` returns the class, which makes a layer when called
#' (`MyLayer(units = 3)`), composes when called on a model or a tensor first
#' (keras 3: `model %>% MyLayer(units = 3)`), and is also composed with
#' [create_layer()] or wrapped with [create_layer_wrapper()] (keras 2).
#'
#' Each method is an R function evaluated with two extra names in scope:
#' `self`, the layer itself (read attributes with `self$units`, set new ones
#' with `self$units <- units`, make weights with `self$add_weight()`), and
#' `super`, the parent class: `super$initialize(...)` (keras 3) or
#' `super()$`__init__`(...)` (keras 2), which `initialize` must call first,
#' passing on `...` (layer arguments such as `name`, `input_shape`,
#' `trainable`). Assigning a layer (or a list of layers) to an attribute of
#' `self` makes it a sub-layer whose weights become this layer's; assigning
#' a variable makes it a weight.
#'
#' `self$add_weight(name, shape, initializer, dtype, trainable, regularizer,
#' constraint)` makes a weight: `shape` whole numbers, `initializer` a name or
#' an `initializer_*()` object, `trainable = FALSE` for a weight that training
#' leaves alone (counted in `summary()` as non-trainable).
#'
#' @param classname The class's name (letters, digits, underscores), under
#'   which saved models name it.
#' @param initialize `function(...)`: the constructor. Takes the layer's own
#'   arguments (given to the constructor) and calls the parent's.
#' @param build `function(input_shape)`: makes the weights once the input
#'   shape is known (a list, `NULL` for the batch size).
#' @param call `function(inputs)`: the computation, on tensors; returns a
#'   tensor. It may also take `training` (`TRUE` while fitting) and `mask`,
#'   which are then passed.
#' @param get_config `function()`: a named list of the arguments that rebuild
#'   the layer (start from `super$get_config()`). Optional: without it, a
#'   saved layer records the arguments it was made with (keras 3's rule), and
#'   saving asks for a `get_config()` only when one of them (a function, a
#'   tensor) cannot be written to a config.
#' @param compute_output_shape `function(input_shape)`: the output shape
#'   (`NULL` for the batch size). Optional: without it the shape is found by
#'   calling the layer on a batch of one.
#' @param ... Further methods, named (e.g. a helper `scale = function(x) ...`
#'   called as `self$scale(x)`, or `compute_mask`).
#' @param public keras 3's named list of further members (`Layer()` only).
#' @param inherit A layer class made with `new_layer_class()` or `Layer()`,
#'   or a keras layer class such as `keras$layers$Dense`, to extend (`NULL`:
#'   a plain layer).
#' @return `new_layer_class()`: a layer constructor `function(object, ...)`
#'   (see [create_layer_wrapper()]); `Layer()`: the layer class.
#' @family custom layers
#' @examples
#' if (tb_available()) {
#'   layer_scale <- new_layer_class(
#'     "Scale",
#'     initialize = function(...) {
#'       super$initialize(...)
#'     },
#'     build = function(input_shape) {
#'       self$w <- self$add_weight(name = "w", shape = input_shape[[2]],
#'                                 initializer = "ones")
#'     },
#'     call = function(inputs) inputs * self$w
#'   )
#'   model <- keras_model_sequential(input_shape = c(3)) %>% layer_scale()
#'   predict(model, matrix(1:6, nrow = 2), verbose = 0)
#' }
#' @export
new_layer_class <- function(classname, initialize = NULL, build = NULL, call = NULL,
                            get_config = NULL, compute_output_shape = NULL, ...,
                            inherit = NULL) {
  methods <- c(list(initialize = initialize, build = build, call = call,
                    get_config = get_config, compute_output_shape = compute_output_shape),
               list(...))
  klass <- tb_make_layer_class(classname, methods, inherit, "new_layer_class")
  create_layer_wrapper(klass)
}

#' @rdname new_layer_class
#' @export
Layer <- function(classname, initialize = NULL, build = NULL, call = NULL,
                  get_config = NULL, compute_output_shape = NULL, ..., public = list(),
                  inherit = NULL) {
  methods <- tb_keras3_members("Layer", list(
    initialize = initialize, build = build, call = call, get_config = get_config,
    compute_output_shape = compute_output_shape), public, list(...))
  tb_make_layer_class(classname, methods, inherit, "Layer")
}

#' Make a layer of a class and compose it
#'
#' `create_layer()` makes a layer of `layer_class` with the arguments `args`
#' and composes it with `object` as every `layer_*()` function does: returns
#' the layer when `object` is missing, adds it to a sequential model, or
#' calls it on a tensor. `create_layer_wrapper()` turns a class into such a
#' `layer_*()` function.
#'
#' @param layer_class A layer class made with [Layer()] (or the constructor
#'   made by [new_layer_class()]).
#' @param object What to compose with: a model, a tensor, or missing.
#' @param args A named list of arguments for the class's `initialize`.
#' @param LayerClass A layer class made with [Layer()].
#' @return `create_layer()`: a layer, a model, or a tensor;
#'   `create_layer_wrapper()`: a function `function(object, <the arguments of
#'   initialize>, ...)`, taking the class's arguments by name or position.
#' @family custom layers
#' @examples
#' if (tb_available()) {
#'   Double <- Layer("Double", call = function(inputs) inputs * 2)
#'   model <- keras_model_sequential(input_shape = c(2)) %>%
#'     create_layer(Double, object = ., args = list())
#'   layer_double <- create_layer_wrapper(Double)
#'   out <- layer_double(as_tensor(matrix(1:4, 2)))
#' }
#' @export
create_layer <- function(layer_class, object, args = list()) {
  object <- if (missing(object)) NULL else check_layer_object(object)
  klass <- tb_layer_class_of(layer_class)
  if (is.null(klass)) {
    tb_arg_error("layer_class", "a layer class made with Layer() or new_layer_class()",
                 layer_class)
  }
  if (!is.list(args) || is.object(args) ||
      (length(args) && (is.null(names(args)) || any(names(args) == "")))) {
    tb_arg_error("args", "a named list of arguments for the class's initialize()", args)
  }
  if (!is.null(args$input_shape)) args$input_shape <- check_shape(args$input_shape, "input_shape")
  args <- args[!vapply(args, is.null, logical(1))]  # the defaults apply
  layer <- do.call(tb_call, c(list("bridge.rclasses.instantiate", klass), args))
  compose_layer(object, layer)
}


#' @rdname create_layer
#' @export
create_layer_wrapper <- function(LayerClass) {
  klass <- tb_layer_class_of(LayerClass)
  if (is.null(klass)) {
    tb_arg_error("LayerClass", "a layer class made with Layer() or new_layer_class()",
                 LayerClass)
  }
  f <- function(object, ...) {
    .args <- list()
    # the arguments of initialize() given by name or position, then `...`
    for (.nm in setdiff(names(formals(sys.function())), c("object", "..."))) {
      if (!eval(call("missing", as.name(.nm)))) .args[.nm] <- list(get(.nm))
    }
    create_layer(LayerClass, if (missing(object)) NULL else object, c(.args, list(...)))
  }
  # keras R's wrappers take initialize()'s arguments by name or position
  own <- attr(LayerClass, "init_formals")
  own <- own[setdiff(names(own), c("object", "..."))]
  formals(f) <- c(alist(object = ), own, alist(... = ))
  attr(f, "tb_key") <- attr(klass, "tb_key")
  attr(f, "classname") <- attr(LayerClass, "classname")
  attr(f, "init_formals") <- attr(LayerClass, "init_formals")
  class(f) <- c("tensorbridge_layer_wrapper", "function")
  f
}

# load_model()'s engine call with custom objects (layer classes written in R,
# given as the constructors new_layer_class() / Layer() return) and the
# safe_mode opt-in for R functions stored with a model (lambda layers).
tb_load_model_custom <- function(filepath, compile = TRUE, custom_objects = NULL,
                                 safe_mode = TRUE) {
  custom_objects <- tb_custom_objects(custom_objects)
  safe_mode <- check_flag(safe_mode, "safe_mode")
  tb_call("bridge.rclasses.load_model", filepath, compile = compile,
          custom_objects = custom_objects,
          safe_mode = safe_mode, r_unserialize = if (!safe_mode) unserialize)
}

# A `custom_objects` argument, checked, with those of the with_custom_object_scope()
# blocks around the call (the argument's own win); NULL when there are none.
tb_custom_objects <- function(custom_objects, fn = tb_caller_name()) {
  if (!is.null(custom_objects) &&
      (!is.list(custom_objects) || is.object(custom_objects) ||
       (length(custom_objects) &&
          (is.null(names(custom_objects)) || any(names(custom_objects) == ""))))) {
    tb_arg_error("custom_objects",
                 "a named list of the classes and functions the model uses (or NULL)",
                 custom_objects, fn = fn)
  }
  scoped <- .tb_state$custom_object_scope
  custom_objects <- c(scoped[setdiff(names(scoped), names(custom_objects))], custom_objects)
  if (length(custom_objects)) custom_objects
}

#' Custom objects for every load inside a block
#'
#' `with_custom_object_scope()` evaluates `expr` with `objects` (a named list
#' of layer classes and functions, as `load_model()`'s `custom_objects`)
#' available to every [load_model()] and [unserialize_model()] inside it, as
#' keras R's function of that name does. Scopes nest (the inner one wins for
#' a name given twice), and an argument `custom_objects` of the load itself
#' wins over both.
#'
#' @param objects A named list of the classes and functions saved models use.
#' @param expr The code to evaluate.
#' @return The value of `expr`.
#' @examples
#' if (tb_available()) {
#'   layer_double <- new_layer_class("Double", call = function(inputs) inputs * 2)
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_double()
#'   path <- tempfile(fileext = ".tbm")
#'   save_model(model, path)
#'   again <- with_custom_object_scope(list(Double = layer_double), load_model(path))
#' }
#' @export
with_custom_object_scope <- function(objects, expr) {
  if (!is.list(objects) || is.object(objects) || length(objects) == 0 ||
      is.null(names(objects)) || any(names(objects) == "")) {
    tb_arg_error("objects", "a named list of the classes and functions saved models use",
                 objects)
  }
  old <- .tb_state$custom_object_scope
  on.exit(.tb_state$custom_object_scope <- old)
  .tb_state$custom_object_scope <- c(old[setdiff(names(old), names(objects))], objects)
  expr
}
