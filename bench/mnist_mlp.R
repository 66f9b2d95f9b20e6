# What the R benchmarks share: the demo network (mnist_mlp) and its data,
# Fashion-MNIST's 60 000 training images, and the interleaved timing of one
# epoch of two models. Sourced by the scripts next to it.

mnist_mlp_data <- function() {
  fashion <- dataset_fashion_mnist()
  list(x = array_reshape(fashion$train$x, c(60000, 784)) / 255,
       y = to_categorical(fashion$train$y, 10))
}

# 784-256(relu)-dropout 0.4-128(relu)-dropout 0.3-10(softmax), RMSprop;
# `dense` makes its dense layers, `loss` is given to compile()
mnist_mlp <- function(dense = layer_dense, loss = "categorical_crossentropy") {
  model <- keras_model_sequential(input_shape = 784) %>%
    dense(units = 256, activation = "relu") %>%
    layer_dropout(rate = 0.4) %>%
    dense(units = 128, activation = "relu") %>%
    layer_dropout(rate = 0.3) %>%
    dense(units = 10, activation = "softmax")
  model %>% compile(loss = loss, optimizer = optimizer_rmsprop(), metrics = "accuracy")
  model
}

# One epoch (batch 128) of each model, after a warm-up epoch each, `repeats`
# times interleaved to share any load between both; prints best and median
# of each and their ratio (`labels`: the two models' names, the first is the
# reference)
compare_epochs <- function(reference, candidate, labels, data, repeats = 5) {
  epoch <- function(model) {
    system.time(fit(model, data$x, data$y, epochs = 1, batch_size = 128,
                    verbose = 0))[["elapsed"]]
  }
  invisible(epoch(reference))
  invisible(epoch(candidate))
  t_ref <- t_new <- numeric()
  for (i in seq_len(repeats)) {
    t_ref[i] <- epoch(reference)
    t_new[i] <- epoch(candidate)
  }
  width <- max(nchar(labels))
  for (k in 1:2) {
    t <- if (k == 1) t_ref else t_new
    cat(sprintf("one epoch, %-*s best %.3f s, median %.3f s\n", width + 1,
                paste0(labels[[k]], ":"), min(t), median(t)))
  }
  cat(sprintf("ratio %s / %s: best %.3f, median %.3f\n", labels[[2]], labels[[1]],
              min(t_new) / min(t_ref), median(t_new) / median(t_ref)))
}
