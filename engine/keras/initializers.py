"""``keras.initializers``: weight initial values as numpy arrays (keras' formulas).

Random draws come from the engine's random streams, so ``tf.random.set_seed``
makes them reproducible; an initializer's own ``seed`` fixes its draws.
"""

import math

import numpy as np

from .. import random as _random
from ._registry import Configurable, resolve, serialize

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeNormal",
           "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal", "Identity", "get"]


def _fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer(Configurable):
    """Base class: ``init(shape, dtype)`` returns a numpy array."""

    def __call__(self, shape, dtype="float32"):  # pragma: no cover - abstract
        raise NotImplementedError


def _np_dtype(dtype):
    return np.dtype(getattr(dtype, "np", dtype) or "float32")


class Zeros(Initializer):
    def __call__(self, shape, dtype="float32"):
        return np.zeros(shape, _np_dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype="float32"):
        return np.ones(shape, _np_dtype(dtype))


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype="float32"):
        return np.broadcast_to(np.asarray(self.value, _np_dtype(dtype)), shape).copy()

    def get_config(self):
        v = self.value
        return {"value": v.tolist() if hasattr(v, "tolist") else v}


class _Random(Initializer):
    def __init__(self, seed=None):
        self.seed = seed

    def _normal(self, shape, dtype):
        return _random.normal(shape, dtype=dtype, seed=self.seed, device="cpu").numpy()

    def _uniform(self, shape, lo, hi, dtype):
        return _random.uniform(shape, lo, hi, dtype=dtype, seed=self.seed, device="cpu").numpy()

    def _truncated(self, shape, dtype):
        return _random.truncated_normal(shape, dtype=dtype, seed=self.seed, device="cpu").numpy()

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_Random):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype="float32"):
        a = self._normal(shape, _np_dtype(dtype))
        return (a * self.stddev + self.mean).astype(_np_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_Random):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype="float32"):
        return self._uniform(shape, self.minval, self.maxval, _np_dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(_Random):
    """N(mean, stddev) with draws beyond two standard deviations redrawn."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype="float32"):
        a = self._truncated(shape, _np_dtype(dtype))
        return (a * self.stddev + self.mean).astype(_np_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(_Random):
    """keras' VarianceScaling: scale / fan, truncated normal (stddev corrected by .8796), ..."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"mode {mode!r}; expected 'fan_in', 'fan_out' or 'fan_avg'")
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"distribution {distribution!r}; expected 'truncated_normal', "
                             "'untruncated_normal' or 'uniform'")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype="float32"):
        shape = tuple(int(s) for s in shape)
        dt = _np_dtype(dtype)
        fan_in, fan_out = _fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            std = math.sqrt(scale) / 0.87962566103423978
            return (self._truncated(shape, dt) * std).astype(dt)
        if self.distribution == "untruncated_normal":
            return (self._normal(shape, dt) * math.sqrt(scale)).astype(dt)
        limit = math.sqrt(3.0 * scale)
        return self._uniform(shape, -limit, limit, dt)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _fixed(name, scale, mode, distribution):
    class _Init(VarianceScaling):
        def __init__(self, seed=None):
            super().__init__(scale, mode, distribution, seed)

        def get_config(self):
            return {"seed": self.seed}

    _Init.__name__ = _Init.__qualname__ = name
    return _Init


GlorotUniform = _fixed("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _fixed("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeNormal = _fixed("HeNormal", 2.0, "fan_in", "truncated_normal")
HeUniform = _fixed("HeUniform", 2.0, "fan_in", "uniform")
LecunNormal = _fixed("LecunNormal", 1.0, "fan_in", "truncated_normal")
LecunUniform = _fixed("LecunUniform", 1.0, "fan_in", "uniform")


class Orthogonal(_Random):
    """A (scaled) orthogonal matrix from the QR decomposition of a normal draw."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype="float32"):
        shape = tuple(int(s) for s in shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs a shape of rank >= 2, got {shape}")
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        a = self._normal((max(rows, cols), min(rows, cols)), np.float64)
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q[:rows, :cols]).reshape(shape).astype(_np_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype="float32"):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2-D shape, got {tuple(shape)}")
        return (self.gain * np.eye(*shape)).astype(_np_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


_TABLE = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "he_normal": HeNormal, "he_uniform": HeUniform,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform, "orthogonal": Orthogonal,
    "identity": Identity,
}
_TABLE.update({cls.__name__: cls for cls in list(_TABLE.values())})


def get(identifier, custom_objects=None):
    """An initializer from a name, a config dict, a class, an instance or a callable."""
    if callable(identifier) and not isinstance(identifier, type):
        return identifier
    return resolve("initializer", identifier, _TABLE, custom_objects)


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)


__all__ += ["serialize", "deserialize"]
