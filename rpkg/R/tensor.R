#' Convert an R array to an engine tensor
#'
#' Double, integer and logical vectors, matrices and arrays become tensors
#' with the same `dim` (`x[i, j, k]` is element `[i-1, j-1, k-1]`). Without
#' `dtype` no data is copied: the tensor views R's memory (double stays
#' float64, integer stays int32). With a `dtype` that differs, the data is
#' cast.
#'
#' @param x A numeric, integer or logical vector, matrix or array.
#' @param dtype `NULL` (keep R's type) or one of `"float16"`, `"float32"`,
#'   `"float64"`, `"int32"`, `"int64"`, `"bool"`.
#' @return A tensor handle; see [as.array.tensorbridge.engine.tensor.Tensor()].
#' @examples
#' if (tb_available()) {
#'   t <- as_tensor(matrix(1:6, nrow = 2), dtype = "float32")
#'   t
#'   dim(t)
#' }
#' @export
as_tensor <- function(x, dtype = NULL) {
  if (inherits(x, "tensorbridge.engine.tensor.Tensor")) {
    if (is.null(dtype)) return(x)
    return(tb_call("engine.cast", x, dtype))
  }
  if (!is.numeric(x) && !is.logical(x)) {
    stop(tb_condition(
      paste0("as_tensor() needs a numeric, integer or logical vector or array, not ",
             class(x)[[1]], "; convert it first, e.g. with as.numeric() or data.matrix()")
    ))
  }
  if (!is.null(dtype)) dtype <- as.character(dtype)
  tb_call("bridge.api.as_tensor", x, dtype = dtype)
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
`$.tensorbridge_object` <- function(x, name) tb_getattr(x, name)
