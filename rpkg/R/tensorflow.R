# The tensorflow R package's low-level API: `tf$...`, arithmetic and math on
# tensors with R's operators and functions, `[`, and context managers with
# `with()` (GradientTape).

#' The engine, as `tf`
#'
#' `tf` gives the engine's functions with TensorFlow's Python names, as the
#' tensorflow R package does: `tf$constant()`, `tf$matmul()`,
#' `tf$reduce_sum()`, `tf$nn$relu()`, `tf$Variable()`, `tf$GradientTape()`,
#' `tf$float32` ... Arguments follow Python's conventions (axes count from
#' 0, `shape` is a vector of integers); R arrays arrive without a copy and
#' results come back as tensors. Python starts on first use.
#'
#' Tensors work with R's operators (`+`, `-`, `*`, `/`, `^`, `\%\%`, `\%/\%`,
#' comparisons, `&`, `|`, `!`), R's math functions (`exp()`, `log()`,
#' `sqrt()`, `abs()` ...), summaries (`sum()`, `max()`, `mean()` ...) and
#' `[` (see [tensor-subset]); an R number meets a tensor in the tensor's
#' dtype. `as.array()` brings values back to R.
#'
#' @format An object that resolves `tf$name` in the engine.
#' @examples
#' if (tb_available()) {
#'   x <- tf$constant(matrix(c(1, 2, 3, 4), 2))
#'   tf$matmul(x, x)
#'   y <- tf$nn$relu(x - 2)
#'   as.array(sum(y))
#'
#'   w <- tf$Variable(c(1, -2))
#'   with(tf$GradientTape() %as% tape, {
#'     loss <- sum(w^2)
#'   })
#'   as.array(tape$gradient(loss, w))  # 2 * w
#' }
#' @export
tf <- structure(list(), class = "tensorbridge_module", path = "engine",
                what = paste0("tensorbridge's engine (TensorFlow's names): tf$constant(), ",
                              "tf$matmul(), tf$GradientTape(), tf$nn$relu() ..."))

# A module object (`tf`, `keras`): `$` and `[[` resolve names in the Python
# module at its `path` (imported on first use, then cached); `imports` names
# modules to import first (submodules its names need).
tb_module_object <- function(x) {
  path <- attr(x, "path")
  key <- paste0("module:", path)
  if (is.null(.tb_state[[key]])) {
    for (extra in attr(x, "imports")) tb_call("bridge.runtime.resolve", extra)
    assign(key, tb_call("bridge.runtime.resolve", path), envir = .tb_state)
  }
  .tb_state[[key]]
}

#' @export
`$.tensorbridge_module` <- function(x, name) tb_getattr(tb_module_object(x), name)

#' @export
`[[.tensorbridge_module` <- function(x, i, ...) tb_getattr(tb_module_object(x), i)

#' @export
print.tensorbridge_module <- function(x, ...) {
  cat(attr(x, "what"), "\n", sep = "")
  invisible(x)
}

# completion after `tf$`, `keras$` and `object$` in RStudio and the R console
#' @importFrom utils .DollarNames
#' @rawNamespace S3method(utils::.DollarNames, tensorbridge_module)
.DollarNames.tensorbridge_module <- function(x, pattern = "") {
  grep(pattern, tb_call("bridge.tensors.public_names", tb_module_object(x)), value = TRUE)
}

#' @rawNamespace S3method(utils::.DollarNames, tensorbridge_object)
.DollarNames.tensorbridge_object <- function(x, pattern = "") {
  grep(pattern, tb_call("bridge.tensors.public_names", x), value = TRUE)
}

is_tensor <- function(x) inherits(x, "tensorbridge.engine.tensor.Tensor")

#' Operators, math and summaries on tensors
#'
#' The group generics behind `x + 1`, `exp(x)`, `sum(x)` for tensors. They
#' call the engine, so gradients flow through them inside a
#' `GradientTape`.
#'
#' The summaries (`sum()`, `prod()`, `min()`, `max()`, `range()`, `all()`,
#' `any()`, `mean()`) follow the tensorflow R package: without `axis` they
#' reduce every element; `axis` names the axes to reduce, counting from 1
#' as R does (negative: from the end, -1 the last), so for a matrix
#' `mean(x, axis = 1)` is `colMeans()` and `sum(x, axis = 2)` is
#' `rowSums()`; `keepdims = TRUE` keeps the reduced axes with extent 1.
#' Several arguments (`sum(x, y, 2)`) reduce them all together, as in R.
#' `range()` gives a tensor of the minimum and the maximum (stacked on a
#' new first axis when `axis` is given). `na.rm = TRUE` is an error:
#' tensors have no NA (an R `NA` is a NaN in a float tensor).
#' Arguments a method does not know are an error.
#'
#' @param e1,e2,x Tensors, or R values that meet a tensor in its dtype.
#' @param ... For `Summary`: tensors (or R numbers), and `axis` and
#'   `keepdims`. For `Math`: `base` of `log()`; `digits = 0` of `round()`.
#'   For `mean()`: nothing.
#' @param axis Axes to reduce (see above); `NULL`: all.
#' @param keepdims Keep the reduced axes (with extent 1).
#' @param na.rm Only `FALSE` (tensors have no NA).
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- tf$constant(matrix(c(1, 2, 3, 4, 5, 6), 2))
#'   as.array(mean(x, axis = 1))  # colMeans()
#'   as.array(sum(x, axis = -1))  # rowSums()
#'   as.array(max(x))
#' }
#' @name tensor-operators
#' @export
Ops.tensorbridge.engine.tensor.Tensor <- function(e1, e2) {
  if (missing(e2)) {
    if (.Generic == "+") return(e1)
    return(tb_call("bridge.tensors.unary", .Generic, e1))
  }
  tb_call("bridge.tensors.binary", .Generic, e1, e2)
}

# An argument error raised by one of R's generics on tensors (whose frames
# the shared checks cannot name).
tb_tf_error <- function(fn, message, arg = NULL) {
  stop(tb_condition(paste0(fn, "(): ", message), class = "tensorbridge_argument_error",
                    fn = fn, arg = arg))
}

# Arguments that reached the `...` of a method for one of R's generics.
tb_tf_no_dots <- function(fn, topic, ...) {
  dots <- substitute(list(...))[-1]
  if (length(dots)) {
    nms <- names(dots) %||% rep("", length(dots))
    tb_tf_unknown(fn, ifelse(nms == "", vapply(dots, tb_arg_name, ""), nms), topic)
  }
}

# Named arguments a generic on tensors does not take.
tb_tf_unknown <- function(fn, names, topic = "`tensor-operators`") {
  tb_tf_error(fn, paste0(if (length(names) == 1) "unknown argument " else "unknown arguments ",
                         paste0("`", names, "`", collapse = ", "), "; see ?",
                         topic, " for the arguments it takes."), names)
}

#' @rdname tensor-operators
#' @export
Math.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  extra <- list(...)
  nms <- names(extra) %||% rep("", length(extra))
  if (.Generic == "log") {
    if (length(extra) > 1 || any(!nms %in% c("", "base"))) {
      bad <- (nms != "" & nms != "base") | seq_along(extra) > 1
      tb_tf_unknown("log", ifelse(nms == "", vapply(extra, tb_describe, ""), nms)[bad])
    }
    if (length(extra) == 0) return(tb_call("bridge.tensors.log", x))
    base <- extra[[1]]
    if (!is.numeric(base) || length(base) != 1 || is.na(base) || !is.finite(base) ||
        base <= 0 || base == 1) {
      tb_tf_error("log", paste0("`base` must be one positive number other than 1, not ",
                                tb_describe(base), "."), "base")
    }
    return(tb_call("bridge.tensors.log", x, as.double(base)))
  }
  supported <- c("abs", "sign", "sqrt", "floor", "ceiling", "round", "exp", "expm1", "log1p",
                 "log2", "log10", "cos", "sin", "tan", "cospi", "sinpi", "tanpi", "acos",
                 "asin", "atan", "cosh", "sinh", "tanh", "acosh", "asinh", "atanh", "lgamma",
                 "digamma", "cumsum", "cumprod")
  if (!.Generic %in% supported) {
    stop(tb_condition(paste0(
      .Generic, "() is not available for tensors; use as.array() first, or one of ",
      paste0(c(supported, "log"), "()", collapse = ", ")
    ), call = call(.Generic, quote(x))))
  }
  if (.Generic == "round" && length(extra)) {
    digits <- extra[[1]]
    if (length(extra) > 1 || any(!nms %in% c("", "digits"))) {
      bad <- (nms != "" & nms != "digits") | seq_along(extra) > 1
      tb_tf_unknown("round", ifelse(nms == "", vapply(extra, tb_describe, ""), nms)[bad])
    }
    if (!identical(as.vector(digits), 0) && !identical(as.vector(digits), 0L)) {
      tb_tf_error("round", paste0("`digits` must be 0 for tensors (round to whole numbers), ",
                                  "not ", tb_describe(digits), "; scale first, e.g. ",
                                  "round(x * 100) / 100."), "digits")
    }
  } else if (length(extra)) {
    shown <- ifelse(nms == "", vapply(extra, tb_describe, ""), nms)
    tb_tf_unknown(.Generic, shown)
  }
  tb_call("bridge.tensors.unary", .Generic, x)
}

# `axis` of a summary, counted from 1 (negative from the end) as the
# tensorflow R package does, as 0-based axes for the engine (a list when
# there are several).
tb_tf_axis <- function(axis, rank, fn) {
  if (is.null(axis)) return(NULL)
  ok <- is.numeric(axis) && !is.factor(axis) && length(axis) >= 1 && is.null(dim(axis)) &&
    !anyNA(axis) && all(is.finite(axis)) && all(axis == round(axis)) && all(axis != 0) &&
    all(abs(axis) <= rank)
  if (!ok) {
    tb_tf_error(fn, paste0(
      "`axis` must be axes of the tensor, counted from 1 (negative from the end): whole ",
      "numbers from 1 to ", rank, " or from -", rank, " to -1, not ", tb_describe(axis), "."),
      "axis")
  }
  zero_based <- as.integer(ifelse(axis > 0, axis - 1, rank + axis))
  if (anyDuplicated(zero_based)) {
    tb_tf_error(fn, paste0("`axis` names an axis twice: ", tb_describe(axis), "."), "axis")
  }
  if (length(zero_based) == 1) zero_based else as.list(zero_based)
}

tb_tf_reduce_fns <- c(sum = "reduce_sum", prod = "reduce_prod", max = "reduce_max",
                      min = "reduce_min", all = "reduce_all", any = "reduce_any",
                      mean = "reduce_mean")

tb_tf_reduce <- function(fn, x, axis, keepdims) {
  keepdims <- if (isTRUE(keepdims) || isFALSE(keepdims)) keepdims else
    tb_tf_error(fn, paste0("`keepdims` must be TRUE or FALSE, not ", tb_describe(keepdims), "."),
                "keepdims")
  axis <- tb_tf_axis(axis, length(dim(x)), fn)
  tb_call(paste0("engine.", tb_tf_reduce_fns[[fn]]), x, axis = axis, keepdims = keepdims)
}

tb_tf_na_rm <- function(fn, na.rm) {
  if (!isFALSE(na.rm)) {
    tb_tf_error(fn, paste0("`na.rm` must be FALSE for tensors, not ", tb_describe(na.rm),
                           ": tensors have no NA (an R NA is NaN in a float tensor); remove ",
                           "NaN first, e.g. with tf$where(is_nan, 0, x)."), "na.rm")
  }
}

#' @rdname tensor-operators
#' @export
Summary.tensorbridge.engine.tensor.Tensor <- function(..., na.rm = FALSE) {
  fn <- .Generic
  tb_tf_na_rm(fn, na.rm)
  args <- list(...)
  nms <- names(args) %||% rep("", length(args))
  unknown <- setdiff(nms[nms != ""], c("axis", "keepdims"))
  if (length(unknown)) tb_tf_unknown(fn, unknown)
  axis <- args[["axis"]]
  keepdims <- if ("keepdims" %in% nms) args[["keepdims"]] else FALSE
  values <- args[nms == ""]
  if (length(values) > 1 && (!is.null(axis) || !isFALSE(keepdims))) {
    tb_tf_error(fn, "`axis` and `keepdims` reduce one tensor; give one tensor, or combine them first (e.g. tf$concat()).",
                c("axis", "keepdims"))
  }
  if (fn == "range") {
    if (length(values) == 1) {  # checked here, so that errors name range()
      tb_tf_axis(axis, length(dim(values[[1]])), "range")
      if (!isTRUE(keepdims) && !isFALSE(keepdims)) {
        tb_tf_error(fn, paste0("`keepdims` must be TRUE or FALSE, not ", tb_describe(keepdims),
                               "."), "keepdims")
      }
    }
    lower <- do.call(min, c(values, list(axis = axis, keepdims = keepdims)))
    upper <- do.call(max, c(values, list(axis = axis, keepdims = keepdims)))
    return(tb_call("engine.stack", list(lower, upper), axis = 0L))
  }
  if (length(values) == 1) return(tb_tf_reduce(fn, values[[1]], axis, keepdims))
  # several: each reduced, then those results reduced, as R's sum(a, b)
  tensors <- values[vapply(values, is_tensor, TRUE)]
  like <- tensors[[1]]
  dtypes <- unique(vapply(tensors, function(t) tb_getattr(tb_getattr(t, "dtype"), "name"), ""))
  if (length(dtypes) > 1) {
    tb_tf_error(fn, paste0("takes tensors of one dtype, not ", paste(dtypes, collapse = " and "),
                           "; cast them first, e.g. tf$cast(x, \"", dtypes[[1]], "\")."))
  }
  parts <- lapply(seq_along(values), function(i) {
    v <- values[[i]]
    if (!is_tensor(v)) {
      if (!(is.numeric(v) || is.logical(v)) || is.factor(v) || is.object(v) || anyNA(v)) {
        tb_tf_error(fn, paste0("takes tensors and numbers, not ", tb_describe(v),
                               " (argument ", i, ")."))
      }
      v <- tb_call("bridge.tensors._meet", v, like)  # in the tensor's dtype, as x + 1
    }
    tb_tf_reduce(fn, v, NULL, FALSE)
  })
  tb_tf_reduce(fn, tb_call("engine.stack", parts, axis = 0L), NULL, FALSE)
}

#' @rdname tensor-operators
#' @export
mean.tensorbridge.engine.tensor.Tensor <- function(x, ..., axis = NULL, keepdims = FALSE,
                                                   na.rm = FALSE) {
  extra <- list(...)
  if (length(extra)) {
    nms <- names(extra) %||% rep("", length(extra))
    tb_tf_unknown("mean", ifelse(nms == "", vapply(extra, tb_describe, ""), nms))
  }
  tb_tf_na_rm("mean", na.rm)
  tb_tf_reduce("mean", x, axis, keepdims)
}

#' Subsetting tensors
#'
#' `x[i, j, ...]` takes one index per axis, counting from 1 as R does: a
#' missing index keeps the whole axis, a position or a vector of positions
#' selects (a run like `2:5` is a slice, other vectors gather), a logical
#' vector as long as the axis selects where `TRUE`. An axis indexed by one
#' position is dropped unless `drop = FALSE`. Gradients flow through
#' subsetting.
#'
#' As in the tensorflow R package: negative positions count from the end
#' (`-1` is the last; a warning says so the first time, unless
#' `options(tensorflow.extract.warn_negatives_pythonic = FALSE)`);
#' `options(tensorflow.extract.one_based = FALSE)` makes positions count from
#' 0; [all_dims()] stands for the axes not indexed otherwise, and `NULL` (or
#' `tf$newaxis`) adds an axis of extent 1.
#'
#' Indices are checked in R, each against its axis: a position must be a
#' whole number within the axis's extent (0, `NA`, out-of-range positions
#' and negative positions mixed with others are errors); tensors have no
#' dimnames, so character indices are errors; `x[i]` on a tensor of several
#' axes (R's linear indexing) is an error: index each axis, or use
#' `as.array(x)[i]`.
#'
#' @param x A tensor.
#' @param ... One index per axis.
#' @param drop Drop the axes indexed by a single position.
#' @return A tensor.
#' @examples
#' if (tb_available()) {
#'   x <- tf$constant(matrix(1:12, 3))
#'   x[2, ]           # the second row, a rank-1 tensor
#'   x[2:3, c(1, 4)]
#'   x[-1, ]          # the last row
#'   x[all_dims(), 1] # the first column
#' }
#' @name tensor-subset
#' @export
`[.tensorbridge.engine.tensor.Tensor` <- function(x, ..., drop = TRUE) {
  args <- match.call(expand.dots = FALSE)$...
  if (!isTRUE(drop) && !isFALSE(drop)) {
    tb_tf_subset_error(paste0("`drop` must be TRUE or FALSE, not ", tb_describe(drop), "."))
  }
  env <- parent.frame()
  shape <- dim(x)
  # each index: the whole axis (missing), a new axis (NULL, i.e. tf$newaxis), all the
  # remaining axes (all_dims()), or positions
  kinds <- character(length(args))
  values <- vector("list", length(args))
  for (k in seq_along(args)) {
    if (identical(args[[k]], quote(expr = ))) {
      kinds[k] <- "all"
      next
    }
    value <- eval(args[[k]], env)
    if (is.null(value)) {
      kinds[k] <- "new"
    } else if (inherits(value, "tensorflow_all_dims")) {
      kinds[k] <- "rest"
    } else {
      kinds[k] <- "index"
      values[k] <- list(value)
    }
  }
  if (sum(kinds == "rest") > 1) tb_tf_subset_error("all_dims() can be given only once.")
  consumed <- sum(kinds %in% c("all", "index"))
  if (any(kinds == "rest")) {
    at <- which(kinds == "rest")
    n_rest <- length(shape) - consumed
    if (n_rest < 0) n_rest <- 0
    kinds <- c(kinds[seq_len(at - 1)], rep("all", n_rest), kinds[-seq_len(at)])
    values <- c(values[seq_len(at - 1)], vector("list", n_rest), values[-seq_len(at)])
    consumed <- consumed + n_rest
  }
  if (consumed != length(shape)) {
    tb_tf_subset_error(paste0(
      "a tensor of dim c(", paste(shape, collapse = ", "), ") needs ", length(shape),
      " indices, one per axis, not ", consumed,
      if (consumed == 1) "; R's linear indexing x[i] is not supported: use as.array(x)[i]",
      "."))
  }
  real <- which(kinds != "new")
  indices <- vector("list", length(real))
  for (j in seq_along(real)) {
    k <- real[[j]]
    if (kinds[k] == "index") indices[j] <- list(tb_tf_index(values[[k]], j, shape[[j]]))
  }
  out <- tb_call("bridge.tensors.subset", x, indices, drop = drop)
  if (any(kinds == "new")) {
    # new axes go where they stand among the axes the result keeps
    axis <- 0L
    for (k in seq_along(kinds)) {
      if (kinds[k] == "new") {
        out <- tb_call("engine.expand_dims", out, axis)
        axis <- axis + 1L
      } else if (kinds[k] == "all" || !drop || length(tb_index_positions(values[[k]])) != 1) {
        axis <- axis + 1L
      }
    }
  }
  out
}

tb_index_positions <- function(index) if (is.logical(index)) which(index) else index

#' All the remaining dimensions of a tensor, in an index
#'
#' In `x[...]`, `all_dims()` stands for every axis not indexed otherwise
#' (Python's `...`), and `NULL` (or `tf$newaxis`) adds an axis of extent 1.
#'
#' @return An object that `[` reads as "the other axes".
#' @examples
#' if (tb_available()) {
#'   x <- as_tensor(array(1:24, c(2, 3, 4)))
#'   dim(x[all_dims(), 1])     # 2 3
#'   dim(x[1, all_dims()])     # 3 4
#'   dim(x[, , , tf$newaxis])  # 2 3 4 1
#' }
#' @export
all_dims <- function() structure(list(), class = "tensorflow_all_dims")

tb_tf_subset_error <- function(message) {
  stop(tb_condition(paste0("x[...]: ", message), class = "tensorbridge_argument_error",
                    fn = "["))
}

# One index of x[...], checked against its axis (k, counted from 1) and
# the axis's extent; positions go to Python as integers.
tb_tf_index <- function(index, k, extent) {
  where <- paste0("the index for axis ", k)
  if (is.logical(index) && is.null(dim(index)) && !is.object(index)) {
    if (anyNA(index)) tb_tf_subset_error(paste0(where, " has NA; give TRUE or FALSE for each position."))
    if (length(index) != extent) {
      tb_tf_subset_error(paste0("a logical index for axis ", k, " must have ", extent,
                                " values (one per position), not ", length(index), "."))
    }
    return(index)
  }
  if (is.character(index)) {
    tb_tf_subset_error(paste0(where, " is ", tb_describe(index), ", but tensors have no ",
                              "dimnames: index by position (from 1)."))
  }
  if (!is.numeric(index) || is.factor(index) || is.object(index) || !is.null(dim(index))) {
    tb_tf_subset_error(paste0(where, " must be positions (whole numbers from 1) or TRUE/FALSE ",
                              "values, not ", tb_describe(index), "."))
  }
  if (anyNA(index)) tb_tf_subset_error(paste0(where, " has NA; give positions from 1 to ", extent, "."))
  if (any(index != round(index)) || any(!is.finite(index))) {
    tb_tf_subset_error(paste0(where, " has ", tb_describe(index[index != round(index) | !is.finite(index)][1]),
                              ", not a whole number; give positions from 1 to ", extent, "."))
  }
  one_based <- getOption("tensorflow.extract.one_based", TRUE)
  if (!isTRUE(one_based) && !isFALSE(one_based)) {
    tb_tf_subset_error(paste0("options(tensorflow.extract.one_based =) must be TRUE or ",
                              "FALSE, not ", tb_describe(one_based), "."))
  }
  if (any(index < 0)) {
    # as in the tensorflow R package: negative positions count from the end (-1 is the
    # last), Python's way, with a warning the first time
    if (any(index >= 0)) {
      tb_tf_subset_error(paste0(where, " mixes negative positions (counted from the end) ",
                                "with others; give one kind."))
    }
    if (any(-index > extent)) {
      tb_tf_subset_error(paste0("index ", min(index), " is out of bounds for axis ", k,
                                ", which has ", extent, " elements."))
    }
    if (isTRUE(getOption("tensorflow.extract.warn_negatives_pythonic", TRUE)) &&
        !isTRUE(.tb_state$warned_negative_index)) {
      .tb_state$warned_negative_index <- TRUE
      warning("negative positions count from the end when indexing tensors (-1 is the ",
              "last), as in Python and the tensorflow R package; to silence this warning, ",
              "set options(tensorflow.extract.warn_negatives_pythonic = FALSE)",
              call. = FALSE)
    }
    index <- extent + index + 1
  } else if (!one_based) {
    # options(tensorflow.extract.one_based = FALSE): positions from 0
    if (any(index >= extent)) {
      tb_tf_subset_error(paste0("index ", max(index), " is out of bounds for axis ", k,
                                ", which has ", extent, " elements (counted from 0)."))
    }
    index <- index + 1
  } else if (any(index == 0)) {
    tb_tf_subset_error(paste0(
      where, " has 0: tensor positions count from 1 to ", extent, " (for positions ",
      "from 0, set options(tensorflow.extract.one_based = FALSE))."))
  }
  if (any(index > extent)) {
    tb_tf_subset_error(paste0("index ", max(index), " is out of bounds for axis ", k,
                              ", which has ", extent, " elements."))
  }
  as.integer(index)
}

#' Bind tensors as columns or rows
#'
#' `cbind()` and `rbind()` of tensors work as R's do for matrices:
#' matrices (rank-2 tensors or R matrices) are joined along their columns
#' (`cbind()`) or rows (`rbind()`), each vector (a rank-1 tensor or an R
#' vector) becomes one column or row, and a single number fills one. R
#' values meet the tensors in their dtype (as `x + 1` does); the tensors
#' must share one dtype. Vectors must be as long as the matrices' columns
#' (`cbind()`) or rows (`rbind()`): unlike R, tensors are not recycled.
#' Gradients flow through both.
#'
#' @param ... Tensors, R vectors or matrices (at least one tensor); `NULL`
#'   is skipped.
#' @param deparse.level Not used: tensors have no dimnames.
#' @return A rank-2 tensor.
#' @examples
#' if (tb_available()) {
#'   a <- tf$constant(matrix(1:6, 2))
#'   as.array(cbind(a, c(7L, 8L)))
#'   as.array(rbind(a, a))
#' }
#' @name tensor-bind
#' @export
cbind.tensorbridge.engine.tensor.Tensor <- function(..., deparse.level = 1) {
  tb_tf_bind("cbind", list(...))
}

#' @rdname tensor-bind
#' @export
rbind.tensorbridge.engine.tensor.Tensor <- function(..., deparse.level = 1) {
  tb_tf_bind("rbind", list(...))
}

tb_tf_bind <- function(fn, values) {
  nms <- names(values) %||% rep("", length(values))
  if (any(nms != "")) {
    tb_tf_error(fn, paste0("tensors have no dimnames, so arguments are not named (",
                           paste0("`", nms[nms != ""], "`", collapse = ", "), ")."), nms[nms != ""])
  }
  values <- values[!vapply(values, is.null, TRUE)]
  is_t <- vapply(values, is_tensor, TRUE)
  like <- values[[which(is_t)[[1]]]]
  dtypes <- unique(vapply(values[is_t], function(t) tb_getattr(tb_getattr(t, "dtype"), "name"), ""))
  if (length(dtypes) > 1) {
    tb_tf_error(fn, paste0("takes tensors of one dtype, not ", paste(dtypes, collapse = " and "),
                           "; cast them first, e.g. tf$cast(x, \"", dtypes[[1]], "\")."))
  }
  parts <- lapply(seq_along(values), function(i) {
    v <- values[[i]]
    if (is_tensor(v)) return(v)
    if (!(is.numeric(v) || is.logical(v)) || is.factor(v) || is.data.frame(v) ||
        length(dim(v)) > 2) {
      tb_tf_error(fn, paste0("binds tensors, numeric vectors and matrices, not ", tb_describe(v),
                             " (argument ", i, ")."))
    }
    tb_call("bridge.tensors._meet", v, like)
  })
  dims <- lapply(parts, dim)
  ranks <- lengths(dims)
  if (any(ranks > 2)) {
    i <- which(ranks > 2)[[1]]
    tb_tf_error(fn, paste0("binds vectors and matrices, not a tensor of dim c(",
                           paste(dims[[i]], collapse = ", "), ") (argument ", i, ")."))
  }
  # the extent every part must share: rows for cbind(), columns for rbind()
  side <- if (fn == "cbind") 1L else 2L
  matrices <- ranks == 2
  lens <- vapply(seq_along(parts), function(i) {
    if (matrices[[i]]) dims[[i]][[side]] else as.integer(prod(dims[[i]]))
  }, 0L)
  n <- if (any(matrices)) lens[matrices][[1]] else max(lens)
  what <- if (fn == "cbind") "rows" else "columns"
  for (i in seq_along(parts)) {
    if (matrices[[i]] && lens[[i]] != n) {
      tb_tf_error(fn, paste0("the matrices must have the same number of ", what, ": argument ",
                             i, " has ", lens[[i]], ", not ", n, "."))
    }
    if (!matrices[[i]] && !lens[[i]] %in% c(1L, n)) {
      tb_tf_error(fn, paste0("argument ", i, " has ", lens[[i]], " values for ", n, " ", what,
                             "; give ", n, " (or one to fill them): tensors are not recycled."))
    }
  }
  shaped <- lapply(seq_along(parts), function(i) {
    if (matrices[[i]]) return(parts[[i]])
    shape <- if (fn == "cbind") list(n, 1L) else list(1L, n)
    if (lens[[i]] == n) tb_call("engine.reshape", parts[[i]], shape)
    else tb_call("engine.broadcast_to", tb_call("engine.reshape", parts[[i]], list(1L, 1L)), shape)
  })
  tb_call("engine.concat", shaped, axis = if (fn == "cbind") 1L else 0L)
}

#' @param mode As for `as.vector()`; `as.vector()`, `as.double()`,
#'   `as.integer()` and `as.logical()` give the tensor's values as an R
#'   vector (column-major order, as `as.vector(as.array(x))`).
#' @rdname tensor-conversion
#' @export
as.vector.tensorbridge.engine.tensor.Tensor <- function(x, mode = "any") {
  as.vector(as.array(x), mode = mode)
}

#' @rdname tensor-conversion
#' @export
as.double.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  tb_tf_no_dots("as.double", "`tensor-conversion`", ...)
  as.double(as.array(x))
}

#' @rdname tensor-conversion
#' @export
as.integer.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  tb_tf_no_dots("as.integer", "`tensor-conversion`", ...)
  as.integer(as.array(x))
}

#' @rdname tensor-conversion
#' @export
as.logical.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  tb_tf_no_dots("as.logical", "`tensor-conversion`", ...)
  as.logical(as.array(x))
}

#' Context managers: `with()` and `\%as\%`
#'
#' `with(tf$GradientTape() \%as\% tape, { ... })` enters the Python context
#' manager, binds what it returns to `tape` in the calling environment, runs
#' the block there (assignments in it stay visible afterwards) and exits the
#' context manager, also when the block fails.
#'
#' @param data A tensorbridge object that is a Python context manager, or
#'   `object \%as\% name`.
#' @param expr The block to run.
#' @param ... Nothing (an unknown argument is an error).
#' @param object A context manager.
#' @param name The name to bind the entered value to.
#' @return `with()`: the value of `expr`, invisibly; `\%as\%`: the context
#'   manager with the name to bind.
#' @examples
#' if (tb_available()) {
#'   x <- tf$constant(3)
#'   with(tf$GradientTape() %as% tape, {
#'     tape$watch(x)
#'     y <- x * x
#'   })
#'   as.array(tape$gradient(y, x))  # 6
#' }
#' @export
with.tensorbridge_object <- function(data, expr, ...) {
  tb_tf_no_dots("with", "with.tensorbridge_object", ...)
  tb_with(data, NULL, substitute(expr), parent.frame())
}

#' @rdname with.tensorbridge_object
#' @export
with.tensorbridge_with_as <- function(data, expr, ...) {
  tb_tf_no_dots("with", "with.tensorbridge_object", ...)
  tb_with(data$object, data$name, substitute(expr), parent.frame())
}

#' @rdname with.tensorbridge_object
#' @export
`%as%` <- function(object, name) {
  name <- substitute(name)
  if (!is.name(name)) {
    stop(tb_condition("%as% needs a plain name on its right, e.g. tf$GradientTape() %as% tape"))
  }
  structure(list(object = object, name = as.character(name)), class = "tensorbridge_with_as")
}

tb_with <- function(manager, name, expr, env) {
  if (!inherits(manager, "tensorbridge_object") ||
      !tb_call("bridge.tensors.is_context_manager", manager)) {
    stop(tb_condition(paste0("with() needs a Python context manager such as ",
                             "tf$GradientTape(), not a ", class(manager)[[1]])))
  }
  entered <- tb_method(manager, "__enter__")
  on.exit(tb_method(manager, "__exit__", NULL, NULL, NULL))
  if (!is.null(name)) assign(name, entered, envir = env)
  invisible(eval(expr, env))
}

#' The TensorFlow version the engine follows, and seeding every generator
#'
#' `tf_version()` is the TensorFlow API version whose names and semantics the
#' engine follows (major.minor, as the tensorflow R package reports it), for
#' code that checks e.g. `tf_version() >= "2.6"`. `set_random_seed()` seeds
#' R's generator (`set.seed()`) and the engine's, so that a script that calls
#' it trains the same model twice, bit for bit, on the CPU; with
#' `disable_gpu = TRUE` (the tensorflow R package's default) it also makes
#' the CPU the default device, since GPU kernels need not be deterministic.
#'
#' Without an engine seed (`tf$random$set_seed()` or `set_random_seed()`), R's
#' own `set.seed()` seeds the engine: when R's random state has changed since
#' the engine last looked, the engine draws its next seed from R's generator
#' (which moves R's state on by one draw). A script that calls `set.seed(1)`
#' therefore trains the same model twice, bit for bit, on the CPU.
#'
#' @param seed A whole number.
#' @param disable_gpu Make the CPU the default device.
#' @return `tf_version()`: a `numeric_version`; `set_random_seed()`: `NULL`,
#'   invisibly.
#' @examples
#' if (tb_available()) {
#'   tf_version() >= "2.6"
#'   set_random_seed(42)
#'   a <- as.array(tf$random$normal(list(2L)))
#'   set_random_seed(42)
#'   identical(a, as.array(tf$random$normal(list(2L))))
#' }
#' @export
tf_version <- function() {
  v <- tf$version$VERSION
  numeric_version(sub("^([0-9]+[.][0-9]+).*$", "\\1", v))
}

#' @rdname tf_version
#' @export
set_random_seed <- function(seed, disable_gpu = TRUE) {
  seed <- check_count(seed, min = 0)
  disable_gpu <- check_flag(disable_gpu)
  set.seed(seed)
  tb_call("engine.random.set_seed", seed)
  if (disable_gpu) tb_call("engine.set_default_device", "cpu")
  invisible(NULL)
}
