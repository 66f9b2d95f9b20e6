# Convolution, pooling and spatial reshaping layers (channels_last by default:
# images are samples x height x width x channels).

#' Convolution layers
#'
#' `layer_conv_1d()` convolves sequences (samples x steps x channels),
#' `layer_conv_2d()` images (samples x height x width x channels);
#' `layer_conv_2d_transpose()` is the transposed ("deconvolution") layer;
#' `layer_separable_conv_2d()` a depthwise then pointwise convolution;
#' `layer_depthwise_conv_2d()` one filter per input channel.
#'
#' @inheritParams layer_dense
#' @param filters Number of output channels (a positive whole number).
#' @param kernel_size Size of the convolution window: one positive whole
#'   number, or one per spatial dimension.
#' @param strides Step of the window (one positive whole number or one per
#'   dimension).
#' @param padding `"valid"` (no padding) or `"same"` (output as large as the
#'   input divided by the stride); `layer_conv_1d()` also takes `"causal"`.
#' @param data_format `"channels_last"` (default) or `"channels_first"`.
#' @param dilation_rate Spacing of the window's elements (positive whole
#'   numbers).
#' @param depth_multiplier Output channels per input channel (depthwise and
#'   separable convolutions; a positive whole number).
#' @param input_dim,input_length `layer_conv_1d()`: keras' older form of
#'   `input_shape` for a first layer: `input_dim` channels per step and
#'   sequences of `input_length` steps (`NULL`: any length) are
#'   `input_shape = c(input_length, input_dim)` (give them or `input_shape`;
#'   positive whole numbers).
#' @param ... Further keras arguments by name (others are an error):
#'   `kernel_initializer`,
#'   `bias_initializer`, `kernel_regularizer`, `bias_regularizer`,
#'   `activity_regularizer`, `kernel_constraint`, `bias_constraint`
#'   (`depthwise_*` and `pointwise_*` for the separable layers).
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family convolutional layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(28, 28, 1)) %>%
#'     layer_conv_2d(filters = 32, kernel_size = c(3, 3), activation = "relu") %>%
#'     layer_max_pooling_2d(pool_size = c(2, 2)) %>%
#'     layer_flatten() %>%
#'     layer_dense(units = 10, activation = "softmax")
#' }
#' @export
layer_conv_2d <- function(object, filters, kernel_size, strides = c(1L, 1L), padding = "valid",
                          data_format = NULL, dilation_rate = c(1L, 1L), activation = NULL,
                          use_bias = TRUE, input_shape = NULL, batch_size = NULL,
                          dtype = NULL, name = NULL, trainable = NULL, ...) {
  tb_create_builtin_layer("Conv2D", object, c(list(
    filters = check_count(filters), kernel_size = check_counts(kernel_size, len = 1:2),
    strides = check_counts(strides, len = 1:2), padding = check_padding(padding),
    data_format = check_data_format(data_format),
    dilation_rate = check_counts(dilation_rate, len = 1:2),
    activation = check_activation(activation), use_bias = check_flag(use_bias),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), conv_options)))
}

conv_options <- tb_option_checks(c(
  "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
  "activity_regularizer", "kernel_constraint", "bias_constraint"))

#' @rdname layer_conv_2d
#' @export
layer_conv_1d <- function(object, filters, kernel_size, strides = 1L, padding = "valid",
                          data_format = NULL, dilation_rate = 1L, activation = NULL,
                          use_bias = TRUE, input_shape = NULL, batch_size = NULL,
                          dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL,
                          input_length = NULL, ...) {
  input_shape <- sequence_input_shape(input_dim, input_length, input_shape)
  tb_create_builtin_layer("Conv1D", object, c(list(
    filters = check_count(filters), kernel_size = check_counts(kernel_size, len = 1),
    strides = check_counts(strides, len = 1), padding = check_padding(padding, causal_ok = TRUE),
    data_format = check_data_format(data_format),
    dilation_rate = check_counts(dilation_rate, len = 1),
    activation = check_activation(activation), use_bias = check_flag(use_bias),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), conv_options)))
}

#' @rdname layer_conv_2d
#' @export
layer_conv_2d_transpose <- function(object, filters, kernel_size, strides = c(1L, 1L),
                                    padding = "valid", data_format = NULL,
                                    dilation_rate = c(1L, 1L), activation = NULL,
                                    use_bias = TRUE, input_shape = NULL, batch_size = NULL,
                                    dtype = NULL, name = NULL, trainable = NULL, ...) {
  tb_create_builtin_layer("Conv2DTranspose", object, c(list(
    filters = check_count(filters), kernel_size = check_counts(kernel_size, len = 1:2),
    strides = check_counts(strides, len = 1:2), padding = check_padding(padding),
    data_format = check_data_format(data_format),
    dilation_rate = check_counts(dilation_rate, len = 1:2),
    activation = check_activation(activation), use_bias = check_flag(use_bias),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), conv_options)))
}

#' @rdname layer_conv_2d
#' @export
layer_separable_conv_2d <- function(object, filters, kernel_size, strides = c(1L, 1L),
                                    padding = "valid", data_format = NULL,
                                    dilation_rate = c(1L, 1L), depth_multiplier = 1L,
                                    activation = NULL, use_bias = TRUE, input_shape = NULL,
                                    batch_size = NULL, dtype = NULL, name = NULL,
                                    trainable = NULL, ...) {
  tb_create_builtin_layer("SeparableConv2D", object, c(list(
    filters = check_count(filters), kernel_size = check_counts(kernel_size, len = 1:2),
    strides = check_counts(strides, len = 1:2), padding = check_padding(padding),
    data_format = check_data_format(data_format),
    dilation_rate = check_counts(dilation_rate, len = 1:2),
    depth_multiplier = check_count(depth_multiplier),
    activation = check_activation(activation), use_bias = check_flag(use_bias),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), separable_options)))
}

separable_options <- tb_option_checks(c(
  "depthwise_initializer", "pointwise_initializer", "bias_initializer",
  "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
  "activity_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"))

#' @rdname layer_conv_2d
#' @export
layer_depthwise_conv_2d <- function(object, kernel_size, strides = c(1L, 1L), padding = "valid",
                                    depth_multiplier = 1L, data_format = NULL,
                                    dilation_rate = c(1L, 1L), activation = NULL,
                                    use_bias = TRUE, input_shape = NULL, batch_size = NULL,
                                    dtype = NULL, name = NULL, trainable = NULL, ...) {
  tb_create_builtin_layer("DepthwiseConv2D", object, c(list(
    kernel_size = check_counts(kernel_size, len = 1:2),
    strides = check_counts(strides, len = 1:2), padding = check_padding(padding),
    depth_multiplier = check_count(depth_multiplier),
    data_format = check_data_format(data_format),
    dilation_rate = check_counts(dilation_rate, len = 1:2),
    activation = check_activation(activation), use_bias = check_flag(use_bias),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), depthwise_options)))
}

depthwise_options <- tb_option_checks(c(
  "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer",
  "activity_regularizer", "depthwise_constraint", "bias_constraint"))


#' Pooling layers
#'
#' Max or average over windows (`layer_max_pooling_*()`,
#' `layer_average_pooling_*()`), or over all positions
#' (`layer_global_*_pooling_*()`), of sequences (1d) or images (2d).
#'
#' @inheritParams layer_conv_2d
#' @param pool_size Window size (a positive whole number or one per
#'   dimension).
#' @param strides Step of the window (default `NULL`: `pool_size`).
#' @param keepdims Keep the pooled dimensions with size 1 (global pooling).
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family convolutional layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(8, 8, 3)) %>%
#'     layer_max_pooling_2d(pool_size = 2) %>%
#'     layer_global_average_pooling_2d()
#' }
#' @name layer_pooling
NULL

pooling <- function(class_name) {
  force(class_name)
  rank <- if (endsWith(class_name, "1D")) 1 else 1:2
  function(object, pool_size = 2L, strides = NULL, padding = "valid", data_format = NULL,
           input_shape = NULL, batch_size = NULL, dtype = NULL, name = NULL,
           trainable = NULL) {
    tb_create_builtin_layer(class_name, object, list(
      pool_size = check_counts(pool_size, len = rank),
      strides = check_counts(strides, len = rank, null_ok = TRUE),
      padding = check_padding(padding), data_format = check_data_format(data_format),
      input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
      trainable = trainable))
  }
}

global_pooling <- function(class_name) {
  force(class_name)
  function(object, data_format = NULL, keepdims = FALSE, input_shape = NULL,
           batch_size = NULL, dtype = NULL, name = NULL, trainable = NULL) {
    tb_create_builtin_layer(class_name, object, list(
      data_format = check_data_format(data_format), keepdims = check_flag(keepdims),
      input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
      trainable = trainable))
  }
}

#' @rdname layer_pooling
#' @export
layer_max_pooling_1d <- pooling("MaxPooling1D")
#' @rdname layer_pooling
#' @export
layer_max_pooling_2d <- pooling("MaxPooling2D")
#' @rdname layer_pooling
#' @export
layer_average_pooling_1d <- pooling("AveragePooling1D")
#' @rdname layer_pooling
#' @export
layer_average_pooling_2d <- pooling("AveragePooling2D")
#' @rdname layer_pooling
#' @export
layer_global_max_pooling_1d <- global_pooling("GlobalMaxPooling1D")
#' @rdname layer_pooling
#' @export
layer_global_max_pooling_2d <- global_pooling("GlobalMaxPooling2D")
#' @rdname layer_pooling
#' @export
layer_global_average_pooling_1d <- global_pooling("GlobalAveragePooling1D")
#' @rdname layer_pooling
#' @export
layer_global_average_pooling_2d <- global_pooling("GlobalAveragePooling2D")

#' Padding, cropping, upsampling and spatial dropout
#'
#' `layer_zero_padding_*()` adds zeros around sequences or images,
#' `layer_cropping_*()` removes rows/columns at the edges,
#' `layer_upsampling_*()` repeats steps or pixels `size` times, and
#' `layer_spatial_dropout_*()` drops whole channels while training.
#'
#' @inheritParams layer_conv_2d
#' @param padding Amount of zeros (whole numbers >= 0): one number (all
#'   sides), two (1d: left and right; 2d: rows and columns), or
#'   `list(c(top, bottom), c(left, right))` (2d).
#' @param cropping Amount to crop, in the same forms as `padding`.
#' @param size Upsampling factor(s) (positive whole numbers).
#' @param interpolation `"nearest"` or `"bilinear"` (2d upsampling).
#' @param rate Fraction of channels to drop (0 to less than 1).
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family convolutional layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(8, 8, 3)) %>%
#'     layer_zero_padding_2d(padding = 1) %>%
#'     layer_cropping_2d(cropping = 1) %>%
#'     layer_upsampling_2d(size = 2) %>%
#'     layer_spatial_dropout_2d(rate = 0.1)
#' }
#' @name layer_spatial
NULL

# Padding or cropping amounts: one whole number >= 0 (every side), one per
# side of a sequence (1d), or for images one per dimension or
# list(c(top, bottom), c(left, right)).
check_pad_spec <- function(x, arg = tb_arg_name(substitute(x)), rank = 1) {
  if (rank == 2 && is.list(x) && !is.object(x)) {
    ok <- length(x) == 2 && all(vapply(x, function(v) {
      length(v) == 2 && is.null(dim(v)) && tb_is_whole(v, 0, tb_int_max)
    }, logical(1)))
    if (!ok) tb_arg_error(arg, "a list of two pairs of whole numbers >= 0", x)
    return(lapply(x, function(v) as.list(as.integer(v))))
  }
  check_counts(x, arg, min = 0, len = 1:2)
}

#' @rdname layer_spatial
#' @export
layer_zero_padding_1d <- function(object, padding = 1L, input_shape = NULL, batch_size = NULL,
                                  dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("ZeroPadding1D", object, list(
    padding = check_pad_spec(padding), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_zero_padding_2d <- function(object, padding = c(1L, 1L), data_format = NULL,
                                  input_shape = NULL, batch_size = NULL, dtype = NULL,
                                  name = NULL, trainable = NULL) {
  tb_create_builtin_layer("ZeroPadding2D", object, list(
    padding = check_pad_spec(padding, rank = 2),
    data_format = check_data_format(data_format), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_cropping_1d <- function(object, cropping = c(1L, 1L), input_shape = NULL,
                              batch_size = NULL, dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Cropping1D", object, list(
    cropping = check_pad_spec(cropping), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_cropping_2d <- function(object, cropping = list(c(0L, 0L), c(0L, 0L)), data_format = NULL,
                              input_shape = NULL, batch_size = NULL, dtype = NULL,
                              name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Cropping2D", object, list(
    cropping = check_pad_spec(cropping, rank = 2),
    data_format = check_data_format(data_format), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_upsampling_1d <- function(object, size = 2L, input_shape = NULL, batch_size = NULL,
                                dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("UpSampling1D", object, list(
    size = check_count(size), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_upsampling_2d <- function(object, size = c(2L, 2L), data_format = NULL,
                                interpolation = "nearest", input_shape = NULL,
                                batch_size = NULL, dtype = NULL, name = NULL,
                                trainable = NULL) {
  tb_create_builtin_layer("UpSampling2D", object, list(
    size = check_counts(size, len = 1:2), data_format = check_data_format(data_format),
    interpolation = check_string(interpolation, choices = c("nearest", "bilinear")),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_spatial_dropout_1d <- function(object, rate, input_shape = NULL, batch_size = NULL,
                                     dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("SpatialDropout1D", object, list(
    rate = check_rate(rate), input_shape = input_shape, batch_size = batch_size, dtype = dtype,
    name = name, trainable = trainable))
}

#' @rdname layer_spatial
#' @export
layer_spatial_dropout_2d <- function(object, rate, data_format = NULL, input_shape = NULL,
                                     batch_size = NULL, dtype = NULL, name = NULL,
                                     trainable = NULL) {
  tb_create_builtin_layer("SpatialDropout2D", object, list(
    rate = check_rate(rate), data_format = check_data_format(data_format),
    input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable))
}
