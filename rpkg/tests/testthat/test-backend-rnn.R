# k_rnn() against a recurrence written as a base R loop (values, go_backwards,
# masks), its gradients against central differences of that loop, and
# k_normalize_batch_in_training() against base R.

set.seed(21)
x <- array(rnorm(3 * 5 * 4), c(3, 5, 4))   # samples, time, features
w <- matrix(rnorm(4 * 2), 4, 2)
u <- matrix(rnorm(2 * 2), 2, 2)
h0 <- matrix(rnorm(3 * 2), 3, 2)
mask <- matrix(c(TRUE, FALSE, TRUE, TRUE, TRUE, FALSE, FALSE, TRUE, FALSE, TRUE, TRUE, FALSE,
                 FALSE, TRUE, TRUE), 3, 5)

# The same simple RNN in base R, keras' masking rules: a masked step keeps the
# state and repeats the previous output (zeros before the first one).
r_rnn <- function(x, w, u, h0, mask = NULL, backwards = FALSE) {
  steps <- dim(x)[2]
  h <- h0
  prev <- h0 * 0
  outs <- array(0, c(dim(x)[1], steps, ncol(w)))
  order <- if (backwards) rev(seq_len(steps)) else seq_len(steps)
  for (k in seq_along(order)) {
    t <- order[k]
    new <- tanh(x[, t, ] %*% w + h %*% u)
    out <- new
    if (!is.null(mask)) {
      keep <- mask[, t]   # recycled down the columns: one value per sample
      out <- keep * new + (1 - keep) * prev
      new <- keep * new + (1 - keep) * h
    }
    outs[, k, ] <- out
    prev <- out
    h <- new
  }
  list(last_output = outs[, steps, ], outputs = outs, new_states = list(h))
}

rnn_step <- function(w, u) {
  function(inputs, states) {
    h <- k_tanh(k_dot(inputs, w) + k_dot(states[[1]], u))
    list(h, list(h))
  }
}

expect_rnn_equal <- function(res, expected) {
  expect_named(res, c("last_output", "outputs", "new_states"))
  expect_equal(as.array(res$last_output), expected$last_output, tolerance = 1e-12)
  expect_equal(as.array(res$outputs), expected$outputs, tolerance = 1e-12)
  expect_length(res$new_states, 1)
  expect_equal(as.array(res$new_states[[1]]), expected$new_states[[1]], tolerance = 1e-12)
}

test_that("k_rnn() runs the step function as a base R loop would", {
  skip_if_no_python()
  expect_rnn_equal(k_rnn(rnn_step(w, u), x, list(h0)), r_rnn(x, w, u, h0))
  # one state given as a tensor, new states returned as a tensor
  step1 <- function(inputs, states) {
    h <- k_tanh(k_dot(inputs, w) + k_dot(states[[1]], u))
    list(h, h)
  }
  expect_rnn_equal(k_rnn(step1, k_constant(x, dtype = "float64"), h0), r_rnn(x, w, u, h0))
})

test_that("k_rnn() with go_backwards runs from the last step and returns that order", {
  skip_if_no_python()
  expect_rnn_equal(k_rnn(rnn_step(w, u), x, list(h0), go_backwards = TRUE),
                   r_rnn(x, w, u, h0, backwards = TRUE))
})

test_that("k_rnn() with a mask carries states and outputs over masked steps", {
  skip_if_no_python()
  expected <- r_rnn(x, w, u, h0, mask)
  expect_rnn_equal(k_rnn(rnn_step(w, u), x, list(h0), mask = mask), expected)
  # keras R's documented form: samples x time x 1, zeros and ones
  expect_rnn_equal(k_rnn(rnn_step(w, u), x, list(h0), mask = array(mask + 0, c(3, 5, 1))),
                   expected)
  expect_rnn_equal(k_rnn(rnn_step(w, u), x, list(h0), mask = mask, go_backwards = TRUE),
                   r_rnn(x, w, u, h0, mask, backwards = TRUE))
})

test_that("k_rnn() passes constants after the states", {
  skip_if_no_python()
  shift <- matrix(c(0.5, -1, 2), 3, 2)
  seen <- NULL
  step <- function(inputs, states) {
    seen <<- length(states)
    h <- states[[1]] + states[[2]]
    list(h, list(h))
  }
  res <- k_rnn(step, x, list(h0), constants = list(shift))
  expect_equal(seen, 2L)
  expect_equal(as.array(res$last_output), h0 + 5 * shift)
})

test_that("gradients flow through k_rnn() (central differences of the base R loop)", {
  skip_if_no_python()
  weights <- array(rnorm(3 * 5 * 2), c(3, 5, 2))
  wv <- k_variable(w)
  uv <- k_variable(u)
  with(tf$GradientTape() %as% tape, {
    res <- k_rnn(rnn_step(wv, uv), x, list(h0), mask = mask)
    loss <- k_sum(res$outputs * weights)
  })
  g <- tape$gradient(loss, list(wv, uv))
  r_loss <- function(w, u) sum(r_rnn(x, w, u, h0, mask)$outputs * weights)
  numeric_grad <- function(f, p) {
    vapply(seq_along(p), function(i) {
      e <- replace(p * 0, i, 1e-6)
      (f(p + e) - f(p - e)) / 2e-6
    }, numeric(1))
  }
  expect_equal(as.vector(as.array(g[[1]])), numeric_grad(function(p) r_loss(p, u), w),
               tolerance = 1e-6)
  expect_equal(as.vector(as.array(g[[2]])), numeric_grad(function(p) r_loss(w, p), u),
               tolerance = 1e-6)
})

test_that("k_normalize_batch_in_training() matches base R (axes counted from 0)", {
  skip_if_no_python()
  a <- array(rnorm(4 * 3 * 2), c(4, 3, 2))
  gamma <- c(1.5, -0.5)
  beta <- c(0.1, 2)
  res <- k_normalize_batch_in_training(a, gamma, beta, reduction_axes = c(0, 1))
  expect_named(res, c("normed", "mean", "var"))
  m <- apply(a, 3, mean)
  v <- apply(a, 3, function(z) mean((z - mean(z))^2))
  expect_equal(as.array(res$mean), m)
  expect_equal(as.array(res$var), v)
  expected <- sweep(sweep(sweep(a, 3, m), 3, sqrt(v + 0.001), "/"), 3, gamma, "*")
  expect_equal(as.array(res$normed), sweep(expected, 3, beta, "+"))
  # over the middle axis only: gamma and beta shaped like the mean (4 x 2)
  g2 <- matrix(rnorm(8), 4, 2)
  b2 <- matrix(rnorm(8), 4, 2)
  res <- k_normalize_batch_in_training(a, g2, b2, reduction_axes = 1, epsilon = 0.01)
  m2 <- apply(a, c(1, 3), mean)
  v2 <- apply(a, c(1, 3), function(z) mean((z - mean(z))^2))
  expect_equal(as.array(res$mean), m2)
  expect_equal(as.array(res$var), v2)
  for (j in 1:3) {
    expect_equal(as.array(res$normed)[, j, ], (a[, j, ] - m2) / sqrt(v2 + 0.01) * g2 + b2)
  }
  res <- k_normalize_batch_in_training(a, NULL, NULL, reduction_axes = c(-3, -2))
  expect_equal(as.array(res$normed)[, , 1], (a[, , 1] - m[1]) / sqrt(v[1] + 0.001))
})

test_that("k_rnn() and k_normalize_batch_in_training() reject bad input", {
  skip_if_no_python()
  env <- environment()
  expect_bad_inputs(list(
    bad(k_rnn("tanh", x, list(h0)),
        "k_rnn(): `step_function` must be a function, not \"tanh\"."),
    bad(k_rnn(rnn_step(w, u), x[, 1, ], list(h0)), paste0(
      "k_rnn(): `inputs` must be a tensor with at least 3 axes (samples, time, features ...), ",
      "not a Tensor object.")),
    bad(k_rnn(rnn_step(w, u), x, list()),
        "k_rnn(): `initial_states` must be a tensor or a non-empty list of tensors, not a list of length 0."),
    bad(k_rnn(rnn_step(w, u), x, list(h0, "a")), paste0(
      "k_rnn(): `initial_states[[2]]` must be a tensor or a numeric or logical array ",
      "without NA, not \"a\".")),
    bad(k_rnn(rnn_step(w, u), x, list(h0), go_backwards = NA),
        "k_rnn(): `go_backwards` must be TRUE or FALSE, not NA."),
    bad(k_rnn(rnn_step(w, u), x, list(h0), input_length = 0),
        "k_rnn(): `input_length` must be one positive whole number (or NULL), not 0."),
    bad(k_rnn(function(inputs, states) states[[1]], x, list(h0)),
        "k_rnn(): `step_function` must be a function returning list(output, new_states)."),
    bad(k_rnn(rnn_step(w, u), x, list(h0), mask = mask[, 1:3]),
        "rnn: mask is (3, 3); expected (3, 5) or (3, 5, 1)", fixed = TRUE),
    bad(k_normalize_batch_in_training(x, NULL, NULL, reduction_axes = 3), paste0(
      "k_normalize_batch_in_training(): `reduction_axes` must be distinct axes of `x` counted ",
      "from 0 as in keras R (negative from the end): whole numbers from 0 to 2 or from -3 ",
      "to -1, not 3.")),
    bad(k_normalize_batch_in_training(x, NULL, NULL, reduction_axes = c(0, -3)), paste0(
      "k_normalize_batch_in_training(): `reduction_axes` must be distinct axes of `x` counted ",
      "from 0 as in keras R (negative from the end): whole numbers from 0 to 2 or from -3 ",
      "to -1, not c(0, -3)."))
  ), env)
})
