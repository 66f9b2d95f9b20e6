# Losses: loss_*() with no data gives a loss object for compile(); with
# y_true and y_pred it computes the loss per sample.

make_loss <- function(class_name, fn_name) {
  force(class_name)
  force(fn_name)
  function(y_true, y_pred, ...) {
    options <- list(...)
    if (missing(y_true) && missing(y_pred)) return(tb_keras(paste0("losses.", class_name), options))
    value <- do.call(tb_call, c(list(paste0("engine.keras.losses.", fn_name),
                                     as_tensor(y_true), as_tensor(y_pred)), options))
    as.array(value)
  }
}

#' Loss functions
#'
#' Called without data, each returns a loss object to give to [compile()]
#' (a loss can also be named there by its string, e.g.
#' `loss = "categorical_crossentropy"`). Called with `y_true` and `y_pred`, it
#' computes the loss of each sample.
#'
#' @param y_true,y_pred True values and predictions (arrays with one row per
#'   sample).
#' @param ... Options of the loss, by name: `from_logits`, `label_smoothing`
#'   (cross-entropies), `axis` (`loss_cosine_similarity()`), `delta`
#'   (`loss_huber()`), `reduction` and `name` for the loss object.
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
loss_binary_crossentropy <- make_loss("BinaryCrossentropy", "binary_crossentropy")
#' @rdname loss-functions
#' @export
loss_categorical_crossentropy <- make_loss("CategoricalCrossentropy",
                                           "categorical_crossentropy")
#' @rdname loss-functions
#' @export
loss_sparse_categorical_crossentropy <- make_loss("SparseCategoricalCrossentropy",
                                                  "sparse_categorical_crossentropy")
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
loss_cosine_similarity <- make_loss("CosineSimilarity", "cosine_similarity")
#' @rdname loss-functions
#' @export
loss_huber <- make_loss("Huber", "huber")
#' @rdname loss-functions
#' @export
loss_logcosh <- make_loss("LogCosh", "log_cosh")
