# A dense layer written in R versus layer_dense(): the demo network
# (mnist_mlp), one epoch on Fashion-MNIST's 60 000 training images, batch 128,
# float32. The R layer is a layer class (new_layer_class()) with build()
# making its kernel and bias with add_weight() and call() computing
# activation(k_dot(inputs, kernel) + bias), the way keras R users write their
# own: each batch calls back into R for each of the three layers, forward only
# (the engine differentiates what call() built), and each operation in call()
# is one call into the engine.
# Run with `Rscript bench/keras_r_layer.R` (R_LIBS and TENSORBRIDGE_PYTHON set
# as for the tests).
library(tensorbridge)

fashion <- dataset_fashion_mnist()
x <- array_reshape(fashion$train$x, c(60000, 784)) / 255
y <- to_categorical(fashion$train$y, 10)

layer_r_dense <- new_layer_class(
  "RDense",
  initialize = function(units, activation = NULL, ...) {
    super$initialize(...)
    self$units <- as.integer(units)
    self$activation <- if (is.null(activation)) "linear" else activation
  },
  build = function(input_shape) {
    self$kernel <- self$add_weight(name = "kernel",
                                   shape = list(input_shape[[2]], self$units),
                                   initializer = "glorot_uniform")
    self$bias <- self$add_weight(name = "bias", shape = list(self$units),
                                 initializer = "zeros")
  },
  call = function(inputs) {
    out <- k_dot(inputs, self$kernel) + self$bias
    switch(self$activation, relu = k_relu(out), softmax = k_softmax(out), linear = out)
  },
  get_config = function() list(units = self$units, activation = self$activation)
)

make_model <- function(dense) {
  model <- keras_model_sequential(input_shape = 784) %>%
    dense(units = 256, activation = "relu") %>%
    layer_dropout(rate = 0.4) %>%
    dense(units = 128, activation = "relu") %>%
    layer_dropout(rate = 0.3) %>%
    dense(units = 10, activation = "softmax")
  model %>% compile(loss = "categorical_crossentropy", optimizer = optimizer_rmsprop(),
                    metrics = "accuracy")
  model
}
builtin <- make_model(layer_dense)
from_r <- make_model(layer_r_dense)
epoch <- function(model) {
  system.time(fit(model, x, y, epochs = 1, batch_size = 128, verbose = 0))[["elapsed"]]
}
invisible(epoch(builtin))  # warm up
invisible(epoch(from_r))

t_builtin <- t_r <- numeric()
for (i in 1:5) {  # interleaved, to share any load between both
  t_builtin[i] <- epoch(builtin)
  t_r[i] <- epoch(from_r)
}
cat(sprintf("one epoch, layer_dense():           best %.3f s, median %.3f s\n",
            min(t_builtin), median(t_builtin)))
cat(sprintf("one epoch, a dense layer written in R: best %.3f s, median %.3f s\n",
            min(t_r), median(t_r)))
cat(sprintf("ratio R layer / layer_dense(): best %.3f, median %.3f\n",
            min(t_r) / min(t_builtin), median(t_r) / median(t_builtin)))
