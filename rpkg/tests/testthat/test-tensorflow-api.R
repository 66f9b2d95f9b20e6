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
    bad(x[1, 1], "x[...]: a tensor of dim c(2, 3, 4) needs 3 indices, one per axis, not 2.")
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

test_that("tf$einsum, tf$linspace, tf$math$top_k and control flow with R functions", {
  skip_if_no_python()
  m <- matrix(c(1, -2, 3.5, 4, 0, 6), 2)
  n <- matrix(1:12 / 3, 3)
  expect_equal(as.array(tf$einsum("ij,jk->ik", as_tensor(m), as_tensor(n))), m %*% n)
  expect_equal(as.array(tf$einsum("ij->j", as_tensor(m))), colSums(m), ignore_attr = TRUE)
  expect_equal(as.array(tf$linspace(0, 1, 5L)), seq(0, 1, length.out = 5), tolerance = 1e-7,
               ignore_attr = TRUE)
  top <- tf$math$top_k(as_tensor(c(3, 1, 4, 1.5)), k = 2L)
  expect_equal(names(top), c("values", "indices"))
  expect_equal(as.array(top$values), sort(c(3, 1, 4, 1.5), decreasing = TRUE)[1:2],
               ignore_attr = TRUE)
  expect_equal(as.array(top$indices) + 1L, order(-c(3, 1, 4, 1.5))[1:2], ignore_attr = TRUE)
  x <- as_tensor(2)
  expect_equal(as.array(tf$cond(x > 1, function() x * 10, function() x)), 20)
  loop <- tf$while_loop(function(i, s) i < 5L, function(i, s) list(i + 1L, s + i),
                        list(as_tensor(0L), as_tensor(0L)))
  expect_equal(vapply(loop, as.array, 1L), c(5L, sum(0:4)))
  expect_equal(as.array(tf$map_fn(function(r) sum(r), as_tensor(m))), rowSums(m),
               ignore_attr = TRUE)
  # an R function as a custom gradient: the tape uses it instead of the math
  f <- tf$custom_gradient(function(x) list(x * 1, function(dy) dy * 10))
  v <- tf$Variable(c(1, 2))
  with(tf$GradientTape() %as% tape, y <- sum(f(v)))
  expect_equal(as.array(tape$gradient(y, v)), c(10, 10), ignore_attr = TRUE)
})

test_that("tf$linalg is base R's solve(), det(), chol() and eigen()", {
  skip_if_no_python()
  set.seed(4)
  m <- matrix(rnorm(9), 3) + diag(3) * 3
  s <- crossprod(matrix(rnorm(9), 3)) + diag(3)
  b <- matrix(rnorm(6), 3)
  expect_equal(as.array(tf$linalg$inv(as_tensor(m))), solve(m), tolerance = 1e-10)
  expect_equal(as.array(tf$linalg$det(as_tensor(m))), det(m), tolerance = 1e-10)
  expect_equal(as.array(tf$linalg$solve(as_tensor(m), as_tensor(b))), solve(m, b),
               tolerance = 1e-10)
  expect_equal(as.array(tf$linalg$cholesky(as_tensor(s))), t(chol(s)), tolerance = 1e-10)
  eig <- tf$linalg$eigh(as_tensor(s))
  expect_equal(as.array(eig[[1]]), rev(eigen(s, symmetric = TRUE)$values), tolerance = 1e-10,
               ignore_attr = TRUE)
  # differentiable: d det(m) / dm = det(m) * t(solve(m))
  v <- tf$Variable(m)
  with(tf$GradientTape() %as% tape, d <- tf$linalg$det(v))
  expect_equal(as.array(tape$gradient(d, v)), det(m) * t(solve(m)), tolerance = 1e-10)
})

test_that("tape$watched_variables(), tf$UnconnectedGradients and tf$random from R", {
  skip_if_no_python()
  a <- tf$Variable(1)
  b <- tf$Variable(2)
  unused <- tf$Variable(5)
  with(tf$GradientTape() %as% tape, y <- b * a)
  expect_equal(vapply(tape$watched_variables(), as.numeric, 1), c(2, 1))
  g <- tape$gradient(y, list(a, unused), unconnected_gradients = tf$UnconnectedGradients$ZERO)
  expect_equal(vapply(g, as.numeric, 1), c(2, 0))
  x <- matrix(1:12, 6)
  shuffled <- as.array(tf$random$shuffle(as_tensor(x), seed = 2L))
  expect_equal(shuffled[order(shuffled[, 1]), ], x)
  draws <- as.array(tf$random$categorical(log(matrix(c(0.2, 0.8), 1)), 4000L, seed = 3L))
  expect_lt(abs(mean(draws) - 0.8), 4 * sqrt(0.8 * 0.2 / 4000))
  expect_equal(as.array(tf$random$stateless_normal(list(3L), seed = c(1L, 2L))),
               as.array(tf$random$stateless_normal(list(3L), seed = c(1L, 2L))))
})

test_that("set.seed() makes training repeat bit for bit; an engine seed takes precedence", {
  skip_if_no_python()
  train <- function(seed) {
    set.seed(seed)
    x <- matrix(runif(200), 100)
    y <- x %*% c(1, -1)
    m <- keras_model_sequential(input_shape = 2) %>% layer_dense(8, activation = "relu") %>%
      layer_dropout(0.3) %>% layer_dense(1)
    m %>% compile(optimizer = "adam", loss = "mse")
    m %>% fit(x, y, epochs = 2, batch_size = 16, verbose = 0)  # shuffled, with dropout
    get_weights(m)
  }
  on.exit(tf$random$set_seed(NULL))
  tf$random$set_seed(NULL)  # no engine seed (set_random_seed() above set one)
  expect_identical(train(1), train(1))
  expect_false(identical(train(1), train(2)))
  tf$random$set_seed(5L)
  set.seed(1)
  a <- as.array(tf$random$normal(list(3L)))
  tf$random$set_seed(5L)
  set.seed(2)
  expect_identical(as.array(tf$random$normal(list(3L))), a)
})

test_that("np_array() and tf$config", {
  skip_if_no_python()
  a <- np_array(matrix(1:6, 2), dtype = "float32")
  expect_equal(as.array(a), matrix(1:6, 2), ignore_attr = TRUE)
  expect_equal(a$dtype$name, "float32")
  devices <- tf$config$list_physical_devices()
  expect_equal(devices[[1]]$device_type, "CPU")
  gpus <- tf$config$list_physical_devices("GPU")
  expect_equal(length(gpus), length(tb_call("engine.list_devices")) - 1L)
  expect_error(np_array(1, order = "K"), "`order` must be", fixed = TRUE)
})

test_that("tf$image's flips, crops and colour ops are base R's array operations", {
  skip_if_no_python()
  set.seed(7)
  img <- array(runif(5 * 6 * 3), c(5, 6, 3))
  t <- as_tensor(img)
  expect_equal(as.array(tf$image$flip_left_right(t)), img[, 6:1, ])
  expect_equal(as.array(tf$image$flip_up_down(t)), img[5:1, , ])
  expect_equal(as.array(tf$image$crop_to_bounding_box(t, 1L, 2L, 3L, 2L)), img[2:4, 3:4, ])
  gray <- as.array(tf$image$rgb_to_grayscale(as_tensor(img, dtype = "float32")))
  expect_equal(gray[, , 1], img[, , 1] * 0.2989 + img[, , 2] * 0.5870 + img[, , 3] * 0.1140,
               tolerance = 1e-5)
  expect_equal(as.array(tf$image$adjust_brightness(t, 0.25)), img + 0.25)
})

test_that("negative positions count from the end; one_based = FALSE counts from 0", {
  skip_if_no_python()
  m <- matrix(1:12, 3)
  x <- as_tensor(m)
  old <- options(tensorflow.extract.warn_negatives_pythonic = TRUE)
  on.exit(options(old))
  assign("warned_negative_index", FALSE, envir = tensorbridge:::.tb_state)
  expect_warning(last_row <- as.array(x[-1, ]), "count from the end", fixed = TRUE)
  expect_equal(last_row, m[3, ], ignore_attr = TRUE)
  expect_silent(as.array(x[-1, ]))  # the warning is given once
  expect_equal(as.array(x[c(-1, -3), -2]), m[c(3, 1), 3])
  options(tensorflow.extract.one_based = FALSE)
  expect_equal(as.array(x[0, 0:1]), m[1, 1:2])
  expect_equal(as.array(x[2, ]), m[3, ], ignore_attr = TRUE)
  expect_error(x[3, ], "index 3 is out of bounds for axis 1, which has 3 elements (counted from 0).",
               fixed = TRUE)
  options(tensorflow.extract.one_based = NULL)
  expect_equal(as.array(x[1, 1:2]), m[1, 1:2])
})

test_that("x$shape is a shape object, as TensorShape in the tensorflow R package", {
  skip_if_no_python()
  x <- as_tensor(array(0, c(2, 3, 4)))
  s <- x$shape
  expect_s3_class(s, "tensorbridge_shape")
  expect_identical(s$as_list(), list(2L, 3L, 4L))
  expect_identical(s$rank, 3L)
  expect_equal(s$num_elements(), 24)
  expect_true(s$is_fully_defined())
  expect_identical(s[[2]], 3L)
  expect_identical(as.integer(s[2:3]), c(3L, 4L))
  expect_identical(as.integer(s), dim(x))
  expect_identical(length(s), 3L)
  symbolic <- layer_input(shape = c(5, 2))$shape
  expect_identical(as.integer(symbolic), c(NA, 5L, 2L))
  expect_false(symbolic$is_fully_defined())
  expect_null(symbolic$num_elements())
  expect_error(s$nope, "a shape has no `nope`", fixed = TRUE)
})
