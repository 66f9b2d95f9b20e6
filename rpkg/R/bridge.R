# Calling Python through the bridge, and the R helpers Python calls back.

tb_condition <- function(message, class = character(), call = NULL, ...) {
  structure(
    class = c(class, "tensorbridge_error", "error", "condition"),
    list(message = message, call = call, ...)
  )
}

# What .External(tb_c_dispatch, ...) returned, as a value or an R condition.
# The Python side marks anything but a plain result with a class starting
# "tensorbridge_" (an error, an interrupt, a result that carries warnings).
tb_result <- function(value, call) {
  if (is.null(value)) return(invisible())
  if (!is.list(value) || !startsWith(class(value)[[1]], "tensorbridge_") ||
      length(value) != 2L) {
    return(value)
  }
  kind <- class(value)[[1]]
  for (w in value[[2]]) warning(w, call. = FALSE)
  switch(kind,
    tensorbridge_py_error = {
      detail <- value[[1]]
      .tb_state$last_error <- detail
      stop(tb_condition(
        if (is.null(detail$display)) paste0(detail$type, ": ", detail$message) else
          detail$display,
        class = paste0("tensorbridge_python_", detail$type),
        call = call,
        python_type = detail$type,
        traceback = detail$traceback
      ))
    },
    tensorbridge_r_error = stop(value[[1]]),
    tensorbridge_interrupt = tb_interrupt(),
    tensorbridge_with_warnings = value[[1]],
    value
  )
}

# The call an error message names: the function that called into the bridge
# (e.g. layer_dense(...)) rather than the bridge call itself, whose arguments
# may be large values spliced in by do.call().
tb_user_call <- function() {
  calls <- sys.calls()
  n <- length(calls)
  ns <- environment(tb_call)
  is_bridge <- vapply(seq_len(n), function(i) {
    f <- sys.function(i)
    identical(f, tb_call) || identical(f, tb_method) || identical(f, tb_getattr)
  }, TRUE)
  internal <- vapply(seq_len(n), function(i) {
    f <- sys.function(i)
    name <- if (is.name(calls[[i]][[1]])) as.character(calls[[i]][[1]]) else ""
    # the package's own helpers (not exported) and do.call() are not what the
    # user called
    identical(f, do.call) || name == "" ||
      (identical(environment(f), ns) && !name %in% getNamespaceExports(ns))
  }, TRUE)
  below <- max(c(1L, which(is_bridge))) - 1L
  for (i in rev(seq_len(below))) if (!internal[i]) return(calls[[i]])
  NULL
}

tb_interrupt <- function() {
  # Re-signal the user's Ctrl-C as an R interrupt: handlers established with
  # tryCatch(interrupt = ) see it, then control returns to the top level.
  signalCondition(structure(class = c("interrupt", "condition"),
                            list(message = "interrupted", call = NULL)))
  invokeRestart("abort")
}

#' Call a function of the Python package
#'
#' Low-level access to the engine: `tb_call()` calls a function of the
#' Python package `tensorbridge` by its dotted path (relative to the package),
#' `tb_method()` calls a method of an object that lives in Python. Arguments
#' are converted by the bridge's rules (an R array arrives as a numpy view of
#' R's memory); the result comes back as an R value or a handle.
#'
#' @param .target Dotted path below the Python package, e.g. `"engine.constant"`.
#' @param .object A tensorbridge object (a handle to a Python object).
#' @param .name Method name.
#' @param ... Arguments, positional or named, passed to the Python function
#'   (the dots in `.target`, `.object` and `.name` keep them from capturing
#'   Python arguments called `target`, `object` or `name`).
#' @return The converted result.
#' @examples
#' if (tb_available()) tb_call("bridge.api.shape", matrix(0, 2, 3))
#' @export
tb_call <- function(.target, ...) {
  if (is.null(.tb_state$attached)) tb_bridge()
  tb_result(.External(tb_c_dispatch, "call", .target, ...), tb_user_call())
}

#' @rdname tb_call
#' @export
tb_method <- function(.object, .name, ...) {
  if (is.null(.tb_state$attached)) tb_bridge()
  tb_result(.External(tb_c_dispatch, "call_method", .object, .name, ...), tb_user_call())
}

tb_getattr <- function(object, name) {
  if (is.null(.tb_state$attached)) tb_bridge()
  tb_result(.External(tb_c_dispatch, "get_attr", object, name), tb_user_call())
}

#' The last Python error, with its traceback
#'
#' @return A list with `type`, `message` and `traceback` of the last Python
#'   exception that reached R, or `NULL` if there was none; the traceback is
#'   also printed.
#' @examples
#' tb_last_error()
#' @export
tb_last_error <- function() {
  err <- .tb_state$last_error
  if (!is.null(err)) cat(err$traceback)
  invisible(err)
}

# A handle is an external pointer made by tb_c_make_handle() (src/bridge.c)
# with the Python object's key and an S3 class vector from its MRO; when R
# garbage-collects it, a C finalizer releases the Python object.

# R functions the Python side calls, looked up by name (see bridge/runtime.py).
.tb_helpers <- list(
  # A handle to a callable Python object becomes an R function that calls it;
  # it carries the handle's key and classes, and its environment keeps the
  # handle (and so the Python object) alive.
  make_callable = function(handle) {
    f <- if (any(endsWith(class(handle), ".layers.base.Layer"))) {
      # a layer: piped onto a sequential model (`model %>% my_layer`) it is
      # added to the model, as in keras R; otherwise it is called
      function(...) {
        if (...length() == 1L && tb_is_sequential(..1)) {
          tb_method(..1, "add", handle)
          return(..1)
        }
        tb_method(handle, "__call__", ...)
      }
    } else {
      function(...) tb_method(handle, "__call__", ...)
    }
    attr(f, "tb_key") <- attr(handle, "tb_key")
    class(f) <- class(handle)
    f
  },
  make_factor = function(codes, levels, ordered) {
    factor(levels[codes], levels = levels, ordered = ordered)
  },
  make_data_frame = function(columns, nrow) {
    structure(columns, class = "data.frame", row.names = .set_row_names(nrow))
  },
  call_r = function(fn, args, kwargs) {
    # An R callback that Python calls: an R error comes back as a value that
    # Python raises and the bridge re-signals in R as that very condition.
    # A Ctrl-C while the callback runs comes back as a value too: Python
    # raises KeyboardInterrupt, and the bridge re-signals an R interrupt.
    tryCatch(
      list(do.call(fn, c(args, kwargs))),
      error = function(e) structure(list(e), class = "tensorbridge_r_error"),
      interrupt = function(i) structure(list(i), class = "tensorbridge_r_interrupt")
    )
  },
  console_write = function(text, stderr) {
    cat(text, file = if (stderr) base::stderr() else "", sep = "")
  },
  # a seed for the engine's random streams, drawn from R's generator (so that
  # set.seed() makes the engine's draws repeat)
  draw_seed = function() sample.int(.Machine$integer.max, 1L)
)

# Where R keeps a vector's data (tests prove zero-copy conversions with it).
tb_data_address <- function(x) .Call(tb_c_data_address, x)
