# Saving what the user wrote in R: model classes, layer classes without a
# get_config(), R-function losses and metrics, loss and metric classes.
# The independent fact each time: the reloaded model predicts, evaluates and
# goes on training exactly as the original does.

set.seed(11)
x <- matrix(rnorm(60), 20)
y <- matrix(rnorm(20))

# one more epoch of both models, from the same state: same weights after it
expect_same_training <- function(a, b) {
  fit(a, x, y, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
  fit(b, x, y, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(b), get_weights(a), tolerance = 1e-6)
}

test_that("a model class written in R saves and loads: predictions, evaluation, training", {
  skip_if_no_python()
  MyModel <- new_model_class(
    "SavedModelA",
    initialize = function(units = 4, ...) {
      super$initialize(...)
      self$units <- units
      self$hidden <- layer_dense(units = units, activation = "tanh")
      self$out <- layer_dense(units = 1)
    },
    call = function(inputs) self$out(self$hidden(inputs)),
    get_config = function() list(units = self$units)
  )
  model <- MyModel(units = 3)
  compile(model, optimizer = optimizer_adam(learning_rate = 0.01), loss = "mse",
          metrics = "mae")
  fit(model, x, y, epochs = 2, batch_size = 5, verbose = 0)
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  again <- load_model(path, custom_objects = list(SavedModelA = MyModel))
  expect_equal(predict(again, x, verbose = 0), predict(model, x, verbose = 0),
               tolerance = 1e-6)
  expect_equal(again$units, 3)
  expect_equal(evaluate(again, x, y, verbose = 0), evaluate(model, x, y, verbose = 0),
               tolerance = 1e-6)
  expect_same_training(model, again)
  expect_error(load_model(path), "SavedModelA")
})

test_that("without get_config(), a class saves the arguments it was made with (keras 3)", {
  skip_if_no_python()
  layer_affine <- new_layer_class(
    "SavedAffine",
    initialize = function(units, scale = 1, ...) {
      super$initialize(...)
      self$units <- units
      self$scale <- scale
    },
    build = function(input_shape) {
      self$w <- self$add_weight(name = "w", shape = c(input_shape[[2]], self$units))
    },
    call = function(inputs) k_dot(inputs, self$w) * self$scale
  )
  # positional and named arguments, one of them a vector
  model <- keras_model_sequential(input_shape = 3) %>%
    layer_affine(2, scale = 0.5, name = "affine")
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  again <- load_model(path, custom_objects = list(SavedAffine = layer_affine))
  layer <- get_layer(again, "affine")
  expect_equal(layer$units, 2)
  expect_equal(layer$scale, 0.5)
  expect_equal(predict(again, x, verbose = 0), predict(model, x, verbose = 0),
               tolerance = 1e-6)
  # base R: x %*% w * scale
  w <- get_weights(model)[[1]]
  expect_equal(predict(again, x, verbose = 0), x %*% w * 0.5, tolerance = 1e-5)

  # an argument a config cannot hold: the error says to write get_config()
  layer_fn <- new_layer_class(
    "SavedWithFunction",
    initialize = function(fn, ...) {
      super$initialize(...)
      self$fn <- fn
    },
    call = function(inputs) inputs
  )
  m2 <- keras_model_sequential(input_shape = 3) %>% layer_fn(fn = function(x) x)
  expect_error(save_model(m2, tempfile(fileext = ".tbm")),
               "argument 'fn'.*define get_config\\(\\)")
})

test_that("R-function losses and metrics come back through custom_objects", {
  skip_if_no_python()
  my_loss <- function(y_true, y_pred) k_mean(k_square(y_true - y_pred), axis = -1)
  my_mae <- custom_metric("my_mae", function(y_true, y_pred) k_mean(k_abs(y_true - y_pred)))
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 1)
  compile(model, optimizer = optimizer_sgd(learning_rate = 0.05, momentum = 0.5),
          loss = my_loss, metrics = list(my_mae))
  fit(model, x, y, epochs = 1, batch_size = 5, verbose = 0)
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)

  err <- tryCatch(load_model(path), error = function(e) conditionMessage(e))
  expect_match(err, "custom losses or metrics 'my_loss', 'my_mae'")
  expect_match(err, "custom_objects = list(my_loss = my_loss, my_mae = my_mae)", fixed = TRUE)
  expect_match(err, "compile = FALSE", fixed = TRUE)

  bare <- load_model(path, compile = FALSE)
  expect_equal(predict(bare, x, verbose = 0), predict(model, x, verbose = 0), tolerance = 1e-6)

  again <- load_model(path, custom_objects = list(my_loss = my_loss, my_mae = my_mae))
  ev <- evaluate(again, x, y, verbose = 0)
  expect_named(ev, c("loss", "my_mae"))
  p <- predict(model, x, verbose = 0)
  expect_equal(ev[["loss"]], mean((y - p)^2), tolerance = 1e-5)   # base R
  expect_equal(ev[["my_mae"]], mean(abs(y - p)), tolerance = 1e-5)
  expect_same_training(model, again)  # the optimizer's momentum came back too

  # the same through with_custom_object_scope()
  scoped <- with_custom_object_scope(list(my_loss = my_loss, my_mae = my_mae), load_model(path))
  expect_equal(evaluate(scoped, x, y, verbose = 0), ev, tolerance = 1e-6)
})

test_that("loss and metric classes come back with the arguments they were made with", {
  skip_if_no_python()
  HuberLike <- new_loss_class(
    "SavedHuberLike",
    initialize = function(delta = 1, ...) {
      super$initialize(...)
      self$delta <- delta
    },
    call = function(y_true, y_pred) {
      err <- k_abs(y_true - y_pred)
      k_mean(k_minimum(err, self$delta) * (err - 0.5 * k_minimum(err, self$delta)), axis = -1)
    }
  )
  AboveCount <- new_metric_class(
    "SavedAboveCount",
    initialize = function(threshold = 0, ...) {
      super$initialize(...)
      self$threshold <- threshold
      self$count <- self$add_weight(name = "count", initializer = "zeros")
    },
    update_state = function(y_true, y_pred, sample_weight = NULL) {
      self$count$assign_add(k_sum(k_cast(y_pred > self$threshold, "float32")))
    },
    result = function() self$count
  )
  model <- keras_model_sequential(input_shape = 3) %>% layer_dense(units = 1)
  compile(model, optimizer = "sgd", loss = HuberLike(delta = 0.25),
          metrics = list(AboveCount(threshold = 0.1, name = "above")))
  path <- tempfile(fileext = ".tbm")
  save_model(model, path)
  again <- load_model(path, custom_objects = list(SavedHuberLike = HuberLike,
                                                  SavedAboveCount = AboveCount))
  ev <- evaluate(again, x, y, verbose = 0)
  p <- predict(model, x, verbose = 0)
  e <- abs(y - p)
  m <- pmin(e, 0.25)
  expect_equal(ev[["loss"]], mean(m * (e - 0.5 * m)), tolerance = 1e-5)  # delta kept
  expect_equal(ev[["above"]], sum(p > 0.1))                            # threshold kept
  expect_equal(evaluate(model, x, y, verbose = 0), ev, tolerance = 1e-6)
})

test_that("configs round-trip through from_config(), JSON and YAML: functional, custom layers", {
  skip_if_no_python()
  layer_twice <- new_layer_class(
    "ConfigTwice",
    initialize = function(factor = 2, ...) {
      super$initialize(...)
      self$factor <- factor
    },
    call = function(inputs) inputs * self$factor
  )
  inputs <- layer_input(shape = 3)
  a <- inputs %>% layer_dense(units = 2, name = "a")
  b <- inputs %>% layer_twice(factor = 3, name = "b") %>% layer_dense(units = 2, name = "c")
  model <- keras_model(inputs, layer_add(a, b))

  twins <- list(
    config = from_config(get_config(model), custom_objects = list(ConfigTwice = layer_twice)),
    json = model_from_json(model_to_json(model), custom_objects = list(ConfigTwice = layer_twice)),
    yaml = model_from_yaml(model_to_yaml(model), custom_objects = list(ConfigTwice = layer_twice))
  )
  for (twin in twins) {
    expect_identical(vapply(twin$layers, function(l) l$name, ""),
                     vapply(model$layers, function(l) l$name, ""))
    expect_equal(get_layer(twin, "b")$factor, 3)
    set_weights(twin, get_weights(model))
    expect_equal(predict(twin, x, verbose = 0), predict(model, x, verbose = 0),
                 tolerance = 1e-6)
  }
  # by hand: a = x Wa + ba, c = 3x Wc + bc
  w <- get_weights(model)
  expect_equal(predict(model, x, verbose = 0),
               sweep(x %*% w[[1]], 2, w[[2]], "+") + sweep(3 * x %*% w[[3]], 2, w[[4]], "+"),
               tolerance = 1e-5)
  # a missing class is named, with what to pass
  expect_error(model_from_json(model_to_json(model)),
               "model_from_json\\(\\.\\.\\., custom_objects = list\\(ConfigTwice = ConfigTwice\\)\\)")
  # the YAML is YAML's plain data: the same document as the JSON
  skip_if_not_installed("yaml")
  skip_if_not_installed("jsonlite")
  expect_equal(yaml::yaml.load(model_to_yaml(model)),
               jsonlite::fromJSON(model_to_json(model), simplifyVector = FALSE))
})

test_that("a config of a class written in R carries its class; YAML that is not plain data is refused", {
  skip_if_no_python()
  MyModel <- new_model_class(
    "ConfigModel",
    initialize = function(units = 2, ...) {
      super$initialize(...)
      self$units <- units
      self$d <- layer_dense(units = units)
    },
    call = function(inputs) self$d(inputs)
  )
  m <- MyModel(units = 4)
  cfg <- get_config(m)
  expect_equal(cfg$units, 4)
  again <- from_config(cfg)
  expect_equal(again$units, 4)
  expect_equal(dim(predict(again, x, verbose = 0)), c(nrow(x), 4L))

  bomb <- paste0("a: &a [1, 2]\nb: [*a, *a]\n")
  expect_error(model_from_yaml(bomb), "alias")
  expect_error(model_from_yaml("x: !!python/object/apply:os.system ['echo hi']"),
               "not a YAML document that tensorbridge reads")
  expect_error(model_from_yaml("[1, 2"), "not a YAML document")
})
