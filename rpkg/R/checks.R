# Argument checks shared by every exported function.
#
# Each check_*() takes the value and (by default) the expression the caller
# wrote for it as the argument name, returns the value normalized for Python
# (whole numbers as integers, shapes as lists, NULL kept), and otherwise stops
# with an R error that names the user's function, the argument, what was given
# and what is expected:
#
#   layer_dense(): `units` must be one positive whole number, not c(3, 4).
#
# The errors have class "tensorbridge_argument_error" (and "tensorbridge_error")
# and are raised before Python is reached.

# The exported function the user called: the innermost frame running one of
# the package's exported functions, or an S3 method of ours reached through its
# generic (fit.tensorbridge_object -> "fit"). The bridge calls are skipped: a
# check written as an argument of tb_call() runs inside it, for its caller.
tb_caller_name <- function() {
  ns <- topenv(environment(tb_caller_name))
  exports <- setdiff(getNamespaceExports(ns), c("tb_call", "tb_method"))
  calls <- sys.calls()
  for (i in rev(seq_along(calls))) {
    head <- calls[[i]][[1]]
    name <- if (is.name(head)) as.character(head) else ""
    if (name %in% c("", "tb_arg_error") ||
        !identical(topenv(environment(sys.function(i))), ns)) next
    if (name %in% exports) return(name)
    generic <- sub("[.]tensorbridge.*$|[.]keras.*$", "", name)
    if (generic != name) return(structure(generic, topic = name))
  }
  NULL
}

# A short R description of a value, as the user would write or recognize it.
tb_describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (inherits(x, "tensorbridge_object")) {
    # the Python class's own name: "a Sequential object", "a Tensor object"
    name <- sub("^.*[.]", "", class(x)[[1]])
    return(paste0(if (grepl("^[AEIOUaeiou]", name)) "an " else "a ", name, " object"))
  }
  if (is.function(x)) return("a function")
  if (is.environment(x)) return("an environment")
  if (isS4(x)) return(paste0("an S4 object of class ", class(x)[[1]]))
  if (is.data.frame(x)) return(paste0("a data frame with ", ncol(x), " columns"))
  if (is.factor(x)) return(paste0("a factor of length ", length(x)))
  if (is.list(x)) return(paste0("a list of length ", length(x)))
  if (is.atomic(x)) {
    if (length(x) == 0) return(paste0("an empty ", typeof(x), " vector"))
    if (length(x) <= 4 && is.null(dim(x))) {
      text <- paste(deparse(unclass(x), width.cutoff = 60L), collapse = " ")
      if (nchar(text) <= 60) return(text)
    }
    what <- if (!is.null(dim(x))) paste(dim(x), collapse = " x ") else length(x)
    type <- if (typeof(x) == "integer") "an integer" else paste("a", typeof(x))
    return(paste0(type, if (is.null(dim(x))) " vector of length " else " array of dim ", what))
  }
  paste0("an object of type ", typeof(x))
}

#' Errors for bad arguments
#'
#' Every exported function checks its arguments before the engine is
#' reached; a bad one stops with an error of class
#' `tensorbridge_argument_error` whose message names the function, the
#' argument, what was given and what is expected. Its fields `fn` and `arg`
#' name the function and the argument.
#'
#' @param arg The argument's name.
#' @param must What the argument must be, e.g. `"one positive whole number"`.
#' @param x The value given.
#' @param fn The function the user called (found on the call stack when
#'   `NULL`).
#' @return Does not return: signals the error.
#' @examples
#' f <- function(units) tb_arg_error("units", "one positive whole number", units)
#' tryCatch(f(c(3, 4)), tensorbridge_argument_error = conditionMessage)
#' @keywords internal
#' @export
tb_arg_error <- function(arg, must, x, fn = NULL) {
  fn <- fn %||% tb_caller_name()
  given <- if (missing(x)) "" else paste0(", not ", tb_describe(x))
  prefix <- if (is.null(fn)) "" else paste0(fn, "(): ")
  stop(tb_condition(paste0(prefix, "`", arg, "` must be ", must, given, "."),
                    class = "tensorbridge_argument_error", fn = fn, arg = arg))
}

# An error about something other than one argument's type or range (a file
# that exists, sizes that do not fit), prefixed with the user's function.
tb_stop <- function(...) {
  fn <- tb_caller_name()
  stop(tb_condition(paste0(if (!is.null(fn)) paste0(fn, "(): "), ...)))
}

tb_arg_name <- function(expr) paste(deparse(expr, width.cutoff = 60L), collapse = " ")

tb_int_max <- .Machine$integer.max

tb_bound_text <- function(min, max) {
  if (min == 1 && is.infinite(max)) return("positive ")
  if (min == 0 && is.infinite(max)) return("non-negative ")
  ""
}

tb_range_text <- function(min, max, min_open = FALSE, max_open = FALSE) {
  lo <- if (is.finite(min)) paste0(if (min_open) "> " else ">= ", format(min)) else NULL
  hi <- if (is.finite(max)) paste0(if (max_open) "< " else "<= ", format(max)) else NULL
  if (is.null(lo) && is.null(hi)) "" else paste0(" ", paste(c(lo, hi), collapse = " and "))
}

tb_is_whole <- function(x, min, max) {
  is.numeric(x) && !is.factor(x) && !anyNA(x) && all(is.finite(x)) &&
    all(x == round(x)) && all(x >= min) && all(x <= max)
}

# One whole number (e.g. `units`, `epochs`): an R integer for Python's int.
check_count <- function(x, arg = tb_arg_name(substitute(x)), min = 1, max = tb_int_max,
                        null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (length(x) != 1 || !is.null(dim(x)) || !tb_is_whole(x, min, min(max, tb_int_max))) {
    hi <- if (max >= tb_int_max) Inf else max
    bound <- tb_bound_text(min, hi)
    must <- paste0("one ", bound, "whole number", if (bound == "") tb_range_text(min, hi),
                   if (null_ok) " (or NULL)" else "")
    if (length(x) == 1 && tb_is_whole(x, min, Inf) && x > tb_int_max) {
      must <- paste0(must, " no larger than ", tb_int_max)
    }
    tb_arg_error(arg, must, x)
  }
  as.integer(x)
}

# Whole numbers (e.g. `kernel_size = c(3, 3)`): one number stays one number,
# several become a list (Python's tuple); `len` is the allowed lengths.
check_counts <- function(x, arg = tb_arg_name(substitute(x)), min = 1, len = NULL,
                         null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  ok_len <- length(x) >= 1 && (is.null(len) || length(x) %in% len)
  if (!ok_len || !tb_is_whole(x, min, tb_int_max)) {
    how_many <- if (is.null(len)) "" else paste0(" (", paste(len, collapse = " or "), " of them)")
    bound <- tb_bound_text(min, Inf)
    tb_arg_error(arg, paste0(bound, "whole numbers", if (bound == "") tb_range_text(min, Inf),
                             how_many, if (null_ok) " (or NULL)" else ""), x)
  }
  if (length(x) == 1) as.integer(x) else as.list(as.integer(x))
}

# One finite number (a rate, a learning rate, a coefficient).
check_number <- function(x, arg = tb_arg_name(substitute(x)), min = -Inf, max = Inf,
                         min_open = FALSE, max_open = FALSE, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  ok <- is.numeric(x) && !is.factor(x) && length(x) == 1 && is.null(dim(x)) && !is.na(x) &&
    is.finite(x) && (if (min_open) x > min else x >= min) && (if (max_open) x < max else x <= max)
  if (!ok) {
    tb_arg_error(arg, paste0("one finite number", tb_range_text(min, max, min_open, max_open),
                             if (null_ok) " (or NULL)" else ""), x)
  }
  as.double(x)
}

# A fraction of units to drop (dropout rates): 0 <= x < 1.
check_rate <- function(x, arg = tb_arg_name(substitute(x))) {
  check_number(x, arg, min = 0, max = 1, max_open = TRUE)
}

check_flag <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.logical(x) || length(x) != 1 || is.na(x) || !is.null(dim(x))) {
    tb_arg_error(arg, paste0("TRUE or FALSE", if (null_ok) " (or NULL)" else ""), x)
  }
  x
}

# One string; with `choices`, one of them.
check_string <- function(x, arg = tb_arg_name(substitute(x)), choices = NULL,
                         null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  ok <- is.character(x) && length(x) == 1 && !is.na(x) && (is.null(choices) || x %in% choices)
  if (!ok) {
    must <- if (is.null(choices)) "one string" else
      paste0("one of ", paste0('"', choices, '"', collapse = ", "))
    tb_arg_error(arg, paste0(must, if (null_ok) " (or NULL)" else ""), x)
  }
  x
}

check_strings <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.character(x) || length(x) == 0 || anyNA(x)) {
    tb_arg_error(arg, paste0("a character vector without NA",
                             if (null_ok) " (or NULL)" else ""), x)
  }
  x
}

check_function <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.function(x)) tb_arg_error(arg, paste0("a function", if (null_ok) " (or NULL)" else ""), x)
  x
}

# The shape of one sample: whole numbers >= 1, NA (or NULL in a list) for a
# size that can vary; a list of integers/NULL for Python.
check_shape <- function(x, arg = tb_arg_name(substitute(x)), null_ok = TRUE) {
  if (is.null(x) && null_ok) return(NULL)
  dims <- if (is.list(x)) {
    lapply(x, function(d) if (is.null(d)) NA else d)
  } else if (is.atomic(x) && !is.character(x) && !is.factor(x)) as.list(x) else NULL
  ok <- !is.null(dims) && length(dims) >= 1 && all(vapply(dims, function(d) {
    length(d) == 1 && (is.na(d) || tb_is_whole(d, 1, tb_int_max))
  }, logical(1)))
  if (!ok) {
    tb_arg_error(arg, "positive whole numbers, NA for a size that can vary", x)
  }
  lapply(dims, function(d) if (is.na(d)) NULL else as.integer(d))
}

# Extra arguments that reached a method's `...` were not understood: an error
# that names them (keras-style methods take no extra arguments).
check_dots_empty <- function(...) {
  dots <- substitute(list(...))[-1]
  if (length(dots) == 0) return(invisible())
  names <- names(dots) %||% rep("", length(dots))
  shown <- ifelse(names == "", vapply(dots, tb_arg_name, ""), paste0("`", names, "`"))
  tb_unknown_args(shown, names)
}

# The error for arguments a function does not take: `shown` is how each is
# printed, `hint` an optional clause before the pointer to the help page
# (a method's own page, ?predict.tensorbridge_object, not the generic's).
tb_unknown_args <- function(shown, arg = shown, hint = "", fn = tb_caller_name()) {
  topic <- attr(fn, "topic") %||% fn %||% "tensorbridge"
  fn <- as.vector(fn)
  prefix <- if (is.null(fn)) "" else paste0(fn, "(): ")
  stop(tb_condition(
    paste0(prefix, if (length(shown) == 1) "unknown argument " else "unknown arguments ",
           paste(shown, collapse = ", "), hint, "; see ?", topic,
           " for the arguments it takes."),
    class = "tensorbridge_argument_error", fn = fn, arg = arg))
}

# --- keras-style checks, built on the helpers above -----------------------------

# Is `x` a handle to an engine object whose Python class ends in `suffix`
# (e.g. ".Optimizer", ".Layer")?
tb_is_a <- function(x, suffix) {
  inherits(x, "tensorbridge_object") && any(endsWith(class(x), suffix))
}

# One whole number of any sign (an axis in Python's convention, -1 the last).
check_axis <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (length(x) != 1 || !is.null(dim(x)) || !tb_is_whole(x, -tb_int_max, tb_int_max)) {
    tb_arg_error(arg, paste0("one whole number (an axis; -1 is the last)",
                             if (null_ok) " (or NULL)" else ""), x)
  }
  as.integer(x)
}

# Whole numbers of any sign (axes), one or several; several become a list.
check_axes <- function(x, arg = tb_arg_name(substitute(x)), len = NULL) {
  if (length(x) < 1 || !is.null(dim(x)) || (!is.null(len) && !length(x) %in% len) ||
      !tb_is_whole(x, -tb_int_max, tb_int_max)) {
    how_many <- if (is.null(len)) "" else paste0(" (", paste(len, collapse = " or "), " of them)")
    tb_arg_error(arg, paste0("whole numbers (axes; -1 is the last)", how_many), x)
  }
  if (length(x) == 1) as.integer(x) else as.list(as.integer(x))
}

# `verbose`: 0, 1 ... `max`, or "auto" where keras takes it.
check_verbose <- function(x, arg = tb_arg_name(substitute(x)), max = 2, auto_ok = TRUE) {
  if (auto_ok && identical(x, "auto")) return("auto")
  if (length(x) != 1 || !is.null(dim(x)) || !tb_is_whole(x, 0, max)) {
    levels <- as.character(seq(0, max))
    must <- if (auto_ok) paste0(paste(levels, collapse = ", "), ' or "auto"') else
      paste0(paste(levels[-length(levels)], collapse = ", "), " or ", levels[length(levels)])
    tb_arg_error(arg, must, x)
  }
  as.integer(x)
}

# Objects given by name or as an engine object: what each kind accepts.
tb_object_kinds <- list(
  activation = list(suffix = NULL, strings = TRUE, functions = TRUE,
                    what = 'an activation name (e.g. "relu") or an R function'),
  optimizer = list(suffix = ".Optimizer", strings = TRUE, functions = FALSE,
                   what = 'an optimizer name (e.g. "adam") or an optimizer_*() object'),
  loss = list(suffix = ".Loss", strings = TRUE, functions = TRUE,
              what = 'a loss name (e.g. "mse"), a loss_*() object or an R function'),
  metric = list(suffix = ".Metric", strings = TRUE, functions = TRUE,
                what = 'a metric name (e.g. "accuracy"), a metric_*() object or an R function'),
  initializer = list(suffix = ".Initializer", strings = TRUE, functions = TRUE,
                     what = paste0('an initializer name (e.g. "glorot_uniform"), an ',
                                   'initializer_*() object or an R function')),
  regularizer = list(suffix = ".Regularizer", strings = TRUE, functions = TRUE,
                     what = 'a regularizer_*() object, a regularizer name or an R function'),
  constraint = list(suffix = ".Constraint", strings = TRUE, functions = TRUE,
                    what = 'a constraint_*() object, a constraint name or an R function'),
  callback = list(suffix = ".Callback", strings = FALSE, functions = FALSE,
                  what = "a callback_*() object"),
  schedule = list(suffix = ".LearningRateSchedule", strings = FALSE, functions = FALSE,
                  what = "a learning_rate_schedule_*() object"),
  layer = list(suffix = ".Layer", strings = FALSE, functions = FALSE,
               what = "a layer (e.g. layer_lstm(units = 8))")
)

# A keras object of one `kind` (see tb_object_kinds): a name, an engine object
# of that kind, or (where keras takes one) an R function.
check_keras_object <- function(x, kind, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  spec <- tb_object_kinds[[kind]]
  ok <- if (inherits(x, "tensorbridge_object")) {
    !is.null(spec$suffix) && tb_is_a(x, spec$suffix)
  } else if (is.function(x)) {
    spec$functions
  } else {
    spec$strings && is.character(x) && length(x) == 1 && !is.na(x) && nzchar(x)
  }
  if (!ok) tb_arg_error(arg, paste0(spec$what, if (null_ok) " (or NULL)" else ""), x)
  x
}

check_activation <- function(x, arg = tb_arg_name(substitute(x)), null_ok = TRUE) {
  # activation_relu and friends name the engine's own activation
  name <- if (is.function(x)) attr(x, "py_function_name", exact = TRUE)
  if (is.character(name) && length(name) == 1) return(name)
  check_keras_object(x, "activation", arg, null_ok = null_ok)
}

check_padding <- function(x, arg = tb_arg_name(substitute(x)), causal_ok = FALSE) {
  check_string(x, arg, choices = c("valid", "same", if (causal_ok) "causal"))
}

check_data_format <- function(x, arg = tb_arg_name(substitute(x))) {
  check_string(x, arg, choices = c("channels_last", "channels_first"), null_ok = TRUE)
}

# A random seed: NULL or a non-negative whole number.
check_seed <- function(x, arg = tb_arg_name(substitute(x))) {
  check_count(x, arg, min = 0, null_ok = TRUE)
}

# Data for a model (x, y, validation data): a numeric (or logical) vector or
# array, a data frame, a tensor, or a list of those (one per input or output).
check_model_data <- function(x, arg = tb_arg_name(substitute(x)), null_ok = TRUE) {
  if (is.null(x) && null_ok) return(NULL)
  one_ok <- function(v) {
    inherits(v, "tensorbridge_object") || is.data.frame(v) ||
      ((is.numeric(v) || is.logical(v)) && !is.factor(v) && is.atomic(v) && !is.object(v)) ||
      (is.numeric(v) && is.object(v) && !is.factor(v) && inherits(v, c("matrix", "array")))
  }
  must <- "a numeric array or a data frame (or a list of them, one per input or output)"
  if (is.list(x) && !is.data.frame(x) && !inherits(x, "tensorbridge_object") && !is.object(x)) {
    if (length(x) == 0) tb_arg_error(arg, must, x)
    for (i in seq_along(x)) {
      v <- x[[i]]
      # a list of numeric vectors (sequences) is left to the engine, which says
      # how to pad them; a list of lists is not model data
      if (!one_ok(v)) {
        tb_arg_error(paste0(arg, "[[", i, "]]"), "a numeric array or a data frame", v)
      }
    }
    return(x)
  }
  if (!one_ok(x)) tb_arg_error(arg, must, x)
  x
}

# Named options that a function passes on to the engine (`...` documented
# to go somewhere): `checks` maps each accepted name to its check.
check_options <- function(options, checks, fn = NULL) {
  nms <- names(options) %||% rep("", length(options))
  bad <- nms == "" | !nms %in% names(checks)
  if (any(bad)) {
    shown <- ifelse(nms[bad] == "", vapply(options[bad], tb_describe, ""),
                    paste0("`", nms[bad], "`"))
    tb_unknown_args(shown, nms[bad], fn = fn %||% tb_caller_name())
  }
  for (name in nms) {
    value <- checks[[name]](options[[name]], name)
    if (is.null(value)) options[name] <- list(NULL) else options[[name]] <- value
  }
  options
}

# Checks of the options keras layers take by name through `...`.
tb_option_checks <- function(names) {
  check_for <- function(name) {
    if (endsWith(name, "_initializer")) {
      function(x, arg) check_keras_object(x, "initializer", arg)
    } else if (endsWith(name, "_regularizer")) {
      function(x, arg) check_keras_object(x, "regularizer", arg, null_ok = TRUE)
    } else if (endsWith(name, "_constraint")) {
      function(x, arg) check_keras_object(x, "constraint", arg, null_ok = TRUE)
    } else {
      function(x, arg) check_flag(x, arg)
    }
  }
  stats::setNames(lapply(names, check_for), names)
}
