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
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "mnist_mlp.R"))
data <- mnist_mlp_data()

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

compare_epochs(mnist_mlp(dense = layer_dense), mnist_mlp(dense = layer_r_dense),
               c("layer_dense()", "dense layer written in R"), data)
