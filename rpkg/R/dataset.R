# Dataset pipelines with tfdatasets' names (tensor_slices_dataset(),
# dataset_map(), dataset_batch() ...), on the engine's tf.data-style Dataset
# (engine/data). A dataset is a handle to the Python object; `tf$data$Dataset`
# reaches the same objects.

tb_data <- function(path, args = list()) {
  args <- args[!vapply(args, is.null, logical(1))]
  do.call(tb_call, c(list(paste0("engine.data.", path)), args))
}

tb_data_method <- function(dataset, name, args = list()) {
  args <- args[!vapply(args, is.null, logical(1))]
  do.call(tb_method, c(list(dataset, name), args))
}

tb_is_dataset <- function(x) inherits(x, "tensorbridge.engine.data.dataset.Dataset")

check_dataset <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!tb_is_dataset(x)) tb_arg_error(arg, "a dataset", x)
  x
}

tb_check_datasets <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!is.list(x) || !length(x) || !all(vapply(x, tb_is_dataset, logical(1)))) {
    tb_arg_error(arg, "a non-empty list of datasets", x)
  }
  x
}

# A count where -1 means "all" (take, skip, repeat).
check_count_all <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (length(x) == 1 && is.numeric(x) && !is.na(x) && x == -1) return(-1L)
  check_count(x, arg, min = 0, null_ok = null_ok)
}

check_parallel_calls <- function(x, arg = tb_arg_name(substitute(x))) {
  if (is.null(x)) return(NULL)
  if (length(x) == 1 && is.numeric(x) && !is.na(x) && x == -1) return(-1L)
  if (length(x) != 1 || !tb_is_whole(x, 1, tb_int_max)) {
    tb_arg_error(arg, "one positive whole number, tf$data$AUTOTUNE or NULL", x)
  }
  as.integer(x)
}

# R data as the nested structure of a dataset element: a named list is a
# dict, an unnamed list a tuple, a data frame the named list of its columns
# (factors as their labels); a vector of length one stays a one-dimensional
# array (else it would reach Python as a number).
tb_dataset_structure <- function(x, arg, slices) {
  if (is.data.frame(x)) {
    x <- lapply(as.list(x), function(col) if (is.factor(col)) as.character(col) else col)
  }
  if (inherits(x, "tensorbridge_object")) return(x)
  if (is.list(x) && !is.object(x)) {
    if (length(x) == 0) tb_arg_error(arg, "a non-empty list, array or data frame", x)
    nms <- names(x)
    if (!is.null(nms) && (anyNA(nms) || any(nms == ""))) {
      tb_arg_error(arg, "a list whose elements are all named, or none", x)
    }
    out <- lapply(seq_along(x), function(i) {
      tb_dataset_structure(x[[i]], paste0(arg, "[[", i, "]]"), slices)
    })
    names(out) <- nms
    return(out)
  }
  ok <- (is.numeric(x) || is.logical(x) || is.character(x)) && !is.object(x) && length(x) > 0
  if (!ok) {
    tb_arg_error(arg, "numeric, logical or character arrays (or lists of them)", x)
  }
  if (is.logical(x) && anyNA(x)) tb_arg_error(arg, "logical values without NA", x)
  if (is.integer(x) && anyNA(x)) tb_arg_error(arg, "integers without NA", x)
  if (is.null(dim(x)) && (slices || length(x) > 1)) dim(x) <- length(x)
  x
}

# An R function (or a one-sided formula such as `~ .x * 2`, whose arguments are
# `.x`, `.y`) as the function a dataset calls: an R error inside it comes back
# as that R error, its message naming the dataset function.
tb_dataset_function <- function(f, arg, fn) {
  if (inherits(f, "formula")) {
    if (length(f) != 2) tb_arg_error(arg, "a function or a one-sided formula", f)
    g <- function(..., .x = ..1, .y = ..2, . = ..1) NULL
    body(g) <- f[[2]]
    environment(g) <- environment(f) %||% globalenv()
    f <- g
  }
  if (!is.function(f)) tb_arg_error(arg, "a function or a one-sided formula", f)
  force(fn)
  function(...) {
    tryCatch(f(...), error = function(e) {
      e$message <- paste0(fn, "(): error in `", arg, "`: ", conditionMessage(e))
      stop(e)
    })
  }
}

#' Create a dataset
#'
#' `tensor_slices_dataset()` makes a dataset whose elements are the slices of
#' `tensors` along their first dimension (the rows of a matrix or data frame);
#' `tensors_dataset()` makes a dataset of one element, `tensors` itself;
#' `range_dataset()` the numbers `from`, `from + by`, ... below `to`, as
#' Python's `range()`.
#'
#' A named list (or a data frame) gives named elements, an unnamed list
#' gives unnamed ones (a function applied to them with [dataset_map()] gets
#' one argument per component).
#'
#' @param tensors An R array (numeric, logical or character), a data frame,
#'   a tensor, or a list (named or not) of those.
#' @param from,to,by Start, end (excluded) and step (whole numbers).
#' @param ... Not used; arguments after it must be named.
#' @param dtype The element type, e.g. `tf$int64` (default) or `"int32"`.
#' @return A dataset.
#' @seealso [dataset_map()], [dataset_batch()], [as_iterator()].
#' @examples
#' if (tb_available()) {
#'   ds <- tensor_slices_dataset(list(x = matrix(1:6, 3, 2), y = c(1, 0, 1)))
#'   dataset_collect(ds, 1)
#'   range_dataset(0, 10, by = 3) %>% as_array_iterator() %>% iter_next()
#' }
#' @export
tensor_slices_dataset <- function(tensors) {
  tb_data("Dataset.from_tensor_slices",
          list(tb_dataset_structure(tensors, "tensors", slices = TRUE)))
}

#' @rdname tensor_slices_dataset
#' @export
tensors_dataset <- function(tensors) {
  tb_data("Dataset.from_tensors", list(tb_dataset_structure(tensors, "tensors", slices = FALSE)))
}

#' @rdname tensor_slices_dataset
#' @export
range_dataset <- function(from = 0, to = 0, by = 1, ..., dtype = NULL) {
  check_dots_empty(...)
  if (identical(by, 0) || identical(by, 0L)) tb_arg_error("by", "a non-zero whole number", by)
  from <- check_count(from, min = -tb_int_max)
  to <- check_count(to, min = -tb_int_max)
  by <- check_count(by, min = -tb_int_max)
  if (!is.null(dtype) && !inherits(dtype, "tensorbridge_object")) {
    dtype <- check_string(dtype, choices = c("int32", "int64", "float32", "float64"))
  }
  tb_data("Dataset.range", list(from, to, by, dtype = dtype))
}

#' Transform the elements of a dataset
#'
#' `dataset_map()` applies `map_func` to every element; `dataset_filter()`
#' keeps the elements for which `predicate` is `TRUE`;
#' `dataset_map_and_batch()` maps and then batches.
#'
#' The function gets the element's components as tensors: one argument per
#' component of an unnamed element (`function(x, y)`), one named list for a
#' named element (`function(record)`), and returns the new element (a tensor,
#' an array, or a list of them). A one-sided formula such as `~ .x / 255` is
#' a function of `.x` (and `.y`). An R function runs in R's own thread, one
#' element at a time; an error inside it comes back as that R error, its
#' message naming `dataset_map()`.
#'
#' @param dataset A dataset.
#' @param map_func,predicate An R function or a one-sided formula.
#' @param num_parallel_calls Number of elements processed at once by an
#'   engine (Python) function, or `tf$data$AUTOTUNE`; R functions always run
#'   one at a time.
#' @param batch_size,drop_remainder See [dataset_batch()].
#' @param num_parallel_batches Not used (kept for tfdatasets' signature).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   ds <- tensor_slices_dataset(list(x = 1:5, y = 6:10)) %>%
#'     dataset_map(function(record) record$x + record$y) %>%
#'     dataset_filter(function(s) s > 9)
#'   dataset_collect(ds)
#' }
#' @export
dataset_map <- function(dataset, map_func, num_parallel_calls = NULL) {
  check_dataset(dataset)
  f <- tb_dataset_function(map_func, "map_func", "dataset_map")
  tb_data_method(dataset, "map", list(f, num_parallel_calls =
                                        check_parallel_calls(num_parallel_calls)))
}

#' @rdname dataset_map
#' @export
dataset_map_and_batch <- function(dataset, map_func, batch_size, num_parallel_batches = NULL,
                                  drop_remainder = FALSE, num_parallel_calls = NULL) {
  check_dataset(dataset)
  f <- tb_dataset_function(map_func, "map_func", "dataset_map_and_batch")
  batch_size <- check_count(batch_size)
  drop_remainder <- check_flag(drop_remainder)
  check_count(num_parallel_batches, null_ok = TRUE)
  ds <- tb_data_method(dataset, "map", list(f, num_parallel_calls =
                                              check_parallel_calls(num_parallel_calls)))
  tb_data_method(ds, "batch", list(batch_size, drop_remainder = drop_remainder))
}

#' @rdname dataset_map
#' @export
dataset_filter <- function(dataset, predicate) {
  check_dataset(dataset)
  f <- tb_dataset_function(predicate, "predicate", "dataset_filter")
  tb_data_method(dataset, "filter", list(f))
}

#' Batch the elements of a dataset
#'
#' `dataset_batch()` stacks `batch_size` consecutive elements into one (a new
#' first dimension); the last batch is smaller unless `drop_remainder`.
#' `dataset_padded_batch()` first pads each component to the largest shape in
#' the batch (or to `padded_shapes`) with `padding_values` (0, or `""` for
#' strings). `dataset_unbatch()` splits batches back into elements.
#'
#' @inheritParams dataset_map
#' @param batch_size Number of elements per batch (a positive whole number).
#' @param drop_remainder Drop a last batch smaller than `batch_size`.
#' @param num_parallel_calls,deterministic Not needed (batches are gathered
#'   at once); kept for tfdatasets' signature.
#' @param padded_shapes Shape to pad each component to (`NA` or `NULL` for
#'   the batch's largest size), a list for several components; `NULL`: the
#'   largest size in each dimension.
#' @param padding_values Value to pad each component with (a list for several
#'   components).
#' @param name Not used.
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   range_dataset(to = 5) %>% dataset_batch(2) %>% dataset_collect()
#'   tensor_slices_dataset(list(1:3, 1:3)) %>% dataset_padded_batch(2)
#' }
#' @export
dataset_batch <- function(dataset, batch_size, drop_remainder = FALSE, num_parallel_calls = NULL,
                          deterministic = NULL, name = NULL) {
  check_dataset(dataset)
  check_parallel_calls(num_parallel_calls)
  check_flag(deterministic, null_ok = TRUE)
  tb_data_method(dataset, "batch", list(check_count(batch_size),
                                        drop_remainder = check_flag(drop_remainder)))
}

#' @rdname dataset_batch
#' @export
dataset_padded_batch <- function(dataset, batch_size, padded_shapes = NULL,
                                 padding_values = NULL, drop_remainder = FALSE, name = NULL) {
  check_dataset(dataset)
  shape <- function(s, arg) {
    if (is.null(s)) return(NULL)
    if (is.list(s)) {
      return(lapply(seq_along(s), function(i) shape(s[[i]], paste0(arg, "[[", i, "]]"))))
    }
    if (!is.numeric(s) || !all(is.na(s) | (s == round(s) & s >= 0))) {
      tb_arg_error(arg, "whole numbers >= 0 (NA for the largest size)", s)
    }
    as.list(ifelse(is.na(s), -1L, as.integer(s)))
  }
  padded_shapes <- shape(padded_shapes, "padded_shapes")
  if (!is.null(padding_values) && !is.list(padding_values)) {
    if (length(padding_values) != 1 || is.na(padding_values)) {
      tb_arg_error("padding_values", "one value (or a list of values, one per component)",
                   padding_values)
    }
  }
  tb_data_method(dataset, "padded_batch", list(
    check_count(batch_size), padded_shapes = padded_shapes, padding_values = padding_values,
    drop_remainder = check_flag(drop_remainder)))
}

#' @rdname dataset_batch
#' @export
dataset_unbatch <- function(dataset, name = NULL) {
  check_dataset(dataset)
  tb_data_method(dataset, "unbatch")
}

#' Shuffle, repeat, take, skip and shard
#'
#' `dataset_shuffle()` draws each element at random from a buffer of the next
#' `buffer_size` elements (a buffer at least as large as the dataset gives a
#' uniform random permutation), reshuffled each time the dataset is iterated
#' unless `reshuffle_each_iteration = FALSE`; a `seed` makes the order
#' reproducible. `dataset_repeat()` repeats the dataset `count` times
#' (`NULL` or -1: indefinitely). `dataset_take()` keeps the first `count`
#' elements, `dataset_skip()` drops them (-1: all). `dataset_shard()` keeps
#' every `num_shards`-th element starting at `index` (counted from 0, as
#' tfdatasets).
#'
#' @inheritParams dataset_map
#' @param buffer_size Number of elements in the shuffle buffer.
#' @param seed A whole number or `NULL`.
#' @param reshuffle_each_iteration `TRUE` (default when `NULL`) or `FALSE`.
#' @param count Number of elements (or repetitions); -1 for all.
#' @param num_shards,index Number of shards, and which (0-based).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   range_dataset(to = 10) %>% dataset_shuffle(10, seed = 1) %>%
#'     dataset_take(3) %>% dataset_collect()
#'   range_dataset(to = 10) %>% dataset_shard(3, 1) %>% dataset_collect()
#' }
#' @export
dataset_shuffle <- function(dataset, buffer_size, seed = NULL, reshuffle_each_iteration = NULL) {
  check_dataset(dataset)
  tb_data_method(dataset, "shuffle", list(
    check_count(buffer_size), seed = check_seed(seed),
    reshuffle_each_iteration = check_flag(reshuffle_each_iteration, null_ok = TRUE)))
}

#' @rdname dataset_shuffle
#' @export
dataset_repeat <- function(dataset, count = NULL) {
  check_dataset(dataset)
  tb_data_method(dataset, "repeat", list(count = check_count_all(count, null_ok = TRUE)))
}

#' @rdname dataset_shuffle
#' @export
dataset_take <- function(dataset, count) {
  check_dataset(dataset)
  tb_data_method(dataset, "take", list(check_count_all(count)))
}

#' @rdname dataset_shuffle
#' @export
dataset_skip <- function(dataset, count) {
  check_dataset(dataset)
  tb_data_method(dataset, "skip", list(check_count_all(count)))
}

#' @rdname dataset_shuffle
#' @export
dataset_shard <- function(dataset, num_shards, index) {
  check_dataset(dataset)
  num_shards <- check_count(num_shards)
  index <- check_count(index, min = 0, max = num_shards - 1L)
  tb_data_method(dataset, "shard", list(num_shards, index))
}

#' Cache and prefetch
#'
#' `dataset_cache()` keeps the elements after a first complete pass, in
#' memory (`filename = NULL`) or in files named after `filename` that later
#' runs reuse (the cache of an incomplete pass is never used).
#' `dataset_prefetch()` prepares up to `buffer_size` elements ahead, in a
#' background thread while the consumer (e.g. `fit()`) works, when the
#' pipeline's work is engine work; a pipeline that calls R functions is
#' prefetched in R's own thread (R is single-threaded).
#'
#' @inheritParams dataset_map
#' @param filename `NULL` (memory) or the path prefix of the cache files.
#' @param buffer_size Number of elements prepared ahead (`tf$data$AUTOTUNE`:
#'   chosen by the engine).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   range_dataset(to = 4) %>% dataset_cache() %>% dataset_prefetch(2) %>%
#'     dataset_collect()
#' }
#' @export
dataset_cache <- function(dataset, filename = NULL) {
  check_dataset(dataset)
  filename <- check_string(filename, null_ok = TRUE)
  if (!is.null(filename)) filename <- path.expand(filename)
  tb_data_method(dataset, "cache", list(filename %||% ""))
}

#' @rdname dataset_cache
#' @export
dataset_prefetch <- function(dataset, buffer_size = tf$data$AUTOTUNE) {
  check_dataset(dataset)
  tb_data_method(dataset, "prefetch", list(check_count_all(buffer_size)))
}

#' Combine datasets
#'
#' `zip_datasets()` and `dataset_zip()` make elements of the elements of
#' several datasets taken side by side (as many as the shortest has; a named
#' list gives named elements); `dataset_concatenate()` appends datasets one
#' after another; `dataset_enumerate()` pairs each element with its index
#' (from `start`).
#'
#' @inheritParams dataset_map
#' @param ... Datasets.
#' @param datasets A list of datasets (named or not).
#' @param start First index (a whole number).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   a <- range_dataset(to = 3)
#'   b <- range_dataset(10, 13)
#'   zip_datasets(a, b) %>% dataset_collect(1)
#'   dataset_concatenate(a, b) %>% dataset_enumerate(start = 1) %>% dataset_collect(1)
#' }
#' @export
zip_datasets <- function(...) {
  dataset_zip(list(...))
}

#' @rdname zip_datasets
#' @export
dataset_zip <- function(datasets) {
  if (tb_is_dataset(datasets)) datasets <- list(datasets)
  tb_data("Dataset.zip", list(tb_check_datasets(datasets)))
}

#' @rdname zip_datasets
#' @export
dataset_concatenate <- function(dataset, ...) {
  check_dataset(dataset)
  others <- list(...)
  for (i in seq_along(others)) {
    if (!tb_is_dataset(others[[i]])) tb_arg_error(paste0("..", i), "a dataset", others[[i]])
    dataset <- tb_data_method(dataset, "concatenate", list(others[[i]]))
  }
  dataset
}

#' @rdname zip_datasets
#' @export
dataset_enumerate <- function(dataset, start = 0L) {
  check_dataset(dataset)
  tb_data_method(dataset, "enumerate", list(check_count(start, min = -tb_int_max)))
}

#' Iterate over a dataset
#'
#' `as_iterator()` starts an iteration over a dataset whose `iter_next()`
#' gives the next element with tensors (numeric components) and character
#' arrays (strings), as tfdatasets does; `as_array_iterator()` one whose
#' elements are R arrays. At the end, `iter_next()` returns `completed`.
#' `dataset_collect()` gives the first `iter_max` elements in a list.
#' For objects other than tensorbridge datasets, `as_iterator()` and
#' `iter_next()` call reticulate's functions of the same names.
#'
#' @param x,dataset A dataset.
#' @param it An iterator.
#' @param completed The value returned at the end.
#' @param iter_max Number of elements to collect at most (`Inf`: all).
#' @return `as_iterator()`, `as_array_iterator()`: an iterator;
#'   `iter_next()`: an element (a list for several components) or
#'   `completed`; `dataset_collect()`: a list of elements.
#' @examples
#' if (tb_available()) {
#'   it <- as_array_iterator(range_dataset(to = 2))
#'   iter_next(it)
#'   iter_next(it)
#'   iter_next(it, completed = "done")
#' }
#' @export
as_iterator <- function(x) {
  if (tb_is_dataset(x)) return(tb_data("make_iterator", list(x)))
  if (inherits(x, "tensorbridge.engine.data.dataset._Iterator")) return(x)
  reticulate::as_iterator(x)
}

#' @rdname as_iterator
#' @export
as_array_iterator <- function(dataset) {
  check_dataset(dataset)
  tb_data("make_iterator", list(dataset, tensors = FALSE))
}

#' @rdname as_iterator
#' @export
iter_next <- function(it, completed = NULL) {
  if (!inherits(it, "tensorbridge.engine.data.dataset._Iterator")) {
    return(reticulate::iter_next(it, completed))
  }
  res <- tb_data("next_element", list(it))
  if (isTRUE(res[[1]])) res[[2]] else completed
}

#' @rdname as_iterator
#' @export
dataset_collect <- function(dataset, iter_max = Inf) {
  check_dataset(dataset)
  if (!(length(iter_max) == 1 && is.numeric(iter_max) && !is.na(iter_max) &&
        (is.infinite(iter_max) && iter_max > 0 || tb_is_whole(iter_max, 0, tb_int_max)))) {
    tb_arg_error("iter_max", "one whole number >= 0 or Inf", iter_max)
  }
  n <- if (is.infinite(iter_max)) NULL else as.integer(iter_max)
  if (is.null(n) && tb_method(dataset, "cardinality") == -1L) {
    tb_stop("the dataset is infinite; give `iter_max`.")
  }
  tb_data("collect", list(dataset, iter_max = n))
}

#' Number of elements of a dataset
#'
#' @param x A dataset.
#' @return The number of elements; `Inf` for an infinite dataset, `NA` when
#'   it is unknown (e.g. after [dataset_filter()]), as tfdatasets.
#' @examples
#' if (tb_available()) length(range_dataset(to = 10) %>% dataset_batch(3))
#' @export
length.tensorbridge.engine.data.dataset.Dataset <- function(x) {
  n <- tb_method(x, "cardinality")
  if (n == -1L) Inf else if (n == -2L) NA_integer_ else n
}

#' Datasets read from files
#'
#' `text_line_dataset()` gives the lines of text files, one string per
#' element (line endings removed). `make_csv_dataset()` reads CSV files into
#' batches of named feature columns (and a label, with `label_name`), with
#' each column's type inferred from its first `num_rows_for_inference` rows
#' (integer, then float, else string) as TensorFlow's function; by default
#' it repeats forever (`num_epochs = NULL`) and shuffles. `parquet_dataset()`
#' streams batches of rows (a named list of columns) from Parquet files one
#' row group at a time, so files larger than memory can be read.
#'
#' @param filenames,file_pattern File names (or glob patterns for
#'   `file_pattern`).
#' @param compression_type `NULL`, `""`, `"GZIP"`, `"ZLIB"` or `"BZ2"`.
#' @param ... Not used; arguments after it must be named.
#' @param buffer_size,num_parallel_reads,name,num_parallel_parser_calls,sloppy
#'   Not needed; kept for tfdatasets' signatures.
#' @param record_spec A record specification ([csv_record_spec()],
#'   [tsv_record_spec()], [delim_record_spec()]): each line is then decoded
#'   into a named list of its typed fields, the spec's `skip` lines skipped at
#'   the start of each file. `NULL`: the lines as strings.
#' @param parallel_records With a `record_spec`, records decoded in
#'   parallel (`NULL`: one at a time).
#' @param batch_size Rows per batch.
#' @param column_names Column names (needed when the files have no header).
#' @param column_defaults Per selected column, the value that fills a missing
#'   field (its type gives the column's type), or `list()` for a required
#'   column.
#' @param label_name Name of the label column, or `NULL`.
#' @param select_columns Names (or 0-based indices) of the columns to keep.
#' @param field_delim Field separator (one character).
#' @param use_quote_delim Whether double quotes enclose fields.
#' @param na_value The string that marks a missing value.
#' @param header Whether the first line of each file is a header.
#' @param num_epochs Number of passes over the files (`NULL`: forever; the
#'   last partial batch is then dropped).
#' @param shuffle,shuffle_buffer_size,shuffle_seed Shuffling, as
#'   [dataset_shuffle()].
#' @param prefetch_buffer_size Batches prepared ahead.
#' @param num_rows_for_inference Rows read to infer the column types (0: all).
#' @param ignore_errors `TRUE` skips malformed rows (a wrong number of fields,
#'   or a value that does not fit its column's type) instead of stopping with
#'   an error.
#' @param columns Names of the columns to read (`NULL`: all).
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   f <- tempfile(fileext = ".csv")
#'   write.csv(data.frame(a = 1:4, b = c(0.5, 1, 1.5, 2)), f, row.names = FALSE)
#'   make_csv_dataset(f, batch_size = 2, num_epochs = 1, shuffle = FALSE) %>%
#'     dataset_collect(1)
#'   writeLines(c("one", "two"), f)
#'   text_line_dataset(f) %>% dataset_collect()
#' }
#' @export
text_line_dataset <- function(filenames, compression_type = NULL, ..., buffer_size = NULL,
                              num_parallel_reads = NULL, name = NULL, record_spec = NULL,
                              parallel_records = NULL) {
  check_dots_empty(...)
  filenames <- path.expand(check_strings(filenames))
  compression_type <- check_string(compression_type, choices = c("", "GZIP", "ZLIB", "BZ2"),
                                   null_ok = TRUE)
  missing <- filenames[!file.exists(filenames)]
  if (length(missing)) tb_stop("the file ", missing[[1]], " does not exist.")
  if (!is.null(record_spec)) {
    spec <- check_record_spec(record_spec)
    return(tb_data("delimited_dataset", list(
      as.list(filenames), as.list(spec$names), spec$defaults, spec$delim, spec$skip,
      compression_type = compression_type, dtypes = tb_record_dtypes(spec),
      num_parallel_calls = check_count(parallel_records, null_ok = TRUE))))
  }
  if (!is.null(parallel_records)) {
    tb_arg_error("parallel_records", "NULL without a `record_spec`", parallel_records)
  }
  tb_data("TextLineDataset", list(as.list(filenames), compression_type = compression_type))
}

#' @rdname text_line_dataset
#' @export
make_csv_dataset <- function(file_pattern, batch_size, column_names = NULL,
                             column_defaults = NULL, label_name = NULL, select_columns = NULL,
                             field_delim = ",", use_quote_delim = TRUE, na_value = "",
                             header = TRUE, num_epochs = NULL, shuffle = TRUE,
                             shuffle_buffer_size = 10000, shuffle_seed = NULL,
                             prefetch_buffer_size = 1, num_parallel_reads = 1,
                             num_parallel_parser_calls = 2, sloppy = FALSE,
                             num_rows_for_inference = 100, compression_type = NULL,
                             ignore_errors = FALSE) {
  file_pattern <- path.expand(check_strings(file_pattern))
  if (!is.null(column_defaults)) {
    if (!is.list(column_defaults) && !is.atomic(column_defaults)) {
      tb_arg_error("column_defaults", "a list of defaults, one per column", column_defaults)
    }
    column_defaults <- lapply(as.list(column_defaults), function(d) {
      if (is.list(d) && length(d) == 0) return(list())
      if (length(d) != 1 || is.na(d) || !(is.numeric(d) || is.character(d))) {
        tb_arg_error("column_defaults", "numbers or strings (list() for a required column)",
                     column_defaults)
      }
      d
    })
  }
  if (!is.null(select_columns) && !is.character(select_columns)) {
    select_columns <- as.list(check_counts(select_columns, min = 0))
  } else if (!is.null(select_columns)) {
    select_columns <- as.list(check_strings(select_columns))
  }
  check_flag(sloppy)
  check_flag(ignore_errors)
  check_count(num_parallel_reads)
  check_count(num_parallel_parser_calls)
  files <- Sys.glob(file_pattern)
  if (!length(files)) tb_stop("no files match ", paste(file_pattern, collapse = ", "), ".")
  tb_data("make_csv_dataset", list(
    as.list(file_pattern), check_count(batch_size),
    column_names = if (!is.null(column_names)) as.list(check_strings(column_names)),
    column_defaults = column_defaults,
    label_name = check_string(label_name, null_ok = TRUE),
    select_columns = select_columns,
    field_delim = check_string(field_delim),
    use_quote_delim = check_flag(use_quote_delim),
    na_value = check_string(na_value), header = check_flag(header),
    num_epochs = check_count(num_epochs, null_ok = TRUE), shuffle = check_flag(shuffle),
    shuffle_buffer_size = check_count(shuffle_buffer_size),
    shuffle_seed = check_seed(shuffle_seed),
    prefetch_buffer_size = check_count_all(prefetch_buffer_size),
    num_rows_for_inference = check_count(num_rows_for_inference, min = 0),
    compression_type = check_string(compression_type, choices = c("", "GZIP", "ZLIB", "BZ2"),
                                    null_ok = TRUE),
    ignore_errors = ignore_errors))
}

#' @rdname text_line_dataset
#' @export
parquet_dataset <- function(filenames, columns = NULL, batch_size = 1024) {
  filenames <- path.expand(check_strings(filenames))
  missing <- filenames[!file.exists(filenames)]
  if (length(missing)) tb_stop("the file ", missing[[1]], " does not exist.")
  tb_data("parquet_dataset", list(
    as.list(filenames), columns = if (!is.null(columns)) as.list(check_strings(columns)),
    batch_size = check_count(batch_size)))
}
