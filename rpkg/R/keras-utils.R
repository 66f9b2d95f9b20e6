# Shared plumbing of the keras-style functions: argument normalization and
# calling the engine's keras namespace.

# Calls tensorbridge.engine.keras.<path>(...) with the arguments that are
# not NULL, so Python's defaults apply to everything the user left out.
tb_keras <- function(path, args = list()) {
  args <- args[!vapply(args, is.null, logical(1))]
  do.call(tb_call, c(list(paste0("engine.keras.", path)), args))
}

tb_keras_method <- function(object, name, args = list()) {
  args <- args[!vapply(args, is.null, logical(1))]
  do.call(tb_method, c(list(object, name), args))
}

# NULL stays NULL; whole numbers (of any sign, one or several) become
# integers; anything else is an R error naming the argument (see checks.R).
as_nullable_integer <- function(x, arg = tb_arg_name(substitute(x))) {
  if (is.null(x)) return(NULL)
  if (length(x) < 1 || !is.null(dim(x)) || !tb_is_whole(x, -tb_int_max, tb_int_max)) {
    tb_arg_error(arg, "whole numbers (or NULL)", x)
  }
  as.integer(x)
}

tb_is_model <- function(x) inherits(x, "tensorbridge_object") && any(endsWith(class(x), ".Model"))

tb_is_sequential <- function(x) any(endsWith(class(x), ".Sequential"))

# The object of a model method must be a model.
tb_check_model <- function(object, fn = NULL) {
  if (!tb_is_model(object)) {
    tb_arg_error("object", "a model made with keras_model_sequential() or keras_model()",
                 object, fn = fn)
  }
  invisible(object)
}

# A model, a layer's output (a symbolic tensor) or a list of them, or a
# numeric matrix or array (one row per sample) for an eager call: what a
# layer_*() function composes with.
check_layer_object <- function(object) {
  ok <- is.null(object) || inherits(object, "tensorbridge_object") ||
    (is.list(object) && length(object) > 0 && !is.object(object) &&
       all(vapply(object, inherits, logical(1), "tensorbridge_object"))) ||
    ((is.numeric(object) || is.logical(object)) && !is.null(dim(object)) && length(object) > 0)
  if (!ok) {
    tb_arg_error("object", paste0("a model, a tensor (from layer_input() or another layer) ",
                                  "or missing"), object)
  }
  object
}
