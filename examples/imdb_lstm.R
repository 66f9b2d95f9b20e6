# keras' "imdb_lstm" example: sentiment of movie reviews with an embedding
# and an LSTM. Needs imdb.npz in keras' cache directory (~/.keras/datasets);
# when it is missing, the script says where to get it and stops.
library(tensorbridge)

max_features <- 20000
maxlen <- 80
imdb <- tryCatch(dataset_imdb(num_words = max_features), tensorbridge_error = function(e) {
  message("The IMDB data is not available offline:\n", conditionMessage(e))
  quit(status = 0)
})
x_train <- pad_sequences(imdb$train$x, maxlen = maxlen)
x_test <- pad_sequences(imdb$test$x, maxlen = maxlen)

model <- keras_model_sequential() %>%
  layer_embedding(input_dim = max_features, output_dim = 128) %>%
  layer_lstm(units = 64, dropout = 0.2, recurrent_dropout = 0.2) %>%
  layer_dense(units = 1, activation = "sigmoid")
model %>% compile(loss = "binary_crossentropy", optimizer = "adam", metrics = "accuracy")
model %>% fit(x_train, imdb$train$y, batch_size = 32, epochs = 2,
              validation_data = list(x_test, imdb$test$y))
scores <- model %>% evaluate(x_test, imdb$test$y, verbose = 0)
cat(sprintf("test accuracy: %.4f\n", scores$accuracy))
