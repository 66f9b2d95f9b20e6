# Losses: loss_*() with no data gives a loss object for compile(); with
# y_true and y_pred it computes the loss per sample.

make_loss <- function(class_name, fn_name, options = character()) {
  force(class_name)
  force(fn_name)
  fn_checks <- loss_option_checks[options]
  object_checks <- c(fn_checks, loss_option_checks[c("reduction", "name")])
  loss <- function(y_true, y_pred, ...) {
    if (missing(y_true) && missing(y_pred)) {
      return(tb_keras(paste0("losses.", class_name), check_options(list(...), object_checks)))
    }
    y_true <- check_loss_data(y_true)
    y_pred <- check_loss_data(y_pred)
    options <- check_options(list(...), fn_checks)
    value <- do.call(tb_call, c(list(paste0("engine.keras.losses.", fn_name),
                                     as_tensor(y_true), as_tensor(y_pred)), options))
    # tensors in (a loss written by the user, called in training): a tensor out, so
    # that the gradient flows through it; R arrays in: an R array out
    if (inherits(y_true, "tensorbridge_object") || inherits(y_pred, "tensorbridge_object")) {
      value
    } else {
      as.array(value)
    }
  }
  # keras R's name of the function, and the engine loss compile() uses when the
  # function itself is given (loss = loss_categorical_crossentropy)
  attr(loss, "py_function_name") <- fn_name
  attr(loss, "tb_engine_name") <- fn_name
  loss
}

# y_true and y_pred of a loss: numeric arrays (or tensors).
check_loss_data <- function(x, arg = tb_arg_name(substitute(x))) {
  ok <- inherits(x, "tensorbridge_object") ||
    ((is.numeric(x) || is.logical(x)) && !is.object(x) && length(x) >= 1)
  if (!ok) tb_arg_error(arg, "a numeric array or a tensor", x)
  x
}

loss_option_checks <- list(
  from_logits = function(x, arg) check_flag(x, arg),
  label_smoothing = function(x, arg) check_number(x, arg, min = 0, max = 1),
  axis = function(x, arg) check_axis(x, arg),
  ignore_class = function(x, arg) check_count(x, arg, min = -tb_int_max, null_ok = TRUE),
  delta = function(x, arg) check_number(x, arg, min = 0, min_open = TRUE),
  reduction = function(x, arg) {
    check_string(x, arg, choices = c("sum_over_batch_size", "sum", "none", "auto"))
  },
  name = function(x, arg) check_string(x, arg, null_ok = TRUE)
)

#' Loss functions
#'
#' Called without data, each returns a loss object to give to [compile()]
#' (a loss can also be named there by its string, e.g.
#' `loss = "categorical_crossentropy"`). Called with `y_true` and `y_pred`, it
#' computes the loss of each sample.
#'
#' @param y_true,y_pred True values and predictions (arrays with one row per
#'   sample).
#' @param ... Options of the loss, by name (others are an error):
#'   `from_logits` (`TRUE`/`FALSE`), `label_smoothing` (0 to 1) and `axis`
#'   (binary and categorical cross-entropy), `from_logits` and
#'   `ignore_class` (sparse categorical cross-entropy), `axis`
#'   (`loss_cosine_similarity()`), `delta` (> 0, `loss_huber()`); for the
#'   loss object also `reduction` (`"sum_over_batch_size"`, `"sum"`,
#'   `"none"` or `"auto"`) and `name`.
#' @return A loss object, or a vector with the loss of each sample.
#' @examples
#' if (tb_available()) {
#'   y_true <- matrix(c(0, 1, 1, 0), 2)
#'   y_pred <- matrix(c(0.1, 0.9, 0.8, 0.2), 2)
#'   loss_categorical_crossentropy(y_true, y_pred)
#'   loss_huber(delta = 0.5)
#' }
#' @name loss-functions
NULL

#' @rdname loss-functions
#' @export
loss_mean_squared_error <- make_loss("MeanSquaredError", "mean_squared_error")
#' @rdname loss-functions
#' @export
loss_mean_absolute_error <- make_loss("MeanAbsoluteError", "mean_absolute_error")
#' @rdname loss-functions
#' @export
loss_mean_absolute_percentage_error <- make_loss("MeanAbsolutePercentageError",
                                                 "mean_absolute_percentage_error")
#' @rdname loss-functions
#' @export
loss_mean_squared_logarithmic_error <- make_loss("MeanSquaredLogarithmicError",
                                                 "mean_squared_logarithmic_error")
#' @rdname loss-functions
#' @export
loss_binary_crossentropy <- make_loss("BinaryCrossentropy", "binary_crossentropy",
                                      c("from_logits", "label_smoothing", "axis"))
#' @rdname loss-functions
#' @export
loss_categorical_crossentropy <- make_loss(
  "CategoricalCrossentropy", "categorical_crossentropy",
  c("from_logits", "label_smoothing", "axis"))
#' @rdname loss-functions
#' @export
loss_sparse_categorical_crossentropy <- make_loss("SparseCategoricalCrossentropy",
                                                  "sparse_categorical_crossentropy",
                                                  c("from_logits", "ignore_class"))
#' @rdname loss-functions
#' @export
loss_hinge <- make_loss("Hinge", "hinge")
#' @rdname loss-functions
#' @export
loss_squared_hinge <- make_loss("SquaredHinge", "squared_hinge")
#' @rdname loss-functions
#' @export
loss_categorical_hinge <- make_loss("CategoricalHinge", "categorical_hinge")
#' @rdname loss-functions
#' @export
loss_kullback_leibler_divergence <- make_loss("KLDivergence", "kl_divergence")
#' @rdname loss-functions
#' @export
loss_poisson <- make_loss("Poisson", "poisson")
#' @rdname loss-functions
#' @export
loss_cosine_similarity <- make_loss("CosineSimilarity", "cosine_similarity", "axis")
#' @rdname loss-functions
#' @export
loss_huber <- make_loss("Huber", "huber", "delta")
#' @rdname loss-functions
#' @export
loss_logcosh <- make_loss("LogCosh", "log_cosh")
#' @rdname loss-functions
#' @export
loss_kl_divergence <- loss_kullback_leibler_divergence

#' Cosine proximity loss (deprecated)
#'
#' keras' old name of [loss_cosine_similarity()]: it warns, then calls that
#' function with the same arguments (the loss is the cosine similarity
#' negated, so that minimizing it aligns the vectors).
#'
#' @param ... Passed on to [loss_cosine_similarity()].
#' @return What [loss_cosine_similarity()] returns.
#' @examples
#' if (tb_available()) {
#'   suppressWarnings(loss_cosine_proximity(matrix(c(1, 0), 1), matrix(c(1, 1), 1)))
#' }
#' @keywords internal
#' @export
loss_cosine_proximity <- function(...) {
  warning("loss_cosine_proximity() is deprecated (as in keras): use loss_cosine_similarity().",
          call. = FALSE)
  loss_cosine_similarity(...)
}
attr(loss_cosine_proximity, "py_function_name") <- "cosine_proximity"
# compile(loss = loss_cosine_proximity): the engine's cosine similarity loss
attr(loss_cosine_proximity, "tb_engine_name") <- "cosine_similarity"
