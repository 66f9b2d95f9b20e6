# The training history that fit() returns.

as_training_history <- function(history) {
  metrics <- tb_getattr(history, "history")
  metrics <- lapply(metrics, function(v) as.numeric(unlist(v)))
  params <- tb_getattr(history, "params")
  params$metrics <- names(metrics)
  structure(list(params = params, metrics = metrics), class = "keras_training_history")
}

#' Training history
#'
#' [fit()] returns a `keras_training_history`: `params` (epochs, steps ...)
#' and `metrics` (one numeric vector per metric, one value per epoch;
#' validation metrics start with `val_`). `print()` shows the last epoch,
#' `plot()` draws the curves (ggplot2 when installed, base graphics
#' otherwise), `as.data.frame()` gives one row per epoch and metric.
#'
#' @param x A `keras_training_history`.
#' @param y Unused.
#' @param metrics Which metrics to plot, by name without the `val_` prefix
#'   (default: all, validation included).
#' @param method `"auto"` (ggplot2 if installed), `"ggplot2"` or `"base"`.
#' @param smooth Add a smoothed line (ggplot2 only, 10 epochs or more).
#' @param row.names,optional Unused.
#' @param ... Unused; anything given is an error.
#' @return `print()`: `x` invisibly; `plot()`: a ggplot object (or `NULL`
#'   for base graphics); `as.data.frame()`: a data frame with columns
#'   `epoch`, `value`, `metric` and `data` (`"training"` or `"validation"`).
#' @examples
#' if (tb_available()) {
#'   x <- matrix(runif(100), ncol = 2)
#'   model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "sgd", loss = "mse")
#'   history <- model %>% fit(x, rowSums(x), epochs = 3, validation_split = 0.2, verbose = 0)
#'   print(history)
#'   head(as.data.frame(history))
#' }
#' @name training-history
NULL

#' @rdname training-history
#' @export
print.keras_training_history <- function(x, ...) {
  check_dots_empty(...)
  epochs <- length(x$metrics[[1]] %||% numeric())
  cat("Final epoch (plot to see history):\n")
  for (name in names(x$metrics)) {
    cat(sprintf("%*s: %.4g\n", max(nchar(names(x$metrics))), name, x$metrics[[name]][epochs]))
  }
  invisible(x)
}

#' @rdname training-history
#' @export
as.data.frame.keras_training_history <- function(x, row.names = NULL, optional = FALSE, ...) {
  check_dots_empty(...)
  names <- names(x$metrics)
  if (length(names) == 0) {
    return(data.frame(epoch = integer(), value = numeric(), metric = factor(),
                      data = factor()))
  }
  epochs <- length(x$metrics[[1]])
  validation <- startsWith(names, "val_")
  base <- ifelse(validation, substring(names, 5), names)
  data.frame(
    epoch = rep(seq_len(epochs), times = length(names)),
    value = unlist(x$metrics, use.names = FALSE),
    metric = factor(rep(base, each = epochs), levels = unique(base)),
    data = factor(rep(ifelse(validation, "validation", "training"), each = epochs),
                  levels = c("training", "validation"))
  )
}

#' @rdname training-history
#' @importFrom graphics legend lines par plot
#' @export
plot.keras_training_history <- function(x, y, metrics = NULL, method = c("auto", "ggplot2", "base"),
                                        smooth = FALSE, ...) {
  check_dots_empty(...)
  if (identical(method, c("auto", "ggplot2", "base"))) method <- "auto"
  method <- check_string(method, choices = c("auto", "ggplot2", "base"))
  smooth <- check_flag(smooth)
  df <- as.data.frame(x)
  if (!is.null(metrics)) {
    known <- levels(df$metric)
    if (!is.character(metrics) || anyNA(metrics) || !all(metrics %in% known)) {
      tb_arg_error("metrics", paste0("names of metrics in the history (",
                                     paste0('"', known, '"', collapse = ", "), ") or NULL"),
                   metrics)
    }
    df <- df[df$metric %in% metrics, , drop = FALSE]
  }
  df$metric <- droplevels(df$metric)
  if (method == "auto") {
    method <- if (requireNamespace("ggplot2", quietly = TRUE)) "ggplot2" else "base"
  }
  if (method == "ggplot2") {
    p <- ggplot2::ggplot(df, ggplot2::aes(x = .data$epoch, y = .data$value,
                                           colour = .data$data)) +
      ggplot2::geom_point() + ggplot2::geom_line() +
      ggplot2::facet_wrap(~metric, ncol = 1, scales = "free_y") +
      ggplot2::labs(x = "epoch", y = NULL, colour = NULL)
    if (smooth && max(df$epoch) >= 10) p <- p + ggplot2::geom_smooth(se = FALSE)
    return(p)
  }
  metric_names <- levels(df$metric)
  old <- par(mfrow = c(length(metric_names), 1), mar = c(4, 4, 1, 1))
  on.exit(par(old))
  for (m in metric_names) {
    d <- df[df$metric == m, ]
    plot(d$epoch, d$value, type = "n", xlab = "epoch", ylab = m)
    for (k in seq_along(levels(d$data))) {
      s <- d[d$data == levels(d$data)[k], ]
      if (nrow(s)) lines(s$epoch, s$value, type = "b", col = k, pch = 19)
    }
    legend("topright", legend = levels(droplevels(d$data)), col = seq_along(levels(d$data)),
           pch = 19, bty = "n")
  }
  invisible(NULL)
}

.data <- NULL  # used inside ggplot2::aes()
