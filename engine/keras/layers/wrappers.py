"""Layer wrappers: Bidirectional (an RNN run both ways) and TimeDistributed."""

from ... import ops
from .base import Layer, shape_tuple


def _ser(layer):
    from . import serialize

    return serialize(layer)


def _deser(config, custom_objects=None):
    from . import deserialize

    return deserialize(config, custom_objects)


def _copy(layer, name, go_backwards=None, zero_output_for_mask=None):
    cfg = _ser(layer)
    c = dict(cfg["config"])
    c["name"] = name
    c.pop("batch_input_shape", None)
    if go_backwards is not None:
        c["go_backwards"] = go_backwards
    if zero_output_for_mask is not None:
        c["zero_output_for_mask"] = zero_output_for_mask
    return _deser({"class_name": cfg["class_name"], "config": c})


class Bidirectional(Layer):
    """Run a recurrent layer forwards and a copy backwards, and merge the outputs.

    ``merge_mode`` is 'concat' (default), 'sum', 'mul', 'ave' or None (a list of both).
    The weights are the forward layer's, then the backward layer's.  With
    ``return_sequences`` the backward outputs are flipped back into time order, and
    masked steps output zeros (``zero_output_for_mask``) so both directions agree.
    """

    supports_masking = True
    _MODES = ("concat", "sum", "mul", "ave", None)

    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        if isinstance(layer, dict):
            layer = _deser(layer)
        if isinstance(backward_layer, dict):
            backward_layer = _deser(backward_layer)
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError("Bidirectional: layer must be a recurrent layer (SimpleRNN, LSTM "
                             f"or GRU), got {type(layer).__name__}")
        if merge_mode not in self._MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of 'concat', 'sum', 'mul', "
                             f"'ave' or None, got {merge_mode!r}")
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs and \
                layer._batch_input_shape is not None:
            kwargs["batch_input_shape"] = layer._batch_input_shape
        super().__init__(**kwargs)
        self.layer = layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        zof = True if layer.return_sequences else None
        self.forward_layer = _copy(layer, f"forward_{layer.name}", zero_output_for_mask=zof)
        if backward_layer is None:
            self.backward_layer = _copy(layer, f"backward_{layer.name}",
                                        go_backwards=not layer.go_backwards,
                                        zero_output_for_mask=zof)
            self._custom_backward = None
        else:
            self.backward_layer = backward_layer
            self._custom_backward = backward_layer

    def _sublayers(self):
        return [self.forward_layer, self.backward_layer]

    def __call__(self, inputs, *args, initial_state=None, **kwargs):
        if initial_state is not None:  # part of the inputs, so a functional graph records it
            inputs = [inputs] + list(initial_state)
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape):
        self.forward_layer._maybe_build(input_shape)
        self.backward_layer._maybe_build(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        shapes = self.forward_layer.compute_output_shape(input_shape)
        out = shapes[0] if self.return_state else shapes
        out = shape_tuple(out)
        if self.merge_mode == "concat":
            out = out[:-1] + (None if out[-1] is None else 2 * out[-1],)
        outs = [out, out] if self.merge_mode is None else [out]
        if self.return_state:
            return outs + list(shapes[1:]) * 2
        return outs if self.merge_mode is None else out

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list):
            mask = mask[0]
        out = mask if self.return_sequences else None
        n_out = 2 if self.merge_mode is None else 1
        if self.return_state:
            return [out] * n_out + [None] * (2 * self.forward_layer._n_states)
        return [out, out] if n_out == 2 else out

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(mask, list):
            mask = mask[0]
        if isinstance(inputs, (list, tuple)):
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        fs = bs = None
        if initial_state:
            half = len(initial_state) // 2
            fs, bs = initial_state[:half], initial_state[half:]
        yf = self.forward_layer(inputs, mask=mask, training=training, initial_state=fs)
        yb = self.backward_layer(inputs, mask=mask, training=training, initial_state=bs)
        states = []
        if self.return_state:
            states = yf[1:] + yb[1:]
            yf, yb = yf[0], yb[0]
        if self.return_sequences:
            yb = ops.getitem(yb, (slice(None), slice(None, None, -1)))
        mode = self.merge_mode
        if mode == "concat":
            out = [ops.concat([yf, yb], axis=-1)]
        elif mode == "sum":
            out = [yf + yb]
        elif mode == "mul":
            out = [yf * yb]
        elif mode == "ave":
            out = [(yf + yb) * 0.5]
        else:
            out = [yf, yb]
        if self.return_state:
            return out + states
        return out[0] if len(out) == 1 else out

    def reset_states(self, states=None):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def get_config(self):
        cfg = super().get_config()
        cfg.update(layer=_ser(self.layer), merge_mode=self.merge_mode)
        if self._custom_backward is not None:
            cfg["backward_layer"] = _ser(self._custom_backward)
        return cfg

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = _deser(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = _deser(config["backward_layer"], custom_objects)
        if config.get("batch_input_shape") is not None:
            config["batch_input_shape"] = tuple(config["batch_input_shape"])
        return cls(**config)


class TimeDistributed(Layer):
    """Apply ``layer`` to every time step: (batch, steps, ...) -> (batch, steps, ...')."""

    supports_masking = True

    def __init__(self, layer, **kwargs):
        if isinstance(layer, dict):
            layer = _deser(layer)
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: layer must be a keras layer, got "
                             f"{type(layer).__name__}")
        super().__init__(**kwargs)
        self.layer = layer

    def _sublayers(self):
        return [self.layer]

    def _inner(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(f"TimeDistributed {self.name!r} expects input of rank >= 3 (batch, "
                             f"timesteps, ...), got input shape {tuple(input_shape)}")
        return (None,) + tuple(input_shape[2:])

    def build(self, input_shape):
        self.layer._maybe_build(self._inner(input_shape))
        self.built = True

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape(self._inner(input_shape))
        return (input_shape[0], input_shape[1]) + tuple(inner[1:])

    def call(self, inputs, training=None):
        n, t = inputs.shape[0], inputs.shape[1]
        if inputs.ndim < 3:
            self._inner(inputs.shape)
        x = ops.reshape(inputs, (n * t,) + tuple(inputs.shape[2:]))
        y = self.layer(x, training=training)
        return ops.reshape(y, (n, t) + tuple(y.shape[1:]))

    def get_config(self):
        cfg = super().get_config()
        cfg["layer"] = _ser(self.layer)
        return cfg

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = _deser(config["layer"], custom_objects)
        if config.get("batch_input_shape") is not None:
            config["batch_input_shape"] = tuple(config["batch_input_shape"])
        return cls(**config)
