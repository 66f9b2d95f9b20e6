# Bad input to layer_lambda() and the layer classes written in R: each case is
# an R expression and the exact message a user sees.

test_that("layer_lambda() names the bad argument", {
  expect_bad_inputs(list(
    bad(layer_lambda(f = 3), "layer_lambda(): `f` must be an R function, not 3."),
    bad(layer_lambda(), "layer_lambda(): `f` must be an R function of the input tensor."),
    bad(layer_lambda(f = function(x) x, output_shape = "a"),
        "layer_lambda(): `output_shape` must be positive whole numbers, NA for a size that can vary, not \"a\"."),
    bad(layer_lambda(f = function(x) x, mask = 3),
        "layer_lambda(): `mask` must be NULL, an R function function(inputs, mask) or a tensor, not 3."),
    bad(layer_lambda(f = function(x) x, arguments = list(1)),
        "layer_lambda(): `arguments` must be a named list of further arguments to `f` (or NULL), not a list of length 1."),
    bad(layer_lambda(f = function(x) x, name = 3),
        "layer_lambda(): `name` must be one string (or NULL), not 3.")
  ))
})

test_that("new_layer_class(), Layer(), create_layer() and create_layer_wrapper() name the bad argument", {
  expect_bad_inputs(list(
    bad(new_layer_class(3), "new_layer_class(): `classname` must be one string, not 3."),
    bad(new_layer_class("My Layer"),
        "new_layer_class(): `classname` must be a name such as \"MyLayer\" (letters, digits and underscores), not \"My Layer\"."),
    bad(new_layer_class("A", call = 3),
        "new_layer_class(): `call` must be an R function (a method of the class), not 3."),
    bad(new_layer_class("A", inherit = 3),
        "new_layer_class(): `inherit` must be a layer class made with new_layer_class() or Layer(), or a keras layer class such as keras$layers$Layer (or NULL), not 3."),
    bad(Layer("A", build = "x"),
        "Layer(): `build` must be an R function (a method of the class), not \"x\"."),
    bad(create_layer(3),
        "create_layer(): `layer_class` must be a layer class made with Layer() or new_layer_class(), not 3."),
    bad(create_layer_wrapper(function(x) x),
        "create_layer_wrapper(): `LayerClass` must be a layer class made with Layer() or new_layer_class(), not a function.")
  ))
})

test_that("mistakes inside a class's methods are errors naming the method and the layer", {
  skip_if_no_python()
  expect_bad_inputs(list(
    bad(create_layer(Layer("A"), args = list(1)),
        "create_layer(): `args` must be a named list of arguments for the class's initialize(), not a list of length 1."),
    bad(new_layer_class("NoSuper", initialize = function(...) self$a <- 1)(),
        paste0("RuntimeError: initialize() of NoSuper must call the base class's initializer: ",
               "add super$initialize(...) (keras 2: super()$`__init__`(...)) to it, passing on `...`")),
    bad(new_layer_class("BadShape", compute_output_shape = function(s) "x",
                        call = function(x) x)(layer_input(shape = 3), name = "bs"),
        paste0("TypeError: compute_output_shape() of layer 'bs' (BadShape) must return a shape ",
               "(e.g. list(NULL, 3)), not a string")),
    bad(new_layer_class("BadCfg", get_config = function() 3)(name = "bc")$get_config(),
        paste0("TypeError: get_config() of layer 'bc' (BadCfg) must return a named list (of the ",
               "layer's arguments), not a number")),
    bad(new_layer_class("W", build = function(s) self$add_weight(shape = "a"))(
          as_tensor(matrix(1, 1, 1)), name = "w1"),
        paste0("in build() of layer 'w1' (W): TypeError: add_weight(): `shape` must be whole ",
               "numbers (e.g. c(3, 4)); the sizes come from the input shape (build()'s ",
               "`input_shape`) or the layer's arguments"))
  ))
})

test_that("configs, JSON and YAML readers name the bad argument", {
  expect_bad_inputs(list(
    bad(from_config(list(), custom_objects = 3),
        "from_config(): `custom_objects` must be a named list of the classes and functions the model uses (or NULL), not 3."),
    bad(model_from_yaml(3), "model_from_yaml(): `yaml` must be one string, not 3."),
    bad(model_from_json("{}", custom_objects = list(1)),
        "model_from_json(): `custom_objects` must be a named list of the classes and functions the model uses (or NULL), not a list of length 1.")
  ))
})
