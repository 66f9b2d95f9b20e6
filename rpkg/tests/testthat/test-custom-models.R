# Models written in R: keras_model_custom(), new_model_class(), and
# train_step()/test_step()/predict_step() overrides. Every number is checked
# against the equivalent keras_model_sequential() (same initial weights) or
# base R arithmetic.

set.seed(12)
xm <- matrix(rnorm(40), 10)
ym <- matrix(rnorm(20), 10)
w1 <- matrix(rnorm(12) / 2, 4)
b1 <- c(0.1, -0.2, 0.05)
w2 <- matrix(rnorm(6) / 2, 3)
b2 <- c(0.3, -0.1)
init <- list(w1, array(b1), w2, array(b2))

sequential_twin <- function() {
  model <- keras_model_sequential(input_shape = c(4)) %>%
    layer_dense(units = 3, activation = "tanh") %>%
    layer_dense(units = 2)
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                    metrics = "mae")
  model
}

forward <- function(x, w) {
  h <- tanh(x %*% w[[1]] + matrix(w[[2]], nrow(x), length(w[[2]]), byrow = TRUE))
  h %*% w[[3]] + matrix(w[[4]], nrow(x), length(w[[4]]), byrow = TRUE)
}

test_that("keras_model_custom() predicts and trains as the equivalent Sequential model", {
  skip_if_no_python()
  model <- keras_model_custom(name = "mine", function(self) {
    self$dense1 <- layer_dense(units = 3, activation = "tanh")
    self$dense2 <- layer_dense(units = 2)
    function(inputs, mask = NULL, training = FALSE) {
      inputs %>% self$dense1() %>% self$dense2()
    }
  })
  expect_true(inherits(model, "tensorbridge.engine.keras.model.Model"))
  expect_equal(model$name, "mine")
  model(as_tensor(xm[1:2, ], dtype = "float32"))  # builds the layers
  set_weights(model, init)
  expect_equal(predict(model, xm, verbose = 0), forward(xm, init), tolerance = 1e-5,
               ignore_attr = TRUE)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                    metrics = "mae")
  twin <- sequential_twin()
  h1 <- fit(model, xm, ym, epochs = 3, batch_size = 4, shuffle = FALSE, verbose = 0)
  h2 <- fit(twin, xm, ym, epochs = 3, batch_size = 4, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  expect_false(isTRUE(all.equal(get_weights(model)[[1]], w1)))  # it did train
  expect_equal(h1$metrics, h2$metrics, tolerance = 1e-6)
  expect_equal(evaluate(model, xm, ym, verbose = 0), evaluate(twin, xm, ym, verbose = 0),
               tolerance = 1e-6)
  expect_equal(predict(model, xm, verbose = 0), predict(twin, xm, verbose = 0),
               tolerance = 1e-6)
  # summary() counts the tracked layers' parameters: (4 x 3 + 3) + (3 x 2 + 2)
  text <- capture.output(summary(model))
  expect_true(any(grepl("^Total params: 23$", text)))
  expect_length(model$layers, 2)
})

test_that("keras_model_custom() passes `training` when the forward pass takes it", {
  skip_if_no_python()
  seen <- new.env()
  model <- keras_model_custom(function(self) {
    self$dense <- layer_dense(units = 1, use_bias = FALSE, kernel_initializer = "ones")
    function(inputs, training = FALSE) {
      seen$training <- c(seen$training, isTRUE(training))
      self$dense(inputs)
    }
  })
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0), loss = "mse")
  model(as_tensor(xm[1:2, ], dtype = "float32"))  # builds it (training not given)
  expect_false(any(seen$training))  # the function's default (FALSE)
  seen$training <- NULL
  fit(model, xm, ym[, 1], epochs = 1, batch_size = 10, verbose = 0)
  expect_equal(seen$training, TRUE)
  seen$training <- NULL
  out <- predict(model, xm, verbose = 0)
  expect_equal(seen$training, FALSE)
  expect_equal(as.vector(out), rowSums(xm), tolerance = 1e-5)
})

TwoDense <- new_model_class(
  "TwoDense",
  initialize = function(units, ...) {
    super$initialize(...)
    self$hidden <- layer_dense(units = units, activation = "tanh")
    self$out <- layer_dense(units = 2)
  },
  call = function(inputs) self$out(self$hidden(inputs))
)

test_that("new_model_class(): a model class whose instances train as the Sequential twin", {
  skip_if_no_python()
  expect_s3_class(TwoDense, "tensorbridge_model_class")
  model <- TwoDense(units = 3, name = "two")
  expect_equal(model$name, "two")
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                    metrics = "mae")
  twin <- sequential_twin()
  for (epoch in 1:2) {
    fit(model, xm, ym, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
    fit(twin, xm, ym, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
    expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  }
  expect_equal(predict(model, xm, verbose = 0), forward(xm, get_weights(twin)),
               tolerance = 1e-5, ignore_attr = TRUE)
})

# keras 2's custom training step, written in R.
supervised_step <- function(data) {
  c(x, y) %<-% data
  with(tf$GradientTape() %as% tape, {
    y_pred <- self(x, training = TRUE)
    loss <- self$compiled_loss(y, y_pred, regularization_losses = self$losses)
  })
  gradients <- tape$gradient(loss, self$trainable_variables)
  self$optimizer$apply_gradients(zip_lists(gradients, self$trainable_variables))
  self$compiled_metrics$update_state(y, y_pred)
  results <- list()
  for (m in self$metrics) results[[m$name]] <- m$result()
  results
}

StepModel <- new_model_class(
  "StepModel",
  initialize = function(...) {
    super$initialize(...)
    self$hidden <- layer_dense(units = 3, activation = "tanh")
    self$out <- layer_dense(units = 2)
  },
  call = function(inputs) self$out(self$hidden(inputs)),
  train_step = supervised_step
)

test_that("a train_step() written in R trains as the built-in fit (weights, history, callbacks)", {
  skip_if_no_python()
  model <- StepModel()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                    metrics = "mae")
  twin <- sequential_twin()
  epoch_logs <- list()
  cb <- callback_lambda(on_epoch_end = function(epoch, logs) {
    epoch_logs[[length(epoch_logs) + 1]] <<- logs
  })
  out <- capture.output(
    h1 <- fit(model, xm, ym, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 1,
              callbacks = list(cb)))
  h2 <- fit(twin, xm, ym, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  expect_equal(h1$metrics, h2$metrics, tolerance = 1e-6)
  expect_length(epoch_logs, 2)
  expect_equal(epoch_logs[[2]]$loss, h2$metrics$loss[2], tolerance = 1e-6)
  expect_true(any(grepl("Epoch 2/2", out)))
  expect_true(any(grepl("loss: [0-9.]+ - mae: [0-9.]+", out)))
})

test_that("a model class inheriting another one keeps its layers and adds a train_step()", {
  skip_if_no_python()
  Child <- new_model_class("Child", inherit = TwoDense, train_step = supervised_step)
  model <- Child(units = 3)
  expect_true(inherits(model, "tensorbridge.r.TwoDense"))
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                    metrics = "mae")
  twin <- sequential_twin()
  fit(model, xm, ym, epochs = 2, batch_size = 3, shuffle = FALSE, verbose = 0)
  fit(twin, xm, ym, epochs = 2, batch_size = 3, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  expect_equal(capture.output(print(Child)), "<model class Child written in R>")
  # a layer class is not a model class to inherit from
  layer_class <- new_layer_class("NotAModel", call = function(inputs) inputs)
  expect_bad_inputs(list(bad(
    new_model_class("M2", inherit = layer_class),
    paste0("new_model_class(): `inherit` must be a model class made with new_model_class(), ",
           "or keras$Model (or NULL), not a function."))), env = environment())
})

test_that("regularization_losses = self$losses: an R step matches fit() with regularizers", {
  skip_if_no_python()
  Regularized <- new_model_class(
    "Regularized",
    initialize = function(...) {
      super$initialize(...)
      self$hidden <- layer_dense(units = 3, activation = "tanh",
                                 kernel_regularizer = regularizer_l2(0.05))
      self$out <- layer_dense(units = 2, activity_regularizer = regularizer_l1(0.01))
    },
    call = function(inputs) self$out(self$hidden(inputs)),
    train_step = supervised_step
  )
  model <- Regularized()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  twin <- keras_model_sequential(input_shape = c(4)) %>%
    layer_dense(units = 3, activation = "tanh", kernel_regularizer = regularizer_l2(0.05)) %>%
    layer_dense(units = 2, activity_regularizer = regularizer_l1(0.01))
  set_weights(twin, init)
  twin %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  h1 <- fit(model, xm, ym, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 0)
  h2 <- fit(twin, xm, ym, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  expect_equal(h1$metrics$loss, h2$metrics$loss, tolerance = 1e-6)
  # self$losses: the l2 term of the kernel and the l1 term of the latest call's
  # output (keras 2's activity term: divided by the batch size)
  model(as_tensor(xm, dtype = "float32"))
  w <- get_weights(model)
  terms <- vapply(model$losses, function(t) as.vector(as.array(t)), 1)
  expect_equal(sort(terms), sort(c(0.01 * sum(abs(forward(xm, w))) / nrow(xm),
                                   0.05 * sum(w[[1]]^2))), tolerance = 1e-5)
})

test_that("super$train_step(), test_step() and predict_step() overrides", {
  skip_if_no_python()
  Wrapped <- new_model_class(
    "Wrapped",
    initialize = function(...) {
      super$initialize(...)
      self$hidden <- layer_dense(units = 3, activation = "tanh")
      self$out <- layer_dense(units = 2)
    },
    call = function(inputs) self$out(self$hidden(inputs)),
    train_step = function(data) super$train_step(data),
    test_step = function(data) {
      c(x, y) %<-% data
      y_pred <- self(x, training = FALSE)
      list(sq = tf$reduce_sum((y_pred - y)^2))
    },
    predict_step = function(data) {
      x <- data[[1]]
      self(x) * 2
    }
  )
  model <- Wrapped()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  twin <- sequential_twin()
  fit(model, xm, ym, epochs = 1, batch_size = 4, shuffle = FALSE, verbose = 0)
  fit(twin, xm, ym, epochs = 1, batch_size = 4, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
  w <- get_weights(model)
  # evaluate() returns the last batch's logs (here the whole data in one batch)
  got <- evaluate(model, xm, ym, batch_size = 10, verbose = 0)
  expect_equal(unname(unlist(got)), sum((forward(xm, w) - ym)^2), tolerance = 1e-4)
  expect_equal(predict(model, xm, verbose = 0), 2 * forward(xm, w), tolerance = 1e-5,
               ignore_attr = TRUE)
})

test_that("train_step() receives sample weights as the third element of `data`", {
  skip_if_no_python()
  Weighted <- new_model_class(
    "Weighted",
    initialize = function(...) {
      super$initialize(...)
      self$hidden <- layer_dense(units = 3, activation = "tanh")
      self$out <- layer_dense(units = 2)
    },
    call = function(inputs) self$out(self$hidden(inputs)),
    train_step = function(data) {
      c(x, y, sw) %<-% data
      with(tf$GradientTape() %as% tape, {
        y_pred <- self(x, training = TRUE)
        loss <- self$compiled_loss(y, y_pred, sample_weight = sw)
      })
      grads <- tape$gradient(loss, self$trainable_variables)
      self$optimizer$apply_gradients(zip_lists(grads, self$trainable_variables))
      list(loss = loss)
    }
  )
  sw <- seq(0.5, 2, length.out = 10)
  model <- Weighted()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  twin <- sequential_twin()
  fit(model, xm, ym, sample_weight = sw, epochs = 1, batch_size = 5, shuffle = FALSE,
      verbose = 0)
  fit(twin, xm, ym, sample_weight = sw, epochs = 1, batch_size = 5, shuffle = FALSE,
      verbose = 0)
  expect_equal(get_weights(model), get_weights(twin), tolerance = 1e-6)
})

test_that("keras 3 style: metrics of the model's own, listed by metrics(), reset each epoch", {
  skip_if_no_python()
  w <- matrix(c(0.5, -1, 0.25, 2, 1, -0.5, 0, 1), 4)
  Tracked <- new_model_class(
    "Tracked",
    initialize = function(...) {
      super$initialize(...)
      self$out <- layer_dense(units = 2, use_bias = FALSE)
      self$loss_tracker <- keras$metrics$Mean(name = "loss")
      self$batches <- keras$metrics$Sum(name = "batches")
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
      self$batches$update_state(1)
      list(loss = self$loss_tracker$result(), batches = self$batches$result())
    },
    metrics = function() list(self$loss_tracker, self$batches)
  )
  model <- Tracked()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  set_weights(model, list(w))
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0))  # weights stay: closed form
  expect_length(model$metrics, 2)
  h <- fit(model, xm, ym, epochs = 2, batch_size = 4, shuffle = FALSE, verbose = 0)
  batch_mse <- vapply(list(1:4, 5:8, 9:10), function(rows) {
    mean((xm[rows, , drop = FALSE] %*% w - ym[rows, , drop = FALSE])^2)
  }, 1)
  expect_equal(h$metrics$loss, rep(mean(batch_mse), 2), tolerance = 1e-5)
  expect_equal(h$metrics$batches, c(3, 3))  # reset at the start of each epoch
  # keras 2.13's compute_loss() / compute_metrics() on a compiled model
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0), loss = "mse", metrics = "mae")
  y_pred <- model(as_tensor(xm, dtype = "float32"))
  loss <- model$compute_loss(y = as_tensor(ym, dtype = "float32"), y_pred = y_pred)
  expect_equal(as.array(loss), mean((xm %*% w - ym)^2), tolerance = 1e-5)
  res <- model$compute_metrics(y = ym, y_pred = y_pred)
  expect_equal(names(res), c("loss", "batches"))  # the results of the model's metrics()
  mae <- model$compiled_metrics$metrics[[1]]
  expect_equal(as.vector(mae$result()), mean(abs(xm %*% w - ym)), tolerance = 1e-5)
})

test_that("an error in train_step() is that R error naming the method; wrong returns are named", {
  skip_if_no_python()
  Broken <- new_model_class(
    "Broken",
    initialize = function(...) {
      super$initialize(...)
      self$out <- layer_dense(units = 2)
    },
    call = function(inputs) self$out(inputs),
    train_step = function(data) stop("no step today")
  )
  model <- Broken(name = "broken")
  model %>% compile(optimizer = "sgd", loss = "mse")
  err <- tryCatch(fit(model, xm, ym, epochs = 1, verbose = 0), error = identity)
  expect_equal(conditionMessage(err), "in train_step() of layer 'broken' (Broken): no step today")
  Unnamed <- new_model_class(
    "Unnamed",
    initialize = function(...) {
      super$initialize(...)
      self$out <- layer_dense(units = 2)
    },
    call = function(inputs) self$out(inputs),
    train_step = function(data) "done"
  )
  model <- Unnamed(name = "unnamed")
  model %>% compile(optimizer = "sgd", loss = "mse")
  err <- tryCatch(fit(model, xm, ym, epochs = 1, verbose = 0), error = identity)
  expect_s3_class(err, "tensorbridge_error")
  expect_equal(conditionMessage(err), paste0(
    "TypeError: train_step() of model 'unnamed' (Unnamed) must return a named list of ",
    "metric values (e.g. list(loss = loss)), not a string"))
  # R stays usable: the same data fits a working model
  ok <- TwoDense(units = 2)
  ok %>% compile(optimizer = "sgd", loss = "mse")
  expect_s3_class(fit(ok, xm, ym, epochs = 1, verbose = 0), "keras_training_history")
})

test_that("bad input to keras_model_custom() and new_model_class()", {
  skip_if_no_python()
  expect_bad_inputs(list(
    bad(keras_model_custom(), paste0(
      "keras_model_custom(): `model_fn` must be a function(self) that makes the layers and ",
      "returns the forward pass.")),
    bad(keras_model_custom("f"), paste0(
      "keras_model_custom(): `model_fn` must be a function(self) that makes the layers and ",
      "returns the forward pass, not \"f\".")),
    bad(keras_model_custom(function(self) 3), paste0(
      "(CustomModel): keras_model_custom(): `model_fn` must return the forward pass, a ",
      "function(inputs, mask = NULL, training = FALSE), not 3."), fixed = TRUE),
    bad(keras_model_custom(function(self) identity, name = 3),
        "keras_model_custom(): `name` must be one string (or NULL), not 3."),
    bad(new_model_class("bad name"), paste0(
      "new_model_class(): `classname` must be a name such as \"MyModel\" (letters, digits ",
      "and underscores), not \"bad name\".")),
    bad(new_model_class("M", call = 3),
        "new_model_class(): `call` must be an R function (a method of the class), not 3."),
    bad(new_model_class("M", inherit = "Model"), paste0(
      "new_model_class(): `inherit` must be a model class made with new_model_class(), or ",
      "keras$Model (or NULL), not \"Model\"."))
  ))
})

test_that("a model class with its own compile() gets compile()'s arguments (a GAN's form)", {
  skip_if_no_python()
  OwnCompile <- new_model_class(
    "OwnCompile",
    initialize = function(...) {
      super$initialize(...)
      self$d <- layer_dense(units = 1)
    },
    call = function(inputs) self$d(inputs),
    compile = function(step_optimizer, loss_fn) {
      super$compile(optimizer = step_optimizer)
      self$loss_fn <- loss_fn
    },
    train_step = function(data) {
      x <- data[[1]]
      y <- data[[2]]
      with(tf$GradientTape() %as% tape, {
        loss <- self$loss_fn(y, self(x, training = TRUE))
      })
      grads <- tape$gradient(loss, self$trainable_variables)
      self$optimizer$apply_gradients(zip_lists(grads, self$trainable_variables))
      list(loss = loss)
    }
  )
  model <- OwnCompile()
  model(as_tensor(xm[1:2, ], dtype = "float32"))
  w0 <- matrix(c(0.5, -0.25, 0.1, 0.2))
  set_weights(model, list(w0, array(0.3)))
  model %>% compile(step_optimizer = optimizer_sgd(learning_rate = 0.1),
                    loss_fn = function(y_true, y_pred) k_mean(k_square(y_true - y_pred)))
  y <- ym[, 1, drop = FALSE]
  fit(model, xm, y, epochs = 1, batch_size = nrow(xm), shuffle = FALSE, verbose = 0)
  # one gradient step on the mean squared error, in closed form
  r <- xm %*% w0 + 0.3 - y
  expect_equal(get_weights(model)[[1]], w0 - 0.1 * 2 * t(xm) %*% r / nrow(xm), tolerance = 1e-5)
  expect_equal(as.vector(get_weights(model)[[2]]), 0.3 - 0.1 * 2 * mean(r), tolerance = 1e-5)
})

test_that("fit(x) and evaluate(x) without targets give a step of one's own x alone (keras)", {
  skip_if_no_python()
  xs <- matrix(seq(-1, 1, length.out = 20), 10)
  Shrink <- new_model_class(
    "Shrink",
    initialize = function(...) {
      super$initialize(...)
      self$d <- layer_dense(units = 1, kernel_initializer = "ones", use_bias = FALSE)
    },
    call = function(inputs) self$d(inputs),
    train_step = function(data) {
      with(tf$GradientTape() %as% tape, loss <- tf$reduce_mean(self(data)^2))
      g <- tape$gradient(loss, self$trainable_weights)
      self$optimizer$apply_gradients(zip_lists(g, self$trainable_weights))
      list(loss = loss)
    },
    test_step = function(data) list(loss = tf$reduce_mean(self(data)^2))
  )
  m <- Shrink()
  compile(m, optimizer = optimizer_sgd(learning_rate = 0.1))
  # one full-batch step by hand: w <- w - lr * d/dw mean((x w)^2) = w - lr * 2/n x'x w
  w0 <- matrix(1, 2, 1)
  w1 <- w0 - 0.1 * 2 / nrow(xs) * crossprod(xs) %*% w0
  fit(m, xs, epochs = 1, batch_size = nrow(xs), shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(m)[[1]], w1, tolerance = 1e-5)
  expect_equal(evaluate(m, xs, verbose = 0)[["loss"]], mean((xs %*% w1)^2), tolerance = 1e-5)
  # a model with the built-in step still needs its targets
  plain <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  compile(plain, optimizer = "sgd", loss = "mse")
  expect_error(fit(plain, xs, verbose = 0), "y \\(the targets\\) is missing")
  expect_error(evaluate(plain, xs, verbose = 0), "y \\(the targets\\) is missing")
})

test_that("a model class without call() trains with its own step; a model is a constructor argument", {
  skip_if_no_python()
  xs <- matrix(seq(-1, 1, length.out = 20), 10)
  NoCall <- new_model_class(
    "NoCall",
    initialize = function(...) {
      super$initialize(...)
      self$d <- layer_dense(units = 1)
    },
    train_step = function(data) {
      with(tf$GradientTape() %as% tape, loss <- tf$reduce_mean(self$d(data[[1]])^2))
      g <- tape$gradient(loss, self$d$trainable_weights)
      self$optimizer$apply_gradients(zip_lists(g, self$d$trainable_weights))
      list(loss = loss)
    }
  )
  m <- NoCall()
  compile(m, optimizer = "sgd")
  h <- fit(m, xs, xs, epochs = 2, verbose = 0)
  expect_length(h$metrics$loss, 2)
  expect_lt(h$metrics$loss[[2]], h$metrics$loss[[1]])

  Wrap <- new_model_class(
    "WrapInner",
    initialize = function(inner, ...) {
      super$initialize(...)
      self$inner <- inner
    },
    call = function(inputs) self$inner(inputs) * 2
  )
  inner <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  outer <- Wrap(inner)   # positional: the argument, not an object to compose with
  expect_equal(as.array(outer(as_tensor(xs))), 2 * predict(inner, xs, verbose = 0),
               tolerance = 1e-6)
  # the shape of a new random tensor may be a shape tensor (keras R: k_shape(z))
  z <- as_tensor(matrix(0, 3, 2))
  expect_identical(dim(as.array(k_random_normal(shape = k_shape(z)))), c(3L, 2L))
})
