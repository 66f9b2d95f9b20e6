# A multi-input functional model: a siamese network that tells whether two
# Fashion-MNIST images show the same kind of clothing. Both images go through
# one shared encoder (the same weights); a dense head reads the absolute
# difference of their codes. Offline.
#   Rscript examples/siamese.R   (EPOCHS=... to change)
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "5"))
set.seed(42)
fashion <- dataset_fashion_mnist()
x <- array_reshape(fashion$train$x, c(60000, 784)) / 255
labels <- fashion$train$y

# balanced pairs: half the same class, half different classes
make_pairs <- function(n) {
  a <- sample(nrow(x), n, replace = TRUE)
  same <- rep(c(TRUE, FALSE), length.out = n)
  b <- vapply(seq_len(n), function(i) {
    pool <- which(if (same[i]) labels == labels[a[i]] else labels != labels[a[i]])
    pool[sample.int(length(pool), 1)]
  }, 1L)
  list(a = x[a, ], b = x[b, ], y = as.numeric(same))
}
train <- make_pairs(20000)
test <- make_pairs(4000)

encoder <- keras_model_sequential(input_shape = 784, name = "encoder") %>%
  layer_dense(units = 128, activation = "relu") %>%
  layer_dense(units = 32, activation = "relu")

input_a <- layer_input(shape = 784)
input_b <- layer_input(shape = 784)
code_a <- encoder(input_a)
code_b <- encoder(input_b)
distance <- layer_subtract(list(code_a, code_b)) %>% layer_activation(activation = "relu")
distance2 <- layer_subtract(list(code_b, code_a)) %>% layer_activation(activation = "relu")
same <- layer_add(list(distance, distance2)) %>%   # |a - b|
  layer_dense(units = 16, activation = "relu") %>%
  layer_dense(units = 1, activation = "sigmoid")
model <- keras_model(list(input_a, input_b), same)
summary(model)

model %>% compile(optimizer = "adam", loss = "binary_crossentropy", metrics = "accuracy")
model %>% fit(list(train$a, train$b), train$y, epochs = epochs, batch_size = 128,
              validation_split = 0.1)
scores <- model %>% evaluate(list(test$a, test$b), test$y, verbose = 0)
cat(sprintf("test accuracy on new pairs: %.4f (chance: 0.5)\n", scores$accuracy))
