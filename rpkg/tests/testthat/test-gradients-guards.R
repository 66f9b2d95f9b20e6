# Higher-order gradients from R, and the engine's guards against silent wrong
# answers (integer division by zero and overflow, a non-finite training loss).

test_that("a tape inside a tape gives the second derivative", {
  skip_if_no_python()
  x <- tf$Variable(1)
  with(tf$GradientTape() %as% t1, {
    with(tf$GradientTape() %as% t2, {
      y <- x^3
    })
    g <- t2$gradient(y, x)
  })
  expect_equal(as.array(g), 3)  # 3 x^2 at 1
  expect_equal(as.array(t1$gradient(g, x)), 6)  # 6 x at 1
})

test_that("tape$jacobian() and tape$batch_jacobian() match finite differences", {
  skip_if_no_python()
  x0 <- matrix(c(0.3, -1.2, 2, 0.5, 1, -0.4), 2)
  f_r <- function(x) tanh(x) * 2 + x^2
  x <- tf$constant(x0)
  with(tf$GradientTape(persistent = TRUE) %as% tape, {
    tape$watch(x)
    y <- tf$tanh(x) * 2 + x^2
  })
  jac <- as.array(tape$jacobian(y, x))
  expect_equal(dim(jac), c(2, 3, 2, 3))
  h <- 1e-6
  for (i in 1:2) for (j in 1:3) {
    e <- matrix(0, 2, 3)
    e[i, j] <- h
    expect_equal(jac[, , i, j], (f_r(x0 + e) - f_r(x0 - e)) / (2 * h), tolerance = 1e-6)
  }
  bj <- as.array(tape$batch_jacobian(y, x))
  expect_equal(dim(bj), c(2, 3, 3))
  # elementwise: the per-example jacobian is diagonal with 2 (1 - tanh^2) + 2 x
  for (b in 1:2) {
    expect_equal(bj[b, , ], diag(2 * (1 - tanh(x0[b, ])^2) + 2 * x0[b, ]), tolerance = 1e-10)
  }
})

test_that("integer division by zero and integer overflow are errors, not wrapped numbers", {
  skip_if_no_python()
  a <- tf$constant(c(7L, 8L))
  expect_identical(as.array(a %/% tf$constant(c(2L, 3L))), c(7L, 8L) %/% c(2L, 3L))
  expect_error(a %/% tf$constant(c(2L, 0L)), "Integer division by zero",
               class = "tensorbridge_error")
  expect_error(a %% tf$constant(c(0L, 1L)), "Integer division by zero",
               class = "tensorbridge_error")
  # R itself gives NA with a warning here
  expect_warning(r <- .Machine$integer.max + 1L)
  expect_true(is.na(r))
  big <- tf$constant(c(.Machine$integer.max, 1L))
  expect_error(big + 1L, "add: integer overflow: the result does not fit in int32",
               class = "tensorbridge_error")
  expect_error(big * 2L, "multiply: integer overflow", class = "tensorbridge_error")
  expect_error(sum(big), "reduce_sum: integer overflow", class = "tensorbridge_error")
  expect_identical(as.array(big - 1L), c(.Machine$integer.max, 1L) - 1L)
})

guard_model <- function() {
  m <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 4) %>%
    layer_dense(units = 1)
  m %>% compile(optimizer = optimizer_sgd(learning_rate = 0.01), loss = "mse")
  m
}

test_that("a non-finite loss stops fit() with an error naming epoch and batch", {
  skip_if_no_python()
  set.seed(1)
  x <- matrix(rnorm(48), 16)
  x[9:12, ] <- 1e30  # finite data whose squared error overflows float32: batch 3 of 4
  m <- guard_model()
  twin <- guard_model()
  set_weights(twin, get_weights(m))
  fit(twin, x[1:8, ], rep(1, 8), epochs = 1, batch_size = 4, shuffle = FALSE, verbose = 0)
  expect_error(
    fit(m, x, rep(1, 16), epochs = 1, batch_size = 4, shuffle = FALSE, verbose = 0),
    "the loss became Inf at epoch 1, batch 3 (counting from 1", fixed = TRUE)
  # the weights are those after the last finite batch (batches 1 and 2)
  expect_equal(get_weights(m), get_weights(twin), tolerance = 1e-6)
})

test_that("callback_terminate_on_nan() stops training cleanly instead", {
  skip_if_no_python()
  set.seed(2)
  x <- matrix(rnorm(48), 16)
  x[5:8, ] <- 1e30
  m <- guard_model()
  out <- capture.output(
    h <- fit(m, x, rep(1, 16), epochs = 3, batch_size = 4, shuffle = FALSE, verbose = 0,
             callbacks = list(callback_terminate_on_nan())))
  expect_true(any(grepl("Batch 1: Invalid loss, terminating training", out, fixed = TRUE)))
  expect_true(all(is.finite(unlist(get_weights(m)))))
})

test_that("predict() takes a one-row data frame and a zero-row matrix", {
  skip_if_no_python()
  m <- guard_model()
  one <- predict(m, matrix(c(0.5, -1, 2), 1))
  expect_equal(predict(m, data.frame(a = 0.5, b = -1, c = 2)), one)
  expect_equal(dim(predict(m, matrix(numeric(0), 0, 3))), c(0L, 1L))
})
