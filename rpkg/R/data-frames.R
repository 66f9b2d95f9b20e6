# Data frames, factors and formulas as model data.
#
# A data frame becomes a numeric matrix, one row per row of the frame, in
# its column order: a numeric column stays one column; a logical one becomes
# 0/1; a factor or character column becomes, by default, one 0/1 column per
# level ("one-hot", named `column_level`), or, with `factors = "integer"`,
# one column of level ids counted from 0 (for layer_embedding()). The levels
# are those of the training data (a factor's levels, a character column's
# sorted distinct values); fit() keeps them, with the formula's terms and
# the target's classes, on the R side with the model, so that evaluate()
# and predict() encode new data the same way; a level fit() did not see is
# an error.
#
# A factor target gives classes from its levels: one-hot rows for
# categorical_crossentropy (and any other loss), ids from 0 for
# sparse_categorical_crossentropy, 0/1 (the second level is 1) for a
# two-level factor with binary_crossentropy. predict(type = "class") turns
# predictions back into a factor with those levels.
#
# A formula `y ~ x1 + x2` (or `y ~ .`) with `data = df` takes the target and
# the predictors from `df`: the predictors are the formula's terms (columns,
# or transformations such as log(x1)); interactions are not supported and
# the intercept is the model's own bias.

tb_spec_attr <- "_tb_r_frame_spec"

# What fit() stored for the model (NULL when it was fitted on arrays).
tb_frame_spec_of <- function(object) {
  spec <- tryCatch(tb_getattr(object, tb_spec_attr), error = function(e) NULL)
  if (is.list(spec)) spec else NULL
}

tb_frame_spec_set <- function(object, spec) {
  tb_call("bridge.api.set_attr", object, tb_spec_attr, spec)
}

# The encoding of the data frame `df`'s columns.
tb_frame_spec <- function(df, factors, arg) {
  cols <- lapply(names(df), function(name) {
    v <- df[[name]]
    type <- if (is.factor(v)) "factor" else if (is.character(v)) "character" else
      if (is.logical(v)) "logical" else if (is.numeric(v) && !is.object(v)) "numeric" else
        NA_character_
    if (is.na(type) || !is.null(dim(v))) {
      tb_arg_error(paste0(arg, "$", name),
                   "a numeric, logical, factor or character column", v)
    }
    levels <- if (type == "factor") levels(v) else if (type == "character") {
      sort(unique(v[!is.na(v)]))
    } else character(0)
    if (type %in% c("factor", "character") && length(levels) == 0) {
      tb_arg_error(paste0(arg, "$", name), "a column with at least one level", v)
    }
    list(name = name, type = type, levels = as.character(levels))
  })
  list(columns = cols, factors = factors)
}

# `df` as a numeric matrix, by `spec`.
tb_frame_matrix <- function(df, spec, arg) {
  cols <- spec$columns
  missing <- setdiff(vapply(cols, `[[`, "", "name"), names(df))
  if (length(missing)) {
    tb_arg_error(arg, paste0("a data frame with the column(s) the model was fitted on (",
                             paste0("`", missing, "`", collapse = ", "), " missing)"), df)
  }
  one_hot <- identical(spec$factors, "one_hot")
  widths <- vapply(cols, function(col) {
    if (col$type %in% c("factor", "character") && one_hot) length(col$levels) else 1L
  }, integer(1))
  n <- nrow(df)
  m <- matrix(0, n, sum(widths))
  names_out <- character(sum(widths))
  at <- 0L
  for (k in seq_along(cols)) {
    col <- cols[[k]]
    v <- df[[col$name]]
    where <- paste0(arg, "$", col$name)
    idx <- at + seq_len(widths[[k]])
    if (col$type %in% c("factor", "character")) {
      if (!(is.factor(v) || is.character(v))) {
        tb_arg_error(where, "a factor or character column (as in the training data)", v)
      }
      code <- match(as.character(v), col$levels)
      bad <- is.na(code)
      if (any(bad)) {
        unseen <- unique(as.character(v)[bad])
        if (anyNA(unseen)) {
          tb_stop("`", where, "` has missing values (NA) in ", sum(is.na(v)), " row(s), the ",
                  "first row ", which(is.na(v))[1], "; remove or impute them first.")
        }
        tb_stop("`", where, "` has level(s) ", paste0('"', utils::head(unseen, 5), '"',
                                                      collapse = ", "),
                " that the model was not fitted on (its levels: ",
                paste0('"', col$levels, '"', collapse = ", "), ").")
      }
      if (one_hot) {
        m[cbind(seq_len(n), at + code)] <- 1
        names_out[idx] <- paste0(col$name, "_", col$levels)
      } else {
        m[, idx] <- code - 1
        names_out[idx] <- col$name
      }
    } else {
      if (!(is.numeric(v) || is.logical(v)) || is.factor(v)) {
        tb_arg_error(where, paste0("a ", col$type, " column (as in the training data)"), v)
      }
      m[, idx] <- as.double(v)
      names_out[idx] <- col$name
    }
    at <- at + widths[[k]]
  }
  colnames(m) <- names_out
  m
}

# The classes of a factor (or character) target, and how the loss wants them.
tb_y_spec <- function(y, loss) {
  levels <- levels(y)
  loss <- loss %||% ""
  encoding <- if (grepl("sparse_categorical", loss)) "integer" else
    if (grepl("binary_crossentropy", loss) && length(levels) == 2) "binary" else "one_hot"
  if (grepl("binary_crossentropy", loss) && length(levels) != 2) {
    tb_arg_error("y", paste0("a factor of two levels for binary_crossentropy (this one has ",
                             length(levels), "; use categorical_crossentropy)"), y)
  }
  list(levels = as.character(levels), encoding = encoding)
}

tb_encode_y <- function(y, spec, arg) {
  code <- match(as.character(y), spec$levels)
  if (anyNA(code)) {
    unseen <- unique(as.character(y)[is.na(code)])
    if (anyNA(unseen)) tb_stop("`", arg, "` has missing values (NA); remove those rows first.")
    tb_stop("`", arg, "` has level(s) ", paste0('"', utils::head(unseen, 5), '"', collapse = ", "),
            " that the model was not fitted on (its levels: ",
            paste0('"', spec$levels, '"', collapse = ", "), ").")
  }
  switch(spec$encoding,
    integer = , binary = as.double(code - 1),
    one_hot = {
      m <- matrix(0, length(code), length(spec$levels))
      m[cbind(seq_along(code), code)] <- 1
      colnames(m) <- spec$levels
      m
    })
}

# The name of the model's (first) loss, as compile() was given it.
tb_loss_name <- function(object) {
  compiled <- tryCatch(tb_getattr(object, "_compiled"), error = function(e) NULL)
  if (is.null(compiled)) return(NULL)
  loss <- tb_getattr(compiled, "loss_spec")
  if (is.list(loss) && !is.object(loss)) loss <- loss[[1]]
  if (is.character(loss)) return(loss[[1]])
  if (inherits(loss, "tensorbridge_object")) {
    for (attr in c("name", "__name__")) {
      name <- tryCatch(tb_getattr(loss, attr), error = function(e) NULL)
      if (is.character(name)) return(name)
    }
  }
  NULL
}

# The predictors (a data frame) and the target of `formula` in `data`.
tb_formula_frames <- function(formula, data, targets) {
  if (!is.data.frame(data)) {
    tb_arg_error("data", "a data frame holding the formula's variables", data)
  }
  tt <- stats::terms(formula, data = data)
  labels <- attr(tt, "term.labels")
  if (any(grepl(":", labels, fixed = TRUE))) {
    tb_arg_error("x", paste0("a formula of columns or their transformations (`y ~ x1 + ",
                             "log(x2)`, `y ~ .`): interactions such as `",
                             grep(":", labels, fixed = TRUE, value = TRUE)[1],
                             "` are not supported (the model learns them)"), formula)
  }
  if (length(labels) == 0) {
    tb_arg_error("x", "a formula with at least one predictor (`y ~ x1 + x2` or `y ~ .`)",
                 formula)
  }
  y <- NULL
  if (attr(tt, "response") == 1) {
    y <- eval(attr(tt, "variables")[[2]], data, environment(formula))
  } else if (targets) {
    tb_arg_error("x", "a formula with a response on the left (`y ~ x1 + x2`)", formula)
  }
  list(x = tb_terms_frame(labels, data, environment(formula)), y = y, labels = labels)
}

tb_terms_frame <- function(labels, data, env = parent.frame()) {
  rhs <- stats::reformulate(labels, env = env)
  fr <- stats::model.frame(rhs, data, na.action = stats::na.pass)
  attr(fr, "terms") <- NULL
  fr
}

# x and y of fit()/evaluate()/predict() as the engine takes them: data
# frames and formulas encoded, factor targets as classes, generator
# functions wrapped. fit() stores the encodings with the model.
tb_model_data <- function(object, x, y, data, factors, fn) {
  targets <- fn != "predict"
  if (is.function(x) && !inherits(x, "tensorbridge_object")) {
    if (!is.null(y)) {
      tb_arg_error("y", "NULL when `x` is a generator function (its batches carry the targets)",
                   y)
    }
    if (!is.null(data)) tb_arg_error("data", "NULL unless `x` is a formula", data)
    return(list(x = tb_generator_source(x, targets), y = NULL))
  }
  spec <- if (fn == "fit") list(x = NULL, terms = NULL, y = NULL) else
    tb_frame_spec_of(object) %||% list()
  if (inherits(x, "formula")) {
    fr <- tb_formula_frames(x, data, targets && is.null(y))
    if (!is.null(fr$y) && !is.null(y)) {
      tb_arg_error("y", "NULL when the formula names the target", y)
    }
    x <- fr$x
    if (targets) y <- fr$y %||% y
    if (fn == "fit") spec$terms <- fr$labels
  } else if (!is.null(data)) {
    tb_arg_error("data", "NULL unless `x` is a formula", data)
  }
  loss <- if (targets) tb_loss_name(object)
  if (fn == "fit") {
    if (is.data.frame(x)) spec$x <- tb_frame_spec(x, factors, "x")
    if (is.factor(y)) spec$y <- tb_y_spec(y, loss)
  }
  out <- tb_encode_data(spec, x, y, loss, "x", "y")
  if (fn == "fit") {
    tb_frame_spec_set(object, spec)
    out$spec <- spec
  }
  out
}

# x and y encoded by `spec` (what fit() stored); data frames and factors the
# spec does not cover are encoded from their own columns and levels.
tb_encode_data <- function(spec, x, y, loss, x_arg, y_arg) {
  if (is.data.frame(x)) {
    if (!is.null(spec$terms) && !all(spec$terms %in% names(x))) {
      x <- tb_terms_frame(spec$terms, x)
    }
    x <- tb_frame_matrix(x, spec$x %||% tb_frame_spec(x, "one_hot", x_arg), x_arg)
  } else {
    x <- check_model_data(x, x_arg, null_ok = FALSE)
  }
  if (is.factor(y)) {
    y <- tb_encode_y(y, spec$y %||% tb_y_spec(y, loss), y_arg)
  } else {
    y <- check_model_data(y, y_arg)
  }
  list(x = x, y = y)
}

# validation_data of fit(): a generator function, an engine batch source, or
# list(x_val, y_val[, sample_weight]) encoded as the training data.
tb_validation_data <- function(object, validation_data, spec) {
  v <- validation_data
  if (is.null(v)) return(NULL)
  if (is.function(v) && !inherits(v, "tensorbridge_object")) {
    return(tb_generator_source(v, TRUE, "validation generator"))
  }
  if (inherits(v, "tensorbridge_object")) return(v)
  if (!is.list(v) || is.object(v) || !length(v) %in% 2:3) {
    tb_arg_error("validation_data", paste0("list(x_val, y_val), list(x_val, y_val, ",
                                           "sample_weight_val), a generator or a dataset"), v)
  }
  enc <- tb_encode_data(spec %||% list(), v[[1]], v[[2]], tb_loss_name(object),
                        "validation_data[[1]]", "validation_data[[2]]")
  if (is.null(enc$y)) tb_arg_error("validation_data[[2]]", "the validation targets", NULL)
  out <- list(enc$x, enc$y)
  if (length(v) == 3) out[[3]] <- check_sample_weight(v[[3]], "validation_data[[3]]")
  out
}

# Predictions as a factor with the training target's levels.
tb_predict_classes <- function(object, pred) {
  spec <- tb_frame_spec_of(object)$y
  if (is.null(spec)) {
    tb_arg_error("type", paste0('"response" for a model not fitted on a factor `y` ',
                                '("class" needs the classes fit() learned)'), "class")
  }
  if (!is.matrix(pred)) pred <- matrix(pred, ncol = 1)
  code <- if (ncol(pred) == 1) {
    as.integer(pred[, 1] > 0.5) + 1L
  } else {
    max.col(pred, ties.method = "first")
  }
  factor(spec$levels[code], levels = spec$levels)
}
