# An R function as the loss versus the built-in loss: the demo network
# (mnist_mlp), one epoch on Fashion-MNIST's 60 000 training images, batch 128,
# float32. The R loss is categorical cross-entropy written with R's
# arithmetic on tensors (the way keras R users write their own): each batch
# calls back into R, and each operation in it is one call into the engine.
# Run with `Rscript bench/keras_r_loss.R` (R_LIBS and TENSORBRIDGE_PYTHON set
# as for the tests).
library(tensorbridge)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "mnist_mlp.R"))
data <- mnist_mlp_data()

r_crossentropy <- function(y_true, y_pred) {
  -tf$reduce_sum(y_true * log(tf$clip_by_value(y_pred, 1e-7, 1 - 1e-7)), axis = -1L)
}

compare_epochs(mnist_mlp(loss = "categorical_crossentropy"), mnist_mlp(loss = r_crossentropy),
               c("built-in loss", "R function loss"), data)
