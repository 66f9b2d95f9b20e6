"""Layers written in R (bridge/rclasses.py), seen from Python."""

import numpy as np
from tensorbridge.engine import keras
from tensorbridge.engine.keras import saving
from tensorbridge.engine.keras.layers.base import KerasTensor


class _Halves(keras.layers.Layer):
    """A layer without compute_output_shape: the engine traces it."""

    def call(self, inputs):
        return inputs[:, :2] * 0.5


def test_output_shape_of_a_layer_without_compute_output_shape_is_traced():
    out = _Halves()(keras.Input(shape=(5,)))
    assert isinstance(out, KerasTensor)
    assert out.shape == (None, 2)


def test_the_loader_lists_layer_classes_it_does_not_know():
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {}},
        {"class_name": "MyDense", "config": {}},
        {"class_name": "Sequential", "config": {"layers": [
            {"class_name": "Scale", "config": {}}, {"class_name": "MyDense", "config": {}}]}}]}}
    assert sorted(saving._unknown_layer_classes(config, None)) == ["MyDense", "Scale"]
    assert saving._unknown_layer_classes(config, {"MyDense": object, "Scale": object}) == []


def test_a_dense_layer_written_in_r_computes_what_numpy_computes(r):
    r("""
      layer_my_dense <- new_layer_class("MyDenseP",
        initialize = function(units, ...) { super$initialize(...); self$units <- units },
        build = function(input_shape) {
          self$kernel <- self$add_weight(name = "kernel", shape = c(input_shape[[2]], self$units))
          self$bias <- self$add_weight(name = "bias", shape = self$units,
                                       initializer = "random_normal")
        },
        call = function(inputs) tf$matmul(inputs, self$kernel) + self$bias)
      layer <- layer_my_dense(units = 3)
      x <- matrix(c(1, 2, -1, 0.5, 3, -2), nrow = 2)
      y <- as.array(layer(as_tensor(x, dtype = "float32")))
      w <- get_weights(layer)
    """)
    x = np.asarray(r("x"))
    kernel, bias = (np.asarray(a) for a in r("w"))
    expected = x @ kernel + bias.reshape(-1)
    np.testing.assert_allclose(np.asarray(r("y")), expected, rtol=1e-5)
    # the R layer's Python class: a keras Layer named as in R, tracking its weights
    assert list(r('class(layer)'))[0] == "tensorbridge.r.MyDenseP"
    assert r("length(layer$trainable_weights)")[0] == 2
