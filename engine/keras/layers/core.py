"""Core layers: Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector,
GaussianNoise, GaussianDropout, ActivityRegularization."""

import numpy as np

from ... import ops
from ... import random as _random
from .. import _kernels
from .. import _validate as _v
from .. import activations as _activations
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers
from .._registry import serialize
from .base import Layer


def _act_name(fn):
    name = _activations.serialize(fn)
    return name if name in _kernels.FUSED_ACTIVATIONS else None


def set_kernel_and_bias_options(layer, use_bias, kernel_initializer, bias_initializer,
                                kernel_regularizer, bias_regularizer, activity_regularizer,
                                kernel_constraint, bias_constraint):
    """The options of a layer with a kernel and an optional bias (Dense, the
    convolutions), resolved from names or objects; the weights come in ``build``."""
    layer.use_bias = _v.boolean(type(layer).__name__, "use_bias", use_bias)
    layer.kernel_initializer = _initializers.get(kernel_initializer)
    layer.bias_initializer = _initializers.get(bias_initializer)
    layer.kernel_regularizer = _regularizers.get(kernel_regularizer)
    layer.bias_regularizer = _regularizers.get(bias_regularizer)
    layer.activity_regularizer = _regularizers.get(activity_regularizer)
    layer.kernel_constraint = _constraints.get(kernel_constraint)
    layer.bias_constraint = _constraints.get(bias_constraint)
    layer.kernel = layer.bias = None


def kernel_and_bias_config(layer) -> dict:
    """The config entries of :func:`set_kernel_and_bias_options`'s options."""
    return dict(
        use_bias=layer.use_bias, kernel_initializer=serialize(layer.kernel_initializer),
        bias_initializer=serialize(layer.bias_initializer),
        kernel_regularizer=serialize(layer.kernel_regularizer),
        bias_regularizer=serialize(layer.bias_regularizer),
        activity_regularizer=serialize(layer.activity_regularizer),
        kernel_constraint=serialize(layer.kernel_constraint),
        bias_constraint=serialize(layer.bias_constraint))


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``; relu/sigmoid/tanh/linear run as one fused op."""

    supports_masking = True

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.units = _v.positive_int("Dense", "units", units)
        self.activation = _v.activation("Dense", activation)
        self._fused = _act_name(self.activation)
        set_kernel_and_bias_options(
            self, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint)

    def build(self, input_shape):
        last = input_shape[-1]
        if last is None:
            raise ValueError(f"Dense {self.name!r}: the last dimension of the input must be "
                             f"known, got input shape {tuple(input_shape)}")
        self.kernel = self.add_weight("kernel", (last, self.units), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"Dense {self.name!r} expects inputs with {self.kernel.shape[0]} columns (last "
                f"dimension) but got shape {tuple(inputs.shape)}")
        if self._fused is not None:
            y = _kernels.dense(inputs, self.kernel, self.bias, self._fused)
        else:
            y = self.activation(_kernels.dense(inputs, self.kernel, self.bias, "linear"))
        if self.activity_regularizer is not None:
            self._add_activity_loss(self.activity_regularizer, y)
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(units=self.units, activation=_activations.serialize(self.activation),
                   **kernel_and_bias_config(self))
        return cfg


class Activation(Layer):
    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = _v.activation("Activation", activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg["activation"] = _activations.serialize(self.activation)
        return cfg


class _ParametrizedActivation(Layer):
    """An activation with settings of its own (keras' ReLU, LeakyReLU, ELU,
    Softmax layers): ``_settings`` names them; ``call`` applies
    ``_function(inputs, **settings)``."""

    supports_masking = True
    _settings = ()

    def call(self, inputs):
        return type(self)._function(inputs, **{k: getattr(self, k) for k in self._settings})

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update({k: getattr(self, k) for k in self._settings})
        return cfg


class ReLU(_ParametrizedActivation):
    """keras' ReLU layer: ``max_value`` caps, below ``threshold`` the slope is
    ``negative_slope``."""

    _settings = ("max_value", "negative_slope", "threshold")

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = _v.non_negative("ReLU", "max_value", max_value, none_ok=True)
        self.negative_slope = _v.non_negative("ReLU", "negative_slope", negative_slope)
        self.threshold = _v.number("ReLU", "threshold", threshold)

    @staticmethod
    def _function(x, max_value, negative_slope, threshold):
        return _activations.relu(x, negative_slope=negative_slope, max_value=max_value,
                                 threshold=threshold)


class LeakyReLU(_ParametrizedActivation):
    """keras 2's LeakyReLU: slope ``alpha`` (default 0.3) below zero."""

    _settings = ("alpha",)

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _v.non_negative("LeakyReLU", "alpha", alpha)

    @staticmethod
    def _function(x, alpha):
        return _activations.leaky_relu(x, negative_slope=alpha)


class ELU(_ParametrizedActivation):
    """keras' ELU layer: ``alpha * (exp(x) - 1)`` below zero."""

    _settings = ("alpha",)

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _v.number("ELU", "alpha", alpha)

    @staticmethod
    def _function(x, alpha):
        return _activations.elu(x, alpha=alpha)


class Softmax(_ParametrizedActivation):
    """keras' Softmax layer along ``axis`` (Python's convention, -1 the last)."""

    _settings = ("axis",)

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = _v.integer("Softmax", "axis", axis)

    @staticmethod
    def _function(x, axis):
        return _activations.softmax(x, axis=axis)


class Dropout(Layer):
    """Zero a ``rate`` fraction of inputs (scaling the rest) while training; identity else."""

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        rate = _v.rate(type(self).__name__, "rate", rate)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=None):
        if not training or self.rate == 0.0:
            return inputs
        ns = None
        if self.noise_shape is not None:
            ns = tuple(inputs.shape[i] if d is None else int(d)
                       for i, d in enumerate(self.noise_shape))
        return _kernels.dropout(inputs, self.rate, seed=self.seed, noise_shape=ns)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update(rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return cfg


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        n = None if any(d is None for d in rest) else int(np.prod(rest, dtype=np.int64))
        return (input_shape[0], n)


def _target_shape(value):
    expected = "a sequence of positive integers (at most one -1 for an inferred size)"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        value = [value] if _v._as_int(value) is not None else value
        if not isinstance(value, list):
            _v._fail("Reshape", "target_shape", expected, value)
    dims = [_v._as_int(d) for d in value]
    if any(d is None or (d < 1 and d != -1) for d in dims) or dims.count(-1) > 1:
        _v._fail("Reshape", "target_shape", expected, value)
    return tuple(dims)


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = _target_shape(target_shape)

    def _resolve(self, rest):
        tgt = list(self.target_shape)
        size = int(np.prod(rest, dtype=np.int64))
        if tgt.count(-1) > 1:
            raise ValueError(f"Reshape: at most one -1 in target_shape, got {self.target_shape}")
        if -1 in tgt:
            known = int(np.prod([d for d in tgt if d != -1], dtype=np.int64))
            if known == 0 or size % known:
                raise ValueError(f"Reshape: cannot reshape {tuple(rest)} into "
                                 f"{self.target_shape}")
            tgt[tgt.index(-1)] = size // known
        if int(np.prod(tgt, dtype=np.int64)) != size:
            raise ValueError(
                f"Reshape {self.name!r}: input of shape {tuple(rest)} ({size} values per row) "
                f"cannot become {self.target_shape}; the total size must stay the same")
        return tuple(tgt)

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0],) + self._resolve(inputs.shape[1:]))

    def compute_output_shape(self, input_shape):
        if any(d is None for d in input_shape[1:]):
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        return (input_shape[0],) + self._resolve(input_shape[1:])

    def get_config(self):
        cfg = super().get_config()
        cfg["target_shape"] = list(self.target_shape)
        return cfg


class Permute(Layer):
    """Permute the non-batch dimensions; ``dims`` counts from 1 like keras."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute: dims must be a permutation of 1..{len(self.dims)}, "
                             f"got {self.dims}")

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        cfg = super().get_config()
        cfg["dims"] = list(self.dims)
        return cfg


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = _v.positive_int("RepeatVector", "n", n)

    def call(self, inputs):
        x = ops.expand_dims(inputs, 1)
        return ops.broadcast_to(x, (inputs.shape[0], self.n, inputs.shape[1]))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        cfg = super().get_config()
        cfg["n"] = self.n
        return cfg


class GaussianNoise(Layer):
    """Add N(0, stddev**2) noise while training."""

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev, self.seed = _v.non_negative("GaussianNoise", "stddev", stddev), seed

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        noise = _random.normal(inputs.shape, stddev=self.stddev, dtype=inputs.dtype,
                               seed=self.seed, device=inputs._dev)
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update(stddev=self.stddev, seed=self.seed)
        return cfg


class GaussianDropout(Layer):
    """Multiply by N(1, rate / (1 - rate)) noise while training."""

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.seed = _v.rate("GaussianDropout", "rate", rate), seed

    def call(self, inputs, training=None):
        if not training or not 0 < self.rate < 1:
            return inputs
        std = float(np.sqrt(self.rate / (1.0 - self.rate)))
        noise = _random.normal(inputs.shape, mean=1.0, stddev=std, dtype=inputs.dtype,
                               seed=self.seed, device=inputs._dev)
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update(rate=self.rate, seed=self.seed)
        return cfg


class ActivityRegularization(Layer):
    """Identity that adds l1 * sum|x| + l2 * sum x**2 of its input, divided by the
    batch size (keras 2's activity regularization), to the loss."""

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(**kwargs)
        self.l1, self.l2 = float(l1), float(l2)
        self._reg = _regularizers.L1L2(self.l1, self.l2)

    def call(self, inputs):
        if self.l1 or self.l2:
            self._add_activity_loss(self._reg, inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update(l1=self.l1, l2=self.l2)
        return cfg
