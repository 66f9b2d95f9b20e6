make_model <- function() {
  model <- keras_model_sequential(input_shape = 4) %>%
    layer_dense(units = 8, activation = "relu") %>%
    layer_dense(units = 3, activation = "softmax")
  model %>% compile(optimizer = "adam", loss = "categorical_crossentropy")
  model
}

test_that("save_model() / load_model() give identical predictions and training state", {
  skip_if_no_python()
  x <- matrix(runif(80), ncol = 4)
  y <- to_categorical(sample(0:2, 20, TRUE), 3)
  model <- make_model()
  model %>% fit(x, y, epochs = 2, verbose = 0, shuffle = FALSE)
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  loaded <- load_model(path)
  expect_identical(predict(loaded, x), predict(model, x))
  # continued training matches: same optimizer state, same data order
  model %>% fit(x, y, epochs = 2, verbose = 0, shuffle = FALSE)
  loaded %>% fit(x, y, epochs = 2, verbose = 0, shuffle = FALSE)
  expect_equal(predict(loaded, x), predict(model, x), tolerance = 1e-6)
})

test_that("serialize_model() survives saveRDS()", {
  skip_if_no_python()
  model <- make_model()
  x <- matrix(runif(8), ncol = 4)
  rds <- tempfile(fileext = ".rds")
  saveRDS(serialize_model(model), rds)
  back <- unserialize_model(readRDS(rds))
  expect_identical(predict(back, x), predict(model, x))
})

test_that("weights save and load; JSON and config round trips rebuild the architecture", {
  skip_if_no_python()
  model <- make_model()
  path <- tempfile(fileext = ".weights")
  save_model_weights(model, path)
  other <- make_model()
  load_model_weights(other, path)
  expect_identical(get_weights(other), get_weights(model))
  twin <- model_from_json(model_to_json(model))
  expect_identical(count_params(twin), count_params(model))
  rebuilt <- from_config(get_config(model))
  expect_identical(lapply(get_weights(rebuilt), dim), lapply(get_weights(model), dim))
})

test_that("set_weights() takes R arrays and checks their shapes", {
  skip_if_no_python()
  model <- make_model()
  w <- lapply(get_weights(model), function(a) a * 0 + 0.5)
  set_weights(model, w)
  expect_equal(get_weights(model), w)
  w[[1]] <- matrix(0, 3, 3)
  expect_error(set_weights(model, w), class = "tensorbridge_error")
})

test_that("a truncated or foreign file gives a clear error; an old file survives", {
  skip_if_no_python()
  model <- make_model()
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  bytes <- readBin(path, "raw", file.size(path))
  truncated <- tempfile(fileext = ".tbm")
  writeBin(bytes[seq_len(length(bytes) %/% 2)], truncated)
  expect_error(load_model(truncated), "not a tensorbridge model file|truncated|corrupt",
               class = "tensorbridge_error")
  foreign <- tempfile(fileext = ".tbm")
  writeLines("hello", foreign)
  expect_error(load_model(foreign), class = "tensorbridge_error")
  expect_error(load_model(tempfile()), "no model file")
  expect_error(save_model(model, path, overwrite = FALSE), "exists")
  expect_identical(predict(load_model(path), matrix(1, 1, 4)), predict(model, matrix(1, 1, 4)))
})
