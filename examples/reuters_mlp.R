# keras' "reuters_mlp" example: topic of newswires from a bag of words.
# Needs reuters.npz in keras' cache directory (~/.keras/datasets); when it is
# missing, the script says where to get it and stops.
library(tensorbridge)

max_words <- 1000
reuters <- tryCatch(dataset_reuters(num_words = max_words, test_split = 0.2),
                    tensorbridge_error = function(e) {
  message("The Reuters data is not available offline:\n", conditionMessage(e))
  quit(status = 0)
})
num_classes <- max(unlist(reuters$train$y)) + 1

bag_of_words <- function(seqs) {
  m <- matrix(0, length(seqs), max_words)
  for (i in seq_along(seqs)) m[i, unique(seqs[[i]][seqs[[i]] < max_words]) + 1] <- 1
  m
}
x_train <- bag_of_words(reuters$train$x)
x_test <- bag_of_words(reuters$test$x)
y_train <- to_categorical(reuters$train$y, num_classes)
y_test <- to_categorical(reuters$test$y, num_classes)

model <- keras_model_sequential(input_shape = max_words) %>%
  layer_dense(units = 512, activation = "relu") %>%
  layer_dropout(rate = 0.5) %>%
  layer_dense(units = num_classes, activation = "softmax")
model %>% compile(loss = "categorical_crossentropy", optimizer = "adam", metrics = "accuracy")
model %>% fit(x_train, y_train, batch_size = 32, epochs = 5, validation_split = 0.1)
scores <- model %>% evaluate(x_test, y_test, verbose = 0)
cat(sprintf("test accuracy: %.4f\n", scores$accuracy))
