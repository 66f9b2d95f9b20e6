# keras R's activation_*() functions: callable on tensors and R arrays, and
# usable as a layer's `activation =`.

#' Activation functions
#'
#' keras R's activation functions, to call on tensors (or R arrays) or to
#' give as `activation =` to a layer. Each but `activation_hard_sigmoid()`
#' carries its keras name in the attribute `py_function_name`, and a layer
#' given one uses the engine's activation of that name (same numbers, no
#' call back into R, saved by name). `activation_hard_sigmoid()` is keras 2's
#' formula, which differs from the engine's `"hard_sigmoid"` (keras 3's
#' `relu6(x + 3) / 6`), so a layer calls it as an R function.
#'
#' `activation_relu()`: `max(x, 0)`, with `alpha` the slope below
#' `threshold`, and values capped at `max_value`. `activation_elu()`: `x`
#' above 0, `alpha * (exp(x) - 1)` below. `activation_selu()`: scaled ELU.
#' `activation_hard_sigmoid()`: keras 2's `clip(0.2 * x + 0.5, 0, 1)`.
#' `activation_softmax()`: `exp(x)` normalized along `axis` (counted from 1;
#' -1, the last, by default). `activation_gelu()`: `x * pnorm(x)` (or its
#' tanh approximation). `activation_swish()` (keras3: `activation_silu()`):
#' `x * sigmoid(x)`. `activation_exponential()`, `activation_linear()`,
#' `activation_sigmoid()`, `activation_softplus()`, `activation_softsign()`,
#' `activation_tanh()` are as named. keras3's `activation_relu6()`,
#' `activation_leaky_relu()`, `activation_log_softmax()` and
#' `activation_mish()` are provided too.
#'
#' @param x A tensor or an R array.
#' @param alpha For `activation_relu()`: the slope below the threshold; for
#'   `activation_elu()`: the scale of the negative part; for
#'   `activation_leaky_relu()`: the slope below 0.
#' @param max_value `NULL` or the largest output.
#' @param threshold Values below it are 0 (or scaled by `alpha`).
#' @param axis The axis to normalize along.
#' @param approximate Use the tanh approximation.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   as.array(activation_relu(c(-1, 0.5, 3), max_value = 2))
#'   model <- keras_model_sequential() %>%
#'     layer_dense(units = 4, activation = activation_relu, input_shape = 3)
#' }
#' @name activations
#' @export
activation_relu <- function(x, alpha = 0.0, max_value = NULL, threshold = 0.0) {
  x <- tb_k_float(x)
  tb_call("engine.keras.activations.relu", x, negative_slope = check_number(alpha),
          max_value = check_number(max_value, null_ok = TRUE),
          threshold = check_number(threshold))
}

#' @rdname activations
#' @export
activation_elu <- function(x, alpha = 1.0) {
  tb_call("engine.keras.activations.elu", tb_k_float(x), alpha = check_number(alpha))
}

tb_activation <- function(name, x, ...) {
  tb_call(paste0("engine.keras.activations.", name), tb_k_float(x, "x"), ...)
}

#' @rdname activations
#' @export
activation_selu <- function(x) tb_activation("selu", x)

#' @rdname activations
#' @export
activation_hard_sigmoid <- function(x) {
  x <- tb_k_float(x)
  tb_call("engine.clip_by_value", x * 0.2 + 0.5, 0, 1)
}

#' @rdname activations
#' @export
activation_linear <- function(x) tb_k_tensor(x)

#' @rdname activations
#' @export
activation_sigmoid <- function(x) tb_activation("sigmoid", x)

#' @rdname activations
#' @export
activation_softmax <- function(x, axis = -1) {
  x <- tb_k_float(x)
  tb_call("engine.keras.activations.softmax", x, axis = tb_k_one_axis(axis, x))
}

#' @rdname activations
#' @export
activation_softplus <- function(x) tb_activation("softplus", x)

#' @rdname activations
#' @export
activation_softsign <- function(x) tb_activation("softsign", x)

#' @rdname activations
#' @export
activation_tanh <- function(x) tb_activation("tanh", x)

#' @rdname activations
#' @export
activation_exponential <- function(x) tb_activation("exponential", x)

#' @rdname activations
#' @export
activation_gelu <- function(x, approximate = FALSE) {
  tb_activation("gelu", x, approximate = check_flag(approximate))
}

#' @rdname activations
#' @export
activation_swish <- function(x) tb_activation("swish", x)

#' @rdname activations
#' @export
activation_silu <- function(x) tb_activation("silu", x)

#' @rdname activations
#' @export
activation_relu6 <- function(x) tb_activation("relu6", x)

#' @rdname activations
#' @export
activation_leaky_relu <- function(x, alpha = 0.2) {
  tb_call("engine.nn.leaky_relu", tb_k_float(x), alpha = check_number(alpha))
}

#' @rdname activations
#' @export
activation_log_softmax <- function(x, axis = -1) {
  x <- tb_k_float(x)
  tb_call("engine.keras.activations.log_softmax", x, axis = tb_k_one_axis(axis, x))
}

#' @rdname activations
#' @export
activation_mish <- function(x) tb_activation("mish", x)

attr(activation_relu, "py_function_name") <- "relu"
attr(activation_elu, "py_function_name") <- "elu"
attr(activation_selu, "py_function_name") <- "selu"
attr(activation_linear, "py_function_name") <- "linear"
attr(activation_sigmoid, "py_function_name") <- "sigmoid"
attr(activation_softmax, "py_function_name") <- "softmax"
attr(activation_softplus, "py_function_name") <- "softplus"
attr(activation_softsign, "py_function_name") <- "softsign"
attr(activation_tanh, "py_function_name") <- "tanh"
attr(activation_exponential, "py_function_name") <- "exponential"
attr(activation_gelu, "py_function_name") <- "gelu"
attr(activation_swish, "py_function_name") <- "swish"
attr(activation_silu, "py_function_name") <- "silu"
attr(activation_relu6, "py_function_name") <- "relu6"
attr(activation_leaky_relu, "py_function_name") <- "leaky_relu"
attr(activation_log_softmax, "py_function_name") <- "log_softmax"
attr(activation_mish, "py_function_name") <- "mish"
