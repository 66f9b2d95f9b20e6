# tfdatasets' nested, stateful and multi-dataset verbs, each against the same
# computation in base R.

vals <- function(ds) iterate(as_array_iterator(ds))

test_that("flat_map, interleave and window give base R's sequences", {
  skip_if_no_python()
  ds <- range_dataset(1, 4) %>%
    dataset_flat_map(function(x) tensors_dataset(x) %>% dataset_repeat(as.integer(x)))
  expect_equal(vals(ds), rep(1:3, 1:3))
  # two files read in turns of one line: lines alternate
  dir <- tempfile()
  dir.create(dir)
  writeLines(paste0("a", 1:3), file.path(dir, "a.txt"))
  writeLines(paste0("b", 1:2), file.path(dir, "b.txt"))
  lines <- file_list_dataset(file.path(dir, "*.txt"), shuffle = FALSE) %>%
    dataset_interleave(function(f) text_line_dataset(f), cycle_length = 2)
  expect_equal(vals(lines), c("a1", "b1", "a2", "b2", "a3"))
  # windows of 3, shifted by 2: embed()-like slices of 0:6
  w <- range_dataset(to = 7) %>% dataset_window(3, shift = 2) %>%
    dataset_flat_map(function(w) dataset_batch(w, 3))
  got <- iterate(as_array_iterator(w), simplify = FALSE)
  expect_equal(got, list(0:2, 2:4, 4:6, 6L), ignore_attr = TRUE)
  sliding <- range_dataset(to = 6) %>% dataset_window(3, shift = 1, drop_remainder = TRUE) %>%
    dataset_flat_map(function(w) dataset_batch(w, 3))
  expect_equal(do.call(rbind, iterate(as_array_iterator(sliding), simplify = FALSE)),
               embed(0:5, 3)[, 3:1], ignore_attr = TRUE)
})

test_that("scan and reduce are cumsum() and Reduce()", {
  skip_if_no_python()
  x <- c(3L, 1L, 4L, 1L, 5L, 9L)
  ds <- tensor_slices_dataset(x)
  expect_equal(dataset_reduce(ds, 0L, function(s, v) s + v), sum(x), ignore_attr = TRUE)
  expect_equal(dataset_reduce(ds, 1L, function(s, v) s * v), prod(x), ignore_attr = TRUE)
  scanned <- ds %>% dataset_scan(0L, function(s, v) list(s + v, s + v))
  expect_equal(vals(scanned), cumsum(x))
  running_max <- ds %>% dataset_scan(0L, function(s, v) {
    m <- tf$maximum(s, v)
    list(m, m)
  })
  expect_equal(vals(running_max), cummax(x))
})

test_that("unique, take_while, rebatch and shuffle_and_repeat", {
  skip_if_no_python()
  x <- c(0L, 37L, 2L, 37L, 2L, 1L)
  expect_equal(vals(tensor_slices_dataset(x) %>% dataset_unique()), unique(x))
  expect_equal(vals(tensor_slices_dataset(c("b", "a", "b")) %>% dataset_unique()),
               c("b", "a"))
  expect_equal(vals(range_dataset(to = 10) %>% dataset_take_while(function(v) v < 4)), 0:3)
  re <- range_dataset(to = 10) %>% dataset_batch(3) %>% dataset_rebatch(4)
  expect_equal(iterate(as_array_iterator(re), simplify = FALSE),
               split(0:9, rep(1:3, c(4, 4, 2))), ignore_attr = TRUE)
  sr <- vals(range_dataset(to = 5) %>% dataset_shuffle_and_repeat(5, count = 2, seed = 1))
  expect_equal(sort(sr), sort(rep(0:4, 2)))
})

test_that("sample_from_datasets and choose_from_datasets", {
  skip_if_no_python()
  a <- tensors_dataset(0L) %>% dataset_repeat()
  b <- tensors_dataset(1L) %>% dataset_repeat()
  draws <- vals(sample_from_datasets(list(a, b), weights = c(0.25, 0.75), seed = 3) %>%
                  dataset_take(2000))
  # within 4 standard errors of the weight
  expect_lt(abs(mean(draws) - 0.75), 4 * sqrt(0.75 * 0.25 / 2000))
  expect_equal(draws[1:20], vals(sample_from_datasets(list(a, b), c(0.25, 0.75), seed = 3) %>%
                                   dataset_take(20)))
  words <- lapply(c("foo", "bar", "baz"), function(w) tensors_dataset(w) %>% dataset_repeat())
  chosen <- choose_from_datasets(words, tensor_slices_dataset(c(0L, 2L, 1L, 2L)))
  expect_equal(vals(chosen), c("foo", "baz", "bar", "baz"))
  expect_bad_inputs(list(
    bad(sample_from_datasets(list(a, 1)),
        "sample_from_datasets(): `datasets` must be a non-empty list of datasets, not a list of length 2."),
    bad(sample_from_datasets(list(a, b), weights = c(1, -1)),
        "sample_from_datasets(): `weights` must be 2 non-negative numbers, one per dataset, not all 0, not c(1, -1)."),
    bad(file_list_dataset(file.path(tempdir(), "*.none")), "no files match", fixed = TRUE),
    bad(dataset_window(range_dataset(to = 3), 0),
        "dataset_window(): `size` must be one positive whole number, not 0.")
  ), env = environment())
})

test_that("iterate(), iterator_get_next() and until_out_of_range()", {
  skip_if_no_python()
  expect_equal(iterate(as_array_iterator(range_dataset(to = 4))), 0:3)
  expect_equal(iterate(as_array_iterator(range_dataset(to = 3)), function(v) v * 10), c(0, 10, 20))
  pairs <- iterate(as_array_iterator(tensor_slices_dataset(list(1:2, 3:4))))
  expect_length(pairs, 2)
  it <- as_array_iterator(range_dataset(to = 5))
  total <- 0
  until_out_of_range({
    total <- total + iterator_get_next(it)
  })
  expect_equal(total, sum(0:4))
  it <- as_array_iterator(range_dataset(to = 5))
  seen <- 0
  until_out_of_range({
    v <- iterator_get_next(it)
    if (v == 2) break
    seen <- seen + 1
  })
  expect_equal(seen, 2)
  expect_error(iterator_get_next(it <- as_array_iterator(range_dataset(to = 0))),
               class = "tensorbridge_out_of_range")
  expect_equal(vals(random_integer_dataset(seed = 5) %>% dataset_take(3)),
               vals(random_integer_dataset(seed = 5) %>% dataset_take(3)))
})

test_that("group_by_window and bucket_by_sequence_length group as split() does", {
  skip_if_no_python()
  g <- range_dataset(to = 10) %>%
    dataset_group_by_window(function(x) x %% 2L, function(key, w) dataset_batch(w, 3),
                            window_size = 3)
  got <- iterate(as_array_iterator(g), simplify = FALSE)
  expect_equal(got, list(c(0, 2, 4), c(1, 3, 5), c(6, 8), c(7, 9)), ignore_attr = TRUE)
  # sequences padded with 0 to the longest of each batch, batched per length bucket
  lengths <- c(4L, 1L, 6L, 2L, 3L, 7L, 5L)
  rows <- t(vapply(lengths, function(n) c(seq_len(n), rep(0L, 7 - n)), integer(7)))
  ds <- tensor_slices_dataset(list(rows, lengths)) %>%
    dataset_bucket_by_sequence_length(function(row, n) n, bucket_boundaries = c(3, 5),
                                      bucket_batch_sizes = c(2, 2, 3), no_padding = TRUE)
  batches <- iterate(as_array_iterator(ds), function(b) as.integer(b[[2]]), simplify = FALSE)
  # by hand: each length joins its bucket (findInterval()), a full bucket is a batch,
  # the partly filled ones follow at the end
  sizes <- c(2, 2, 3)
  open <- list(integer(), integer(), integer())
  want <- list()
  for (n in lengths) {
    k <- findInterval(n, c(3, 5)) + 1
    open[[k]] <- c(open[[k]], n)
    if (length(open[[k]]) == sizes[k]) {
      want[[length(want) + 1]] <- open[[k]]
      open[[k]] <- integer()
    }
  }
  want <- c(want, Filter(length, open))
  expect_equal(batches, want)
  expect_error(dataset_group_by_window(g, function(x) x, function(k, w) w),
               "exactly one of them", fixed = TRUE)
})
