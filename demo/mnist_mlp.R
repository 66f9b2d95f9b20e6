# make demo: the classic keras "mnist_mlp" example, on Fashion-MNIST, from R.
# Reads Debian's dataset-fashion-mnist files (no network needed).
library(tensorbridge)

fashion <- dataset_fashion_mnist()
c(c(x_train, y_train), c(x_test, y_test)) %<-% list(
  list(fashion$train$x, fashion$train$y), list(fashion$test$x, fashion$test$y)
)

# 28x28 images -> rows of 784 values in [0, 1]; labels -> one-hot
x_train <- array_reshape(x_train, c(nrow(x_train), 784)) / 255
x_test <- array_reshape(x_test, c(nrow(x_test), 784)) / 255
y_train <- to_categorical(y_train, 10)
y_test <- to_categorical(y_test, 10)
cat("training data:", dim(x_train), " test data:", dim(x_test), "\n\n")

model <- keras_model_sequential(input_shape = 784) %>%
  layer_dense(units = 256, activation = "relu") %>%
  layer_dropout(rate = 0.4) %>%
  layer_dense(units = 128, activation = "relu") %>%
  layer_dropout(rate = 0.3) %>%
  layer_dense(units = 10, activation = "softmax")
summary(model)

model %>% compile(
  loss = "categorical_crossentropy",
  optimizer = optimizer_rmsprop(),
  metrics = c("accuracy")
)

epochs <- as.integer(Sys.getenv("TENSORBRIDGE_DEMO_EPOCHS", "30"))
started <- Sys.time()
history <- model %>% fit(
  x_train, y_train,
  epochs = epochs, batch_size = 128,
  validation_split = 0.2,
  callbacks = list(
    # a smaller step once the validation loss stalls ...
    callback_reduce_lr_on_plateau(monitor = "val_loss", factor = 0.2, patience = 2,
                                  verbose = 1),
    # ... and stop when it no longer improves, keeping the best epoch's weights
    callback_early_stopping(monitor = "val_loss", patience = 4, restore_best_weights = TRUE,
                            verbose = 1)
  )
)
epochs <- length(history$metrics$loss)
elapsed <- as.numeric(difftime(Sys.time(), started, units = "secs"))
cat(sprintf("\ntraining: %d epochs in %.1f s (%.2f s per epoch)\n", epochs, elapsed,
            elapsed / epochs))

scores <- model %>% evaluate(x_test, y_test, verbose = 0)
cat(sprintf("test loss: %.4f\ntest accuracy: %.4f\n", scores$loss, scores$accuracy))
cat("(the Fashion-MNIST benchmark lists 0.883 for an MLP 256-128-100)\n")
