# The tensorflow-style API: every result is checked against R computing the
# same thing on the same numbers (and gradients against finite differences).

a <- matrix(c(1.5, -2, 3, 0.25, 4, -1), 2)
b <- matrix(c(2, 1, -3, 5, 0.5, 2), 2)

test_that("R operators on tensors give what R gives on the arrays", {
  skip_if_no_python()
  ta <- tf$constant(a)
  tb <- tf$constant(b)
  expect_equal(as.array(ta + tb), a + b)
  expect_equal(as.array(ta - 1), a - 1)
  expect_equal(as.array(2 * ta), 2 * a)
  expect_equal(as.array(ta / tb), a / b)
  expect_equal(as.array(abs(ta)^2), abs(a)^2)
  expect_equal(as.array(-ta), -a)
  expect_equal(as.array(ta %% 2), a %% 2)
  expect_equal(as.array(ta %/% 2), a %/% 2)
  expect_identical(as.array(ta > tb), a > b)
  expect_identical(as.array(ta == 3), a == 3)
  expect_identical(as.array(!(ta > 0) | (tb > 1)), !(a > 0) | (b > 1))
  # broadcasting is numpy's (trailing axes), not R's recycling down columns
  expect_equal(as.array(ta + c(10, 20, 30)), sweep(a, 2, c(10, 20, 30), "+"))
})

test_that("math and summaries on tensors match R", {
  skip_if_no_python()
  ta <- tf$constant(a)
  pos <- tf$constant(abs(a) + 0.1)
  expect_equal(as.array(exp(ta)), exp(a))
  expect_equal(as.array(log(pos)), log(abs(a) + 0.1))
  expect_equal(as.array(log(pos, 10)), log10(abs(a) + 0.1))
  expect_equal(as.array(sqrt(pos)), sqrt(abs(a) + 0.1))
  expect_equal(as.array(floor(ta)), floor(a))
  expect_equal(as.array(tanh(ta)), tanh(a))
  expect_equal(as.array(sum(ta)), sum(a))
  expect_equal(as.array(max(ta)), max(a))
  expect_equal(as.array(prod(ta)), prod(a))
  expect_equal(as.array(mean(ta)), mean(a))
  expect_equal(as.array(cumsum(tf$constant(c(1, 2, 3.5)))), cumsum(c(1, 2, 3.5)))
  expect_error(gamma(ta), "gamma\\(\\) is not available for tensors", class = "tensorbridge_error")
  # several arguments reduce together, as R's sum(a, b)
  expect_equal(as.array(sum(ta, tf$constant(b), 2)), sum(a, b, 2))
  expect_equal(as.array(max(ta, tf$constant(b))), max(a, b))
})

test_that("an R number meets a tensor in the tensor's dtype", {
  skip_if_no_python()
  f <- tf$constant(c(1, 2), dtype = "float32")
  expect_match(format(f + 0.5), "float32")
  expect_equal(as.double(f + 0.5), c(1.5, 2.5))
  i <- tf$constant(c(1L, 2L))
  expect_identical(as.integer(i * 3L), c(3L, 6L))
  expect_error(i + 1.5, "int32 tensor cannot take the non-integer value", class = "tensorbridge_error")
  expect_error(f + "a", "cannot be combined", class = "tensorbridge_error")
})

test_that("subsetting counts from 1, drops indexed axes and gathers like R", {
  skip_if_no_python()
  m <- matrix(as.double(1:12), 3)
  tm <- tf$constant(m)
  expect_identical(as.array(tm[2, ]), m[2, ])
  expect_identical(as.array(tm[, 3]), m[, 3])
  expect_identical(as.array(tm[2:3, 2:4]), m[2:3, 2:4])
  expect_identical(as.array(tm[c(3, 1), c(4, 1)]), m[c(3, 1), c(4, 1)])
  expect_identical(as.array(tm[c(TRUE, FALSE, TRUE), 2]), m[c(TRUE, FALSE, TRUE), 2])
  expect_identical(as.array(tm[2, , drop = FALSE]), m[2, , drop = FALSE])
  arr <- array(as.double(1:60), c(3, 4, 5))
  expect_identical(as.array(tf$constant(arr)[2, c(1, 3), 4:5]), arr[2, c(1, 3), 4:5])
  expect_error(tm[4, 1], "index 4 is out of bounds for axis 1", class = "tensorbridge_error")
  expect_error(tm[0, 1], "count from 1", class = "tensorbridge_error")
  expect_identical(suppressWarnings(as.array(tm[-1, 1])), m[nrow(m), 1])  # from the end
  expect_error(tm[1], "needs 2 indices", class = "tensorbridge_error")
})

test_that("GradientTape from R gives the gradients finite differences give", {
  skip_if_no_python()
  x0 <- c(0.3, -1.2, 2)
  A <- matrix(c(1, 2, -1, 0.5, 3, 1), 2)
  f_r <- function(x) sum(exp(A %*% x) / 10) + sum(x^3)
  w <- tf$Variable(x0)
  with(tf$GradientTape() %as% tape, {
    y <- sum(exp(tf$matmul(tf$constant(A), tf$reshape(w, c(3L, 1L)))) / 10) + sum(w^3)
  })
  expect_equal(as.array(y), f_r(x0))
  grad <- as.array(tape$gradient(y, w))
  h <- 1e-6
  numeric <- vapply(1:3, function(i) {
    e <- replace(numeric(3), i, h)
    (f_r(x0 + e) - f_r(x0 - e)) / (2 * h)
  }, 0)
  expect_equal(grad, numeric, tolerance = 1e-6)
})

test_that("with() runs the block in the caller's frame and always exits", {
  skip_if_no_python()
  x <- tf$constant(3)
  with(tf$GradientTape() %as% tape, {
    tape$watch(x)
    y <- x * x
  })
  expect_equal(as.array(tape$gradient(y, x)), 6)
  expect_false(tf$is_recording())
  expect_error(with(tf$GradientTape() %as% t2, stop("inside")), "inside")
  expect_false(tf$is_recording())  # the failed block's tape was exited
  expect_error(with(tf$constant(1), 2), "needs a Python context manager",
               class = "tensorbridge_error")
})

test_that("tf$ reaches submodules, dtypes and variables, and completes names", {
  skip_if_no_python()
  expect_equal(as.array(tf$nn$relu(tf$constant(c(-1, 2)))), c(0, 2))
  expect_equal(as.array(tf$reduce_sum(tf$constant(b), axis = 0L)), colSums(b))
  v <- tf$Variable(c(1, 2))
  v$assign(c(5, 6))
  expect_equal(as.array(v), c(5, 6))
  expect_true("reduce_sum" %in% utils::.DollarNames(tf, "^reduce"))
  expect_true("gradient" %in% utils::.DollarNames(tf$GradientTape(), "grad"))
})

test_that("a custom training loop from R recovers least-squares coefficients", {
  skip_if_no_python()
  set.seed(1)
  x <- matrix(runif(200), 100)
  y <- x %*% c(2, -3) + 0.5 + rnorm(100, sd = 0.01)
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  opt <- optimizer_sgd(learning_rate = 0.3)
  xt <- tf$constant(x, dtype = "float32")
  yt <- tf$constant(y, dtype = "float32")
  for (step in 1:300) {
    with(tf$GradientTape() %as% tape, {
      loss <- mean((model(xt) - yt)^2)
    })
    grads <- tape$gradient(loss, model$trainable_variables)
    opt$apply_gradients(Map(list, grads, model$trainable_variables))
  }
  ols <- coef(lm(y ~ x))  # the closed form, from R
  w <- get_weights(model)
  expect_equal(c(w[[2]], w[[1]]), unname(ols), tolerance = 1e-3)
})
