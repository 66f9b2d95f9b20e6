# Delimited text files read as records of named columns (tfdatasets' record
# specifications), and named columns made features and response
# (dataset_prepare()). Column selection follows tidyselect's basic forms in
# base R: bare names, strings, c(), `-`, `:`, and formulas.

#' Specification for reading delimited text files
#'
#' The column names, types and defaults of a delimited file, for
#' [text_line_dataset()]'s `record_spec`. What is not given is read from the
#' first 1000 rows of `example_file` (with base R's `read.csv()`).
#'
#' @param example_file A file like the ones to read (needed unless `names`
#'   and `types` or `defaults` are given).
#' @param delim The field separator (one character).
#' @param skip Lines to skip at the start of each file. When `names` is
#'   `NULL` the first line after them holds the names, and is skipped too.
#' @param names Column names, or `NULL` to read them from the file's first
#'   line.
#' @param types Column types: `"integer"`, `"double"` or `"character"` per
#'   column, or one string of their initials (`"ddi"`); `NULL` to take them
#'   from `defaults` or, failing that, from the example file.
#' @param defaults The values that fill missing fields, one per column (a
#'   value or a list of one value); `NULL` for 0, 0 and `""` by type.
#' @return A record specification (class `tf_dataset_record_spec`).
#' @examples
#' if (tb_available()) {
#'   f <- tempfile(fileext = ".csv")
#'   write.csv(mtcars[1:6, 1:3], f, row.names = FALSE)
#'   spec <- csv_record_spec(f)
#'   spec$types
#'   text_line_dataset(f, record_spec = spec) %>%
#'     dataset_prepare(x = c(cyl, disp), y = mpg, batch_size = 3) %>%
#'     dataset_collect(1)
#' }
#' @export
delim_record_spec <- function(example_file, delim = ",", skip = 0, names = NULL,
                              types = NULL, defaults = NULL) {
  tb_record_spec(example_file, delim, skip, names, types, defaults)
}

# The three specification functions' work (errors name the one the user called).
tb_record_spec <- function(example_file, delim, skip, names, types, defaults) {
  delim <- check_string(delim)
  if (nchar(delim) != 1) tb_arg_error("delim", "one character", delim)
  skip <- check_count(skip, min = 0)
  if (!is.null(names)) names <- check_strings(names)
  if (!is.null(defaults) && !is.list(defaults) && !is.atomic(defaults)) {
    tb_arg_error("defaults", "a list of values, one per column", defaults)
  }
  preview <- NULL
  if (is.null(names) || (is.null(types) && is.null(defaults))) {
    if (missing(example_file)) {
      tb_arg_error("example_file", paste(
        "a file to read the column names and types from (or give `names` and",
        "`types`)"))
    }
    example_file <- path.expand(check_string(example_file))
    if (!file.exists(example_file)) tb_stop("the file ", example_file, " does not exist.")
    preview <- utils::read.csv(example_file, header = is.null(names), sep = delim,
                               nrows = 1000, skip = skip, comment.char = "",
                               stringsAsFactors = FALSE, check.names = FALSE,
                               blank.lines.skip = FALSE)
  }
  if (is.null(names)) {
    names <- colnames(preview)
    skip <- skip + 1L
  } else if (!is.null(preview) && length(names) != ncol(preview)) {
    tb_arg_error("names", paste0("one name per column (", example_file, " has ",
                                 ncol(preview), ")"), names)
  }
  if (is.null(types) && is.null(defaults)) {
    types <- vapply(preview, function(col) {
      switch(typeof(col), integer = "integer", double = "double", "character")
    }, "")
  }
  if (is.null(types)) {
    types <- vapply(defaults, function(d) {
      d <- if (is.list(d)) d[[1]] else d
      switch(typeof(d), integer = "integer", double = "double", "character")
    }, "")
  } else {
    types <- tolower(check_strings(types))
    if (length(types) == 1 && length(names) > 1 && grepl("^[idc]+$", types)) {
      types <- strsplit(types, "")[[1]]
    }
    full <- c(i = "integer", d = "double", c = "character")
    types <- ifelse(types %in% names(full), full[types], types)
    if (!all(types %in% full)) {
      tb_arg_error("types", paste(
        "\"integer\", \"double\" or \"character\" per column (or their initials",
        "\"i\", \"d\", \"c\")"), types)
    }
  }
  if (length(types) != length(names)) {
    tb_arg_error("types", paste0("one type per column (", length(names), ")"), types)
  }
  if (is.null(defaults)) {
    defaults <- lapply(types, function(t) {
      list(switch(t, integer = 0L, double = 0, character = ""))
    })
  } else {
    defaults <- lapply(as.list(defaults), function(d) if (is.list(d)) d else list(d))
    if (length(defaults) != length(names)) {
      tb_arg_error("defaults", paste0("one default per column (", length(names), ")"),
                   defaults)
    }
  }
  structure(list(names = names, types = unname(types), defaults = unname(defaults),
                 delim = delim, skip = as.integer(skip)),
            class = "tf_dataset_record_spec")
}

#' @rdname delim_record_spec
#' @export
csv_record_spec <- function(example_file, skip = 0, names = NULL, types = NULL,
                            defaults = NULL) {
  tb_record_spec(example_file, ",", skip, names, types, defaults)
}

#' @rdname delim_record_spec
#' @export
tsv_record_spec <- function(example_file, skip = 0, names = NULL, types = NULL,
                            defaults = NULL) {
  tb_record_spec(example_file, "\t", skip, names, types, defaults)
}

#' @export
print.tf_dataset_record_spec <- function(x, ...) {
  cat("<record specification: ", length(x$names), " columns, delimiter '",
      if (identical(x$delim, "\t")) "\\t" else x$delim, "', skip ", x$skip, ">\n",
      sep = "")
  print(stats::setNames(x$types, x$names), quote = FALSE)
  invisible(x)
}

check_record_spec <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!inherits(x, "tf_dataset_record_spec")) {
    tb_arg_error(arg, paste("a record specification from csv_record_spec(),",
                            "tsv_record_spec() or delim_record_spec()"), x)
  }
  x
}

tb_record_dtypes <- function(spec) {
  unname(as.list(c(integer = "int32", double = "float32", character = "string")[spec$types]))
}

#' Decode the lines of a dataset as delimited records
#'
#' Each element of a dataset of text lines becomes a named list of the
#' record's fields, typed as the record specification says; the first
#' `record_spec$skip` elements are skipped.
#'
#' @param dataset A dataset of text lines (from [text_line_dataset()]).
#' @param record_spec A record specification ([csv_record_spec()] ...).
#' @param parallel_records Records decoded in parallel (`NULL`: one at a
#'   time).
#' @return A dataset of named columns.
#' @export
dataset_decode_delim <- function(dataset, record_spec, parallel_records = NULL) {
  check_dataset(dataset)
  spec <- check_record_spec(record_spec)
  if (spec$skip > 0) dataset <- dataset_skip(dataset, spec$skip)
  tb_data("decode_delim", list(
    dataset, as.list(spec$names), spec$defaults, spec$delim, tb_record_dtypes(spec),
    num_parallel_calls = check_count(parallel_records, null_ok = TRUE)))
}

#' The names of a dataset's columns
#'
#' @param dataset A dataset whose elements are named lists (columns).
#' @return A character vector.
#' @export
column_names <- function(dataset) {
  check_dataset(dataset)
  as.character(unlist(tb_call("engine.data.dataset._column_names", dataset)))
}

#' Features and response from a dataset of named columns
#'
#' Makes each element of a dataset of named columns (from
#' [text_line_dataset()] with a record specification, or
#' [make_csv_dataset()]) a list of features `x` and response `y`, for
#' `fit()`: the features stacked into one array (a matrix once batched), or
#' a named list with `named_features = TRUE`.
#'
#' @param dataset A dataset of named columns.
#' @param x The feature columns: bare names, strings, `c()`, `-` (all but),
#'   `:` (a range), or a formula `y ~ x1 + x2` (`.` for all other columns).
#' @param y The response column (`NULL` for none, or taken from the formula).
#' @param named `TRUE`: elements `list(x = , y = )`; `FALSE`: `list(x, y)`.
#' @param named_features `TRUE`: `x` is a named list of the columns; `FALSE`:
#'   one array of the stacked columns (numeric columns of different types
#'   become float32).
#' @param parallel_records Elements prepared in parallel (`NULL`: one at a
#'   time).
#' @param batch_size If given, the prepared elements are batched too (as
#'   [dataset_batch()]).
#' @param num_parallel_batches Not needed (batches are made in order).
#' @param drop_remainder With `batch_size`: drop a last, smaller batch.
#' @return A dataset.
#' @examples
#' if (tb_available()) {
#'   f <- tempfile(fileext = ".csv")
#'   write.csv(mtcars, f, row.names = FALSE)
#'   cars <- text_line_dataset(f, record_spec = csv_record_spec(f))
#'   cars %>% dataset_prepare(mpg ~ disp + hp, batch_size = 4) %>% dataset_collect(1)
#'   cars %>% dataset_prepare(x = -mpg, y = mpg, named = FALSE) %>% dataset_collect(1)
#' }
#' @export
dataset_prepare <- function(dataset, x, y = NULL, named = TRUE, named_features = FALSE,
                            parallel_records = NULL, batch_size = NULL,
                            num_parallel_batches = NULL, drop_remainder = FALSE) {
  check_dataset(dataset)
  cols <- column_names(dataset)
  if (!length(cols)) {
    tb_arg_error("dataset", paste(
      "a dataset of named columns (e.g. from text_line_dataset(record_spec = ) or",
      "make_csv_dataset())"), dataset)
  }
  env <- parent.frame()
  x_expr <- substitute(x)
  response <- NULL
  if (is.call(x_expr) && identical(x_expr[[1]], as.name("~"))) {
    formula <- eval(x_expr, env)
    if (length(formula) == 3) {
      response <- tb_select_columns(cols, formula[[2]], env, "x", "dataset_prepare")
    }
    rhs <- all.vars(formula[[length(formula)]])
    features <- if ("." %in% rhs) {
      unique(c(setdiff(rhs, "."), setdiff(cols, response)))
    } else {
      tb_select_columns(cols, as.call(c(as.name("c"), lapply(rhs, as.name))), env, "x",
                        "dataset_prepare")
    }
  } else {
    features <- tb_select_columns(cols, x_expr, env, "x", "dataset_prepare")
  }
  y_expr <- substitute(y)
  if (is.null(response) && !is.null(y_expr)) {
    response <- tb_select_columns(cols, y_expr, env, "y", "dataset_prepare")
    if (length(response) != 1) {
      tb_arg_error("y", "one column", response, fn = "dataset_prepare")
    }
  }
  if (!length(features)) tb_arg_error("x", "at least one column", fn = "dataset_prepare")
  if (!is.null(num_parallel_batches)) check_count(num_parallel_batches)
  tb_data("prepare", list(
    dataset, as.list(features), response = response, named = check_flag(named),
    named_features = check_flag(named_features),
    num_parallel_calls = check_count(parallel_records, null_ok = TRUE),
    batch_size = check_count(batch_size, null_ok = TRUE),
    drop_remainder = check_flag(drop_remainder)))
}

# Column names selected by `expr`, tidyselect's basic forms: bare names and
# strings, c(), -x (all but), a:b (a range), or an R value holding names.
tb_select_columns <- function(cols, expr, env, arg, fn) {
  positions <- stats::setNames(as.list(seq_along(cols)), cols)
  value <- tryCatch(eval(expr, positions, env), error = function(e) {
    tb_arg_error(arg, paste0("columns of the dataset (", paste(cols, collapse = ", "),
                             "): ", conditionMessage(e)), fn = fn)
  })
  if (is.null(value)) return(NULL)
  if (is.character(value)) {
    unknown <- setdiff(value, cols)
    if (length(unknown)) {
      tb_arg_error(arg, paste0("columns of the dataset (", paste(cols, collapse = ", "),
                               "); there is no '", unknown[[1]], "'"), fn = fn)
    }
    return(unique(value))
  }
  if (!is.numeric(value) || anyNA(value) || any(value != round(value)) ||
      any(abs(value) > length(cols)) || any(value == 0) ||
      (any(value < 0) && any(value > 0))) {
    tb_arg_error(arg, paste0("columns of the dataset (", paste(cols, collapse = ", "), ")"),
                 value, fn = fn)
  }
  idx <- if (all(value < 0)) setdiff(seq_along(cols), -value) else unique(value)
  cols[idx]
}
