# An LSTM forecaster on R's own monthly sunspot numbers (datasets::sunspot.month):
# from the last 24 months, predict the next one. Compared with the naive
# forecast "next month = this month".
#   Rscript examples/lstm_sunspots.R   (EPOCHS=... to change)
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "20"))
series <- as.numeric(datasets::sunspot.month)
scale <- max(series)
s <- series / scale
window <- 24

# samples x steps x 1 feature, and the value that follows each window
starts <- seq_len(length(s) - window)
x <- t(vapply(starts, function(i) s[i:(i + window - 1)], numeric(window)))
x <- array(x, c(nrow(x), window, 1))
y <- s[starts + window]

split <- floor(0.8 * length(y))  # train on the past, test on the future
train <- seq_len(split)
test <- (split + 1):length(y)

model <- keras_model_sequential(input_shape = c(window, 1)) %>%
  layer_lstm(units = 32) %>%
  layer_dense(units = 1)
model %>% compile(optimizer = "adam", loss = "mse", metrics = "mae")
model %>% fit(x[train, , , drop = FALSE], y[train], epochs = epochs, batch_size = 64,
              validation_split = 0.1)

pred <- predict(model, x[test, , , drop = FALSE])
mae_lstm <- mean(abs(pred - y[test])) * scale
mae_naive <- mean(abs(x[test, window, 1] - y[test])) * scale
cat(sprintf("test MAE, LSTM: %.2f sunspots; naive forecast: %.2f\n", mae_lstm, mae_naive))
