# Metrics written in R, the two ways keras R offers: an R function of
# y_true and y_pred named with custom_metric(), and a metric class with
# state (new_metric_class(): update_state(), result(), reset_state()). A
# small MLP classifies Fashion-MNIST; the progress bar and the history show
# both metrics next to the built-in accuracy. Offline.
#   Rscript examples/custom_metric.R
# Environment: EPOCHS (default 5), SAMPLES (training images, default 60000),
# OUTPUT (optional: an .rds file with the history, the predictions on the
# 10 000 test images and evaluate()'s results on them).
# Defaults (5 epochs on the 60 000 training images, 10 % of them for
# validation): test accuracy 0.868, mean probability of the true class 0.817,
# confidently wrong (>= 0.8) on 3.0 % of the test images; about one minute on
# a 2-core machine with one BLAS thread. The two R metrics run on every
# batch and take more than half of an epoch (8.9 s against 4.0 s with
# "accuracy" alone; the metric class, a dozen k_*() calls a batch, 5.7 s).
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "5"))
samples <- as.integer(Sys.getenv("SAMPLES", "60000"))
output <- Sys.getenv("OUTPUT", "")

set.seed(1)
tf$random$set_seed(1L)
fashion <- dataset_fashion_mnist()
rows <- sample(nrow(fashion$train$x), samples)
x_train <- array_reshape(fashion$train$x[rows, , ], c(samples, 784)) / 255
y_train <- to_categorical(fashion$train$y[rows], 10)
x_test <- array_reshape(fashion$test$x, c(10000, 784)) / 255
y_test <- to_categorical(fashion$test$y, 10)

# a function metric: the probability the model gives the true class, one
# value per image; keras averages it over the epoch
metric_true_class_prob <- custom_metric("true_class_prob", function(y_true, y_pred) {
  k_sum(y_true * y_pred, axis = -1)
})

# a metric class: the share of images classified wrongly with a confidence of
# at least `threshold`, counted over the whole epoch (not a mean of batch means)
metric_confident_errors <- new_metric_class(
  "ConfidentErrors",
  initialize = function(threshold = 0.8, name = "confident_errors", ...) {
    super$initialize(name = name, ...)
    self$threshold <- threshold
    self$errors <- self$add_weight(name = "errors", initializer = "zeros")
    self$count <- self$add_weight(name = "count", initializer = "zeros")
  },
  update_state = function(y_true, y_pred, sample_weight = NULL) {
    wrong <- k_not_equal(k_argmax(y_true, axis = -1), k_argmax(y_pred, axis = -1))
    confident <- k_greater_equal(k_max(y_pred, axis = -1), self$threshold)
    hits <- k_cast(wrong, "float32") * k_cast(confident, "float32")
    self$errors$assign_add(k_sum(hits))
    self$count$assign_add(k_cast(k_shape(y_true)[1], "float32"))
  },
  result = function() self$errors / self$count,
  reset_state = function() {
    self$errors$assign(0)
    self$count$assign(0)
  }
)

model <- keras_model_sequential(input_shape = 784) %>%
  layer_dense(units = 128, activation = "relu") %>%
  layer_dropout(rate = 0.2) %>%
  layer_dense(units = 10, activation = "softmax")
model %>% compile(
  loss = "categorical_crossentropy",
  optimizer = optimizer_rmsprop(),
  metrics = list("accuracy", metric_true_class_prob, metric_confident_errors(threshold = 0.8))
)
history <- model %>% fit(x_train, y_train, epochs = epochs, batch_size = 128,
                         validation_split = 0.1)
print(as.data.frame(history))
scores <- model %>% evaluate(x_test, y_test, batch_size = 128, verbose = 0)
cat("on the 10 000 test images:\n")
print(unlist(scores))

if (nzchar(output)) {
  saveRDS(list(history = history$metrics, scores = scores, y_test = fashion$test$y,
               predictions = predict(model, x_test, verbose = 0)),
          output)
}
