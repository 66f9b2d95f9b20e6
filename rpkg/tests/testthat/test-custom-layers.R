# Layers written in R: layer_lambda() and layer classes (new_layer_class(),
# Layer(), create_layer(), create_layer_wrapper()). Every number is checked
# against base R arithmetic or against the built-in layer_dense().

x6 <- matrix(c(1, -2, 3, 0.5, 4, -1), nrow = 2)

test_that("a lambda layer computes its R function in Sequential and functional models", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(3)) %>% layer_lambda(function(x) x * 2 + 1)
  expect_equal(predict(model, x6, verbose = 0), x6 * 2 + 1, tolerance = 1e-6,
               ignore_attr = TRUE)
  inputs <- layer_input(shape = c(3))
  outputs <- inputs %>% layer_lambda(function(x, k) x * k + 1, arguments = list(k = 3))
  functional <- keras_model(inputs, outputs)
  expect_equal(predict(functional, x6, verbose = 0), x6 * 3 + 1, tolerance = 1e-6,
               ignore_attr = TRUE)
  # output_shape given (shape of one sample), and layer_lambda() on data at once
  layer <- layer_lambda(f = function(x) x[, 1:2], output_shape = c(2))
  expect_equal(layer$compute_output_shape(list(NULL, 3L)), list(NULL, 2L))
})

test_that("gradients flow through a lambda layer (one SGD step against the closed form)", {
  skip_if_no_python()
  set.seed(1)
  x <- matrix(rnorm(8), 4)
  y <- matrix(rnorm(8), 4)
  w <- matrix(c(0.3, -0.2, 0.5, 0.1), 2)
  b <- c(0.05, -0.1)
  model <- keras_model_sequential(input_shape = c(2)) %>%
    layer_dense(units = 2) %>%
    layer_lambda(function(z) z^2)
  set_weights(model, list(w, array(b)))
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
  fit(model, x, y, epochs = 1, batch_size = 4, shuffle = FALSE, verbose = 0)
  z <- x %*% w + matrix(b, 4, 2, byrow = TRUE)
  dz <- 2 * (z^2 - y) / length(y) * 2 * z          # d mean((z^2 - y)^2) / dz
  w_new <- w - 0.1 * t(x) %*% dz
  b_new <- b - 0.1 * colSums(dz)
  got <- get_weights(model)
  expect_equal(got[[1]], w_new, tolerance = 1e-5, ignore_attr = TRUE)
  expect_equal(as.vector(got[[2]]), b_new, tolerance = 1e-5)
})

test_that("an R error inside a lambda's function is that R error, naming the layer", {
  skip_if_no_python()
  oops <- function(x) {
    stop(structure(class = c("my_error", "error", "condition"),
                   list(message = "boom", call = NULL)))
  }
  # (adding it to a model with an input shape runs it once, for its output shape)
  err <- tryCatch(keras_model_sequential(input_shape = c(3)) %>% layer_lambda(oops, name = "lam"),
                  error = identity)
  expect_s3_class(err, "my_error")
  expect_equal(conditionMessage(err), "in the R function of layer 'lam' (Lambda): boom")
  model <- keras_model_sequential() %>% layer_lambda(oops, name = "lam2")
  err <- tryCatch(predict(model, x6, verbose = 0), error = identity)
  expect_s3_class(err, "my_error")
  expect_equal(conditionMessage(err), "in the R function of layer 'lam2' (Lambda): boom")
  # R stays usable: the same model predicts once the function is fine
  expect_equal(as.array((layer_lambda(f = function(x) x + 1))(as_tensor(x6, dtype = "float32"))), x6 + 1,
               ignore_attr = TRUE)
})

# A dense layer written in R, keras 3 style.
layer_my_dense <- new_layer_class(
  "MyDense",
  initialize = function(units, ...) {
    super$initialize(...)
    self$units <- units
  },
  build = function(input_shape) {
    self$kernel <- self$add_weight(name = "kernel", shape = c(input_shape[[2]], self$units),
                                   initializer = "glorot_uniform")
    self$bias <- self$add_weight(name = "bias", shape = self$units, initializer = "zeros")
  },
  call = function(inputs) tf$matmul(inputs, self$kernel) + self$bias,
  get_config = function() {
    config <- super$get_config()
    config$units <- self$units
    config
  }
)

test_that("a dense layer written in R matches layer_dense(): outputs and SGD trajectory", {
  skip_if_no_python()
  set.seed(2)
  x <- matrix(rnorm(30), 10)
  y <- matrix(rnorm(20), 10)
  w <- matrix(rnorm(6), 3)
  b <- c(0.1, -0.3)
  mine <- keras_model_sequential(input_shape = c(3)) %>% layer_my_dense(units = 2)
  builtin <- keras_model_sequential(input_shape = c(3)) %>% layer_dense(units = 2)
  for (m in list(mine, builtin)) {
    set_weights(m, list(w, array(b)))
    m %>% compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse")
  }
  expect_equal(predict(mine, x, verbose = 0), x %*% w + matrix(b, 10, 2, byrow = TRUE),
               tolerance = 1e-5, ignore_attr = TRUE)
  for (step in 1:3) {
    fit(mine, x, y, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
    fit(builtin, x, y, epochs = 1, batch_size = 5, shuffle = FALSE, verbose = 0)
    expect_equal(get_weights(mine), get_weights(builtin), tolerance = 1e-6)
  }
  expect_false(isTRUE(all.equal(get_weights(mine)[[1]], w)))
  # summary() counts its parameters: 3 x 2 + 2
  text <- capture.output(summary(mine))
  expect_true(any(grepl("^Total params: 8$", text)))
  expect_true(any(grepl("MyDense", text)))
})

test_that("a layer class works in functional models and when shared", {
  skip_if_no_python()
  shared <- layer_my_dense(units = 2, name = "shared")
  inputs <- layer_input(shape = c(2))
  outputs <- inputs %>% shared() %>% shared()
  model <- keras_model(inputs, outputs)
  w <- matrix(c(1, 2, -1, 0.5), 2)
  b <- c(0.5, -1)
  set_weights(model, list(w, array(b)))
  x <- matrix(c(1, 0, -2, 3), 2)
  once <- x %*% w + matrix(b, 2, 2, byrow = TRUE)
  expect_equal(predict(model, x, verbose = 0), once %*% w + matrix(b, 2, 2, byrow = TRUE),
               tolerance = 1e-5, ignore_attr = TRUE)
  expect_length(get_weights(model), 2)
})

test_that("keras 2 style: Layer(), super()$`__init__`(), create_layer(), create_layer_wrapper()", {
  skip_if_no_python()
  Affine <- Layer(
    "Affine",
    initialize = function(scale, ...) {
      super()$`__init__`(...)
      self$scale <- scale
    },
    build = function(input_shape) {
      self$shift <- self$add_weight(name = "shift", shape = list(input_shape[[2]]),
                                    initializer = "ones", trainable = FALSE)
    },
    call = function(inputs, training = NULL) {
      out <- inputs * self$scale + self$shift
      if (isTRUE(training)) out * 0 else out
    }
  )
  model <- keras_model_sequential(input_shape = c(3)) %>%
    create_layer(Affine, object = ., args = list(scale = 10))
  expect_equal(predict(model, x6, verbose = 0), x6 * 10 + 1, tolerance = 1e-6,
               ignore_attr = TRUE)
  layer <- model$layers[[1]]
  expect_equal(length(layer$non_trainable_weights), 1L)
  expect_equal(length(layer$trainable_weights), 0L)
  text <- capture.output(summary(model))
  expect_true(any(grepl("^Non-trainable params: 3$", text)))
  # `training` reaches call(): TRUE while fitting, so the output is 0 there
  out <- layer(as_tensor(x6, dtype = "float32"), training = TRUE)
  expect_equal(as.array(out), x6 * 0, ignore_attr = TRUE)
  layer_affine <- create_layer_wrapper(Affine)
  direct <- layer_affine(scale = 2)
  expect_equal(as.array(direct(as_tensor(x6, dtype = "float32"))), x6 * 2 + 1, tolerance = 1e-6,
               ignore_attr = TRUE)
  # a class made by Layer() makes a layer when called
  expect_equal(Affine(scale = 3)$scale, 3)
})

test_that("sub-layers and variables assigned to self are tracked; get/set_weights; freeze", {
  skip_if_no_python()
  layer_block <- new_layer_class(
    "Block",
    initialize = function(...) {
      super$initialize(...)
      self$inner <- layer_dense(units = 2, use_bias = FALSE)
      self$gain <- tf$Variable(array(2, dim = 1), dtype = "float32")
    },
    call = function(inputs) self$inner(inputs) * self$gain
  )
  model <- keras_model_sequential(input_shape = c(3)) %>% layer_block()
  weights <- get_weights(model)
  expect_length(weights, 2)
  w <- matrix(c(1, 0, 2, -1, 1, 0), 3)
  set_weights(model, list(array(3, dim = 1), w)[order(vapply(weights, length, 1))])
  got <- get_weights(model)
  kernel <- got[[which(vapply(got, length, 1) == 6)]]
  expect_equal(kernel, w, ignore_attr = TRUE)
  expect_equal(predict(model, x6, verbose = 0), x6 %*% w * 3, tolerance = 1e-5,
               ignore_attr = TRUE)
  freeze_weights(model)
  expect_length(model$trainable_weights, 0)
})

test_that("an R error in a method is that R error naming the method and the layer", {
  skip_if_no_python()
  layer_broken <- new_layer_class("Broken", call = function(inputs) stop("not today"))
  err <- tryCatch(layer_broken(as_tensor(x6, dtype = "float32"), name = "b1"), error = identity)
  expect_equal(conditionMessage(err), "in call() of layer 'b1' (Broken): not today")
  layer_null <- new_layer_class("GivesNull", call = function(inputs) NULL)
  err <- tryCatch(layer_null(as_tensor(x6, dtype = "float32"), name = "g1"), error = identity)
  expect_s3_class(err, "tensorbridge_error")
  expect_equal(conditionMessage(err), paste0(
    "TypeError: call() of layer 'g1' (GivesNull) must return a tensor (or a list of ",
    "tensors), not NULL"))
})

test_that("a model with a layer class and a lambda saves; loading needs the class and safe_mode = FALSE", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(3)) %>%
    layer_my_dense(units = 2) %>%
    layer_lambda(function(z) z * 3 - 1)
  model %>% compile(loss = "mse", optimizer = "sgd")
  path <- tempfile(fileext = ".tbm")
  on.exit(unlink(path))
  save_model(model, path)
  err <- tryCatch(load_model(path), error = identity)
  expect_equal(conditionMessage(err), paste0(
    "ValueError: ", path, " uses the custom layer class 'MyDense', which tensorbridge does not ",
    "define; pass it when loading: load_model(..., custom_objects = list(MyDense = MyDense)), ",
    "each name given the constructor new_layer_class() returned (or the class Layer() returned)"))
  err <- tryCatch(load_model(path, custom_objects = list(MyDense = layer_my_dense)),
                  error = identity)
  expect_equal(conditionMessage(err), paste0(
    "UnsafeCodeError: ", path, ": the model holds an R function (in the lambda layer '",
    model$layers[[2]]$name, "'), and restoring it would run code from the file; only if you ",
    "trust the file, load it with load_model(..., safe_mode = FALSE)"))
  again <- load_model(path, custom_objects = list(MyDense = layer_my_dense), safe_mode = FALSE)
  x <- matrix(rnorm(9), 3)
  expect_identical(predict(again, x, verbose = 0), predict(model, x, verbose = 0))
  expect_identical(get_weights(again), get_weights(model))
  # the same through serialize_model()
  bytes <- serialize_model(model)
  expect_error(unserialize_model(bytes, custom_objects = list(MyDense = layer_my_dense)),
               "the model holds an R function", class = "tensorbridge_error")
  copy <- unserialize_model(bytes, custom_objects = list(MyDense = layer_my_dense),
                            safe_mode = FALSE)
  expect_identical(predict(copy, x, verbose = 0), predict(model, x, verbose = 0))
})

test_that("with_custom_object_scope() gives every load inside it the classes", {
  skip_if_no_python()
  model <- keras_model_sequential(input_shape = c(3)) %>% layer_my_dense(units = 2)
  path <- tempfile(fileext = ".tbm")
  on.exit(unlink(path))
  save_model(model, path)
  x <- matrix(rnorm(6), 2)
  again <- with_custom_object_scope(list(MyDense = layer_my_dense), load_model(path))
  expect_identical(predict(again, x, verbose = 0), predict(model, x, verbose = 0))
  # the scope ends with the block
  expect_error(load_model(path), "uses the custom layer class 'MyDense'",
               class = "tensorbridge_error")
  expect_error(with_custom_object_scope(list(layer_my_dense), 1),
               "`objects` must be a named list", class = "tensorbridge_argument_error")
})

test_that("the gradient through a nonlinear layer written in R matches finite differences", {
  skip_if_no_python()
  # y = tanh(x %*% w) * exp(s): both weights non-trivial in the gradient
  layer_gated <- new_layer_class(
    "Gated",
    build = function(input_shape) {
      self$w <- self$add_weight(name = "w", shape = c(input_shape[[2]], 2),
                                initializer = "glorot_uniform")
      self$s <- self$add_weight(name = "s", shape = 2, initializer = "zeros")
    },
    call = function(inputs) k_tanh(k_dot(inputs, self$w)) * k_exp(self$s)
  )
  set.seed(3)
  x <- matrix(rnorm(15), 5)
  y <- matrix(rnorm(10), 5)
  model <- keras_model_sequential(input_shape = 3) %>% layer_gated()
  model %>% compile(optimizer = optimizer_sgd(learning_rate = 1), loss = "mse")
  set_weights(model, list(matrix(rnorm(6, sd = 0.5), 3), c(0.2, -0.1)))
  w <- get_weights(model)
  loss_at <- function(k, s) mean((tanh(x %*% k) * rep(exp(s), each = 5) - y)^2)
  h <- 1e-5
  fd_w <- w[[1]]
  for (i in seq_along(fd_w)) {
    e <- w[[1]] * 0
    e[i] <- h
    fd_w[i] <- (loss_at(w[[1]] + e, w[[2]]) - loss_at(w[[1]] - e, w[[2]])) / (2 * h)
  }
  fd_s <- vapply(1:2, function(i) {
    e <- c(0, 0)
    e[i] <- h
    (loss_at(w[[1]], w[[2]] + e) - loss_at(w[[1]], w[[2]] - e)) / (2 * h)
  }, 1)
  train_on_batch(model, x, y)  # SGD with rate 1: the step is the gradient
  after <- get_weights(model)
  expect_equal(w[[1]] - after[[1]], fd_w, tolerance = 1e-3)
  expect_equal(as.vector(w[[2]] - after[[2]]), fd_s, tolerance = 1e-3)
})
