"""``keras.constraints``: projections applied to a weight after each optimizer update.

A constraint maps a numpy (or cupy) array to the projected array; the model
writes the result back into the variable in place.
"""

from ._registry import Configurable, resolve, serialize

__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "max_norm", "non_neg",
           "unit_norm", "min_max_norm", "get", "serialize"]

_EPS = 1e-7  # keras' backend.epsilon()


def _norms(xp, w, axis):
    return xp.sqrt(xp.sum(w * w, axis=axis, keepdims=True))


class Constraint(Configurable):
    def __call__(self, w):
        return w


def _xp(w):
    import numpy as np

    return np if isinstance(w, np.ndarray) else __import__("cupy")


class MaxNorm(Constraint):
    """Rescale so the norm along ``axis`` (default 0: each unit's incoming weights) <= max."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        xp = _xp(w)
        n = _norms(xp, w, self.axis)
        desired = xp.clip(n, 0, self.max_value)
        return w * (desired / (_EPS + n))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    def __call__(self, w):
        return w * (w >= 0)


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        xp = _xp(w)
        return w / (_EPS + _norms(xp, w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        xp = _xp(w)
        n = _norms(xp, w, self.axis)
        desired = self.rate * xp.clip(n, self.min_value, self.max_value) + (1 - self.rate) * n
        return w * (desired / (_EPS + n))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm

_TABLE = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
          "min_max_norm": MinMaxNorm, "MaxNorm": MaxNorm, "NonNeg": NonNeg,
          "UnitNorm": UnitNorm, "MinMaxNorm": MinMaxNorm}


def get(identifier, custom_objects=None):
    if callable(identifier) and not isinstance(identifier, type):
        return identifier
    return resolve("constraint", identifier, _TABLE, custom_objects)


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)


__all__ += ["deserialize"]
_ = serialize
