"""``tensorbridge.engine.keras``: keras-style models on the tensorbridge engine.

Names and arguments mirror ``tf.keras`` so the R package maps keras' R
functions one to one::

    from tensorbridge.engine import keras
    model = keras.Sequential([keras.layers.Dense(256, activation="relu", input_shape=(784,)),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=128, epochs=10, validation_split=0.2)
"""

from . import (
    activations,
    callbacks,
    constraints,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from .layers import Input, Layer
from .model import Model
from .sequential import Sequential

layers.register(Model)
layers.register(Sequential)
layers._CLASSES["Functional"] = Model

__all__ = ["Input", "Layer", "Model", "Sequential", "activations", "callbacks", "constraints",
           "datasets", "initializers", "layers", "losses", "metrics", "models", "optimizers",
           "regularizers", "utils"]
