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

# --- the rest of keras R 2.13's metrics, with its formals --------------------------

# A metric function with keras R 2.13's formals: `args` (an alist of the
# metric's own arguments, in keras' order) come after `...` for a metric
# object, or between `y_true, y_pred` and `...` where `fn_name` gives a
# per-sample form; then `name` (default `name`) and `dtype`. `checks` check
# each argument (by name); a required one that is missing is an error saying
# what it must be (`required`). `options` are the engine options `...` takes.
new_metric_fn <- function(class_name, args = alist(), checks = list(), required = character(),
                          fn_name = NULL, name = NULL, options = character()) {
  spec <- list(class_name = class_name, args = names(args), checks = checks,
               required = required, fn_name = fn_name, options = options)
  head <- if (is.null(fn_name)) alist(... = ) else alist(y_true = , y_pred = )
  formals <- c(head, args, if (!is.null(fn_name)) alist(... = ),
               list(name = name, dtype = NULL))
  env <- new.env(parent = environment(new_metric_fn))
  env$.spec <- spec
  body <- quote(metric_from_spec(.spec, environment(), list(...)))
  metric <- as.function(c(formals, body), envir = env)
  # (`%||%` is not defined yet when the package's files are sourced)
  label <- if (!is.null(fn_name)) fn_name else if (!is.null(name)) name else
    metric_snake_name(class_name)
  attr(metric, "py_function_name") <- label
  # compile(metrics = metric_hinge): the engine's metric, named as keras R names it
  attr(metric, "tb_engine_name") <- if (!is.null(fn_name)) fn_name else class_name
  metric
}

metric_snake_name <- function(class_name) {
  tolower(gsub("([a-z])([A-Z])", "\\1_\\2", class_name))
}

metric_from_spec <- function(spec, env, dots) {
  with_data <- !is.null(spec$fn_name) &&
    !(eval(quote(missing(y_true)), env) && eval(quote(missing(y_pred)), env))
  if (with_data) {
    y_true <- check_loss_data(env$y_true, "y_true")
    y_pred <- check_loss_data(env$y_pred, "y_pred")
    check_options(dots, list())
    value <- tb_call(paste0("engine.keras.metrics.", spec$fn_name), as_tensor(y_true),
                     as_tensor(y_pred))
    return(as.array(value))
  }
  args <- list()
  for (arg in spec$args) {
    if (arg %in% names(spec$required) && eval(call("missing", as.name(arg)), env)) {
      tb_arg_error(arg, spec$required[[arg]])
    }
    value <- spec$checks[[arg]](get(arg, envir = env), arg)
    if (!is.null(value)) args[[arg]] <- value
  }
  options <- check_options(dots, metric_more_checks[spec$options])
  args <- c(args, options, list(name = check_string(env$name, "name", null_ok = TRUE),
                                dtype = check_string(env$dtype, "dtype", null_ok = TRUE)))
  tb_keras(paste0("metrics.", spec$class_name), args)
}

metric_more_checks <- list(
  thresholds = check_thresholds,
  num_thresholds = function(x, arg) check_count(x, arg),
  class_id = function(x, arg) check_count(x, arg, min = 0, null_ok = TRUE),
  rate = function(x, arg) check_number(x, arg, min = 0, max = 1),
  num_classes = function(x, arg) check_count(x, arg),
  ignore_class = function(x, arg) check_count(x, arg, min = -tb_int_max, null_ok = TRUE),
  sparse_y_true = function(x, arg) check_flag(x, arg),
  sparse_y_pred = function(x, arg) check_flag(x, arg),
  axis = function(x, arg) check_axis(x, arg),
  normalizer = function(x, arg) {
    ok <- inherits(x, "tensorbridge_object") ||
      (is.numeric(x) && !is.object(x) && length(x) >= 1 && all(is.finite(x)))
    if (!ok) tb_arg_error(arg, "finite numbers (an array, or one number) or a tensor", x)
    if (is.numeric(x) && length(x) == 1 && is.null(dim(x))) as.double(x) else x
  },
  shape = function(x, arg) {
    if (is.null(x)) return(NULL)
    if (length(x) < 1 || !is.null(dim(x)) || !tb_is_whole(x, 1, tb_int_max)) {
      tb_arg_error(arg, "positive whole numbers (or NULL)", x)
    }
    as.list(as.integer(x))
  }
)

rate_metric <- function(class_name, rate) {
  args <- c(stats::setNames(alist(x = ), rate), alist(num_thresholds = 200L, class_id = NULL))
  checks <- stats::setNames(metric_more_checks[c("rate", "num_thresholds", "class_id")],
                            c(rate, "num_thresholds", "class_id"))
  new_metric_fn(class_name, args, checks,
                required = stats::setNames("one finite number >= 0 and <= 1", rate))
}

count_metric <- function(class_name) {
  new_metric_fn(class_name, alist(thresholds = NULL), metric_more_checks["thresholds"])
}

#' Confusion counts, and one rate at the best threshold
#'
#' `metric_true_positives()`, `metric_false_positives()`,
#' `metric_true_negatives()` and `metric_false_negatives()` count (weighted
#' by the sample weights) the samples predicted positive (prediction `>`
#' threshold) or negative at each threshold, summed over an epoch; one
#' threshold gives a number, several a vector.
#'
#' The four `*_at_*()` metrics count at `num_thresholds` thresholds spread
#' evenly over 0 to 1 (both included; 0.5 alone when `num_thresholds` is 1)
#' and return the largest of one rate among the thresholds where another
#' rate reaches the given value, or 0 where none does:
#' `metric_precision_at_recall()` the best precision with recall >=
#' `recall`, `metric_recall_at_precision()` the best recall with precision
#' >= `precision`, `metric_sensitivity_at_specificity()` the best
#' sensitivity (recall) with specificity >= `specificity`, and
#' `metric_specificity_at_sensitivity()` the best specificity with
#' sensitivity >= `sensitivity`. As in keras, a prediction of exactly 0 counts
#' as positive at the threshold 0.
#'
#' Labels are 0 or 1, predictions from 0 to 1 (probabilities). With
#' `class_id`, only that column (counted from 0, as in keras) of labels and
#' predictions counts.
#'
#' @param ... Unused (named arguments only, as in keras).
#' @param thresholds Numbers from 0 to 1, or `NULL` for 0.5.
#' @param recall,precision,sensitivity,specificity The value the constrained
#'   rate must reach (0 to 1).
#' @param num_thresholds Number of thresholds (a positive whole number).
#' @param class_id `NULL`, or the column (from 0) of a multi-label output to
#'   compute the metric for.
#' @param name Optional name shown in the logs.
#' @param dtype Optional data type of the result.
#' @return A metric object, for [compile()] or standalone use with
#'   `$update_state(y_true, y_pred, sample_weight)`, `$result()` and
#'   `$reset_state()`.
#' @examples
#' if (tb_available()) {
#'   m <- metric_precision_at_recall(recall = 0.5)
#'   m$update_state(c(0, 0, 0, 1, 1), c(0, 0.3, 0.8, 0.3, 0.8))
#'   m$result()
#'   tp <- metric_true_positives(thresholds = c(0.25, 0.5))
#'   tp$update_state(c(0, 1, 1, 1), c(0.3, 0.6, 0.2, 0.9))
#'   tp$result()
#'   model <- keras_model_sequential(input_shape = 3) %>%
#'     layer_dense(units = 1, activation = "sigmoid")
#'   model %>% compile(optimizer = "adam", loss = "binary_crossentropy",
#'                     metrics = list(metric_false_negatives(),
#'                                    metric_sensitivity_at_specificity(specificity = 0.9)))
#' }
#' @name metric_confusion
NULL

#' @rdname metric_confusion
#' @export
metric_true_positives <- count_metric("TruePositives")
#' @rdname metric_confusion
#' @export
metric_false_positives <- count_metric("FalsePositives")
#' @rdname metric_confusion
#' @export
metric_true_negatives <- count_metric("TrueNegatives")
#' @rdname metric_confusion
#' @export
metric_false_negatives <- count_metric("FalseNegatives")
#' @rdname metric_confusion
#' @export
metric_precision_at_recall <- rate_metric("PrecisionAtRecall", "recall")
#' @rdname metric_confusion
#' @export
metric_recall_at_precision <- rate_metric("RecallAtPrecision", "precision")
#' @rdname metric_confusion
#' @export
metric_sensitivity_at_specificity <- rate_metric("SensitivityAtSpecificity", "specificity")
#' @rdname metric_confusion
#' @export
metric_specificity_at_sensitivity <- rate_metric("SpecificityAtSensitivity", "sensitivity")

#' Running means and sums
#'
#' Metric objects to track values yourself, e.g. a loss in a custom
#' `train_step()` (`self$loss_tracker <- metric_mean(name = "loss")`, then
#' `self$loss_tracker$update_state(loss)` each batch and
#' `self$loss_tracker$result()`; `$reset_state()` starts again).
#' `metric_mean()` is the (weighted) mean of every value given,
#' `metric_sum()` their (weighted) sum, `metric_mean_tensor()` the
#' element-wise mean of tensors of one shape, and `metric_mean_wrapper()`
#' the mean over samples of `fn(y_true, y_pred, ...)` (a metric for
#' [compile()] from a function that returns one value per sample).
#'
#' @param ... For `metric_mean_wrapper()`, named arguments given to `fn` at
#'   each call; unused (an error) for the others.
#' @param fn A `function(y_true, y_pred, ...)`, called with tensors, that
#'   returns a tensor or numbers (one per sample, or one for the batch).
#' @param shape `NULL` (the shape of the first value), or the shape of the
#'   values (positive whole numbers).
#' @param name Optional name shown in the logs.
#' @param dtype Optional data type of the result.
#' @return A metric object with `$update_state(values, sample_weight = NULL)`
#'   (`metric_mean_wrapper()`: `$update_state(y_true, y_pred, sample_weight =
#'   NULL)`), `$result()` and `$reset_state()`.
#' @examples
#' if (tb_available()) {
#'   m <- metric_mean(name = "loss")
#'   m$update_state(c(1, 2, 3))
#'   m$update_state(10, sample_weight = 3)
#'   m$result()  # (1 + 2 + 3 + 3 * 10) / 6
#'   m$reset_state()
#'   total <- metric_sum()
#'   total$update_state(c(1, 2))
#'   total$result()
#'   big_miss <- metric_mean_wrapper(fn = function(y_true, y_pred, limit) {
#'     k_cast(k_abs(y_true - y_pred) > limit, "float32")
#'   }, limit = 0.5)
#'   big_miss$update_state(c(0, 1, 2), c(0.2, 0.2, 2.1))
#'   big_miss$result()
#' }
#' @name metric_mean
NULL

#' @rdname metric_mean
#' @export
metric_mean <- new_metric_fn("Mean", name = "mean")
#' @rdname metric_mean
#' @export
metric_sum <- new_metric_fn("Sum")
#' @rdname metric_mean
#' @export
metric_mean_tensor <- new_metric_fn("MeanTensor", alist(shape = NULL),
                                    metric_more_checks["shape"])

#' @rdname metric_mean
#' @export
metric_mean_wrapper <- function(..., fn, name = NULL, dtype = NULL) {
  if (missing(fn)) tb_arg_error("fn", "a function(y_true, y_pred, ...)")
  fn <- check_function(fn)
  dots <- list(...)
  nms <- names(dots) %||% rep("", length(dots))
  if (any(nms == "")) {
    tb_arg_error("...", "named arguments for `fn`", dots[nms == ""][[1]])
  }
  name <- check_string(name, null_ok = TRUE)
  dtype <- check_string(dtype, null_ok = TRUE)
  label <- name %||% "mean_metric_wrapper"
  force(fn)
  wrapped <- function(y_true, y_pred) {
    value <- do.call(fn, c(list(y_true, y_pred), dots))
    if (!inherits(value, "tensorbridge.engine.tensor.Tensor") &&
        !((is.numeric(value) || is.logical(value)) && !is.object(value) && length(value) >= 1)) {
      tb_stop("the metric `", label, "` returned ", tb_describe(value), ": a metric ",
              "function must return a tensor or numbers (one per sample, or one for the ",
              "batch).")
    }
    value
  }
  attr(wrapped, "py_function_name") <- label
  tb_keras("metrics.user_mean_metric_wrapper", list(wrapped, name = name, dtype = dtype))
}

#' More metrics: hinge, divergence, regression and segmentation errors
#'
#' `metric_hinge()`, `metric_squared_hinge()`,
#' `metric_kullback_leibler_divergence()`, `metric_poisson()` and
#' `metric_mean_squared_logarithmic_error()` called with `y_true` and
#' `y_pred` give the metric of each sample (the value of the loss of that
#' name, see [loss_hinge()]); without them, a metric object that averages it
#' over an epoch. `metric_categorical_hinge()` and `metric_logcosh_error()`
#' are metric objects of those losses. `metric_root_mean_squared_error()` is
#' the square root of the mean squared error over an epoch;
#' `metric_mean_relative_error()` the mean of `abs(y_true - y_pred) /
#' normalizer` (0 where the normalizer is 0). `metric_mean_iou()` is the mean
#' over classes of intersection over union of class ids (labels and
#' predictions from 0 to `num_classes - 1`; predictions are truncated to whole
#' numbers, as keras does), classes absent from both left out.
#' `metric_cosine_proximity()` (deprecated in keras) is the cosine similarity
#' of each sample, negated: use [metric_cosine_similarity()].
#'
#' @param y_true,y_pred True values and predictions (arrays or tensors with
#'   one row per sample); when both are missing, the metric object is
#'   returned.
#' @param ... Unused (named arguments only, as in keras); for
#'   `metric_mean_iou()`, `ignore_class` (a class id left out, or `NULL`),
#'   `sparse_y_true`, `sparse_y_pred` (`FALSE`: one column per class, the
#'   largest wins) and `axis` (of those columns, -1 the last).
#' @param num_classes Number of classes (a positive whole number).
#' @param normalizer The divisor of the absolute errors: a number, or an
#'   array the shape of the predictions (or that broadcasts to it).
#' @param name Optional name shown in the logs.
#' @param dtype Optional data type of the result.
#' @return A metric object, or the metric of each sample (an array).
#' @examples
#' if (tb_available()) {
#'   y_true <- matrix(c(0, 1, 1, 0), 2)
#'   y_pred <- matrix(c(0.6, 0.4, 0.3, 0.7), 2)
#'   metric_hinge(y_true, y_pred)
#'   iou <- metric_mean_iou(num_classes = 2)
#'   iou$update_state(c(0, 0, 1, 1), c(0, 1, 0, 1))
#'   iou$result()
#'   model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "sgd", loss = "mse",
#'                     metrics = list(metric_root_mean_squared_error(),
#'                                    metric_mean_relative_error(normalizer = 2)))
#' }
#' @name metrics_more
NULL

#' @rdname metrics_more
#' @export
metric_hinge <- new_metric_fn("Hinge", fn_name = "hinge", name = "hinge")
#' @rdname metrics_more
#' @export
metric_squared_hinge <- new_metric_fn("SquaredHinge", fn_name = "squared_hinge",
                                      name = "squared_hinge")
#' @rdname metrics_more
#' @export
metric_kullback_leibler_divergence <- new_metric_fn(
  "KLDivergence", fn_name = "kullback_leibler_divergence", name = "kullback_leibler_divergence")
#' @rdname metrics_more
#' @export
metric_poisson <- new_metric_fn("Poisson", fn_name = "poisson", name = "poisson")
#' @rdname metrics_more
#' @export
metric_mean_squared_logarithmic_error <- new_metric_fn(
  "MeanSquaredLogarithmicError", fn_name = "mean_squared_logarithmic_error",
  name = "mean_squared_logarithmic_error")
#' @rdname metrics_more
#' @export
metric_categorical_hinge <- new_metric_fn("CategoricalHinge")
#' @rdname metrics_more
#' @export
metric_logcosh_error <- new_metric_fn("LogCoshError", name = "logcosh")
#' @rdname metrics_more
#' @export
metric_root_mean_squared_error <- new_metric_fn("RootMeanSquaredError")
#' @rdname metrics_more
#' @export
metric_mean_relative_error <- new_metric_fn(
  "MeanRelativeError", alist(normalizer = ), metric_more_checks["normalizer"],
  required = c(normalizer = "finite numbers (an array, or one number) or a tensor"))
#' @rdname metrics_more
#' @export
metric_mean_iou <- new_metric_fn(
  "MeanIoU", alist(num_classes = ), metric_more_checks["num_classes"],
  required = c(num_classes = "one positive whole number"),
  options = c("ignore_class", "sparse_y_true", "sparse_y_pred", "axis"))

#' @rdname metrics_more
#' @export
metric_cosine_proximity <- function(y_true, y_pred) {
  y_true <- check_loss_data(y_true)
  y_pred <- check_loss_data(y_pred)
  warning("metric_cosine_proximity() is deprecated (as in keras): use ",
          "metric_cosine_similarity(); its value per sample is the negative of this one.",
          call. = FALSE)
  as.array(tb_call("engine.keras.metrics.cosine_proximity", as_tensor(y_true),
                   as_tensor(y_pred)))
}
attr(metric_cosine_proximity, "py_function_name") <- "cosine_proximity"
attr(metric_cosine_proximity, "tb_engine_name") <- "cosine_proximity"
