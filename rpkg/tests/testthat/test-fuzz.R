# Random R objects (nested lists, attributes, S4 objects, environments,
# complex, raw, long strings, NA of every type, 0-length dims, factors, data
# frames, functions, external pointers, fake and stale handles) through
# as_tensor() and tb_call(), in a separate R process (see fuzz-child.R): R
# must not crash, every rejection must be an R error of class
# tensorbridge_error in R's words, and every accepted array must come back
# with its values. TENSORBRIDGE_TEST_FULL=1 runs ten times as many cases.

test_that("random R objects: no crash, every rejection a clean tensorbridge_error", {
  skip_if_no_python()
  full <- identical(Sys.getenv("TENSORBRIDGE_TEST_FULL"), "1")
  n <- if (full) 3000L else 300L
  out <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"),
                                  c(test_path("fuzz-child.R"), n, 20240611L),
                                  stdout = TRUE, stderr = TRUE))
  expect_identical(tail(out, 1), sprintf("fuzz done: %d cases", n))
  rejections <- grep("^REJECT ", out, value = TRUE)
  fields <- regmatches(rejections, regexec("^REJECT (\\S+) (\\d+) (\\S+) (.*)$", rejections))
  classes <- vapply(fields, `[[`, "", 4)
  messages <- vapply(fields, `[[`, "", 5)
  expect_identical(unique(classes), "tensorbridge_error")
  expect_false(any(grepl("SXP|np\\.|Traceback|numpy\\.|rpy2", messages)),
               info = paste(grep("SXP|np\\.|Traceback|numpy\\.|rpy2", messages, value = TRUE),
                            collapse = "\n"))
  expect_false(any(grepl("internal error", messages)),
               info = paste(grep("internal error", messages, value = TRUE), collapse = "\n"))
  expect_identical(grep("^MISMATCH", out, value = TRUE), character(0))
  # both outcomes were exercised, through both entry points
  accepted <- as.integer(sub("accepted: ", "", grep("^accepted: ", out, value = TRUE)))
  expect_gt(accepted, n %/% 20L)
  expect_true(all(c("as_tensor", "tb_call") %in% vapply(fields, `[[`, "", 2)))
})
