# tensorflow R's helpers: as_tensor(shape =), all_dims() and new axes in
# x[...], tf_version(), tf$executing_eagerly(), set_random_seed(); each
# against base R's arrays or the same call repeated.

test_that("as_tensor(shape =) lays values out row-major, or fills, as tensorflow R", {
  skip_if_no_python()
  expect_equal(as.array(as_tensor(1:6, shape = c(2, 3))), matrix(1:6, 2, byrow = TRUE))
  expect_equal(as.array(as_tensor(1:6, shape = c(NA, 2))), matrix(1:6, 3, byrow = TRUE))
  expect_equal(as.array(as_tensor(1:6, shape = shape(3, NA))), matrix(1:6, 3, byrow = TRUE))
  expect_equal(as.array(as_tensor(7, shape = c(2, 2))), matrix(7, 2, 2))
  t32 <- as_tensor(1:4, shape = c(2, 2), dtype = tf$float32)
  expect_equal(t32$dtype$name, "float32")
  expect_equal(as.array(as_tensor(1:6, name = "x")), 1:6, ignore_attr = TRUE)
  expect_bad_inputs(list(
    bad(as_tensor(1:6, shape = c(4, 2)), "as_tensor(): `shape` must be a shape that holds the 6 values, not c(4, 2)."),
    bad(as_tensor(1:6, shape = c(NA, NA)), "as_tensor(): `shape` must be extents >= 0 with at most one unknown (NA or -1), not c(NA, NA)."),
    bad(as_tensor(1:6, foo = 1), "as_tensor(): unknown argument `foo`; see ?as_tensor for the arguments it takes.")
  ))
})

test_that("all_dims() and NULL / tf$newaxis in x[...] are base R's indexing plus axes", {
  skip_if_no_python()
  a <- array(1:24, c(2, 3, 4))
  x <- as_tensor(a)
  expect_equal(as.array(x[all_dims(), 2]), a[, , 2])
  expect_equal(as.array(x[2, all_dims()]), a[2, , ])
  expect_equal(as.array(x[1, all_dims(), 3]), a[1, , 3])
  expect_equal(as.array(x[all_dims()]), a)
  expect_equal(dim(x[, , , tf$newaxis]), c(2L, 3L, 4L, 1L))
  expect_equal(as.array(x[1, NULL, , ]), array(a[1, , ], c(1, 3, 4)))
  expect_equal(dim(x[NULL, all_dims()]), c(1L, 2L, 3L, 4L))
  expect_equal(dim(x[1, , 2, drop = FALSE][, NULL, , ]), c(1L, 1L, 3L, 1L))
  expect_bad_inputs(list(
    bad(x[all_dims(), 1, all_dims()], "x[...]: all_dims() can be given only once."),
    bad(x[1, 1], "x[...]: a tensor of dim c(2, 3, 4) needs 3 indices, one per axis, not 2 (all_dims() stands for the axes not indexed otherwise).")
  ), env = environment())
})

test_that("tf_version(), tf$executing_eagerly() and set_random_seed()", {
  skip_if_no_python()
  expect_s3_class(tf_version(), "numeric_version")
  expect_true(tf_version() >= "2.6")
  expect_true(tf$executing_eagerly())
  draw <- function() {
    set_random_seed(11)
    list(r = runif(3), n = as.array(tf$random$normal(list(3L))),
         w = get_weights(keras_model_sequential(input_shape = 2) %>% layer_dense(2))[[1]])
  }
  first <- draw()
  second <- draw()
  expect_identical(first, second)
  set_random_seed(12)
  expect_false(identical(runif(3), first$r))
})
