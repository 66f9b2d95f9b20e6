# keras R 2.13's metric_*() functions added late: each against base R written
# here (a brute-force search over keras' thresholds for the *_at_* rates).

# weighted counts at threshold th: predicted positive when p > th
counts_at <- function(t, p, w, th) {
  pos <- p > th
  c(tp = sum(w * (t == 1) * pos), fp = sum(w * (t == 0) * pos),
    tn = sum(w * (t == 0) * !pos), fn = sum(w * (t == 1) * !pos))
}

keras_grid <- function(n) if (n == 1) 0.5 else c(0, seq_len(n - 2) / (n - 1), 1)

ratio <- function(a, b) if (b > 0) a / b else 0

best_rate <- function(t, p, w, n, constrained, dependent, value) {
  best <- NULL
  for (th in keras_grid(n)) {
    k <- counts_at(t, p, w, th)
    rates <- c(recall = ratio(k[["tp"]], k[["tp"]] + k[["fn"]]),
               precision = ratio(k[["tp"]], k[["tp"]] + k[["fp"]]),
               specificity = ratio(k[["tn"]], k[["tn"]] + k[["fp"]]))
    if (rates[[constrained]] >= value) best <- max(best, rates[[dependent]])
  }
  if (is.null(best)) 0 else best
}

binary_data <- function(n = 60, seed = 11) {
  set.seed(seed)
  list(t = as.numeric(runif(n) < 0.5), p = pmax(runif(n), 1e-3), w = runif(n) * 2)
}

test_that("confusion counts: weighted, several thresholds, over batches, reset", {
  skip_if_no_python()
  d <- binary_data()
  fns <- list(tp = metric_true_positives, fp = metric_false_positives,
              tn = metric_true_negatives, fn = metric_false_negatives)
  ths <- c(0.2, 0.5, 0.9)
  for (k in names(fns)) {
    m <- fns[[k]](thresholds = ths)
    m$update_state(d$t[1:30], d$p[1:30], sample_weight = d$w[1:30])
    m$update_state(d$t[31:60], d$p[31:60], sample_weight = d$w[31:60])
    want <- vapply(ths, function(th) counts_at(d$t, d$p, d$w, th)[[k]], 1)
    expect_equal(as.vector(m$result()), want, tolerance = 1e-10)
    one <- fns[[k]]()  # thresholds = NULL: 0.5
    one$update_state(d$t, d$p)
    expect_equal(one$result(), counts_at(d$t, d$p, 1, 0.5)[[k]])
    one$reset_state()
    expect_equal(one$result(), 0)
  }
  expect_equal(metric_true_positives()$name, "true_positives")
  expect_equal(metric_false_negatives(name = "misses")$name, "misses")
})

test_that("the *_at_* rates are the brute-force best over keras' threshold grid", {
  skip_if_no_python()
  d <- binary_data(80, seed = 5)
  cases <- list(
    list(metric_precision_at_recall, "recall", "recall", "precision"),
    list(metric_recall_at_precision, "precision", "precision", "recall"),
    list(metric_sensitivity_at_specificity, "specificity", "specificity", "recall"),
    list(metric_specificity_at_sensitivity, "sensitivity", "recall", "specificity"))
  for (case in cases) {
    for (value in c(0, 0.4, 0.9)) {
      for (n in c(1, 5, 200)) {
        args <- stats::setNames(list(value, n), c(case[[2]], "num_thresholds"))
        m <- do.call(case[[1]], args)
        m$update_state(d$t[1:40], d$p[1:40], sample_weight = d$w[1:40])
        m$update_state(d$t[41:80], d$p[41:80], sample_weight = d$w[41:80])
        expect_equal(m$result(), best_rate(d$t, d$p, d$w, n, case[[3]], case[[4]], value),
                     tolerance = 1e-10, label = paste(case[[2]], value, n))
      }
    }
  }
  # class_id: one column (from 0) of a multi-label output
  set.seed(2)
  t <- matrix(as.numeric(runif(90) < 0.4), 30)
  p <- matrix(pmax(runif(90), 1e-3), 30)
  m <- metric_recall_at_precision(precision = 0.5, num_thresholds = 11, class_id = 1)
  m$update_state(t, p)
  expect_equal(m$result(), best_rate(t[, 2], p[, 2], 1, 11, "precision", "recall", 0.5),
               tolerance = 1e-10)
  m$reset_state()
  expect_equal(m$result(), 0)
})

test_that("root mean squared error, mean relative error, mean IoU, as base R computes them", {
  skip_if_no_python()
  set.seed(4)
  y <- matrix(runif(30), 10)
  p <- matrix(runif(30), 10)
  w <- runif(10)
  rmse <- metric_root_mean_squared_error()
  rmse$update_state(y, p, sample_weight = w)
  expect_equal(rmse$result(), sqrt(sum(w * (y - p)^2) / (3 * sum(w))), tolerance = 1e-10)
  expect_equal(rmse$name, "root_mean_squared_error")

  norm <- runif(10) + 0.5
  mre <- metric_mean_relative_error(normalizer = norm)
  mre$update_state(y[, 1], p[, 1])
  expect_equal(mre$result(), mean(abs(y[, 1] - p[, 1]) / norm), tolerance = 1e-6)
  mre2 <- metric_mean_relative_error(normalizer = 2)
  mre2$update_state(y, p)
  expect_equal(mre2$result(), mean(abs(y - p) / 2), tolerance = 1e-6)

  labels <- c(0, 0, 1, 1, 2, 2, 2, 0)
  preds <- c(0, 1, 1, 1, 2, 0, 2, 0)
  wts <- c(1, 2, 1, 1, 0.5, 1, 1, 3)
  iou <- metric_mean_iou(num_classes = 4)  # class 3 never occurs: left out
  iou$update_state(labels, preds, sample_weight = wts)
  per_class <- vapply(0:2, function(k) {
    sum(wts[labels == k & preds == k]) / sum(wts[labels == k | preds == k])
  }, 1)
  expect_equal(iou$result(), mean(per_class), tolerance = 1e-10)
  dense <- metric_mean_iou(num_classes = 3, sparse_y_pred = FALSE)
  dense$update_state(labels, diag(3)[preds + 1, ])
  expect_equal(dense$result(), mean(vapply(0:2, function(k) {
    sum(labels == k & preds == k) / sum(labels == k | preds == k)
  }, 1)), tolerance = 1e-10)
})

test_that("metric_mean(), metric_sum(), metric_mean_tensor() track values; reset", {
  skip_if_no_python()
  m <- metric_mean(name = "loss")
  expect_equal(m$name, "loss")
  expect_equal(metric_mean()$name, "mean")
  m$update_state(as_tensor(c(1, 2, 3)))
  m$update_state(c(10, 20), sample_weight = c(3, 1))
  expect_equal(m$result(), (1 + 2 + 3 + 30 + 20) / 7)
  m$reset_state()
  expect_equal(m$result(), 0)
  s <- metric_sum()
  s$update_state(c(1, 2, 3), sample_weight = c(1, 0, 2))
  s$update_state(4)
  expect_equal(s$result(), 1 + 6 + 4)
  a <- matrix(c(1, 2, 3, 4), 2)
  b <- matrix(c(5, 7, 9, 11), 2)
  mt <- metric_mean_tensor()
  mt$update_state(a)
  mt$update_state(b, sample_weight = c(1, 3))
  w <- matrix(c(1, 3), 2, 2)
  expect_equal(as.array(mt$result()), (a + b * w) / (1 + w))
  expect_error(mt$update_state(c(1, 2, 3)), "shape")
})

test_that("metric_mean() as a custom train_step()'s loss tracker", {
  skip_if_no_python()
  set.seed(8)
  x <- matrix(rnorm(30), 10)
  y <- matrix(rnorm(10), 10)
  w <- matrix(c(0.5, -1, 2), 3)
  Tracked <- new_model_class(
    "TrackedMean",
    initialize = function(...) {
      super$initialize(...)
      self$out <- layer_dense(units = 1, use_bias = FALSE)
      self$loss_tracker <- metric_mean(name = "loss")
      self$seen <- metric_sum(name = "seen")
    },
    call = function(inputs) self$out(inputs),
    train_step = function(data) {
      c(x, y) %<-% data
      with(tf$GradientTape() %as% tape, {
        loss <- tf$reduce_mean((self(x, training = TRUE) - y)^2)
      })
      grads <- tape$gradient(loss, self$trainable_variables)
      self$optimizer$apply_gradients(zip_lists(grads, self$trainable_variables))
      self$loss_tracker$update_state(loss)
      self$seen$update_state(1)
      list(loss = self$loss_tracker$result(), seen = self$seen$result())
    },
    metrics = function() list(self$loss_tracker, self$seen)
  )
  model <- Tracked()
  model(as_tensor(x[1:2, ], dtype = "float32"))
  set_weights(model, list(w))
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0))
  h <- fit(model, x, y, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 0)
  batch_mse <- vapply(list(1:4, 5:8, 9:10), function(r) mean((x[r, ] %*% w - y[r])^2), 1)
  expect_equal(h$metrics$loss, rep(mean(batch_mse), 2), tolerance = 1e-5)
  expect_equal(h$metrics$seen, c(3, 3))
})

test_that("per-sample forms equal base R; metric_cosine_proximity() warns and negates", {
  skip_if_no_python()
  set.seed(6)
  t <- matrix(as.numeric(runif(12) < 0.5), 4)
  p <- matrix(runif(12, 0.05, 1), 4)
  s <- 2 * t - 1
  expect_equal(as.vector(metric_hinge(t, p)), rowMeans(pmax(1 - s * p, 0)), tolerance = 1e-6)
  expect_equal(as.vector(metric_squared_hinge(t, p)), rowMeans(pmax(1 - s * p, 0)^2),
               tolerance = 1e-6)
  expect_equal(as.vector(metric_poisson(t, p)), rowMeans(p - t * log(p + 1e-7)),
               tolerance = 1e-5)
  expect_equal(as.vector(metric_mean_squared_logarithmic_error(t, p)),
               rowMeans((log1p(p) - log1p(t))^2), tolerance = 1e-5)
  q <- p / rowSums(p)
  u <- matrix(1 / 3, 4, 3)
  expect_equal(as.vector(metric_kullback_leibler_divergence(u, q)),
               rowSums(u * log(u / q)), tolerance = 1e-5)
  cosine <- rowSums(t * p) / (pmax(sqrt(rowSums(t^2)), 1e-6) * sqrt(rowSums(p^2)))
  expect_warning(v <- metric_cosine_proximity(t, p), "deprecated")
  expect_equal(as.vector(v), -cosine, tolerance = 1e-6)
  expect_identical(names(formals(metric_hinge)), c("y_true", "y_pred", "...", "name", "dtype"))
  expect_identical(formals(metric_hinge)$name, "hinge")
  expect_identical(names(formals(metric_precision_at_recall)),
                   c("...", "recall", "num_thresholds", "class_id", "name", "dtype"))
})

test_that("loss_kl_divergence() is loss_kullback_leibler_divergence(); loss_cosine_proximity() warns", {
  skip_if_no_python()
  u <- matrix(c(0.2, 0.8, 0.5, 0.5), 2, byrow = TRUE)
  q <- matrix(c(0.4, 0.6, 0.9, 0.1), 2, byrow = TRUE)
  expect_equal(as.vector(loss_kl_divergence(u, q)), rowSums(u * log(u / q)), tolerance = 1e-5)
  expect_warning(v <- loss_cosine_proximity(u, q), "deprecated")
  expect_equal(as.vector(v), -rowSums(u * q) / sqrt(rowSums(u^2) * rowSums(q^2)),
               tolerance = 1e-6)
})

test_that("compile(metrics = ) with the new metrics: evaluate() equals base R on predictions", {
  skip_if_no_python()
  set.seed(9)
  x <- matrix(rnorm(120), 40)
  y <- as.numeric(x[, 1] + rnorm(40) > 0)
  model <- keras_model_sequential(input_shape = 3) %>%
    layer_dense(units = 1, activation = "sigmoid")
  big_miss <- metric_mean_wrapper(fn = function(y_true, y_pred, limit) {
    k_cast(k_abs(y_true - y_pred) > limit, "float32")
  }, limit = 0.6, name = "big_miss")
  model %>% compile(optimizer = "sgd", loss = "binary_crossentropy",
                    metrics = list(metric_true_positives(), metric_false_negatives(thresholds = 0.3),
                                   metric_precision_at_recall(recall = 0.5, num_thresholds = 50),
                                   metric_root_mean_squared_error(), metric_hinge,
                                   big_miss))
  res <- evaluate(model, x, y, batch_size = 16, verbose = 0)
  p <- as.vector(predict(model, x, verbose = 0))
  expect_equal(res$true_positives, sum(y == 1 & p > 0.5))
  expect_equal(res$false_negatives, sum(y == 1 & p <= 0.3))
  expect_equal(res$precision_at_recall, best_rate(y, p, 1, 50, "recall", "precision", 0.5),
               tolerance = 1e-5)
  expect_equal(res$root_mean_squared_error, sqrt(mean((y - p)^2)), tolerance = 1e-5)
  expect_equal(res$hinge, mean(pmax(1 - (2 * y - 1) * p, 0)), tolerance = 1e-5)
  expect_equal(res$big_miss, mean(abs(y - p) > 0.6), tolerance = 1e-6)
})

test_that("a model compiled with the new metrics saves and loads with them", {
  skip_if_no_python()
  set.seed(10)
  x <- matrix(rnorm(60), 20)
  y <- as.numeric(x[, 2] > 0)
  model <- keras_model_sequential(input_shape = 3) %>%
    layer_dense(units = 1, activation = "sigmoid")
  model %>% compile(optimizer = "adam", loss = "binary_crossentropy",
                    metrics = list(metric_false_positives(thresholds = c(0.3, 0.7)),
                                   metric_specificity_at_sensitivity(sensitivity = 0.8,
                                                                     num_thresholds = 20,
                                                                     name = "spec"),
                                   metric_mean_iou(num_classes = 2)))
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  loaded <- load_model(path)
  a <- evaluate(model, x, y, verbose = 0)
  b <- evaluate(loaded, x, y, verbose = 0)
  expect_identical(names(b), names(a))
  expect_equal(b, a, tolerance = 1e-6)
  p <- as.vector(predict(loaded, x, verbose = 0))
  expect_equal(as.vector(b$false_positives), c(sum(y == 0 & p > 0.3), sum(y == 0 & p > 0.7)))
  expect_equal(b$spec, best_rate(y, p, 1, 20, "recall", "specificity", 0.8), tolerance = 1e-5)
})

test_that("bad input to the new metrics: errors naming the argument", {
  skip_if_no_python()
  expect_bad_inputs(list(
    bad(metric_precision_at_recall(recall = 2),
        "metric_precision_at_recall(): `recall` must be one finite number >= 0 and <= 1, not 2."),
    bad(metric_precision_at_recall(),
        "metric_precision_at_recall(): `recall` must be one finite number >= 0 and <= 1."),
    bad(metric_recall_at_precision(precision = 0.5, num_thresholds = 0),
        "metric_recall_at_precision(): `num_thresholds` must be one positive whole number, not 0."),
    bad(metric_sensitivity_at_specificity(specificity = 0.5, class_id = -1),
        "metric_sensitivity_at_specificity(): `class_id` must be one non-negative whole number (or NULL), not -1."),
    bad(metric_specificity_at_sensitivity(sensitivity = "a"),
        "metric_specificity_at_sensitivity(): `sensitivity` must be one finite number >= 0 and <= 1, not \"a\"."),
    bad(metric_true_positives(thresholds = 1.5),
        "metric_true_positives(): `thresholds` must be numbers from 0 to 1 (or NULL), not 1.5."),
    bad(metric_false_positives(0.5),
        "metric_false_positives(): unknown argument 0.5; see ?metric_false_positives for the arguments it takes."),
    bad(metric_mean_iou(num_classes = 0),
        "metric_mean_iou(): `num_classes` must be one positive whole number, not 0."),
    bad(metric_mean_iou(),
        "metric_mean_iou(): `num_classes` must be one positive whole number."),
    bad(metric_mean_iou(num_classes = 2, sparse_y_pred = "no"),
        "metric_mean_iou(): `sparse_y_pred` must be TRUE or FALSE, not \"no\"."),
    bad(metric_mean_relative_error(normalizer = "a"),
        "metric_mean_relative_error(): `normalizer` must be finite numbers (an array, or one number) or a tensor, not \"a\"."),
    bad(metric_mean_tensor(shape = 0),
        "metric_mean_tensor(): `shape` must be positive whole numbers (or NULL), not 0."),
    bad(metric_mean(name = 3), "metric_mean(): `name` must be one string (or NULL), not 3."),
    bad(metric_sum(foo = 1),
        "metric_sum(): unknown argument `foo`; see ?metric_sum for the arguments it takes."),
    bad(metric_mean_wrapper(fn = 3), "metric_mean_wrapper(): `fn` must be a function, not 3."),
    bad(metric_mean_wrapper(), "metric_mean_wrapper(): `fn` must be a function(y_true, y_pred, ...)."),
    bad(metric_hinge("a", 1), "metric_hinge(): `y_true` must be a numeric array or a tensor, not \"a\"."),
    bad(metric_poisson(1, 1, foo = 2),
        "metric_poisson(): unknown argument `foo`; see ?metric_poisson for the arguments it takes.")
  ))
})
