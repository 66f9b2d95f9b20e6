# keras 2's input_dim (and input_length for sequences) on a first layer: a
# model built with them is the model built with input_shape (same input shape,
# same summary, same predictions from the same weights), and the values agree
# with base R where the layer is simple enough to write out.

# Two sequential models from the same first layer function, one with the
# keras 2 arguments, one with input_shape; the weights of the first copied
# into the second.
twins <- function(first, keras2, shape, units = 2) {
  build <- function(args) {
    model <- keras_model_sequential(name = "twin")
    model <- do.call(first, c(list(model, name = "first"), args))
    layer_dense(model, units = units, name = "last")
  }
  a <- build(keras2)
  b <- build(list(input_shape = shape))
  set_weights(b, get_weights(a))
  list(a = a, b = b)
}

expect_twins <- function(t, x, shape) {
  expect_identical(t$a$input_shape, c(list(NULL), lapply(shape, function(d) {
    if (is.na(d)) NULL else as.integer(d)
  })))
  expect_identical(t$a$input_shape, t$b$input_shape)
  expect_identical(capture.output(summary(t$a)), capture.output(summary(t$b)))
  expect_equal(predict(t$a, x, verbose = 0), predict(t$b, x, verbose = 0))
}

test_that("input_dim on a first dense layer is input_shape = input_dim", {
  skip_if_no_python()
  model <- keras_model_sequential() %>% layer_dense(units = 2, input_dim = 3)
  expect_identical(model$input_shape, list(NULL, 3L))
  x <- matrix(rnorm(12), 4, 3)
  w <- get_weights(model)
  expect_equal(predict(model, x, verbose = 0), sweep(x %*% w[[1]], 2, as.vector(w[[2]]), "+"),
               tolerance = 1e-5)
})

test_that("input_dim on the other core layers taking vectors", {
  skip_if_no_python()
  x <- matrix(rnorm(20), 5, 4)
  layers <- list(
    layer_activation = list(activation = "tanh"),
    layer_activation_relu = list(),
    layer_activation_leaky_relu = list(alpha = 0.1),
    layer_activation_elu = list(),
    layer_activation_selu = list(),
    layer_activation_softmax = list(),
    layer_dropout = list(rate = 0.5),
    layer_gaussian_noise = list(stddev = 1),
    layer_gaussian_dropout = list(rate = 0.3),
    layer_batch_normalization = list(),
    layer_layer_normalization = list(),
    layer_activity_regularization = list(l1 = 0.1)
  )
  for (fn in names(layers)) {
    args <- layers[[fn]]
    t <- twins(function(...) do.call(fn, c(list(...), args)), list(input_dim = 4), 4)
    expect_twins(t, x, 4)
  }
  # repeat_vector: vectors in, sequences out
  t <- keras_model_sequential() %>% layer_repeat_vector(n = 3, input_dim = 4)
  expect_identical(t$input_shape, list(NULL, 4L))
  expect_equal(predict(t, x, verbose = 0)[, 2, ], x, tolerance = 1e-6)   # float32
})

test_that("input_dim and input_length on recurrent layers and layer_conv_1d", {
  skip_if_no_python()
  x <- array(rnorm(2 * 5 * 3), c(2, 5, 3))
  for (fn in list(layer_simple_rnn, layer_lstm, layer_gru)) {
    t <- twins(function(object, ...) fn(object, units = 4, ...),
               list(input_dim = 3, input_length = 5), c(5, 3))
    expect_twins(t, x, c(5, 3))
    # without input_length: sequences of any length
    t <- twins(function(object, ...) fn(object, units = 4, ...), list(input_dim = 3), c(NA, 3))
    expect_twins(t, x, c(NA, 3))
    expect_equal(dim(predict(t$a, x[, 1:2, , drop = FALSE], verbose = 0)), c(2L, 2L))
  }
  conv <- function(object, ...) layer_conv_1d(object, filters = 2, kernel_size = 2, ...)
  t <- twins(conv, list(input_dim = 3, input_length = 5), c(5, 3))
  expect_twins(t, x, c(5, 3))
  # the convolution written out in base R: a kernel of 2 steps over 3 channels
  model <- keras_model_sequential() %>%
    layer_conv_1d(filters = 1, kernel_size = 2, input_dim = 3, input_length = 5)
  w <- get_weights(model)
  out <- predict(model, x, verbose = 0)
  expected <- sapply(1:4, function(s) {
    x[, s, ] %*% w[[1]][1, , 1] + x[, s + 1, ] %*% w[[1]][2, , 1] + as.vector(w[[2]])
  })
  expect_equal(array(out, c(2, 4)), expected, tolerance = 1e-5)
})

test_that("input_dim with input_shape, non-counts, or input_length alone are errors", {
  skip_if_no_python()
  expect_bad_inputs(list(
    bad(layer_dense(units = 2, input_dim = 3, input_shape = 3),
        "layer_dense(): `input_dim` must be NULL when `input_shape` is given (give one of them), not 3."),
    bad(layer_dropout(rate = 0.1, input_dim = 3, input_shape = 3),
        "layer_dropout(): `input_dim` must be NULL when `input_shape` is given (give one of them), not 3."),
    bad(layer_activation(activation = "relu", input_dim = 2.5),
        "layer_activation(): `input_dim` must be one positive whole number, not 2.5."),
    bad(layer_activation_selu(input_dim = "4"),
        "layer_activation_selu(): `input_dim` must be one positive whole number, not \"4\"."),
    bad(layer_batch_normalization(input_dim = 0),
        "layer_batch_normalization(): `input_dim` must be one positive whole number, not 0."),
    bad(layer_lstm(units = 2, input_dim = 3, input_shape = c(5, 3)),
        "layer_lstm(): `input_dim` must be NULL when `input_shape` is given (give one of them), not 3."),
    bad(layer_gru(units = 2, input_length = 5, input_shape = c(5, 3)),
        "layer_gru(): `input_length` must be NULL when `input_shape` is given (give one of them), not 5."),
    bad(layer_simple_rnn(units = 2, input_length = 5),
        "layer_simple_rnn(): `input_dim` must be given with `input_length` (the number of features of each step), not NULL."),
    bad(layer_simple_rnn(units = 2, input_dim = 3, input_length = -1),
        "layer_simple_rnn(): `input_length` must be one positive whole number (or NULL), not -1."),
    bad(layer_conv_1d(filters = 2, kernel_size = 2, input_dim = c(3, 4)),
        "layer_conv_1d(): `input_dim` must be one positive whole number, not c(3, 4).")
  ))
})
