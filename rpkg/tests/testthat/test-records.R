# Delimited files read through record specifications, dataset_prepare() and
# make_csv_dataset(ignore_errors = TRUE), against base R's read.csv() and
# matrix indexing.

records <- function(ds) {
  it <- as_array_iterator(ds)
  out <- list()
  while (!is.null(e <- iter_next(it))) out[[length(out) + 1]] <- e
  out
}

frame <- data.frame(a = c(3L, 1L, 4L, 1L, 5L), b = c(2.5, -1, 0.125, 7, 3),
                    s = c("x", "y, z", "", "w", "v"), stringsAsFactors = FALSE)

test_that("csv_record_spec() reads names and types as read.csv() does", {
  skip_if_no_python()
  f <- tempfile(fileext = ".csv")
  write.csv(frame, f, row.names = FALSE)
  spec <- csv_record_spec(f)
  expect_s3_class(spec, "tf_dataset_record_spec")
  expect_equal(spec$names, names(frame))
  ref <- read.csv(f, stringsAsFactors = FALSE)
  expect_equal(spec$types, unname(vapply(ref, typeof, "")))
  expect_equal(spec$skip, 1L)
  expect_output(print(spec), "3 columns, delimiter ','")
  # given types (initials) and names: the header line must then be skipped explicitly
  spec2 <- csv_record_spec(f, names = c("A", "B", "S"), types = "idc", skip = 1)
  expect_equal(spec2$types, c("integer", "double", "character"))
  expect_equal(spec2$names, c("A", "B", "S"))
  expect_equal(spec2$skip, 1L)
  expect_equal(spec2$defaults, list(list(0L), list(0), list("")))
})

test_that("text_line_dataset(record_spec =) gives read.csv()'s rows, file by file", {
  skip_if_no_python()
  f1 <- tempfile(fileext = ".csv")
  f2 <- tempfile(fileext = ".csv")
  write.csv(frame[1:3, ], f1, row.names = FALSE)
  write.csv(frame[4:5, ], f2, row.names = FALSE)
  spec <- csv_record_spec(f1)
  rec <- records(text_line_dataset(c(f1, f2), record_spec = spec))
  ref <- rbind(read.csv(f1, stringsAsFactors = FALSE), read.csv(f2, stringsAsFactors = FALSE))
  expect_length(rec, nrow(ref))
  expect_equal(names(rec[[1]]), names(frame))
  expect_identical(vapply(rec, function(r) as.integer(r$a), 1L), ref$a)
  expect_equal(vapply(rec, function(r) as.numeric(r$b), 1), ref$b, tolerance = 1e-7)
  expect_identical(vapply(rec, function(r) r$s, ""), ref$s)
  expect_equal(column_names(text_line_dataset(f1, record_spec = spec)), names(frame))

  # a tab-separated file, and dataset_decode_delim() on a dataset of lines
  tsv <- tempfile(fileext = ".tsv")
  write.table(frame[, 1:2], tsv, sep = "\t", row.names = FALSE, quote = FALSE)
  tspec <- tsv_record_spec(tsv)
  rec <- records(text_line_dataset(tsv) %>% dataset_decode_delim(tspec))
  expect_equal(t(vapply(rec, function(r) c(r$a, r$b), c(0, 0))),
               unname(as.matrix(frame[, 1:2])), tolerance = 1e-7)
  # an R filter on the named fields
  kept <- records(text_line_dataset(f1, record_spec = spec) %>%
                    dataset_filter(function(r) r$b >= 0))
  expect_equal(vapply(kept, function(r) as.integer(r$a), 1L), frame$a[1:3][frame$b[1:3] >= 0])
})

test_that("dataset_prepare() selects as tidyselect does and stacks the features", {
  skip_if_no_python()
  f <- tempfile(fileext = ".csv")
  write.csv(mtcars, f, row.names = FALSE)
  cars <- text_line_dataset(f, record_spec = csv_record_spec(f))
  whole <- function(ds) {
    b <- records(ds)
    list(x = do.call(rbind, lapply(b, `[[`, "x")), y = unlist(lapply(b, `[[`, "y")))
  }
  m <- as.matrix(mtcars)
  got <- whole(cars %>% dataset_prepare(x = c(disp, hp), y = mpg, batch_size = 10))
  expect_equal(got$x, unname(m[, c("disp", "hp")]), tolerance = 1e-6)
  expect_equal(got$y, mtcars$mpg, tolerance = 1e-6)
  got <- whole(cars %>% dataset_prepare(mpg ~ disp + hp, batch_size = 7))
  expect_equal(got$x, unname(m[, c("disp", "hp")]), tolerance = 1e-6)
  got <- whole(cars %>% dataset_prepare(x = -mpg, y = mpg, batch_size = 32))
  expect_equal(got$x, unname(m[, setdiff(colnames(m), "mpg")]), tolerance = 1e-6)
  got <- whole(cars %>% dataset_prepare(mpg ~ ., batch_size = 32))
  expect_equal(got$x, unname(m[, setdiff(colnames(m), "mpg")]), tolerance = 1e-6)
  got <- whole(cars %>% dataset_prepare(x = cyl:hp, y = "am", batch_size = 32))
  expect_equal(got$x, unname(m[, c("cyl", "disp", "hp")]), tolerance = 1e-6)
  expect_equal(got$y, mtcars$am)
  one <- records(cars %>% dataset_prepare(x = c("wt", "qsec"), named = FALSE))[[1]]
  expect_null(names(one))
  expect_equal(one[[1]], unname(m[1, c("wt", "qsec")]), tolerance = 1e-6)
  feats <- records(cars %>% dataset_prepare(x = c(wt, qsec), y = mpg,
                                            named_features = TRUE))[[2]]
  expect_equal(names(feats$x), c("wt", "qsec"))
  expect_equal(feats$x$qsec, mtcars$qsec[2], tolerance = 1e-6)
})

test_that("fit() on a prepared dataset gives the weights of fit() on the arrays", {
  skip_if_no_python()
  d <- data.frame(u = seq(-1, 1, length.out = 24), v = cos(1:24))
  d$target <- 2 * d$u - d$v + 0.5
  f <- tempfile(fileext = ".csv")
  write.csv(d, f, row.names = FALSE)
  ds <- text_line_dataset(f, record_spec = csv_record_spec(f)) %>%
    dataset_prepare(target ~ u + v, batch_size = 8)
  model <- function() {
    m <- keras_model_sequential(input_shape = 2) %>%
      layer_dense(1, kernel_initializer = "zeros")
    m %>% compile(optimizer = optimizer_sgd(0.1), loss = "mse")
    m
  }
  a <- model()
  a %>% fit(ds, epochs = 3, verbose = 0)
  b <- model()
  b %>% fit(as.matrix(d[, c("u", "v")]), d$target, batch_size = 8, epochs = 3,
            shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(a), get_weights(b), tolerance = 1e-6)
})

test_that("make_csv_dataset(ignore_errors = TRUE) skips the rows read.csv() cannot type", {
  skip_if_no_python()
  f <- tempfile(fileext = ".csv")
  writeLines(c("a,b", "1,2.5", "2,oops", "3", "4,1e3", "5,6,7", "6,-2"), f)
  expect_error(make_csv_dataset(f, 10, num_epochs = 1, shuffle = FALSE) %>% dataset_collect(),
               "ignore_errors = TRUE", fixed = TRUE)
  got <- make_csv_dataset(f, 10, num_epochs = 1, shuffle = FALSE, ignore_errors = TRUE,
                          column_defaults = list(0L, 0)) %>% dataset_collect()
  lines <- strsplit(readLines(f)[-1], ",")
  ok <- vapply(lines, function(l) length(l) == 2 && !is.na(suppressWarnings(as.numeric(l[2]))),
               TRUE)
  expect_equal(as.integer(got[[1]]$a), as.integer(vapply(lines[ok], `[`, "", 1)))
  expect_equal(as.numeric(got[[1]]$b), as.numeric(vapply(lines[ok], `[`, "", 2)),
               tolerance = 1e-6)
})

test_that("bad record specifications and selections are clear errors", {
  skip_if_no_python()
  f <- tempfile(fileext = ".csv")
  write.csv(frame, f, row.names = FALSE)
  cars <- text_line_dataset(f, record_spec = csv_record_spec(f))
  expect_bad_inputs(list(
    bad(csv_record_spec(), "csv_record_spec(): `example_file` must be a file to read the column names and types from (or give `names` and `types`).",
        fixed = TRUE),
    bad(csv_record_spec(file.path(tempdir(), "none.csv")), "does not exist", fixed = TRUE),
    bad(csv_record_spec(f, types = c("integer", "float", "character")),
        "`types` must be \"integer\", \"double\" or \"character\" per column", fixed = TRUE),
    bad(csv_record_spec(f, names = c("a", "b")), "`names` must be one name per column",
        fixed = TRUE),
    bad(text_line_dataset(f, record_spec = list(names = "a")),
        "`record_spec` must be a record specification", fixed = TRUE),
    bad(dataset_prepare(cars, x = c(a, nope), y = b),
        "dataset_prepare(): `x` must be columns of the dataset (a, b, s)", fixed = TRUE),
    bad(dataset_prepare(cars, x = c(a, b), y = c(a, b)),
        "dataset_prepare(): `y` must be one column", fixed = TRUE),
    bad(dataset_prepare(cars, x = c(a, s)), "cannot be stacked", fixed = TRUE),
    bad(dataset_prepare(range_dataset(to = 3), x = a),
        "`dataset` must be a dataset of named columns", fixed = TRUE)
  ), env = environment())
})
