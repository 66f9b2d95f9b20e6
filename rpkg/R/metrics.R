# Metrics: objects for compile(metrics = ); stateful over an epoch.

make_metric <- function(class_name) {
  force(class_name)
  function(..., name = NULL) {
    tb_keras(paste0("metrics.", class_name), c(list(...), list(name = name)))
  }
}

#' Metrics
#'
#' Metric objects to give to [compile()] (`metrics = list(metric_auc())`);
#' most can also be named by string (`metrics = c("accuracy", "mae")`; keras
#' picks binary, categorical or sparse categorical accuracy for
#' `"accuracy"` from the loss). Metrics are averaged over an epoch.
#'
#' @param ... Options of the metric, by name: `threshold`
#'   (`metric_binary_accuracy()`), `k` (top-k accuracies), `thresholds`,
#'   `num_thresholds`, `curve` (`metric_auc()`), `top_k`, `class_id`
#'   (precision, recall).
#' @param name Optional name shown in the logs.
#' @return A metric object.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 3) %>%
#'     layer_dense(units = 1, activation = "sigmoid")
#'   model %>% compile(optimizer = "adam", loss = "binary_crossentropy",
#'                     metrics = list(metric_auc(), metric_precision(), "accuracy"))
#' }
#' @name metrics
NULL

#' @rdname metrics
#' @export
metric_accuracy <- make_metric("Accuracy")
#' @rdname metrics
#' @export
metric_binary_accuracy <- make_metric("BinaryAccuracy")
#' @rdname metrics
#' @export
metric_categorical_accuracy <- make_metric("CategoricalAccuracy")
#' @rdname metrics
#' @export
metric_sparse_categorical_accuracy <- make_metric("SparseCategoricalAccuracy")
#' @rdname metrics
#' @export
metric_top_k_categorical_accuracy <- make_metric("TopKCategoricalAccuracy")
#' @rdname metrics
#' @export
metric_sparse_top_k_categorical_accuracy <- make_metric("SparseTopKCategoricalAccuracy")
#' @rdname metrics
#' @export
metric_auc <- make_metric("AUC")
#' @rdname metrics
#' @export
metric_precision <- make_metric("Precision")
#' @rdname metrics
#' @export
metric_recall <- make_metric("Recall")
#' @rdname metrics
#' @export
metric_mean_squared_error <- make_metric("MeanSquaredError")
#' @rdname metrics
#' @export
metric_mean_absolute_error <- make_metric("MeanAbsoluteError")
#' @rdname metrics
#' @export
metric_mean_absolute_percentage_error <- make_metric("MeanAbsolutePercentageError")
#' @rdname metrics
#' @export
metric_binary_crossentropy <- make_metric("BinaryCrossentropy")
#' @rdname metrics
#' @export
metric_categorical_crossentropy <- make_metric("CategoricalCrossentropy")
#' @rdname metrics
#' @export
metric_sparse_categorical_crossentropy <- make_metric("SparseCategoricalCrossentropy")
#' @rdname metrics
#' @export
metric_cosine_similarity <- make_metric("CosineSimilarity")
