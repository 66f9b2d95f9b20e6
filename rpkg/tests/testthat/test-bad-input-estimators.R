# Bad input to the tfestimators-style API: each case is an R call and the
# exact error message a user sees (a substring only where the message
# describes an engine object). Every case must fail with a tensorbridge
# error before anything is trained; the valid boundary cases after the
# table must succeed with the value R computes.

estimator_cases <- list(
  bad(column_numeric(),
      "column_numeric(): `...` must be one or more feature names: strings, bare names or a character vector."),
  bad(column_numeric(3),
      "column_numeric(): `...` must be feature names: strings, bare names or a character vector, not 3."),
  bad(column_numeric("a", "a"),
      "column_numeric(): `...` must be feature names: strings, bare names or a character vector without duplicates (\"a\" is given twice), not c(\"a\", \"a\")."),
  bad(column_numeric("a", shape = 0),
      "column_numeric(): `shape` must be positive whole numbers, not 0."),
  bad(column_numeric("a", default_value = NA),
      "column_numeric(): `default_value` must be one finite number (or NULL), not NA."),
  bad(column_numeric("a", dtype = "string"),
      "column_numeric(): `dtype` must be one of \"float32\", \"float64\", \"float16\", \"int32\", \"int64\" (or the tf$ dtype of that name), not \"string\"."),
  bad(column_numeric("a", normalizer_fn = "scale"),
      "column_numeric(): `normalizer_fn` must be a function (or NULL), not \"scale\"."),
  bad(column_numeric("a", nope = 1),
      "column_numeric(): unknown argument `nope`; give feature names unnamed; see ?column_numeric for the arguments it takes."),
  bad(column_categorical_with_identity("a", num_buckets = 0),
      "column_categorical_with_identity(): `num_buckets` must be one positive whole number, not 0."),
  bad(column_categorical_with_identity("a", num_buckets = 3, default_value = 3),
      "column_categorical_with_identity(): `default_value` must be one whole number >= 0 and <= 2 (or NULL), not 3."),
  bad(column_categorical_with_identity("a"),
      "column_categorical_with_identity(): `num_buckets` must be given: ids run from 0 to num_buckets - 1."),
  bad(column_categorical_with_hash_bucket("a", hash_bucket_size = 0),
      "column_categorical_with_hash_bucket(): `hash_bucket_size` must be one whole number >= 2, not 0."),
  bad(column_categorical_with_hash_bucket("a", hash_bucket_size = 2.5),
      "column_categorical_with_hash_bucket(): `hash_bucket_size` must be one whole number >= 2, not 2.5."),
  bad(column_categorical_with_hash_bucket("a", hash_bucket_size = 10, dtype = "float32"),
      "column_categorical_with_hash_bucket(): `dtype` must be one of \"string\", \"int32\", \"int64\" (or the tf$ dtype of that name), not \"float32\"."),
  bad(column_categorical_with_hash_bucket("a", hash_bucket_size = 10, dtyp = "string"),
      "column_categorical_with_hash_bucket(): unknown argument `dtyp`; give feature names unnamed; see ?column_categorical_with_hash_bucket for the arguments it takes."),
  bad(column_categorical_with_vocabulary_list("a", vocabulary_list = c("x", "x")),
      "column_categorical_with_vocabulary_list(): `vocabulary_list` must be a vector of distinct values without NA, not c(\"x\", \"x\")."),
  bad(column_categorical_with_vocabulary_list("a", vocabulary_list = c("x", NA)),
      "column_categorical_with_vocabulary_list(): `vocabulary_list` must be a vector of distinct values without NA, not c(\"x\", NA)."),
  bad(column_categorical_with_vocabulary_list("a", vocabulary_list = c("x", "y"), num_oov_buckets = -1),
      "column_categorical_with_vocabulary_list(): `num_oov_buckets` must be one non-negative whole number, not -1."),
  bad(column_categorical_with_vocabulary_list("a", vocabulary_list = c("x", "y"), num_oov_buckets = 2, default_value = 0),
      "column_categorical_with_vocabulary_list(): `default_value` must be -1 (the default) when num_oov_buckets is given, not 0."),
  bad(column_categorical_with_vocabulary_list("a", vocabulary_list = c("x", "y"), dtype = "int32"),
      "column_categorical_with_vocabulary_list(): `vocabulary_list` must be values of the column's dtype (int32), not c(\"x\", \"y\")."),
  bad(column_categorical_with_vocabulary_list("a"),
      "column_categorical_with_vocabulary_list(): `vocabulary_list` must be given: the known values, in id order."),
  bad(column_bucketized("a", c(1, 2)),
      "column_bucketized(): `source_column` must be a numeric column made by column_numeric(), not \"a\"."),
  bad(column_bucketized(column_numeric("a"), c(2, 1)),
      "column_bucketized(): `boundaries` must be strictly increasing finite numbers, not c(2, 1)."),
  bad(column_bucketized(column_numeric("a"), numeric(0)),
      "column_bucketized(): `boundaries` must be strictly increasing finite numbers, not an empty double vector."),
  bad(column_crossed("a", 10),
      "column_crossed(): `keys` must be two or more feature names or categorical columns, not a list of length 1."),
  bad(column_crossed(c("a", "b"), 0),
      "column_crossed(): `hash_bucket_size` must be one positive whole number, not 0."),
  bad(column_indicator(column_numeric("a")),
      "column_indicator(): `categorical_column` must be a categorical column made by column_categorical_*(), column_bucketized() or column_crossed(), not a NumericColumn object."),
  bad(column_embedding(column_categorical_with_identity("a", num_buckets = 3), dimension = 0),
      "column_embedding(): `dimension` must be one positive whole number, not 0."),
  bad(column_embedding(column_categorical_with_identity("a", num_buckets = 3), dimension = 2, combiner = "sum"),
      "column_embedding(): `combiner` must be \"mean\" (tensorbridge takes one id per row), not \"sum\"."),
  bad(feature_columns(column_numeric("a"), "b"),
      "feature_columns(): `..2` must be a feature column (or a list of them) made by column_*(), not \"b\"."),
  bad(input_fn(mtcars, c(disp, nope), "mpg"),
      "input_fn(): `features` names no column 'nope' of the data; it has mpg, cyl, disp, hp, drat, wt, qsec, vs, am, gear, carb."),
  bad(input_fn(mtcars, "disp", c("mpg", "cyl")),
      "input_fn(): `response` must be one column name (or NULL), not c(\"mpg\", \"cyl\")."),
  bad(input_fn(mtcars, "disp", "mpg", batch_size = 0),
      "input_fn(): `batch_size` must be one positive whole number, not 0."),
  bad(input_fn(mtcars, "disp", "mpg", shuffle = "yes"),
      "input_fn(): `shuffle` must be TRUE, FALSE or \"auto\", not \"yes\"."),
  bad(input_fn(mtcars, "disp", "mpg", num_epochs = 0),
      "input_fn(): `num_epochs` must be one positive whole number (or NULL), not 0."),
  bad(input_fn(mtcars, "disp", "mpg", queue_capacity = 10),
      "input_fn(): unknown argument `queue_capacity`; see ?input_fn for the arguments it takes."),
  bad(input_fn(1:3),
      "input_fn(): `object` must be a data frame, a named list of equally long vectors or a matrix with column names, not 1:3."),
  bad(input_fn(list(a = 1:3, b = 1:2)),
      "input_fn(): `object` must be a named list of equally long vectors (one per column), not a list of length 2."),
  bad(input_fn(matrix(1:4, 2)),
      "input_fn(): `object` must be a matrix with column names (they name the features), not an integer array of dim 2 x 2."),
  bad(input_fn(mtcars, c("disp", "disp"), "mpg"),
      "input_fn(): `features` must be distinct column names, not c(\"disp\", \"disp\")."),
  bad(input_fn(mtcars, features = 3),
      "input_fn(): `features` must be column names (strings or bare names), not 3."),
  bad(linear_regressor(list()),
      "linear_regressor(): `feature_columns` must be a list of feature columns made by column_*() or feature_columns(), not a list of length 0."),
  bad(linear_regressor(list(column_numeric("a"), "b")),
      "linear_regressor(): `feature_columns[[2]]` must be a feature column made by column_*(), not \"b\"."),
  bad(linear_regressor(cols, label_dimension = 0),
      "linear_regressor(): `label_dimension` must be one positive whole number, not 0."),
  bad(linear_regressor(cols, optimizer = 42),
      "linear_regressor(): `optimizer` must be an optimizer_*() object or an optimizer name such as \"adagrad\" (or NULL), not 42."),
  bad(linear_regressor(cols, optimizer = "nope"),
      "linear_regressor(): `optimizer` must be an optimizer_*() object or an optimizer name such as \"adagrad\" (or NULL), not \"nope\"."),
  bad(linear_regressor(cols, model_dir = 1),
      "linear_regressor(): `model_dir` must be one string (or NULL), not 1."),
  bad(linear_regressor(cols, seed = -1),
      "linear_regressor(): `seed` must be one non-negative whole number (or NULL), not -1."),
  bad(linear_classifier(cols, n_classes = 1),
      "linear_classifier(): `n_classes` must be one whole number >= 2, not 1."),
  bad(linear_classifier(cols, n_classes = 3, label_vocabulary = c("a", "b")),
      "linear_classifier(): `label_vocabulary` must be one label per class (n_classes = 3), not c(\"a\", \"b\")."),
  bad(linear_classifier(cols, label_vocabulary = c("a", "a")),
      "linear_classifier(): `label_vocabulary` must be a character vector of distinct class labels (or NULL), not c(\"a\", \"a\")."),
  bad(dnn_regressor(hidden_units = -1, cols),
      "dnn_regressor(): `hidden_units` must be positive whole numbers, not -1."),
  bad(dnn_regressor(hidden_units = c(10, 2.5), cols),
      "dnn_regressor(): `hidden_units` must be positive whole numbers, not c(10, 2.5)."),
  bad(dnn_regressor(c(4), cols, activation_fn = "foo"),
      "dnn_regressor(): `activation_fn` must be an activation name such as \"relu\" or \"tanh\", or an R function, not \"foo\"."),
  bad(dnn_regressor(c(4), cols, dropout = 1),
      "dnn_regressor(): `dropout` must be one finite number >= 0 and < 1 (or NULL), not 1."),
  bad(dnn_classifier(c(4), cols, dropout = -0.1),
      "dnn_classifier(): `dropout` must be one finite number >= 0 and < 1 (or NULL), not -0.1."),
  bad(dnn_linear_combined_regressor(),
      "dnn_linear_combined_regressor(): `linear_feature_columns` must be given when dnn_feature_columns is NULL (a model needs feature columns)."),
  bad(dnn_linear_combined_classifier(dnn_feature_columns = cols),
      "dnn_linear_combined_classifier(): `dnn_hidden_units` must be positive whole numbers, not NULL."),
  bad(boosted_trees_regressor(bcols),
      "boosted_trees_regressor(): `n_batches_per_layer` must be given: the batches whose statistics grow one layer."),
  bad(boosted_trees_regressor(bcols, 1, n_trees = 0),
      "boosted_trees_regressor(): `n_trees` must be one positive whole number, not 0."),
  bad(boosted_trees_classifier(bcols, 1, learning_rate = 0),
      "boosted_trees_classifier(): `learning_rate` must be one finite number > 0, not 0."),
  bad(boosted_trees_regressor(bcols, 1, max_depth = NA),
      "boosted_trees_regressor(): `max_depth` must be one positive whole number, not NA."),
  bad(boosted_trees_regressor(bcols, 1, l2_regularization = -1),
      "boosted_trees_regressor(): `l2_regularization` must be one finite number >= 0, not -1."),
  bad(svm_classifier(cols, label_vocabulary = c("a", "b", "c")),
      "svm_classifier(): `label_vocabulary` must be one label per class (n_classes = 2), not c(\"a\", \"b\", \"c\")."),
  bad(svm_classifier(cols, l1_regularization = NaN),
      "svm_classifier(): `l1_regularization` must be one finite number >= 0, not NaN."),
  bad(kmeans_estimator(0),
      "kmeans_estimator(): `num_clusters` must be one positive whole number, not 0."),
  bad(kmeans_estimator(2, initial_clusters = "nope"),
      "kmeans_estimator(): `initial_clusters` must be \"random\", \"kmeans_plus_plus\" or a numeric matrix of 2 rows (one centre per row) without NA, not \"nope\"."),
  bad(kmeans_estimator(2, distance_metric = "manhattan"),
      "kmeans_estimator(): `distance_metric` must be one of \"squared_euclidean\", \"cosine\", not \"manhattan\"."),
  bad(kmeans_estimator(2, use_mini_batch = "yes"),
      "kmeans_estimator(): `use_mini_batch` must be TRUE or FALSE, not \"yes\"."),
  bad(random_forest_regressor(cols, max_features = 1.5),
      "random_forest_regressor(): `max_features` must be \"auto\", \"sqrt\", \"all\", a fraction between 0 and 1 or a whole number of features, not 1.5."),
  bad(random_forest_classifier(cols, min_samples_leaf = 0),
      "random_forest_classifier(): `min_samples_leaf` must be one positive whole number, not 0."),
  bad(random_forest_regressor(cols, bootstrap = NA),
      "random_forest_regressor(): `bootstrap` must be TRUE or FALSE, not NA."),
  bad(cluster_centers(model),
      "cluster_centers(): `object` must be a k-means estimator made by kmeans_estimator(), not a LinearRegressor object."),
  bad(train(model, fn, hooks = list()),
      "train(): unknown argument `hooks`; see ?train.tensorbridge.estimators.base.BaseEstimator for the arguments it takes."),
  bad(train(model, fn, steps = 0),
      "train(): `steps` must be one positive whole number (or NULL), not 0."),
  bad(train(model, fn, max_steps = -5),
      "train(): `max_steps` must be one positive whole number (or NULL), not -5."),
  bad(train(model, fn, verbose = "yes"),
      "train(): `verbose` must be TRUE or FALSE, not \"yes\"."),
  bad(train(model, mtcars),
      "train(): `input_fn` must be an input function made by input_fn(), not a data frame with 11 columns."),
  bad(train(model),
      "train(): `input_fn` must be given: an input function made by input_fn()."),
  bad(train("model", fn),
      "train(): `object` must be an estimator (e.g. made by linear_regressor()), not \"model\"."),
  bad(evaluate(model, fn, checkpoint_path = "x"),
      "evaluate(): unknown argument `checkpoint_path`; see ?evaluate.tensorbridge.estimators.base.BaseEstimator for the arguments it takes."),
  bad(evaluate(model, fn, steps = 1.5),
      "evaluate(): `steps` must be one positive whole number (or NULL), not 1.5."),
  bad(predict(model, fn, simplify = NA),
      "predict(): `simplify` must be TRUE or FALSE, not NA."),
  bad(predict(model, fn, hooks = NULL),
      "predict(): unknown argument `hooks`; see ?predict.tensorbridge.estimators.base.BaseEstimator for the arguments it takes."),
  bad(predict(model, fn, predict_keys = 3),
      "predict(): `predict_keys` must be a character vector without NA (or NULL), not 3.")
)

test_that("every bad input to the estimator API is an R error that says what to do", {
  skip_if_no_python()
  expect_gte(length(estimator_cases), 40)
  env <- new.env()
  local(envir = env, {
    cols <- feature_columns(column_numeric("disp", "wt"))
    bcols <- feature_columns(column_bucketized(column_numeric("wt"), boundaries = c(2.5, 3.5)))
    model <- linear_regressor(cols)
    fn <- input_fn(mtcars, c(disp, wt), "mpg")
  })
  expect_bad_inputs(estimator_cases, env)
})

test_that("feature names in column_*() are evaluated as tfestimators does", {
  skip_if_no_python()
  features <- c("disp", "wt")
  cols <- column_numeric(features)  # a variable holding names: its names
  expect_identical(vapply(cols, function(col) col$key, ""), features)
  expect_identical(column_numeric(disp)$key, "disp")  # a bare name that is no variable
  expect_identical(column_numeric(letters)$key, "letters")  # base R's objects are not looked at
  expect_identical(vapply(column_numeric(c(disp, "wt")), function(col) col$key, ""), features)
  expect_identical(vapply(column_numeric(names(mtcars)[3:4]), function(col) col$key, ""),
                   names(mtcars)[3:4])
  # a dtype argument is the column's dtype, not a second column
  hashed <- column_categorical_with_hash_bucket("cyl", hash_bucket_size = 2, dtype = "int32")
  expect_identical(hashed$key, "cyl")
  expect_identical(hashed$hash_bucket_size, 2L)
  expect_identical(column_numeric("wt", dtype = tf$float64)$key, "wt")
})

test_that("valid boundary values are accepted with their meaning", {
  skip_if_no_python()
  cols <- feature_columns(column_numeric("disp", "wt"))
  expect_identical(column_categorical_with_identity("cyl", num_buckets = 9,
                                                    default_value = 8)$default_value, 8L)
  # one label per class: the vocabulary's length is the number of classes
  three <- linear_classifier(cols, label_vocabulary = c("a", "b", "c"))
  expect_identical(three$head$n_classes, 3L)
  # a whole max_features is a count (1 feature), not the fraction 1
  forest <- random_forest_regressor(cols, max_features = 1, n_trees = 1)
  expect_identical(forest$max_features, 1L)
  expect_identical(random_forest_regressor(cols, max_features = 0.5)$max_features, 0.5)
  # the response named by a variable holding its name
  response <- "mpg"
  model <- linear_regressor(cols, optimizer = optimizer_sgd(learning_rate = 0.1))
  scaled <- transform(mtcars, disp = as.numeric(scale(disp)), wt = as.numeric(scale(wt)))
  model %>% train(input_fn(scaled, c(disp, wt), response, batch_size = 32, num_epochs = NULL),
                  steps = 1000)
  # predict(simplify = FALSE): one list per row, as tfestimators gives
  rows <- predict(model, input_fn(scaled[1:3, ], c(disp, wt)), simplify = FALSE)
  expect_length(rows, 3)
  expect_equal(vapply(rows, function(row) row$predictions, 0),
               unname(fitted(lm(mpg ~ disp + wt, scaled))[1:3]), tolerance = 1e-3)
})
