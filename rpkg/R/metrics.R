# Metrics: objects for compile(metrics = ); stateful over an epoch.

make_metric <- function(class_name, options = character()) {
  force(class_name)
  checks <- c(metric_option_checks[options], metric_option_checks["dtype"])
  function(..., name = NULL) {
    options <- check_options(list(...), checks)
    tb_keras(paste0("metrics.", class_name),
             c(options, list(name = check_string(name, null_ok = TRUE))))
  }
}

check_thresholds <- function(x, arg) {
  if (is.null(x)) return(NULL)
  if (!is.numeric(x) || is.object(x) || length(x) < 1 || anyNA(x) || any(x < 0) || any(x > 1)) {
    tb_arg_error(arg, "numbers from 0 to 1 (or NULL)", x)
  }
  if (length(x) == 1) as.double(x) else as.list(as.double(x))
}

metric_option_checks <- list(
  threshold = function(x, arg) check_number(x, arg, min = 0, max = 1),
  k = function(x, arg) check_count(x, arg),
  num_thresholds = function(x, arg) check_count(x, arg, min = 2),
  curve = function(x, arg) check_string(x, arg, choices = c("ROC", "PR")),
  summation_method = function(x, arg) {
    check_string(x, arg, choices = c("interpolation", "minoring", "majoring"))
  },
  thresholds = check_thresholds,
  multi_label = function(x, arg) check_flag(x, arg),
  from_logits = function(x, arg) check_flag(x, arg),
  top_k = function(x, arg) check_count(x, arg, null_ok = TRUE),
  class_id = function(x, arg) check_count(x, arg, min = 0, null_ok = TRUE),
  label_smoothing = function(x, arg) check_number(x, arg, min = 0, max = 1),
  axis = function(x, arg) check_axis(x, arg),
  ignore_class = function(x, arg) check_count(x, arg, min = -tb_int_max, null_ok = TRUE),
  dtype = function(x, arg) check_string(x, arg, null_ok = TRUE)
)

#' Metrics
#'
#' Metric objects to give to [compile()] (`metrics = list(metric_auc())`);
#' most can also be named by string (`metrics = c("accuracy", "mae")`; keras
#' picks binary, categorical or sparse categorical accuracy for
#' `"accuracy"` from the loss). Metrics are averaged over an epoch.
#'
#' @param ... Options of the metric, by name (others are an error): `threshold`
#'   (0 to 1, `metric_binary_accuracy()`), `k` (top-k accuracies),
#'   `num_thresholds` (>= 2), `curve` (`"ROC"` or `"PR"`),
#'   `summation_method`, `thresholds` (numbers from 0 to 1), `multi_label`,
#'   `from_logits` (`metric_auc()`), `thresholds`, `top_k`, `class_id`
#'   (precision, recall), `from_logits`, `label_smoothing`, `axis`,
#'   `ignore_class` (cross-entropies), `axis` (`metric_cosine_similarity()`),
#'   and `dtype` for every metric.
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
metric_binary_accuracy <- make_metric("BinaryAccuracy", "threshold")
#' @rdname metrics
#' @export
metric_categorical_accuracy <- make_metric("CategoricalAccuracy")
#' @rdname metrics
#' @export
metric_sparse_categorical_accuracy <- make_metric("SparseCategoricalAccuracy")
#' @rdname metrics
#' @export
metric_top_k_categorical_accuracy <- make_metric("TopKCategoricalAccuracy", "k")
#' @rdname metrics
#' @export
metric_sparse_top_k_categorical_accuracy <- make_metric("SparseTopKCategoricalAccuracy", "k")
#' @rdname metrics
#' @export
metric_auc <- make_metric("AUC", c("num_thresholds", "curve", "summation_method",
                                        "thresholds", "multi_label", "from_logits"))
#' @rdname metrics
#' @export
metric_precision <- make_metric("Precision", c("thresholds", "top_k", "class_id"))
#' @rdname metrics
#' @export
metric_recall <- make_metric("Recall", c("thresholds", "top_k", "class_id"))
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
metric_binary_crossentropy <- make_metric("BinaryCrossentropy",
                                          c("from_logits", "label_smoothing", "axis"))
#' @rdname metrics
#' @export
metric_categorical_crossentropy <- make_metric("CategoricalCrossentropy",
                                               c("from_logits", "label_smoothing", "axis"))
#' @rdname metrics
#' @export
metric_sparse_categorical_crossentropy <- make_metric("SparseCategoricalCrossentropy",
                                                      c("from_logits", "ignore_class"))
#' @rdname metrics
#' @export
metric_cosine_similarity <- make_metric("CosineSimilarity", "axis")
