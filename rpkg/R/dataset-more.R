# More of tfdatasets' verbs: nested datasets (flat_map, interleave, window),
# running state (scan, reduce), selections (unique, take_while), several
# datasets at once (sample_from_datasets, choose_from_datasets), file lists,
# random numbers, and iteration helpers (iterate, iterator_get_next,
# until_out_of_range). The engine does the work (engine/data/transforms.py).

#' Datasets made of datasets
#'
#' `dataset_flat_map()` maps each element to a dataset and chains them;
#' `dataset_interleave()` takes `cycle_length` elements at a time, maps each
#' to a dataset and draws `block_length` elements from each in turn
#' (TensorFlow's order). `dataset_window()` groups the elements into windows
#' of `size` elements, each window a dataset (a list of datasets for
#' elements with several components), usually turned back into batches with
#' `dataset_flat_map(function(w) dataset_batch(w, size))`.
#'
#' @inheritParams dataset_map
#' @param map_func An R function (or one-sided formula) returning a dataset.
#' @param cycle_length How many input elements are open at once (`NULL`:
#'   one per core, as TensorFlow's default).
#' @param block_length Elements drawn from each before moving on.
#' @param num_parallel_calls,deterministic,name Not needed; kept for
#'   tfdatasets' signatures.
#' @param size Elements per window.
#' @param shift Elements between the starts of two windows (`NULL`: `size`).
#' @param stride Elements between two elements of a window.
#' @param drop_remainder Drop the last windows if they are shorter than
#'   `size`.
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   range_dataset(1, 4) %>%
#'     dataset_flat_map(function(x) tensors_dataset(x) %>% dataset_repeat(3)) %>%
#'     dataset_collect()
#'   range_dataset(to = 6) %>%
#'     dataset_window(3, shift = 1, drop_remainder = TRUE) %>%
#'     dataset_flat_map(function(w) dataset_batch(w, 3)) %>%
#'     dataset_collect()
#' }
#' @export
dataset_flat_map <- function(dataset, map_func) {
  check_dataset(dataset)
  f <- tb_dataset_function(map_func, "map_func", "dataset_flat_map")
  tb_data_method(dataset, "flat_map", list(f))
}

#' @rdname dataset_flat_map
#' @export
dataset_interleave <- function(dataset, map_func, cycle_length = NULL, block_length = 1,
                               num_parallel_calls = NULL, deterministic = NULL,
                               name = NULL) {
  check_dataset(dataset)
  f <- tb_dataset_function(map_func, "map_func", "dataset_interleave")
  check_parallel_calls(num_parallel_calls)
  check_flag(deterministic, null_ok = TRUE)
  tb_data_method(dataset, "interleave", list(
    f, cycle_length = check_count(cycle_length, null_ok = TRUE),
    block_length = check_count(block_length)))
}

#' @rdname dataset_flat_map
#' @export
dataset_window <- function(dataset, size, shift = NULL, stride = 1, drop_remainder = FALSE) {
  check_dataset(dataset)
  tb_data_method(dataset, "window", list(
    check_count(size), shift = check_count(shift, null_ok = TRUE),
    stride = check_count(stride), drop_remainder = check_flag(drop_remainder)))
}

#' Running state over a dataset
#'
#' `dataset_scan()` carries a state through the elements:
#' `scan_func(state, element)` returns `list(new_state, output)`, and the
#' outputs make the new dataset. `dataset_reduce()` returns the final state
#' of `reduce_func(state, element)` (not a dataset).
#'
#' @inheritParams dataset_map
#' @param initial_state The state before the first element (a number, an
#'   array, or a list of them).
#' @param scan_func,reduce_func An R function of the state and the element's
#'   components.
#' @return `dataset_scan()`: a dataset; `dataset_reduce()`: the final state.
#' @examples
#' if (tb_available()) {
#'   ds <- tensor_slices_dataset(1:5)  # int32, as the state 0L
#'   dataset_reduce(ds, 0L, function(state, x) state + x)  # 15
#'   ds %>% dataset_scan(0L, function(state, x) list(state + x, state + x)) %>%
#'     dataset_collect()  # cumulative sums
#' }
#' @export
dataset_scan <- function(dataset, initial_state, scan_func) {
  check_dataset(dataset)
  f <- tb_dataset_function(scan_func, "scan_func", "dataset_scan")
  tb_data_method(dataset, "scan", list(initial_state, f))
}

#' @rdname dataset_scan
#' @export
dataset_reduce <- function(dataset, initial_state, reduce_func) {
  check_dataset(dataset)
  f <- tb_dataset_function(reduce_func, "reduce_func", "dataset_reduce")
  tb_data_method(dataset, "reduce", list(initial_state, f))
}

#' Select elements of a dataset
#'
#' `dataset_unique()` keeps the first of equal elements (scalar integers or
#' strings); `dataset_take_while()` keeps elements until `predicate` is first
#' `FALSE`; `dataset_rebatch()` cuts batched elements into batches of
#' another size; `dataset_shuffle_and_repeat()` is [dataset_shuffle()] then
#' [dataset_repeat()].
#'
#' @inheritParams dataset_map
#' @param predicate An R function (or one-sided formula) of an element,
#'   returning `TRUE` or `FALSE`.
#' @param name Not used.
#' @param batch_size,drop_remainder The new batches, as [dataset_batch()].
#' @param buffer_size,seed As [dataset_shuffle()].
#' @param count As [dataset_repeat()] (`NULL`: forever).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   tensor_slices_dataset(c(0L, 37L, 2L, 37L, 2L, 1L)) %>% dataset_unique() %>%
#'     dataset_collect()
#'   range_dataset(to = 10) %>% dataset_take_while(function(x) x < 4) %>% dataset_collect()
#' }
#' @export
dataset_unique <- function(dataset, name = NULL) {
  check_dataset(dataset)
  tb_data_method(dataset, "unique")
}

#' @rdname dataset_unique
#' @export
dataset_take_while <- function(dataset, predicate, name = NULL) {
  check_dataset(dataset)
  f <- tb_dataset_function(predicate, "predicate", "dataset_take_while")
  tb_data_method(dataset, "take_while", list(f))
}

#' @rdname dataset_unique
#' @export
dataset_rebatch <- function(dataset, batch_size, drop_remainder = FALSE, name = NULL) {
  check_dataset(dataset)
  tb_data_method(dataset, "rebatch", list(check_count(batch_size),
                                          drop_remainder = check_flag(drop_remainder)))
}

#' @rdname dataset_unique
#' @export
dataset_shuffle_and_repeat <- function(dataset, buffer_size, count = NULL, seed = NULL) {
  check_dataset(dataset)
  dataset_shuffle(dataset, buffer_size, seed = seed) %>% dataset_repeat(count)
}

#' Draw elements from several datasets
#'
#' `sample_from_datasets()` draws each element from a dataset chosen at
#' random with probabilities `weights`; `choose_from_datasets()` takes the
#' next element of `datasets[[i + 1]]` for each `i` of `choice_dataset`
#' (indices from 0, as TensorFlow).
#'
#' @param datasets A list of datasets.
#' @param weights Probabilities (relative), one per dataset; `NULL`: equal.
#' @param seed A seed for the draws.
#' @param stop_on_empty_dataset `TRUE`: stop when a chosen dataset has no
#'   more elements; `FALSE`: go on with the others.
#' @param choice_dataset A dataset of whole numbers (0-based indices).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   a <- tensors_dataset(0L) %>% dataset_repeat()
#'   b <- tensors_dataset(1L) %>% dataset_repeat()
#'   sample_from_datasets(list(a, b), weights = c(0.3, 0.7), seed = 1) %>%
#'     dataset_take(10) %>% dataset_collect()
#'   choose_from_datasets(list(a, b), range_dataset(to = 2) %>% dataset_repeat(3)) %>%
#'     dataset_collect()
#' }
#' @export
sample_from_datasets <- function(datasets, weights = NULL, seed = NULL,
                                 stop_on_empty_dataset = TRUE) {
  datasets <- unname(tb_check_datasets(datasets))
  if (!is.null(weights) && (!is.numeric(weights) || anyNA(weights) || any(weights < 0) ||
                            length(weights) != length(datasets) || sum(weights) <= 0)) {
    tb_arg_error("weights", paste0(length(datasets), " non-negative numbers, one per ",
                                   "dataset, not all 0"), weights)
  }
  tb_call("engine.data.Dataset.sample_from_datasets", datasets,
          weights = if (!is.null(weights)) as.numeric(weights),
          seed = check_seed(seed), stop_on_empty_dataset = check_flag(stop_on_empty_dataset))
}

#' @rdname sample_from_datasets
#' @export
choose_from_datasets <- function(datasets, choice_dataset, stop_on_empty_dataset = TRUE) {
  datasets <- unname(tb_check_datasets(datasets))
  check_dataset(choice_dataset)
  tb_call("engine.data.Dataset.choose_from_datasets", datasets, choice_dataset,
          stop_on_empty_dataset = check_flag(stop_on_empty_dataset))
}


#' Datasets of file names and of random numbers
#'
#' `file_list_dataset()`: the files matching `file_pattern` (a glob), each
#' once, shuffled unless `shuffle = FALSE` (reshuffled at each pass), for
#' reading with e.g. [dataset_interleave()] and [text_line_dataset()].
#' `random_integer_dataset()`: an infinite dataset of random non-negative
#' whole numbers (int64).
#'
#' @param file_pattern One glob pattern or several.
#' @param shuffle Shuffle the files (`NULL`: `TRUE`, as TensorFlow).
#' @param seed A seed.
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   dir <- tempfile()
#'   dir.create(dir)
#'   for (i in 1:3) writeLines(paste("line", i), file.path(dir, paste0(i, ".txt")))
#'   file_list_dataset(file.path(dir, "*.txt"), shuffle = FALSE) %>%
#'     dataset_interleave(function(f) text_line_dataset(f), cycle_length = 2) %>%
#'     dataset_collect()
#'   random_integer_dataset(seed = 1) %>% dataset_take(2) %>% dataset_collect()
#' }
#' @export
file_list_dataset <- function(file_pattern, shuffle = NULL, seed = NULL) {
  file_pattern <- path.expand(check_strings(file_pattern))
  tb_call("engine.data.Dataset.list_files", as.list(file_pattern),
          shuffle = check_flag(shuffle, null_ok = TRUE), seed = check_seed(seed))
}

#' @rdname file_list_dataset
#' @export
random_integer_dataset <- function(seed = NULL) {
  tb_call("engine.data.Dataset.random", seed = check_seed(seed))
}

#' Iterate over the elements of an iterator
#'
#' `iterate()` collects the elements of an iterator (from [as_iterator()] or
#' [as_array_iterator()]), each passed through `f`, into a list (a vector
#' when every one is a single value and `simplify` is `TRUE`), as
#' reticulate's function does. `iterator_get_next()` gives the next element
#' or signals an out-of-range error at the end, which
#' `until_out_of_range()` catches: it evaluates `expr` again and again until
#' the iterator inside it is exhausted (or `expr` calls `break`).
#'
#' @param it,iterator An iterator.
#' @param f A function applied to each element.
#' @param simplify Make the result a vector when possible.
#' @param expr An expression that reads the next element.
#' @return `iterate()`: a list or vector; `iterator_get_next()`: an element;
#'   `until_out_of_range()`: `NULL`, invisibly.
#' @examples
#' if (tb_available()) {
#'   range_dataset(to = 4) %>% as_array_iterator() %>% iterate()
#'   it <- as_array_iterator(range_dataset(to = 3))
#'   total <- 0
#'   until_out_of_range({
#'     total <- total + iterator_get_next(it)
#'   })
#'   total
#' }
#' @export
iterate <- function(it, f = base::identity, simplify = TRUE) {
  if (!inherits(it, "tensorbridge.engine.data.dataset._Iterator")) {
    if (tb_is_dataset(it)) it <- as_iterator(it) else return(reticulate::iterate(it, f, simplify))
  }
  if (!is.function(f)) tb_arg_error("f", "a function", f)
  simplify <- check_flag(simplify)
  out <- list()
  end <- new.env()
  while (!identical(e <- iter_next(it, completed = end), end)) {
    out[[length(out) + 1L]] <- f(e)
  }
  if (simplify && length(out) &&
      all(vapply(out, function(v) is.atomic(v) && length(v) == 1 && is.null(dim(v)), TRUE))) {
    return(unlist(out))
  }
  out
}

#' @rdname iterate
#' @export
iterator_get_next <- function(iterator) {
  end <- new.env()
  e <- iter_next(iterator, completed = end)
  if (identical(e, end)) {
    stop(tb_condition("iterator_get_next(): the end of the sequence was reached",
                      class = "tensorbridge_out_of_range"))
  }
  e
}

#' @rdname iterate
#' @export
until_out_of_range <- function(expr) {
  expr <- substitute(expr)
  env <- parent.frame()
  repeat {
    stop_now <- tryCatch({
      eval(expr, env)
      FALSE
    }, tensorbridge_out_of_range = function(e) TRUE, error = function(e) {
      # `break` in expr: R signals "no loop for break/next" outside a loop
      if (grepl("no loop for break/next", conditionMessage(e), fixed = TRUE)) TRUE else stop(e)
    })
    if (stop_now) break
  }
  invisible(NULL)
}

#' Group elements by a key, or sequences by their length
#'
#' `dataset_group_by_window()` groups the elements by `key_func` (a whole
#' number per element); when a group holds `window_size` elements (or
#' `window_size_func(key)`), `reduce_func(key, window)` turns that window (a
#' dataset) into the output's elements; the groups left at the end follow.
#' `dataset_bucket_by_sequence_length()` puts each element in the bucket of
#' its length (`element_length_func`; bucket `i` holds lengths below
#' `bucket_boundaries[i]`, the last one the rest) and batches each bucket
#' `bucket_batch_sizes[i]` at a time, padded to the longest element of the
#' batch (or to the bucket's boundary - 1 with `pad_to_bucket_boundary`).
#'
#' @inheritParams dataset_map
#' @param key_func,element_length_func An R function of an element, giving a
#'   whole number.
#' @param reduce_func An R function of the key and a window (a dataset),
#'   giving a dataset.
#' @param window_size,window_size_func The group size, or a function of the
#'   key giving it (give one).
#' @param bucket_boundaries Increasing whole numbers: the buckets' upper
#'   limits (excluded).
#' @param bucket_batch_sizes Batch sizes, one per bucket (one more than the
#'   boundaries).
#' @param padded_shapes,padding_values As [dataset_padded_batch()].
#' @param pad_to_bucket_boundary Pad to the bucket's boundary - 1 instead of
#'   the longest element.
#' @param no_padding Batch without padding (the elements of a bucket have one
#'   shape).
#' @param drop_remainder Drop each bucket's last, smaller batch.
#' @param name Not used.
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   range_dataset(to = 10) %>%
#'     dataset_group_by_window(function(x) x %% 2L, function(key, w) dataset_batch(w, 3),
#'                             window_size = 3) %>%
#'     dataset_collect()
#' }
#' @export
dataset_group_by_window <- function(dataset, key_func, reduce_func, window_size = NULL,
                                    window_size_func = NULL, name = NULL) {
  check_dataset(dataset)
  key <- tb_dataset_function(key_func, "key_func", "dataset_group_by_window")
  reduce <- tb_dataset_function(reduce_func, "reduce_func", "dataset_group_by_window")
  size_fn <- if (!is.null(window_size_func)) {
    tb_dataset_function(window_size_func, "window_size_func", "dataset_group_by_window")
  }
  if (is.null(window_size) == is.null(window_size_func)) {
    tb_arg_error("window_size", "given, or else `window_size_func` (exactly one of them)")
  }
  tb_data_method(dataset, "group_by_window", list(
    key, reduce, window_size = check_count(window_size, null_ok = TRUE),
    window_size_func = size_fn))
}

#' @rdname dataset_group_by_window
#' @export
dataset_bucket_by_sequence_length <- function(dataset, element_length_func,
                                              bucket_boundaries, bucket_batch_sizes,
                                              padded_shapes = NULL, padding_values = NULL,
                                              pad_to_bucket_boundary = FALSE,
                                              no_padding = FALSE, drop_remainder = FALSE,
                                              name = NULL) {
  check_dataset(dataset)
  f <- tb_dataset_function(element_length_func, "element_length_func",
                           "dataset_bucket_by_sequence_length")
  tb_data_method(dataset, "bucket_by_sequence_length", list(
    f, as.list(check_counts(bucket_boundaries)), as.list(check_counts(bucket_batch_sizes)),
    padded_shapes = if (!is.null(padded_shapes)) as.list(as.integer(padded_shapes)),
    padding_values = padding_values,
    pad_to_bucket_boundary = check_flag(pad_to_bucket_boundary),
    no_padding = check_flag(no_padding), drop_remainder = check_flag(drop_remainder)))
}
