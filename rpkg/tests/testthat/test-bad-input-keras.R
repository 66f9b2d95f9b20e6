# Bad input to the keras-style functions: each case is an R expression and the
# exact message a user sees (a substring, with fixed = TRUE, only where the
# message carries a path). Every one is an R error of class
# tensorbridge_error, raised before anything reaches the engine unless the
# case says otherwise.

run_cases <- function(family, cases, env = new.env(), needs_python = FALSE) {
  for (case in cases) {
    test_that(paste0(family, ": ", paste(deparse(case$expr, width.cutoff = 500L), collapse = " ")), {
      if (needs_python) skip_if_no_python()
      expect_bad_input(case, if (is.function(env)) env() else env)
    })
  }
}

# --- model building: checks that need no engine object ---------------------------

run_cases("core layers", list(
  bad(layer_dense(units = 2.5), "layer_dense(): `units` must be one positive whole number, not 2.5."),
  bad(layer_dense(units = -1), "layer_dense(): `units` must be one positive whole number, not -1."),
  bad(layer_dense(units = 0), "layer_dense(): `units` must be one positive whole number, not 0."),
  bad(layer_dense(units = 3e9), paste0("layer_dense(): `units` must be one positive whole number ",
                                       "no larger than 2147483647, not 3e+09.")),
  bad(layer_dense(units = c(3, 4)), "layer_dense(): `units` must be one positive whole number, not c(3, 4)."),
  bad(layer_dense(units = NA), "layer_dense(): `units` must be one positive whole number, not NA."),
  bad(layer_dense(units = "3"), "layer_dense(): `units` must be one positive whole number, not \"3\"."),
  bad(layer_dense(units = 2, activation = 42),
      "layer_dense(): `activation` must be an activation name (e.g. \"relu\") or an R function (or NULL), not 42."),
  bad(layer_dense(units = 2, activation = c("relu", "tanh")),
      "layer_dense(): `activation` must be an activation name (e.g. \"relu\") or an R function (or NULL), not c(\"relu\", \"tanh\")."),
  bad(layer_dense(units = 2, use_bias = "yes"), "layer_dense(): `use_bias` must be TRUE or FALSE, not \"yes\"."),
  bad(layer_dense(units = 2, use_bias = NA), "layer_dense(): `use_bias` must be TRUE or FALSE, not NA."),
  bad(layer_dense(units = 2, kernel_initializer = 3),
      "layer_dense(): `kernel_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not 3."),
  bad(layer_dense(units = 2, bias_initializer = NULL),
      "layer_dense(): `bias_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not NULL."),
  bad(layer_dense(units = 2, kernel_regularizer = 0.01),
      "layer_dense(): `kernel_regularizer` must be a regularizer_*() object, a regularizer name or an R function (or NULL), not 0.01."),
  bad(layer_dense(units = 2, kernel_constraint = TRUE),
      "layer_dense(): `kernel_constraint` must be a constraint_*() object, a constraint name or an R function (or NULL), not TRUE."),
  bad(layer_dense(units = 2, input_shape = -5),
      "layer_dense(): `input_shape` must be positive whole numbers, NA for a size that can vary, not -5."),
  bad(layer_dense(units = 2, input_shape = 0),
      "layer_dense(): `input_shape` must be positive whole numbers, NA for a size that can vary, not 0."),
  bad(layer_dense(units = 2, input_shape = 2.5),
      "layer_dense(): `input_shape` must be positive whole numbers, NA for a size that can vary, not 2.5."),
  bad(layer_dense(units = 2, input_shape = "a"),
      "layer_dense(): `input_shape` must be positive whole numbers, NA for a size that can vary, not \"a\"."),
  bad(layer_dense(units = 2, batch_size = 0),
      "layer_dense(): `batch_size` must be one positive whole number (or NULL), not 0."),
  bad(layer_dense(units = 2, dtype = 32), "layer_dense(): `dtype` must be one string (or NULL), not 32."),
  bad(layer_dense(units = 2, name = c("a", "b")), "layer_dense(): `name` must be one string (or NULL), not c(\"a\", \"b\")."),
  bad(layer_dense(units = 2, trainable = "no"), "layer_dense(): `trainable` must be TRUE or FALSE (or NULL), not \"no\"."),
  bad(layer_dense("a", units = 2),
      "layer_dense(): `object` must be a model, a tensor (from layer_input() or another layer) or missing, not \"a\"."),
  bad(layer_dense(5, units = 2),
      "layer_dense(): `object` must be a model, a tensor (from layer_input() or another layer) or missing, not 5."),
  bad(layer_dense(new.env(), units = 2),
      "layer_dense(): `object` must be a model, a tensor (from layer_input() or another layer) or missing, not an environment."),
  bad(layer_input(shape = -1), "layer_input(): `shape` must be positive whole numbers, NA for a size that can vary, not -1."),
  bad(layer_input(), "layer_input(): `shape` must be positive whole numbers, NA for a size that can vary, not NULL."),
  bad(layer_input(shape = list(2, "a")),
      "layer_input(): `shape` must be positive whole numbers, NA for a size that can vary, not a list of length 2."),
  bad(layer_input(shape = 3, batch_size = -1), "layer_input(): `batch_size` must be one positive whole number (or NULL), not -1."),
  bad(layer_input(shape = 3, name = 1), "layer_input(): `name` must be one string (or NULL), not 1."),
  bad(layer_activation(activation = NULL),
      "layer_activation(): `activation` must be an activation name (e.g. \"relu\") or an R function, not NULL."),
  bad(layer_activation(activation = 1),
      "layer_activation(): `activation` must be an activation name (e.g. \"relu\") or an R function, not 1."),
  bad(layer_activation_relu(input_shape = -1),
      "layer_activation_relu(): `input_shape` must be positive whole numbers, NA for a size that can vary, not -1."),
  bad(layer_dropout(rate = 1.5), "layer_dropout(): `rate` must be one finite number >= 0 and < 1, not 1.5."),
  bad(layer_dropout(rate = 1), "layer_dropout(): `rate` must be one finite number >= 0 and < 1, not 1."),
  bad(layer_dropout(rate = -0.1), "layer_dropout(): `rate` must be one finite number >= 0 and < 1, not -0.1."),
  bad(layer_dropout(rate = NA), "layer_dropout(): `rate` must be one finite number >= 0 and < 1, not NA."),
  bad(layer_dropout(rate = 0.5, seed = -1), "layer_dropout(): `seed` must be one non-negative whole number (or NULL), not -1."),
  bad(layer_dropout(rate = 0.5, noise_shape = 0),
      "layer_dropout(): `noise_shape` must be positive whole numbers, NA for a size that can vary, not 0."),
  bad(layer_gaussian_noise(stddev = -1), "layer_gaussian_noise(): `stddev` must be one finite number >= 0, not -1."),
  bad(layer_gaussian_dropout(rate = 2), "layer_gaussian_dropout(): `rate` must be one finite number >= 0 and < 1, not 2."),
  bad(layer_flatten(data_format = "channels_middle"),
      "layer_flatten(): `data_format` must be one of \"channels_last\", \"channels_first\" (or NULL), not \"channels_middle\"."),
  bad(layer_reshape(target_shape = c(-1, -1)),
      "layer_reshape(): `target_shape` must be positive whole numbers, at most one of them -1 (inferred), not c(-1, -1)."),
  bad(layer_reshape(target_shape = c(0, 2)),
      "layer_reshape(): `target_shape` must be positive whole numbers, at most one of them -1 (inferred), not c(0, 2)."),
  bad(layer_permute(dims = c(0, 1)),
      "layer_permute(): `dims` must be a permutation of 1, 2, ... (the sample dimensions), not c(0, 1)."),
  bad(layer_permute(dims = c(1, 1)),
      "layer_permute(): `dims` must be a permutation of 1, 2, ... (the sample dimensions), not c(1, 1)."),
  bad(layer_repeat_vector(n = 0), "layer_repeat_vector(): `n` must be one positive whole number, not 0."),
  bad(layer_batch_normalization(momentum = 1.5),
      "layer_batch_normalization(): `momentum` must be one finite number >= 0 and <= 1, not 1.5."),
  bad(layer_batch_normalization(epsilon = 0), "layer_batch_normalization(): `epsilon` must be one finite number > 0, not 0."),
  bad(layer_batch_normalization(axis = 1.5),
      "layer_batch_normalization(): `axis` must be whole numbers (axes; -1 is the last), not 1.5."),
  bad(layer_batch_normalization(center = "yes"), "layer_batch_normalization(): `center` must be TRUE or FALSE, not \"yes\"."),
  bad(layer_batch_normalization(gamma_initializer = 1),
      "layer_batch_normalization(): `gamma_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not 1."),
  bad(layer_layer_normalization(epsilon = -1), "layer_layer_normalization(): `epsilon` must be one finite number > 0, not -1."),
  bad(layer_layer_normalization(scale = NA), "layer_layer_normalization(): `scale` must be TRUE or FALSE, not NA."),
  bad(layer_activity_regularization(l1 = -0.1),
      "layer_activity_regularization(): `l1` must be one finite number >= 0, not -0.1."),
  bad(layer_activity_regularization(l2 = Inf), "layer_activity_regularization(): `l2` must be one finite number >= 0, not Inf.")
))

run_cases("convolution and pooling layers", list(
  bad(layer_conv_2d(filters = 0, kernel_size = 3), "layer_conv_2d(): `filters` must be one positive whole number, not 0."),
  bad(layer_conv_2d(filters = 2, kernel_size = c(3, 3, 3)),
      "layer_conv_2d(): `kernel_size` must be positive whole numbers (1 or 2 of them), not c(3, 3, 3)."),
  bad(layer_conv_2d(filters = 2, kernel_size = 0),
      "layer_conv_2d(): `kernel_size` must be positive whole numbers (1 or 2 of them), not 0."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, strides = 0),
      "layer_conv_2d(): `strides` must be positive whole numbers (1 or 2 of them), not 0."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, padding = "causal"),
      "layer_conv_2d(): `padding` must be one of \"valid\", \"same\", not \"causal\"."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, padding = "SAME"),
      "layer_conv_2d(): `padding` must be one of \"valid\", \"same\", not \"SAME\"."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, dilation_rate = -1),
      "layer_conv_2d(): `dilation_rate` must be positive whole numbers (1 or 2 of them), not -1."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, data_format = "NHWC"),
      "layer_conv_2d(): `data_format` must be one of \"channels_last\", \"channels_first\" (or NULL), not \"NHWC\"."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, foo = 1),
      "layer_conv_2d(): unknown argument `foo`; see ?layer_conv_2d for the arguments it takes."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, kernel_initializer = 5),
      "layer_conv_2d(): `kernel_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not 5."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, bias_regularizer = 1),
      "layer_conv_2d(): `bias_regularizer` must be a regularizer_*() object, a regularizer name or an R function (or NULL), not 1."),
  bad(layer_conv_2d(filters = 2, kernel_size = 3, kernel_initializer = "ones", "relu"),
      "layer_conv_2d(): `object` must be a model, a tensor (from layer_input() or another layer) or missing, not \"relu\"."),
  bad(layer_conv_1d(filters = 2, kernel_size = c(3, 3)),
      "layer_conv_1d(): `kernel_size` must be positive whole numbers (1 of them), not c(3, 3)."),
  bad(layer_conv_1d(filters = 2, kernel_size = 3, padding = "full"),
      "layer_conv_1d(): `padding` must be one of \"valid\", \"same\", \"causal\", not \"full\"."),
  bad(layer_conv_2d_transpose(filters = 2.5, kernel_size = 3),
      "layer_conv_2d_transpose(): `filters` must be one positive whole number, not 2.5."),
  bad(layer_separable_conv_2d(filters = 2, kernel_size = 3, depth_multiplier = 0),
      "layer_separable_conv_2d(): `depth_multiplier` must be one positive whole number, not 0."),
  bad(layer_separable_conv_2d(filters = 2, kernel_size = 3, kernel_initializer = "ones"),
      "layer_separable_conv_2d(): unknown argument `kernel_initializer`; see ?layer_separable_conv_2d for the arguments it takes."),
  bad(layer_depthwise_conv_2d(kernel_size = 3, depth_multiplier = -1),
      "layer_depthwise_conv_2d(): `depth_multiplier` must be one positive whole number, not -1."),
  bad(layer_depthwise_conv_2d(kernel_size = 3, activation = TRUE),
      "layer_depthwise_conv_2d(): `activation` must be an activation name (e.g. \"relu\") or an R function (or NULL), not TRUE."),
  bad(layer_max_pooling_2d(pool_size = 0),
      "layer_max_pooling_2d(): `pool_size` must be positive whole numbers (1 or 2 of them), not 0."),
  bad(layer_max_pooling_2d(pool_size = c(2, 2, 2)),
      "layer_max_pooling_2d(): `pool_size` must be positive whole numbers (1 or 2 of them), not c(2, 2, 2)."),
  bad(layer_max_pooling_1d(pool_size = c(2, 2)),
      "layer_max_pooling_1d(): `pool_size` must be positive whole numbers (1 of them), not c(2, 2)."),
  bad(layer_average_pooling_2d(strides = -1),
      "layer_average_pooling_2d(): `strides` must be positive whole numbers (1 or 2 of them) (or NULL), not -1."),
  bad(layer_average_pooling_1d(padding = "causal"),
      "layer_average_pooling_1d(): `padding` must be one of \"valid\", \"same\", not \"causal\"."),
  bad(layer_global_max_pooling_2d(keepdims = 1), "layer_global_max_pooling_2d(): `keepdims` must be TRUE or FALSE, not 1."),
  bad(layer_global_average_pooling_1d(data_format = "last"),
      "layer_global_average_pooling_1d(): `data_format` must be one of \"channels_last\", \"channels_first\" (or NULL), not \"last\"."),
  bad(layer_zero_padding_1d(padding = -1),
      "layer_zero_padding_1d(): `padding` must be non-negative whole numbers (1 or 2 of them), not -1."),
  bad(layer_zero_padding_2d(padding = list(c(1, 1), c(1, -1))),
      "layer_zero_padding_2d(): `padding` must be a list of two pairs of whole numbers >= 0, not a list of length 2."),
  bad(layer_zero_padding_2d(padding = c(1, 2, 3)),
      "layer_zero_padding_2d(): `padding` must be non-negative whole numbers (1 or 2 of them), not c(1, 2, 3)."),
  bad(layer_cropping_1d(cropping = 1.5),
      "layer_cropping_1d(): `cropping` must be non-negative whole numbers (1 or 2 of them), not 1.5."),
  bad(layer_cropping_2d(cropping = list(1, 2)),
      "layer_cropping_2d(): `cropping` must be a list of two pairs of whole numbers >= 0, not a list of length 2."),
  bad(layer_upsampling_1d(size = 0), "layer_upsampling_1d(): `size` must be one positive whole number, not 0."),
  bad(layer_upsampling_2d(size = c(2, 0)),
      "layer_upsampling_2d(): `size` must be positive whole numbers (1 or 2 of them), not c(2, 0)."),
  bad(layer_upsampling_2d(interpolation = "cubic"),
      "layer_upsampling_2d(): `interpolation` must be one of \"nearest\", \"bilinear\", not \"cubic\"."),
  bad(layer_spatial_dropout_1d(rate = 1), "layer_spatial_dropout_1d(): `rate` must be one finite number >= 0 and < 1, not 1."),
  bad(layer_spatial_dropout_2d(rate = 0.5, data_format = "nhwc"),
      "layer_spatial_dropout_2d(): `data_format` must be one of \"channels_last\", \"channels_first\" (or NULL), not \"nhwc\".")
))

run_cases("recurrent, embedding and merge layers", list(
  bad(layer_lstm(units = 0), "layer_lstm(): `units` must be one positive whole number, not 0."),
  bad(layer_lstm(units = 4, dropout = 1), "layer_lstm(): `dropout` must be one finite number >= 0 and < 1, not 1."),
  bad(layer_lstm(units = 4, recurrent_dropout = -0.5),
      "layer_lstm(): `recurrent_dropout` must be one finite number >= 0 and < 1, not -0.5."),
  bad(layer_lstm(units = 4, return_sequences = "yes"), "layer_lstm(): `return_sequences` must be TRUE or FALSE, not \"yes\"."),
  bad(layer_lstm(units = 4, recurrent_initializer = 1),
      "layer_lstm(): `recurrent_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not 1."),
  bad(layer_lstm(units = 4, unit_forget_bias = "a"), "layer_lstm(): `unit_forget_bias` must be TRUE or FALSE, not \"a\"."),
  bad(layer_lstm(units = 4, input_shape = c(5, 0)),
      "layer_lstm(): `input_shape` must be positive whole numbers, NA for a size that can vary, not c(5, 0)."),
  bad(layer_gru(units = 4, reset_after = NA), "layer_gru(): `reset_after` must be TRUE or FALSE, not NA."),
  bad(layer_gru(units = 4, recurrent_activation = 3),
      "layer_gru(): `recurrent_activation` must be an activation name (e.g. \"relu\") or an R function (or NULL), not 3."),
  bad(layer_gru(units = 4, go_backwards = "no"), "layer_gru(): `go_backwards` must be TRUE or FALSE, not \"no\"."),
  bad(layer_simple_rnn(units = 4, stateful = c(TRUE, FALSE)),
      "layer_simple_rnn(): `stateful` must be TRUE or FALSE, not c(TRUE, FALSE)."),
  bad(layer_simple_rnn(units = 4, unit_forget_bias = TRUE),
      "layer_simple_rnn(): unknown argument `unit_forget_bias`; see ?layer_simple_rnn for the arguments it takes."),
  bad(layer_embedding(input_dim = 0, output_dim = 2), "layer_embedding(): `input_dim` must be one positive whole number, not 0."),
  bad(layer_embedding(input_dim = 10, output_dim = 2.5),
      "layer_embedding(): `output_dim` must be one positive whole number, not 2.5."),
  bad(layer_embedding(input_dim = 10, output_dim = 2, mask_zero = "yes"),
      "layer_embedding(): `mask_zero` must be TRUE or FALSE, not \"yes\"."),
  bad(layer_embedding(input_dim = 10, output_dim = 2, input_length = 0),
      "layer_embedding(): `input_length` must be one positive whole number (or NULL), not 0."),
  bad(layer_embedding(input_dim = 10, output_dim = 2, embeddings_initializer = 1),
      "layer_embedding(): `embeddings_initializer` must be an initializer name (e.g. \"glorot_uniform\"), an initializer_*() object or an R function, not 1."),
  bad(layer_embedding(input_dim = 10, output_dim = 2, foo = 1),
      "layer_embedding(): unknown argument `foo`; see ?layer_embedding for the arguments it takes."),
  bad(layer_masking(mask_value = NA), "layer_masking(): `mask_value` must be one finite number, not NA."),
  bad(bidirectional(layer = "lstm"), "bidirectional(): `layer` must be a layer (e.g. layer_lstm(units = 8)), not \"lstm\"."),
  bad(time_distributed(layer = 3), "time_distributed(): `layer` must be a layer (e.g. layer_lstm(units = 8)), not 3."),
  bad(layer_concatenate(list(1, 2)),
      "layer_concatenate(): `inputs` must be a list of two or more tensors, e.g. list(a, b), or the tensors one by one (or missing), not a list of length 2."),
  bad(layer_add(inputs = 3),
      "layer_add(): `inputs` must be a list of two or more tensors, e.g. list(a, b), or the tensors one by one (or missing), not 3."),
  bad(layer_concatenate(axis = 1.5), "layer_concatenate(): `axis` must be one whole number (an axis; -1 is the last), not 1.5."),
  bad(layer_dot(axes = c(1, 2, 3)),
      "layer_dot(): `axes` must be whole numbers (axes; -1 is the last) (1 or 2 of them), not c(1, 2, 3)."),
  bad(layer_dot(axes = 1, normalize = "yes"), "layer_dot(): `normalize` must be TRUE or FALSE, not \"yes\"."),
  bad(layer_multiply(name = 1), "layer_multiply(): `name` must be one string (or NULL), not 1."),
  bad(keras_model_sequential(input_shape = 0),
      "keras_model_sequential(): `input_shape` must be positive whole numbers, NA for a size that can vary, not 0."),
  bad(keras_model_sequential(layers = list(1)),
      "keras_model_sequential(): `layers[[1]]` must be a layer (e.g. layer_lstm(units = 8)), not 1."),
  bad(keras_model(inputs = 1),
      "keras_model(): `inputs` must be a tensor from layer_input() or a layer, or a list of them, not 1.")
))

# --- optimizers, losses, metrics, callbacks, initializers ---------------------

run_cases("optimizers and schedules", list(
  bad(optimizer_sgd(learning_rate = NaN),
      "optimizer_sgd(): `learning_rate` must be one finite number >= 0 or a learning_rate_schedule_*() object, not NaN."),
  bad(optimizer_sgd(learning_rate = -1),
      "optimizer_sgd(): `learning_rate` must be one finite number >= 0 or a learning_rate_schedule_*() object, not -1."),
  bad(optimizer_sgd(learning_rate = Inf),
      "optimizer_sgd(): `learning_rate` must be one finite number >= 0 or a learning_rate_schedule_*() object, not Inf."),
  bad(optimizer_sgd(learning_rate = "0.1"),
      "optimizer_sgd(): `learning_rate` must be one finite number >= 0 or a learning_rate_schedule_*() object, not \"0.1\"."),
  bad(optimizer_sgd(momentum = 1.5), "optimizer_sgd(): `momentum` must be one finite number >= 0 and <= 1, not 1.5."),
  bad(optimizer_sgd(nesterov = "yes"), "optimizer_sgd(): `nesterov` must be TRUE or FALSE, not \"yes\"."),
  bad(optimizer_sgd(name = 1), "optimizer_sgd(): `name` must be one string (or NULL), not 1."),
  bad(optimizer_adam(beta_1 = 1), "optimizer_adam(): `beta_1` must be one finite number >= 0 and < 1, not 1."),
  bad(optimizer_adam(beta_2 = -0.1), "optimizer_adam(): `beta_2` must be one finite number >= 0 and < 1, not -0.1."),
  bad(optimizer_adam(epsilon = -1), "optimizer_adam(): `epsilon` must be one finite number >= 0, not -1."),
  bad(optimizer_adam(amsgrad = NA), "optimizer_adam(): `amsgrad` must be TRUE or FALSE, not NA."),
  bad(optimizer_rmsprop(rho = 2), "optimizer_rmsprop(): `rho` must be one finite number >= 0 and <= 1, not 2."),
  bad(optimizer_rmsprop(centered = 1), "optimizer_rmsprop(): `centered` must be TRUE or FALSE, not 1."),
  bad(optimizer_adamw(weight_decay = -0.1), "optimizer_adamw(): `weight_decay` must be one finite number >= 0, not -0.1."),
  bad(optimizer_adagrad(initial_accumulator_value = -1),
      "optimizer_adagrad(): `initial_accumulator_value` must be one finite number >= 0, not -1."),
  bad(optimizer_adadelta(rho = NA), "optimizer_adadelta(): `rho` must be one finite number >= 0 and <= 1, not NA."),
  bad(optimizer_adamax(clipnorm = 0), "optimizer_adamax(): `clipnorm` must be one finite number > 0 (or NULL), not 0."),
  bad(optimizer_nadam(clipvalue = -1), "optimizer_nadam(): `clipvalue` must be one finite number > 0 (or NULL), not -1."),
  bad(learning_rate_schedule_exponential_decay(0.1, decay_steps = 0, decay_rate = 0.5),
      "learning_rate_schedule_exponential_decay(): `decay_steps` must be one positive whole number, not 0."),
  bad(learning_rate_schedule_exponential_decay(-0.1, decay_steps = 10, decay_rate = 0.5),
      "learning_rate_schedule_exponential_decay(): `initial_learning_rate` must be one finite number >= 0, not -0.1."),
  bad(learning_rate_schedule_exponential_decay(0.1, decay_steps = 10, decay_rate = 0),
      "learning_rate_schedule_exponential_decay(): `decay_rate` must be one finite number > 0, not 0."),
  bad(learning_rate_schedule_piecewise_constant_decay(boundaries = c(10, 5), values = c(1, 2, 3)),
      "learning_rate_schedule_piecewise_constant_decay(): `boundaries` must be increasing whole numbers >= 0 (training steps), not c(10, 5)."),
  bad(learning_rate_schedule_piecewise_constant_decay(boundaries = 10, values = c(1, 2, 3)),
      "learning_rate_schedule_piecewise_constant_decay(): `values` must be finite numbers >= 0, one more than `boundaries` (2), not c(1, 2, 3)."),
  bad(learning_rate_schedule_cosine_decay(0.1, decay_steps = 10, alpha = 2),
      "learning_rate_schedule_cosine_decay(): `alpha` must be one finite number >= 0 and <= 1, not 2.")
))

run_cases("losses and metrics", list(
  bad(loss_huber(delta = -1), "loss_huber(): `delta` must be one finite number > 0, not -1."),
  bad(loss_huber(foo = 1), "loss_huber(): unknown argument `foo`; see ?loss_huber for the arguments it takes."),
  bad(loss_binary_crossentropy(from_logits = "yes"),
      "loss_binary_crossentropy(): `from_logits` must be TRUE or FALSE, not \"yes\"."),
  bad(loss_binary_crossentropy(label_smoothing = 2),
      "loss_binary_crossentropy(): `label_smoothing` must be one finite number >= 0 and <= 1, not 2."),
  bad(loss_categorical_crossentropy(axis = 1.5),
      "loss_categorical_crossentropy(): `axis` must be one whole number (an axis; -1 is the last), not 1.5."),
  bad(loss_mean_squared_error(reduction = "mean"),
      "loss_mean_squared_error(): `reduction` must be one of \"sum_over_batch_size\", \"sum\", \"none\", \"auto\", not \"mean\"."),
  bad(loss_mean_squared_error(delta = 1),
      "loss_mean_squared_error(): unknown argument `delta`; see ?loss_mean_squared_error for the arguments it takes."),
  bad(loss_mean_squared_error("a", 1), "loss_mean_squared_error(): `y_true` must be a numeric array or a tensor, not \"a\"."),
  bad(loss_huber(c(1, 2), c(1, 2), reduction = "sum"),
      "loss_huber(): unknown argument `reduction`; see ?loss_huber for the arguments it takes."),
  bad(loss_cosine_similarity(axis = "last"),
      "loss_cosine_similarity(): `axis` must be one whole number (an axis; -1 is the last), not \"last\"."),
  bad(loss_sparse_categorical_crossentropy(label_smoothing = 0.1),
      "loss_sparse_categorical_crossentropy(): unknown argument `label_smoothing`; see ?loss_sparse_categorical_crossentropy for the arguments it takes."),
  bad(metric_auc(curve = "XY"), "metric_auc(): `curve` must be one of \"ROC\", \"PR\", not \"XY\"."),
  bad(metric_auc(num_thresholds = 1), "metric_auc(): `num_thresholds` must be one whole number >= 2, not 1."),
  bad(metric_auc(thresholds = c(0.5, 1.5)), "metric_auc(): `thresholds` must be numbers from 0 to 1 (or NULL), not c(0.5, 1.5)."),
  bad(metric_auc(summation_method = "trapezoid"),
      "metric_auc(): `summation_method` must be one of \"interpolation\", \"minoring\", \"majoring\", not \"trapezoid\"."),
  bad(metric_binary_accuracy(threshold = 2),
      "metric_binary_accuracy(): `threshold` must be one finite number >= 0 and <= 1, not 2."),
  bad(metric_top_k_categorical_accuracy(k = 0),
      "metric_top_k_categorical_accuracy(): `k` must be one positive whole number, not 0."),
  bad(metric_precision(class_id = -1), "metric_precision(): `class_id` must be one non-negative whole number (or NULL), not -1."),
  bad(metric_recall(top_k = 0), "metric_recall(): `top_k` must be one positive whole number (or NULL), not 0."),
  bad(metric_accuracy(foo = 1), "metric_accuracy(): unknown argument `foo`; see ?metric_accuracy for the arguments it takes."),
  bad(metric_mean_squared_error(name = 1), "metric_mean_squared_error(): `name` must be one string (or NULL), not 1.")
))

run_cases("callbacks", list(
  bad(callback_lambda(on_epoch_end = 3), "callback_lambda(): `on_epoch_end` must be a function (or NULL), not 3."),
  bad(callback_lambda(on_batch_begin = "print"),
      "callback_lambda(): `on_batch_begin` must be a function (or NULL), not \"print\"."),
  bad(callback_early_stopping(patience = -1),
      "callback_early_stopping(): `patience` must be one non-negative whole number, not -1."),
  bad(callback_early_stopping(mode = "x"), "callback_early_stopping(): `mode` must be one of \"auto\", \"min\", \"max\", not \"x\"."),
  bad(callback_early_stopping(min_delta = -1), "callback_early_stopping(): `min_delta` must be one finite number >= 0, not -1."),
  bad(callback_early_stopping(verbose = 2), "callback_early_stopping(): `verbose` must be 0 or 1, not 2."),
  bad(callback_early_stopping(monitor = 1), "callback_early_stopping(): `monitor` must be one string, not 1."),
  bad(callback_early_stopping(restore_best_weights = "yes"),
      "callback_early_stopping(): `restore_best_weights` must be TRUE or FALSE, not \"yes\"."),
  bad(callback_early_stopping(baseline = "a"), "callback_early_stopping(): `baseline` must be one finite number (or NULL), not \"a\"."),
  bad(callback_reduce_lr_on_plateau(factor = 1),
      "callback_reduce_lr_on_plateau(): `factor` must be one finite number > 0 and < 1, not 1."),
  bad(callback_reduce_lr_on_plateau(cooldown = -1),
      "callback_reduce_lr_on_plateau(): `cooldown` must be one non-negative whole number, not -1."),
  bad(callback_reduce_lr_on_plateau(min_lr = -1), "callback_reduce_lr_on_plateau(): `min_lr` must be one finite number >= 0, not -1."),
  bad(callback_learning_rate_scheduler(schedule = 0.1),
      "callback_learning_rate_scheduler(): `schedule` must be a function, not 0.1."),
  bad(callback_model_checkpoint(filepath = 1), "callback_model_checkpoint(): `filepath` must be one string, not 1."),
  bad(callback_model_checkpoint(filepath = file.path(tempdir(), "no-such-dir", "m.tbm")),
      "callback_model_checkpoint(): `filepath` must be a path in an existing directory (", fixed = TRUE),
  bad(callback_model_checkpoint(filepath = tempfile(), save_best_only = NA),
      "callback_model_checkpoint(): `save_best_only` must be TRUE or FALSE, not NA."),
  bad(callback_csv_logger(filename = NA), "callback_csv_logger(): `filename` must be one string, not NA."),
  bad(callback_csv_logger(filename = tempfile(), append = "yes"),
      "callback_csv_logger(): `append` must be TRUE or FALSE, not \"yes\".")
))

run_cases("initializers, regularizers and constraints", list(
  bad(initializer_he_normal(seed = -1), "initializer_he_normal(): `seed` must be one non-negative whole number (or NULL), not -1."),
  bad(initializer_glorot_uniform(seed = 1.5),
      "initializer_glorot_uniform(): `seed` must be one non-negative whole number (or NULL), not 1.5."),
  bad(initializer_random_normal(stddev = -1), "initializer_random_normal(): `stddev` must be one finite number >= 0, not -1."),
  bad(initializer_random_uniform(minval = 1, maxval = 0), "initializer_random_uniform(): `maxval` must be >= `minval` (1), not 0."),
  bad(initializer_constant(value = "a"), "initializer_constant(): `value` must be one finite number, not \"a\"."),
  bad(initializer_truncated_normal(mean = NA), "initializer_truncated_normal(): `mean` must be one finite number, not NA."),
  bad(initializer_orthogonal(gain = Inf), "initializer_orthogonal(): `gain` must be one finite number, not Inf."),
  bad(regularizer_l1(l = -1), "regularizer_l1(): `l` must be one finite number >= 0, not -1."),
  bad(regularizer_l2(l = "a"), "regularizer_l2(): `l` must be one finite number >= 0, not \"a\"."),
  bad(regularizer_l1_l2(l1 = NA), "regularizer_l1_l2(): `l1` must be one finite number >= 0, not NA."),
  bad(constraint_maxnorm(max_value = 0), "constraint_maxnorm(): `max_value` must be one finite number > 0, not 0."),
  bad(constraint_maxnorm(axis = 0.5), "constraint_maxnorm(): `axis` must be whole numbers (axes; -1 is the last), not 0.5."),
  bad(constraint_unitnorm(axis = "rows"), "constraint_unitnorm(): `axis` must be whole numbers (axes; -1 is the last), not \"rows\".")
))

# --- datasets and preprocessing ------------------------------------------------

run_cases("datasets", list(
  bad(dataset_mnist(path = 1), "dataset_mnist(): `path` must be one string, not 1."),
  bad(dataset_cifar100(label_mode = "medium"), "dataset_cifar100(): `label_mode` must be one of \"fine\", \"coarse\", not \"medium\"."),
  bad(dataset_imdb(num_words = 0), "dataset_imdb(): `num_words` must be one positive whole number (or NULL), not 0."),
  bad(dataset_imdb(skip_top = -1), "dataset_imdb(): `skip_top` must be one non-negative whole number, not -1."),
  bad(dataset_imdb(maxlen = 2.5), "dataset_imdb(): `maxlen` must be one positive whole number (or NULL), not 2.5."),
  bad(dataset_imdb(seed = NA), "dataset_imdb(): `seed` must be one non-negative whole number (or NULL), not NA."),
  bad(dataset_reuters(test_split = 1), "dataset_reuters(): `test_split` must be one finite number > 0 and < 1, not 1."),
  bad(dataset_reuters(index_from = -1), "dataset_reuters(): `index_from` must be one non-negative whole number, not -1."),
  bad(dataset_boston_housing(test_split = 0), "dataset_boston_housing(): `test_split` must be one finite number > 0 and < 1, not 0."),
  bad(dataset_boston_housing(seed = "a"), "dataset_boston_housing(): `seed` must be one non-negative whole number (or NULL), not \"a\".")
))

run_cases("preprocessing and array utilities", list(
  bad(pad_sequences(1:3), "pad_sequences(): `sequences` must be a list of integer vectors, not 1:3."),
  bad(pad_sequences(list(1:3, c(1, NA))),
      "pad_sequences(): `sequences[[2]]` must be a vector of whole numbers without NA, not c(1, NA)."),
  bad(pad_sequences(list(1:3, 1.5)), "pad_sequences(): `sequences[[2]]` must be a vector of whole numbers without NA, not 1.5."),
  bad(pad_sequences(list(1:3, "a")), "pad_sequences(): `sequences[[2]]` must be a vector of whole numbers without NA, not \"a\"."),
  bad(pad_sequences(list(1:3), maxlen = 0), "pad_sequences(): `maxlen` must be one positive whole number (or NULL), not 0."),
  bad(pad_sequences(list(1:3), padding = "middle"), "pad_sequences(): `padding` must be one of \"pre\", \"post\", not \"middle\"."),
  bad(pad_sequences(list(1:3), truncating = "both"), "pad_sequences(): `truncating` must be one of \"pre\", \"post\", not \"both\"."),
  bad(pad_sequences(list(1:3), dtype = "int8"),
      "pad_sequences(): `dtype` must be one of \"int32\", \"int64\", \"float32\", \"float64\", not \"int8\"."),
  bad(pad_sequences(list(1:3), value = NA), "pad_sequences(): `value` must be one finite number, not NA."),
  bad(text_tokenizer(num_words = 0), "text_tokenizer(): `num_words` must be one positive whole number (or NULL), not 0."),
  bad(text_tokenizer(lower = "yes"), "text_tokenizer(): `lower` must be TRUE or FALSE, not \"yes\"."),
  bad(text_tokenizer(split = 1), "text_tokenizer(): `split` must be one string, not 1."),
  bad(text_tokenizer(filters = NA), "text_tokenizer(): `filters` must be one string, not NA."),
  bad(text_tokenizer(oov_token = 1), "text_tokenizer(): `oov_token` must be one string (or NULL), not 1."),
  bad(fit_text_tokenizer(1, "a"), "fit_text_tokenizer(): `object` must be a tokenizer from text_tokenizer(), not 1."),
  bad(texts_to_sequences("a", "a"), "texts_to_sequences(): `tokenizer` must be a tokenizer from text_tokenizer(), not \"a\"."),
  bad(to_categorical(c(0, 1.5)), "to_categorical(): `y` must be whole class labels >= 0 (counting from 0), without NA, not c(0, 1.5)."),
  bad(to_categorical(c(0, -1)), "to_categorical(): `y` must be whole class labels >= 0 (counting from 0), without NA, not c(0, -1)."),
  bad(to_categorical(c(0, NA)), "to_categorical(): `y` must be whole class labels >= 0 (counting from 0), without NA, not c(0, NA)."),
  bad(to_categorical(c("a", "b")),
      "to_categorical(): `y` must be whole class labels >= 0 (counting from 0), without NA, not c(\"a\", \"b\")."),
  bad(to_categorical(c(0, 3), num_classes = 3),
      "to_categorical(): `num_classes` must be larger than the largest label (3; labels count from 0), not 3."),
  bad(to_categorical(c(0, 1), num_classes = 0), "to_categorical(): `num_classes` must be one positive whole number (or NULL), not 0."),
  bad(array_reshape(1:6, c(4, -1)), "array_reshape(): cannot reshape 6 elements into dim 4 x -1"),
  bad(array_reshape(1:6, c(4, 2)), "array_reshape(): cannot reshape 6 elements into dim 4 x 2"),
  bad(array_reshape(1:6, c(2, 1.5)),
      "array_reshape(): `dim` must be whole numbers >= 0, at most one of them -1 (inferred), not c(2, 1.5)."),
  bad(array_reshape(1:6, c(-1, -1)),
      "array_reshape(): `dim` must be whole numbers >= 0, at most one of them -1 (inferred), not c(-1, -1)."),
  bad(array_reshape(list(1, 2), 2), "array_reshape(): `x` must be an array or a vector, not a list of length 2."),
  bad(array_reshape(1:6, c(2, 3), order = "K"), "array_reshape(): `order` must be one of \"C\", \"F\", not \"K\"."),
  bad(normalize("a"), "normalize(): `x` must be a numeric array, not \"a\"."),
  bad(normalize(matrix(1, 2, 2), order = 0), "normalize(): `order` must be one positive whole number, not 0."),
  bad(normalize(matrix(1, 2, 2), axis = NA), "normalize(): `axis` must be one whole number (an axis; -1 is the last), not NA.")
))

# --- compile, fit, evaluate, predict, inspection, persistence (need a model) ------

model_env <- local({
  env <- NULL
  function() {
    if (is.null(env)) {
      env <<- new.env()
      local(envir = env, {
        m <- keras_model_sequential(input_shape = 2) %>%
          layer_dense(units = 3, name = "hidden") %>%
          layer_dense(units = 1, name = "out")
        m %>% compile(optimizer = "sgd", loss = "mse")
        x <- matrix(seq(0, 1, length.out = 20), ncol = 2)
        y <- rowSums(x)
        tok <- text_tokenizer()
        history <- fit(m, x, y, epochs = 2, verbose = 0)
        bytes <- serialize_model(m)
        path <- tempfile(fileext = ".tbm")
      })
    }
    env
  }
})

run_cases("compile", needs_python = TRUE, env = model_env, list(
  bad(compile(m, optimizer = 42),
      "compile(): `optimizer` must be an optimizer name (e.g. \"adam\") or an optimizer_*() object, not 42."),
  bad(compile(m, optimizer = NA),
      "compile(): `optimizer` must be an optimizer name (e.g. \"adam\") or an optimizer_*() object, not NA."),
  bad(compile(m, optimizer = "sgd", loss = 42),
      "compile(): `loss` must be a loss name (e.g. \"mse\"), a loss_*() object or an R function, not 42."),
  bad(compile(m, optimizer = "sgd", loss = "mse", metrics = 3),
      "compile(): `metrics` must be a metric name (e.g. \"accuracy\"), a metric_*() object or an R function, not 3."),
  bad(compile(m, optimizer = "sgd", loss = "mse", metrics = list("mae", 3)),
      "compile(): `metrics[[2]]` must be a metric name (e.g. \"accuracy\"), a metric_*() object or an R function, not 3."),
  bad(compile(m, optimizer = "sgd", loss = "mse", loss_weights = -1),
      "compile(): `loss_weights` must be finite numbers >= 0, one per output (or NULL), not -1."),
  bad(compile(m, optimizer = "sgd", loss = "mse", foo = 1),
      "compile(): unknown argument `foo`; see ?compile.tensorbridge_object for the arguments it takes."),
  bad(compile(m, optimizer = "sgd", loss = optimizer_sgd()),
      "compile(): `loss` must be a loss name (e.g. \"mse\"), a loss_*() object or an R function, not a SGD object."),
  bad(compile(m, optimizer = loss_huber(), loss = "mse"),
      "compile(): `optimizer` must be an optimizer name (e.g. \"adam\") or an optimizer_*() object, not a Huber object."),
  bad(compile(m, optimizer = optimizer_sgd(momentum = -1), loss = "mse"),
      "optimizer_sgd(): `momentum` must be one finite number >= 0 and <= 1, not -1.")
))

run_cases("fit", needs_python = TRUE, env = model_env, list(
  bad(fit(m, x, y, steps_per_epoch = -2),
      "fit(): `steps_per_epoch` must be one positive whole number (or NULL), not -2."),
  bad(fit(m, x, y, epochs = 0.5), "fit(): `epochs` must be one positive whole number, not 0.5."),
  bad(fit(m, x, y, epochs = 0), "fit(): `epochs` must be one positive whole number, not 0."),
  bad(fit(m, x, y, batch_size = 0), "fit(): `batch_size` must be one positive whole number (or NULL), not 0."),
  bad(fit(m, x, y, validation_split = 1.5), "fit(): `validation_split` must be one finite number >= 0 and < 1, not 1.5."),
  bad(fit(m, x, y, validation_split = 1), "fit(): `validation_split` must be one finite number >= 0 and < 1, not 1."),
  bad(fit(m, x, y, verbose = 5), "fit(): `verbose` must be 0, 1, 2 or \"auto\", not 5."),
  bad(fit(m, x, y, verbose = "yes"), "fit(): `verbose` must be 0, 1, 2 or \"auto\", not \"yes\"."),
  bad(fit(m, matrix("a", 2, 2), y),
      "fit(): `x` must be a numeric array or a data frame (or a list of them, one per input or output), not a character array of dim 2 x 2."),
  bad(fit(m, list(list(1)), y), "fit(): `x[[1]]` must be a numeric array or a data frame, not a list of length 1."),
  bad(fit(m, new.env(), y),
      "fit(): `x` must be a numeric array or a data frame (or a list of them, one per input or output), not an environment."),
  bad(fit(m, NULL, y),
      "fit(): `x` must be a numeric array or a data frame (or a list of them, one per input or output), not NULL."),
  bad(fit(m, x, letters[1:10]),
      "fit(): `y` must be a numeric array or a data frame (or a list of them, one per input or output), not a character vector of length 10."),
  bad(fit(m, x, y, epochs = 3, initial_epoch = 5),
      "fit(): `epochs` must be larger than `initial_epoch` (5): the epoch to stop at, not 3."),
  bad(fit(m, x, y, initial_epoch = -1), "fit(): `initial_epoch` must be one non-negative whole number, not -1."),
  bad(fit(m, x, y, shuffle = "batch"), "fit(): `shuffle` must be TRUE or FALSE, not \"batch\"."),
  bad(fit(m, x, y, callbacks = list(1)), "fit(): `callbacks[[1]]` must be a callback_*() object, not 1."),
  bad(fit(m, x, y, callbacks = function(epoch) 1), "fit(): `callbacks[[1]]` must be a callback_*() object, not a function."),
  bad(fit(m, x, y, class_weight = list(1, 2)),
      "fit(): `class_weight` must be a list of weights >= 0 named by class index from 0, e.g. list(\"0\" = 1, \"1\" = 5), not a list of length 2."),
  bad(fit(m, x, y, class_weight = list(a = 1)),
      "fit(): `class_weight` must be a list of weights >= 0 named by class index from 0, e.g. list(\"0\" = 1, \"1\" = 5), not a list of length 1."),
  bad(fit(m, x, y, sample_weight = rep(-1, 10)),
      "fit(): `sample_weight` must be a vector of finite numbers >= 0, one per sample (or NULL), not a double vector of length 10."),
  bad(fit(m, x, y, sample_weight = "a"),
      "fit(): `sample_weight` must be a vector of finite numbers >= 0, one per sample (or NULL), not \"a\"."),
  bad(fit(m, x, y, validation_data = x),
      "fit(): `validation_data` must be list(x_val, y_val), list(x_val, y_val, sample_weight_val), a generator or a dataset, not a double array of dim 10 x 2."),
  bad(fit(m, x, y, validation_data = list(x)),
      "fit(): `validation_data` must be list(x_val, y_val), list(x_val, y_val, sample_weight_val), a generator or a dataset, not a list of length 1."),
  bad(fit(m, x, y, validation_data = list(x, "a")),
      "fit(): `validation_data[[2]]` must be a numeric array or a data frame (or a list of them, one per input or output), not \"a\"."),
  bad(fit(m, x, y, foo = 1), "fit(): unknown argument `foo`; see ?fit.tensorbridge_object for the arguments it takes."),
  bad(fit(1, x, y), "fit(): `object` must be a model made with keras_model_sequential() or keras_model(), not 1."),
  bad(fit(get_layer(m, index = 1), x, y),
      "fit(): `object` must be a model made with keras_model_sequential() or keras_model(), not a Dense object."),
  bad(fit(m, x, y, callbacks = list(optimizer_adam())), "fit(): `callbacks[[1]]` must be a callback_*() object, not an Adam object.")
))

run_cases("evaluate and predict", needs_python = TRUE, env = model_env, list(
  bad(evaluate(m, x, y, batch_size = -1), "evaluate(): `batch_size` must be one positive whole number (or NULL), not -1."),
  bad(evaluate(m, x, y, verbose = 3), "evaluate(): `verbose` must be 0, 1, 2 or \"auto\", not 3."),
  bad(evaluate(m, x),
      "ValueError: evaluate: y (the targets) is missing; give evaluate(x, y)"),
  bad(evaluate(m, x, y, foo = 1), "evaluate(): unknown argument `foo`; see ?evaluate.tensorbridge_object for the arguments it takes."),
  bad(predict(m, x, simplify = FALSE), "predict(): unknown argument `simplify`; see ?predict.tensorbridge_object for the arguments it takes."),
  bad(predict(m, x, 32, 0, NULL, NULL, TRUE), "predict(): unknown argument TRUE; see ?predict.tensorbridge_object for the arguments it takes."),
  bad(predict(m, "a"),
      "predict(): `x` must be a numeric array or a data frame (or a list of them, one per input or output), not \"a\"."),
  bad(predict(m, x, batch_size = 1.5), "predict(): `batch_size` must be one positive whole number (or NULL), not 1.5."),
  bad(predict(m, x, verbose = -1), "predict(): `verbose` must be 0, 1, 2 or \"auto\", not -1."),
  bad(predict_on_batch(m, "a"),
      "predict_on_batch(): `x` must be a numeric array or a data frame (or a list of them, one per input or output), not \"a\"."),
  bad(train_on_batch(m, x, y, class_weight = 1),
      "train_on_batch(): `class_weight` must be a list of weights >= 0 named by class index from 0, e.g. list(\"0\" = 1, \"1\" = 5), not 1."),
  bad(test_on_batch(m, x, NULL),
      "test_on_batch(): `y` must be a numeric array or a data frame (or a list of them, one per input or output), not NULL.")
))

run_cases("model inspection", needs_python = TRUE, env = model_env, list(
  bad(get_layer(m, index = 0),
      "get_layer(): `index` must be a layer position from 1 to 2 (or -1 to -2 from the end): the model has 2 layers, not 0."),
  bad(get_layer(m, index = 3),
      "get_layer(): `index` must be a layer position from 1 to 2 (or -1 to -2 from the end): the model has 2 layers, not 3."),
  bad(get_layer(m, index = -3),
      "get_layer(): `index` must be a layer position from 1 to 2 (or -1 to -2 from the end): the model has 2 layers, not -3."),
  bad(get_layer(m, index = 1.5),
      "get_layer(): `index` must be a layer position from 1 to 2 (or -1 to -2 from the end): the model has 2 layers, not 1.5."),
  bad(get_layer(m, name = 1), "get_layer(): `name` must be one string (or NULL), not 1."),
  bad(get_layer(m), "get_layer(): `name` must be one string when `index` is NULL (give one of them), not NULL."),
  bad(get_layer(m, name = "out", index = 1),
      "get_layer(): `index` must be NULL when `name` is given (give one of them), not 1."),
  bad(freeze_weights(m, from = 5),
      "freeze_weights(): `from` must be a layer position from 1 to 2 (or -1 to -2 from the end): the model has 2 layers, not 5."),
  bad(freeze_weights(m, from = "nope"),
      "freeze_weights(): `from` must be the name or position of one of the model's layers (\"hidden\", \"out\"), not \"nope\"."),
  bad(unfreeze_weights(m, from = 2, to = 1), "unfreeze_weights(): `to` must be a layer at or after `from` (layer 2), not 1."),
  bad(set_weights(m, 1), "set_weights(): `weights` must be a list of numeric arrays, as get_weights() returns, not 1."),
  bad(set_weights(m, list("a")),
      "set_weights(): `weights` must be a list of numeric arrays, as get_weights() returns, not a list of length 1."),
  bad(pop_layer(1), "pop_layer(): `object` must be a sequential model (keras_model_sequential()), not 1."),
  bad(get_weights(1), "get_weights(): `object` must be a model or a layer, not 1."),
  bad(count_params("a"), "count_params(): `object` must be a model or a layer, not \"a\"."),
  bad(summary(m, line_length = 3), "summary(): `line_length` must be one whole number >= 40 (or NULL), not 3."),
  bad(summary(m, foo = 1), "summary(): unknown argument `foo`; see ?summary.tensorbridge_object for the arguments it takes."),
  bad(from_config(1), "from_config(): `config` must be a list from get_config(), not 1."),
  bad(model_from_json(1), "model_from_json(): `json` must be one string, not 1."),
  bad(model_to_json(1),
      "model_to_json(): `object` must be a model made with keras_model_sequential() or keras_model(), not 1."),
  bad(reset_states(1), "reset_states(): `object` must be a model or a stateful recurrent layer, not 1."),
  bad(bidirectional(layer = layer_lstm(units = 2), merge_mode = "max"),
      "bidirectional(): `merge_mode` must be one of \"concat\", \"sum\", \"mul\", \"ave\" (or NULL), not \"max\"."),
  bad(keras_model(inputs = layer_input(shape = 2), outputs = "out"),
      "keras_model(): `outputs` must be a tensor from layer_input() or a layer, or a list of them, not \"out\"."),
  bad(fit_text_tokenizer(tok, c("a", NA)),
      "fit_text_tokenizer(): `x` must be a character vector of texts without NA, not c(\"a\", NA)."),
  bad(texts_to_sequences(tok, list("a")),
      "texts_to_sequences(): `texts` must be a character vector of texts without NA, not a list of length 1."),
  bad(print(history, digits = 3), "print(): unknown argument `digits`; see ?print.keras_training_history for the arguments it takes."),
  bad(plot(history, method = "lattice"), "plot(): `method` must be one of \"auto\", \"ggplot2\", \"base\", not \"lattice\"."),
  bad(plot(history, metrics = "nope"), "plot(): `metrics` must be names of metrics in the history (\"loss\") or NULL, not \"nope\"."),
  bad(plot(history, smooth = "yes"), "plot(): `smooth` must be TRUE or FALSE, not \"yes\"."),
  bad(as.data.frame(history, foo = 1), "as.data.frame(): unknown argument `foo`; see ?as.data.frame.keras_training_history for the arguments it takes.")
))

run_cases("persistence", needs_python = TRUE, env = model_env, list(
  bad(save_model(m, filepath = 42), "save_model(): `filepath` must be one string, not 42."),
  bad(save_model(m, filepath = c("a", "b")), "save_model(): `filepath` must be one string, not c(\"a\", \"b\")."),
  bad(save_model(m, tempdir()), "' is a directory; give the path of a file", fixed = TRUE),
  bad(save_model(m, file.path(tempdir(), "no-such-dir", "m.tbm")), "' does not exist; create it first", fixed = TRUE),
  bad(save_model(m, path, overwrite = "yes"), "save_model(): `overwrite` must be TRUE or FALSE, not \"yes\"."),
  bad(save_model(m, path, include_optimizer = NA), "save_model(): `include_optimizer` must be TRUE or FALSE, not NA."),
  bad(save_model(1, path), "save_model(): `object` must be a model made with keras_model_sequential() or keras_model(), not 1."),
  bad(load_model(42), "load_model(): `filepath` must be one string, not 42."),
  bad(load_model(file.path(tempdir(), "missing.tbm")), "load_model(): no model file at '", fixed = TRUE),
  bad(save_model_weights(m, 42), "save_model_weights(): `filepath` must be one string, not 42."),
  bad(load_model_weights(m, 42), "load_model_weights(): `filepath` must be one string, not 42."),
  bad(load_model_weights(m, file.path(tempdir(), "missing.tbw")), "load_model_weights(): no weights file at '", fixed = TRUE),
  bad(serialize_model(m, include_optimizer = "no"), "serialize_model(): `include_optimizer` must be TRUE or FALSE, not \"no\"."),
  bad(unserialize_model("abc"), "unserialize_model(): `model` must be the raw vector that serialize_model() made, not \"abc\"."),
  bad(unserialize_model(raw(0)),
      "unserialize_model(): `model` must be the raw vector that serialize_model() made, not an empty raw vector."),
  bad(unserialize_model(bytes, compile = NA), "unserialize_model(): `compile` must be TRUE or FALSE, not NA.")
))

# --- valid input at the boundaries gives the right result -------------------------

test_that("boundary values of layer arguments are accepted and kept", {
  skip_if_no_python()
  expect_identical(get_config(layer_dropout(rate = 0))$rate, 0)
  expect_identical(get_config(layer_dense(units = 1L))$units, 1L)
  expect_identical(get_config(layer_dense(units = 2147483647))$units, 2147483647L)
  # NA in input_shape: a size that varies; a dense layer acts on the last axis
  model <- keras_model_sequential(input_shape = c(NA, 3)) %>%
    layer_dense(units = 2, kernel_initializer = "ones", bias_initializer = "zeros")
  out <- predict(model, array(1, dim = c(4, 5, 3)))
  expect_identical(dim(out), c(4L, 5L, 2L))
  expect_equal(as.vector(out), rep(3, 40))  # each output sums three ones
  expect_identical(get_config(layer_zero_padding_1d(padding = 0))$padding, list(0L, 0L))
})

test_that("get_layer() counts from 1, negative from the end", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = 2) %>%
    layer_dense(units = 3, name = "first") %>%
    layer_dense(units = 1, name = "last")
  name_of <- function(layer) tb_call("bridge.api.get_attr", layer, "name")
  expect_identical(get_layer(model, index = 1)$name, "first")
  expect_identical(get_layer(model, index = 2)$name, "last")
  expect_identical(get_layer(model, index = -1)$name, "last")
  expect_identical(get_layer(model, index = -2)$name, "first")
  expect_identical(get_layer(model, name = "last")$name, "last")
})

test_that("fit() at the boundaries: one epoch, learning rate 0, no validation split", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = 2) %>% layer_dense(units = 1)
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0), loss = "mse")
  before <- get_weights(model)
  x <- matrix(seq(0, 1, length.out = 20), ncol = 2)
  history <- fit(model, x, rowSums(x), epochs = 1, initial_epoch = 0, validation_split = 0,
                 batch_size = 1, verbose = 0)
  expect_length(history$metrics$loss, 1)
  # a learning rate of 0 changes nothing
  expect_identical(get_weights(model), before)
  # one-epoch resume: epochs is the epoch to stop at
  history <- fit(model, x, rowSums(x), epochs = 3, initial_epoch = 2, verbose = 0)
  expect_length(history$metrics$loss, 1)
})

test_that("array utilities at the boundaries", {
  expect_identical(array_reshape(1:6, c(-1, 2)), matrix(1:6, 3, byrow = TRUE))
  expect_identical(array_reshape(1:6, c(2, -1), order = "F"), matrix(1:6, 2))
  expect_identical(to_categorical(integer(0), num_classes = 2), matrix(0, 0, 2))
  expect_identical(to_categorical(c(1, 0), num_classes = 2), rbind(c(0, 1), c(1, 0)))
  skip_if_no_python()
  expect_identical(pad_sequences(list(1:3, 4L), maxlen = 3), rbind(1:3, c(0L, 0L, 4L)))
  expect_equal(pad_sequences(list(c(0.5, 1.5)), maxlen = 3, dtype = "float32"),
               rbind(c(0, 0.5, 1.5)))
})

# --- R functions as losses and metrics, keras 2's argument forms ---------------------

run_cases("custom metrics, callback_lambda, keras 2 arguments", list(
  bad(custom_metric(1, function(y_true, y_pred) y_pred),
      "custom_metric(): `name` must be one string, not 1."),
  bad(custom_metric("", function(y_true, y_pred) y_pred),
      "custom_metric(): `name` must be one non-empty string, not \"\"."),
  bad(custom_metric("m", 3), "custom_metric(): `metric_fn` must be a function, not 3."),
  bad(optimizer_sgd(lr = -1),
      "optimizer_sgd(): `lr` must be one finite number >= 0 or a learning_rate_schedule_*() object, not -1."),
  bad(optimizer_sgd(decay = -1), "optimizer_sgd(): `decay` must be one finite number >= 0, not -1."),
  bad(optimizer_sgd(learning_rate = 0.1, lr = 0.1),
      "optimizer_sgd(): `lr` must be left out when `learning_rate` is given (it is its deprecated name), not 0.1."),
  bad(optimizer_adam(foo = 1),
      "optimizer_adam(): unknown argument `foo`; see ?optimizer_adam for the arguments it takes."),
  bad(layer_dense(units = 2, input_dim = 3, input_shape = 3),
      "layer_dense(): `input_dim` must be NULL when `input_shape` is given (give one of them), not 3."),
  bad(layer_dense(units = 2, input_dim = 0),
      "layer_dense(): `input_dim` must be one positive whole number, not 0."),
  bad(callback_lambda(on_batch_end = function(batch, logs) 1,
                      on_train_batch_end = function(batch, logs) 1),
      paste0("callback_lambda(): `on_train_batch_end` must be NULL when `on_batch_end` is given ",
             "(the same hook under keras' older name): give one of them, not a function.")),
  bad(callback_lambda(on_test_end = 3),
      "callback_lambda(): `on_test_end` must be a function (or NULL), not 3.")
))

merge_env <- function() {
  env <- new.env()
  env$a <- layer_input(shape = 2)
  env$b <- layer_input(shape = 2)
  env
}

run_cases("merge layers and R losses", needs_python = TRUE, env = merge_env, list(
  bad(layer_add(a, 3), "layer_add(): `..1` must be a tensor (the inputs after the first), not 3."),
  bad(layer_add(a, b, foo = 1),
      "layer_add(): unknown argument `foo`; see ?layer_add for the arguments it takes."),
  bad(layer_concatenate(list(a)),
      paste0("layer_concatenate(): `inputs` must be a list of two or more tensors, e.g. ",
             "list(a, b), or the tensors one by one (or missing), not a list of length 1.")),
  bad({
    model <- keras_model(a, layer_dense(a, units = 1))
    compile(model, optimizer = "sgd", loss = function(y_true, y_pred) as.array(y_pred))
    fit(model, matrix(1, 4, 2), matrix(1, 4, 1), verbose = 0)
  }, paste0("fit(): the loss `custom_loss` returned a double array of dim 4 x 1, not a tensor: ",
            "compute it from `y_true` and `y_pred` with tensor operations (R's arithmetic on ",
            "them, tf$... or k_*() functions), without as.array(), so that it has a gradient.")),
  bad({
    model <- keras_model(a, layer_dense(a, units = 1))
    my_metric <- function(y_true, y_pred) "good"
    compile(model, optimizer = "sgd", loss = "mse", metrics = c(my_metric))
    evaluate(model, matrix(1, 4, 2), matrix(1, 4, 1), verbose = 0)
  }, paste0("evaluate(): the metric `my_metric` returned \"good\": a metric function must ",
            "return a tensor or numbers (one per sample, or one for the batch)."))
))
