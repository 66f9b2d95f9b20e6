# fit()/evaluate()/predict() from generator functions and datasets, against
# the same batches given as arrays; errors that name the step; the memory
# fit() adds on top of an R matrix.

gen_data <- function() {
  set.seed(11)
  x <- matrix(rnorm(200), ncol = 4)
  y <- x %*% c(1, -2, 0.5, 3) + 0.25 + rnorm(50, sd = 0.1)
  list(x = x, y = y)
}

# batches of 10 rows in order, over and over, as an array fit with
# shuffle = FALSE and batch_size = 10 draws them
ordered_batches <- function(x, y, size = 10) {
  i <- 0
  n <- nrow(x)
  function() {
    rows <- (i * size) %% n + seq_len(size)
    i <<- i + 1
    list(x[rows, , drop = FALSE], y[rows, , drop = FALSE])
  }
}

gen_model <- function(init = NULL) {
  model <- keras_model_sequential(input_shape = 4) %>%
    layer_dense(units = 3, activation = "tanh") %>%
    layer_dense(units = 1)
  if (!is.null(init)) set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(0.05), loss = "mse", metrics = "mae")
  model
}

test_that("a generator and a dataset give the weights of the array fit", {
  skip_if_no_python()
  d <- gen_data()
  init <- get_weights(gen_model())
  ref <- gen_model(init)
  h_ref <- fit(ref, d$x, d$y, batch_size = 10, epochs = 3, shuffle = FALSE, verbose = 0)
  from_gen <- gen_model(init)
  h_gen <- fit(from_gen, ordered_batches(d$x, d$y), steps_per_epoch = 5, epochs = 3,
               verbose = 0)
  expect_equal(get_weights(from_gen), get_weights(ref), tolerance = 1e-6)
  expect_equal(h_gen$metrics$loss, h_ref$metrics$loss, tolerance = 1e-6)
  ds <- tensor_slices_dataset(list(d$x, d$y)) %>% dataset_batch(10)
  from_ds <- gen_model(init)
  fit(from_ds, ds, epochs = 3, verbose = 0)
  expect_equal(get_weights(from_ds), get_weights(ref), tolerance = 1e-6)
})

test_that("evaluate() and predict() read generators as they read arrays", {
  skip_if_no_python()
  d <- gen_data()
  model <- gen_model()
  ref <- evaluate(model, d$x, d$y, batch_size = 10, verbose = 0)
  expect_equal(evaluate(model, ordered_batches(d$x, d$y), steps = 5, verbose = 0), ref,
               tolerance = 1e-6)
  i <- 0
  inputs <- function() {
    rows <- i * 10 + 1:10
    i <<- i + 1
    d$x[rows, , drop = FALSE]  # x alone, as keras allows for predict
  }
  # the closed form of the two dense layers, in base R
  w <- get_weights(model)
  expected <- tanh(sweep(d$x %*% w[[1]], 2, w[[2]], "+")) %*% w[[3]] + w[[4]]
  expect_equal(predict(model, inputs, steps = 5), expected, tolerance = 1e-5,
               ignore_attr = TRUE)
  i <- 0
  expect_equal(suppressWarnings(predict_generator(model, inputs, steps = 5)), expected,
               tolerance = 1e-5, ignore_attr = TRUE)
  expect_warning(evaluate_generator(model, ordered_batches(d$x, d$y), steps = 5),
                 "deprecated")
})

test_that("fit_generator() trains as fit() and validates on a generator", {
  skip_if_no_python()
  d <- gen_data()
  init <- get_weights(gen_model())
  a <- gen_model(init)
  b <- gen_model(init)
  expect_warning(
    h <- fit_generator(a, ordered_batches(d$x, d$y), steps_per_epoch = 5, epochs = 2,
                       verbose = 0, validation_data = ordered_batches(d$x, d$y),
                       validation_steps = 5),
    "deprecated")
  fit(b, d$x, d$y, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(a), get_weights(b), tolerance = 1e-6)
  # the last validation loss is the loss of the trained model on those rows
  expect_equal(tail(h$metrics$val_loss, 1),
               mean((predict(a, d$x) - d$y)^2), tolerance = 1e-5)
})

test_that("an R error inside a generator comes back as that error, naming the step", {
  skip_if_no_python()
  d <- gen_data()
  model <- gen_model()
  calls <- 0
  failing <- function() {
    calls <<- calls + 1
    if (calls == 8) {
      stop(structure(class = c("my_data_error", "error", "condition"),
                     list(message = "the file is gone", call = NULL)))
    }
    list(d$x[1:10, ], d$y[1:10, , drop = FALSE])
  }
  err <- tryCatch(fit(model, failing, steps_per_epoch = 5, epochs = 2, verbose = 0),
                  error = identity)
  expect_s3_class(err, "my_data_error")
  expect_identical(conditionMessage(err), "in the generator, step 3 of epoch 2: the file is gone")
  # the session goes on: the model still trains
  expect_s3_class(fit(model, d$x, d$y, epochs = 1, verbose = 0), "keras_training_history")
})

test_that("a generator's bad batches are errors naming the step and what was expected", {
  skip_if_no_python()
  d <- gen_data()
  model <- gen_model()
  calls <- 0
  batches <- function(bad) {
    calls <<- 0
    function() {
      calls <<- calls + 1
      if (calls == 2) bad else list(d$x[1:10, ], d$y[1:10, , drop = FALSE])
    }
  }
  expect_error(fit(model, batches(list(d$x[1:10, 1:3], d$y[1:10])), steps_per_epoch = 3,
                   verbose = 0),
               paste0("fit: in the generator, step 2 of epoch 1: x has 3 columns but the ",
                      "model input '[a-z_0-9]+' expects 4"))
  expect_error(fit(model, batches("oops"), steps_per_epoch = 3, verbose = 0),
               paste0('in the generator, step 2 of epoch 1: the generator returned "oops"; ',
                      "expected list(x, y) or list(x, y, sample_weight)"), fixed = TRUE)
  expect_error(fit(model, batches(list(d$x[1:10, ])), steps_per_epoch = 3, verbose = 0),
               "step 2 of epoch 1: the generator returned a list of 1 element; expected",
               fixed = TRUE)
  expect_error(fit(model, batches(list(d$x[1:10, ], d$y[1:9])), steps_per_epoch = 3,
                   verbose = 0),
               "step 2 of epoch 1: x has 10 rows but y has 9 rows", fixed = TRUE)
  expect_error(fit(model, batches(list(d$x[1:10, ], letters[1:10])), steps_per_epoch = 3,
                   verbose = 0),
               "step 2 of epoch 1: the generator returned a list whose element 2 is",
               fixed = TRUE)
  expect_error(fit(model, batches(NULL), steps_per_epoch = 3, verbose = 0),
               "step 2 of epoch 1: the generator returned NULL", fixed = TRUE)
  expect_error(fit(model, batches(NULL), verbose = 0),
               "steps_per_epoch is required when the data is a generator", fixed = TRUE)
  expect_error(fit(model, batches(NULL), d$y, steps_per_epoch = 3, verbose = 0),
               "`y` must be NULL when `x` is a generator function", fixed = TRUE)
  expect_error(fit(model, ordered_batches(d$x, d$y), steps_per_epoch = 5, verbose = 0,
                   validation_data = ordered_batches(d$x, d$y)),
               "validation_steps is required", fixed = TRUE)
})

test_that("generator_next() gives a generator's next batch", {
  skip_if_no_python()
  d <- gen_data()
  gen <- ordered_batches(d$x, d$y)
  expect_identical(generator_next(gen)[[1]], d$x[1:10, ])
  expect_identical(generator_next(gen)[[2]], d$y[11:20, , drop = FALSE])
  expect_error(generator_next(42), "`generator` must be a generator function", fixed = TRUE)
})

test_that("fit() on an R matrix adds far less memory than the matrix", {
  skip_if_no_python()
  skip_if_not(file.exists("/proc/self/clear_refs") && file.exists("/proc/self/status"),
              "needs Linux's /proc to read the peak memory")
  status_mb <- function(field) {
    line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
    as.numeric(gsub("[^0-9]", "", line)) / 1024
  }
  n <- 100000
  x <- matrix(runif(n * 250), n)  # 200 MB of doubles
  y <- runif(n)
  model <- keras_model_sequential(input_shape = 250) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  fit(model, x[1:256, ], y[1:256], epochs = 1, verbose = 0)  # warm up
  gc()
  reset <- tryCatch({
    writeLines("5", "/proc/self/clear_refs")  # resets the peak (VmHWM) to now
    TRUE
  }, error = function(e) FALSE, warning = function(w) FALSE)
  skip_if_not(reset, "cannot reset the peak memory")
  before <- status_mb("VmRSS")
  fit(model, x, y, epochs = 1, batch_size = 128, verbose = 0)  # shuffled
  fit(model, x, y, epochs = 1, batch_size = 128, verbose = 0, validation_split = 0.2)
  added <- status_mb("VmHWM") - before
  expect_lt(added, 0.1 * as.numeric(object.size(x)) / 2^20)
})
