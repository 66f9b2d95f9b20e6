"""``keras.Sequential``: a plain stack of layers, each fed the previous one's output."""

from .layers.base import InputLayer, KerasTensor, Layer, shape_tuple, unique_name
from .model import Model


class Sequential(Model):
    """``Sequential([Dense(…), …])`` or ``add()`` layer by layer.

    It is built (weights made) as soon as the input shape is known: from
    ``input_shape=`` on the first layer, an ``Input``/``InputLayer`` added
    first, ``build(input_shape)``, or the first data it sees.
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        super().__init__(name=name or unique_name("sequential"), trainable=trainable, **kwargs)
        self._seq = []
        self._build_shape = None
        self._shapes = []  # output shape of each layer once built
        self._input_layer_name = None
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self):
        return list(self._seq)

    def add(self, layer):
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._seq:
                raise ValueError("Sequential.add: an Input must come before any layer")
            self._build_shape = layer._batch_input_shape
            self._input_layer_name = layer.name
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a keras layer, got "
                            f"{type(layer).__name__}")
        if any(layer.name == other.name for other in self._seq):
            raise ValueError(f"Sequential.add: the model already has a layer named "
                             f"{layer.name!r}; layer names must be unique")
        self._seq.append(layer)
        if len(self._seq) == 1 and self._build_shape is None and \
                layer._batch_input_shape is not None:
            self._build_shape = layer._batch_input_shape
        if self._build_shape is None:
            return
        if len(self._shapes) == len(self._seq) - 1:
            # the layers before are built: build only the new one (adding n
            # layers one by one stays linear in n)
            shape = self._shapes[-1] if self._shapes else shape_tuple(self._build_shape)
            layer._maybe_build(shape)
            self._shapes.append(layer.compute_output_shape(shape))
            self.built = True
        else:
            self.build(self._build_shape)

    def pop(self):
        if not self._seq:
            raise ValueError("Sequential.pop: the model has no layers to remove")
        layer = self._seq.pop()
        if self._shapes:
            self._shapes.pop()
        return layer

    def build(self, input_shape=None):
        shape = shape_tuple(input_shape if input_shape is not None else self._build_shape)
        if shape is None:
            raise ValueError("Sequential.build: give an input shape, e.g. (None, 784)")
        self._build_shape = shape
        shapes = []
        for layer in self._seq:
            layer._maybe_build(shape)
            shape = layer.compute_output_shape(shape)
            shapes.append(shape)
        self._shapes = shapes
        self.built = bool(self._seq)

    def _build_from_data(self, xs):
        if not self._seq:
            raise ValueError("the Sequential model has no layers; add layers before using it")
        self.build((None,) + tuple(xs[0].shape[1:]))

    def _input_shapes(self):
        return [self._build_shape] if self._build_shape is not None else None

    @property
    def input_names(self):
        return [self._input_layer_name or (self._seq[0].name + "_input" if self._seq
                                           else "input")]

    @property
    def output_names(self):
        return [self._seq[-1].name] if self._seq else ["output"]

    @property
    def input_shape(self):
        return self._build_shape

    @property
    def output_shape(self):
        if not self._shapes:
            raise AttributeError("the Sequential model is not built yet")
        return self._shapes[-1]

    def call(self, inputs, training=None):
        x = inputs
        for layer in self._seq:
            x = layer(x, training=training)
        return x

    def compute_output_shape(self, input_shape):
        if not self.built or tuple(input_shape[1:]) != tuple(self._build_shape[1:]):
            self.build(input_shape)
        return self._shapes[-1]

    def get_config(self):
        from . import layers as _layers

        return {"name": self.name,
                "layers": [_layers.serialize(layer) for layer in self._seq],
                "build_input_shape": None if self._build_shape is None
                else list(self._build_shape)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from . import layers as _layers

        model = cls(name=config.get("name"))
        for lc in config["layers"]:
            model.add(_layers.deserialize(lc, custom_objects))
        if not model.built and config.get("build_input_shape") is not None:
            model.build(tuple(config["build_input_shape"]))
        return model
