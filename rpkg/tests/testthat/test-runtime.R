test_that("a Python exception arrives as a tensorbridge_error with type and message", {
  skip_if_no_python()
  err <- tryCatch(tb_call("bridge.diagnostics.fail", "bad value 42"), error = function(e) e)
  expect_s3_class(err, "tensorbridge_error")
  expect_s3_class(err, "tensorbridge_python_ValueError")
  expect_identical(conditionMessage(err), "ValueError: bad value 42")
  expect_match(err$traceback, "in fail")
  last <- tb_last_error()
  expect_identical(last$type, "ValueError")
  expect_identical(tb_call("bridge.diagnostics.identity", 3), 3)  # next call works
})

test_that("an R error inside an R callback comes back as that R error", {
  skip_if_no_python()
  custom <- function(...) stop(structure(class = c("my_error", "error", "condition"),
                                         list(message = "from the callback", call = NULL)))
  err <- tryCatch(tb_call("bridge.diagnostics.call_r", custom, 1), error = function(e) e)
  expect_s3_class(err, "my_error")
  expect_identical(conditionMessage(err), "from the callback")
  expect_identical(tb_call("bridge.diagnostics.call_r", function(x) x + 1, 1), 2)
})

test_that("what Python prints reaches R's console and capture.output()", {
  skip_if_no_python()
  out <- capture.output(tb_call("bridge.diagnostics.say", "h\u00e9llo from Python"))
  expect_identical(out, "h\u00e9llo from Python")
})

test_that("Python warnings become R warnings", {
  skip_if_no_python()
  expect_warning(tb_call("bridge.diagnostics.warn", "careful"), "UserWarning: careful")
})

test_that("handles dropped in R release their Python objects after gc()", {
  skip_if_no_python()
  invisible(gc())
  before <- tb_call("bridge.diagnostics.live_handles")
  t <- as_tensor(c(1, 2, 3))
  key <- tb_call("bridge.diagnostics.watch", t)
  expect_identical(tb_call("bridge.diagnostics.live_handles"), before + 1L)
  expect_true(tb_call("bridge.diagnostics.alive", key))
  rm(t)
  invisible(gc())
  expect_false(tb_call("bridge.diagnostics.alive", key))  # a weakref in Python
  expect_identical(tb_call("bridge.diagnostics.live_handles"), before)
})

test_that("print() and format() describe a tensor", {
  skip_if_no_python()
  t <- as_tensor(matrix(c(1, 2, 3, 4), 2), dtype = "float32")
  expect_match(format(t), "shape=\\(2, 2\\)")
  expect_match(format(t), "float32")
  expect_output(print(t), "float32")
})

test_that("loading the package does not start Python", {
  script <- tempfile(fileext = ".R")
  writeLines(c(
    "library(tensorbridge)",
    "cat(reticulate::py_available(initialize = FALSE))"
  ), script)
  out <- system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE)
  expect_identical(tail(out, 1), "FALSE")
})

test_that("with no Python to be found, the error says to run install_tensorbridge()", {
  script <- tempfile(fileext = ".R")
  writeLines(c(
    "library(tensorbridge)",
    "r <- tryCatch(tb_config(), error = function(e) e)",
    "cat(class(r)[1], conditionMessage(r))"
  ), script)
  env <- c("TENSORBRIDGE_PYTHON=", paste0("WORKON_HOME=", tempfile()))
  out <- system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE, env = env)
  expect_match(paste(out, collapse = " "), "tensorbridge_no_python")
  expect_match(paste(out, collapse = " "), "install_tensorbridge\\(\\)")
})
