# Metrics: objects for compile(metrics = ); stateful over an epoch.

make_metric <- function(class_name, options = character(), fn_name = NULL) {
  force(class_name)
  checks <- c(metric_option_checks[options], metric_option_checks["dtype"])
  object <- function(args, name) {
    tb_keras(paste0("metrics.", class_name),
             c(check_options(args, checks), list(name = check_string(name, null_ok = TRUE))))
  }
  metric <- if (is.null(fn_name)) {
    function(..., name = NULL) object(list(...), name)
  } else {
    fn_checks <- metric_option_checks[options]
    # keras R: with y_true and y_pred, the metric of each sample; without, the object
    function(y_true, y_pred, ..., name = NULL) {
      if (missing(y_true) && missing(y_pred)) return(object(list(...), name))
      y_true <- check_loss_data(y_true)
      y_pred <- check_loss_data(y_pred)
      args <- check_options(list(...), fn_checks)
      value <- do.call(tb_call, c(list(paste0("engine.keras.metrics.", fn_name),
                                       as_tensor(y_true), as_tensor(y_pred)), args))
      as.array(value)
    }
  }
  # keras R's name of the function, and the metric compile() uses when the function
  # itself is given (metrics = metric_binary_accuracy)
  attr(metric, "py_function_name") <- if (is.null(fn_name)) tolower(class_name) else fn_name
  attr(metric, "tb_engine_name") <- class_name
  metric
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
#' `"accuracy"` from the loss), or given as the function itself
#' (`metrics = metric_binary_accuracy`). Metrics are averaged over an epoch.
#' Those with a per-sample form, called with `y_true` and `y_pred`, compute
#' the metric of each sample.
#'
#' @param y_true,y_pred True values and predictions (arrays or tensors with
#'   one row per sample); when both are missing, the metric object is
#'   returned.
#' @param ... Options of the metric, by name (others are an error): `threshold`
#'   (0 to 1, `metric_binary_accuracy()`), `k` (top-k accuracies),
#'   `num_thresholds` (>= 2), `curve` (`"ROC"` or `"PR"`),
#'   `summation_method`, `thresholds` (numbers from 0 to 1), `multi_label`,
#'   `from_logits` (`metric_auc()`), `thresholds`, `top_k`, `class_id`
#'   (precision, recall), `from_logits`, `label_smoothing`, `axis`,
#'   `ignore_class` (cross-entropies), `axis` (`metric_cosine_similarity()`),
#'   and `dtype` for every metric.
#' @param name Optional name shown in the logs.
#' @return A metric object, or the metric of each sample (an array).
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
metric_accuracy <- make_metric("Accuracy", fn_name = "accuracy")
#' @rdname metrics
#' @export
metric_binary_accuracy <- make_metric("BinaryAccuracy", "threshold", "binary_accuracy")
#' @rdname metrics
#' @export
metric_categorical_accuracy <- make_metric("CategoricalAccuracy", fn_name = "categorical_accuracy")
#' @rdname metrics
#' @export
metric_sparse_categorical_accuracy <- make_metric("SparseCategoricalAccuracy",
                                                  fn_name = "sparse_categorical_accuracy")
#' @rdname metrics
#' @export
metric_top_k_categorical_accuracy <- make_metric("TopKCategoricalAccuracy", "k",
                                                    "top_k_categorical_accuracy")
#' @rdname metrics
#' @export
metric_sparse_top_k_categorical_accuracy <- make_metric("SparseTopKCategoricalAccuracy", "k",
                                                           "sparse_top_k_categorical_accuracy")
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
metric_mean_squared_error <- make_metric("MeanSquaredError", fn_name = "mean_squared_error")
#' @rdname metrics
#' @export
metric_mean_absolute_error <- make_metric("MeanAbsoluteError", fn_name = "mean_absolute_error")
#' @rdname metrics
#' @export
metric_mean_absolute_percentage_error <- make_metric("MeanAbsolutePercentageError",
                                                     fn_name = "mean_absolute_percentage_error")
#' @rdname metrics
#' @export
metric_binary_crossentropy <- make_metric("BinaryCrossentropy",
                                          c("from_logits", "label_smoothing", "axis"),
                                          "binary_crossentropy")
#' @rdname metrics
#' @export
metric_categorical_crossentropy <- make_metric("CategoricalCrossentropy",
                                               c("from_logits", "label_smoothing", "axis"),
                                               "categorical_crossentropy")
#' @rdname metrics
#' @export
metric_sparse_categorical_crossentropy <- make_metric("SparseCategoricalCrossentropy",
                                                      c("from_logits", "ignore_class"),
                                                      "sparse_categorical_crossentropy")
#' @rdname metrics
#' @export
metric_cosine_similarity <- make_metric("CosineSimilarity", "axis", "cosine_similarity")

#' A metric from an R function, with a name
#'
#' Gives `metric_fn`, a `function(y_true, y_pred)` that returns the metric of
#' each sample (or one value for the batch), the name shown in the progress
#' bar and the training history. Without it, [compile()] names a function by
#' the name it has in the `metrics` list or by the symbol it was given as.
#' The function is called with tensors: compute with R's arithmetic on them,
#' `tf$...` or `k_*()` functions.
#'
#' @param name The metric's name (one non-empty string).
#' @param metric_fn A `function(y_true, y_pred)`.
#' @return `metric_fn`, named, to give to `compile(metrics = )`.
#' @examples
#' if (tb_available()) {
#'   worst <- custom_metric("worst_error", function(y_true, y_pred) {
#'     tf$reduce_max(abs(y_pred - y_true), axis = -1L)
#'   })
#'   model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
#'   model %>% compile(optimizer = "sgd", loss = "mse", metrics = list(worst))
#' }
#' @export
custom_metric <- function(name, metric_fn) {
  name <- check_string(name)
  if (!nzchar(name)) tb_arg_error("name", "one non-empty string", name)
  metric_fn <- check_function(metric_fn)
  attr(metric_fn, "py_function_name") <- name
  metric_fn
}
