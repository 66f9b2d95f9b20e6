# %py_class%, %<-active% and keras 3's class constructors (Model(), Metric(),
# Loss(), Callback(), LearningRateSchedule(), Layer() composing). Numbers
# are checked against base R.

x <- matrix(c(1, -2, 3, 0.5, 4, -1), nrow = 2)

test_that("%py_class% makes a layer class: methods, class attributes, properties", {
  skip_if_no_python()
  Scale(keras$layers$Layer) %py_class% {
    offset <- 0.5                      # a class attribute
    initialize <- function(factor = 2, ...) {
      super$initialize(...)
      self$factor <- factor
    }
    call <- function(inputs) inputs * self$factor + self$offset
    half %<-active% function(value) {
      if (missing(value)) self$factor / 2 else self$factor <- value * 2
    }
  }
  expect_true(is.function(Scale))      # assigned to its name
  layer <- Scale(factor = 3)
  expect_s3_class(layer, "keras.engine.base_layer.Layer")
  expect_equal(layer$half, 1.5)
  layer$half <- 5                      # the setter
  expect_equal(layer$factor, 10)
  model <- keras_model_sequential(input_shape = 3) %>% Scale(factor = 4)  # composes
  expect_equal(predict(model, x, verbose = 0), x * 4 + 0.5, tolerance = 1e-6,
               ignore_attr = TRUE)
  # extending an R class with %py_class%
  Shifted(Scale) %py_class% {
    call <- function(inputs) super$call(inputs) - 1
  }
  out <- Shifted(factor = 2)(as_tensor(x))
  expect_equal(as.array(out), x * 2 + 0.5 - 1, tolerance = 1e-6)
})

test_that("%py_class% on keras$Model and keras$metrics$Metric; keras 3 constructors", {
  skip_if_no_python()
  Affine(keras$Model) %py_class% {
    initialize <- function(...) {
      super$initialize(...)
      self$dense <- layer_dense(units = 1, kernel_initializer = "ones")
    }
    call <- function(inputs) self$dense(inputs)
  }
  model <- Affine()
  expect_s3_class(model, "keras.engine.training.Model")
  expect_equal(as.array(model(as_tensor(x))), matrix(rowSums(x)), tolerance = 1e-6)

  SumAbs(keras$metrics$Metric) %py_class% {
    initialize <- function(...) {
      super$initialize(...)
      self$total <- self$add_weight(name = "total", initializer = "zeros")
    }
    update_state <- function(y_true, y_pred, sample_weight = NULL) {
      self$total$assign_add(k_sum(k_abs(y_true - y_pred)))
    }
    result <- function() self$total
  }
  m <- SumAbs()
  m$update_state(as_tensor(c(1, 2, 3)), as_tensor(c(2, 0, 3)))
  expect_equal(as.numeric(m$result()), sum(abs(c(1, 2, 3) - c(2, 0, 3))))

  # keras 3 names: same classes as new_*_class()
  M3 <- Metric("SumAbs3", initialize = function(...) {
    super$initialize(...)
    self$total <- self$add_weight(name = "total", initializer = "zeros")
  }, update_state = function(y_true, y_pred, sample_weight = NULL) {
    self$total$assign_add(k_sum(k_abs(y_true - y_pred)))
  }, result = function() self$total)
  m3 <- M3()
  expect_s3_class(m3, "keras.metrics.Metric")
  m3$update_state(as_tensor(c(1, 2, 3)), as_tensor(c(2, 0, 3)))
  expect_equal(as.numeric(m3$result()), 3)

  L3 <- Loss("Sq3", call = function(y_true, y_pred) k_mean(k_square(y_true - y_pred), axis = -1))
  expect_equal(as.numeric(L3()(as_tensor(matrix(c(1, 2), 1)), as_tensor(matrix(c(0, 0), 1)))),
               mean(c(1, 4)), tolerance = 1e-6)

  seen <- c()
  C3 <- Callback("Seen3", on_epoch_end = function(epoch, logs) seen <<- c(seen, epoch))
  S3 <- LearningRateSchedule("Half3", call = function(step) 0.1 * 0.5^step)
  mdl <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 1)
  compile(mdl, optimizer = optimizer_sgd(learning_rate = S3()), loss = "mse")
  fit(mdl, x, c(1, 2), epochs = 3, verbose = 0, callbacks = list(C3()))
  expect_equal(seen, 0:2)

  Two3 <- Model("Two3", initialize = function(...) {
    super$initialize(...)
    self$d <- layer_dense(units = 1, kernel_initializer = "ones", use_bias = FALSE)
  }, call = function(inputs) self$d(inputs) * 2)
  expect_equal(as.array(Two3()(as_tensor(x))), matrix(2 * rowSums(x)), tolerance = 1e-6)

  # keras 3 `public` members
  P3 <- Layer("Pub3", call = function(inputs) self$twice(inputs),
              public = list(twice = function(x) x * 2))
  expect_equal(as.array(P3()(as_tensor(x))), 2 * x, tolerance = 1e-6)
})

test_that("%py_class% and the keras 3 constructors reject what they cannot build", {
  skip_if_no_python()
  expect_error(Bad(1) %py_class% { call <- function(inputs) inputs },
               "base class must be a keras class")
  expect_error(local(Bad %py_class% { }), "name the class and its base class")
  expect_error(Metric("P", update_state = function(...) 0, result = function() 0,
                      private = list(a = 1)),
               "`private` is not supported")
  expect_error(Layer("P", public = list(1)), "`public` must be a named list")
  expect_error(local(x %<-active% 3), "function")
})
