# Metric, loss, callback and schedule classes written in R; keras' class names.

skip_if_no_python <- function() {
  testthat::skip_if_not(tb_available(), "no Python for tensorbridge")
}

MeanAbs <- function() {
  new_metric_class(
    "MeanAbs",
    initialize = function(name = "mean_abs", ...) {
      super$initialize(name = name, ...)
      self$total <- self$add_weight(name = "total", initializer = "zeros")
      self$count <- self$add_weight(name = "count", initializer = "zeros")
    },
    update_state = function(y_true, y_pred, sample_weight = NULL) {
      self$total$assign_add(tf$reduce_sum(abs(y_true - y_pred)))
      self$count$assign_add(tf$cast(tf$size(y_true), "float32"))
    },
    result = function() self$total / self$count
  )
}

linear_model <- function(w = c(0.5, -0.25), b = 0.1) {
  model <- keras_model_sequential(input_shape = c(2)) %>% layer_dense(1)
  set_weights(model, list(matrix(w, 2, 1), array(b, 1)))
  model
}

test_that("a metric class written in R gives the running mean over the epoch", {
  skip_if_no_python()
  set.seed(1)
  x <- matrix(runif(40), ncol = 2)
  y <- x %*% c(1, 2) + 0.3
  model <- linear_model()
  metric <- MeanAbs()()
  # learning rate 0: the predictions stay those of the weights set
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0), loss = "mse",
                    metrics = list(metric))
  history <- model %>% fit(x, y, epochs = 2, batch_size = 6, verbose = 0)
  expected <- mean(abs(y - (x %*% c(0.5, -0.25) + 0.1)))
  expect_equal(names(history$metrics), c("loss", "mean_abs"))
  # reset at each epoch: the second epoch's value is the first's again
  expect_equal(history$metrics$mean_abs, rep(expected, 2), tolerance = 1e-5)
  expect_true(inherits(metric, "keras.metrics.Metric"))
})

test_that("a metric class's own reset_state() runs at each epoch", {
  skip_if_no_python()
  resets <- new.env()
  resets$n <- 0
  Counter <- new_metric_class(
    "Counter",
    initialize = function(...) {
      super$initialize(...)
      self$n <- self$add_weight(name = "n", initializer = "zeros")
    },
    update_state = function(y_true, y_pred, sample_weight = NULL) self$n$assign_add(1),
    result = function() self$n,
    reset_states = function() {
      resets$n <- resets$n + 1
      self$n$assign(0)
    }
  )
  model <- linear_model()
  model %>% compile(optimizer = "sgd", loss = "mse", metrics = list(Counter()))
  history <- model %>% fit(matrix(runif(20), ncol = 2), runif(10), epochs = 3, batch_size = 4,
                           verbose = 0)
  # three batches an epoch, counted from 0 again each epoch
  expect_equal(history$metrics$counter, c(3, 3, 3))
  expect_gte(resets$n, 2)  # between the epochs
})

test_that("a loss class written in R trains as the built-in loss", {
  skip_if_no_python()
  MyMSE <- new_loss_class("MyMSE", call = function(y_true, y_pred) {
    tf$reduce_mean((y_pred - y_true)^2, axis = -1L)
  })
  set.seed(2)
  x <- matrix(runif(60), ncol = 2)
  y <- x %*% c(-1, 3) + 0.5
  train <- function(loss) {
    model <- linear_model()
    model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = loss)
    history <- model %>% fit(x, y, epochs = 4, batch_size = 10, shuffle = FALSE, verbose = 0)
    list(loss = history$metrics$loss, weights = get_weights(model))
  }
  ours <- train(MyMSE())
  builtin <- train("mse")
  expect_equal(ours$loss, builtin$loss, tolerance = 1e-5)
  expect_equal(ours$weights, builtin$weights, tolerance = 1e-5)
  expect_true(inherits(MyMSE(), "keras.losses.Loss"))
})

test_that("a callback class's hooks see the epochs, logs and model keras passes", {
  skip_if_no_python()
  seen <- new.env()
  seen$epochs <- integer()
  seen$losses <- numeric()
  seen$batches <- 0L
  Recorder <- new_callback_class(
    "Recorder",
    on_epoch_end = function(epoch, logs) {
      seen$epochs <- c(seen$epochs, epoch)
      seen$losses <- c(seen$losses, logs$loss)
    },
    on_train_batch_end = function(batch, logs) seen$batches <- seen$batches + 1L,
    on_train_end = function(logs) seen$weights <- get_weights(self$model)
  )
  set.seed(3)
  x <- matrix(runif(40), ncol = 2)
  model <- linear_model()
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse")
  history <- model %>% fit(x, rowSums(x), epochs = 3, batch_size = 8, verbose = 0,
                           callbacks = list(Recorder()))
  expect_identical(seen$epochs, 0:2)  # keras counts epochs from 0
  expect_equal(seen$losses, history$metrics$loss)
  expect_equal(seen$batches, 3 * ceiling(20 / 8))
  expect_equal(seen$weights, get_weights(model))
  expect_true(inherits(Recorder(), "keras.callbacks.Callback"))
})

test_that("an R6 KerasCallback's hooks are called as keras 2 calls them", {
  skip_if_no_python()
  Recorder <- R6::R6Class("Recorder", inherit = KerasCallback, public = list(
    epochs = NULL, losses = NULL, n_weights = NULL,
    on_epoch_end = function(epoch, logs = list()) {
      self$epochs <- c(self$epochs, epoch)
      self$losses <- c(self$losses, logs$loss)
    },
    on_train_end = function(logs = list()) self$n_weights <- length(get_weights(self$model))
  ))
  recorder <- Recorder$new()
  set.seed(4)
  x <- matrix(runif(40), ncol = 2)
  model <- linear_model()
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse")
  history <- model %>% fit(x, rowSums(x), epochs = 2, verbose = 0, callbacks = list(recorder))
  expect_identical(recorder$epochs, 0:1)
  expect_equal(recorder$losses, history$metrics$loss)
  expect_identical(recorder$n_weights, 2L)
})

test_that("a schedule class written in R sets the learning rate of each step", {
  skip_if_no_python()
  Halving <- new_learning_rate_schedule_class(
    "Halving",
    initialize = function(rate) self$rate <- rate,
    call = function(step) self$rate * 0.5^step
  )
  x <- matrix(c(1, 2, 3, 4), ncol = 1)
  y <- 2 * x
  model <- keras_model_sequential(input_shape = c(1)) %>% layer_dense(1, use_bias = FALSE)
  set_weights(model, list(matrix(0, 1, 1)))
  model %>% compile(optimizer = optimizer_sgd(learning_rate = Halving(0.1)), loss = "mse")
  model %>% fit(x, y, epochs = 4, batch_size = 4, verbose = 0)
  # gradient descent by hand: one step per epoch, rate 0.1 * 0.5^step
  w <- 0
  for (step in 0:3) w <- w - 0.1 * 0.5^step * mean(2 * (w * x - y) * x)
  expect_equal(get_weights(model)[[1]][1, 1], w, tolerance = 1e-5)
  expect_true(inherits(Halving(0.1),
                       "keras.optimizers.schedules.learning_rate_schedule.LearningRateSchedule"))
})

test_that("objects carry keras' class names after their own", {
  skip_if_no_python()
  seq_model <- keras_model_sequential(input_shape = c(2)) %>% layer_dense(1)
  expect_true(all(inherits(seq_model, c("keras.engine.sequential.Sequential",
                                        "keras.engine.functional.Functional",
                                        "keras.engine.training.Model",
                                        "keras.engine.base_layer.Layer"), which = TRUE) > 0))
  input <- layer_input(shape = c(2))
  fun_model <- keras_model(input, input %>% layer_dense(1))
  expect_true(inherits(fun_model, "keras.engine.training.Model"))
  expect_false(inherits(fun_model, "keras.engine.sequential.Sequential"))
  expect_true(inherits(layer_dense(units = 1), "keras.engine.base_layer.Layer"))
  expect_false(inherits(layer_dense(units = 1), "keras.engine.training.Model"))
  expect_true(inherits(metric_auc(), "keras.metrics.Metric"))
  expect_true(inherits(loss_huber(), "keras.losses.Loss"))
  expect_true(inherits(callback_early_stopping(), "keras.callbacks.Callback"))
  expect_true(inherits(optimizer_adam(), "keras.optimizers.Optimizer"))
  # after the package's own classes, before "tensorbridge_object"
  cls <- class(seq_model)
  expect_identical(cls[[length(cls)]], "tensorbridge_object")
  expect_lt(match("tensorbridge.engine.keras.sequential.Sequential", cls),
            match("keras.engine.sequential.Sequential", cls))
})

test_that("bad classes and methods are R errors that say what to do", {
  skip_if_no_python()
  env <- new.env()
  env$f <- function(...) NULL
  env$MeanAbs <- MeanAbs
  expect_bad_inputs(env = env, list(
    bad(new_metric_class("M", result = f),
        "new_metric_class(): `update_state` must be an R function function(y_true, y_pred, sample_weight = NULL)."),
    bad(new_metric_class("M", update_state = f),
        "new_metric_class(): `result` must be an R function function() returning the metric's value."),
    bad(new_metric_class("1M", update_state = f, result = f),
        "new_metric_class(): `classname` must be a name such as \"MyClass\" (letters, digits and underscores), not \"1M\"."),
    bad(new_loss_class("L"),
        "new_loss_class(): `call` must be an R function function(y_true, y_pred) returning the losses (a tensor)."),
    bad(new_learning_rate_schedule_class("S"),
        "new_learning_rate_schedule_class(): `call` must be an R function function(step) returning the learning rate."),
    bad(new_loss_class("L", call = f, inherit = MeanAbs()),
        "new_loss_class(): `inherit` must be a loss class made with new_loss_class(), or a keras loss class (or NULL), not a function."),
    bad(new_callback_class("C", on_epoch_end = 3),
        "new_callback_class(): `on_epoch_end` must be an R function (a method of the class), not 3.")
  ))
})

test_that("errors inside the R methods name the method and the object", {
  skip_if_no_python()
  Broken <- new_loss_class("Broken", call = function(y_true, y_pred) as.array(y_pred))
  model <- linear_model()
  model %>% compile(optimizer = "sgd", loss = Broken())
  expect_error(model %>% fit(matrix(1:4, 2), c(1, 2), epochs = 1, verbose = 0),
               "call() of loss 'broken' (Broken) returned an R array, not a tensor", fixed = TRUE)
  Failing <- new_metric_class("Failing", update_state = function(y_true, y_pred, ...) stop("boom"),
                              result = function() 0)
  model <- linear_model()
  model %>% compile(optimizer = "sgd", loss = "mse", metrics = list(Failing()))
  expect_error(model %>% fit(matrix(1:4, 2), c(1, 2), epochs = 1, verbose = 0),
               "in update_state() of metric 'failing' (Failing): boom", fixed = TRUE)
  Negative <- new_learning_rate_schedule_class("Negative", call = function(step) -1)
  model <- linear_model()
  model %>% compile(optimizer = optimizer_sgd(learning_rate = Negative()), loss = "mse")
  expect_error(model %>% fit(matrix(1:4, 2), c(1, 2), epochs = 1, verbose = 0),
               "it must be a finite number >= 0", fixed = TRUE)
})
