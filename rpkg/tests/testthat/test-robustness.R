# The bridge under conditions users create without meaning to: R callbacks
# that return R-only values, handles assigned to with `$<-`, handles that
# outlived their Python object, Python errors from foreign code, and R's
# garbage collector running inside callbacks.

test_that("an R callback may return an environment: Python holds it, R gets it back", {
  skip_if_no_python()
  e <- new.env()
  expect_identical(tb_call("bridge.diagnostics.call_r", function() e), e)
  # an S4 object and an R6-like environment with a class, too
  setClass("TbTick", representation(n = "numeric"), where = globalenv())
  tick <- new("TbTick", n = 3)
  expect_identical(tb_call("bridge.diagnostics.call_r", function() tick), tick)
  progress <- structure(new.env(), class = c("Progress", "R6"))
  expect_identical(tb_call("bridge.diagnostics.call_r", function() progress), progress)
})

test_that("fit() goes on when a lambda callback returns an environment", {
  skip_if_no_python()
  x <- matrix(c(1, 2, 3, 4, 5, 6, 7, 8), 4)
  y <- matrix(c(1, 0, 1, 0), 4)
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  ticks <- new.env()
  ticks$n <- 0L
  cb <- callback_lambda(on_batch_end = function(batch, logs) {
    ticks$n <- ticks$n + 1L
    ticks  # what a progress bar's tick() returns
  })
  history <- fit(model, x, y, epochs = 3, batch_size = 2, verbose = 0, callbacks = list(cb))
  expect_identical(ticks$n, 6L)  # 2 batches x 3 epochs
  expect_length(history$metrics$loss, 3L)
})

test_that("R's garbage collector inside an R callback leaves the session usable", {
  skip_if_no_python()
  # reticulate flushes Python's console after each top-level call; what it
  # left behind is collected inside the callback (a crash before)
  for (i in 1:3) {
    expect_identical(tb_call("bridge.diagnostics.call_r", function(a) {
      invisible(gc())
      a + 1
    }, i), i + 1)
  }
})

test_that("`$<-` sets attributes the Python object has, and returns the handle", {
  skip_if_no_python()
  layer <- layer_dense(units = 3)
  expect_true(layer$trainable)
  layer$trainable <- FALSE
  expect_false(layer$trainable)
  expect_true(is.function(layer))  # still the callable handle
  expect_s3_class(layer, "tensorbridge_object")
  model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 2)
  model$trainable <- FALSE
  expect_false(model$trainable)
  expect_identical(length(model$trainable_weights), 0L)  # keras: frozen means no trainable weights
  model$trainable <- TRUE
  expect_identical(length(model$trainable_weights), 2L)  # kernel and bias
  expect_error(layer$trainabel <- FALSE,
               "a Dense has no attribute 'trainabel' to set", class = "tensorbridge_error")
  t <- as_tensor(c(1, 2))
  expect_error(t$ndim <- 3L, "the attribute 'ndim' of a Tensor cannot be set (it is read-only)",
               fixed = TRUE, class = "tensorbridge_error")
  expect_identical(t$ndim, 1L)
})

test_that("a handle from another R process or a fake one is a clear error", {
  skip_if_no_python()
  path <- tempfile(fileext = ".rds")
  script <- tempfile(fileext = ".R")
  writeLines(c(
    "suppressPackageStartupMessages(library(tensorbridge))",
    "model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)",
    sprintf("saveRDS(list(model = model, tensor = as_tensor(c(1, 2))), '%s')", path)
  ), script)
  system2(file.path(R.home("bin"), "Rscript"), script, stdout = FALSE, stderr = FALSE)
  saved <- readRDS(path)
  stale <- "this object no longer exists (it was created in another R process or freed)"
  expect_error(as.array(saved$tensor), stale, fixed = TRUE, class = "tensorbridge_error")
  expect_error(predict(saved$model, matrix(1, 1, 2)), stale, fixed = TRUE,
               class = "tensorbridge_error")
  expect_error(print(saved$tensor), stale, fixed = TRUE, class = "tensorbridge_error")
  fake <- structure(1, class = c("tensorbridge.engine.tensor.Tensor", "tensorbridge_object"))
  expect_error(as.array(fake), stale, fixed = TRUE, class = "tensorbridge_error")
  expect_identical(tb_call("bridge.diagnostics.identity", 5), 5)  # the session goes on
})

test_that("Python errors are told in R's words, with the traceback kept", {
  skip_if_no_python()
  # numpy's text for a string where a number belongs
  err <- tryCatch(tb_call("bridge.api.as_tensor", c("1", "a"), dtype = "float32"),
                  error = function(e) e)
  expect_s3_class(err, "tensorbridge_python_ValueError")
  expect_identical(conditionMessage(err), paste0(
    "ValueError: the character value \"a\" is not a number; give numbers ",
    "(as.numeric() converts text that holds numbers)"))
  # an R value without a Python counterpart
  err <- tryCatch(tb_call("bridge.diagnostics.identity", 1i), error = function(e) e)
  expect_identical(conditionMessage(err), paste0(
    "ConversionError: a complex vector cannot be passed to Python: give numbers, ",
    "logicals, strings, factors, data frames, lists, functions or tensorbridge objects"))
  # an error that no code of ours raised on purpose is an internal error
  err <- tryCatch(tb_call("bridge.api.element", c(1, 2), 5L), error = function(e) e)
  expect_s3_class(err, "tensorbridge_python_IndexError")
  expect_identical(conditionMessage(err), paste0(
    "internal error of tensorbridge in bridge.api.element (IndexError: index 5 is out of ",
    "bounds for axis 0 with size 2); tb_last_error() shows the Python traceback"))
  expect_match(tb_last_error()$traceback, "IndexError")
  # deliberate errors keep the contract's "<Type>: <message>"
  expect_error(tb_call("bridge.diagnostics.fail", "plain"), "^ValueError: plain$",
               class = "tensorbridge_python_ValueError")
})
