# An image classifier fed from folders of PNG files, the way keras R users
# feed one from their own pictures: the script first writes Fashion-MNIST out
# as one folder per class (PNG files, written with image_array_save()), then
# trains on image_dataset_from_directory() %>% dataset_map() %>%
# dataset_prefetch(), decoding happening batch by batch while the model
# trains. Offline.
#   Rscript examples/image_folder.R
# Environment: EPOCHS (default 3), PER_CLASS (training images per class,
# default 500; a fifth as many test images), OUTPUT (optional .rds with the
# test predictions and labels).
# Defaults: test accuracy 0.851 after 3 epochs on 5 000 PNG files (1 000 test
# images); about a minute on 2 cores.
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "3"))
per_class <- as.integer(Sys.getenv("PER_CLASS", "500"))
output <- Sys.getenv("OUTPUT", "")
classes <- c("tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
             "bag", "boot")

# 1. the folders: root/train/<class>/<i>.png and root/test/<class>/<i>.png
root <- file.path(tempdir(), "fashion-png")
fashion <- dataset_fashion_mnist()
write_split <- function(split, images, labels, n) {
  for (k in seq_along(classes)) {
    folder <- file.path(root, split, classes[k])
    dir.create(folder, recursive = TRUE, showWarnings = FALSE)
    for (i in head(which(labels == k - 1), n)) {
      image_array_save(array(images[i, , ], c(28, 28, 1)),
                       file.path(folder, sprintf("%05d.png", i)), scale = FALSE)
    }
  }
}
started <- Sys.time()
write_split("train", fashion$train$x, fashion$train$y, per_class)
write_split("test", fashion$test$x, fashion$test$y, max(1L, per_class %/% 5))
cat(sprintf("wrote %d PNG files in %.1f s\n",
            length(list.files(root, recursive = TRUE)),
            as.numeric(difftime(Sys.time(), started, units = "secs"))))

# 2. the pipelines: labels are the folders' names, in alphabetical order
folder_dataset <- function(split, shuffle) {
  image_dataset_from_directory(file.path(root, split), color_mode = "grayscale",
                               image_size = c(28, 28), batch_size = 64,
                               shuffle = shuffle, seed = 1)
}
train <- folder_dataset("train", TRUE)
test <- folder_dataset("test", FALSE)
class_names <- train$class_names
rescale <- function(images, labels) list(images / 255, labels)
train <- train %>% dataset_map(rescale) %>% dataset_prefetch(2)
test_scaled <- test %>% dataset_map(rescale)

# 3. a small convolutional network
model <- keras_model_sequential(input_shape = c(28, 28, 1)) %>%
  layer_conv_2d(filters = 16, kernel_size = 3, activation = "relu") %>%
  layer_max_pooling_2d(pool_size = 2) %>%
  layer_flatten() %>%
  layer_dense(units = 64, activation = "relu") %>%
  layer_dense(units = length(class_names), activation = "softmax")
model %>% compile(optimizer = "adam", loss = "sparse_categorical_crossentropy",
                  metrics = "accuracy")
history <- model %>% fit(train, epochs = epochs, verbose = 2)

result <- evaluate(model, test_scaled, verbose = 0)
cat(sprintf("test accuracy on %d images from the test folders: %.3f\n",
            per_class %/% 5 * length(classes), result[["accuracy"]]))

if (nzchar(output)) {
  batches <- dataset_collect(test_scaled)
  probs <- predict(model, test_scaled, verbose = 0)
  labels <- unlist(lapply(batches, function(b) as.array(b[[2]])))
  saveRDS(list(probs = probs, labels = labels, class_names = class_names,
               accuracy = result[["accuracy"]], history = history$metrics), output)
}
