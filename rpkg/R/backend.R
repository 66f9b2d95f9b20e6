# keras R 2.x's backend: the k_*() functions, on the engine.
#
# Conventions as in keras R: axes count from 1 (negative from the end, -1 the
# last); R numbers and arrays are accepted wherever a tensor is and become
# tensors (as_tensor(): doubles stay float64); results are tensors, except
# k_get_value() and friends, which give R arrays, and the k_*() that answer a
# question (k_ndim(), k_int_shape(), k_dtype(), k_is_tensor() ...). Indices that
# are values rather than axes are 0-based where keras R passes them through to
# TensorFlow: k_argmax()/k_argmin() results, k_one_hot() indices, class labels
# of k_sparse_categorical_crossentropy() and k_in_top_k(), k_gather()
# indices given as tensors (R numbers given to k_gather() count from 1), and
# the reduction_axes of k_normalize_batch_in_training().
#
# keras R 2.13 k_*() functions not provided, and why:
# - TensorFlow 1 graph mode only (no graph or session in the engine):
#   k_placeholder(), k_is_placeholder(), k_function(), k_get_session(),
#   k_set_session(), k_manual_variable_initialization(),
#   k_set_learning_phase() (deprecated in keras 2 too).
# - Mathematics the engine does not have (its one convolution op is the 2-d
#   one, and it has no sparse tensors): k_conv2d_transpose(), k_conv3d(),
#   k_conv3d_transpose(), k_depthwise_conv2d(), k_separable_conv2d(),
#   k_local_conv1d(), k_local_conv2d(), k_pool3d(), k_resize_images(),
#   k_resize_volumes(), k_spatial_3d_padding(), k_ctc_batch_cost(),
#   k_ctc_decode(), k_ctc_label_dense_to_sparse(), k_is_sparse(), k_to_dense().

# --- shared helpers ----------------------------------------------------------------

tb_kb <- function(fn, ...) tb_call(paste0("engine.keras.backend.", fn), ...)

# A tensor argument: a tensor (or variable) as it is, an R number/array as a
# tensor; anything else an error naming the argument.
tb_k_tensor <- function(x, arg = tb_arg_name(substitute(x))) {
  if (is_tensor(x)) return(x)
  if ((is.numeric(x) || is.logical(x)) && !is.factor(x) && !is.object(x) && length(x) > 0 &&
      !anyNA(x)) {
    return(tb_call("bridge.api.as_tensor", x))
  }
  tb_arg_error(arg, "a tensor or a numeric or logical array without NA", x)
}

# Two operands of an elementwise op: an R value meets the tensor in its dtype.
tb_k_pair <- function(x, y, xarg, yarg) {
  if (!is_tensor(x) && !is_tensor(y)) {
    return(list(tb_k_tensor(x, xarg), tb_k_tensor(y, yarg)))
  }
  if (!is_tensor(x)) {
    tb_k_tensor(x, xarg)
    x <- tb_call("bridge.tensors._meet", x, y)
  }
  if (!is_tensor(y)) {
    tb_k_tensor(y, yarg)
    y <- tb_call("bridge.tensors._meet", y, x)
  }
  list(x, y)
}

tb_k_rank <- function(x) length(dim(x))

# `axis` counted from 1 as keras R does, for the engine (0-based); the error
# names the function the user called.
tb_k_axis <- function(axis, rank, null_ok = TRUE, arg = "axis") {
  # (the caller's name is found only for an error: finding it costs more than the check)
  if (is.null(axis)) {
    if (null_ok) return(NULL)
    tb_arg_error(arg, "axes of the tensor, counted from 1 (negative from the end)", axis)
  }
  ok <- is.numeric(axis) && !is.factor(axis) && length(axis) >= 1 && is.null(dim(axis)) &&
    !anyNA(axis) && all(is.finite(axis)) && all(axis == round(axis)) && all(axis != 0) &&
    all(abs(axis) <= rank)
  if (!ok) {
    tb_arg_error(arg, paste0(
      "axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to ",
      rank, " or from -", rank, " to -1"), axis)
  }
  zero_based <- as.integer(ifelse(axis > 0, axis - 1, rank + axis))
  if (anyDuplicated(zero_based)) tb_arg_error(arg, "distinct axes", axis)
  if (length(zero_based) == 1) zero_based else as.list(zero_based)
}

# `shape` of a new tensor: non-negative whole numbers.
tb_k_shape <- function(shape, arg = tb_arg_name(substitute(shape)), minus_one = FALSE) {
  if (inherits(shape, "tensorbridge_shape")) shape <- unclass(shape)
  if (inherits(shape, "tensorbridge.engine.tensor.Tensor")) {
    shape <- as.array(shape)  # a shape tensor, e.g. k_shape(x)
    dim(shape) <- NULL
  }
  if (is.list(shape) && all(vapply(shape, function(d) length(d) == 1 && is.numeric(d), TRUE))) {
    shape <- unlist(shape)
  }
  min <- if (minus_one) -1 else 0
  if (!is.null(dim(shape)) || (length(shape) > 0 && !tb_is_whole(shape, min, tb_int_max)) ||
      (!is.numeric(shape) && !is.null(shape)) || (minus_one && sum(shape == -1) > 1)) {
    must <- if (minus_one) "whole numbers >= 0, with at most one -1 (the size that fits)" else
      "non-negative whole numbers"
    tb_arg_error(arg, must, shape)
  }
  as.list(as.integer(shape))
}

tb_k_dtype <- function(dtype, default = NULL) {
  # `fn`, a promise, is evaluated only for an error
  tb_check_dtype(dtype, fn = as.vector(tb_caller_name())) %||% default
}

tb_k_floatx <- function() tb_kb("floatx")

#' Reductions along axes: `k_sum()`, `k_mean()`, `k_max()` ...
#'
#' keras R's backend reductions. `axis` counts from 1 (negative from the
#' end, -1 the last); `NULL` reduces every element. `k_std()` and `k_var()`
#' are the population (divide by n) standard deviation and variance.
#' `k_any()` and `k_all()` treat non-zero as `TRUE`. `k_argmax()` and
#' `k_argmin()` give positions counted from **0** (as keras R, which passes
#' TensorFlow's result through): add 1 for R positions. `k_cumsum()` and
#' `k_cumprod()` run along one axis.
#'
#' @param x A tensor or an R array.
#' @param axis Axes to reduce (counted from 1; negative from the end).
#' @param keepdims Keep the reduced axes with extent 1.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- array(1:24, c(2, 3, 4)) / 2
#'   as.array(k_sum(x, axis = 2))        # apply(x, c(1, 3), sum)
#'   as.array(k_mean(x, axis = c(1, 3)))  # apply(x, 2, mean)
#'   as.array(k_argmax(matrix(c(1, 5, 3, 2), 2)))  # 0-based: 1 0
#' }
#' @name k_reductions
#' @export
k_sum <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_sum", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_mean <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_mean", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_max <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_max", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_min <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_min", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_prod <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_prod", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_std <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_std", x, axis, keepdims)

#' @rdname k_reductions
#' @export
k_var <- function(x, axis = NULL, keepdims = FALSE) {
  tb_k_reduce("reduce_variance", x, axis, keepdims)
}

#' @rdname k_reductions
#' @export
k_logsumexp <- function(x, axis = NULL, keepdims = FALSE) {
  tb_k_reduce("reduce_logsumexp", x, axis, keepdims)
}

#' @rdname k_reductions
#' @export
k_any <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_any", x, axis, keepdims, TRUE)

#' @rdname k_reductions
#' @export
k_all <- function(x, axis = NULL, keepdims = FALSE) tb_k_reduce("reduce_all", x, axis, keepdims, TRUE)

tb_k_reduce <- function(op, x, axis, keepdims, logical = FALSE) {
  x <- tb_k_tensor(x)
  keepdims <- check_flag(keepdims, "keepdims")
  axis <- tb_k_axis(axis, tb_k_rank(x))
  if (logical) x <- tb_call("engine.not_equal", x, tb_call("engine.zeros_like", x))
  tb_call(paste0("engine.", op), x, axis = axis, keepdims = keepdims)
}

#' @rdname k_reductions
#' @export
k_argmax <- function(x, axis = -1) {
  x <- tb_k_tensor(x)
  tb_call("engine.argmax", x, axis = tb_k_axis(axis, tb_k_rank(x), null_ok = FALSE))
}

#' @rdname k_reductions
#' @export
k_argmin <- function(x, axis = -1) {
  x <- tb_k_tensor(x)
  tb_call("engine.argmin", x, axis = tb_k_axis(axis, tb_k_rank(x), null_ok = FALSE))
}

#' @rdname k_reductions
#' @export
k_cumsum <- function(x, axis = 1) {
  x <- tb_k_tensor(x)
  tb_call("engine.cumsum", x, axis = tb_k_one_axis(axis, x))
}

#' @rdname k_reductions
#' @export
k_cumprod <- function(x, axis = 1) {
  x <- tb_k_tensor(x)
  tb_call("engine.cumprod", x, axis = tb_k_one_axis(axis, x))
}

tb_k_one_axis <- function(axis, x, extra = 0L, arg = "axis") {
  if (length(axis) != 1) {
    tb_arg_error(arg, "one axis, counted from 1 (negative from the end)", axis)
  }
  tb_k_axis(axis, tb_k_rank(x) + extra, null_ok = FALSE, arg = arg)
}

#' Elementwise math: `k_abs()`, `k_exp()`, `k_relu()` ...
#'
#' keras R's elementwise backend functions. `k_pow(x, a)` is `x^a`;
#' `k_clip()` limits values to `[min_value, max_value]` (a `max_value`
#' below `min_value` is raised to it, as keras does); `k_round()` rounds half
#' to even. `k_hard_sigmoid()` is keras 2's `clip(0.2 * x + 0.5, 0, 1)`.
#' `k_relu()` takes keras' `alpha` (slope below 0) and `max_value`;
#' `k_softmax()` normalizes along `axis` (counted from 1, -1 the last).
#' The comparisons give logical (bool) tensors.
#'
#' @param x,y Tensors or R arrays (an R value meets the other operand's
#'   dtype).
#' @param a The power.
#' @param min_value,max_value Bounds (`NULL`: none); for `k_relu()`,
#'   `max_value` is the largest output.
#' @param alpha For `k_relu()`, the slope below 0; for `k_elu()`, the scale
#'   of the negative part.
#' @param axis For `k_softmax()`, the axis to normalize along.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- matrix(c(-2, -0.5, 0.5, 3), 2)
#'   as.array(k_relu(x, max_value = 1))
#'   as.array(k_softmax(x))   # rows sum to 1
#'   as.array(k_greater(x, 0))
#' }
#' @name k_math
#' @export
k_abs <- function(x) tb_call("engine.abs", tb_k_tensor(x))

#' @rdname k_math
#' @export
k_exp <- function(x) tb_call("engine.exp", tb_k_float(x))

#' @rdname k_math
#' @export
k_log <- function(x) tb_call("engine.log", tb_k_float(x))

#' @rdname k_math
#' @export
k_sqrt <- function(x) tb_call("engine.sqrt", tb_k_float(x))

#' @rdname k_math
#' @export
k_square <- function(x) tb_call("engine.square", tb_k_tensor(x))

#' @rdname k_math
#' @export
k_sign <- function(x) tb_call("engine.sign", tb_k_tensor(x))

#' @rdname k_math
#' @export
k_round <- function(x) tb_call("engine.round", tb_k_tensor(x))

#' @rdname k_math
#' @export
k_sin <- function(x) tb_call("engine.sin", tb_k_float(x))

#' @rdname k_math
#' @export
k_cos <- function(x) tb_call("engine.cos", tb_k_float(x))

#' @rdname k_math
#' @export
k_tanh <- function(x) tb_call("engine.tanh", tb_k_float(x))

#' @rdname k_math
#' @export
k_sigmoid <- function(x) tb_call("engine.sigmoid", tb_k_float(x))

#' @rdname k_math
#' @export
k_softplus <- function(x) tb_call("engine.nn.softplus", tb_k_float(x))

#' @rdname k_math
#' @export
k_softsign <- function(x) tb_call("engine.nn.softsign", tb_k_float(x))

#' @rdname k_math
#' @export
k_hard_sigmoid <- function(x) {
  x <- tb_k_float(x)
  tb_call("engine.clip_by_value", x * 0.2 + 0.5, 0, 1)
}

#' @rdname k_math
#' @export
k_relu <- function(x, alpha = 0.0, max_value = NULL) {
  x <- tb_k_float(x)
  alpha <- check_number(alpha)
  max_value <- check_number(max_value, null_ok = TRUE)
  tb_call("engine.keras.activations.relu", x, negative_slope = alpha, max_value = max_value)
}

#' @rdname k_math
#' @export
k_elu <- function(x, alpha = 1.0) {
  x <- tb_k_float(x)
  tb_call("engine.keras.activations.elu", x, alpha = check_number(alpha))
}

#' @rdname k_math
#' @export
k_softmax <- function(x, axis = -1) {
  x <- tb_k_float(x)
  tb_call("engine.nn.softmax", x, axis = tb_k_one_axis(axis, x))
}

#' @rdname k_math
#' @export
k_pow <- function(x, a) {
  p <- tb_k_pair(x, a, "x", "a")
  tb_call("engine.pow", p[[1]], p[[2]])
}

#' @rdname k_math
#' @export
k_clip <- function(x, min_value = NULL, max_value = NULL) {
  x <- tb_k_tensor(x)
  min_value <- check_number(min_value, null_ok = TRUE) %||% -Inf
  max_value <- check_number(max_value, null_ok = TRUE) %||% Inf
  if (max_value < min_value) max_value <- min_value
  tb_call("engine.clip_by_value", x, min_value, max_value)
}

# A float tensor argument (math that needs floats): R integers become doubles.
tb_k_float <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!is_tensor(x) && (is.integer(x) || is.logical(x)) && !is.object(x)) storage.mode(x) <- "double"
  tb_k_tensor(x, arg)
}

tb_k_binary <- function(op, x, y) {
  p <- tb_k_pair(x, y, "x", "y")
  tb_call(paste0("engine.", op), p[[1]], p[[2]])
}

#' @rdname k_math
#' @export
k_maximum <- function(x, y) tb_k_binary("maximum", x, y)

#' @rdname k_math
#' @export
k_minimum <- function(x, y) tb_k_binary("minimum", x, y)

#' @rdname k_math
#' @export
k_equal <- function(x, y) tb_k_binary("equal", x, y)

#' @rdname k_math
#' @export
k_not_equal <- function(x, y) tb_k_binary("not_equal", x, y)

#' @rdname k_math
#' @export
k_greater <- function(x, y) tb_k_binary("greater", x, y)

#' @rdname k_math
#' @export
k_greater_equal <- function(x, y) tb_k_binary("greater_equal", x, y)

#' @rdname k_math
#' @export
k_less <- function(x, y) tb_k_binary("less", x, y)

#' @rdname k_math
#' @export
k_less_equal <- function(x, y) tb_k_binary("less_equal", x, y)

#' Shapes and layout: `k_reshape()`, `k_expand_dims()`, `k_concatenate()` ...
#'
#' keras R's shape functions. Axes count from 1 (negative from the end):
#' `k_expand_dims(x, axis = -1)` adds an axis of extent 1 at the end,
#' `k_stack(x, axis = 1)` stacks along a new first axis, `k_permute_dimensions()`
#' takes a permutation of `1:k_ndim(x)`. `k_transpose()` reverses all axes.
#' `k_flatten()` gives a rank-1 tensor, `k_batch_flatten()` keeps the first
#' axis. `k_tile(x, n)` repeats the whole tensor `n[i]` times along axis `i`;
#' `k_repeat(x, n)` turns `(batch, dim)` into `(batch, n, dim)`;
#' `k_repeat_elements(x, rep, axis)` repeats each element along `axis`.
#' `k_gather(reference, indices)` takes rows (slices along the first axis):
#' R numbers count from 1, tensors from 0 (as keras R). `k_one_hot()` takes
#' class indices counted from 0, as keras R. `k_reshape()` takes `-1` for
#' the extent that fits.
#'
#' @param x A tensor or an R array; for `k_stack()`, a list of them.
#' @param tensors A list of tensors.
#' @param shape Extents (whole numbers; one -1 allowed).
#' @param axis,axes An axis, or axes (counted from 1; negative from the end).
#' @param pattern A permutation of the axes, counted from 1.
#' @param n For `k_tile()`: copies along each axis; for `k_repeat()`: copies.
#' @param rep Copies of each element.
#' @param reference A tensor.
#' @param indices Positions along the first axis (see above); class indices
#'   (from 0) for `k_one_hot()`.
#' @param num_classes The number of classes.
#' @param num For `k_unstack()`, ignored unless given (then it must match).
#' @param name Not used (TensorFlow's op name).
#' @return A tensor (`k_unstack()`: a list of tensors).
#' @examples
#' if (tb_available()) {
#'   x <- array(1:24, c(2, 3, 4))
#'   dim(k_expand_dims(x, axis = 2))
#'   dim(k_permute_dimensions(x, c(3, 1, 2)))
#'   as.array(k_concatenate(list(matrix(1, 2, 2), matrix(2, 2, 1)), axis = 2))
#'   as.array(k_gather(matrix(1:6, 3), c(3, 1)))
#' }
#' @name k_shapes
#' @export
k_reshape <- function(x, shape) {
  x <- tb_k_tensor(x)
  tb_call("engine.reshape", x, tb_k_shape(shape, minus_one = TRUE))
}

#' @rdname k_shapes
#' @export
k_flatten <- function(x) tb_kb("flatten", tb_k_tensor(x))

#' @rdname k_shapes
#' @export
k_batch_flatten <- function(x) tb_kb("batch_flatten", tb_k_tensor(x))

#' @rdname k_shapes
#' @export
k_expand_dims <- function(x, axis = -1) {
  x <- tb_k_tensor(x)
  tb_call("engine.expand_dims", x, tb_k_one_axis(axis, x, extra = 1L))
}

#' @rdname k_shapes
#' @export
k_squeeze <- function(x, axis = NULL) {
  x <- tb_k_tensor(x)
  axis <- tb_k_axis(axis, tb_k_rank(x))
  if (!is.null(axis) && any(dim(x)[unlist(axis) + 1L] != 1L)) {
    tb_stop("`axis` must name axes of extent 1; x has dim c(", paste(dim(x), collapse = ", "),
            ").")
  }
  tb_call("engine.squeeze", x, axis = axis)
}

#' @rdname k_shapes
#' @export
k_permute_dimensions <- function(x, pattern) {
  x <- tb_k_tensor(x)
  rank <- tb_k_rank(x)
  if (!tb_is_whole(pattern, 1, rank) || length(pattern) != rank ||
      anyDuplicated(pattern) || !is.null(dim(pattern))) {
    tb_arg_error("pattern", paste0("a permutation of 1:", rank, " (the axes of x, from 1)"),
                 pattern)
  }
  tb_call("engine.transpose", x, as.list(as.integer(pattern) - 1L))
}

#' @rdname k_shapes
#' @export
k_transpose <- function(x) tb_call("engine.transpose", tb_k_tensor(x))

#' @rdname k_shapes
#' @export
k_concatenate <- function(tensors, axis = -1) {
  tensors <- tb_k_tensors(tensors)
  tb_call("engine.concat", tensors, axis = tb_k_one_axis(axis, tensors[[1]]))
}

#' @rdname k_shapes
#' @export
k_stack <- function(x, axis = 1) {
  x <- tb_k_tensors(x, "x")
  tb_call("engine.stack", x, axis = tb_k_one_axis(axis, x[[1]], extra = 1L))
}

#' @rdname k_shapes
#' @export
k_unstack <- function(x, axis = 1, num = NULL, name = NULL) {
  x <- tb_k_tensor(x)
  axis <- tb_k_one_axis(axis, x)
  num <- check_count(num, min = 0, null_ok = TRUE)
  if (!is.null(num) && num != dim(x)[[axis + 1L]]) {
    tb_stop("`num` is ", num, " but axis ", axis + 1L, " of x has ", dim(x)[[axis + 1L]],
            " elements.")
  }
  tb_call("engine.unstack", x, axis = axis)
}

# A list of tensors (or R arrays), at least one, all of one dtype.
tb_k_tensors <- function(x, arg = "tensors") {
  if (!is.list(x) || is.object(x) || length(x) == 0) {
    tb_arg_error(arg, "a list of tensors (or R arrays)", x)
  }
  out <- lapply(seq_along(x), function(i) tb_k_tensor(x[[i]], paste0(arg, "[[", i, "]]")))
  like <- out[vapply(x, is_tensor, TRUE)]
  if (length(like)) {
    out <- lapply(seq_along(x), function(i) {
      if (is_tensor(x[[i]])) out[[i]] else tb_call("bridge.tensors._meet", x[[i]], like[[1]])
    })
  }
  out
}

#' @rdname k_shapes
#' @export
k_tile <- function(x, n) {
  x <- tb_k_tensor(x)
  rank <- tb_k_rank(x)
  if (!tb_is_whole(n, 0, tb_int_max) || length(n) != rank || !is.null(dim(n))) {
    tb_arg_error("n", paste0(rank, " non-negative whole numbers (copies along each axis)"), n)
  }
  tb_call("engine.tile", x, as.list(as.integer(n)))
}

#' @rdname k_shapes
#' @export
k_repeat <- function(x, n) {
  x <- tb_k_tensor(x)
  n <- check_count(n, min = 1)
  if (tb_k_rank(x) != 2) {
    tb_stop("`x` must be a matrix (batch, dim), not a tensor of dim c(",
            paste(dim(x), collapse = ", "), ").")
  }
  tb_kb("repeat", x, n)
}

#' @rdname k_shapes
#' @export
k_repeat_elements <- function(x, rep, axis) {
  x <- tb_k_tensor(x)
  rep <- check_count(rep, min = 0)
  tb_call("engine.repeat", x, rep, axis = tb_k_one_axis(axis, x))
}

#' @rdname k_shapes
#' @export
k_reverse <- function(x, axes) {
  x <- tb_k_tensor(x)
  axes <- tb_k_axis(axes, tb_k_rank(x), null_ok = FALSE, arg = "axes")
  tb_call("engine.reverse", x, as.list(unlist(axes)))
}

#' @rdname k_shapes
#' @export
k_gather <- function(reference, indices) {
  reference <- tb_k_tensor(reference)
  n <- dim(reference)[[1]]
  if (!is_tensor(indices)) {
    if (!tb_is_whole(indices, 1, n) || length(indices) == 0 || is.object(indices)) {
      tb_arg_error("indices", paste0("positions along the first axis of `reference`, whole ",
                                     "numbers from 1 to ", n, " (or a tensor of 0-based ",
                                     "positions)"), indices)
    }
    indices <- tb_call("bridge.api.as_tensor", array(as.integer(indices) - 1L,
                                                     dim(indices) %||% length(indices)))
  }
  tb_call("engine.gather", reference, indices, axis = 0L)
}

#' @rdname k_shapes
#' @export
k_one_hot <- function(indices, num_classes) {
  num_classes <- check_count(num_classes)
  if (!is_tensor(indices) && !tb_is_whole(indices, 0, num_classes - 1)) {
    tb_arg_error("indices", paste0("class indices counted from 0: whole numbers from 0 to ",
                                   num_classes - 1), indices)
  }
  indices <- tb_k_tensor(indices)
  tb_call("engine.one_hot", tb_call("engine.cast", indices, "int64"), num_classes)
}

#' Facts about a tensor: `k_ndim()`, `k_int_shape()`, `k_dtype()` ...
#'
#' `k_ndim()` is the number of axes; `k_int_shape()` the extents as a list
#' (with `NULL` for an extent that is not known yet, e.g. the batch axis of
#' a layer's symbolic output); `k_shape()` the extents as an integer
#' tensor; `k_dtype()` the dtype's name; `k_count_params()` the number of
#' values; `k_is_tensor()` whether `x` is a tensor (also a symbolic one),
#' `k_is_keras_tensor()` whether it is a layer's symbolic output.
#'
#' @param x A tensor (or, for `k_is_*()`, anything).
#' @return See above.
#' @examples
#' if (tb_available()) {
#'   x <- k_zeros(c(2, 3))
#'   k_int_shape(x)
#'   k_dtype(x)
#'   k_int_shape(layer_input(shape = 5))  # list(NULL, 5L)
#' }
#' @name k_facts
#' @export
k_ndim <- function(x) {
  if (k_is_keras_tensor(x)) return(length(k_int_shape(x)))
  tb_k_rank(tb_k_tensor(x))
}

#' @rdname k_facts
#' @export
k_int_shape <- function(x) {
  if (!k_is_tensor(x)) x <- tb_k_tensor(x)
  shape <- tb_kb("int_shape", x)
  lapply(shape, function(d) if (is.null(d)) NULL else as.integer(d))
}

#' @rdname k_facts
#' @export
k_shape <- function(x) tb_call("engine.shape", tb_k_tensor(x))

#' @rdname k_facts
#' @export
k_dtype <- function(x) {
  if (!k_is_tensor(x)) x <- tb_k_tensor(x)
  tb_kb("dtype", x)
}

#' @rdname k_facts
#' @export
k_count_params <- function(x) {
  if (!k_is_tensor(x)) x <- tb_k_tensor(x)
  as.integer(tb_kb("count_params", x))
}

#' @rdname k_facts
#' @export
k_get_variable_shape <- function(x) k_int_shape(x)

#' @rdname k_facts
#' @export
k_is_tensor <- function(x) {
  inherits(x, "tensorbridge.engine.tensor.Tensor") || k_is_keras_tensor(x)
}

#' @rdname k_facts
#' @export
k_is_keras_tensor <- function(x) inherits(x, "tensorbridge.engine.keras.layers.base.KerasTensor")

#' Casts: `k_cast()`, `k_cast_to_floatx()`
#'
#' @param x A tensor or an R array.
#' @param dtype A dtype name such as `"float32"`, `"int64"`, `"bool"`.
#' @return A tensor.
#' @examples
#' if (tb_available()) k_dtype(k_cast(1:3, "float32"))
#' @export
k_cast <- function(x, dtype) {
  x <- tb_k_tensor(x)
  if (is.null(dtype)) tb_arg_error("dtype", "a dtype name", dtype)
  tb_call("engine.cast", x, tb_k_dtype(dtype))
}

#' @rdname k_cast
#' @export
k_cast_to_floatx <- function(x) tb_kb("cast_to_floatx", tb_k_tensor(x))

#' Products: `k_dot()` and `k_batch_dot()`
#'
#' `k_dot(x, y)` contracts the last axis of `x` with the second-to-last of
#' `y` (the matrix product for matrices). `k_batch_dot(x, y, axes)` does, for
#' each sample (the first axis), the dot product over axis `axes[1]` of `x`
#' and `axes[2]` of `y` (one number: the same for both; counted from 1, and
#' never the batch axis). The result has `x`'s other axes, then `y`'s; a
#' result with only the batch axis becomes a one-column matrix.
#'
#' @param x,y Tensors or R arrays.
#' @param axes One or two axes (see above).
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- array(rnorm(24), c(4, 3, 2))
#'   y <- array(rnorm(40), c(4, 2, 5))
#'   dim(k_batch_dot(x, y, axes = c(3, 2)))  # 4 3 5
#' }
#' @export
k_dot <- function(x, y) {
  p <- tb_k_pair(x, y, "x", "y")
  tb_kb("dot", p[[1]], p[[2]])
}

#' @rdname k_dot
#' @export
k_batch_dot <- function(x, y, axes) {
  p <- tb_k_pair(x, y, "x", "y")
  if (missing(axes) || !length(axes) %in% 1:2) tb_arg_error("axes", "one or two axes", if (!missing(axes)) axes)
  given <- axes
  if (length(axes) == 1) axes <- c(axes, axes)
  ax <- tb_k_axis(axes[[1]], tb_k_rank(p[[1]]), null_ok = FALSE, arg = "axes")
  ay <- tb_k_axis(axes[[2]], tb_k_rank(p[[2]]), null_ok = FALSE, arg = "axes")
  if (ax == 0L || ay == 0L) {
    tb_arg_error("axes", "axes of the samples (not 1, the batch axis)", given)
  }
  tb_kb("batch_dot", p[[1]], p[[2]], list(ax, ay))
}

#' Variables and constants: `k_variable()`, `k_constant()`, `k_zeros()` ...
#'
#' `k_variable()` makes a variable (trainable, watched by gradient tapes);
#' `k_zeros()`, `k_ones()` and `k_eye()` make variables filled as named
#' (as keras 2's backend does); `k_constant()`, `k_zeros_like()`,
#' `k_ones_like()`, `k_identity()` and `k_arange()` make tensors.
#' `k_get_value()` and `k_eval()` give a tensor's values as an R array,
#' `k_batch_get_value()` a list of them; `k_set_value()` replaces a
#' variable's values; `k_update()`, `k_update_add()`, `k_update_sub()` and
#' `k_moving_average_update()` (`x * momentum + value * (1 - momentum)`)
#' change a variable in place and return it.
#'
#' @param value,new_x,increment,decrement Values (tensors or R arrays).
#' @param dtype A dtype name (`NULL`: floatx, `"float32"`, for new floats;
#'   R's type for `k_constant()` and `k_variable()` of R values).
#' @param name A name (one string) or `NULL`.
#' @param constraint Only `NULL` (not supported).
#' @param shape Extents of the new tensor.
#' @param size The size of the identity matrix.
#' @param x A tensor or variable.
#' @param ops A list of tensors.
#' @param lists A list of `list(variable, value)` pairs.
#' @param momentum The weight of the old value.
#' @param start,stop,step A range (`stop = NULL`: from 0 to `start`).
#' @return A variable or tensor; `k_get_value()`: an R array.
#' @examples
#' if (tb_available()) {
#'   v <- k_variable(matrix(1:4, 2), dtype = "float32")
#'   k_set_value(v, matrix(0, 2, 2))
#'   k_get_value(k_update_add(v, 1))
#'   k_get_value(k_eye(3))
#' }
#' @name k_variables
#' @export
k_variable <- function(value, dtype = NULL, name = NULL, constraint = NULL) {
  dtype <- tb_k_dtype(dtype)
  name <- check_string(name, null_ok = TRUE)
  if (!is.null(constraint)) tb_arg_error("constraint", "NULL (constraints are not supported here)", constraint)
  value <- tb_k_tensor(value)
  tb_call("engine.Variable", value, name = name, dtype = dtype)
}

#' @rdname k_variables
#' @export
k_constant <- function(value, dtype = NULL, shape = NULL, name = NULL) {
  dtype <- tb_k_dtype(dtype)
  check_string(name, null_ok = TRUE)
  value <- tb_k_tensor(value)
  if (!is.null(dtype)) value <- tb_call("engine.cast", value, dtype)
  if (!is.null(shape)) {
    shape <- tb_k_shape(shape)
    n <- prod(unlist(shape))
    if (length(value) == 1) {
      value <- tb_call("engine.broadcast_to", tb_call("engine.reshape", value, list()), shape)
    } else if (length(value) == n) {
      value <- tb_call("engine.reshape", value, shape)
    } else {
      tb_stop("`value` has ", length(value), " elements, but `shape` needs ", n,
              " (or give one value to fill it).")
    }
  }
  tb_call("engine.identity", value)
}

tb_k_filled <- function(fn, shape, dtype, name) {
  shape <- tb_k_shape(shape, "shape")
  name <- check_string(name, "name", null_ok = TRUE)
  dtype <- tb_check_dtype(dtype, fn) %||% tb_k_floatx()
  tb_call("engine.Variable", tb_call(paste0("engine.", sub("k_", "", fn)), shape, dtype = dtype),
          name = name)
}

#' @rdname k_variables
#' @export
k_zeros <- function(shape, dtype = NULL, name = NULL) tb_k_filled("k_zeros", shape, dtype, name)

#' @rdname k_variables
#' @export
k_ones <- function(shape, dtype = NULL, name = NULL) tb_k_filled("k_ones", shape, dtype, name)

#' @rdname k_variables
#' @export
k_eye <- function(size, dtype = NULL, name = NULL) {
  size <- check_count(size, min = 0)
  name <- check_string(name, null_ok = TRUE)
  dtype <- tb_k_dtype(dtype, tb_k_floatx())
  tb_call("engine.Variable", tb_call("engine.eye", size, dtype = dtype), name = name)
}

#' @rdname k_variables
#' @export
k_zeros_like <- function(x, dtype = NULL, name = NULL) {
  tb_call("engine.zeros_like", tb_k_tensor(x), dtype = tb_k_dtype(dtype))
}

#' @rdname k_variables
#' @export
k_ones_like <- function(x, dtype = NULL, name = NULL) {
  tb_call("engine.ones_like", tb_k_tensor(x), dtype = tb_k_dtype(dtype))
}

#' @rdname k_variables
#' @export
k_identity <- function(x, name = NULL) tb_call("engine.identity", tb_k_tensor(x))

#' @rdname k_variables
#' @export
k_arange <- function(start, stop = NULL, step = 1, dtype = "int32") {
  start <- check_number(start)
  stop <- check_number(stop, null_ok = TRUE)
  step <- check_number(step)
  if (step == 0) tb_arg_error("step", "a number other than 0", step)
  dtype <- tb_k_dtype(dtype)
  tb_call("engine.range", start, stop, step, dtype = dtype)
}

#' @rdname k_variables
#' @export
k_get_value <- function(x) as.array(tb_k_tensor(x))

#' @rdname k_variables
#' @export
k_eval <- function(x) as.array(tb_k_tensor(x))

#' @rdname k_variables
#' @export
k_batch_get_value <- function(ops) {
  if (!is.list(ops) || is.object(ops)) tb_arg_error("ops", "a list of tensors", ops)
  lapply(seq_along(ops), function(i) as.array(tb_k_tensor(ops[[i]], paste0("ops[[", i, "]]"))))
}

tb_k_variable <- function(x, arg = "x") {
  if (!inherits(x, "tensorbridge.engine.tensor.Variable")) {
    tb_arg_error(arg, "a variable (from k_variable() or a layer's weights)", x)
  }
  x
}

#' @rdname k_variables
#' @export
k_set_value <- function(x, value) {
  tb_k_variable(x)
  tb_k_assign(x, "assign", value, "value")
  invisible(NULL)
}

#' @rdname k_variables
#' @export
k_batch_set_value <- function(lists) {
  if (!is.list(lists) || is.object(lists)) tb_arg_error("lists", "a list of list(variable, value) pairs", lists)
  for (i in seq_along(lists)) {
    pair <- lists[[i]]
    if (!is.list(pair) || length(pair) != 2) {
      tb_arg_error(paste0("lists[[", i, "]]"), "a list(variable, value) pair", pair)
    }
    tb_k_variable(pair[[1]], paste0("lists[[", i, "]][[1]]"))
    tb_k_assign(pair[[1]], "assign", pair[[2]], paste0("lists[[", i, "]][[2]]"))
  }
  invisible(NULL)
}

# Assigns after checking that the new values have the variable's shape.
tb_k_assign <- function(x, method, value, arg) {
  given <- value
  value <- tb_k_tensor(value, arg)
  if (!identical(dim(value), dim(x)) && length(value) != 1) {
    tb_arg_error(arg, paste0("values of the variable's dim c(", paste(dim(x), collapse = ", "),
                             ")"), if (is_tensor(given)) paste0("dim c(", paste(dim(value), collapse = ", "), ")") else given)
  }
  value <- tb_call("engine.cast", value, k_dtype(x))
  tb_method(x, method, value)
  x
}

#' @rdname k_variables
#' @export
k_update <- function(x, new_x) tb_k_assign(tb_k_variable(x), "assign", new_x, "new_x")

#' @rdname k_variables
#' @export
k_update_add <- function(x, increment) {
  tb_k_assign(tb_k_variable(x), "assign_add", increment, "increment")
}

#' @rdname k_variables
#' @export
k_update_sub <- function(x, decrement) {
  tb_k_assign(tb_k_variable(x), "assign_sub", decrement, "decrement")
}

#' @rdname k_variables
#' @export
k_moving_average_update <- function(x, value, momentum) {
  tb_k_variable(x)
  momentum <- check_number(momentum, min = 0, max = 1)
  value <- tb_call("engine.cast", tb_k_tensor(value), k_dtype(x))
  tb_k_assign(x, "assign", x * momentum + value * (1 - momentum), "value")
}

#' Random tensors: `k_random_normal()`, `k_random_uniform()` ...
#'
#' Draws from the engine's random generator (`seed`: a stream of its own,
#' reproducible). `k_random_bernoulli()` (and its keras 2 alias
#' `k_random_binomial()`) gives 1 with probability `p`, else 0;
#' `k_truncated_normal()` redraws values beyond two standard deviations.
#' The `*_variable()` forms return variables.
#'
#' @param shape Extents (non-negative whole numbers).
#' @param mean,stddev,scale Mean and standard deviation.
#' @param minval,maxval,low,high Bounds of the uniform distribution.
#' @param p The probability of 1.
#' @param dtype A float dtype name (`NULL`: floatx, `"float32"`).
#' @param seed `NULL` or a non-negative whole number.
#' @param name A name, or `NULL`.
#' @return A tensor (a variable for the `*_variable()` forms).
#' @examples
#' if (tb_available()) {
#'   x <- k_random_normal(c(1000, 2), mean = 3, stddev = 2, seed = 1)
#'   colMeans(k_get_value(x))
#' }
#' @name k_random
#' @export
k_random_normal <- function(shape, mean = 0.0, stddev = 1.0, dtype = NULL, seed = NULL) {
  tb_k_random("normal", shape, dtype, seed, mean = check_number(mean),
              stddev = check_number(stddev, min = 0))
}

#' @rdname k_random
#' @export
k_random_uniform <- function(shape, minval = 0.0, maxval = 1.0, dtype = NULL, seed = NULL) {
  minval <- check_number(minval)
  maxval <- check_number(maxval)
  if (maxval <= minval) tb_arg_error("maxval", paste0("a number above `minval` (", minval, ")"), maxval)
  tb_k_random("uniform", shape, dtype, seed, minval = minval, maxval = maxval)
}

#' @rdname k_random
#' @export
k_truncated_normal <- function(shape, mean = 0.0, stddev = 1.0, dtype = NULL, seed = NULL) {
  tb_k_random("truncated_normal", shape, dtype, seed, mean = check_number(mean),
              stddev = check_number(stddev, min = 0))
}

#' @rdname k_random
#' @export
k_random_bernoulli <- function(shape, p = 0.0, dtype = NULL, seed = NULL) {
  shape <- tb_k_shape(shape)
  p <- check_number(p, min = 0, max = 1)
  dtype <- tb_k_dtype(dtype, tb_k_floatx())
  tb_kb("random_bernoulli", shape, p = p, dtype = dtype, seed = check_seed(seed))
}

#' @rdname k_random
#' @export
k_random_binomial <- function(shape, p = 0.0, dtype = NULL, seed = NULL) {
  k_random_bernoulli(shape, p = p, dtype = dtype, seed = seed)
}

#' @rdname k_random
#' @export
k_random_normal_variable <- function(shape, mean, scale, dtype = NULL, name = NULL, seed = NULL) {
  name <- check_string(name, null_ok = TRUE)
  x <- tb_k_random("normal", shape, dtype, seed, mean = check_number(mean),
                   stddev = check_number(scale, min = 0))
  tb_call("engine.Variable", x, name = name)
}

#' @rdname k_random
#' @export
k_random_uniform_variable <- function(shape, low, high, dtype = NULL, name = NULL, seed = NULL) {
  name <- check_string(name, null_ok = TRUE)
  low <- check_number(low)
  high <- check_number(high)
  if (high <= low) tb_arg_error("high", paste0("a number above `low` (", low, ")"), high)
  x <- tb_k_random("uniform", shape, dtype, seed, minval = low, maxval = high)
  tb_call("engine.Variable", x, name = name)
}

tb_k_random <- function(what, shape, dtype, seed, ...) {
  shape <- tb_k_shape(shape, "shape")
  dtype <- tb_k_dtype(dtype, tb_k_floatx())
  if (!dtype %in% c("float16", "float32", "float64")) {
    tb_arg_error("dtype", 'a float dtype ("float16", "float32" or "float64")', dtype)
  }
  tb_call(paste0("engine.random.", what), shape, ..., dtype = dtype, seed = check_seed(seed))
}

#' Neural-network functions: cross-entropies, `k_l2_normalize()`, `k_dropout()` ...
#'
#' `k_categorical_crossentropy()` takes one-hot targets (probabilities are
#' normalized to sum 1 and clipped by `k_epsilon()` unless `from_logits`);
#' `k_sparse_categorical_crossentropy()` takes class indices counted from 0
#' (as keras R); `k_binary_crossentropy()` is elementwise. `k_l2_normalize()`
#' divides by the Euclidean norm along `axis` (`NULL`: all). `k_dropout()`
#' zeroes values with probability `level` and scales the rest by
#' `1 / (1 - level)`. `k_bias_add()` adds a bias along the channel axis;
#' `k_batch_normalization()` is `(x - mean) / sqrt(var + epsilon) * gamma +
#' beta`; `k_normalize_batch_in_training()` computes the batch's mean and
#' (population) variance over `reduction_axes`, normalizes `x` with them
#' (`gamma` and `beta` shaped like the mean, or `NULL`) and returns
#' `list(normed, mean, var)`. `k_in_top_k()` tells, for each row, whether the target class (from
#' 0) is among the `k` largest predictions.
#'
#' @param target,output Targets and predictions (tensors or R arrays).
#' @param from_logits Whether `output` holds logits rather than probabilities.
#' @param axis The class axis (counted from 1; -1 the last), or for
#'   `k_l2_normalize()` the axes to normalize over.
#' @param x A tensor or an R array.
#' @param level The dropout rate, in `[0, 1)`.
#' @param noise_shape `NULL` or the shape of the dropout mask.
#' @param seed `NULL` or a whole number.
#' @param bias,mean,var,beta,gamma Tensors that broadcast against `x`
#'   (`beta`, `gamma` may be `NULL`).
#' @param data_format `NULL`, `"channels_last"` or `"channels_first"`.
#' @param epsilon Added to the variance.
#' @param reduction_axes For `k_normalize_batch_in_training()`, the axes to
#'   normalize over, counted from **0** (as keras R 2.x, which passes them to
#'   TensorFlow as they are; negative from the end).
#' @param predictions,targets,k Predictions (batch, classes), target classes
#'   (from 0) and how many of the largest predictions count.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   p <- matrix(c(0.7, 0.2, 0.3, 0.8), 2)
#'   y <- matrix(c(1, 0, 0, 1), 2)
#'   as.array(k_categorical_crossentropy(y, p))  # -log(c(0.7, 0.8))
#'   as.array(k_l2_normalize(c(3, 4)))
#' }
#' @name k_nn
#' @export
k_categorical_crossentropy <- function(target, output, from_logits = FALSE, axis = -1) {
  p <- tb_k_pair(target, output, "target", "output")
  tb_kb("categorical_crossentropy", p[[1]], p[[2]], from_logits = check_flag(from_logits),
        axis = tb_k_one_axis(axis, p[[2]]))
}

#' @rdname k_nn
#' @export
k_sparse_categorical_crossentropy <- function(target, output, from_logits = FALSE, axis = -1) {
  output <- tb_k_float(output)
  target <- tb_k_tensor(target)
  tb_kb("sparse_categorical_crossentropy", target, output, from_logits = check_flag(from_logits),
        axis = tb_k_one_axis(axis, output))
}

#' @rdname k_nn
#' @export
k_binary_crossentropy <- function(target, output, from_logits = FALSE) {
  p <- tb_k_pair(target, output, "target", "output")
  tb_kb("binary_crossentropy", p[[1]], p[[2]], from_logits = check_flag(from_logits))
}

#' @rdname k_nn
#' @export
k_l2_normalize <- function(x, axis = NULL) {
  x <- tb_k_float(x)
  tb_kb("l2_normalize", x, axis = tb_k_axis(axis, tb_k_rank(x)))
}

#' @rdname k_nn
#' @export
k_dropout <- function(x, level, noise_shape = NULL, seed = NULL) {
  x <- tb_k_float(x)
  level <- check_rate(level)
  if (!is.null(noise_shape)) noise_shape <- tb_k_shape(noise_shape)
  tb_call("engine.nn.dropout", x, level, noise_shape = noise_shape, seed = check_seed(seed))
}

#' @rdname k_nn
#' @export
k_bias_add <- function(x, bias, data_format = NULL) {
  x <- tb_k_tensor(x)
  bias <- tb_k_tensor(bias)
  tb_kb("bias_add", x, bias, data_format = check_data_format(data_format))
}

#' @rdname k_nn
#' @export
k_batch_normalization <- function(x, mean, var, beta, gamma, axis = -1, epsilon = 0.001) {
  x <- tb_k_tensor(x)
  tb_k_one_axis(axis, x)
  tb_kb("batch_normalization", x, tb_k_tensor(mean), tb_k_tensor(var),
        if (!is.null(beta)) tb_k_tensor(beta), if (!is.null(gamma)) tb_k_tensor(gamma),
        epsilon = check_number(epsilon, min = 0))
}

#' @rdname k_nn
#' @export
k_normalize_batch_in_training <- function(x, gamma, beta, reduction_axes, epsilon = 0.001) {
  x <- tb_k_float(x)
  rank <- tb_k_rank(x)
  ok <- is.numeric(reduction_axes) && !is.factor(reduction_axes) &&
    length(reduction_axes) >= 1 && is.null(dim(reduction_axes)) &&
    tb_is_whole(reduction_axes, -rank, rank - 1) && !anyDuplicated(reduction_axes %% rank)
  if (!ok) {
    tb_arg_error("reduction_axes", paste0(
      "distinct axes of `x` counted from 0 as in keras R (negative from the end): whole ",
      "numbers from 0 to ", rank - 1, " or from -", rank, " to -1"), reduction_axes)
  }
  out <- tb_kb("normalize_batch_in_training", x,
               if (!is.null(gamma)) tb_k_tensor(gamma), if (!is.null(beta)) tb_k_tensor(beta),
               as.list(as.integer(reduction_axes)),
               epsilon = check_number(epsilon, min = 0))
  list(normed = out[[1]], mean = out[[2]], var = out[[3]])
}

#' @rdname k_nn
#' @export
k_in_top_k <- function(predictions, targets, k) {
  tb_kb("in_top_k", tb_k_tensor(predictions), tb_k_tensor(targets), check_count(k))
}

#' Convolution, pooling and padding: `k_conv1d()`, `k_conv2d()`, `k_pool2d()` ...
#'
#' Through the engine's one convolution op. `x` is `(batch, steps,
#' channels)` for `k_conv1d()` and `(batch, rows, cols, channels)` for
#' `k_conv2d()` and `k_pool2d()` (with `data_format = "channels_first"`, the
#' channels come second); `kernel` is `(width, in, out)` or `(rows, cols,
#' in, out)`. `k_temporal_padding()` pads the second axis of a 3-d tensor;
#' `k_spatial_2d_padding()` the two spatial axes of a 4-d one.
#'
#' @param x The input tensor.
#' @param kernel The filters.
#' @param strides,dilation_rate Steps and dilation (one number per spatial axis).
#' @param padding `"valid"` or `"same"`; for the padding functions, the
#'   zeros before and after (a pair, or a list of two pairs).
#' @param data_format `NULL`, `"channels_last"` or `"channels_first"`.
#' @param pool_size The window (rows, cols).
#' @param pool_mode `"max"` or `"avg"`.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- array(rnorm(2 * 5 * 5 * 1), c(2, 5, 5, 1))
#'   dim(k_conv2d(x, array(1, c(3, 3, 1, 4))))  # 2 3 3 4
#'   dim(k_pool2d(x, pool_size = c(2, 2), strides = c(2, 2)))
#' }
#' @name k_conv
#' @export
k_conv1d <- function(x, kernel, strides = 1, padding = "valid", data_format = NULL,
                     dilation_rate = 1) {
  tb_kb("conv1d", tb_k_float(x), tb_k_float(kernel), strides = check_count(strides),
        padding = check_padding(padding), data_format = check_data_format(data_format),
        dilation_rate = check_count(dilation_rate))
}

#' @rdname k_conv
#' @export
k_conv2d <- function(x, kernel, strides = c(1, 1), padding = "valid", data_format = NULL,
                     dilation_rate = c(1, 1)) {
  tb_kb("conv2d", tb_k_float(x), tb_k_float(kernel), strides = check_counts(strides, len = 1:2),
        padding = check_padding(padding), data_format = check_data_format(data_format),
        dilation_rate = check_counts(dilation_rate, len = 1:2))
}

#' @rdname k_conv
#' @export
k_pool2d <- function(x, pool_size, strides = c(1, 1), padding = "valid", data_format = NULL,
                     pool_mode = "max") {
  tb_kb("pool2d", tb_k_float(x), check_counts(pool_size, len = 1:2),
        strides = check_counts(strides, len = 1:2), padding = check_padding(padding),
        data_format = check_data_format(data_format),
        pool_mode = check_string(pool_mode, choices = c("max", "avg")))
}

#' @rdname k_conv
#' @export
k_temporal_padding <- function(x, padding = c(1, 1)) {
  x <- tb_k_tensor(x)
  if (tb_k_rank(x) != 3) tb_stop("`x` must have 3 axes (batch, steps, channels), not ", tb_k_rank(x), ".")
  tb_kb("temporal_padding", x, check_counts(padding, min = 0, len = 2))
}

#' @rdname k_conv
#' @export
k_spatial_2d_padding <- function(x, padding = list(list(1, 1), list(1, 1)), data_format = NULL) {
  x <- tb_k_tensor(x)
  if (tb_k_rank(x) != 4) tb_stop("`x` must have 4 axes, not ", tb_k_rank(x), ".")
  ok <- is.list(padding) && length(padding) == 2 &&
    all(vapply(padding, function(p) length(p) == 2 && tb_is_whole(unlist(p), 0, tb_int_max), TRUE))
  if (!ok) tb_arg_error("padding", "two pairs of non-negative whole numbers, e.g. list(c(1, 1), c(2, 2))", padding)
  tb_kb("spatial_2d_padding", x, lapply(padding, function(p) as.list(as.integer(unlist(p)))),
        data_format = check_data_format(data_format))
}

#' Control and gradients: `k_switch()`, `k_gradients()`, `k_stop_gradient()` ...
#'
#' `k_switch()` takes `then_expression` where `condition` holds, else
#' `else_expression`; a single `TRUE`/`FALSE` picks one whole branch (a
#' function given as a branch is called only when taken), a condition of
#' lower rank is broadcast over the branches' trailing axes.
#' `k_in_train_phase()` gives `x` when `training` is `TRUE`, else `alt`
#' (`k_in_test_phase()` the other way round); `k_learning_phase()` is 0.
#'
#' `k_gradients(loss, variables)` gives the gradients of `sum(loss)` with
#' respect to each variable, from the operations recorded while `loss` was
#' computed: call it inside `with(tf$GradientTape() \%as\% tape, { ... })`
#' (where keras 2's graph mode recorded them implicitly). `k_stop_gradient()`
#' makes tensors constants for differentiation.
#'
#' `k_map_fn()` applies `fn` to each slice of `elems` along the first axis
#' and stacks the results; `k_foldl()` and `k_foldr()` accumulate
#' `fn(acc, slice)` from the first or the last slice.
#'
#' @param condition A logical tensor or R value.
#' @param then_expression,else_expression,x,alt Tensors, R arrays or
#'   functions of no arguments.
#' @param training `TRUE`, `FALSE` or `NULL` (the learning phase, 0).
#' @param loss A tensor computed under a gradient tape.
#' @param variables A variable, or a list of them.
#' @param fn A function.
#' @param elems A tensor or an R array.
#' @param initializer The start of the accumulation (`NULL`: the first slice).
#' @param name,dtype Not used.
#' @param message Printed before the tensor.
#' @return A tensor (a list of them for `k_gradients()` and
#'   `k_stop_gradient()` of a list).
#' @examples
#' if (tb_available()) {
#'   w <- k_variable(c(1, 2, 3))
#'   with(tf$GradientTape() %as% tape, {
#'     loss <- k_sum(k_square(w))
#'     g <- k_gradients(loss, list(w))
#'   })
#'   as.array(g[[1]])  # 2 * w
#'   as.array(k_switch(c(TRUE, FALSE), c(1, 2), c(10, 20)))
#' }
#' @name k_control
#' @export
k_switch <- function(condition, then_expression, else_expression) {
  condition <- tb_k_tensor(condition)
  branch <- function(v, arg) if (is.function(v)) v else tb_k_tensor(v, arg)
  then_expression <- branch(then_expression, "then_expression")
  else_expression <- branch(else_expression, "else_expression")
  tb_kb("switch", condition, then_expression, else_expression)
}

#' @rdname k_control
#' @export
k_in_train_phase <- function(x, alt, training = NULL) {
  training <- check_flag(training, null_ok = TRUE)
  v <- if (isTRUE(training)) x else alt
  if (is.function(v)) v() else tb_k_tensor(v, if (isTRUE(training)) "x" else "alt")
}

#' @rdname k_control
#' @export
k_in_test_phase <- function(x, alt, training = NULL) {
  training <- check_flag(training, null_ok = TRUE)
  v <- if (isTRUE(training)) alt else x
  if (is.function(v)) v() else tb_k_tensor(v, if (isTRUE(training)) "alt" else "x")
}

#' @rdname k_control
#' @export
k_learning_phase <- function() 0L

#' @rdname k_control
#' @export
k_gradients <- function(loss, variables) {
  if (!is_tensor(loss)) tb_arg_error("loss", "a tensor computed inside a gradient tape", loss)
  vars <- if (is_tensor(variables)) list(variables) else variables
  if (!is.list(vars) || is.object(vars) || length(vars) == 0 ||
      !all(vapply(vars, is_tensor, TRUE))) {
    tb_arg_error("variables", "a variable or a list of variables (or tensors)", variables)
  }
  if (is.null(tb_getattr(loss, "_node"))) {
    tb_stop("`loss` has no recorded operations: compute it inside ",
            "with(tf$GradientTape() %as% tape, { ... }) and call k_gradients() there ",
            "(or use tape$gradient(loss, variables)).")
  }
  tb_kb("gradients", loss, vars)
}

#' @rdname k_control
#' @export
k_stop_gradient <- function(variables) {
  if (is.list(variables) && !is.object(variables)) {
    return(lapply(seq_along(variables), function(i) {
      tb_call("engine.stop_gradient", tb_k_tensor(variables[[i]], paste0("variables[[", i, "]]")))
    }))
  }
  tb_call("engine.stop_gradient", tb_k_tensor(variables))
}

#' @rdname k_control
#' @export
k_map_fn <- function(fn, elems, name = NULL, dtype = NULL) {
  fn <- check_function(fn)
  elems <- tb_k_tensor(elems)
  parts <- tb_call("engine.unstack", elems, axis = 0L)
  if (length(parts) == 0) tb_stop("`elems` has no slices along its first axis.")
  tb_call("engine.stack", lapply(parts, function(p) tb_k_tensor(fn(p), "the value of fn")),
          axis = 0L)
}

#' @rdname k_control
#' @export
k_foldl <- function(fn, elems, initializer = NULL, name = NULL) {
  tb_k_fold(check_function(fn), tb_k_tensor(elems), initializer, rev = FALSE)
}

#' @rdname k_control
#' @export
k_foldr <- function(fn, elems, initializer = NULL, name = NULL) {
  tb_k_fold(check_function(fn), tb_k_tensor(elems), initializer, rev = TRUE)
}

tb_k_fold <- function(fn, elems, initializer, rev) {
  parts <- tb_call("engine.unstack", elems, axis = 0L)
  if (rev) parts <- rev(parts)
  if (is.null(initializer)) {
    if (length(parts) == 0) tb_stop("`elems` is empty and there is no `initializer`.")
    acc <- parts[[1]]
    parts <- parts[-1]
  } else {
    acc <- tb_k_tensor(initializer)
  }
  for (p in parts) acc <- fn(acc, p)
  acc
}

#' Iterate a step function over the time axis: `k_rnn()`
#'
#' keras R's backend loop behind recurrent layers. `step_function(inputs,
#' states)` gets the inputs of one time step (`samples x features ...`, the
#' time axis dropped) and a list of the states followed by `constants`, and
#' returns `list(output, new_states)` (`new_states` a list of tensors shaped
#' like `initial_states`, or one tensor when there is one state). The loop
#' runs on the engine's operations, so gradients flow through it (inside a
#' gradient tape) to whatever the step function used.
#'
#' With `mask`, a step whose mask is 0 (or `FALSE`) keeps the states it had
#' and repeats the previous step's output (zeros before the first unmasked
#' step), as keras does. With `go_backwards = TRUE` the steps run from the
#' last to the first and `outputs` come in that (reversed) order.
#'
#' @param step_function An R function `function(inputs, states)` returning
#'   `list(output, new_states)`.
#' @param inputs A tensor (or R array) `samples x time x ...`, at least 3
#'   axes.
#' @param initial_states A tensor or a list of tensors (`samples x ...`), the
#'   states before the first step.
#' @param go_backwards Whether to run over the time steps in reverse order.
#' @param mask `NULL`, or a `samples x time` (or `samples x time x 1`)
#'   logical or 0/1 tensor or array.
#' @param constants `NULL`, or a tensor or a list of tensors passed to every
#'   step after the states.
#' @param unroll,input_length Accepted for keras R's sake; they change
#'   nothing (the loop is always unrolled over the steps of `inputs`).
#'   `unroll` is `TRUE` or `FALSE`, `input_length` `NULL` or a positive
#'   whole number.
#' @return A list of `last_output` (the output of the last step, `samples x
#'   ...`), `outputs` (`samples x time x ...`) and `new_states` (a list of
#'   the final states).
#' @examples
#' if (tb_available()) {
#'   x <- array(rnorm(2 * 4 * 3), c(2, 4, 3))   # samples, time, features
#'   w <- matrix(rnorm(3 * 5), 3, 5)
#'   u <- matrix(rnorm(5 * 5), 5, 5) / 5
#'   step <- function(inputs, states) {
#'     h <- k_tanh(k_dot(inputs, w) + k_dot(states[[1]], u))
#'     list(h, list(h))
#'   }
#'   res <- k_rnn(step, x, list(k_zeros(c(2, 5), dtype = "float64")))
#'   dim(res$outputs)        # 2 4 5
#'   as.array(res$last_output)
#' }
#' @export
k_rnn <- function(step_function, inputs, initial_states, go_backwards = FALSE, mask = NULL,
                  constants = NULL, unroll = FALSE, input_length = NULL) {
  step_function <- check_function(step_function)
  inputs <- tb_k_tensor(inputs)
  if (tb_k_rank(inputs) < 3) {
    tb_arg_error("inputs", "a tensor with at least 3 axes (samples, time, features ...)",
                 inputs)
  }
  initial_states <- tb_k_tensor_list(initial_states, "initial_states")
  constants <- if (!is.null(constants)) tb_k_tensor_list(constants, "constants")
  go_backwards <- check_flag(go_backwards)
  if (!is.null(mask)) mask <- tb_k_tensor(mask)
  check_flag(unroll)
  check_count(input_length, null_ok = TRUE)
  step <- function(inputs, states) {
    res <- step_function(inputs, states)
    if (!is.list(res) || is.object(res) || length(res) != 2) {
      tb_arg_error("step_function", "a function returning list(output, new_states)",
                   fn = "k_rnn")
    }
    new_states <- res[[2]]
    if (is_tensor(new_states) || !is.list(new_states) || is.object(new_states)) {
      new_states <- list(new_states)
    }
    list(tb_k_tensor(res[[1]], "the output of step_function"),
         lapply(new_states, tb_k_tensor, arg = "the new states of step_function"))
  }
  out <- tb_kb("rnn", step, inputs, initial_states, go_backwards = go_backwards, mask = mask,
               constants = constants)
  list(last_output = out[[1]], outputs = out[[2]], new_states = as.list(out[[3]]))
}

# A tensor or a list of tensors (R arrays become tensors), as a list.
tb_k_tensor_list <- function(x, arg) {
  if (is_tensor(x) || !is.list(x) || is.object(x)) return(list(tb_k_tensor(x, arg)))
  if (length(x) == 0) tb_arg_error(arg, "a tensor or a non-empty list of tensors", x)
  lapply(seq_along(x), function(i) tb_k_tensor(x[[i]], paste0(arg, "[[", i, "]]")))
}

#' @rdname k_control
#' @export
k_print_tensor <- function(x, message = "") {
  x <- tb_k_tensor(x)
  message <- check_string(message)
  cat(message, "\n", sep = "")
  print(x)
  invisible(x)
}

#' Backend settings: `k_epsilon()`, `k_floatx()`, `k_backend()` ...
#'
#' `k_epsilon()` is the fuzz factor of the backend functions (1e-7), changed
#' with `k_set_epsilon()`; the built-in losses and metrics read it when
#' called, as keras' do (e.g. crossentropy clips predictions to
#' `[epsilon, 1 - epsilon]`).
#' `k_floatx()` is the float dtype of layers and weights, `"float32"`; the
#' engine has no other, so `k_set_floatx()` takes only `"float32"` (cast
#' tensors with [k_cast()]). `k_image_data_format()` is `"channels_last"`
#' (layers take `data_format` of their own). `k_backend()` is
#' `"tensorflow"`: the engine follows TensorFlow's backend. `k_clear_session()`
#' resets the counters behind default layer names; `k_get_uid()` counts
#' calls per prefix, `k_reset_uids()` resets it.
#'
#' @param e A positive number.
#' @param floatx,data_format The only supported value (see above).
#' @param prefix A string.
#' @return The setting; the setters return `NULL` invisibly.
#' @examples
#' if (tb_available()) {
#'   k_epsilon()
#'   k_floatx()
#' }
#' @name k_settings
#' @export
k_epsilon <- function() tb_kb("epsilon")

#' @rdname k_settings
#' @export
k_set_epsilon <- function(e) {
  e <- check_number(e, min = 0, min_open = TRUE)
  tb_kb("set_epsilon", e)
  invisible(NULL)
}

#' @rdname k_settings
#' @export
k_floatx <- function() tb_k_floatx()

#' @rdname k_settings
#' @export
k_set_floatx <- function(floatx) {
  floatx <- check_string(floatx, choices = "float32")
  invisible(NULL)
}

#' @rdname k_settings
#' @export
k_image_data_format <- function() "channels_last"

#' @rdname k_settings
#' @export
k_set_image_data_format <- function(data_format) {
  check_string(data_format, choices = "channels_last")
  invisible(NULL)
}

#' @rdname k_settings
#' @export
k_backend <- function() "tensorflow"

#' @rdname k_settings
#' @export
k_clear_session <- function() {
  tb_kb("clear_session")
  invisible(NULL)
}

#' @rdname k_settings
#' @export
k_get_uid <- function(prefix = "") as.integer(tb_kb("get_uid", check_string(prefix)))

#' @rdname k_settings
#' @export
k_reset_uids <- function() {
  tb_kb("reset_uids")
  invisible(NULL)
}
