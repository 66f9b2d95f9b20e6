# Optimizers and learning-rate schedules.

optimizer <- function(class_name, args) {
  tb_keras(paste0("optimizers.", class_name), args)
}

#' Optimizers
#'
#' Optimizer objects for [compile()]; the update equations are those of
#' Keras (2.11 and later). `learning_rate` may be a number or a
#' `learning_rate_schedule_*()` object. `clipnorm` clips each gradient to a
#' maximum norm, `clipvalue` clips its elements.
#'
#' @param learning_rate Learning rate, or a schedule.
#' @param momentum Momentum (SGD, RMSprop).
#' @param nesterov Use Nesterov momentum (SGD).
#' @param rho Decay rate of the moving average of squared gradients.
#' @param epsilon Small constant for numerical stability.
#' @param centered Normalize by the estimated variance of the gradient
#'   (RMSprop).
#' @param beta_1,beta_2 Decay rates of the first and second moment estimates.
#' @param amsgrad Use the AMSGrad variant (Adam, AdamW).
#' @param weight_decay Decoupled weight decay (AdamW).
#' @param initial_accumulator_value Starting value of the accumulators
#'   (Adagrad).
#' @param clipnorm,clipvalue Gradient clipping (`NULL`: none).
#' @param name Optional name.
#' @return An optimizer object.
#' @examples
#' if (tb_available()) {
#'   opt <- optimizer_rmsprop(learning_rate = 0.001)
#'   sgd <- optimizer_sgd(learning_rate = 0.01, momentum = 0.9, nesterov = TRUE)
#' }
#' @name optimizers
NULL

#' @rdname optimizers
#' @export
optimizer_sgd <- function(learning_rate = 0.01, momentum = 0, nesterov = FALSE,
                          clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("SGD", list(learning_rate = learning_rate, momentum = momentum,
                        nesterov = nesterov, clipnorm = clipnorm, clipvalue = clipvalue,
                        name = name))
}

#' @rdname optimizers
#' @export
optimizer_rmsprop <- function(learning_rate = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7,
                              centered = FALSE, clipnorm = NULL, clipvalue = NULL,
                              name = NULL) {
  optimizer("RMSprop", list(learning_rate = learning_rate, rho = rho, momentum = momentum,
                            epsilon = epsilon, centered = centered, clipnorm = clipnorm,
                            clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adam <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7,
                           amsgrad = FALSE, clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("Adam", list(learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2,
                         epsilon = epsilon, amsgrad = amsgrad, clipnorm = clipnorm,
                         clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adamw <- function(learning_rate = 0.001, weight_decay = 0.004, beta_1 = 0.9,
                            beta_2 = 0.999, epsilon = 1e-7, amsgrad = FALSE, clipnorm = NULL,
                            clipvalue = NULL, name = NULL) {
  optimizer("AdamW", list(learning_rate = learning_rate, weight_decay = weight_decay,
                          beta_1 = beta_1, beta_2 = beta_2, epsilon = epsilon,
                          amsgrad = amsgrad, clipnorm = clipnorm, clipvalue = clipvalue,
                          name = name))
}

#' @rdname optimizers
#' @export
optimizer_adagrad <- function(learning_rate = 0.001, initial_accumulator_value = 0.1,
                              epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("Adagrad", list(learning_rate = learning_rate,
                            initial_accumulator_value = initial_accumulator_value,
                            epsilon = epsilon, clipnorm = clipnorm, clipvalue = clipvalue,
                            name = name))
}

#' @rdname optimizers
#' @export
optimizer_adadelta <- function(learning_rate = 0.001, rho = 0.95, epsilon = 1e-7,
                               clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("Adadelta", list(learning_rate = learning_rate, rho = rho, epsilon = epsilon,
                             clipnorm = clipnorm, clipvalue = clipvalue, name = name))
}

#' @rdname optimizers
#' @export
optimizer_adamax <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999,
                             epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("Adamax", list(learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2,
                           epsilon = epsilon, clipnorm = clipnorm, clipvalue = clipvalue,
                           name = name))
}

#' @rdname optimizers
#' @export
optimizer_nadam <- function(learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.999,
                            epsilon = 1e-7, clipnorm = NULL, clipvalue = NULL, name = NULL) {
  optimizer("Nadam", list(learning_rate = learning_rate, beta_1 = beta_1, beta_2 = beta_2,
                          epsilon = epsilon, clipnorm = clipnorm, clipvalue = clipvalue,
                          name = name))
}

#' Learning-rate schedules
#'
#' Give one as an optimizer's `learning_rate`; it is evaluated at every
#' training step.
#'
#' @param initial_learning_rate Learning rate at step 0.
#' @param decay_steps Steps over which the rate decays (by `decay_rate`, or
#'   to `alpha * initial_learning_rate` for cosine decay).
#' @param decay_rate Decay factor per `decay_steps`.
#' @param staircase Decay in steps rather than continuously.
#' @param boundaries,values Step boundaries and the rates between them
#'   (`values` has one more element).
#' @param alpha Final fraction of the initial rate (cosine decay).
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
  optimizer("schedules.ExponentialDecay", list(
    initial_learning_rate = initial_learning_rate,
    decay_steps = as_nullable_integer(decay_steps), decay_rate = decay_rate,
    staircase = staircase, name = name))
}

#' @rdname learning_rate_schedules
#' @export
learning_rate_schedule_piecewise_constant_decay <- function(boundaries, values, name = NULL) {
  optimizer("schedules.PiecewiseConstantDecay", list(
    boundaries = as.list(as_nullable_integer(boundaries)), values = as.list(values),
    name = name))
}

#' @rdname learning_rate_schedules
#' @export
learning_rate_schedule_cosine_decay <- function(initial_learning_rate, decay_steps, alpha = 0,
                                                name = NULL) {
  optimizer("schedules.CosineDecay", list(
    initial_learning_rate = initial_learning_rate,
    decay_steps = as_nullable_integer(decay_steps), alpha = alpha, name = name))
}
