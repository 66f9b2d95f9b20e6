#' Convert an R array to an engine tensor
#'
#' Double, integer and logical vectors, matrices and arrays become tensors
#' with the same `dim` (`x[i, j, k]` is element `[i-1, j-1, k-1]`). Without
#' `dtype` no data is copied: the tensor views R's memory (double stays
#' float64, integer stays int32). With a `dtype` that differs, the data is
#' cast.
#'
#' @param x A numeric, integer or logical vector, matrix or array.
#' @param dtype `NULL` (keep R's type: double is float64, integer is int32,
#'   logical is bool, whatever the length) or one of `"float16"`, `"float32"`,
#'   `"float64"`, `"int8"`, `"int16"`, `"int32"`, `"int64"`, `"uint8"`,
#'   `"bool"` (or an engine dtype such as `tf$float32`). A cast that would
#'   change a value is an error, as in TensorFlow: a fraction, `NA`, `NaN`
#'   or `Inf` to an integer type, a value outside the type's range, a number
#'   other than 0 or 1 to `"bool"`, a finite double too large for a float type.
#' @param ... Unused; anything given is an error.
#' @param shape `NULL`, or the tensor's shape (a vector, [shape()], or a list),
#'   with at most one unknown extent (`NA` or `-1`): the values are laid out
#'   row-major (C order), as `tf$reshape()` does; a single value fills a
#'   fully known shape.
#' @param name `NULL` or a string (tensors run eagerly; the name is checked
#'   and not used).
#' @return A tensor handle; see [as.array.tensorbridge.engine.tensor.Tensor()].
#' @examples
#' if (tb_available()) {
#'   t <- as_tensor(matrix(1:6, nrow = 2), dtype = "float32")
#'   t
#'   dim(t)
#'   as_tensor(1:6, shape = c(2, 3))  # row-major: 1 2 3 / 4 5 6
#'   as_tensor(0, shape = c(2, 2))    # filled
#' }
#' @export
as_tensor <- function(x, dtype = NULL, ..., shape = NULL, name = NULL) {
  check_dots_empty(...)
  check_string(name, null_ok = TRUE)
  out <- tb_as_tensor(x, dtype)
  if (is.null(shape)) return(out)
  dims <- as.integer(tb_shape_dims(shape))
  dims[is.na(dims)] <- -1L
  if (sum(dims == -1L) > 1 || any(dims < -1L)) {
    tb_arg_error("shape", "extents >= 0 with at most one unknown (NA or -1)", shape)
  }
  if (length(out) == 1 && all(dims >= 0)) {
    return(tb_call("engine.fill", as.list(dims), tb_call("engine.reshape", out, list())))
  }
  known <- prod(dims[dims >= 0])
  if ((all(dims >= 0) && known != length(out)) ||
      (any(dims < 0) && (known == 0 || length(out) %% known != 0))) {
    tb_arg_error("shape", paste0("a shape that holds the ", length(out), " values"), shape)
  }
  tb_call("engine.reshape", out, as.list(dims))
}

tb_shape_dims <- function(shape) {
  if (inherits(shape, "tensorbridge_shape")) return(as.integer(shape))
  if (is.list(shape)) {
    return(vapply(shape, function(d) if (is.null(d)) NA_integer_ else as.integer(d), 1L))
  }
  if (is.logical(shape) && all(is.na(shape))) shape <- as.integer(shape)
  if (!is.numeric(shape) || any(!is.na(shape) & shape != round(shape))) {
    tb_arg_error("shape", "whole numbers (NA or -1 for one unknown extent)", shape,
                 fn = "as_tensor")
  }
  shape
}

tb_as_tensor <- function(x, dtype) {
  dtype <- tb_check_dtype(dtype, "as_tensor")
  if (inherits(x, "tensorbridge.engine.tensor.Tensor")) {
    if (is.null(dtype)) return(x)
    return(tb_call("engine.cast", x, dtype))
  }
  if (!is.numeric(x) && !is.logical(x)) {
    what <- if (is.object(x)) paste0("an object of class ", class(x)[[1]]) else tb_r_type(x)
    stop(tb_condition(
      paste0("as_tensor() needs a numeric, integer or logical vector or array, not ",
             what, "; convert it first, e.g. with as.numeric() or data.matrix()")
    ))
  }
  if (!is.null(dtype)) tb_check_cast(x, dtype, "as_tensor")
  tb_call("bridge.api.as_tensor", x, dtype = dtype)
}

# The dtypes a tensor can have, and the range of each integer one.
tb_dtypes <- c("float16", "float32", "float64", "int8", "int16", "int32", "int64",
               "uint8", "bool")
tb_int_ranges <- list(int8 = c(-128, 127), int16 = c(-32768, 32767),
                      int32 = c(-2147483648, 2147483647),
                      int64 = c(-2^63, 2^63 - 1024),  # the largest doubles below 2^63
                      uint8 = c(0, 255))
tb_float_max <- c(float16 = 65504, float32 = 3.4028234663852886e38)

# typeof() in words, for messages.
tb_r_type <- function(x) {
  switch(typeof(x), double = "a double vector", integer = "an integer vector",
         logical = "a logical vector", character = "a character vector",
         complex = "a complex vector", raw = "a raw vector", list = "a list",
         closure = , builtin = , special = "a function", environment = "an environment",
         S4 = "an S4 object", NULL = "NULL", externalptr = "an external pointer",
         symbol = "a symbol", language = "a call", expression = "an expression vector",
         paste("an R object of type", typeof(x)))
}

# `dtype`: NULL, one name of tb_dtypes, or an engine dtype (tf$float32).
tb_check_dtype <- function(dtype, fn) {
  if (is.null(dtype)) return(NULL)
  if (inherits(dtype, "tensorbridge.engine.dtypes.DType")) return(tb_getattr(dtype, "name"))
  if (!is.character(dtype) || length(dtype) != 1L || is.na(dtype) ||
      !dtype %in% tb_dtypes) {
    given <- if (identical(dtype, NA_character_)) "NA" else
      if (is.character(dtype) && length(dtype) == 1L) paste0("\"", dtype, "\"") else
      paste(tb_r_type(dtype), "of length", length(dtype))
    stop(tb_condition(paste0(
      fn, "(): `dtype` must be NULL or one of ", paste0("\"", tb_dtypes, "\"", collapse = ", "),
      ", not ", given)))
  }
  dtype
}

# A cast of R values to `dtype` that would change a value (a fraction, a
# value out of range, NA/NaN/Inf in an integer type, a number that is not
# 0 or 1 for bool) is an error, as in TensorFlow: never a silent wrap.
tb_check_cast <- function(x, dtype, fn) {
  bad <- function(at, what, advice) {
    i <- at[[1]]
    more <- if (length(at) > 1L) paste0(" (and ", length(at) - 1L, " more)") else ""
    stop(tb_condition(paste0(fn, "(): `x` has ", what(x[[i]]), " at position ", i, more,
                             ", which ", dtype, " cannot hold", advice)))
  }
  number <- function(v) format(v, digits = 15)
  value <- function(v) paste("the value", number(v))
  if (dtype %in% names(tb_int_ranges)) {
    range <- tb_int_ranges[[dtype]]
    if (is.double(x)) {
      at <- which(!is.finite(x))
      if (length(at)) bad(at, number, "; use a float dtype or remove it")
      at <- which(x != trunc(x))
      if (length(at)) bad(at, function(v) paste("the fraction", number(v)),
                          "; round first, e.g. with round(x)")
    }
    at <- which(x < range[[1]] | x > range[[2]])
    if (length(at)) {
      bad(at, value, paste0(" (its range is ", number(range[[1]]), " to ",
                            number(range[[2]]), ")"))
    }
  } else if (dtype == "bool" && !is.logical(x)) {
    at <- which(is.na(x) | (x != 0 & x != 1))
    if (length(at)) bad(at, value, " (only 0 and 1 become FALSE and TRUE)")
  } else if (dtype %in% names(tb_float_max) && is.numeric(x)) {
    at <- which(is.finite(x) & abs(x) > tb_float_max[[dtype]])
    if (length(at)) {
      bad(at, value, paste0(" (its largest value is ", number(tb_float_max[[dtype]]), ")"))
    }
  }
  invisible()
}

#' Tensors back to R arrays, and their shape
#'
#' `as.array()` copies a tensor's values into an R array with the same
#' dimensions; `dim()` and `length()` report its shape and element count
#' without copying.
#'
#' @param x A tensor.
#' @param ... Unused.
#' @return An R array (a vector for rank-1 tensors, a length-one vector for
#'   scalars); the dimensions; the number of elements.
#' @examples
#' if (tb_available()) {
#'   t <- as_tensor(array(1:24, c(2, 3, 4)))
#'   identical(as.array(t), array(1:24, c(2, 3, 4)))
#' }
#' @name tensor-conversion
#' @export
as.array.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  tb_call("bridge.api.to_array", x)
}

#' @rdname tensor-conversion
#' @export
dim.tensorbridge.engine.tensor.Tensor <- function(x) {
  as.integer(unlist(tb_call("bridge.api.shape", x)))
}

#' @rdname tensor-conversion
#' @export
length.tensorbridge.engine.tensor.Tensor <- function(x) {
  as.integer(prod(dim(x)))
}

#' Print tensorbridge objects
#'
#' Objects that live in Python print as Python describes them; a tensor shows
#' its shape, dtype, device and values.
#'
#' @param x A tensorbridge object.
#' @param ... Unused.
#' @return `format()`: a character string; `print()`: `x`, invisibly.
#' @examples
#' if (tb_available()) print(as_tensor(c(1, 2, 3)))
#' @export
format.tensorbridge_object <- function(x, ...) {
  tb_call("bridge.api.describe", x)
}

#' @rdname format.tensorbridge_object
#' @export
print.tensorbridge_object <- function(x, ...) {
  cat(format(x, ...), "\n", sep = "")
  invisible(x)
}

#' Configuration of the Python side
#'
#' Starts Python if needed and reports which interpreter tensorbridge uses,
#' the versions of Python, numpy, rpy2 and cupy, the devices the engine sees
#' and the number of BLAS threads.
#'
#' @return A list of class `tensorbridge_config`, printed as a short report.
#' @examples
#' if (tb_available()) tb_config()
#' @export
tb_config <- function() {
  structure(tb_call("bridge.api.config"), class = "tensorbridge_config")
}

#' @export
print.tensorbridge_config <- function(x, ...) {
  show <- function(v) if (is.null(v)) "(none)" else paste(unlist(v), collapse = ", ")
  cat("tensorbridge Python configuration\n",
      "  python:       ", show(x$python), "\n",
      "  version:      ", show(x$python_version), "\n",
      "  numpy:        ", show(x$numpy), "\n",
      "  rpy2:         ", show(x$rpy2), "\n",
      "  cupy:         ", show(x$cupy), "\n",
      "  devices:      ", show(x$devices), "\n",
      "  blas threads: ", show(x$blas_threads), "\n", sep = "")
  invisible(x)
}

#' Attributes of objects that live in Python
#'
#' `object$name` reads an attribute of the Python object behind a
#' tensorbridge handle (e.g. `model$layers`, `tokenizer$word_index`),
#' converted to R.
#'
#' @param x A tensorbridge object.
#' @param name Attribute name.
#' @return The attribute's value.
#' @examples
#' if (tb_available()) {
#'   t <- as_tensor(matrix(1:6, 2))
#'   t$ndim
#' }
#' @export
`$.tensorbridge_object` <- function(x, name) {
  value <- tb_getattr(x, name)
  # a tensor's (or a symbolic tensor's) shape is a shape object, as TensorShape in the
  # tensorflow R package: x$shape$as_list(), x$shape$rank, x$shape[[1]]
  if (identical(name, "shape") && is.list(value) && !is.object(value) &&
      all(vapply(value, function(d) is.null(d) || (is.numeric(d) && length(d) == 1L), TRUE))) {
    return(shape(dims = value))
  }
  value
}

#' @rdname cash-.tensorbridge_object
#' @param value The new value: `x$name <- value` sets an attribute that the
#'   Python object has (e.g. `model$trainable <- FALSE`); a name it does not
#'   have is an error.
#' @export
`$<-.tensorbridge_object` <- function(x, name, value) {
  tb_call("bridge.api.assign_attr", x, name, value)
  invisible(x)
}

#' An array for the engine (tensorflow R's `np_array()`)
#'
#' Code written for the tensorflow R package makes NumPy arrays with
#' `np_array()` to hand to `tf$` functions. Here the engine's tensors play
#' that part: `np_array()` is [as_tensor()] with `dtype`, and keeps R's
#' element order whatever `order` says (the memory layout is the engine's
#' affair).
#'
#' @param data A numeric, integer or logical vector or array.
#' @param dtype `NULL` or a dtype, as in [as_tensor()].
#' @param order `"C"` or `"F"` (NumPy's memory order).
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   np_array(matrix(1:6, 2), dtype = "float32")
#' }
#' @export
np_array <- function(data, dtype = NULL, order = "C") {
  check_string(order, choices = c("C", "F"))
  as_tensor(data, dtype = dtype)
}
