#' Array utilities
#'
#' * `to_categorical()`: one-hot encoding of integer class labels (from 0),
#'   one row per label;
#' * `array_reshape()`: reshape with row-major ("C") order, as numpy and
#'   keras do, so that data prepared for Python models lines up (R's own
#'   `dim<-` fills column-major);
#' * `normalize()`: scale each vector along `axis` to unit `order`-norm.
#'
#' @param y Integer class labels from 0 to `num_classes - 1` (whole numbers,
#'   without `NA`).
#' @param num_classes Number of classes (a positive whole number; default:
#'   `max(y) + 1`).
#' @param x An array.
#' @param dim The new dimensions (whole numbers; one may be `-1`, inferred
#'   from the others).
#' @param order `array_reshape()`: `"C"` (row-major, default) or `"F"`
#'   (column-major); `normalize()`: the norm's order (a positive whole
#'   number; 2 is the euclidean norm).
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
  if (!is.numeric(y) || is.factor(y) || !tb_is_whole(y, 0, tb_int_max - 1)) {
    tb_arg_error("y", "whole class labels >= 0 (counting from 0), without NA", y)
  }
  y <- as.vector(y)
  given <- num_classes
  num_classes <- check_count(num_classes, null_ok = TRUE)
  if (is.null(num_classes)) num_classes <- if (length(y)) max(y) + 1 else 0
  if (any(y >= num_classes)) {
    tb_arg_error("num_classes", paste0("larger than the largest label (", max(y),
                                       "; labels count from 0)"), given)
  }
  out <- matrix(0, nrow = length(y), ncol = num_classes)
  out[cbind(seq_along(y), y + 1)] <- 1
  out
}

#' @rdname array-utilities
#' @export
array_reshape <- function(x, dim, order = c("C", "F")) {
  if (!is.atomic(x) || is.null(x) || is.factor(x)) {
    tb_arg_error("x", "an array or a vector", x)
  }
  if (identical(order, c("C", "F"))) order <- "C"
  order <- check_string(order, choices = c("C", "F"))
  if (length(dim) < 1 || !is.null(dim(dim)) || !tb_is_whole(dim, -1, tb_int_max) ||
      sum(dim == -1) > 1) {
    tb_arg_error("dim", "whole numbers >= 0, at most one of them -1 (inferred)", dim)
  }
  if (any(dim == -1)) {
    known <- prod(dim[dim != -1])
    if (known == 0 || length(x) %% known != 0) {
      tb_stop("cannot reshape ", length(x), " elements into dim ", paste(dim, collapse = " x "))
    }
    dim[dim == -1] <- length(x) / known
  }
  dim <- as.integer(dim)
  if (prod(dim) != length(x)) {
    tb_stop("cannot reshape ", length(x), " elements into dim ", paste(dim, collapse = " x "))
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
  if (!(is.numeric(x) && !is.object(x) && length(x) >= 1) && !inherits(x, "tensorbridge_object")) {
    tb_arg_error("x", "a numeric array", x)
  }
  axis <- check_axis(axis)
  order <- check_count(order)
  tb_call("engine.keras.utils.normalize", x, axis = axis, order = order)
}
