tb_getattr_name <- function(x) tensorbridge:::tb_getattr(x, "name")

test_that("a sequential model's summary counts parameters as keras does", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = 784) %>%
    layer_dense(units = 256, activation = "relu") %>%
    layer_dropout(rate = 0.4) %>%
    layer_dense(units = 10, activation = "softmax")
  expected <- (784 * 256 + 256) + (256 * 10 + 10)
  expect_identical(count_params(model), as.integer(expected))
  out <- capture.output(summary(model))
  expect_true(any(grepl("Total params: 203,530", out, fixed = TRUE)))
  rows <- grep("\\((Dense|Dropout)\\)", out, value = TRUE)
  # in the order they were added
  expect_identical(sub(".*\\((\\w+)\\).*", "\\1", rows), c("Dense", "Dropout", "Dense"))
  w <- get_weights(model)
  expect_identical(dim(w[[1]]), c(784L, 256L))  # kernels are input x output
  expect_length(w[[2]], 256L)                    # biases are vectors
  expect_identical(dim(w[[3]]), c(256L, 10L))
})

test_that("fit() from R recovers the coefficients of a linear model", {
  skip_if_no_python()
  set.seed(1)
  x <- matrix(rnorm(400), ncol = 2)
  y <- x %*% c(2, -3) + 0.5
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  history <- model %>% fit(x, y, epochs = 30, batch_size = 20, verbose = 0)
  w <- get_weights(model)
  expect_equal(as.vector(w[[1]]), c(2, -3), tolerance = 1e-3)
  expect_equal(as.vector(w[[2]]), 0.5, tolerance = 1e-3)
  expect_s3_class(history, "keras_training_history")
  expect_length(history$metrics$loss, 30)
  expect_lt(tail(history$metrics$loss, 1), 1e-5)
  # predictions agree with the closed form of the learned weights
  expect_equal(predict(model, x[1:5, ]), x[1:5, ] %*% w[[1]] + w[[2]], tolerance = 1e-5,
               ignore_attr = TRUE)
})

test_that("a functional model with two outputs trains with per-output losses and weights", {
  skip_if_no_python()
  set.seed(2)
  inputs <- layer_input(shape = 3)
  hidden <- inputs %>% layer_dense(units = 8, activation = "tanh")
  reg <- hidden %>% layer_dense(units = 1, name = "reg")
  cls <- hidden %>% layer_dense(units = 2, activation = "softmax", name = "cls")
  model <- keras_model(inputs, list(reg, cls))
  model %>% compile(optimizer = "adam", loss = list(reg = "mse", cls = "categorical_crossentropy"),
                    loss_weights = list(reg = 0.5, cls = 2))
  x <- matrix(rnorm(300), ncol = 3)
  y_reg <- rowSums(x)
  y_cls <- to_categorical(as.integer(x[, 1] > 0), 2)
  history <- model %>% fit(x, list(y_reg, y_cls), epochs = 3, verbose = 0)
  scores <- model %>% evaluate(x, list(y_reg, y_cls), verbose = 0)
  expect_equal(scores$loss, 0.5 * scores$reg_loss + 2 * scores$cls_loss, tolerance = 1e-4)
  expect_lt(tail(history$metrics$loss, 1), history$metrics$loss[1])
  preds <- predict(model, x[1:4, ])
  expect_length(preds, 2)
  expect_identical(dim(preds[[2]]), c(4L, 2L))
})

test_that("an R lambda callback sees every epoch and the logs", {
  skip_if_no_python()
  seen <- list()
  cb <- callback_lambda(on_epoch_end = function(epoch, logs) {
    seen[[length(seen) + 1]] <<- list(epoch = epoch, loss = logs$loss)
  })
  x <- matrix(runif(40), ncol = 2)
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  history <- model %>% fit(x, rowSums(x), epochs = 3, verbose = 0, callbacks = list(cb))
  expect_identical(vapply(seen, `[[`, 0L, "epoch"), 0:2)  # keras counts epochs from 0
  expect_equal(vapply(seen, `[[`, 0, "loss"), history$metrics$loss)
})

test_that("an error in an R callback stops fit() with that error", {
  skip_if_no_python()
  cb <- callback_lambda(on_epoch_end = function(epoch, logs) stop("stop from R at ", epoch))
  model <- keras_model_sequential(input_shape = 1) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  expect_error(model %>% fit(matrix(1:4), 1:4, epochs = 3, verbose = 0, callbacks = list(cb)),
               "stop from R at 0")
})

test_that("early stopping from R restores the best weights", {
  skip_if_no_python()
  x <- matrix(runif(100), ncol = 2)
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  history <- model %>% fit(x, rowSums(x), epochs = 50, verbose = 0,
                           validation_data = list(x, rowSums(x)),
                           callbacks = list(callback_early_stopping(patience = 0, min_delta = 10)))
  # min_delta = 10 means no epoch ever counts as an improvement: stop after one
  # epoch without improvement, i.e. at epoch 2
  expect_length(history$metrics$loss, 2)
})

test_that("the training history prints, plots and becomes a data frame", {
  skip_if_no_python()
  x <- matrix(runif(100), ncol = 2)
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse", metrics = "mae")
  history <- model %>% fit(x, rowSums(x), epochs = 4, validation_split = 0.2, verbose = 0)
  df <- as.data.frame(history)
  expect_identical(nrow(df), 16L)
  expect_identical(levels(df$metric), c("loss", "mae"))
  expect_equal(df$value[df$metric == "loss" & df$data == "validation"],
               history$metrics$val_loss)
  expect_output(print(history), "val_mae")
  skip_if_not_installed("ggplot2")
  expect_s3_class(plot(history), "ggplot")
  pdf(NULL)
  on.exit(dev.off())
  expect_null(plot(history, method = "base"))
})

test_that("get_layer() finds layers by name and by position from 1; freezing counts", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = 3) %>%
    layer_dense(units = 2, name = "hidden") %>%
    layer_dense(units = 1, name = "out")
  # a Python argument called `name` must not collide with the bridge's own
  expect_identical(tb_getattr_name(get_layer(model, name = "out")), "out")
  expect_identical(tb_getattr_name(get_layer(model, index = 1)), "hidden")
  freeze_weights(model, to = "hidden")
  trainable <- function() tensorbridge:::tb_getattr(model, "trainable_weights")
  expect_length(trainable(), 2L)  # only the output layer's kernel and bias
  unfreeze_weights(model)
  expect_length(trainable(), 4L)
})

test_that("layers and models are R functions: a shared encoder has one set of weights", {
  skip_if_no_python()
  encoder <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 2)
  expect_true(is.function(encoder))
  a <- layer_input(shape = 4)
  b <- layer_input(shape = 4)
  both <- keras_model(list(a, b), layer_add(list(encoder(a), b %>% encoder)))
  expect_identical(count_params(both), count_params(encoder))  # shared, not copied
  x <- matrix(runif(8), 2)
  y <- matrix(runif(8), 2)
  expect_equal(predict(both, list(x, y)), predict(encoder, x) + predict(encoder, y),
               tolerance = 1e-6)
  expect_identical(encoder$name, tensorbridge:::tb_getattr(encoder, "name"))
})

test_that("a layer object piped onto a sequential model is added to it, as in keras R", {
  skip_if_no_python()
  hidden <- layer_dense(units = 3, kernel_initializer = "ones", bias_initializer = "zeros")
  model <- keras_model_sequential(input_shape = 2)
  expect_identical(model %>% hidden, model)
  model %>% layer_dense(units = 1, kernel_initializer = "ones", bias_initializer = "zeros")
  expect_identical(length(model$layers), 2L)
  x <- matrix(c(1, 2, 3, 4), 2)
  # ones everywhere: each hidden unit is rowSums(x), the output their sum
  expect_equal(predict(model, x, verbose = 0), matrix(3 * rowSums(x)), tolerance = 1e-6)
  # called on a tensor the layer still computes
  expect_equal(as.array(hidden(as_tensor(x, dtype = "float32"))), cbind(rowSums(x), rowSums(x),
                                                                       rowSums(x)),
               tolerance = 1e-6)
})

test_that("activation layers with settings compute keras' formulas", {
  skip_if_no_python()
  x <- matrix(c(-2, -0.5, 0.5, 3, -1, 4), 2)
  out <- function(layer) predict(keras_model_sequential(input_shape = 3) %>% layer, x, verbose = 0)
  expect_equal(out(layer_activation_leaky_relu()), ifelse(x > 0, x, 0.3 * x), tolerance = 1e-6)
  expect_equal(out(layer_activation_leaky_relu(alpha = 0.1)), ifelse(x > 0, x, 0.1 * x),
               tolerance = 1e-6)
  expect_equal(out(layer_activation_elu(alpha = 2)), ifelse(x > 0, x, 2 * (exp(x) - 1)),
               tolerance = 1e-6)
  expect_equal(out(layer_activation_relu(max_value = 1, negative_slope = 0.1, threshold = -1)),
               pmin(ifelse(x >= -1, x, 0.1 * (x + 1)), 1), tolerance = 1e-6)
  expect_equal(out(layer_activation_softmax()), exp(x) / rowSums(exp(x)), tolerance = 1e-6)
  expect_error(layer_activation_leaky_relu(alpha = -1),
               "`alpha` must be one finite number >= 0, not -1.", fixed = TRUE,
               class = "tensorbridge_argument_error")
  # saved and loaded with their settings
  model <- keras_model_sequential(input_shape = 3) %>% layer_activation_leaky_relu(alpha = 0.1)
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  expect_equal(predict(load_model(path), x, verbose = 0), ifelse(x > 0, x, 0.1 * x),
               tolerance = 1e-6)
})

test_that("a metric object in compile() is the engine's metric, not an R function of it", {
  skip_if_no_python()
  set.seed(5)
  x <- matrix(rnorm(40), 10)
  y <- matrix(rnorm(10), 10)
  model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 1)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0),  # predictions stay fixed
                    loss = "mse", metrics = list(metric_mean_absolute_error()))
  history <- model %>% fit(x, y, epochs = 1, batch_size = 10, verbose = 0)
  expect_identical(names(history$metrics), c("loss", "mean_absolute_error"))
  expect_equal(history$metrics$mean_absolute_error, mean(abs(y - predict(model, x, verbose = 0))),
               tolerance = 1e-6)
})

test_that("activity regularization is divided by the batch size (keras 2)", {
  skip_if_no_python()
  x <- matrix(c(1, -2, 3, 0.5, 4, -1, 2, 2), nrow = 4)
  y <- matrix(c(1, 0, 2, 1, 0, 0, 1, 1), nrow = 4)
  model <- keras_model_sequential(input_shape = 2) %>%
    layer_dense(units = 2, use_bias = FALSE, activity_regularizer = regularizer_l1(0.01)) %>%
    layer_activity_regularization(l2 = 0.1)
  compile(model, optimizer = "sgd", loss = "mse")
  h <- x %*% get_weights(model)[[1]]
  penalty <- (0.01 * sum(abs(h)) + 0.1 * sum(h^2)) / nrow(x)
  ev <- evaluate(model, x, y, batch_size = nrow(x), verbose = 0)
  expect_equal(ev[["loss"]], mean((y - h)^2) + penalty, tolerance = 1e-5)
})
