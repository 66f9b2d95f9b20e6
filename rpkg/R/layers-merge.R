# Merge layers: they take a list of tensors.

merge_layer <- function(class_name, inputs, args) {
  layer <- tb_keras(paste0("layers.", class_name), args)
  if (missing(inputs) || is.null(inputs)) return(layer)
  if (!is.list(inputs)) {
    stop(tb_condition(paste0("layer_", tolower(class_name), "() needs a list of tensors, ",
                             "e.g. list(a, b)")))
  }
  tb_method(layer, "__call__", inputs)
}

#' Merge layers
#'
#' Combine a list of tensors of the same shape elementwise (`add`,
#' `subtract`, `multiply`, `average`, `maximum`, `minimum`), by
#' concatenation along `axis`, or by dot products along `axes`.
#'
#' @param inputs A list of tensors (from [layer_input()] or other layers), or
#'   missing to get the layer itself.
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
  merge_layer("Concatenate", inputs, list(axis = as_nullable_integer(axis), name = name))
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
  merge_layer("Dot", inputs, list(axes = as_nullable_integer(axes), normalize = normalize,
                                  name = name))
}
