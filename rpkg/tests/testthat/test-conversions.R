# Every row of the conversion table, both directions. `identity` returns its
# argument, so R -> Python -> R must give back an identical R value;
# `describe` reports what the value was on the Python side.
roundtrip <- function(x) tb_call("bridge.diagnostics.identity", x)
py_side <- function(x) tb_call("bridge.diagnostics.describe", x)

test_that("double, integer and logical arrays keep values, type and dim", {
  skip_if_no_python()
  cases <- list(
    c(1.5, -2, 1e300), matrix(c(1, 2, 3, 4), 2), array(as.double(1:120), 2:5 + 0L),
    1:10, matrix(1:6, 3), c(TRUE, FALSE, TRUE), matrix(c(TRUE, FALSE), 1)
  )
  for (x in cases) expect_identical(roundtrip(x), x)
  expect_identical(py_side(matrix(1:6, 3))$dtype, "int32")
  expect_identical(py_side(c(TRUE, FALSE))$dtype, "bool")
  expect_identical(py_side(array(0, c(2, 3, 4)))$shape, list(2L, 3L, 4L))
})

test_that("0-length vectors, 1-d vectors and 1-column matrices stay distinct", {
  skip_if_no_python()
  expect_identical(roundtrip(double(0)), double(0))
  expect_identical(roundtrip(integer(0)), integer(0))
  expect_identical(py_side(c(1, 2, 3))$shape, list(3L))
  expect_identical(py_side(matrix(c(1, 2, 3), ncol = 1))$shape, list(3L, 1L))
  expect_identical(roundtrip(matrix(c(1, 2, 3), ncol = 1)), matrix(c(1, 2, 3), ncol = 1))
  expect_identical(py_side(2.5)$type, "builtins.float")  # length one is a scalar
})

test_that("a rank-5 array maps x[i,j,k,l,m] to [i-1,j-1,k-1,l-1,m-1]", {
  skip_if_no_python()
  x <- array(as.double(seq_len(2 * 3 * 4 * 2 * 3)), c(2, 3, 4, 2, 3))
  for (idx in list(c(1, 1, 1, 1, 1), c(2, 3, 4, 2, 3), c(2, 1, 3, 1, 2), c(1, 3, 2, 2, 1))) {
    in_python <- do.call(tb_call, c(list("bridge.api.element", x), as.list(idx - 1L)))
    expect_identical(in_python, x[idx[1], idx[2], idx[3], idx[4], idx[5]])
  }
  expect_identical(roundtrip(x), x)
})

test_that("NA and NaN become NaN, Inf stays Inf; integer or logical NA is an error", {
  skip_if_no_python()
  x <- c(NA, NaN, Inf, -Inf, 1)
  # In Python both NA and NaN are NaN ...
  expect_identical(tb_call("bridge.api.element", x, 0L), NaN)
  expect_identical(tb_call("bridge.api.element", x, 1L), NaN)
  expect_identical(tb_call("bridge.api.element", x, 2L), Inf)
  # ... and the round trip keeps every bit, so R's NA comes back as NA.
  expect_identical(roundtrip(x), x)
  expect_error(roundtrip(c(1L, NA, 3L)), "integer NA at position 2",
               class = "tensorbridge_error")
  expect_error(roundtrip(c(TRUE, NA)), "logical NA at position 2",
               class = "tensorbridge_error")
})

test_that("character vectors, with non-ASCII text and NA", {
  skip_if_no_python()
  x <- c("a", "\u00e9t\u00e9", "\u6f22\u5b57", NA, "")
  expect_identical(roundtrip(x), x)
  expect_identical(roundtrip("caf\u00e9"), "caf\u00e9")
  expect_identical(py_side("x")$type, "builtins.str")
})

test_that("factors keep levels, unused levels, order and NA", {
  skip_if_no_python()
  f <- factor(c("b", "a", NA, "b"), levels = c("c", "b", "a"))
  expect_identical(py_side(f)$type, "pandas.Categorical")
  expect_identical(roundtrip(f), f)
  o <- factor(c("lo", "hi"), levels = c("lo", "mid", "hi"), ordered = TRUE)
  expect_identical(roundtrip(o), o)
})

test_that("data.frames with mixed columns become pandas DataFrames and back", {
  skip_if_no_python()
  df <- data.frame(
    d = c(1.5, NA, 3), i = 1:3, l = c(TRUE, FALSE, TRUE), s = c("x", "\u00fc", "z"),
    f = factor(c("u", "v", "u"), levels = c("u", "v", "w")),
    stringsAsFactors = FALSE
  )
  expect_match(py_side(df)$type, "^pandas\\..*DataFrame$")
  expect_identical(roundtrip(df), df)
})

test_that("lists, named lists, nested lists and NULL", {
  skip_if_no_python()
  x <- list(a = 1, b = list(c = "x", d = list(1L, TRUE)), e = NULL)
  expect_identical(py_side(x)$type, "builtins.dict")
  expect_identical(roundtrip(x), x)
  expect_identical(roundtrip(list(1, "a")), list(1, "a"))
  expect_identical(py_side(list(1, 2))$type, "builtins.list")
  expect_null(roundtrip(NULL))
  expect_identical(py_side(NULL)$type, "builtins.NoneType")
})

test_that("an R function becomes a Python callable that calls back into R", {
  skip_if_no_python()
  expect_identical(tb_call("bridge.diagnostics.call_r", function(a, b) a * b + 1, 6, 7), 43)
  expect_identical(py_side(sum)$type, "tensorbridge.bridge.convert.RCallable")
})

test_that("Python objects come back as handles with S3 classes from the MRO", {
  skip_if_no_python()
  t <- as_tensor(c(1, 2, 3))
  expect_s3_class(t, "tensorbridge.engine.tensor.Tensor")
  expect_s3_class(t, "tensorbridge_object")
  expect_identical(typeof(t), "externalptr")
  expect_true(tb_call("bridge.diagnostics.same", tb_call("bridge.diagnostics.identity", t), t))
})

test_that("a 200 MB double array converts without a second copy", {
  skip_if_no_python()
  x <- runif(25e6)  # 200 MB
  address_in_r <- tensorbridge:::tb_data_address(x)
  t <- as_tensor(x)
  expect_identical(tb_call("bridge.api.buffer_address", t), address_in_r)
  expect_false(py_side(x)$owns_data)  # numpy views R's memory
  # and the values are those of x, read through the view
  expect_identical(tb_call("bridge.api.element", t, 24999999L), x[25e6])
})

test_that("a tensor viewing R memory keeps it alive, and cannot change it", {
  skip_if_no_python()
  x <- runif(1e5)
  expected <- x + 0  # an independent copy
  t <- as_tensor(x)
  expect_false(py_side(x)$writeable)
  rm(x)
  invisible(gc())
  junk <- lapply(1:20, function(i) runif(1e5))  # reuse freed memory, if any
  expect_identical(as.array(t), expected)
})

test_that("only views that outlive their call keep R memory protected", {
  skip_if_no_python()
  kept <- function() tb_call("bridge.diagnostics.kept_views")
  x <- matrix(runif(12), 3)
  invisible(gc())
  before <- kept()
  # views used only during a call protect nothing afterwards
  for (i in 1:50) tb_call("bridge.diagnostics.describe", x)
  expect_identical(tb_call("bridge.diagnostics.identity", x), x)
  expect_identical(kept(), before)
  # a tensor that keeps the view protects x; dropping the tensor releases it
  t <- as_tensor(x)
  expect_identical(kept(), before + 1L)
  rm(t)
  invisible(gc())
  expect_identical(kept(), before)
  # a call that fails does not leave its arguments protected
  expect_error(tb_call("bridge.diagnostics.fail", x), class = "tensorbridge_error")
  expect_identical(kept(), before)
})

test_that("an R callback's own call does not end the outer call's views", {
  skip_if_no_python()
  outer <- matrix(as.double(1:6), 2)
  inner <- function(y) {
    out <- tb_call("bridge.diagnostics.identity", y * 10)
    invisible(gc())
    out
  }
  # Python holds a view of `outer` across a nested call into R and back
  out <- tb_call("bridge.diagnostics.call_r_then_return", inner, outer)
  expect_identical(out$inner, outer * 10)
  expect_identical(out$outer, outer)
})

test_that("conversions hold up when R collects garbage at every allocation", {
  skip_if_no_python()
  layer <- layer_dense(units = 2)
  x <- list(a = matrix(runif(6), 2), b = list("x", 1L, TRUE, NULL),
            c = c("p", NA, "q"), d = as_tensor(1:3), e = layer,
            f = "caf\u00e9", g = array(1:24, c(2, 3, 4)))
  gctorture(TRUE)
  out <- tb_call("bridge.diagnostics.identity", x)
  gctorture(FALSE)
  expect_identical(names(out), names(x))
  for (name in c("a", "b", "c", "f", "g")) expect_identical(out[[name]], x[[name]])
  expect_true(tb_call("bridge.diagnostics.same", out$d, x$d))
  expect_true(tb_call("bridge.diagnostics.same", out$e, x$e))
  expect_true(is.function(out$e))  # a callable Python object is an R function
})

test_that("an R integer is int32 at any length, a double float64, a logical bool", {
  skip_if_no_python()
  dtype <- function(x) as_tensor(x)$dtype$name
  expect_identical(dtype(5L), "int32")
  expect_identical(dtype(c(5L, 6L)), "int32")
  expect_identical(dtype(2.5), "float64")
  expect_identical(dtype(c(2.5, 1)), "float64")
  expect_identical(dtype(TRUE), "bool")
  expect_identical(as.array(as_tensor(5L)), 5L)
  expect_identical(as.array(as_tensor(-7L, dtype = "int64")), -7L)
  # casts that keep every value are done: whole doubles to integers, 0/1 to bool
  expect_identical(as.array(as_tensor(c(3, -2, 2147483647), dtype = "int32")),
                   c(3L, -2L, 2147483647L))
  expect_identical(as.array(as_tensor(c(0, 1), dtype = "bool")), c(FALSE, TRUE))
})
