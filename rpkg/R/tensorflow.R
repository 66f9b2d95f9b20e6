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
tf <- structure(list(), class = "tensorbridge_engine_module")

tb_engine_module <- function() {
  if (is.null(.tb_state$engine_module)) {
    .tb_state$engine_module <- tb_call("bridge.runtime.resolve", "engine")
  }
  .tb_state$engine_module
}

#' @export
`$.tensorbridge_engine_module` <- function(x, name) tb_getattr(tb_engine_module(), name)

#' @export
`[[.tensorbridge_engine_module` <- function(x, i, ...) tb_getattr(tb_engine_module(), i)

#' @export
print.tensorbridge_engine_module <- function(x, ...) {
  cat("tensorbridge's engine (TensorFlow's names): tf$constant(), tf$matmul(), ",
      "tf$GradientTape(), tf$nn$relu() ...\n", sep = "")
  invisible(x)
}

# completion after `tf$` and `object$` in RStudio and the R console
#' @importFrom utils .DollarNames
#' @rawNamespace S3method(utils::.DollarNames, tensorbridge_engine_module)
.DollarNames.tensorbridge_engine_module <- function(x, pattern = "") {
  grep(pattern, tb_call("bridge.tensors.public_names", tb_engine_module()), value = TRUE)
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
#' @param e1,e2,x Tensors, or R values that meet a tensor in its dtype.
#' @param ... For `Summary`: one tensor. For `Math`: `base` of `log()`.
#' @param na.rm Not used (tensors have no NA).
#' @return A tensor.
#' @name tensor-operators
#' @keywords internal
#' @export
Ops.tensorbridge.engine.tensor.Tensor <- function(e1, e2) {
  if (missing(e2)) {
    if (.Generic == "+") return(e1)
    return(tb_call("bridge.tensors.unary", .Generic, e1))
  }
  tb_call("bridge.tensors.binary", .Generic, e1, e2)
}

#' @rdname tensor-operators
#' @export
Math.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  if (.Generic == "log") return(tb_call("bridge.tensors.log", x, ...))
  supported <- c("abs", "sign", "sqrt", "floor", "ceiling", "round", "exp", "expm1", "log1p",
                 "cos", "sin", "tanh", "cumsum")
  if (!.Generic %in% supported) {
    stop(tb_condition(paste0(
      .Generic, "() is not available for tensors; use as.array() first, or one of ",
      paste0(c(supported, "log"), "()", collapse = ", ")
    ), call = call(.Generic, quote(x))))
  }
  tb_call("bridge.tensors.unary", .Generic, x)
}

#' @rdname tensor-operators
#' @export
Summary.tensorbridge.engine.tensor.Tensor <- function(..., na.rm = FALSE) {
  args <- list(...)
  if (length(args) != 1L || !is_tensor(args[[1]])) {
    stop(tb_condition(paste0(
      .Generic, "() of tensors takes one tensor; combine them first (e.g. tf$concat())"
    ), call = call(.Generic, quote(...))))
  }
  if (.Generic == "range") {
    return(list(min = min(args[[1]]), max = max(args[[1]])))
  }
  tb_call("bridge.tensors.summary", .Generic, args[[1]])
}

#' @rdname tensor-operators
#' @export
mean.tensorbridge.engine.tensor.Tensor <- function(x, ...) {
  tb_call("bridge.tensors.summary", "mean", x)
}

#' Subsetting tensors
#'
#' `x[i, j, ...]` takes one index per axis, counting from 1 as R does: a
#' missing index keeps the whole axis, a position or a vector of positions
#' selects (a run like `2:5` is a slice, other vectors gather), a logical
#' vector selects where `TRUE`. An axis indexed by one position is dropped
#' unless `drop = FALSE`. Gradients flow through subsetting.
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
#' }
#' @name tensor-subset
#' @export
`[.tensorbridge.engine.tensor.Tensor` <- function(x, ..., drop = TRUE) {
  args <- match.call(expand.dots = FALSE)$...
  indices <- vector("list", length(args))
  for (k in seq_along(args)) {
    # a missing index (x[, 1]) is the empty symbol; it stays NULL: the whole axis
    if (!identical(args[[k]], quote(expr = ))) {
      indices[k] <- list(eval(args[[k]], parent.frame()))
    }
  }
  tb_call("bridge.tensors.subset", x, indices, drop = drop)
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
as.double.tensorbridge.engine.tensor.Tensor <- function(x, ...) as.double(as.array(x))

#' @rdname tensor-conversion
#' @export
as.integer.tensorbridge.engine.tensor.Tensor <- function(x, ...) as.integer(as.array(x))

#' @rdname tensor-conversion
#' @export
as.logical.tensorbridge.engine.tensor.Tensor <- function(x, ...) as.logical(as.array(x))

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
#' @param ... Unused.
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
  tb_with(data, NULL, substitute(expr), parent.frame())
}

#' @rdname with.tensorbridge_object
#' @export
with.tensorbridge_with_as <- function(data, expr, ...) {
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
