# The nodes of a layer: one per call on symbolic inputs (keras R's
# get_input_at() ... get_output_mask_at()). node_index counts from 1, as in
# keras R (which subtracts 1 before asking Python).

#' Tensors, shapes and masks of a layer's calls (nodes)
#'
#' Each time a layer is called on symbolic tensors (the functional API) it
#' gets a new *node* linking those inputs to the outputs of that call; a
#' layer shared by several inputs has several nodes, numbered from 1 in the
#' order of the calls. These functions give a node's input or output
#' tensors, their shapes, and their masks. A model made by [keras_model()]
#' has its own graph as node 1 (its inputs and outputs); calling the model
#' on new inputs adds nodes after it.
#'
#' @param object A layer or a model.
#' @param node_index Which call: a whole number from 1 to the number of
#'   nodes.
#' @return `get_input_at()`, `get_output_at()`: a symbolic tensor, or a list
#'   of them when the call had several inputs or outputs.
#'   `get_input_shape_at()`, `get_output_shape_at()`: a shape as a list of
#'   integers with `NULL` for the batch size (a list of shapes for several
#'   tensors). `get_input_mask_at()`, `get_output_mask_at()`: a symbolic
#'   logical tensor (`samples x ...`), or `NULL` where there is no mask (a
#'   list for several tensors).
#' @examples
#' if (tb_available()) {
#'   shared <- layer_dense(units = 3)
#'   a <- layer_input(shape = 4)
#'   b <- layer_input(shape = 4)
#'   out_a <- shared(a)
#'   out_b <- shared(b)
#'   get_output_shape_at(shared, 2)   # list(NULL, 3L)
#'   model <- keras_model(list(a, b), layer_add(get_output_at(shared, 1),
#'                                              get_output_at(shared, 2)))
#' }
#' @name get_input_at
#' @export
get_input_at <- function(object, node_index) {
  tb_node_method(object, node_index, "get_input_at")
}

#' @rdname get_input_at
#' @export
get_output_at <- function(object, node_index) {
  tb_node_method(object, node_index, "get_output_at")
}

#' @rdname get_input_at
#' @export
get_input_shape_at <- function(object, node_index) {
  tb_node_shapes(tb_node_method(object, node_index, "get_input_shape_at"))
}

#' @rdname get_input_at
#' @export
get_output_shape_at <- function(object, node_index) {
  tb_node_shapes(tb_node_method(object, node_index, "get_output_shape_at"))
}

#' @rdname get_input_at
#' @export
get_input_mask_at <- function(object, node_index) {
  tb_node_method(object, node_index, "get_input_mask_at")
}

#' @rdname get_input_at
#' @export
get_output_mask_at <- function(object, node_index) {
  tb_node_method(object, node_index, "get_output_mask_at")
}

# Checks `object` and `node_index` (from 1) against the layer's nodes, then
# asks the layer for node `node_index - 1`.
tb_node_method <- function(object, node_index, method) {
  if (!tb_is_a(object, ".Layer")) tb_arg_error("object", "a layer or a model", object)
  given <- node_index
  node_index <- check_count(node_index)
  n <- length(tb_method(object, "_access_nodes"))
  if (node_index > n) {
    name <- tb_getattr(object, "name")
    if (n == 0) {
      tb_arg_error("node_index", paste0(
        "a node of layer '", name, "', but it has none yet (a node is made each time the ",
        "layer is called on a tensor from layer_input() or another layer)"), given)
    }
    tb_arg_error("node_index", paste0(
      if (n == 1) "1" else paste0("from 1 to ", n), " (layer '", name, "' has ", n,
      if (n == 1) " node" else " nodes", ", one per call)"), given)
  }
  tb_method(object, method, node_index - 1L)
}

# A shape from Python, (None, 3), as keras R gives it: list(NULL, 3L); several
# shapes as a list of them.
tb_node_shapes <- function(x) {
  is_shape <- function(s) is.list(s) && all(vapply(s, function(d) is.null(d) || is.numeric(d), TRUE))
  one <- function(s) lapply(s, function(d) if (is.null(d)) NULL else as.integer(d))
  if (is.numeric(x)) return(as.list(as.integer(x)))
  if (is_shape(x)) return(one(x))
  lapply(x, tb_node_shapes)
}
