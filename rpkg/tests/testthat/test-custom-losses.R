# R functions as losses and metrics, callback_lambda's hooks, and keras 2's
# argument forms (lr, decay, input_dim, merge layers given tensors one by one).

regression_data <- function(n = 32) {
  set.seed(3)
  x <- matrix(rnorm(n * 3), n, 3)
  list(x = x, y = x %*% matrix(c(1, 0.5, -1.5, -1, 2, 0.25), 3))
}

# Two models with the same initial weights.
twin_models <- function(units = 2, input = 3, activation = NULL) {
  make <- function() {
    keras_model_sequential(input_shape = input) %>%
      layer_dense(units = units, activation = activation)
  }
  a <- make()
  b <- make()
  set_weights(b, get_weights(a))
  list(a, b)
}

test_that("a loss function of R's own, given as a function, trains exactly like the built-in", {
  skip_if_no_python()
  d <- regression_data()
  m <- twin_models()
  my_mse <- function(y_true, y_pred) loss_mean_squared_error(y_true, y_pred)
  m[[1]] %>% compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse")
  m[[2]] %>% compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = my_mse)
  h1 <- fit(m[[1]], d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
  h2 <- fit(m[[2]], d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
  expect_equal(h2$metrics$loss, h1$metrics$loss, tolerance = 1e-6)
  expect_equal(get_weights(m[[2]]), get_weights(m[[1]]), tolerance = 1e-6)
  # and the loss is the mean squared error of the predictions, computed in base R
  logs <- evaluate(m[[2]], d$x, d$y, verbose = 0)
  expect_equal(logs$loss, mean((predict(m[[2]], d$x) - d$y)^2), tolerance = 1e-5)
})

test_that("loss = loss_categorical_crossentropy (the function itself) is keras' cross-entropy", {
  skip_if_no_python()
  set.seed(4)
  x <- matrix(rnorm(60), 20, 3)
  y <- to_categorical(sample(0:2, 20, replace = TRUE), 3)
  m <- twin_models(units = 3, activation = "softmax")
  m[[1]] %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1),
                     loss = "categorical_crossentropy", metrics = c("accuracy"))
  m[[2]] %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1),
                     loss = loss_categorical_crossentropy, metrics = c("accuracy"))
  h1 <- fit(m[[1]], x, y, epochs = 2, batch_size = 5, shuffle = FALSE, verbose = 0)
  h2 <- fit(m[[2]], x, y, epochs = 2, batch_size = 5, shuffle = FALSE, verbose = 0)
  expect_identical(names(h2$metrics), c("loss", "accuracy"))
  expect_equal(h2$metrics, h1$metrics, tolerance = 1e-6)
  p <- predict(m[[2]], x)
  expect_equal(evaluate(m[[2]], x, y, verbose = 0)$loss, mean(-rowSums(y * log(p))),
               tolerance = 1e-5)
})

test_that("the gradient of an R loss made of tensor operations matches finite differences", {
  skip_if_no_python()
  d <- regression_data(8)
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
  cubic <- function(y_true, y_pred) tf$reduce_mean(abs(y_pred - y_true)^3, axis = -1L)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 1), loss = cubic)
  w <- get_weights(model)
  loss_at <- function(k) mean(rowMeans(abs(d$x %*% k + rep(w[[2]], each = 8) - d$y)^3))
  h <- 1e-5
  fd <- w[[1]]
  for (i in seq_along(fd)) {
    e <- w[[1]] * 0
    e[i] <- h
    fd[i] <- (loss_at(w[[1]] + e) - loss_at(w[[1]] - e)) / (2 * h)
  }
  train_on_batch(model, d$x, d$y)
  # SGD with rate 1: the step is the gradient
  expect_equal(w[[1]] - get_weights(model)[[1]], fd, tolerance = 1e-3)
})

test_that("loss_*() gives a tensor for tensors and an R array for R arrays", {
  skip_if_no_python()
  y_true <- matrix(c(1, 2, 3, 4), 2)
  y_pred <- matrix(c(1.5, 2, 2, 5), 2)
  value <- loss_mean_squared_error(tf$constant(y_true), tf$constant(y_pred))
  expect_s3_class(value, "tensorbridge.engine.tensor.Tensor")
  expect_equal(as.array(value), rowMeans((y_true - y_pred)^2), ignore_attr = TRUE)
  plain <- loss_mean_squared_error(y_true, y_pred)
  expect_false(inherits(plain, "tensorbridge_object"))
  expect_equal(as.vector(plain), rowMeans((y_true - y_pred)^2))
})

test_that("R metric functions are named as written, by list name or custom_metric()", {
  skip_if_no_python()
  d <- regression_data(16)
  worst <- function(y_true, y_pred) tf$reduce_max(abs(y_pred - y_true), axis = -1L)
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
  model %>% compile(optimizer = "sgd", loss = "mse", metrics = c(worst, "mae"))
  logs <- evaluate(model, d$x, d$y, batch_size = 16, verbose = 0)
  err <- abs(predict(model, d$x) - d$y)
  expect_identical(names(logs), c("loss", "worst", "mae"))
  expect_equal(logs$worst, mean(apply(err, 1, max)), tolerance = 1e-5)
  expect_equal(logs$mae, mean(err), tolerance = 1e-5)
  model %>% compile(optimizer = "sgd", loss = "mse",
                    metrics = list(biggest = worst,
                                   custom_metric("mean_error", function(y_true, y_pred) {
                                     tf$reduce_mean(y_pred - y_true, axis = -1L)
                                   }),
                                   metric_mean_absolute_error))
  logs <- evaluate(model, d$x, d$y, batch_size = 16, verbose = 0)
  expect_identical(names(logs), c("loss", "biggest", "mean_error", "mean_absolute_error"))
  expect_equal(logs$mean_error, mean(predict(model, d$x) - d$y), tolerance = 1e-5)
  history <- fit(model, d$x, d$y, epochs = 2, verbose = 0)
  expect_identical(names(history$metrics),
                   c("loss", "biggest", "mean_error", "mean_absolute_error"))
  out <- capture.output(fit(model, d$x, d$y, epochs = 1, verbose = 2))
  expect_true(any(grepl("biggest: ", out) & grepl("mean_error: ", out)))
})

test_that("a multi-output model takes a named list of losses with R functions", {
  skip_if_no_python()
  set.seed(5)
  x <- matrix(rnorm(40), 20, 2)
  inputs <- layer_input(shape = 2)
  out_a <- inputs %>% layer_dense(units = 1, name = "out_a")
  out_b <- inputs %>% layer_dense(units = 1, name = "out_b")
  model <- keras_model(inputs, list(out_a, out_b))
  abs_loss <- function(y_true, y_pred) tf$reduce_mean(abs(y_pred - y_true), axis = -1L)
  model %>% compile(optimizer = "sgd", loss = list(out_a = "mse", out_b = abs_loss))
  ya <- x[, 1, drop = FALSE]
  yb <- x[, 2, drop = FALSE] * 2
  logs <- evaluate(model, x, list(ya, yb), batch_size = 20, verbose = 0)
  p <- predict(model, x)
  expect_equal(logs$out_a_loss, mean((p[[1]] - ya)^2), tolerance = 1e-5)
  expect_equal(logs$out_b_loss, mean(abs(p[[2]] - yb)), tolerance = 1e-5)
  expect_equal(logs$loss, logs$out_a_loss + logs$out_b_loss, tolerance = 1e-5)
})

test_that("an error inside an R loss comes back as that R error; a wrong return names it", {
  skip_if_no_python()
  d <- regression_data(8)
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
  failing <- function(y_true, y_pred) stop("my loss cannot cope")
  model %>% compile(optimizer = "sgd", loss = failing)
  err <- tryCatch(fit(model, d$x, d$y, epochs = 1, verbose = 0), error = identity)
  expect_s3_class(err, "simpleError")
  expect_identical(conditionMessage(err), "my loss cannot cope")
  # R stays usable, and the model trains with a good loss
  model %>% compile(optimizer = "sgd", loss = "mse")
  expect_length(fit(model, d$x, d$y, epochs = 1, verbose = 0)$metrics$loss, 1)
})

test_that("callback_lambda() calls every keras hook with keras' arguments", {
  skip_if_no_python()
  d <- regression_data(10)
  calls <- list()
  record <- function(hook) {
    force(hook)
    function(...) calls[[length(calls) + 1]] <<- list(hook = hook, args = list(...))
  }
  hooks <- c("on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
             "on_train_begin", "on_train_end", "on_predict_batch_begin",
             "on_predict_batch_end", "on_predict_begin", "on_predict_end",
             "on_test_batch_begin", "on_test_batch_end", "on_test_begin", "on_test_end")
  cb <- do.call(callback_lambda, sapply(hooks, record, simplify = FALSE))
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 2)
  model %>% compile(optimizer = "sgd", loss = "mse")
  fit(model, d$x, d$y, epochs = 2, batch_size = 4, verbose = 0, callbacks = list(cb),
      validation_data = list(d$x[1:4, ], d$y[1:4, ]))
  names_of <- vapply(calls, `[[`, "", "hook")
  args_of <- function(hook) lapply(calls[names_of == hook], `[[`, "args")
  expect_identical(names_of[[1]], "on_train_begin")
  expect_identical(names_of[[length(names_of)]], "on_train_end")
  # epochs and batches count from 0, as keras passes them
  expect_identical(vapply(args_of("on_epoch_end"), `[[`, 0, 1), c(0, 1))
  expect_identical(vapply(args_of("on_batch_begin"), `[[`, 0, 1), c(0, 1, 2, 0, 1, 2))
  expect_identical(sum(names_of == "on_test_batch_end"), 2L)
  expect_identical(names(args_of("on_batch_end")[[1]][[2]]), "loss")
  expect_setequal(names(args_of("on_epoch_end")[[2]][[2]]), c("loss", "val_loss"))
  calls <- list()
  evaluate(model, d$x, d$y, batch_size = 5, verbose = 0, callbacks = list(cb))
  expect_identical(vapply(calls, `[[`, "", "hook"),
                   c("on_test_begin", "on_test_batch_begin", "on_test_batch_end",
                     "on_test_batch_begin", "on_test_batch_end", "on_test_end"))
  calls <- list()
  p <- predict(model, d$x, batch_size = 5, callbacks = list(cb))
  ends <- lapply(calls[vapply(calls, `[[`, "", "hook") == "on_predict_batch_end"], `[[`, "args")
  expect_identical(vapply(ends, `[[`, 0, 1), c(0, 1))
  expect_equal(ends[[1]][[2]]$outputs[[1]], p[1:5, ], ignore_attr = TRUE)
  # on_train_batch_* are the same hooks under keras' newer names
  seen <- integer()
  cb2 <- callback_lambda(on_train_batch_end = function(batch, logs) seen <<- c(seen, batch))
  fit(model, d$x, d$y, epochs = 1, batch_size = 5, verbose = 0, callbacks = list(cb2))
  expect_identical(seen, c(0L, 1L))
})

test_that("keras 2's decay and lr: each step uses lr / (1 + decay * iterations)", {
  skip_if_no_python()
  x <- matrix(1, 1, 1)
  model <- keras_model_sequential(input_shape = 1) %>%
    layer_dense(units = 1, use_bias = FALSE, kernel_initializer = "zeros")
  expect_warning(opt <- optimizer_sgd(lr = 0.1, decay = 0.5),
                 "optimizer_sgd(): `lr` is deprecated; use `learning_rate`", fixed = TRUE)
  # loss = the prediction itself: its gradient with respect to the weight is x = 1
  model %>% compile(optimizer = opt, loss = function(y_true, y_pred) y_pred[, 1])
  w <- numeric()
  for (k in 1:4) {
    train_on_batch(model, x, matrix(0, 1, 1))
    w[k] <- get_weights(model)[[1]][1, 1]
  }
  expect_equal(-diff(c(0, w)), 0.1 / (1 + 0.5 * 0:3), tolerance = 1e-6)
  # every optimizer takes them
  for (make in list(optimizer_rmsprop, optimizer_adam, optimizer_adamw, optimizer_adagrad,
                    optimizer_adadelta, optimizer_adamax, optimizer_nadam)) {
    expect_s3_class(suppressWarnings(make(lr = 0.01, decay = 1e-4)), "tensorbridge_object")
  }
})

test_that("input_dim, merge layers given tensors one by one, array_reshape with -1", {
  skip_if_no_python()
  model <- keras_model_sequential() %>% layer_dense(units = 2, input_dim = 4)
  expect_identical(count_params(model), 10L)
  a <- layer_input(shape = 3)
  b <- layer_input(shape = 3)
  both <- keras_model(list(a, b), list(layer_add(a, b), layer_concatenate(a, b, axis = -1),
                                       layer_subtract(a, b)))
  xa <- matrix(1:6, 2)
  xb <- matrix(c(2, 0, 1, 5, 3, 3), 2)
  p <- predict(both, list(xa, xb))
  expect_equal(p[[1]], xa + xb, ignore_attr = TRUE)
  expect_equal(p[[2]], cbind(xa, xb), ignore_attr = TRUE)
  expect_equal(p[[3]], xa - xb, ignore_attr = TRUE)
  flat <- array_reshape(array(1:24, c(2, 3, 4)), c(-1, 12))
  expect_identical(dim(flat), c(2L, 12L))
  # row-major, as numpy: the first row is sample 1's values in C order
  expect_equal(flat[1, ], as.vector(aperm(array(1:24, c(2, 3, 4))[1, , ], c(2, 1))))
})
