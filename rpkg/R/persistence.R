# Saving and loading models.

check_path_for_writing <- function(filepath, overwrite) {
  filepath <- check_string(filepath)
  overwrite <- check_flag(overwrite)
  if (!nzchar(filepath)) tb_arg_error("filepath", "a file path", filepath)
  filepath <- path.expand(filepath)
  if (dir.exists(filepath)) {
    tb_stop("'", filepath, "' is a directory; give the path of a file")
  }
  if (!overwrite && file.exists(filepath)) {
    tb_stop("'", filepath, "' exists; use overwrite = TRUE to replace it")
  }
  if (!dir.exists(dirname(filepath))) {
    tb_stop("the directory '", dirname(filepath), "' does not exist; create it first")
  }
  filepath
}

# A file to read: one string naming an existing file.
check_path_for_reading <- function(filepath, what) {
  filepath <- path.expand(check_string(filepath))
  if (!file.exists(filepath) || dir.exists(filepath)) {
    tb_stop("no ", what, " file at '", filepath, "'")
  }
  filepath
}

#' Save and load models
#'
#' `save_model()` writes one file holding the model's configuration, its
#' weights and the optimizer's state, so that after `load_model()` training
#' continues exactly where it stopped. `save_model_weights()` and
#' `load_model_weights()` handle the weights only. `serialize_model()` gives
#' the same content as a raw vector (for `saveRDS()` or a database) and
#' `unserialize_model()` turns it back into a model.
#'
#' Files are written atomically: a crash or an interrupt during the save
#' leaves any previous file intact, and the temporary file a killed save
#' leaves behind is removed by the next save to that folder. Saved files get
#' the permissions your umask gives new files. Loading never runs code from
#' the file: a truncated or foreign file, one whose configuration is not a
#' model tensorbridge can build, or one that declares more (or larger)
#' weights than it holds gives an error saying so, before anything large is
#' allocated.
#'
#' @param object A model.
#' @param filepath File to write or read (one string; a file to write goes in
#'   an existing directory).
#' @param overwrite Replace an existing file (`TRUE` or `FALSE`).
#' @param include_optimizer Also save the optimizer's state (`TRUE` or
#'   `FALSE`).
#' @param compile Compile the loaded model as it was saved (`TRUE` or
#'   `FALSE`).
#' @param custom_objects A named list of what the saved model uses that was
#'   written in R, each under the name it was saved with, or `NULL`: layer
#'   and model classes (from [new_layer_class()], [Layer()],
#'   [new_model_class()]; saved under their class name), R functions given to
#'   `compile()` as losses or metrics (under the function's name, or the
#'   name given to [custom_metric()]) and loss and metric classes (from
#'   [new_loss_class()], [new_metric_class()]). A file that needs one not
#'   given is an error naming it; `compile = FALSE` loads the model without
#'   its losses and metrics.
#' @param safe_mode `TRUE` (the default) refuses a file that holds an R
#'   function (e.g. of a [layer_lambda()]), since restoring it would run code
#'   from the file; `FALSE` restores it: only for files you trust.
#' @param model A raw vector from `serialize_model()` (for
#'   `unserialize_model()`).
#' @return `save_*()`: `object`, invisibly; `load_model()` and
#'   `unserialize_model()`: a model; `serialize_model()`: a raw vector.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 1)
#'   model %>% compile(optimizer = "adam", loss = "mse")
#'   path <- tempfile(fileext = ".tbm")
#'   save_model(model, path)
#'   same <- load_model(path)
#'   bytes <- serialize_model(model)
#'   again <- unserialize_model(bytes)
#' }
#' @name model-persistence
NULL

#' @rdname model-persistence
#' @export
save_model <- function(object, filepath, overwrite = TRUE, include_optimizer = TRUE) {
  tb_check_model(object, "save_model")
  filepath <- check_path_for_writing(filepath, overwrite)
  include_optimizer <- check_flag(include_optimizer)
  tb_method(object, "save", filepath, include_optimizer = include_optimizer)
  invisible(object)
}

#' @rdname model-persistence
#' @export
load_model <- function(filepath, custom_objects = NULL, compile = TRUE, safe_mode = TRUE) {
  filepath <- check_path_for_reading(filepath, "model")
  compile <- check_flag(compile)
  tb_load_model_custom(filepath, compile = compile, custom_objects = custom_objects,
                       safe_mode = safe_mode)
}

#' @rdname model-persistence
#' @export
save_model_weights <- function(object, filepath, overwrite = TRUE) {
  tb_check_model(object, "save_model_weights")
  filepath <- check_path_for_writing(filepath, overwrite)
  tb_method(object, "save_weights", filepath)
  invisible(object)
}

#' @rdname model-persistence
#' @export
load_model_weights <- function(object, filepath) {
  tb_check_model(object, "load_model_weights")
  filepath <- check_path_for_reading(filepath, "weights")
  tb_method(object, "load_weights", filepath)
  invisible(object)
}

#' @rdname model-persistence
#' @export
serialize_model <- function(object, include_optimizer = TRUE) {
  tb_check_model(object, "serialize_model")
  include_optimizer <- check_flag(include_optimizer)
  tb_call("engine.keras.models.serialize_model", object, include_optimizer = include_optimizer)
}

#' @rdname model-persistence
#' @export
unserialize_model <- function(model, custom_objects = NULL, compile = TRUE, safe_mode = TRUE) {
  if (!is.raw(model) || length(model) == 0) {
    tb_arg_error("model", "the raw vector that serialize_model() made", model)
  }
  compile <- check_flag(compile)
  tb_load_model_custom(model, compile = compile, custom_objects = custom_objects,
                       safe_mode = safe_mode)
}
