# tfdatasets-style pipelines, each op against the same computation in base R.

arrays <- function(ds) {
  it <- as_array_iterator(ds)
  out <- list()
  while (!is.null(e <- iter_next(it))) out[[length(out) + 1]] <- e
  out
}
nums <- function(ds) vapply(arrays(ds), function(e) as.numeric(e), numeric(1))

test_that("tensor_slices_dataset() slices rows; named lists give named elements", {
  skip_if_no_python()
  X <- matrix(rnorm(12), 4, 3)
  y <- c(2, 4, 6, 8)
  el <- arrays(tensor_slices_dataset(list(x = X, y = y)))
  expect_length(el, 4)
  for (i in 1:4) {
    expect_equal(names(el[[i]]), c("x", "y"))
    expect_equal(as.numeric(el[[i]]$x), X[i, ])
    expect_equal(el[[i]]$y, y[i])
  }
  un <- arrays(tensor_slices_dataset(list(X, y)))
  expect_null(names(un[[1]]))
  expect_equal(as.numeric(un[[3]][[1]]), X[3, ])
  df <- data.frame(a = 1:3, b = c("u", "v", "w"), f = factor(c("lo", "hi", "lo")))
  rec <- arrays(tensor_slices_dataset(df))
  expect_equal(vapply(rec, function(r) r$b, ""), df$b)
  expect_equal(vapply(rec, function(r) r$f, ""), as.character(df$f))
  expect_equal(vapply(rec, function(r) as.integer(r$a), 1L), df$a)
  # as_iterator() gives tensors, as tfdatasets
  first <- iter_next(as_iterator(tensor_slices_dataset(X)))
  expect_true(inherits(first, "tensorbridge.engine.tensor.Tensor"))
  expect_equal(as.numeric(as.array(first)), X[1, ])
  one <- arrays(tensors_dataset(list(X, y)))
  expect_length(one, 1)
  expect_equal(one[[1]][[1]], X)
  expect_equal(nums(range_dataset(3, 20, by = 4)), seq(3, 19, by = 4))
})

test_that("dataset_batch() sizes and remainders match splitting the rows", {
  skip_if_no_python()
  X <- matrix(as.numeric(1:30), 10, 3)
  for (drop in c(FALSE, TRUE)) {
    got <- arrays(tensor_slices_dataset(X) %>% dataset_batch(4, drop_remainder = drop))
    starts <- seq(1, 10, by = 4)
    if (drop) starts <- starts[starts + 3 <= 10]
    expect_length(got, length(starts))
    for (k in seq_along(starts)) {
      rows <- starts[k]:min(starts[k] + 3, 10)
      expect_equal(matrix(got[[k]], ncol = 3), X[rows, , drop = FALSE])
    }
  }
  expect_equal(length(tensor_slices_dataset(X) %>% dataset_batch(4)), 3)
  back <- arrays(tensor_slices_dataset(X) %>% dataset_batch(3) %>% dataset_unbatch())
  expect_equal(do.call(rbind, lapply(back, as.numeric)), X)
})

test_that("dataset_padded_batch() pads like filling a matrix by hand", {
  skip_if_no_python()
  seqs <- list(1:3, 7L, 4:5)
  ds <- tensor_slices_dataset(matrix(0, 3, 1)) %>% dataset_enumerate() %>%
    dataset_map(function(i, x) tf$range(1L, tf$cast(i, "int32") + 2L))
  b <- arrays(ds %>% dataset_padded_batch(3, padded_shapes = 4, padding_values = -1L))[[1]]
  expect <- matrix(-1L, 3, 4)
  for (i in 1:3) expect[i, seq_len(i)] <- seq_len(i)
  expect_equal(b, expect)
  b2 <- arrays(ds %>% dataset_padded_batch(2))
  expect_equal(b2[[1]], rbind(c(1L, 0L), c(1L, 2L)))
})

test_that("shuffle with a seed is a permutation; take/skip/repeat/shard slice like R", {
  skip_if_no_python()
  n <- 30
  base <- 0:(n - 1)
  ds <- range_dataset(to = n)
  p <- nums(ds %>% dataset_shuffle(n, seed = 7))
  expect_equal(sort(p), base)
  expect_false(identical(p, as.numeric(base)))
  expect_equal(nums(ds %>% dataset_shuffle(n, seed = 7)), p)
  small <- nums(ds %>% dataset_shuffle(4, seed = 1))
  expect_equal(sort(small), base)
  expect_true(all(small <= seq_along(small) - 1 + 3))
  fixed <- ds %>% dataset_shuffle(n, seed = 2, reshuffle_each_iteration = FALSE)
  expect_equal(nums(fixed), nums(fixed))
  expect_equal(nums(ds %>% dataset_take(5)), head(base, 5))
  expect_equal(nums(ds %>% dataset_skip(25)), tail(base, 5))
  expect_equal(nums(ds %>% dataset_take(4) %>% dataset_repeat(3)), rep(0:3, 3))
  expect_equal(nums(ds %>% dataset_repeat() %>% dataset_take(65)), rep(base, 3)[1:65])
  expect_equal(nums(ds %>% dataset_shard(4, 1)), base[seq(2, n, by = 4)])
  expect_equal(length(ds %>% dataset_repeat()), Inf)
  X <- matrix(rnorm(20), 10, 2)
  b <- arrays(tensor_slices_dataset(list(X, 1:10)) %>% dataset_shuffle(10, seed = 3) %>%
                dataset_batch(3))
  idx <- unlist(lapply(b, `[[`, 2))
  expect_equal(sort(idx), 1:10)
  expect_equal(do.call(rbind, lapply(b, function(e) matrix(e[[1]], ncol = 2))), X[idx, ])
})

test_that("dataset_map() and dataset_filter() with R functions match base R", {
  skip_if_no_python()
  X <- matrix(rnorm(15), 5, 3)
  y <- c(1, 2, 3, 4, 5)
  m <- arrays(tensor_slices_dataset(list(X, y)) %>% dataset_map(function(x, y) x * y))
  expect_equal(do.call(rbind, lapply(m, as.numeric)), X * y)
  r <- arrays(tensor_slices_dataset(list(x = X, y = y)) %>%
                dataset_map(function(record) list(s = tf$reduce_sum(record$x), y = record$y)))
  expect_equal(vapply(r, function(e) as.numeric(e$s), 1), rowSums(X), tolerance = 1e-12)
  f <- nums(range_dataset(to = 20) %>% dataset_filter(function(x) x %% 3 == 0))
  expect_equal(f, Filter(function(v) v %% 3 == 0, 0:19))
  expect_equal(nums(range_dataset(to = 4) %>% dataset_map(~ .x * 10L)), c(0, 10, 20, 30))
  mb <- arrays(tensor_slices_dataset(y) %>% dataset_map_and_batch(function(v) v + 1, 2))
  expect_equal(mb[[1]], y[1:2] + 1)
})

test_that("an R error in a map function comes back as that error, naming dataset_map()", {
  skip_if_no_python()
  cond <- structure(class = c("my_error", "error", "condition"),
                    list(message = "bad element", call = NULL))
  ds <- range_dataset(to = 3) %>% dataset_map(function(x) if (as.numeric(x) == 1) stop(cond) else x)
  err <- tryCatch(dataset_collect(ds), error = identity)
  expect_s3_class(err, "my_error")
  expect_equal(conditionMessage(err), "dataset_map(): error in `map_func`: bad element")
  # the session goes on
  expect_equal(nums(range_dataset(to = 2)), c(0, 1))
})

test_that("an R map function stays in R's thread under prefetch", {
  skip_if_no_python()
  calls <- 0
  ds <- range_dataset(to = 50) %>%
    dataset_map(function(x) { calls <<- calls + 1; x * 2L }) %>%
    dataset_batch(10) %>% dataset_prefetch(3)
  got <- arrays(ds)
  expect_equal(unlist(got), seq(0, 98, by = 2))
  expect_equal(calls, 50)
  expect_false(tb_getattr(ds, "threaded"))
  expect_true(tb_getattr(range_dataset(to = 3) %>% dataset_prefetch(2), "threaded"))
})

test_that("zip, concatenate and enumerate match base R", {
  skip_if_no_python()
  a <- range_dataset(to = 5)
  b <- range_dataset(10, 13)
  z <- arrays(zip_datasets(a, b))
  expect_equal(t(vapply(z, unlist, numeric(2))), cbind(0:2, 10:12), ignore_attr = TRUE)
  zn <- arrays(dataset_zip(list(p = a, q = b)))
  expect_equal(names(zn[[1]]), c("p", "q"))
  expect_equal(nums(dataset_concatenate(a, b)), c(0:4, 10:12))
  e <- arrays(b %>% dataset_enumerate(start = 5))
  expect_equal(vapply(e, function(x) as.numeric(x[[1]]), 1), 5:7)
  expect_equal(vapply(e, function(x) as.numeric(x[[2]]), 1), 10:12)
  expect_equal(dataset_collect(a, iter_max = 2) %>% vapply(as.array, 1), c(0, 1))
})

test_that("dataset_cache() to a file is reused by a later dataset", {
  skip_if_no_python()
  prefix <- tempfile("cache")
  X <- matrix(rnorm(8), 4, 2)
  first <- arrays(tensor_slices_dataset(X) %>% dataset_map(function(x) x * 2) %>%
                    dataset_cache(prefix))
  expect_true(file.exists(paste0(prefix, ".index")))
  again <- arrays(tensor_slices_dataset(matrix(0, 2, 2)) %>% dataset_cache(prefix))
  expect_equal(do.call(rbind, lapply(again, as.numeric)), X * 2)
  expect_equal(do.call(rbind, lapply(first, as.numeric)), X * 2)
  n <- 0
  mem <- range_dataset(to = 3) %>% dataset_map(function(x) { n <<- n + 1; x }) %>% dataset_cache()
  expect_equal(nums(mem), nums(mem))
  expect_equal(n, 3)
})

test_that("text_line_dataset() gives readLines(); make_csv_dataset() gives read.csv()", {
  skip_if_no_python()
  f <- tempfile(fileext = ".txt")
  writeLines(c("alpha", "", "gamma delta", "\u00e9t\u00e9"), f, useBytes = FALSE)
  expect_equal(vapply(arrays(text_line_dataset(f)), identity, ""), readLines(f, encoding = "UTF-8"))
  csvf <- tempfile(fileext = ".csv")
  df <- data.frame(id = 1:7, score = (1:7) / 4, name = letters[1:7], label = c(0, 1, 1, 0, 1, 0, 1))
  write.csv(df, csvf, row.names = FALSE)
  ref <- read.csv(csvf)
  ds <- make_csv_dataset(csvf, batch_size = 3, label_name = "label", num_epochs = 1,
                         shuffle = FALSE)
  b <- arrays(ds)
  expect_equal(vapply(b, function(e) length(e[[2]]), 1L), c(3L, 3L, 1L))
  feats <- lapply(c(id = "id", score = "score", name = "name"),
                  function(k) unlist(lapply(b, function(e) e[[1]][[k]])))
  expect_equal(feats$id, ref$id)
  expect_equal(feats$score, ref$score, tolerance = 1e-6)
  expect_equal(feats$name, ref$name)
  expect_equal(unlist(lapply(b, `[[`, 2)), ref$label)
  sel <- arrays(make_csv_dataset(csvf, batch_size = 7, select_columns = c("name", "id"),
                                 num_epochs = 1, shuffle = TRUE, shuffle_seed = 1))[[1]]
  expect_equal(names(sel), c("id", "name"))
  expect_equal(sel$name[order(sel$id)], ref$name)
})

test_that("parquet_dataset() gives back the data frame written", {
  skip_if_no_python()
  f <- tempfile(fileext = ".parquet")
  df <- data.frame(x = rnorm(25), k = 1:25, s = paste0("r", 1:25))
  tb_call("engine.data.write_parquet", df, f, row_group_size = 7L)
  b <- arrays(parquet_dataset(f, columns = c("x", "s"), batch_size = 10))
  expect_equal(vapply(b, function(e) length(e$x), 1L), c(10L, 10L, 5L))
  expect_equal(unlist(lapply(b, `[[`, "x")), df$x)
  expect_equal(unlist(lapply(b, `[[`, "s")), df$s)
})

test_that("tf$data reaches the same datasets", {
  skip_if_no_python()
  ds <- tf$data$Dataset$range(4L)$batch(3L)
  expect_equal(length(ds), 2)
  expect_equal(arrays(ds)[[1]], c(0, 1, 2))
  expect_equal(tf$data$AUTOTUNE, -1L)
})

test_that("bad input to the dataset functions names the argument", {
  skip_if_no_python()
  env <- new.env()
  env$ds <- range_dataset(to = 3)
  expect_bad_inputs(env = env, list(
    bad(dataset_batch(ds, 0), "dataset_batch(): `batch_size` must be one positive whole number, not 0."),
    bad(dataset_batch(1:3, 2), "dataset_batch(): `dataset` must be a dataset, not 1:3."),
    bad(dataset_map(ds, 3), "dataset_map(): `map_func` must be a function or a one-sided formula, not 3."),
    bad(dataset_shuffle(ds, 10, seed = -1),
        "dataset_shuffle(): `seed` must be one non-negative whole number (or NULL), not -1."),
    bad(dataset_take(ds, 1.5),
        "dataset_take(): `count` must be one non-negative whole number, not 1.5."),
    bad(dataset_shard(ds, 2, 2),
        "dataset_shard(): `index` must be one whole number >= 0 and <= 1, not 2."),
    bad(dataset_prefetch(ds, -3),
        "dataset_prefetch(): `buffer_size` must be one non-negative whole number, not -3."),
    bad(tensor_slices_dataset(list(a = 1:3, 4:6)),
        "tensor_slices_dataset(): `tensors` must be a list whose elements are all named, or none, not a list of length 2."),
    bad(tensor_slices_dataset(list(x = c(TRUE, NA))),
        "tensor_slices_dataset(): `tensors[[1]]` must be logical values without NA, not c(TRUE, NA)."),
    bad(dataset_zip(list(ds, 1)), "dataset_zip(): `datasets` must be a non-empty list of datasets, not a list of length 2."),
    bad(dataset_collect(ds, iter_max = -1),
        "dataset_collect(): `iter_max` must be one whole number >= 0 or Inf, not -1."),
    bad(text_line_dataset("no/such/file.txt"), "text_line_dataset(): the file no/such/file.txt does not exist."),
    bad(make_csv_dataset("no/such/*.csv", 2), "make_csv_dataset(): no files match no/such/*.csv."),
    bad(make_csv_dataset(tempfile(), 2, ignore_errors = NA),
        "make_csv_dataset(): `ignore_errors` must be TRUE or FALSE, not NA."),
    bad(parquet_dataset("nope.parquet"), "parquet_dataset(): the file nope.parquet does not exist."),
    bad(range_dataset(0, 5, by = 0), "range_dataset(): `by` must be a non-zero whole number, not 0."),
    bad(dataset_collect(range_dataset(to = 2) %>% dataset_repeat()),
        "dataset_collect(): the dataset is infinite; give `iter_max`.")
  ))
})

test_that("a dataset carries TensorFlow's class name, as tfdatasets code checks", {
  skip_if_no_python()
  expect_s3_class(range_dataset(to = 3), "tensorflow.python.data.ops.dataset_ops.DatasetV2")
})

test_that("string elements come back as R strings that print (a 0-d array has no dim in R)", {
  skip_if_no_python()
  f <- tempfile()
  writeLines(c("one", "two"), f)
  r <- text_line_dataset(f) %>% dataset_collect()
  expect_identical(vapply(r, function(v) as.character(as.array(v)), ""), c("one", "two"))
  expect_true(all(vapply(r, function(v) is.null(dim(v)), TRUE)))
  expect_output(print(r), "two")
})
