test_that("a numeric matrix crosses to Python and back unchanged", {
  skip_if_no_python()
  x <- matrix(c(1.5, -2, 3.25, 4e10, NaN, Inf), nrow = 2)
  t <- as_tensor(x)
  expect_identical(dim(t), c(2L, 3L))
  expect_identical(length(t), 6L)
  expect_identical(as.array(t), x)
})

test_that("an integer array keeps its values, type and element order", {
  skip_if_no_python()
  x <- array(1:24, dim = c(2, 3, 4))
  t <- as_tensor(x)
  expect_identical(dim(t), c(2L, 3L, 4L))
  back <- as.array(t)
  expect_identical(typeof(back), "integer")
  expect_identical(back, x)
  # R's x[i, j, k] is Python's [i-1, j-1, k-1]: the Python side reads element
  # (1, 2, 3) of the view of R's memory, which must be x[2, 3, 4].
  for (idx in list(c(1, 1, 1), c(2, 3, 4), c(1, 2, 3), c(2, 1, 4))) {
    expect_identical(
      tb_call("bridge.api.element", t, idx[1] - 1L, idx[2] - 1L, idx[3] - 1L),
      x[idx[1], idx[2], idx[3]]
    )
  }
})

test_that("a cast happens only when a dtype is asked for", {
  skip_if_no_python()
  x <- matrix(c(0.1, 0.2, 0.3, 0.4), 2)
  expect_equal(as.array(as_tensor(x, dtype = "float32")), x, tolerance = 1e-7)
  expect_false(identical(as.array(as_tensor(x, dtype = "float32")), x))
  expect_identical(as.array(as_tensor(x)), x)
})

test_that("bad input to as_tensor gives an R error that says what to do", {
  skip_if_no_python()
  expect_error(as_tensor("a"), "numeric, integer or logical", class = "tensorbridge_error")
  expect_error(as_tensor(c(1L, NA)), "integer NA at position 2",
               class = "tensorbridge_error")
})
