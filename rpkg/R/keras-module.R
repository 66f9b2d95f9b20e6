# The `keras` object (the engine's keras namespace, as keras R's `keras`),
# tensorflow R's shape() and keras R's zip_lists().

#' The engine's keras namespace, as `keras`
#'
#' `keras` reaches the engine's keras classes and functions by their
#' Python names, as keras R's `keras` object does: `keras$layers$Dense(units =
#' 3L)`, `keras$Model`, `keras$Sequential`, `keras$metrics$Mean(name = "m")`,
#' `keras$losses$MeanSquaredError()`, `keras$optimizers$Adam()`,
#' `keras$backend$epsilon()`, `keras$activations$relu` ... Arguments follow
#' Python's conventions (whole numbers as integers, axes from 0), as with
#' [tf]. Completion after `keras$` lists the names.
#'
#' @format An object that resolves `keras$name` in the engine's keras
#'   namespace.
#' @examples
#' if (tb_available()) {
#'   dense <- keras$layers$Dense(units = 3L)
#'   m <- keras$metrics$Mean(name = "m")
#'   keras$backend$epsilon()
#' }
#' @export
keras <- structure(list(), class = "tensorbridge_module", path = "engine.keras",
                   imports = "engine.keras.backend",
                   what = paste0("tensorbridge's keras namespace: keras$layers$Dense(), ",
                                 "keras$Model, keras$metrics$Mean(), keras$backend$epsilon() ..."))

#' A tensor shape: `shape()`
#'
#' As tensorflow R's `shape()`: the extents of a tensor, `NULL` (or `NA`)
#' where an extent is not known (e.g. the batch axis, or the time steps of
#' sequences of any length). Usable as `shape =`, `input_shape =` and
#' `batch_shape =` arguments, and by [k_reshape()] and the `k_*()` functions
#' that take a shape. `length()`, `as.integer()` (NA for unknown extents),
#' `as.list()` and `print()` work on it.
#'
#' @param ... Extents: whole numbers >= 0, `NULL` or `NA` for an unknown
#'   one; vectors are spliced in.
#' @param dims A vector or list of extents, instead of `...`.
#' @param x A shape.
#' @return An object of class `tensorbridge_shape` (a list of integers and
#'   `NULL`s).
#' @examples
#' shape(NULL, 3)
#' shape(dims = c(28, 28, 1))
#' if (tb_available()) {
#'   model <- keras_model_sequential() %>%
#'     layer_dense(units = 2, input_shape = shape(3))
#' }
#' @export
shape <- function(..., dims = NULL) {
  dots <- list(...)
  if (!is.null(dims)) {
    if (length(dots)) tb_stop("give the extents in `...` or in `dims`, not both.")
    dots <- if (is.list(dims)) dims else as.list(dims)
  }
  out <- list()
  for (i in seq_along(dots)) {
    d <- dots[[i]]
    if (inherits(d, "tensorbridge_shape")) d <- unclass(d)
    if (is.null(d)) {
      out <- c(out, list(NULL))
      next
    }
    parts <- if (is.list(d)) d else as.list(d)
    for (p in parts) {
      if (is.null(p) || (length(p) == 1 && is.atomic(p) && is.na(p))) {
        out <- c(out, list(NULL))
      } else if (length(p) == 1 && tb_is_whole(p, 0, tb_int_max)) {
        out <- c(out, list(as.integer(p)))
      } else {
        tb_arg_error(paste0("..", i), "extents: whole numbers >= 0, or NULL or NA for an unknown one", d)
      }
    }
  }
  structure(out, class = "tensorbridge_shape")
}

#' @rdname shape
#' @export
print.tensorbridge_shape <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

#' @rdname shape
#' @export
format.tensorbridge_shape <- function(x, ...) {
  dims <- vapply(unclass(x), function(d) if (is.null(d)) "NULL" else as.character(d), "")
  paste0("shape(", paste(dims, collapse = ", "), ")")
}

#' @rdname shape
#' @export
as.integer.tensorbridge_shape <- function(x, ...) {
  vapply(unclass(x), function(d) if (is.null(d)) NA_integer_ else d, 1L)
}

#' @rdname shape
#' @export
as.list.tensorbridge_shape <- function(x, ...) unclass(x)

#' @rdname shape
#' @param name `as_list` (a function giving the extents as a list), `rank`
#'   (the number of axes), `num_elements` (a function: the product of the
#'   extents, `NULL` if one is unknown), `is_fully_defined` (a function) or
#'   `dims` (the extents), as TensorShape has them.
#' @export
`$.tensorbridge_shape` <- function(x, name) {
  dims <- unclass(x)
  unknown <- any(vapply(dims, is.null, TRUE))
  switch(name,
         as_list = function() dims,
         rank = ,
         ndims = length(dims),
         dims = dims,
         num_elements = function() if (unknown) NULL else prod(as.numeric(unlist(dims))),
         is_fully_defined = function() !unknown,
         stop(tb_condition(paste0(
           "a shape has no `", name, "`; it has as_list(), rank, num_elements(), ",
           "is_fully_defined() and dims (and [[i]] for one extent)"),
           class = "tensorbridge_argument_error")))
}

#' @rdname shape
#' @param i Positions of the extents to keep.
#' @export
`[.tensorbridge_shape` <- function(x, i) structure(unclass(x)[i], class = "tensorbridge_shape")

#' Transpose lists: `zip_lists()`
#'
#' As keras R's `zip_lists()` (Python's `zip()`): `zip_lists(list(1, 2),
#' list(3, 4))` is `list(list(1, 3), list(2, 4))`. When the arguments are
#' named lists, elements are matched by name (the first argument's order),
#' not position; then each argument must have the same names (each name
#' once). The inner lists are named after the arguments' names, if any.
#' One unnamed list argument is taken as the list of lists to zip.
#'
#' @param ... Lists or atomic vectors of the same length.
#' @return A list.
#' @examples
#' grads <- list("g1", "g2")
#' weights <- list("w1", "w2")
#' str(zip_lists(grads, weights))
#' str(zip_lists(gradient = grads, weight = weights))
#' @export
zip_lists <- function(...) {
  dots <- list(...)
  if (length(dots) == 1 && is.null(names(dots)) && is.list(dots[[1]]) &&
      all(vapply(dots[[1]], function(d) is.list(d) || is.atomic(d), TRUE))) {
    dots <- dots[[1]]
  }
  if (length(dots) == 0) return(list())
  for (i in seq_along(dots)) {
    d <- dots[[i]]
    if (!(is.list(d) || is.atomic(d)) || is.object(d) && !is.list(d)) {
      tb_arg_error(paste0("..", i), "a list or an atomic vector", d)
    }
  }
  lens <- lengths(dots)
  if (any(lens != lens[[1]])) {
    tb_stop("the arguments must have the same length, not ", paste(lens, collapse = ", "), ".")
  }
  keys <- names(dots[[1]])
  if (!is.null(keys)) {
    if (anyNA(keys) || any(!nzchar(keys)) || anyDuplicated(keys)) {
      tb_stop("the names of the first argument must be unique and non-empty to match by ",
              "name; call unname() on each argument to match by position.")
    }
  }
  for (i in seq_along(dots)[-1]) {
    nm <- names(dots[[i]])
    if (identical(nm, keys)) next
    if (!is.null(keys) && !is.null(nm) && setequal(nm, keys) && !anyDuplicated(nm)) {
      dots[[i]] <- dots[[i]][keys]
      next
    }
    tb_stop("the arguments' names must match (argument ", i, " differs from argument 1); ",
            "call unname() on each argument to match by position.")
  }
  out <- lapply(seq_len(lens[[1]]), function(j) {
    item <- lapply(dots, function(d) d[[j]])
    names(item) <- names(dots)
    item
  })
  names(out) <- keys
  out
}
