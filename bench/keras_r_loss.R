# An R function as the loss versus the built-in loss: the demo network
# (mnist_mlp), one epoch on Fashion-MNIST's 60 000 training images, batch 128,
# float32. The R loss is categorical cross-entropy written with R's
# arithmetic on tensors (the way keras R users write their own): each batch
# calls back into R, and each operation in it is one call into the engine.
# Run with `Rscript bench/keras_r_loss.R` (R_LIBS and TENSORBRIDGE_PYTHON set
# as for the tests).
library(tensorbridge)

fashion <- dataset_fashion_mnist()
x <- array_reshape(fashion$train$x, c(60000, 784)) / 255
y <- to_categorical(fashion$train$y, 10)

r_crossentropy <- function(y_true, y_pred) {
  -tf$reduce_sum(y_true * log(tf$clip_by_value(y_pred, 1e-7, 1 - 1e-7)), axis = -1L)
}

make_model <- function(loss) {
  model <- keras_model_sequential(input_shape = 784) %>%
    layer_dense(units = 256, activation = "relu") %>%
    layer_dropout(rate = 0.4) %>%
    layer_dense(units = 128, activation = "relu") %>%
    layer_dropout(rate = 0.3) %>%
    layer_dense(units = 10, activation = "softmax")
  model %>% compile(loss = loss, optimizer = optimizer_rmsprop(), metrics = "accuracy")
  model
}
builtin <- make_model("categorical_crossentropy")
from_r <- make_model(r_crossentropy)
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
cat(sprintf("one epoch, loss = \"categorical_crossentropy\": best %.3f s, median %.3f s\n",
            min(t_builtin), median(t_builtin)))
cat(sprintf("one epoch, loss = an R function:             best %.3f s, median %.3f s\n",
            min(t_r), median(t_r)))
cat(sprintf("ratio R function / built-in: best %.3f, median %.3f\n",
            min(t_r) / min(t_builtin), median(t_r) / median(t_builtin)))
