# Bad input from R: an R error that names the problem.
small_model <- function() {
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  model
}

test_that("bad data gives errors that name the problem", {
  skip_if_no_python()
  model <- small_model()
  x <- matrix(runif(20), ncol = 2)
  expect_error(model %>% fit(x, 1:7, verbose = 0), "rows", class = "tensorbridge_error")
  expect_error(model %>% fit(matrix(runif(30), ncol = 3), 1:10, verbose = 0),
               "3", class = "tensorbridge_error")
  x_na <- x
  x_na[3, 1] <- NA
  expect_error(model %>% fit(x_na, 1:10, verbose = 0), "NaN|NA", class = "tensorbridge_error")
  df <- data.frame(a = runif(10), b = letters[1:10])
  expect_error(model %>% fit(df, 1:10, verbose = 0), "b", class = "tensorbridge_error")
  expect_error(model %>% fit(x, 1:10, batch_size = 0, verbose = 0), "batch_size",
               class = "tensorbridge_error")
  expect_error(model %>% fit(x, 1:10, validation_split = 1.5, verbose = 0), "validation_split",
               class = "tensorbridge_error")
})

test_that("unknown names give errors that list what is valid", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  expect_error(model %>% compile(optimizer = "sgd", loss = "mean_squared_eror"),
               "mean_squared_eror", class = "tensorbridge_error")
  expect_error(model %>% compile(optimizer = "adamm", loss = "mse"), "adamm",
               class = "tensorbridge_error")
  expect_error(model %>% compile(optimizer = "sgd", loss = "mse", metrics = "acuracy"),
               "acuracy", class = "tensorbridge_error")
  expect_error(fit(keras_model_sequential() %>% layer_dense(units = 1), "x"),
               "numeric", class = "tensorbridge_error")
  expect_error(compile(as_tensor(1)), "`object` must be a model", class = "tensorbridge_error")
})

test_that("array utilities match their definitions", {
  m <- matrix(1:6, 2, byrow = TRUE)  # rows (1 2 3), (4 5 6)
  # row-major reshape reads 1 2 3 4 5 6 and fills rows of the new shape
  expect_identical(array_reshape(m, c(3, 2)), matrix(1:6, 3, byrow = TRUE))
  expect_identical(array_reshape(1:6, c(2, 3), order = "F"), matrix(1:6, 2))
  a <- array_reshape(1:24, c(2, 3, 4))
  expect_identical(a[2, 3, 4], 24L)
  expect_identical(a[1, 1, 2], 2L)  # the last index runs fastest
  expect_identical(to_categorical(c(0, 2, 1)), rbind(c(1, 0, 0), c(0, 0, 1), c(0, 1, 0)))
  expect_error(to_categorical(c(0, 3), num_classes = 3), "num_classes")
  skip_if_no_python()
  n <- normalize(matrix(c(3, 4, 6, 8), 2, byrow = TRUE))
  expect_equal(n, matrix(c(0.6, 0.8, 0.6, 0.8), 2, byrow = TRUE))
})

test_that("Fashion-MNIST loads offline with keras' structure", {
  skip_if_no_python()
  skip_if_not(file.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
              "Debian's dataset-fashion-mnist is not installed")
  d <- dataset_fashion_mnist()
  expect_named(d, c("train", "test"))
  expect_named(d$train, c("x", "y"))
  expect_identical(dim(d$train$x), c(60000L, 28L, 28L))
  expect_identical(dim(d$test$x), c(10000L, 28L, 28L))
  expect_identical(sort(unique(as.vector(d$train$y))), 0:9)
  expect_identical(range(d$train$x), c(0L, 255L))
  # each class holds 6000 training images (the dataset's documented balance)
  expect_identical(as.vector(table(d$train$y)), rep(6000L, 10))
})
