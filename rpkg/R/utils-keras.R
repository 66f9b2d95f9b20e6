#' Array utilities
#'
#' * `to_categorical()`: one-hot encoding of integer class labels (from 0),
#'   one row per label;
#' * `array_reshape()`: reshape with row-major ("C") order, as numpy and
#'   keras do, so that data prepared for Python models lines up (R's own
#'   `dim<-` fills column-major);
#' * `normalize()`: scale each vector along `axis` to unit `order`-norm.
#'
#' @param y Integer class labels from 0 to `num_classes - 1`.
#' @param num_classes Number of classes (default: `max(y) + 1`).
#' @param x An array.
#' @param dim The new dimensions.
#' @param order `"C"` (row-major, default) or `"F"` (column-major).
#' @param axis Axis along which to normalize (Python's convention, `-1` the
#'   last).
#' @return A matrix (one-hot), or an array.
#' @examples
#' to_categorical(c(0, 2, 1))
#' array_reshape(matrix(1:6, 2, byrow = TRUE), c(3, 2))
#' if (tb_available()) normalize(matrix(c(3, 4, 6, 8), 2, byrow = TRUE))
#' @name array-utilities
NULL

#' @rdname array-utilities
#' @export
to_categorical <- function(y, num_classes = NULL) {
  y <- as.vector(y)
  if (!is.numeric(y) || anyNA(y) || any(y < 0) || any(y != round(y))) {
    stop(tb_condition("to_categorical() needs whole class labels from 0, without NA"))
  }
  if (is.null(num_classes)) num_classes <- max(y) + 1
  if (any(y >= num_classes)) {
    stop(tb_condition(paste0("a label is >= num_classes (", num_classes, "); labels count from 0")))
  }
  out <- matrix(0, nrow = length(y), ncol = num_classes)
  out[cbind(seq_along(y), y + 1)] <- 1
  out
}

#' @rdname array-utilities
#' @export
array_reshape <- function(x, dim, order = c("C", "F")) {
  order <- match.arg(order)
  dim <- as.integer(dim)
  if (prod(dim) != length(x)) {
    stop(tb_condition(paste0("cannot reshape ", length(x), " elements into dim ",
                             paste(dim, collapse = " x "))))
  }
  if (order == "F") return(array(x, dim = dim))
  old <- dim(x) %||% length(x)
  # row-major: read x in C order (reverse its axes), fill the reversed shape
  flat <- if (length(old) > 1) aperm(x, rev(seq_along(old))) else x
  out <- array(as.vector(flat), dim = rev(dim))
  if (length(dim) > 1) aperm(out, rev(seq_along(dim))) else out
}

#' @rdname array-utilities
#' @export
normalize <- function(x, axis = -1L, order = 2L) {
  tb_call("engine.keras.utils.normalize", x, axis = as_nullable_integer(axis),
          order = as_nullable_integer(order))
}
