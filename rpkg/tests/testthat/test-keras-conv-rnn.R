test_that("a small CNN built from R has keras' shapes and parameter counts", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(28, 28, 1)) %>%
    layer_conv_2d(filters = 32, kernel_size = c(3, 3), activation = "relu") %>%
    layer_conv_2d(filters = 64, kernel_size = c(3, 3), activation = "relu") %>%
    layer_max_pooling_2d(pool_size = c(2, 2)) %>%
    layer_flatten() %>%
    layer_dense(units = 10, activation = "softmax")
  conv_params <- (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
  dense_params <- 12 * 12 * 64 * 10 + 10   # 28 -> 26 -> 24 -> pooled 12
  expect_identical(count_params(model), as.integer(conv_params + dense_params))
  x <- array(runif(2 * 28 * 28), c(2, 28, 28, 1))
  expect_identical(dim(predict(model, x)), c(2L, 10L))
  expect_identical(dim(get_weights(model)[[1]]), c(3L, 3L, 1L, 32L))  # kh, kw, in, out
})

test_that("a 1x1 convolution from R equals a matrix product over channels", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(4, 5, 3)) %>%
    layer_conv_2d(filters = 2, kernel_size = 1, use_bias = FALSE)
  w <- get_weights(model)[[1]]
  x <- array(runif(4 * 5 * 3), c(1, 4, 5, 3))
  out <- predict(model, x)
  by_hand <- array(matrix(x, ncol = 3) %*% matrix(w, 3, 2), c(1, 4, 5, 2))
  expect_equal(out, by_hand, tolerance = 1e-5)
})

test_that("recurrent layers return sequences, states, and skip masked steps", {
  skip_if_no_python()
  inputs <- layer_input(shape = c(6, 3))
  outs <- inputs %>% layer_lstm(units = 4, return_sequences = TRUE, return_state = TRUE)
  expect_length(outs, 3)  # sequences, h, c
  model <- keras_model(inputs, outs)
  x <- array(runif(2 * 6 * 3), c(2, 6, 3))
  res <- predict(model, x)
  expect_identical(dim(res[[1]]), c(2L, 6L, 4L))
  expect_equal(res[[1]][, 6, ], res[[2]], tolerance = 1e-6)  # last output = final h

  # padding with zeros and a mask gives the result of the unpadded sequence
  emb <- keras_model_sequential() %>%
    layer_embedding(input_dim = 10, output_dim = 3, mask_zero = TRUE, input_shape = NA) %>%
    layer_gru(units = 2)
  padded <- pad_sequences(list(c(4, 5, 6)), maxlen = 5)
  expect_identical(padded, matrix(c(0L, 0L, 4L, 5L, 6L), 1))
  expect_equal(predict(emb, padded), predict(emb, matrix(c(4, 5, 6), 1)), tolerance = 1e-6)
})

test_that("text tokenizer ranks words by frequency", {
  skip_if_no_python()
  tok <- text_tokenizer() %>% fit_text_tokenizer(c("b a", "a c a", "b a"))
  # a appears 4 times, b twice, c once
  expect_identical(texts_to_sequences(tok, c("a b c", "c")), list(1:3, 3L))
  expect_identical(unlist(tok$word_index[c("a", "b", "c")]), c(a = 1L, b = 2L, c = 3L))
})

test_that("bad input to conv and recurrent layers gives clear R errors", {
  skip_if_no_python()
  conv <- keras_model_sequential(input_shape = c(8, 8, 1)) %>%
    layer_conv_2d(filters = 2, kernel_size = 3)
  conv %>% compile(optimizer = "sgd", loss = "mse")
  expect_error(predict(conv, matrix(runif(64), 1)), "rank|dimension|shape",
               class = "tensorbridge_error")
  expect_error(keras_model_sequential(input_shape = c(4, 4, 1)) %>%
                 layer_conv_2d(filters = 2, kernel_size = 5),
               "kernel", class = "tensorbridge_error")
  rnn <- keras_model_sequential(input_shape = c(NA, 1)) %>% layer_simple_rnn(units = 2)
  expect_error(predict(rnn, list(c(1, 2, 3), c(1, 2))), class = "tensorbridge_error")
})

test_that("pad_sequences() pads and truncates as keras does, one-word texts included", {
  skip_if_no_python()
  out <- pad_sequences(list(1:3, 7L, 4:8), maxlen = 4)
  expect_identical(out, rbind(c(0L, 1L, 2L, 3L), c(0L, 0L, 0L, 7L), 5:8))
  post <- pad_sequences(list(1:3, 4:8), maxlen = 4, padding = "post", truncating = "post")
  expect_identical(post, rbind(c(1L, 2L, 3L, 0L), 4:7))
})

test_that("ragged sequences given to fit() get an error that says to pad them", {
  skip_if_no_python()
  model <- keras_model_sequential() %>%
    layer_embedding(input_dim = 10, output_dim = 3, input_shape = NA) %>%
    layer_simple_rnn(units = 2) %>%
    layer_dense(units = 1)
  model %>% compile(optimizer = "sgd", loss = "mse")
  ragged <- list(c(1, 2, 3), c(4, 5), 6)
  expect_error(fit(model, ragged, c(0, 1, 0), verbose = 0),
               "different lengths \\(from 1 to 3\\).*pad_sequences\\(\\)",
               class = "tensorbridge_error")
  # and the padded version trains
  history <- fit(model, pad_sequences(ragged), c(0, 1, 0), epochs = 2, verbose = 0)
  expect_length(history$metrics$loss, 2)
})

test_that("bilinear upsampling from R is A %*% x %*% t(A) with keras' half-pixel weights", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(2, 3, 1)) %>%
    layer_upsampling_2d(size = c(2, 2), interpolation = "bilinear")
  x <- array(c(1, 4, 2, 5, 3, 6), c(1, 2, 3, 1))
  # sampling positions (o + 0.5) / 2 - 0.5, clamped: 0, .25, .75, 1 for two
  # inputs; 0, .25, .75, 1.25, 1.75, 2 for three
  a2 <- rbind(c(1, 0), c(.75, .25), c(.25, .75), c(0, 1))
  a3 <- rbind(c(1, 0, 0), c(.75, .25, 0), c(.25, .75, 0), c(0, .75, .25), c(0, .25, .75),
              c(0, 0, 1))
  expect_equal(predict(model, x)[1, , , 1], a2 %*% x[1, , , 1] %*% t(a3), tolerance = 1e-6)
})
