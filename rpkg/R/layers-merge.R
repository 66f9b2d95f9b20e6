# Merge layers: they take a list of tensors, or the tensors as separate
# arguments (keras R: layer_add(a, b)).

merge_layer <- function(class_name, inputs, dots, args) {
  inputs <- check_merge_inputs(if (missing(inputs)) NULL else inputs, dots)
  args$name <- check_string(args$name, "name", null_ok = TRUE)
  layer <- tb_keras(paste0("layers.", class_name), args)
  if (is.null(inputs)) return(layer)
  tb_method(layer, "__call__", inputs)
}

# The inputs of a merge layer: a list of at least two tensors, or tensors
# given one by one (`inputs` and the unnamed arguments in `...`).
check_merge_inputs <- function(inputs, dots = list()) {
  nms <- names(dots) %||% rep("", length(dots))
  if (any(nzchar(nms))) tb_unknown_args(paste0("`", nms[nzchar(nms)], "`"), nms[nzchar(nms)])
  if (is.null(inputs) && length(dots) == 0) return(NULL)
  is_tensor <- function(v) inherits(v, "tensorbridge_object")
  if (length(dots)) {
    if (!is_tensor(inputs)) {
      tb_arg_error("inputs", "a tensor when more tensors follow it (layer_add(a, b))", inputs)
    }
    for (i in seq_along(dots)) {
      if (!is_tensor(dots[[i]])) {
        tb_arg_error(paste0("..", i), "a tensor (the inputs after the first)", dots[[i]])
      }
    }
    inputs <- c(list(inputs), dots)
  }
  ok <- is.list(inputs) && !is.object(inputs) && length(inputs) >= 2 &&
    all(vapply(inputs, is_tensor, logical(1)))
  if (!ok) {
    tb_arg_error("inputs", paste0("a list of two or more tensors, e.g. list(a, b), or the ",
                                  "tensors one by one (or missing)"), inputs)
  }
  inputs
}

#' Merge layers
#'
#' Combine a list of tensors of the same shape elementwise (`add`,
#' `subtract`, `multiply`, `average`, `maximum`, `minimum`), by
#' concatenation along `axis`, or by dot products along `axes`.
#'
#' @param inputs A list of two or more tensors (from [layer_input()] or
#'   other layers), the first of several tensors given one by one
#'   (`layer_add(a, b)`), or missing to get the layer itself.
#' @param ... More tensors, after the first (unnamed).
#' @param axis Concatenation axis (Python's convention: `-1` is the last).
#' @param axes Axis or axes along which to take the dot product.
#' @param normalize Whether to L2-normalize before the dot product (giving
#'   cosine similarity).
#' @param name Optional layer name.
#' @return A tensor, or the layer when `inputs` is missing.
#' @examples
#' if (tb_available()) {
#'   a <- layer_input(shape = 4)
#'   b <- layer_input(shape = 4)
#'   both <- layer_concatenate(list(a, b))
#'   sum_ab <- layer_add(a, b)   # the same as layer_add(list(a, b))
#'   model <- keras_model(list(a, b), list(both, sum_ab))
#' }
#' @name layer_merge
NULL

#' @rdname layer_merge
#' @export
layer_concatenate <- function(inputs, ..., axis = -1L, name = NULL) {
  merge_layer("Concatenate", inputs, list(...), list(axis = check_axis(axis), name = name))
}

#' @rdname layer_merge
#' @export
layer_add <- function(inputs, ..., name = NULL) {
  merge_layer("Add", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_subtract <- function(inputs, ..., name = NULL) {
  merge_layer("Subtract", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_multiply <- function(inputs, ..., name = NULL) {
  merge_layer("Multiply", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_average <- function(inputs, ..., name = NULL) {
  merge_layer("Average", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_maximum <- function(inputs, ..., name = NULL) {
  merge_layer("Maximum", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_minimum <- function(inputs, ..., name = NULL) {
  merge_layer("Minimum", inputs, list(...), list(name = name))
}

#' @rdname layer_merge
#' @export
layer_dot <- function(inputs, ..., axes, normalize = FALSE, name = NULL) {
  merge_layer("Dot", inputs, list(...), list(axes = check_axes(axes, len = 1:2),
                                  normalize = check_flag(normalize), name = name))
}
