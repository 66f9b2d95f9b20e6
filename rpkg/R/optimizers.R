# Optimizers and learning-rate schedules.

# `...` takes keras 2's deprecated arguments, as keras R 2.13 still does:
# `lr` (the learning rate, with a warning) and `decay` (inverse-time decay per
# step: lr / (1 + decay * iterations)).
optimizer <- function(..., .class, .args, .lr_given) {
  legacy <- check_options(list(...), legacy_optimizer_checks)
  if (!is.null(legacy$lr)) {
    if (.lr_given) {
      tb_arg_error("lr", "left out when `learning_rate` is given (it is its deprecated name)",
                   legacy$lr)
    }
    warning(tb_caller_name(), "(): `lr` is deprecated; use `learning_rate` (same meaning).",
            call. = FALSE)
    .args$learning_rate <- legacy$lr
  }
  .args$decay <- legacy$decay
  tb_keras(paste0("optimizers.", .class), check_options(.args, optimizer_checks))
}

legacy_optimizer_checks <- list(
  lr = function(x, arg) check_learning_rate(x, arg),
  decay = function(x, arg) check_number(x, arg, min = 0)
)

# A learning rate: one finite number >= 0 or a schedule.
check_learning_rate <- function(x, arg = "learning_rate") {
  if (tb_is_a(x, ".LearningRateSchedule")) return(x)
  if (!is.numeric(x) || is.object(x) || length(x) != 1 || !is.finite(x) || x < 0) {
    tb_arg_error(arg, "one finite number >= 0 or a learning_rate_schedule_*() object", x)
  }
  as.double(x)
}

fraction <- function(max_open = FALSE) {
  function(x, arg) check_number(x, arg, min = 0, max = 1, max_open = max_open)
}
non_negative <- function(x, arg) check_number(x, arg, min = 0)
flag <- function(x, arg) check_flag(x, arg)

optimizer_checks <- list(
  learning_rate = check_learning_rate, momentum = fraction(), nesterov = flag,
  rho = fraction(), epsilon = non_negative, centered = flag, beta_1 = fraction(TRUE),
  beta_2 = fraction(TRUE), amsgrad = flag, weight_decay = non_negative,
  initial_accumulator_value = non_negative,
  clipnorm = function(x, arg) check_number(x, arg, min = 0, min_open = TRUE, null_ok = TRUE),
  clipvalue = function(x, arg) check_number(x, arg, min = 0, min_open = TRUE, null_ok = TRUE),
  decay = function(x, arg) check_number(x, arg, min = 0, null_ok = TRUE),
  name = function(x, arg) check_string(x, arg, null_ok = TRUE)
)

#' Optimizers
#'
#' Optimizer objects for [compile()]; the update equations are those of
#' Keras (2.11 and later). `learning_rate` may be a number or a
#' `learning_rate_schedule_*()` object. `clipnorm` clips each gradient to a
#' maximum norm, `clipvalue` clips its elements.
#'
#' @param learning_rate Learning rate: one finite number >= 0, or a
#'   `learning_rate_schedule_*()` object.
#' @param momentum Momentum (SGD, RMSprop), from 0 to 1.
#' @param nesterov Use Nesterov momentum (SGD).
#' @param rho Decay rate of the moving average of squared gradients (0 to
#'   1).
#' @param epsilon Small constant (>= 0) for numerical stability.
#' @param centered Normalize by the estimated variance of the gradient
#'   (RMSprop).
#' @param beta_1,beta_2 Decay rates of the first and second moment estimates
#'   (0 to < 1).
#' @param amsgrad Use the AMSGrad variant (Adam, AdamW).
#' @param weight_decay Decoupled weight decay (AdamW), >= 0.
#' @param initial_accumulator_value Starting value (>= 0) of the
#'   accumulators (Adagrad).
#' @param clipnorm,clipvalue Gradient clipping: a number > 0, or `NULL` for
#'   none.
#' @param name Optional name.
#' @param ... keras 2's deprecated arguments, which keras R 2.13 still
#'   takes: `lr` (the learning rate, with a warning: use `learning_rate`)
#'   and `decay` (>= 0: each step uses the rate `lr / (1 + decay *
#'   iterations)`, iterations counted from 0). Others are an error.
#' @return An optimizer object.
#' @examples
#' if (tb_available()) {
#'   opt <- optimizer_rmsprop(learning_rate = 0.001)
#'   sgd <- optimizer_sgd(learning_rate = 0.01, momentum = 0.9, nesterov = TRUE)
#'   # keras 2's time decay
#'   decayed <- optimizer_sgd(learning_rate = 0.1, decay = 1e-3)
#' }
#' @name optimizers
NULL

#' @rdname optimizers
#' @export
optimizer_sgd <- function(learning_rate = 0.01, momentum = 0, nesterov = FALSE,
                          clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "SGD", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, momentum = momentum, nesterov = nesterov,
    clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_rmsprop <- function(learning_rate = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7,
                              centered = FALSE, clipnorm = NULL, clipvalue = NULL,
                              name = NULL, ...) {
  optimizer(..., .class = "RMSprop", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, rho = rho, momentum = momentum, epsilon = epsilon,
    centered = centered, clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adam <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7,
                           amsgrad = FALSE, clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "Adam", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2, epsilon = epsilon,
    amsgrad = amsgrad, clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adamw <- function(learning_rate = 0.001, weight_decay = 0.004, beta_1 = 0.9,
                            beta_2 = 0.999, epsilon = 1e-7, amsgrad = FALSE, clipnorm = NULL,
                            clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "AdamW", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, weight_decay = weight_decay, beta_1 = beta_1,
    beta_2 = beta_2, epsilon = epsilon, amsgrad = amsgrad, clipnorm = clipnorm,
    clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adagrad <- function(learning_rate = 0.001, initial_accumulator_value = 0.1,
                              epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "Adagrad", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, initial_accumulator_value = initial_accumulator_value,
    epsilon = epsilon, clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adadelta <- function(learning_rate = 0.001, rho = 0.95, epsilon = 1e-7,
                               clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "Adadelta", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, rho = rho, epsilon = epsilon, clipnorm = clipnorm,
    clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adamax <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999,
                             epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "Adamax", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2, epsilon = epsilon,
    clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_nadam <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999,
                            epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL, ...) {
  optimizer(..., .class = "Nadam", .lr_given = !missing(learning_rate), .args = list(
    learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2, epsilon = epsilon,
    clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' Learning-rate schedules
#'
#' Give one as an optimizer's `learning_rate`; it is evaluated at every
#' training step.
#'
#' @param initial_learning_rate Learning rate at step 0 (>= 0).
#' @param decay_steps Steps (a positive whole number) over which the rate
#'   decays (by `decay_rate`, or to `alpha * initial_learning_rate` for
#'   cosine decay).
#' @param decay_rate Decay factor (> 0) per `decay_steps`.
#' @param staircase Decay in steps rather than continuously.
#' @param boundaries,values Step boundaries (increasing whole numbers) and
#'   the rates between them (`values` has one more element).
#' @param alpha Final fraction (0 to 1) of the initial rate (cosine decay).
#' @param name Optional name.
#' @return A schedule object.
#' @examples
#' if (tb_available()) {
#'   lr <- learning_rate_schedule_exponential_decay(0.1, decay_steps = 100, decay_rate = 0.5)
#'   opt <- optimizer_sgd(learning_rate = lr)
#' }
#' @name learning_rate_schedules
NULL

#' @rdname learning_rate_schedules
#' @export
learning_rate_schedule_exponential_decay <- function(initial_learning_rate, decay_steps,
                                                     decay_rate, staircase = FALSE,
                                                     name = NULL) {
  tb_keras("optimizers.schedules.ExponentialDecay", list(
    initial_learning_rate = check_number(initial_learning_rate, min = 0),
    decay_steps = check_count(decay_steps),
    decay_rate = check_number(decay_rate, min = 0, min_open = TRUE),
    staircase = check_flag(staircase), name = check_string(name, null_ok = TRUE)))
}

#' @rdname learning_rate_schedules
#' @export
learning_rate_schedule_piecewise_constant_decay <- function(boundaries, values, name = NULL) {
  if (length(boundaries) < 1 || !is.null(dim(boundaries)) ||
      !tb_is_whole(boundaries, 0, tb_int_max) || is.unsorted(boundaries, strictly = TRUE)) {
    tb_arg_error("boundaries", "increasing whole numbers >= 0 (training steps)", boundaries)
  }
  if (!is.numeric(values) || is.object(values) || !all(is.finite(values)) || any(values < 0) ||
      length(values) != length(boundaries) + 1) {
    tb_arg_error("values", paste0("finite numbers >= 0, one more than `boundaries` (",
                                  length(boundaries) + 1, ")"), values)
  }
  tb_keras("optimizers.schedules.PiecewiseConstantDecay", list(
    boundaries = as.list(as.integer(boundaries)), values = as.list(as.double(values)),
    name = check_string(name, null_ok = TRUE)))
}

#' @rdname learning_rate_schedules
#' @export
learning_rate_schedule_cosine_decay <- function(initial_learning_rate, decay_steps, alpha = 0,
                                                name = NULL) {
  tb_keras("optimizers.schedules.CosineDecay", list(
    initial_learning_rate = check_number(initial_learning_rate, min = 0),
    decay_steps = check_count(decay_steps), alpha = check_number(alpha, min = 0, max = 1),
    name = check_string(name, null_ok = TRUE)))
}
