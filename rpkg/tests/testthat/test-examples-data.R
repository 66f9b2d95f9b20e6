# The data-input examples (image folders, text folders, time series windows)
# run small in a fresh R; each saves what it computed, checked here against
# base R. Skipped where the examples/ folder of a checkout is not reachable
# (R CMD check of the built package).

example_path <- function(name) {
  dirs <- c(Sys.getenv("TENSORBRIDGE_EXAMPLES"), file.path("..", "..", "..", "examples"))
  dirs <- dirs[nzchar(dirs) & dir.exists(dirs)]
  if (!length(dirs)) return(NULL)
  path <- file.path(dirs[[1]], name)
  if (file.exists(path)) normalizePath(path) else NULL
}

run_example <- function(name, env) {
  path <- example_path(name)
  skip_if(is.null(path), "the examples/ folder of a checkout is not reachable")
  out <- tempfile(fileext = ".rds")
  vars <- c(paste0(names(env), "=", env), paste0("OUTPUT=", out),
            paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep)),
            paste0("TENSORBRIDGE_PYTHON=", Sys.getenv("TENSORBRIDGE_PYTHON")))
  log <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), shQuote(path),
                                  stdout = TRUE, stderr = TRUE, env = vars))
  status <- attr(log, "status") %||% 0L
  if (status != 0L) fail(paste(c(paste(name, "failed:"), tail(log, 20)), collapse = "\n"))
  list(log = log, result = readRDS(out))
}

test_that("image_folder.R: folders decode to one label per written file; accuracy as reported", {
  skip_if_no_python()
  run <- run_example("image_folder.R", c(EPOCHS = "1", PER_CLASS = "20"))
  r <- run$result
  expect_identical(r$class_names, sort(r$class_names))  # labels: folder names, alphabetical
  expect_equal(as.vector(table(factor(r$labels, levels = 0:9))), rep(4, 10))
  expect_equal(mean(max.col(r$probs) - 1 == r$labels), r$accuracy, tolerance = 1e-6)
  expect_equal(rowSums(r$probs), rep(1, 40), tolerance = 1e-5)
})

test_that("text_folder.R: every page written is read once; accuracy recomputed from its predictions", {
  skip_if_no_python()
  run <- run_example("text_folder.R", c(EPOCHS = "2", MAX_PAGES = "25"))
  r <- run$result
  expect_true(all(r$labels %in% 0:2))
  expect_equal(mean(max.col(r$probs) - 1 == r$labels), r$accuracy, tolerance = 1e-6)
  expect_equal(r$majority, max(table(r$labels)) / length(r$labels))
  counts <- regmatches(run$log, regexpr("^[0-9]+ training and [0-9]+ validation", run$log))
  n <- as.integer(strsplit(counts, "[^0-9]+")[[1]][1:2])
  expect_equal(sum(n), 75)              # 25 pages from each of 3 packages
  expect_equal(n[2], length(r$labels))
})

test_that("timeseries_windows.R: each window's target is the month after its last month", {
  skip_if_no_python()
  run <- run_example("timeseries_windows.R", c(EPOCHS = "2"))
  r <- run$result
  s <- as.numeric(datasets::sunspot.month)
  pairs <- paste(round(s[-length(s)], 1), round(s[-1], 1))
  # (the example scaled the series and back: round to its one decimal)
  expect_true(all(paste(round(r$naive, 1), round(r$target, 1)) %in% pairs))
  expect_true(all(is.finite(r$forecast)))
  expect_length(r$forecast, length(r$target))
  expect_match(paste(run$log, collapse = "\n"), "validation MAE")
})
