# Callbacks for fit().

callback <- function(class_name, args) tb_keras(paste0("callbacks.", class_name), args)

# `mode` of the monitoring callbacks (keras R's default is the vector of
# choices, meaning "auto").
check_mode <- function(mode) {
  if (identical(mode, c("auto", "min", "max"))) return("auto")
  check_string(mode, choices = c("auto", "min", "max"))
}

# A file to write: one string, in an existing directory.
check_file_path <- function(x, arg = tb_arg_name(substitute(x))) {
  force(arg)
  x <- check_string(x, arg)
  if (!nzchar(x)) tb_arg_error(arg, "a file path", x)
  path <- path.expand(x)
  if (!dir.exists(dirname(path))) {
    tb_arg_error(arg, paste0("a path in an existing directory (", dirname(path),
                             " does not exist)"), x)
  }
  path
}

#' Callbacks for training
#'
#' Objects to give to [fit()] as `callbacks = list(...)`:
#' * `callback_early_stopping()` stops when `monitor` has not improved for
#'   `patience` epochs, optionally restoring the best weights;
#' * `callback_model_checkpoint()` saves the model (or its weights) after
#'   epochs, optionally only when `monitor` improved; `filepath` may contain
#'   Python format fields such as `{epoch:02d}` and `{val_loss:.2f}`;
#' * `callback_reduce_lr_on_plateau()` lowers the learning rate when
#'   `monitor` stalls;
#' * `callback_learning_rate_scheduler()` sets the rate at each epoch from an
#'   R function `function(epoch, lr)` (epochs count from 0, as in keras);
#' * `callback_csv_logger()` writes the logs of each epoch to a CSV file;
#' * `callback_terminate_on_nan()` stops when the loss becomes NaN;
#' * `callback_lambda()` calls your R functions at keras' hooks: the epoch
#'   hooks get `(epoch, logs)`, the batch hooks (train, test and predict)
#'   `(batch, logs)`, the others `(logs)`. Epochs and batches count from 0,
#'   as keras passes them; `logs` is a named list: the current loss and
#'   metrics (empty at a beginning; `outputs` at the end of a predict
#'   batch). `on_batch_begin`/`on_batch_end` are keras' older names of
#'   `on_train_batch_begin`/`on_train_batch_end` (give one of each pair).
#'   The validation inside [fit()] runs the test hooks; [evaluate()] and
#'   [predict()] take `callbacks` too.
#'
#' @param monitor Quantity to watch, e.g. `"val_loss"` or `"val_accuracy"`.
#' @param min_delta Smallest change (>= 0) that counts as an improvement.
#' @param patience Epochs without improvement to wait (a whole number >= 0).
#' @param verbose Print a message when acting (0 or 1).
#' @param mode `"auto"`, `"min"` or `"max"`: whether lower or higher is
#'   better (`"auto"` decides from the name).
#' @param baseline Value the monitored quantity must beat (or `NULL`).
#' @param restore_best_weights Restore the weights of the best epoch when
#'   stopping.
#' @param filepath Where to save (a path in an existing directory).
#' @param save_best_only Save only when the monitored quantity improved.
#' @param save_weights_only Save the weights only.
#' @param factor Factor (between 0 and 1, exclusive) by which the learning
#'   rate is multiplied.
#' @param cooldown Epochs to wait after a reduction (a whole number >= 0).
#' @param min_lr Lower bound (>= 0) of the learning rate.
#' @param schedule An R function `function(epoch, lr)` returning the new rate.
#' @param filename CSV file to write (in an existing directory).
#' @param separator Field separator.
#' @param append Append to an existing file.
#' @param on_epoch_begin,on_epoch_end,on_batch_begin,on_batch_end,on_train_batch_begin,on_train_batch_end,on_train_begin,on_train_end,on_predict_batch_begin,on_predict_batch_end,on_predict_begin,on_predict_end,on_test_batch_begin,on_test_batch_end,on_test_begin,on_test_end
#'   R functions (or `NULL`).
#' @return A callback object.
#' @examples
#' if (tb_available()) {
#'   callbacks <- list(
#'     callback_early_stopping(monitor = "val_loss", patience = 2,
#'                             restore_best_weights = TRUE),
#'     callback_lambda(on_epoch_end = function(epoch, logs) cat("epoch", epoch, "\n"))
#'   )
#' }
#' @name callbacks
NULL

#' @rdname callbacks
#' @export
callback_early_stopping <- function(monitor = "val_loss", min_delta = 0, patience = 0,
                                    verbose = 0, mode = c("auto", "min", "max"),
                                    baseline = NULL, restore_best_weights = FALSE) {
  callback("EarlyStopping", list(
    monitor = check_string(monitor), min_delta = check_number(min_delta, min = 0),
    patience = check_count(patience, min = 0),
    verbose = check_verbose(verbose, max = 1, auto_ok = FALSE), mode = check_mode(mode),
    baseline = check_number(baseline, null_ok = TRUE),
    restore_best_weights = check_flag(restore_best_weights)))
}

#' @rdname callbacks
#' @export
callback_model_checkpoint <- function(filepath, monitor = "val_loss", verbose = 0,
                                      save_best_only = FALSE, save_weights_only = FALSE,
                                      mode = c("auto", "min", "max")) {
  callback("ModelCheckpoint", list(
    filepath = check_file_path(filepath), monitor = check_string(monitor),
    verbose = check_verbose(verbose, max = 1, auto_ok = FALSE),
    save_best_only = check_flag(save_best_only),
    save_weights_only = check_flag(save_weights_only), mode = check_mode(mode)))
}

#' @rdname callbacks
#' @export
callback_reduce_lr_on_plateau <- function(monitor = "val_loss", factor = 0.1, patience = 10,
                                          verbose = 0, mode = c("auto", "min", "max"),
                                          min_delta = 1e-4, cooldown = 0, min_lr = 0) {
  callback("ReduceLROnPlateau", list(
    monitor = check_string(monitor),
    factor = check_number(factor, min = 0, max = 1, min_open = TRUE, max_open = TRUE),
    patience = check_count(patience, min = 0),
    verbose = check_verbose(verbose, max = 1, auto_ok = FALSE), mode = check_mode(mode),
    min_delta = check_number(min_delta, min = 0), cooldown = check_count(cooldown, min = 0),
    min_lr = check_number(min_lr, min = 0)))
}

#' @rdname callbacks
#' @export
callback_learning_rate_scheduler <- function(schedule, verbose = 0) {
  callback("LearningRateScheduler", list(
    schedule = check_function(schedule),
    verbose = check_verbose(verbose, max = 1, auto_ok = FALSE)))
}

#' @rdname callbacks
#' @export
callback_csv_logger <- function(filename, separator = ",", append = FALSE) {
  callback("CSVLogger", list(filename = check_file_path(filename),
                             separator = check_string(separator), append = check_flag(append)))
}

#' @rdname callbacks
#' @export
callback_terminate_on_nan <- function() callback("TerminateOnNaN", list())

#' @rdname callbacks
#' @export
callback_lambda <- function(on_epoch_begin = NULL, on_epoch_end = NULL,
                            on_batch_begin = NULL, on_batch_end = NULL,
                            on_train_batch_begin = NULL, on_train_batch_end = NULL,
                            on_train_begin = NULL, on_train_end = NULL,
                            on_predict_batch_begin = NULL, on_predict_batch_end = NULL,
                            on_predict_begin = NULL, on_predict_end = NULL,
                            on_test_batch_begin = NULL, on_test_batch_end = NULL,
                            on_test_begin = NULL, on_test_end = NULL) {
  hooks <- list(
    on_epoch_begin = on_epoch_begin, on_epoch_end = on_epoch_end,
    on_batch_begin = on_batch_begin, on_batch_end = on_batch_end,
    on_train_batch_begin = on_train_batch_begin, on_train_batch_end = on_train_batch_end,
    on_train_begin = on_train_begin, on_train_end = on_train_end,
    on_predict_batch_begin = on_predict_batch_begin,
    on_predict_batch_end = on_predict_batch_end,
    on_predict_begin = on_predict_begin, on_predict_end = on_predict_end,
    on_test_batch_begin = on_test_batch_begin, on_test_batch_end = on_test_batch_end,
    on_test_begin = on_test_begin, on_test_end = on_test_end)
  for (name in names(hooks)) hooks[name] <- list(check_function(hooks[[name]], name, null_ok = TRUE))
  # on_batch_* is keras 2's older name of on_train_batch_*: one hook, given once
  for (when in c("begin", "end")) {
    old <- paste0("on_batch_", when)
    new <- paste0("on_train_batch_", when)
    if (!is.null(hooks[[old]]) && !is.null(hooks[[new]])) {
      tb_arg_error(new, paste0("NULL when `", old, "` is given (the same hook under ",
                               "keras' older name): give one of them"), hooks[[new]])
    }
    if (is.null(hooks[[new]])) hooks[new] <- list(hooks[[old]])
    hooks[old] <- list(NULL)
  }
  callback("LambdaCallback", hooks)
}
