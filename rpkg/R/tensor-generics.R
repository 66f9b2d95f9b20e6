# R's array generics on tensors, as the tensorflow R package has them: t(),
# aperm(), rep(), sort(), is.finite()/is.infinite()/is.nan(). Each returns a
# tensor computed by the engine (differentiable where the math is).

#' R's array functions on tensors
#'
#' `t()` transposes a matrix (a vector becomes a one-row matrix), `aperm()`
#' permutes the axes (`perm` counts from 1, default: reversed), `rep()`
#' repeats the values of the tensor read as a vector (R's order), `sort()`
#' sorts a vector, and `is.finite()`, `is.infinite()` and `is.nan()` test each
#' value; all return tensors.
#'
#' @param x,a A tensor.
#' @param perm The new order of the axes, a permutation of `1:length(dim(a))`.
#' @param resize Must be `TRUE` (the only form tensors have).
#' @param decreasing Sort in decreasing order.
#' @param ... For `rep()`: `times`, `each` and `length.out`, as base R's
#'   `rep()`; otherwise unused (anything given is an error).
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- as_tensor(matrix(1:6, 2))
#'   t(x)
#'   aperm(as_tensor(array(1:24, c(2, 3, 4))), c(3, 1, 2))
#'   rep(as_tensor(c(1, 2)), times = 2, each = 2)
#'   sort(as_tensor(c(3, 1, 2)), decreasing = TRUE)
#'   is.finite(as_tensor(c(1, Inf, NaN)))
#' }
#' @name tensor-generics
NULL

#' @rdname tensor-generics
#' @export
t.tensorbridge.engine.tensor.Tensor <- function(x) {
  rank <- length(dim(x))
  if (rank == 1) return(tb_call("engine.reshape", x, list(1L, -1L)))
  if (rank != 2) {
    tb_tf_error("t", paste0("t() transposes a matrix; this tensor has ", rank,
                           " dimensions: use aperm(x, perm) to reorder its axes."))
  }
  tb_call("engine.transpose", x)
}

#' @rdname tensor-generics
#' @export
aperm.tensorbridge.engine.tensor.Tensor <- function(a, perm = NULL, resize = TRUE, ...) {
  check_dots_empty(...)
  rank <- length(dim(a))
  if (!isTRUE(resize)) {
    tb_arg_error("resize", "TRUE (a tensor's permuted axes always take their new extents)",
                 resize, fn = "aperm")
  }
  if (is.null(perm)) perm <- rev(seq_len(rank))
  if (!is.numeric(perm) || length(perm) != rank || anyNA(perm) ||
      !setequal(perm, seq_len(rank)) || any(perm != round(perm))) {
    tb_arg_error("perm", paste0("a permutation of 1:", rank, " (the tensor's axes)"), perm,
                 fn = "aperm")
  }
  tb_call("engine.transpose", a, as.list(as.integer(perm) - 1L))
}

#' @rdname tensor-generics
#' @export
rep.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  args <- list(...)
  nms <- names(args) %||% rep("", length(args))
  known <- c("times", "each", "length.out")
  if (any(!nms %in% c(known, "")) || sum(nms == "") > 1) {
    bad <- nms[!nms %in% known]
    tb_tf_error("rep", paste0("rep() of a tensor takes `times`, `each` and `length.out`, not ",
                             paste(ifelse(bad == "", "a second unnamed argument",
                                          paste0("`", bad, "`")), collapse = ", "), "."))
  }
  positions <- tryCatch(do.call(rep, c(list(seq_len(length(x))), args)),
                        error = function(e) tb_tf_error("rep", paste0(conditionMessage(e), ".")))
  # R's order of the values: column-major, the first axis fastest
  flat <- tb_call("engine.reshape", tb_call("engine.transpose", x), list(-1L))
  tb_call("engine.gather", flat, as.integer(positions - 1L))
}

#' @rdname tensor-generics
#' @export
sort.tensorbridge.engine.tensor.Tensor <- function(x, decreasing = FALSE, ...) {
  check_dots_empty(...)
  if (length(dim(x)) != 1) {
    tb_tf_error("sort", paste0("sort() sorts a vector; this tensor has dim c(",
                              paste(dim(x), collapse = ", "), "): use tf$sort(x, axis = ...) ",
                              "to sort along an axis."))
  }
  tb_call("engine.sort", x,
          direction = if (check_flag(decreasing)) "DESCENDING" else "ASCENDING")
}

#' @rdname tensor-generics
#' @export
is.finite.tensorbridge.engine.tensor.Tensor <- function(x) {
  tb_call("bridge.tensors.test_values", "finite", x)
}

#' @rdname tensor-generics
#' @export
is.infinite.tensorbridge.engine.tensor.Tensor <- function(x) {
  tb_call("bridge.tensors.test_values", "infinite", x)
}

#' @rdname tensor-generics
#' @export
is.nan.tensorbridge.engine.tensor.Tensor <- function(x) {
  tb_call("bridge.tensors.test_values", "nan", x)
}
