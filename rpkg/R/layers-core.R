# Core layers. Each layer_*() function takes the object being composed first,
# as in the keras R package:
#   - missing or NULL: returns the layer itself;
#   - a sequential model: adds the layer and returns the model;
#   - a (symbolic) tensor from layer_input() or another layer: calls the
#     layer on it and returns the output tensor (the functional API).

compose_layer <- function(object, layer) {
  if (is.null(object)) return(layer)
  if (tb_is_sequential(object)) {
    tb_method(object, "add", layer)
    return(object)
  }
  tb_method(layer, "__call__", object)
}

tb_create_builtin_layer <- function(class_name, object, args) {
  # Force the object first: in a pipe it holds the layers before this one,
  # which must be created (and named) first.
  object <- if (missing(object)) NULL else check_layer_object(object)
  args$input_shape <- check_shape(args$input_shape, "input_shape")
  args$batch_size <- check_count(args$batch_size, "batch_size", null_ok = TRUE)
  args$dtype <- check_string(args$dtype, "dtype", null_ok = TRUE)
  args$name <- check_string(args$name, "name", null_ok = TRUE)
  args$trainable <- check_flag(args$trainable, "trainable", null_ok = TRUE)
  layer <- tb_keras(paste0("layers.", class_name), args)
  compose_layer(object, layer)
}

# keras 2's input_dim = n on a first layer taking vectors: input_shape = n.
input_dim_shape <- function(input_dim, input_shape) {
  if (is.null(input_dim)) return(input_shape)
  if (!is.null(input_shape)) {
    tb_arg_error("input_dim", "NULL when `input_shape` is given (give one of them)", input_dim)
  }
  check_count(input_dim, "input_dim")
}

# keras 2's input_dim and input_length on a first layer taking sequences
# (recurrent layers, layer_conv_1d()): input_shape = c(input_length, input_dim),
# a NULL length meaning sequences of any length.
sequence_input_shape <- function(input_dim, input_length, input_shape) {
  if (is.null(input_dim) && is.null(input_length)) return(input_shape)
  if (!is.null(input_shape)) {
    arg <- if (!is.null(input_dim)) "input_dim" else "input_length"
    tb_arg_error(arg, "NULL when `input_shape` is given (give one of them)",
                 if (arg == "input_dim") input_dim else input_length)
  }
  input_length <- check_count(input_length, "input_length", null_ok = TRUE)
  if (is.null(input_dim)) {
    tb_arg_error("input_dim", paste0("given with `input_length` (the number of features of ",
                                     "each step)"), input_dim)
  }
  c(input_length %||% NA, check_count(input_dim, "input_dim"))
}

#' Input layer for the functional API
#'
#' A symbolic tensor standing for the model's input; layers called on it
#' build the graph that [keras_model()] turns into a model.
#'
#' @param shape The shape of one sample, without the batch dimension
#'   (positive whole numbers; `NA` for a size that can vary). Required.
#' @param batch_size Optional fixed batch size (a positive whole number).
#' @param name Optional name of the input.
#' @param dtype Data type (default `"float32"`).
#' @return A symbolic tensor.
#' @examples
#' if (tb_available()) {
#'   inputs <- layer_input(shape = c(4))
#'   outputs <- inputs %>% layer_dense(units = 2)
#'   model <- keras_model(inputs, outputs)
#' }
#' @export
layer_input <- function(shape = NULL, batch_size = NULL, name = NULL, dtype = NULL) {
  tb_keras("layers.Input", list(shape = check_shape(shape, null_ok = FALSE),
                                batch_size = check_count(batch_size, null_ok = TRUE),
                                name = check_string(name, null_ok = TRUE),
                                dtype = check_string(dtype, null_ok = TRUE)))
}

#' Densely connected layer
#'
#' `output = activation(dot(input, kernel) + bias)`.
#'
#' @param object What to compose with: a model, a tensor, a numeric matrix
#'   or array (to apply the layer to it at once), or missing (see Details).
#' @param units Dimensionality of the output (a positive whole number).
#' @param activation Name of an activation (`"relu"`, `"softmax"` ...), an R
#'   function, or `NULL` for none.
#' @param use_bias Whether the layer has a bias vector (`TRUE` or `FALSE`).
#' @param kernel_initializer,bias_initializer Initializers: a name or an
#'   `initializer_*()` object.
#' @param kernel_regularizer,bias_regularizer,activity_regularizer
#'   Regularizers (`regularizer_*()`). As in keras 2, the activity
#'   regularizer's penalty on the layer's output is divided by the batch
#'   size.
#' @param kernel_constraint,bias_constraint Constraints (`constraint_*()`).
#' @param input_shape Shape of one input sample: positive whole numbers, `NA`
#'   for a size that can vary (only for the first layer of a sequential
#'   model).
#' @param batch_size Fixed batch size (a positive whole number; optional,
#'   first layer only).
#' @param dtype,name,trainable The layer's data type, name, and whether its
#'   weights are trained.
#' @param input_dim keras 2's form of `input_shape` for a first layer taking
#'   vectors: `input_dim = 784` is `input_shape = 784` (give one of them; a
#'   positive whole number).
#' @details When `object` is missing the layer is returned; when it is a
#'   sequential model the layer is added to it and the model is returned;
#'   when it is a tensor (functional API) the layer is applied to it and the
#'   output tensor is returned.
#' @return A layer, a model, or a tensor (see Details).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential() %>%
#'     layer_dense(units = 32, activation = "relu", input_shape = c(784)) %>%
#'     layer_dense(units = 10, activation = "softmax")
#' }
#' @export
layer_dense <- function(object, units, activation = NULL, use_bias = TRUE,
                        kernel_initializer = "glorot_uniform", bias_initializer = "zeros",
                        kernel_regularizer = NULL, bias_regularizer = NULL,
                        activity_regularizer = NULL, kernel_constraint = NULL,
                        bias_constraint = NULL, input_shape = NULL, batch_size = NULL,
                        dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("Dense", object, list(
    units = check_count(units), activation = check_activation(activation),
    use_bias = check_flag(use_bias),
    kernel_initializer = check_keras_object(kernel_initializer, "initializer"),
    bias_initializer = check_keras_object(bias_initializer, "initializer"),
    kernel_regularizer = check_keras_object(kernel_regularizer, "regularizer", null_ok = TRUE),
    bias_regularizer = check_keras_object(bias_regularizer, "regularizer", null_ok = TRUE),
    activity_regularizer = check_keras_object(activity_regularizer, "regularizer", null_ok = TRUE),
    kernel_constraint = check_keras_object(kernel_constraint, "constraint", null_ok = TRUE),
    bias_constraint = check_keras_object(bias_constraint, "constraint", null_ok = TRUE),
    input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' Apply an activation function
#'
#' `layer_activation()` applies the named activation; the
#' `layer_activation_*()` shortcuts name it for you.
#'
#' @inheritParams layer_dense
#' @param activation Name of the activation: `"relu"`, `"sigmoid"`,
#'   `"tanh"`, `"softmax"`, `"softplus"`, `"softsign"`, `"selu"`, `"elu"`,
#'   `"gelu"`, `"swish"`, `"exponential"`, `"linear"`, `"hard_sigmoid"`,
#'   `"leaky_relu"`.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 4) %>%
#'     layer_dense(units = 8) %>%
#'     layer_activation("relu")
#' }
#' @export
layer_activation <- function(object, activation, input_shape = NULL, batch_size = NULL,
                             dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("Activation", object, list(
    activation = check_activation(activation, null_ok = FALSE), input_shape = input_shape,
    batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

named_activation <- function(activation) {
  force(activation)
  function(object, input_shape = NULL, batch_size = NULL, dtype = NULL, name = NULL,
           trainable = NULL, input_dim = NULL) {
    input_shape <- input_dim_shape(input_dim, input_shape)
    tb_create_builtin_layer("Activation", object, list(
      activation = activation, input_shape = input_shape, batch_size = batch_size,
      dtype = dtype, name = name, trainable = trainable
    ))
  }
}

#' @rdname layer_activation
#' @param max_value Cap on the output (a number >= 0), or `NULL` for none.
#' @param negative_slope Slope below `threshold` (a number >= 0).
#' @param threshold Where the slope changes (a number).
#' @export
layer_activation_relu <- function(object, max_value = NULL, negative_slope = 0, threshold = 0,
                                  input_shape = NULL, batch_size = NULL, dtype = NULL,
                                  name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("ReLU", object, list(
    max_value = check_number(max_value, min = 0, null_ok = TRUE),
    negative_slope = check_number(negative_slope, min = 0),
    threshold = check_number(threshold), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_activation
#' @param alpha `layer_activation_leaky_relu()`: the slope below zero (a
#'   number >= 0; keras 2's default 0.3); `layer_activation_elu()`: the
#'   scale of the negative part.
#' @export
layer_activation_leaky_relu <- function(object, alpha = 0.3, input_shape = NULL,
                                        batch_size = NULL, dtype = NULL, name = NULL,
                                        trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("LeakyReLU", object, list(
    alpha = check_number(alpha, min = 0), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_activation
#' @export
layer_activation_elu <- function(object, alpha = 1, input_shape = NULL, batch_size = NULL,
                                 dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("ELU", object, list(
    alpha = check_number(alpha), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_activation
#' @export
layer_activation_selu <- named_activation("selu")

#' @rdname layer_activation
#' @param axis The axis the softmax normalizes over (Python's convention, as
#'   in keras R: -1 is the last).
#' @export
layer_activation_softmax <- function(object, axis = -1L, input_shape = NULL, batch_size = NULL,
                                     dtype = NULL, name = NULL, trainable = NULL,
                                     input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("Softmax", object, list(
    axis = check_axis(axis), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' Dropout and noise layers
#'
#' Regularize during training only: `layer_dropout()` sets a fraction `rate`
#' of inputs to zero (scaling the rest by `1 / (1 - rate)`);
#' `layer_gaussian_noise()` adds zero-centred noise; `layer_gaussian_dropout()`
#' multiplies by one-centred noise. At inference they pass inputs through.
#'
#' @inheritParams layer_dense
#' @param rate Fraction of the inputs to drop (dropout), or the drop
#'   probability whose Bernoulli variance the Gaussian noise matches: a
#'   number from 0 to less than 1.
#' @param noise_shape Optional shape of the binary dropout mask.
#' @param stddev Standard deviation (>= 0) of the additive noise.
#' @param seed Optional random seed (a whole number >= 0).
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 10) %>%
#'     layer_dense(units = 8, activation = "relu") %>%
#'     layer_dropout(rate = 0.4)
#' }
#' @export
layer_dropout <- function(object, rate, noise_shape = NULL, seed = NULL, input_shape = NULL,
                          batch_size = NULL, dtype = NULL, name = NULL, trainable = NULL,
                          input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("Dropout", object, list(
    rate = check_rate(rate), noise_shape = check_shape(noise_shape), seed = check_seed(seed),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable
  ))
}

#' @rdname layer_dropout
#' @export
layer_gaussian_noise <- function(object, stddev, seed = NULL, input_shape = NULL,
                                 batch_size = NULL, dtype = NULL, name = NULL,
                                 trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("GaussianNoise", object, list(
    stddev = check_number(stddev, min = 0), seed = check_seed(seed), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_dropout
#' @export
layer_gaussian_dropout <- function(object, rate, seed = NULL, input_shape = NULL,
                                   batch_size = NULL, dtype = NULL, name = NULL,
                                   trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("GaussianDropout", object, list(
    rate = check_rate(rate), seed = check_seed(seed), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable
  ))
}

#' Reshaping layers
#'
#' `layer_flatten()` flattens each sample to a vector; `layer_reshape()`
#' gives each sample `target_shape`; `layer_permute()` permutes the sample
#' dimensions (`dims` counts from 1, the batch dimension excluded);
#' `layer_repeat_vector()` repeats a vector sample `n` times.
#'
#' @inheritParams layer_dense
#' @param target_shape The new shape of each sample (positive whole numbers;
#'   one may be `-1`, inferred).
#' @param dims Permutation of the sample dimensions `1, 2, ...`, e.g.
#'   `c(2, 1)`.
#' @param n Number of repetitions (a positive whole number).
#' @param data_format `"channels_last"` (default) or `"channels_first"`.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(28, 28)) %>%
#'     layer_flatten() %>%
#'     layer_reshape(target_shape = c(49, 16)) %>%
#'     layer_permute(dims = c(2, 1))
#' }
#' @export
layer_flatten <- function(object, data_format = NULL, input_shape = NULL, batch_size = NULL,
                          dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Flatten", object, list(
    data_format = check_data_format(data_format), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_flatten
#' @export
layer_reshape <- function(object, target_shape, input_shape = NULL, batch_size = NULL,
                          dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Reshape", object, list(
    target_shape = check_target_shape(target_shape), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_flatten
#' @export
layer_permute <- function(object, dims, input_shape = NULL, batch_size = NULL, dtype = NULL,
                          name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Permute", object, list(
    dims = as.list(check_permutation(dims)), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable
  ))
}

#' @rdname layer_flatten
#' @export
layer_repeat_vector <- function(object, n, input_shape = NULL, batch_size = NULL,
                                dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("RepeatVector", object, list(
    n = check_count(n), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable
  ))
}

#' Normalization layers
#'
#' `layer_batch_normalization()` normalizes with the batch's statistics
#' while training and with moving averages at inference;
#' `layer_layer_normalization()` normalizes each sample over `axis`.
#'
#' @inheritParams layer_dense
#' @param axis The axis to normalize (Python's convention: `-1` is the last).
#' @param momentum Momentum of the moving averages (0 to 1).
#' @param epsilon Added to the variance to avoid dividing by zero (> 0).
#' @param center,scale Whether to learn an offset `beta` and a scale `gamma`.
#' @param beta_initializer,gamma_initializer,moving_mean_initializer,moving_variance_initializer
#'   Initializers.
#' @param beta_regularizer,gamma_regularizer Regularizers.
#' @param beta_constraint,gamma_constraint Constraints.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 10) %>%
#'     layer_dense(units = 8) %>%
#'     layer_batch_normalization() %>%
#'     layer_layer_normalization()
#' }
#' @export
layer_batch_normalization <- function(object, axis = -1L, momentum = 0.99, epsilon = 0.001,
                                      center = TRUE, scale = TRUE,
                                      beta_initializer = "zeros", gamma_initializer = "ones",
                                      moving_mean_initializer = "zeros",
                                      moving_variance_initializer = "ones",
                                      beta_regularizer = NULL, gamma_regularizer = NULL,
                                      beta_constraint = NULL, gamma_constraint = NULL,
                                      input_shape = NULL, batch_size = NULL, dtype = NULL,
                                      name = NULL, trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("BatchNormalization", object, list(
    axis = check_axes(axis), momentum = check_number(momentum, min = 0, max = 1),
    epsilon = check_number(epsilon, min = 0, min_open = TRUE),
    center = check_flag(center), scale = check_flag(scale),
    beta_initializer = check_keras_object(beta_initializer, "initializer"),
    gamma_initializer = check_keras_object(gamma_initializer, "initializer"),
    moving_mean_initializer = check_keras_object(moving_mean_initializer, "initializer"),
    moving_variance_initializer = check_keras_object(moving_variance_initializer, "initializer"),
    beta_regularizer = check_keras_object(beta_regularizer, "regularizer", null_ok = TRUE),
    gamma_regularizer = check_keras_object(gamma_regularizer, "regularizer", null_ok = TRUE),
    beta_constraint = check_keras_object(beta_constraint, "constraint", null_ok = TRUE),
    gamma_constraint = check_keras_object(gamma_constraint, "constraint", null_ok = TRUE),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable
  ))
}

#' @rdname layer_batch_normalization
#' @export
layer_layer_normalization <- function(object, axis = -1L, epsilon = 0.001, center = TRUE,
                                      scale = TRUE, beta_initializer = "zeros",
                                      gamma_initializer = "ones", beta_regularizer = NULL,
                                      gamma_regularizer = NULL, beta_constraint = NULL,
                                      gamma_constraint = NULL, input_shape = NULL,
                                      batch_size = NULL, dtype = NULL, name = NULL,
                                      trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("LayerNormalization", object, list(
    axis = check_axes(axis), epsilon = check_number(epsilon, min = 0, min_open = TRUE),
    center = check_flag(center), scale = check_flag(scale),
    beta_initializer = check_keras_object(beta_initializer, "initializer"),
    gamma_initializer = check_keras_object(gamma_initializer, "initializer"),
    beta_regularizer = check_keras_object(beta_regularizer, "regularizer", null_ok = TRUE),
    gamma_regularizer = check_keras_object(gamma_regularizer, "regularizer", null_ok = TRUE),
    beta_constraint = check_keras_object(beta_constraint, "constraint", null_ok = TRUE),
    gamma_constraint = check_keras_object(gamma_constraint, "constraint", null_ok = TRUE),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable
  ))
}

#' Activity regularization
#'
#' Adds `(l1 * sum(abs(x)) + l2 * sum(x^2)) / batch_size` of the layer's
#' input to the loss (keras 2's activity regularization) and passes the input
#' through.
#'
#' @inheritParams layer_dense
#' @param l1,l2 Regularization factors (finite numbers >= 0).
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family core layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = 4) %>%
#'     layer_dense(units = 4) %>%
#'     layer_activity_regularization(l1 = 0.01)
#' }
#' @export
layer_activity_regularization <- function(object, l1 = 0, l2 = 0, input_shape = NULL,
                                          batch_size = NULL, dtype = NULL, name = NULL,
                                          trainable = NULL, input_dim = NULL) {
  input_shape <- input_dim_shape(input_dim, input_shape)
  tb_create_builtin_layer("ActivityRegularization", object, list(
    l1 = check_number(l1, min = 0), l2 = check_number(l2, min = 0), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype,
    name = name, trainable = trainable
  ))
}

# A reshape target: positive whole numbers, at most one -1 (inferred).
check_target_shape <- function(x, arg = tb_arg_name(substitute(x))) {
  ok <- length(x) >= 1 && is.null(dim(x)) && tb_is_whole(x, -1, tb_int_max) &&
    !any(x == 0) && sum(x == -1) <= 1
  if (!ok) tb_arg_error(arg, "positive whole numbers, at most one of them -1 (inferred)", x)
  as.list(as.integer(x))
}

# A permutation of 1..n (the sample dimensions, counted from 1).
check_permutation <- function(x, arg = tb_arg_name(substitute(x))) {
  ok <- length(x) >= 1 && is.null(dim(x)) && tb_is_whole(x, 1, tb_int_max) &&
    setequal(x, seq_along(x)) && !anyDuplicated(x)
  if (!ok) tb_arg_error(arg, "a permutation of 1, 2, ... (the sample dimensions)", x)
  as.integer(x)
}
