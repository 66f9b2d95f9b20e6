# R's array generics and Math functions on tensors, each against base R on the
# same values.

test_that("Math functions on tensors are base R's", {
  skip_if_no_python()
  x <- c(0.3, -0.7, 0.45, 0.9)
  pos <- c(0.6, 1.5, 2.25, 7)
  tx <- as_tensor(x, dtype = "float64")
  tp <- as_tensor(pos, dtype = "float64")
  for (f in c("tan", "acos", "asin", "atan", "sinh", "cosh", "tanh", "asinh", "atanh",
              "sinpi", "cospi", "tanpi")) {
    expect_equal(as.numeric(match.fun(f)(tx)), match.fun(f)(x), tolerance = 1e-12,
                 label = f)
  }
  expect_equal(as.numeric(acosh(tp + 1)), acosh(pos + 1), tolerance = 1e-12)
  for (f in c("log2", "log10", "lgamma", "digamma", "cumprod")) {
    expect_equal(as.numeric(match.fun(f)(tp)), match.fun(f)(pos), tolerance = 1e-12,
                 label = f)
  }
  # differentiable: the gradient of sum(atan(x)) is 1 / (1 + x^2)
  v <- tf$Variable(x)
  with(tf$GradientTape() %as% tape, y <- sum(atan(v)))
  expect_equal(as.numeric(tape$gradient(y, v)), 1 / (1 + x^2), tolerance = 1e-12)
})

test_that("t(), aperm(), rep() and sort() give base R's arrays", {
  skip_if_no_python()
  m <- matrix(c(1, -2, 3.5, 4, 0, 6), 2)
  expect_equal(as.array(t(as_tensor(m))), t(m))
  expect_equal(as.array(t(as_tensor(c(1, 2, 3)))), t(c(1, 2, 3)))
  a <- array(1:24, c(2, 3, 4))
  expect_equal(as.array(aperm(as_tensor(a), c(3, 1, 2))), aperm(a, c(3, 1, 2)))
  expect_equal(as.array(aperm(as_tensor(a))), aperm(a))
  v <- c(5, 7, 9)
  for (args in list(list(times = 2), list(each = 2), list(times = 2, each = 3),
                    list(length.out = 7), list(each = 2, length.out = 5), list(times = 1:3))) {
    expect_equal(as.numeric(do.call(rep, c(list(as_tensor(v)), args))),
                 do.call(rep, c(list(v), args)), label = deparse(args))
  }
  # a matrix is read as R reads it, column by column
  expect_equal(as.numeric(rep(as_tensor(m), times = 2)), rep(m, times = 2))
  s <- c(3, 1, 2, 1, 10)
  expect_equal(as.numeric(sort(as_tensor(s))), sort(s))
  expect_equal(as.numeric(sort(as_tensor(s), decreasing = TRUE)), sort(s, decreasing = TRUE))
  expect_equal(as.array(tf$argsort(as_tensor(s))) + 1L, order(s), ignore_attr = TRUE)
})

test_that("is.finite(), is.infinite() and is.nan() are base R's", {
  skip_if_no_python()
  x <- c(1, Inf, -Inf, NaN, 0)
  for (f in c("is.finite", "is.infinite", "is.nan")) {
    expect_identical(as.logical(match.fun(f)(as_tensor(x))), match.fun(f)(x), label = f)
  }
  expect_identical(as.logical(is.finite(as_tensor(1:3))), is.finite(1:3))
  expect_identical(as.logical(is.nan(as_tensor(1:3))), is.nan(1:3))
})

test_that("generics without a tensor meaning say what to do", {
  skip_if_no_python()
  x <- as_tensor(array(1:8, c(2, 2, 2)))
  expect_bad_inputs(list(
    bad(t(x), "t(): t() transposes a matrix; this tensor has 3 dimensions: use aperm(x, perm) to reorder its axes."),
    bad(aperm(x, c(1, 1, 2)), "aperm(): `perm` must be a permutation of 1:3 (the tensor's axes), not c(1, 1, 2)."),
    bad(sort(x), "sort(): sort() sorts a vector; this tensor has dim c(2, 2, 2): use tf$sort(x, axis = ...) to sort along an axis."),
    bad(rep(x, foo = 2), "rep(): rep() of a tensor takes `times`, `each` and `length.out`, not `foo`."),
    bad(gamma(x), "gamma() is not available for tensors", fixed = TRUE)
  ), env = environment())
})
