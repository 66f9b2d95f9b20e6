# get_input_at() ... get_output_mask_at(): a shared layer's nodes are its calls,
# numbered from 1 as in keras R; the tensors are the very ones the calls
# returned, the shapes those of the tensors, and a model built on a node's
# output computes what base R computes from the layer's weights.

same_object <- function(a, b) tb_call("bridge.diagnostics.same", a, b)

test_that("a layer shared by two inputs has two nodes, in call order", {
  skip_if_no_python()
  shared <- layer_dense(units = 3)
  a <- layer_input(shape = 4)
  b <- layer_input(shape = 4)
  out_a <- shared(a)
  out_b <- shared(b)
  expect_true(same_object(get_input_at(shared, 1), a))
  expect_true(same_object(get_input_at(shared, 2), b))
  expect_true(same_object(get_output_at(shared, 1), out_a))
  expect_true(same_object(get_output_at(shared, 2), out_b))
  expect_false(same_object(get_output_at(shared, 1), out_b))
  expect_identical(get_input_shape_at(shared, 2), list(NULL, 4L))
  expect_identical(get_output_shape_at(shared, 1), list(NULL, 3L))
  expect_null(get_input_mask_at(shared, 1))
  expect_null(get_output_mask_at(shared, 2))

  # the second node's output, as a model: b %*% kernel + bias, from the weights
  model <- keras_model(list(a, b), get_output_at(shared, 2))
  w <- get_weights(shared)
  xa <- matrix(rnorm(8), 2, 4)
  xb <- matrix(rnorm(8), 2, 4)
  expect_equal(predict(model, list(xa, xb), verbose = 0),
               sweep(xb %*% w[[1]], 2, as.vector(w[[2]]), "+"), tolerance = 1e-5)
})

test_that("node shapes are those of each call's tensors", {
  skip_if_no_python()
  flat <- layer_flatten()
  a <- layer_input(shape = c(2, 3))
  b <- layer_input(shape = c(5, 4, 2))
  flat(a)
  flat(b)
  expect_identical(get_input_shape_at(flat, 1), list(NULL, 2L, 3L))
  expect_identical(get_input_shape_at(flat, 2), list(NULL, 5L, 4L, 2L))
  expect_identical(get_output_shape_at(flat, 1), list(NULL, 6L))
  expect_identical(get_output_shape_at(flat, 2), list(NULL, 40L))
})

test_that("a merge layer's node has a list of inputs; a model's first node is its graph", {
  skip_if_no_python()
  a <- layer_input(shape = 2)
  b <- layer_input(shape = 2)
  add <- layer_add()
  out <- add(list(a, b))
  ins <- get_input_at(add, 1)
  expect_length(ins, 2)
  expect_true(same_object(ins[[1]], a))
  expect_true(same_object(ins[[2]], b))
  expect_identical(get_input_shape_at(add, 1), list(list(NULL, 2L), list(NULL, 2L)))
  expect_identical(get_input_mask_at(add, 1), list(NULL, NULL))
  model <- keras_model(list(a, b), out)
  expect_true(same_object(get_output_at(model, 1), out))
  expect_identical(get_output_shape_at(model, 1), list(NULL, 2L))
})

test_that("masks of a node: an embedding with mask_zero masks what follows it", {
  skip_if_no_python()
  tokens <- layer_input(shape = 5)
  emb <- layer_embedding(input_dim = 10, output_dim = 3, mask_zero = TRUE)
  rnn <- layer_lstm(units = 2, return_sequences = TRUE)
  last <- layer_lstm(units = 2)
  tokens %>% emb() %>% rnn() %>% last()
  expect_null(get_input_mask_at(emb, 1))
  for (m in list(get_output_mask_at(emb, 1), get_input_mask_at(rnn, 1),
                 get_output_mask_at(rnn, 1), get_input_mask_at(last, 1))) {
    expect_identical(k_int_shape(m), list(NULL, 5L))
    expect_identical(k_dtype(m), "bool")
  }
  expect_null(get_output_mask_at(last, 1))   # the last step only: no mask
})

test_that("node_index out of range, or not a layer, is a clear error", {
  skip_if_no_python()
  env <- environment()
  shared <- layer_dense(units = 3, name = "shared_dense")
  a <- layer_input(shape = 4)
  shared(a)
  shared(a)
  lonely <- layer_dense(units = 3, name = "lonely_dense")
  once <- layer_dense(units = 3, name = "once_dense")
  once(a)
  expect_bad_inputs(list(
    bad(get_output_at(shared, 3), paste0(
      "get_output_at(): `node_index` must be from 1 to 2 (layer 'shared_dense' has 2 nodes, ",
      "one per call), not 3.")),
    bad(get_input_shape_at(once, 2), paste0(
      "get_input_shape_at(): `node_index` must be 1 (layer 'once_dense' has 1 node, one per ",
      "call), not 2.")),
    bad(get_input_at(lonely, 1), paste0(
      "get_input_at(): `node_index` must be a node of layer 'lonely_dense', but it has none ",
      "yet (a node is made each time the layer is called on a tensor from layer_input() or ",
      "another layer), not 1.")),
    bad(get_output_mask_at(shared, 0),
        "get_output_mask_at(): `node_index` must be one positive whole number, not 0."),
    bad(get_input_mask_at(shared, c(1, 2)),
        "get_input_mask_at(): `node_index` must be one positive whole number, not c(1, 2)."),
    bad(get_output_shape_at("dense", 1),
        "get_output_shape_at(): `object` must be a layer or a model, not \"dense\".")
  ), env)
})
