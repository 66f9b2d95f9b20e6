# Data frames with factors, factor targets and formulas, against the same
# fits on matrices made by hand with base R (model.matrix()).

frame_data <- function() {
  set.seed(5)
  n <- 60
  df <- data.frame(
    a = rnorm(n),
    d = runif(n) > 0.5,
    b = factor(sample(c("low", "mid", "high"), n, TRUE), levels = c("low", "mid", "high")),
    ch = sample(c("q", "p"), n, TRUE),
    e = runif(n, 1, 3),
    stringsAsFactors = FALSE
  )
  df$y <- 2 * df$a - df$d + as.integer(df$b) + rnorm(n, sd = 0.1)
  df$cls <- factor(ifelse(df$y > 1.5, "big", "small"), levels = c("small", "big"))
  df$cls3 <- cut(df$y, c(-Inf, 0, 2, Inf), labels = c("neg", "some", "many"))
  df
}

# The one-hot design matrix of `df`'s a, d, b, ch columns in base R: every
# level of each factor gets a column (no contrasts), logicals are 0/1.
hand_matrix <- function(df) {
  df$d <- as.numeric(df$d)
  df$ch <- factor(df$ch)
  stats::model.matrix(~ a + d + b + ch - 1, df,
                      contrasts.arg = list(b = contrasts(df$b, contrasts = FALSE),
                                           ch = contrasts(df$ch, contrasts = FALSE)))
}

frame_model <- function(p, units = 1, activation = "linear", loss = "mse", init = NULL) {
  model <- keras_model_sequential(input_shape = p) %>%
    layer_dense(units = units, activation = activation)
  if (!is.null(init)) set_weights(model, init)
  model %>% compile(optimizer = optimizer_sgd(0.05), loss = loss)
  model
}

test_that("a data frame trains as its one-hot model.matrix() does", {
  skip_if_no_python()
  df <- frame_data()
  mm <- hand_matrix(df)
  expect_equal(ncol(mm), 7)
  init <- get_weights(frame_model(7))
  ref <- frame_model(7, init = init)
  fit(ref, unname(mm), df$y, batch_size = 10, epochs = 3, shuffle = FALSE, verbose = 0)
  model <- frame_model(7, init = init)
  fit(model, df[c("a", "d", "b", "ch")], df$y, batch_size = 10, epochs = 3, shuffle = FALSE,
      verbose = 0)
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
  # predict() encodes new rows with the training levels, whatever levels they have
  new <- df[c(3, 1), c("a", "d", "b", "ch")]
  new$b <- factor(as.character(new$b))
  expect_equal(predict(model, new), predict(ref, unname(mm[c(3, 1), ])), tolerance = 1e-6)
})

test_that("factors = \"integer\" gives level ids from 0", {
  skip_if_no_python()
  df <- frame_data()
  hand <- cbind(df$a, match(df$ch, sort(unique(df$ch))) - 1, as.integer(df$b) - 1)
  init <- get_weights(frame_model(3))
  ref <- frame_model(3, init = init)
  fit(ref, hand, df$y, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  model <- frame_model(3, init = init)
  fit(model, df[c("a", "ch", "b")], df$y, batch_size = 10, epochs = 2, shuffle = FALSE,
      verbose = 0, factors = "integer")
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
})

test_that("a factor y gives classes as the loss wants them, and predict() a factor", {
  skip_if_no_python()
  df <- frame_data()
  x <- unname(hand_matrix(df))
  # categorical_crossentropy: one-hot rows (base R's diag() picks them)
  onehot <- diag(3)[as.integer(df$cls3), ]
  init <- get_weights(frame_model(7, 3, "softmax", "categorical_crossentropy"))
  ref <- frame_model(7, 3, "softmax", "categorical_crossentropy", init)
  fit(ref, x, onehot, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  model <- frame_model(7, 3, "softmax", "categorical_crossentropy", init)
  fit(model, x, df$cls3, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
  p <- predict(model, x)
  classes <- predict(model, x, type = "class")
  expect_identical(levels(classes), levels(df$cls3))
  expect_identical(as.character(classes), levels(df$cls3)[apply(p, 1, which.max)])
  # sparse_categorical_crossentropy: ids from 0
  ref <- frame_model(7, 3, "softmax", "sparse_categorical_crossentropy", init)
  fit(ref, x, as.integer(df$cls3) - 1, batch_size = 10, epochs = 2, shuffle = FALSE,
      verbose = 0)
  model <- frame_model(7, 3, "softmax", "sparse_categorical_crossentropy", init)
  fit(model, x, df$cls3, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
  # binary_crossentropy with two levels: 0/1, the second level is 1
  init <- get_weights(frame_model(7, 1, "sigmoid", "binary_crossentropy"))
  ref <- frame_model(7, 1, "sigmoid", "binary_crossentropy", init)
  fit(ref, x, as.numeric(df$cls == "big"), batch_size = 10, epochs = 2, shuffle = FALSE,
      verbose = 0)
  model <- frame_model(7, 1, "sigmoid", "binary_crossentropy", init)
  fit(model, x, df$cls, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
  p <- predict(model, x)
  expect_identical(as.character(predict(model, x, type = "class")),
                   ifelse(p[, 1] > 0.5, "big", "small"))
  # evaluate() encodes the factor the same way
  expect_equal(evaluate(model, x, df$cls, verbose = 0)$loss,
               evaluate(ref, x, as.numeric(df$cls == "big"), verbose = 0)$loss,
               tolerance = 1e-6)
})

test_that("a formula reads target and predictors from data", {
  skip_if_no_python()
  df <- frame_data()
  hand <- cbind(df$a, log(df$e), hand_matrix(df)[, c("blow", "bmid", "bhigh")])
  init <- get_weights(frame_model(5))
  ref <- frame_model(5, init = init)
  fit(ref, unname(hand), df$y, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  model <- frame_model(5, init = init)
  fit(model, y ~ a + log(e) + b, data = df, batch_size = 10, epochs = 2, shuffle = FALSE,
      verbose = 0)
  expect_equal(get_weights(model), get_weights(ref), tolerance = 1e-6)
  expected <- predict(ref, unname(hand))
  # predict() on the data frame applies the formula's terms
  expect_equal(predict(model, df), expected, tolerance = 1e-6)
  expect_equal(predict(model, ~ a + log(e) + b, data = df), expected, tolerance = 1e-6)
  expect_equal(evaluate(model, y ~ a + log(e) + b, data = df, verbose = 0)$loss,
               mean((expected - df$y)^2), tolerance = 1e-5)
  # y ~ . takes every other column
  dot <- frame_model(7)
  fit(dot, y ~ ., data = df[c("y", "a", "d", "b", "ch")], epochs = 1, verbose = 0)
  expect_equal(dim(predict(dot, df)), c(60L, 1L))
})

test_that("data frame and formula misuse are clear errors", {
  skip_if_no_python()
  df <- frame_data()
  model <- frame_model(7)
  fit(model, df[c("a", "d", "b", "ch")], df$y, epochs = 1, verbose = 0)
  new <- df[1:2, c("a", "d", "b", "ch")]
  new$ch[2] <- "zz"
  expect_error(predict(model, new),
               paste0('predict(): `x$ch` has level(s) "zz" that the model was not fitted on ',
                      '(its levels: "p", "q").'), fixed = TRUE)
  new$ch[2] <- NA
  expect_error(predict(model, new), "`x$ch` has missing values (NA) in 1 row(s)", fixed = TRUE)
  expect_error(predict(model, df[c("a", "b")]),
               "`x` must be a data frame with the column(s) the model was fitted on",
               fixed = TRUE)
  expect_error(predict(model, df[1:2, c("a", "d", "b", "ch")], type = "class"),
               "`type` must be \"response\" for a model not fitted on a factor `y`",
               fixed = TRUE)
  expect_error(fit(model, y ~ a:e, data = df, verbose = 0),
               "interactions such as `a:e` are not supported", fixed = TRUE)
  expect_error(fit(model, y ~ a, data = as.matrix(df[c("y", "a")]), verbose = 0),
               "`data` must be a data frame holding the formula's variables", fixed = TRUE)
  expect_error(fit(model, as.matrix(df["a"]), df$y, data = df, verbose = 0),
               "`data` must be NULL unless `x` is a formula", fixed = TRUE)
  expect_error(fit(model, df["a"], df$y, factors = "dummy", verbose = 0),
               "`factors` must be", fixed = TRUE)
  bin <- frame_model(7, 1, "sigmoid", "binary_crossentropy")
  expect_error(fit(bin, df[c("a", "d", "b", "ch")], df$cls3, verbose = 0),
               "a factor of two levels for binary_crossentropy (this one has 3", fixed = TRUE)
})
