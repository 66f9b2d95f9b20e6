# Embedding, masking, recurrent layers and layer wrappers.

#' Embedding layer
#'
#' Turns integer indices (samples x steps, values from 0 to `input_dim - 1`)
#' into dense vectors (samples x steps x `output_dim`).
#'
#' @inheritParams layer_dense
#' @param input_dim Size of the vocabulary (largest index + 1; a positive
#'   whole number).
#' @param output_dim Size of the vectors (a positive whole number).
#' @param mask_zero Treat index 0 as padding: later layers that support masks
#'   (recurrent layers) skip those steps.
#' @param input_length Length of the sequences, if fixed.
#' @param ... Further keras arguments by name (others are an error):
#'   `embeddings_initializer`,
#'   `embeddings_regularizer`, `activity_regularizer`,
#'   `embeddings_constraint`.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family recurrent layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential() %>%
#'     layer_embedding(input_dim = 1000, output_dim = 16, mask_zero = TRUE) %>%
#'     layer_lstm(units = 8)
#' }
#' @export
layer_embedding <- function(object, input_dim, output_dim, mask_zero = FALSE,
                            input_length = NULL, input_shape = NULL, batch_size = NULL,
                            dtype = NULL, name = NULL, trainable = NULL, ...) {
  tb_create_builtin_layer("Embedding", object, c(list(
    input_dim = check_count(input_dim), output_dim = check_count(output_dim),
    mask_zero = check_flag(mask_zero), input_length = check_count(input_length, null_ok = TRUE),
    input_shape = input_shape, batch_size = batch_size, dtype = dtype, name = name,
    trainable = trainable), check_options(list(...), embedding_options)))
}

embedding_options <- tb_option_checks(c(
  "embeddings_initializer", "embeddings_regularizer", "activity_regularizer",
  "embeddings_constraint"))

#' Masking layer
#'
#' Marks the steps of a sequence whose features all equal `mask_value` as
#' padding; recurrent layers after it skip them.
#'
#' @inheritParams layer_dense
#' @param mask_value The padding value.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family recurrent layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(10, 3)) %>%
#'     layer_masking(mask_value = 0) %>%
#'     layer_simple_rnn(units = 4)
#' }
#' @export
layer_masking <- function(object, mask_value = 0, input_shape = NULL, batch_size = NULL,
                          dtype = NULL, name = NULL, trainable = NULL) {
  tb_create_builtin_layer("Masking", object, list(
    mask_value = check_number(mask_value), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable))
}

#' Recurrent layers
#'
#' `layer_simple_rnn()`, `layer_lstm()` and `layer_gru()` read sequences
#' (samples x steps x features). By default they return the last output;
#' `return_sequences = TRUE` returns every step's, `return_state = TRUE`
#' also the final states (a list). Initial states can be given when the
#' layer is called in the functional API (`initial_state`).
#'
#' @inheritParams layer_dense
#' @param units Size of the output and state (a positive whole number).
#' @param activation Activation of the output (default `"tanh"`).
#' @param recurrent_activation Activation of the gates (LSTM, GRU).
#' @param return_sequences Return the output of every step.
#' @param return_state Also return the final state(s).
#' @param go_backwards Read the sequence backwards.
#' @param stateful Keep the states between batches (sample `i` of a batch
#'   continues sample `i` of the previous one).
#' @param dropout,recurrent_dropout Fractions (0 to less than 1) of the
#'   inputs and of the recurrent state to drop while training.
#' @param reset_after GRU formulation (keras' default `TRUE`).
#' @param input_dim,input_length keras 2's form of `input_shape` for a first
#'   recurrent layer: `input_dim` features per step and sequences of
#'   `input_length` steps (`NULL`: any length) are `input_shape =
#'   c(input_length, input_dim)` (give them or `input_shape`; positive whole
#'   numbers).
#' @param ... Further keras arguments by name (others are an error):
#'   `kernel_initializer`,
#'   `recurrent_initializer`, `bias_initializer`, `unit_forget_bias` (LSTM),
#'   regularizers and constraints.
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family recurrent layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(20, 3)) %>%
#'     layer_lstm(units = 16, return_sequences = TRUE) %>%
#'     layer_gru(units = 8) %>%
#'     layer_dense(units = 1)
#' }
#' @name layer_recurrent
NULL

recurrent <- function(class_name, object, args, dots) {
  if (!missing(object)) force(object)
  options <- recurrent_options
  if (class_name == "LSTM") options <- c(options, tb_option_checks("unit_forget_bias"))
  tb_create_builtin_layer(class_name, object, c(args, check_options(dots, options)))
}

recurrent_options <- tb_option_checks(c(
  "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
  "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
  "recurrent_constraint", "bias_constraint"))

# The arguments every recurrent layer shares, checked.
recurrent_args <- function(units, activation, use_bias, return_sequences, return_state,
                           go_backwards, stateful, dropout, recurrent_dropout) {
  list(units = check_count(units), activation = check_activation(activation),
       use_bias = check_flag(use_bias), return_sequences = check_flag(return_sequences),
       return_state = check_flag(return_state), go_backwards = check_flag(go_backwards),
       stateful = check_flag(stateful), dropout = check_rate(dropout),
       recurrent_dropout = check_rate(recurrent_dropout))
}

#' @rdname layer_recurrent
#' @export
layer_simple_rnn <- function(object, units, activation = "tanh", use_bias = TRUE,
                             return_sequences = FALSE, return_state = FALSE,
                             go_backwards = FALSE, stateful = FALSE, dropout = 0,
                             recurrent_dropout = 0, input_shape = NULL, batch_size = NULL,
                             dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL,
                             input_length = NULL, ...) {
  input_shape <- sequence_input_shape(input_dim, input_length, input_shape)
  recurrent("SimpleRNN", object, c(recurrent_args(
    units, activation, use_bias, return_sequences, return_state, go_backwards, stateful,
    dropout, recurrent_dropout), list(input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable)), list(...))
}

#' @rdname layer_recurrent
#' @export
layer_lstm <- function(object, units, activation = "tanh", recurrent_activation = "sigmoid",
                       use_bias = TRUE, return_sequences = FALSE, return_state = FALSE,
                       go_backwards = FALSE, stateful = FALSE, dropout = 0,
                       recurrent_dropout = 0, input_shape = NULL, batch_size = NULL,
                       dtype = NULL, name = NULL, trainable = NULL, input_dim = NULL,
                       input_length = NULL, ...) {
  input_shape <- sequence_input_shape(input_dim, input_length, input_shape)
  recurrent("LSTM", object, c(recurrent_args(
    units, activation, use_bias, return_sequences, return_state, go_backwards, stateful,
    dropout, recurrent_dropout), list(
    recurrent_activation = check_activation(recurrent_activation), input_shape = input_shape,
    batch_size = batch_size, dtype = dtype, name = name, trainable = trainable)), list(...))
}

#' @rdname layer_recurrent
#' @export
layer_gru <- function(object, units, activation = "tanh", recurrent_activation = "sigmoid",
                      use_bias = TRUE, return_sequences = FALSE, return_state = FALSE,
                      go_backwards = FALSE, stateful = FALSE, dropout = 0,
                      recurrent_dropout = 0, reset_after = TRUE, input_shape = NULL,
                      batch_size = NULL, dtype = NULL, name = NULL, trainable = NULL,
                      input_dim = NULL, input_length = NULL, ...) {
  input_shape <- sequence_input_shape(input_dim, input_length, input_shape)
  recurrent("GRU", object, c(recurrent_args(
    units, activation, use_bias, return_sequences, return_state, go_backwards, stateful,
    dropout, recurrent_dropout), list(
    recurrent_activation = check_activation(recurrent_activation),
    reset_after = check_flag(reset_after), input_shape = input_shape, batch_size = batch_size,
    dtype = dtype, name = name, trainable = trainable)), list(...))
}

#' Reset the states of stateful recurrent layers
#'
#' @param object A model or a stateful recurrent layer.
#' @return `object`, invisibly.
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential() %>%
#'     layer_lstm(units = 4, stateful = TRUE, input_shape = c(5, 2), batch_size = 1)
#'   reset_states(model)
#' }
#' @export
reset_states <- function(object) {
  if (!tb_is_a(object, ".Layer")) {
    tb_arg_error("object", "a model or a stateful recurrent layer", object)
  }
  tb_method(object, "reset_states")
  invisible(object)
}

#' Layer wrappers
#'
#' `bidirectional()` runs a recurrent layer forwards and a copy backwards and
#' merges their outputs; `time_distributed()` applies a layer to every step
#' of a sequence.
#'
#' @param object What to compose with (see [layer_dense()]).
#' @param layer The layer to wrap (e.g. `layer_lstm(units = 8)`).
#' @param merge_mode How to merge the two directions: `"concat"`, `"sum"`,
#'   `"mul"`, `"ave"`, or `NULL` (a list of both).
#' @param input_shape,name See [layer_dense()].
#' @return A layer, a model, or a tensor (see [layer_dense()]).
#' @family recurrent layers
#' @examples
#' if (tb_available()) {
#'   model <- keras_model_sequential(input_shape = c(10, 4)) %>%
#'     bidirectional(layer_lstm(units = 8, return_sequences = TRUE)) %>%
#'     time_distributed(layer_dense(units = 1))
#' }
#' @export
bidirectional <- function(object, layer, merge_mode = "concat", input_shape = NULL,
                          name = NULL) {
  tb_create_builtin_layer("Bidirectional", object, list(
    layer = check_keras_object(layer, "layer"),
    merge_mode = check_string(merge_mode, choices = c("concat", "sum", "mul", "ave"),
                              null_ok = TRUE),
    input_shape = input_shape, name = name))
}

#' @rdname bidirectional
#' @export
time_distributed <- function(object, layer, input_shape = NULL, name = NULL) {
  tb_create_builtin_layer("TimeDistributed", object, list(
    layer = check_keras_object(layer, "layer"), input_shape = input_shape, name = name))
}
