# keras' "mnist_cnn" example on Fashion-MNIST: two convolutions, max-pooling,
# dropout and two dense layers. Offline (Debian's dataset-fashion-mnist).
# The Fashion-MNIST README's benchmark table lists 0.916 for "2 Conv+pooling";
# two 12-epoch runs of this script gave test accuracies of 0.920 and 0.921.
#   Rscript examples/mnist_cnn.R            (12 epochs, as in the original)
#   EPOCHS=1 Rscript examples/mnist_cnn.R   (a quick look)
library(tensorbridge)

batch_size <- 128
num_classes <- 10
epochs <- as.integer(Sys.getenv("EPOCHS", "12"))

fashion <- dataset_fashion_mnist()
x_train <- array_reshape(fashion$train$x, c(60000, 28, 28, 1)) / 255
x_test <- array_reshape(fashion$test$x, c(10000, 28, 28, 1)) / 255
y_train <- to_categorical(fashion$train$y, num_classes)
y_test <- to_categorical(fashion$test$y, num_classes)

model <- keras_model_sequential(input_shape = c(28, 28, 1)) %>%
  layer_conv_2d(filters = 32, kernel_size = c(3, 3), activation = "relu") %>%
  layer_conv_2d(filters = 64, kernel_size = c(3, 3), activation = "relu") %>%
  layer_max_pooling_2d(pool_size = c(2, 2)) %>%
  layer_dropout(rate = 0.25) %>%
  layer_flatten() %>%
  layer_dense(units = 128, activation = "relu") %>%
  layer_dropout(rate = 0.5) %>%
  layer_dense(units = num_classes, activation = "softmax")
summary(model)

# the original example's optimizer: Adadelta with keras 2's learning rate 1.0
model %>% compile(loss = "categorical_crossentropy",
                  optimizer = optimizer_adadelta(learning_rate = 1.0),
                  metrics = "accuracy")

model %>% fit(x_train, y_train, batch_size = batch_size, epochs = epochs,
              validation_split = 0.1)
scores <- model %>% evaluate(x_test, y_test, verbose = 0)
cat(sprintf("test loss: %.4f\ntest accuracy: %.4f\n", scores$loss, scores$accuracy))
