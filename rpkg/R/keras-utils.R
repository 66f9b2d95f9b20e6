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

# NULL stays NULL; numbers become integers; anything else is an R error
# naming the argument.
as_nullable_integer <- function(x, arg = deparse(substitute(x))) {
  if (is.null(x)) return(NULL)
  if (!is.numeric(x) || anyNA(x) || any(x != round(x))) {
    stop(tb_condition(paste0("`", arg, "` must be a whole number (or NULL), not ",
                             paste(format(x), collapse = ", "))))
  }
  as.integer(x)
}

# A keras shape: a list of integers, NA or NULL for "any size".
as_shape <- function(x, arg = deparse(substitute(x))) {
  if (is.null(x)) return(NULL)
  if (is.list(x)) x <- vapply(x, function(d) if (is.null(d)) NA_real_ else as.numeric(d), 1)
  if (!is.numeric(x) && !all(is.na(x))) {
    stop(tb_condition(paste0("`", arg, "` must be integers (NA for any size)")))
  }
  lapply(as.numeric(x), function(d) if (is.na(d)) NULL else as.integer(d))
}

tb_is_model <- function(x) inherits(x, "tensorbridge_object") && any(endsWith(class(x), ".Model"))

tb_is_sequential <- function(x) any(endsWith(class(x), ".Sequential"))

tb_check_model <- function(object, fn) {
  if (!tb_is_model(object)) {
    stop(tb_condition(paste0(fn, "() needs a model made with keras_model_sequential() or ",
                             "keras_model(), not ", class(object)[[1]])))
  }
}

# An integer or a vector of integers for a keras "int or tuple" argument
# (kernel_size, strides, pool_size ...): one number stays one number.
as_int_tuple <- function(x, arg = deparse(substitute(x))) {
  if (is.null(x)) return(NULL)
  x <- as_nullable_integer(x, arg)
  if (length(x) == 1) x else as.list(x)
}
