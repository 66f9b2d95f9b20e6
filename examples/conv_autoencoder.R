# A convolutional autoencoder on Fashion-MNIST: the encoder squeezes each
# 28x28 image through convolutions and pooling to 7x7x8, the decoder brings
# it back with upsampling. Offline.
#   Rscript examples/conv_autoencoder.R   (EPOCHS=... to change)
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "5"))
fashion <- dataset_fashion_mnist()
x_train <- array_reshape(fashion$train$x, c(60000, 28, 28, 1)) / 255
x_test <- array_reshape(fashion$test$x, c(10000, 28, 28, 1)) / 255

input <- layer_input(shape = c(28, 28, 1))
encoded <- input %>%
  layer_conv_2d(filters = 16, kernel_size = 3, activation = "relu", padding = "same") %>%
  layer_max_pooling_2d(pool_size = 2, padding = "same") %>%
  layer_conv_2d(filters = 8, kernel_size = 3, activation = "relu", padding = "same") %>%
  layer_max_pooling_2d(pool_size = 2, padding = "same")
decoded <- encoded %>%
  layer_conv_2d(filters = 8, kernel_size = 3, activation = "relu", padding = "same") %>%
  layer_upsampling_2d(size = 2) %>%
  layer_conv_2d(filters = 16, kernel_size = 3, activation = "relu", padding = "same") %>%
  layer_upsampling_2d(size = 2) %>%
  layer_conv_2d(filters = 1, kernel_size = 3, activation = "sigmoid", padding = "same")

autoencoder <- keras_model(input, decoded)
summary(autoencoder)
autoencoder %>% compile(optimizer = "adam", loss = "binary_crossentropy")
autoencoder %>% fit(x_train, x_train, epochs = epochs, batch_size = 128,
                    validation_data = list(x_test, x_test))

reconstructed <- predict(autoencoder, x_test[1:8, , , , drop = FALSE])
cat(sprintf("mean absolute reconstruction error on 8 test images: %.4f\n",
            mean(abs(reconstructed - x_test[1:8, , , , drop = FALSE]))))
