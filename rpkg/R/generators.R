# R generator functions as batch sources for fit(), evaluate() and predict(),
# and keras 2's fit_generator() family.
#
# A generator is an R function of no arguments returning the next batch:
# list(x, y), list(x, y, sample_weight), or (for predict) list(x) or x. The
# engine calls it from R's own thread, once per step, through a wrapper that
# knows the step and epoch: an R error inside the generator comes back as
# that same R condition, its message prefixed with where it happened, and a
# batch of the wrong kind is an R error naming the step and what was
# expected.

# The engine's batch source for the R function `fn`; `targets` says whether
# batches must carry targets (fit, evaluate) or not (predict).
tb_generator_source <- function(fn, targets = TRUE, what = "generator") {
  force(fn)
  wrapper <- function(step, epoch) {
    where <- paste0("in the ", what, ", step ", step, " of epoch ", epoch, ": ")
    batch <- tryCatch(fn(), error = function(e) {
      e$message <- paste0(where, conditionMessage(e))
      stop(e)
    })
    tb_check_batch(batch, where, targets)
  }
  tb_call("engine.keras.data_adapter.StepCallable", wrapper, what)
}

# One batch from a generator: checked for its kind (the engine checks shapes).
tb_check_batch <- function(batch, where, targets) {
  is_data <- function(v) {
    (is.numeric(v) || is.logical(v)) && !is.factor(v) ||
      inherits(v, "tensorbridge_object") || is.data.frame(v) ||
      (is.list(v) && !is.object(v) && length(v) >= 1 && all(vapply(v, function(u) {
        (is.numeric(u) || is.logical(u)) && !is.factor(u) || inherits(u, "tensorbridge_object")
      }, logical(1))))
  }
  expected <- if (targets) {
    "list(x, y) or list(x, y, sample_weight) (numeric arrays, one row per sample)"
  } else {
    "list(x) or x (a numeric array, one row per sample)"
  }
  fail <- function(got) {
    stop(tb_condition(paste0(where, "the generator returned ", got, "; expected ", expected)))
  }
  if (!targets && is_data(batch) && !(is.list(batch) && !is.object(batch))) return(batch)
  if (!is.list(batch) || is.object(batch)) fail(tb_describe(batch))
  n <- length(batch)
  if (n < 1 || n > 3 || (targets && n < 2)) {
    fail(paste0("a list of ", n, if (n == 1) " element" else " elements"))
  }
  for (i in seq_len(n)) {
    v <- batch[[i]]
    if (i == 3 && is.null(v)) next
    if (!is_data(v)) {
      fail(paste0("a list whose element ", i, " is ", tb_describe(v)))
    }
  }
  if (is.factor(batch[[min(2, n)]])) fail("a factor as targets")
  batch
}

#' Fit, evaluate or predict with a generator (keras 2)
#'
#' keras 2's generator functions. A generator is an R function of no
#' arguments returning the next batch each time it is called:
#' `list(inputs, targets)` or `list(inputs, targets, sample_weights)` for
#' `fit_generator()` and `evaluate_generator()`, `list(inputs)` or `inputs`
#' for `predict_generator()`; batches may differ in size. Any engine batch
#' source works too: a dataset (`tensor_slices_dataset()` and friends), a
#' `flow_images_from_*()` iterator. [fit()], [evaluate()] and [predict()]
#' take generators themselves; as in keras R, these functions warn that they
#' are deprecated and call them.
#'
#' The generator runs in R's own thread, called once per step. An R error
#' inside it stops training with that error, its message starting with
#' where it happened (`"in the generator, step 3 of epoch 1: ..."`); a batch
#' of the wrong kind or shape is an error naming the step and what was
#' expected.
#'
#' @param object A model (compiled, except for `predict_generator()`).
#' @param generator A generator function (or dataset, or iterator).
#' @param steps_per_epoch Batches drawn per epoch (required).
#' @param epochs The epoch to stop at.
#' @param verbose 0, 1, 2 (or `"auto"`).
#' @param callbacks List of callbacks.
#' @param view_metrics keras R's RStudio viewer of the metrics (`"auto"`,
#'   `TRUE` or `FALSE`); there is no such viewer here, so it has no effect.
#' @param validation_data A generator, a dataset, or `list(x_val, y_val)`
#'   (optionally with sample weights).
#' @param validation_steps Batches drawn from a validation generator at the
#'   end of each epoch (required when `validation_data` is a generator).
#' @param class_weight Named list mapping class index (from 0) to a weight.
#' @param max_queue_size,workers keras' queue of batches prepared ahead by
#'   worker threads, for generators computed Python-side (the `flow_*()`
#'   iterators): `workers` threads (0: none) compute up to `max_queue_size`
#'   batches ahead, in order. As keras R documents, R generator functions
#'   must run on R's main thread: they are called one batch when it is
#'   needed, whatever these say.
#' @param initial_epoch Epoch to start from.
#' @param steps Batches to draw (required for a generator function).
#' @return `fit_generator()`: a training history; `evaluate_generator()`:
#'   a named list of the loss and metrics; `predict_generator()`: an array
#'   of predictions.
#' @examples
#' if (tb_available()) {
#'   x <- matrix(runif(400), ncol = 4)
#'   y <- x %*% c(1, -1, 2, 0.5)
#'   i <- 0
#'   batches <- function() {  # 10 batches of 10 rows, over and over
#'     rows <- (i %% 10) * 10 + 1:10
#'     i <<- i + 1
#'     list(x[rows, , drop = FALSE], y[rows, , drop = FALSE])
#'   }
#'   model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "sgd", loss = "mse")
#'   model %>% fit(batches, steps_per_epoch = 10, epochs = 2, verbose = 0)
#'   suppressWarnings(model %>% fit_generator(batches, steps_per_epoch = 10, verbose = 0))
#'   suppressWarnings(evaluate_generator(model, batches, steps = 10))
#' }
#' @name fit_generator
#' @export
fit_generator <- function(object, generator, steps_per_epoch, epochs = 1,
                          verbose = getOption("keras.fit_verbose", default = 1),
                          callbacks = NULL,
                          view_metrics = getOption("keras.view_metrics", default = "auto"),
                          validation_data = NULL, validation_steps = NULL,
                          class_weight = NULL, max_queue_size = 10, workers = 1,
                          initial_epoch = 0) {
  tb_check_model(object, "fit_generator")
  tb_check_queue_args(max_queue_size, workers, view_metrics)
  if (missing(steps_per_epoch)) {
    tb_arg_error("steps_per_epoch", "the number of batches to draw per epoch (required)")
  }
  warning("`fit_generator()` is deprecated: use `fit()`, which takes generators.",
          call. = FALSE)
  fit(object, x = generator, steps_per_epoch = steps_per_epoch, epochs = epochs,
      verbose = verbose, callbacks = callbacks, validation_data = validation_data,
      validation_steps = validation_steps, class_weight = class_weight,
      initial_epoch = initial_epoch, workers = workers, max_queue_size = max_queue_size)
}

#' @rdname fit_generator
#' @export
evaluate_generator <- function(object, generator, steps, max_queue_size = 10, workers = 1,
                               callbacks = NULL) {
  tb_check_model(object, "evaluate_generator")
  tb_check_queue_args(max_queue_size, workers)
  if (missing(steps)) tb_arg_error("steps", "the number of batches to draw (required)")
  warning("`evaluate_generator()` is deprecated: use `evaluate()`, which takes generators.",
          call. = FALSE)
  evaluate(object, x = generator, steps = steps, callbacks = callbacks, verbose = 0,
           workers = workers, max_queue_size = max_queue_size)
}

#' @rdname fit_generator
#' @export
predict_generator <- function(object, generator, steps, max_queue_size = 10, workers = 1,
                              verbose = 0, callbacks = NULL) {
  tb_check_model(object, "predict_generator")
  tb_check_queue_args(max_queue_size, workers)
  if (missing(steps)) tb_arg_error("steps", "the number of batches to draw (required)")
  warning("`predict_generator()` is deprecated: use `predict()`, which takes generators.",
          call. = FALSE)
  stats::predict(object, x = generator, steps = steps, verbose = verbose,
                 callbacks = callbacks, workers = workers, max_queue_size = max_queue_size)
}

tb_check_queue_args <- function(max_queue_size, workers, view_metrics = "auto") {
  check_count(max_queue_size, "max_queue_size")
  check_count(workers, "workers", min = 0)
  if (!identical(view_metrics, "auto")) check_flag(view_metrics, "view_metrics")
  invisible(NULL)
}

#' Retrieve the next item from a generator
#'
#' The next batch of a generator: an R generator function (called once), or
#' an engine iterator such as `flow_images_from_data()`'s or
#' `as_iterator()`'s.
#'
#' @param generator A generator function or an engine iterator.
#' @param completed Returned when the iterator has no more items
#'   (default `NULL`).
#' @return The next item, or `completed`.
#' @examples
#' if (tb_available()) {
#'   i <- 0
#'   counter <- function() {
#'     i <<- i + 1
#'     list(matrix(i, 2, 2), c(i, i))
#'   }
#'   generator_next(counter)
#'   generator_next(counter)[[2]]
#' }
#' @export
generator_next <- function(generator, completed = NULL) {
  if (is.function(generator) && !inherits(generator, "tensorbridge_object")) {
    return(generator())
  }
  if (!inherits(generator, "tensorbridge_object")) {
    tb_arg_error("generator", "a generator function or an engine iterator", generator)
  }
  step <- tb_call("engine.keras.data_adapter.next_item", generator)
  if (isTRUE(step[[1]])) step[[2]] else completed
}
