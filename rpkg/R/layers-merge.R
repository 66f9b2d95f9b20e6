# Merge layers: they take a list of tensors.

merge_layer <- function(class_name, inputs, args) {
  inputs <- if (missing(inputs)) NULL else check_merge_inputs(inputs)
  args$name <- check_string(args$name, "name", null_ok = TRUE)
  layer <- tb_keras(paste0("layers.", class_name), args)
  if (is.null(inputs)) return(layer)
  tb_method(layer, "__call__", inputs)
}

# The inputs of a merge layer: a list of at least two tensors.
check_merge_inputs <- function(inputs) {
  if (is.null(inputs)) return(NULL)
  ok <- is.list(inputs) && !is.object(inputs) && length(inputs) >= 2 &&
    all(vapply(inputs, inherits, logical(1), "tensorbridge_object"))
  if (!ok) {
    tb_arg_error("inputs", "a list of two or more tensors, e.g. list(a, b) (or missing)", inputs)
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
#'   other layers), or missing to get the layer itself.
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
#'   sum_ab <- layer_add(list(a, b))
#'   model <- keras_model(list(a, b), list(both, sum_ab))
#' }
#' @name layer_merge
NULL

#' @rdname layer_merge
#' @export
layer_concatenate <- function(inputs, axis = -1L, name = NULL) {
  merge_layer("Concatenate", inputs, list(axis = check_axis(axis), name = name))
}

#' @rdname layer_merge
#' @export
layer_add <- function(inputs, name = NULL) merge_layer("Add", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_subtract <- function(inputs, name = NULL) merge_layer("Subtract", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_multiply <- function(inputs, name = NULL) merge_layer("Multiply", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_average <- function(inputs, name = NULL) merge_layer("Average", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_maximum <- function(inputs, name = NULL) merge_layer("Maximum", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_minimum <- function(inputs, name = NULL) merge_layer("Minimum", inputs, list(name = name))

#' @rdname layer_merge
#' @export
layer_dot <- function(inputs, axes, normalize = FALSE, name = NULL) {
  merge_layer("Dot", inputs, list(axes = check_axes(axes, len = 1:2),
                                  normalize = check_flag(normalize), name = name))
}
