# Bad input to the tensorflow-style API: R's generics on tensors, `[`,
# cbind()/rbind() and tf$ calls. Each case is an R call and the exact error
# message (a substring for messages that come from the engine and show
# values). Every case must fail with a tensorbridge error; the valid cases
# after the table must give what base R gives on the same arrays.

a <- matrix(c(1.5, -2, 3, 0.25, 4, -1), 2)
b <- matrix(c(2, 1, -3, 5, 0.5, 2), 2)

tensor_cases <- list(
  bad(mean(ta, axis = 0),
      "mean(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not 0."),
  bad(mean(ta, axis = 3),
      "mean(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not 3."),
  bad(mean(ta, axis = 1.5),
      "mean(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not 1.5."),
  bad(mean(ta, axis = NA),
      "mean(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not NA."),
  bad(mean(ta, trim = 0.1),
      "mean(): unknown argument `trim`; see ?`tensor-operators` for the arguments it takes."),
  bad(mean(ta, na.rm = TRUE),
      "mean(): `na.rm` must be FALSE for tensors, not TRUE: tensors have no NA (an R NA is NaN in a float tensor); remove NaN first, e.g. with tf$where(is_nan, 0, x)."),
  bad(mean(ta, keepdims = NA),
      "mean(): `keepdims` must be TRUE or FALSE, not NA."),
  bad(sum(ta, axis = -3),
      "sum(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not -3."),
  bad(sum(ta, foo = 1),
      "sum(): unknown argument `foo`; see ?`tensor-operators` for the arguments it takes."),
  bad(sum(ta, na.rm = TRUE),
      "sum(): `na.rm` must be FALSE for tensors, not TRUE: tensors have no NA (an R NA is NaN in a float tensor); remove NaN first, e.g. with tf$where(is_nan, 0, x)."),
  bad(sum(ta, ta, axis = 1),
      "sum(): `axis` and `keepdims` reduce one tensor; give one tensor, or combine them first (e.g. tf$concat())."),
  bad(max(ta, axis = c(1, 1)),
      "max(): `axis` names an axis twice: c(1, 1)."),
  bad(min(ta, "a"),
      "min(): takes tensors and numbers, not \"a\" (argument 2)."),
  bad(prod(ta, tf$constant(1:2)),
      "prod(): takes tensors of one dtype, not float64 and int32; cast them first, e.g. tf$cast(x, \"float64\")."),
  bad(range(ta, axis = 5),
      "range(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not 5."),
  bad(all(ta > 0, axis = "1"),
      "all(): `axis` must be axes of the tensor, counted from 1 (negative from the end): whole numbers from 1 to 2 or from -2 to -1, not \"1\"."),
  bad(round(ta, 2),
      "round(): `digits` must be 0 for tensors (round to whole numbers), not 2; scale first, e.g. round(x * 100) / 100."),
  bad(log(abs(ta), base = -1),
      "log(): `base` must be one positive number other than 1, not -1."),
  bad(log(abs(ta), base = 1),
      "log(): `base` must be one positive number other than 1, not 1."),
  bad(gamma(ta),
      "gamma() is not available for tensors; use as.array() first, or one of abs(), sign(), sqrt(), floor(), ceiling(), round(), exp(), expm1(), log1p(), log2(), log10(), cos(), sin(), tan(), cospi(), sinpi(), tanpi(), acos(), asin(), atan(), cosh(), sinh(), tanh(), acosh(), asinh(), atanh(), lgamma(), digamma(), cumsum(), cumprod(), log()"),
  bad(as.double(ta, 3),
      "as.double(): unknown argument `3`; see ?`tensor-conversion` for the arguments it takes."),
  bad(with(tf$GradientTape(), 1, foo = 2),
      "with(): unknown argument `foo`; see ?with.tensorbridge_object for the arguments it takes."),
  bad(cbind(ta, 1:3),
      "cbind(): argument 2 has 3 values for 2 rows; give 2 (or one to fill them): tensors are not recycled."),
  bad(rbind(ta, c(1, 2)),
      "rbind(): argument 2 has 2 values for 3 columns; give 3 (or one to fill them): tensors are not recycled."),
  bad(cbind(ta, "a"),
      "cbind(): binds tensors, numeric vectors and matrices, not \"a\" (argument 2)."),
  bad(cbind(ta, tf$constant(matrix(1L, 2, 1))),
      "cbind(): takes tensors of one dtype, not float64 and int32; cast them first, e.g. tf$cast(x, \"float64\")."),
  bad(rbind(ta, tf$constant(array(1, c(1, 3, 1)))),
      "rbind(): binds vectors and matrices, not a tensor of dim c(1, 3, 1) (argument 2)."),
  bad(cbind(ta, tf$constant(matrix(1, 3, 1))),
      "cbind(): the matrices must have the same number of rows: argument 2 has 3, not 2."),
  bad(cbind(a = ta, ta),
      "cbind(): tensors have no dimnames, so arguments are not named (`a`)."),
  bad(ta[0, 1],
      "x[...]: the index for axis 1 has 0: tensor positions count from 1 to 2 (for positions from 0, set options(tensorflow.extract.one_based = FALSE))."),
  bad(ta[3, 1],
      "x[...]: index 3 is out of bounds for axis 1, which has 2 elements."),
  bad(ta[NA, 1],
      "x[...]: the index for axis 1 has NA; give TRUE or FALSE for each position."),
  bad(ta["a", 1],
      "x[...]: the index for axis 1 is \"a\", but tensors have no dimnames: index by position (from 1)."),
  bad(ta[c(-1, 1), 1],
      "x[...]: the index for axis 1 mixes negative positions (counted from the end) with others; give one kind."),
  bad(ta[-3, 1],
      "x[...]: index -3 is out of bounds for axis 1, which has 2 elements."),
  bad(ta[1.5, 1],
      "x[...]: the index for axis 1 has 1.5, not a whole number; give positions from 1 to 2."),
  bad(ta[1],
      "x[...]: a tensor of dim c(2, 3) needs 2 indices, one per axis, not 1; R's linear indexing x[i] is not supported: use as.array(x)[i]."),
  bad(ta[c(TRUE, NA), 1],
      "x[...]: the index for axis 1 has NA; give TRUE or FALSE for each position."),
  bad(ta[TRUE, 1],
      "x[...]: a logical index for axis 1 must have 2 values (one per position), not 1."),
  bad(ta[1, 2, drop = NA],
      "x[...]: `drop` must be TRUE or FALSE, not NA."),
  bad(ta[list(1), 1],
      "x[...]: the index for axis 1 must be positions (whole numbers from 1) or TRUE/FALSE values, not a list of length 1."),
  bad(ta[1, 1, 1],
      "x[...]: a tensor of dim c(2, 3) needs 2 indices, one per axis, not 3."),
  bad(tf$matmul(ta, ta),
      "inner dimensions differ", fixed = TRUE),
  bad(tf$reshape(ta, c(4L, 2L)),
      "cannot reshape a tensor of shape (2, 3)", fixed = TRUE),
  bad(tf$cast(ta, "nope"),
      "unsupported dtype 'nope'", fixed = TRUE),
  bad(tf$concat(list(ta, tf$constant(1:3)), axis = 0L),
      "dtypes differ", fixed = TRUE),
  bad(tf$constant(1:3) %/% 0L,
      "division by zero", fixed = TRUE),
  bad(ta + tf$constant(1:3),
      "dtypes differ", fixed = TRUE),
  bad(tf$Variable(ta)$assign(c(1, 2)),
      "does not match variable", fixed = TRUE),
  bad(cumsum(ta),
      "R's cumsum() runs over a vector", fixed = TRUE),
  bad(with(tf$constant(1), 2),
      "with() needs a Python context manager such as tf$GradientTape()", fixed = TRUE)
)

test_that("every bad input to the tensorflow-style API is an R error that says what to do", {
  skip_if_no_python()
  expect_gte(length(tensor_cases), 30)
  env <- new.env()
  assign("ta", tf$constant(a), envir = env)
  expect_bad_inputs(tensor_cases, env)
})

test_that("summaries with axis (from 1, as tensorflow R) match R's apply()", {
  skip_if_no_python()
  ta <- tf$constant(a)
  expect_equal(as.array(mean(ta, axis = 1)), colMeans(a))
  expect_equal(as.array(mean(ta, axis = 2)), rowMeans(a))
  expect_equal(as.array(mean(ta, axis = -1)), rowMeans(a))
  expect_equal(as.array(mean(ta, axis = c(1, 2))), mean(a))
  kept <- mean(ta, axis = 1, keepdims = TRUE)
  expect_identical(dim(kept), c(1L, 3L))
  expect_equal(as.vector(as.array(kept)), colMeans(a))
  expect_equal(as.array(sum(ta, axis = 1)), colSums(a))
  expect_equal(as.array(prod(ta, axis = 2)), apply(a, 1, prod))
  expect_equal(as.array(max(ta, axis = 1)), apply(a, 2, max))
  expect_equal(as.array(min(ta, axis = -1)), apply(a, 1, min))
  expect_identical(as.array(all(ta > 0, axis = 1)), apply(a > 0, 2, all))
  expect_identical(as.array(any(ta > 3, axis = 2)), apply(a > 3, 1, any))
  expect_equal(as.array(range(ta)), range(a))
  expect_equal(as.array(range(ta, axis = 1)), apply(a, 2, range))
  expect_equal(as.array(sum(ta, tf$constant(b), 2)), sum(a, b, 2))
  arr <- array(seq(0.5, 23.5), c(2, 3, 4))
  expect_equal(as.array(mean(tf$constant(arr), axis = c(1, 3))), apply(arr, 2, mean))
  expect_equal(as.array(round(ta, digits = 0)), round(a))
  expect_equal(as.array(log(abs(ta), base = 2)), log(abs(a), 2))
})

test_that("cbind() and rbind() of tensors give what R gives for the arrays", {
  skip_if_no_python()
  ta <- tf$constant(a)
  tb <- tf$constant(b)
  expect_identical(as.array(cbind(ta, tb)), cbind(a, b))
  expect_identical(as.array(rbind(ta, tb)), rbind(a, b))
  expect_identical(as.array(cbind(ta, c(9, 10))), cbind(a, c(9, 10)))
  expect_identical(as.array(rbind(ta, 0)), rbind(a, 0))
  expect_identical(as.array(cbind(ta, NULL)), a)
  expect_identical(as.array(cbind(tf$constant(c(1, 2)), c(3, 4))), cbind(c(1, 2), c(3, 4)))
  expect_identical(as.array(rbind(tf$constant(c(1, 2)), tf$constant(c(3, 4)))),
                   rbind(c(1, 2), c(3, 4)))
  m <- matrix(1:4, 2)
  expect_identical(as.array(cbind(tf$constant(m), 5:6)), cbind(m, 5:6))
  # gradients flow through: d/dv sum(cbind(v, 2 v)) = 3
  v <- tf$Variable(c(1, 2, 3))
  with(tf$GradientTape() %as% tape, {
    y <- sum(cbind(v, v * 2))
  })
  expect_equal(as.array(tape$gradient(y, v)), c(3, 3, 3))
})

test_that("valid indices select what R selects", {
  skip_if_no_python()
  ta <- tf$constant(a)
  expect_identical(as.array(ta[2, 3]), a[2, 3])
  expect_identical(as.array(ta[c(TRUE, FALSE), ]), a[c(TRUE, FALSE), ])
  expect_identical(as.array(ta[2:1, c(3, 1)]), a[2:1, c(3, 1)])
  expect_identical(as.array(ta[, 2, drop = FALSE]), a[, 2, drop = FALSE])
})
