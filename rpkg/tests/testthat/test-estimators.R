# Canned estimators from R, checked against R's own lm() and glm() fits and
# against metrics recomputed in R from the estimator's predictions.

scaled_cars <- function() {
  mt <- mtcars
  mt$disp <- as.numeric(scale(mt$disp))
  mt$wt <- as.numeric(scale(mt$wt))
  mt
}

test_that("linear_regressor() converges to lm()'s fit", {
  skip_if_no_python()
  mt <- scaled_cars()
  model <- linear_regressor(feature_columns(column_numeric("disp", "wt")),
                            optimizer = optimizer_sgd(learning_rate = 0.1))
  model %>% train(input_fn(mt, c(disp, wt), "mpg", batch_size = 32, num_epochs = NULL),
                  steps = 1500)
  pred <- predict(model, input_fn(mt, c(disp, wt)))$predictions
  expect_equal(pred, unname(fitted(lm(mpg ~ disp + wt, mt))), tolerance = 1e-4)
  metrics <- evaluate(model, input_fn(mt, c("disp", "wt"), "mpg"))
  expect_equal(metrics$average_loss, mean((pred - mt$mpg)^2), tolerance = 1e-5)
  expect_identical(metrics$global_step, 1500L)
  # progress: the mean batch loss every 100 steps, printed and kept
  expect_output(train(model, input_fn(mt, c(disp, wt), "mpg", batch_size = 32,
                                      num_epochs = NULL), steps = 200, verbose = TRUE),
                "step 1600: loss .*\nstep 1700: loss")
  history <- model$loss_history
  expect_identical(vapply(history, `[[`, 0, 1), c(seq(100, 1500, by = 100), 1600, 1700))
  # full batches of a converged fit: the logged loss is the mean squared error
  expect_equal(history[[17]][[2]], metrics$average_loss, tolerance = 1e-3)
})

test_that("linear_classifier() approaches glm()'s logistic fit", {
  skip_if_no_python()
  set.seed(42)
  n <- 400
  d <- data.frame(a = rnorm(n), b = rnorm(n))
  d$y <- as.integer(d$a - 0.5 * d$b + rlogis(n) > 0)
  model <- linear_classifier(feature_columns(column_numeric("a", "b")),
                             optimizer = optimizer_sgd(learning_rate = 1))
  model %>% train(input_fn(d, c(a, b), "y", batch_size = n, num_epochs = NULL), steps = 2000)
  p <- predict(model, input_fn(d, c(a, b)))
  expect_equal(p$probabilities[, 2], unname(fitted(glm(y ~ a + b, binomial, d))),
               tolerance = 1e-3)
  m <- evaluate(model, input_fn(d, c(a, b), "y"))
  expect_equal(m$accuracy, mean(p$class_ids == d$y))
  expect_equal(m$`label/mean`, mean(d$y))
})

test_that("classifiers take factor responses and categorical features", {
  skip_if_no_python()
  species <- column_categorical_with_vocabulary_list("Species",
                                                     vocabulary_list = levels(iris$Species))
  size <- column_bucketized(column_numeric("Sepal.Length"), boundaries = c(5, 6, 7))
  cols <- feature_columns(column_numeric("Petal.Length", "Petal.Width"), species, size)
  data <- transform(iris, big = ifelse(Sepal.Width > 3, "wide", "narrow"))
  model <- linear_classifier(cols, label_vocabulary = c("narrow", "wide"), seed = 1)
  model %>% train(input_fn(data, c(Petal.Length, Petal.Width, Species, Sepal.Length), "big",
                           num_epochs = 30, batch_size = 16))
  p <- predict(model, input_fn(data, c(Petal.Length, Petal.Width, Species, Sepal.Length)))
  expect_setequal(unique(p$classes), c("narrow", "wide"))
  acc <- evaluate(model, input_fn(data, c(Petal.Length, Petal.Width, Species, Sepal.Length),
                                  "big"))$accuracy
  expect_equal(acc, mean(p$classes == data$big))
  expect_gt(acc, max(mean(data$big == "wide"), mean(data$big == "narrow")))

  # three classes with a DNN over an embedding of a character column
  iris2 <- transform(iris, petal = ifelse(Petal.Width > 1, "long", "short"),
                     stringsAsFactors = FALSE)
  # rows in a fixed random order, read in that order: the run is reproducible
  set.seed(3)
  iris2 <- iris2[sample(nrow(iris2)), ]
  emb <- column_embedding(column_categorical_with_hash_bucket("petal", hash_bucket_size = 5),
                          dimension = 2)
  dnn <- dnn_classifier(hidden_units = c(10, 10), n_classes = 3, seed = 2,
                        label_vocabulary = levels(iris$Species),
                        feature_columns = feature_columns(
                          column_numeric("Petal.Length", "Petal.Width"), emb),
                        optimizer = optimizer_adam(learning_rate = 0.05))
  dnn %>% train(input_fn(iris2, c(Petal.Length, Petal.Width, petal), "Species",
                         num_epochs = 60, batch_size = 32, shuffle = FALSE))
  m <- evaluate(dnn, input_fn(iris2, c(Petal.Length, Petal.Width, petal), "Species"))
  expect_gt(m$accuracy, 0.9)
})

test_that("a model_dir checkpoint lets a new estimator go on", {
  skip_if_no_python()
  dir <- tempfile("estimator")
  mt <- scaled_cars()
  cols <- feature_columns(column_numeric("disp", "wt"))
  fn <- input_fn(mt, c(disp, wt), "mpg", batch_size = 8, num_epochs = NULL)
  first <- dnn_regressor(c(4), cols, model_dir = dir, seed = 3)
  first %>% train(fn, steps = 30)
  again <- dnn_regressor(c(4), cols, model_dir = dir, seed = 3)
  expect_identical(again$global_step, 30L)
  expect_identical(predict(again, input_fn(mt, c(disp, wt))),
                   predict(first, input_fn(mt, c(disp, wt))))
  again %>% train(fn, steps = 5)
  expect_identical(dnn_regressor(c(4), cols, model_dir = dir)$global_step, 35L)
  expect_error(dnn_regressor(c(8), cols, model_dir = dir), "different estimator",
               class = "tensorbridge_error")
  unlink(dir, recursive = TRUE)
})

test_that("estimator mistakes get R errors that say what to do", {
  skip_if_no_python()
  cat_col <- column_categorical_with_identity("cyl", num_buckets = 10)
  expect_error(dnn_regressor(c(4), feature_columns(cat_col)),
               "wrap the categorical column 'cyl' in indicator_column", class = "tensorbridge_error")
  expect_error(input_fn(mtcars, c(disp, nope), "mpg"), "no column 'nope'",
               class = "tensorbridge_error")
  model <- linear_regressor(feature_columns(column_numeric("disp")))
  expect_error(predict(model, input_fn(mtcars, "disp")), "call train\\(\\) first",
               class = "tensorbridge_error")
  expect_error(train(model, input_fn(mtcars, "disp", "mpg"), steps = 0),
               "train(): `steps` must be one positive whole number (or NULL), not 0.",
               fixed = TRUE, class = "tensorbridge_argument_error")
  bad <- mtcars
  bad$disp[3] <- NA
  expect_error(train(model, input_fn(bad, "disp", "mpg")), "missing values \\(NA\\), the first in row 3",
               class = "tensorbridge_error")
})

test_that("boosted trees from R: a one-split tree holds the two groups' means", {
  skip_if_no_python()
  cols <- feature_columns(
    column_bucketized(column_numeric("wt"), boundaries = c(2.5, 3, 3.5, 4)),
    column_bucketized(column_numeric("disp"), boundaries = c(150, 250, 350)))
  model <- boosted_trees_regressor(cols, n_batches_per_layer = 1, n_trees = 1, max_depth = 1,
                                   learning_rate = 1)
  model %>% train(input_fn(mtcars, c(wt, disp), "mpg", batch_size = 32, shuffle = FALSE))
  pred <- predict(model, input_fn(mtcars, c(wt, disp)))$predictions
  # brute force over both features' cut points: the least-squares split
  cuts <- list(wt = c(2.5, 3, 3.5, 4), disp = c(150, 250, 350))
  sse <- unlist(lapply(names(cuts), function(f) sapply(cuts[[f]], function(b) {
    left <- mtcars[[f]] < b
    sum((mtcars$mpg[left] - mean(mtcars$mpg[left]))^2) +
      sum((mtcars$mpg[!left] - mean(mtcars$mpg[!left]))^2)
  })))
  best <- which.min(sse)
  f <- rep(names(cuts), lengths(cuts))[best]
  left <- mtcars[[f]] < unlist(cuts)[best]
  expect_equal(pred, ifelse(left, mean(mtcars$mpg[left]), mean(mtcars$mpg[!left])),
               tolerance = 1e-5)

  more <- boosted_trees_classifier(cols, n_batches_per_layer = 1, n_trees = 10, max_depth = 2,
                                   label_vocabulary = c("auto", "manual"), learning_rate = 0.5)
  cars <- transform(mtcars, gears = ifelse(am == 1, "manual", "auto"))
  more %>% train(input_fn(cars, c(wt, disp), "gears", batch_size = 32, num_epochs = 30))
  expect_match(format(more), "10 of 10 trees grown")
  expect_gt(evaluate(more, input_fn(cars, c(wt, disp), "gears"))$accuracy, 0.8)
  expect_error(boosted_trees_regressor(feature_columns(column_numeric("wt")), 1),
               "column_bucketized", class = "tensorbridge_error")
})

test_that("kmeans_estimator() without mini-batches is R's kmeans() with Lloyd's algorithm", {
  skip_if_no_python()
  x <- as.matrix(iris[, 1:4])
  init <- x[c(1, 51, 101), ] + 0.05
  km <- kmeans_estimator(3, initial_clusters = init, use_mini_batch = FALSE)
  km %>% train(input_fn(iris[, 1:4], batch_size = 150, num_epochs = NULL, shuffle = FALSE),
               steps = 10)
  ref <- suppressWarnings(kmeans(x, centers = init, algorithm = "Lloyd", iter.max = 10))
  expect_equal(cluster_centers(km), unname(ref$centers), tolerance = 1e-10)
  p <- predict(km, input_fn(iris[, 1:4]))
  expect_equal(p$cluster_index + 1L, unname(ref$cluster))
  expect_equal(evaluate(km, input_fn(iris[, 1:4]))$score, ref$tot.withinss, tolerance = 1e-8)
})

test_that("svm_classifier() separates what a margin separates", {
  skip_if_no_python()
  data <- transform(iris, setosa = ifelse(Species == "setosa", "yes", "no"))
  svm <- svm_classifier(feature_columns(column_numeric("Petal.Length", "Petal.Width")),
                        l2_regularization = 0.001, label_vocabulary = c("no", "yes"),
                        optimizer = optimizer_sgd(learning_rate = 0.1))
  svm %>% train(input_fn(data, c(Petal.Length, Petal.Width), "setosa", num_epochs = 100))
  p <- predict(svm, input_fn(data, c(Petal.Length, Petal.Width)))
  expect_identical(p$classes, data$setosa)
  expect_identical(evaluate(svm, input_fn(data, c(Petal.Length, Petal.Width), "setosa"))$accuracy,
                   1)
})

test_that("random forests from R: a stump is the least-squares split, a forest fits iris", {
  skip_if_no_python()
  stump <- random_forest_regressor(feature_columns(column_numeric("wt", "hp")), n_trees = 1,
                                   max_depth = 1, bootstrap = FALSE, max_features = "all")
  stump %>% train(input_fn(mtcars, c(wt, hp), "mpg"))
  pred <- predict(stump, input_fn(mtcars, c(wt, hp)))$predictions
  sse <- function(left) {
    sum((mtcars$mpg[left] - mean(mtcars$mpg[left]))^2) +
      sum((mtcars$mpg[!left] - mean(mtcars$mpg[!left]))^2)
  }
  splits <- unlist(lapply(c("wt", "hp"), function(f) {
    lapply(head(sort(unique(mtcars[[f]])), -1), function(t) mtcars[[f]] <= t)
  }), recursive = FALSE)
  left <- splits[[which.min(vapply(splits, sse, 0))]]
  expect_equal(pred, ifelse(left, mean(mtcars$mpg[left]), mean(mtcars$mpg[!left])))

  set.seed(3)
  train_rows <- sample(150, 100)
  forest <- random_forest_classifier(
    feature_columns(column_numeric("Sepal.Length", "Sepal.Width", "Petal.Length",
                                   "Petal.Width")),
    n_classes = 3, label_vocabulary = levels(iris$Species), n_trees = 25, seed = 1)
  forest %>% train(input_fn(iris[train_rows, ], response = "Species"))
  held_out <- evaluate(forest, input_fn(iris[-train_rows, ], response = "Species"))
  expect_gt(held_out$accuracy, 0.9)
})

test_that("a feature column without its feature in the input says which one is missing", {
  skip_if_no_python()
  model <- linear_regressor(feature_columns(column_numeric("disp", "hp")))
  expect_error(train(model, input_fn(mtcars, c(disp), "mpg")),
               "numeric_column\\('hp'\\) needs the feature 'hp', but the input has only \\['disp'\\]",
               class = "tensorbridge_error")
})

test_that("predict() on a one-row data frame gives that row's prediction", {
  skip_if_no_python()
  cols <- feature_columns(column_numeric("disp", "wt"))
  model <- linear_regressor(cols)
  model %>% train(input_fn(mtcars, c(disp, wt), "mpg", num_epochs = 2))
  all_rows <- predict(model, input_fn(mtcars, c(disp, wt)))
  one <- predict(model, input_fn(mtcars[3, ], c(disp, wt)))
  expect_equal(unlist(one), unlist(all_rows[3, , drop = FALSE]), ignore_attr = TRUE)
  listed <- predict(model, input_fn(mtcars[3, ], c(disp, wt)), simplify = FALSE)
  expect_length(listed, 1L)
})
