# Initializers, regularizers and constraints for layer arguments.

#' Weight initializers
#'
#' Objects for a layer's `kernel_initializer` / `bias_initializer` (a name
#' such as `"he_normal"` works too). `initializer_glorot_uniform()` is the
#' default of dense layers.
#'
#' @param seed Optional random seed (a whole number >= 0, or `NULL`).
#' @param value Constant value (one finite number).
#' @param mean,stddev Mean and standard deviation (>= 0) of the normal draws.
#' @param minval,maxval Bounds of the uniform draws (`maxval >= minval`).
#' @param gain Multiplicative factor of the orthogonal matrix.
#' @return An initializer object.
#' @examples
#' if (tb_available()) {
#'   layer <- layer_dense(units = 4, kernel_initializer = initializer_he_normal(seed = 1))
#' }
#' @name initializers
NULL

initializer <- function(class_name, args = list()) {
  tb_keras(paste0("initializers.", class_name), args)
}

#' @rdname initializers
#' @export
initializer_glorot_uniform <- function(seed = NULL) {
  initializer("GlorotUniform", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_glorot_normal <- function(seed = NULL) {
  initializer("GlorotNormal", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_he_normal <- function(seed = NULL) {
  initializer("HeNormal", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_he_uniform <- function(seed = NULL) {
  initializer("HeUniform", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_lecun_normal <- function(seed = NULL) {
  initializer("LecunNormal", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_lecun_uniform <- function(seed = NULL) {
  initializer("LecunUniform", list(seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_zeros <- function() initializer("Zeros")
#' @rdname initializers
#' @export
initializer_ones <- function() initializer("Ones")
#' @rdname initializers
#' @export
initializer_constant <- function(value = 0) {
  initializer("Constant", list(value = check_number(value)))
}
#' @rdname initializers
#' @export
initializer_random_normal <- function(mean = 0, stddev = 0.05, seed = NULL) {
  initializer("RandomNormal", list(mean = check_number(mean),
                                   stddev = check_number(stddev, min = 0), seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_random_uniform <- function(minval = -0.05, maxval = 0.05, seed = NULL) {
  minval <- check_number(minval)
  maxval <- check_number(maxval)
  if (maxval < minval) tb_arg_error("maxval", paste0(">= `minval` (", minval, ")"), maxval)
  initializer("RandomUniform", list(minval = minval, maxval = maxval, seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_truncated_normal <- function(mean = 0, stddev = 0.05, seed = NULL) {
  initializer("TruncatedNormal", list(mean = check_number(mean),
                                      stddev = check_number(stddev, min = 0),
                                      seed = check_seed(seed)))
}
#' @rdname initializers
#' @export
initializer_orthogonal <- function(gain = 1, seed = NULL) {
  initializer("Orthogonal", list(gain = check_number(gain), seed = check_seed(seed)))
}

#' Weight regularizers
#'
#' Penalties on a layer's weights, added to the loss:
#' `l1 * sum(abs(w))` and/or `l2 * sum(w^2)`.
#'
#' @param l,l1,l2 Regularization factors (finite numbers >= 0).
#' @return A regularizer object.
#' @examples
#' if (tb_available()) {
#'   layer <- layer_dense(units = 4, kernel_regularizer = regularizer_l2(0.001))
#' }
#' @name regularizers
NULL

#' @rdname regularizers
#' @export
regularizer_l1 <- function(l = 0.01) {
  tb_keras("regularizers.L1", list(l1 = check_number(l, min = 0)))
}
#' @rdname regularizers
#' @export
regularizer_l2 <- function(l = 0.01) {
  tb_keras("regularizers.L2", list(l2 = check_number(l, min = 0)))
}
#' @rdname regularizers
#' @export
regularizer_l1_l2 <- function(l1 = 0.01, l2 = 0.01) {
  tb_keras("regularizers.L1L2", list(l1 = check_number(l1, min = 0),
                                     l2 = check_number(l2, min = 0)))
}

#' Weight constraints
#'
#' Applied to a layer's weights after every update: a maximum norm, non
#' negativity, or unit norm (norms along `axis`, Python's convention, `0`
#' being the rows of a dense kernel).
#'
#' @param max_value Maximum norm (> 0).
#' @param axis Axis or axes (whole numbers, Python's convention) along which
#'   norms are computed.
#' @return A constraint object.
#' @examples
#' if (tb_available()) {
#'   layer <- layer_dense(units = 4, kernel_constraint = constraint_maxnorm(2))
#' }
#' @name constraints
NULL

#' @rdname constraints
#' @export
constraint_maxnorm <- function(max_value = 2, axis = 0L) {
  tb_keras("constraints.MaxNorm", list(
    max_value = check_number(max_value, min = 0, min_open = TRUE), axis = check_axes(axis)))
}
#' @rdname constraints
#' @export
constraint_nonneg <- function() tb_keras("constraints.NonNeg")
#' @rdname constraints
#' @export
constraint_unitnorm <- function(axis = 0L) {
  tb_keras("constraints.UnitNorm", list(axis = check_axes(axis)))
}
