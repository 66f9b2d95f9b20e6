"""Tensor dtypes with TensorFlow-style names (``tf.float32.name == "float32"``)."""

import numpy as np

from .errors import InvalidDTypeError


class DType:
    """A tensor element type; compares equal to its name and numpy dtype."""

    __slots__ = ("name", "np", "kind", "_hash")

    def __init__(self, name):
        self.name = name
        self.np = np.dtype(name)
        self.kind = self.np.kind
        self._hash = hash(name)

    @property
    def as_numpy_dtype(self):
        return self.np.type

    @property
    def is_floating(self):
        return self.kind == "f"

    @property
    def is_integer(self):
        return self.kind in "iu"

    @property
    def is_bool(self):
        return self.kind == "b"

    @property
    def size(self):
        return self.np.itemsize

    @property
    def min(self):
        return np.finfo(self.np).min if self.is_floating else (
            False if self.is_bool else np.iinfo(self.np).min)

    @property
    def max(self):
        return np.finfo(self.np).max if self.is_floating else (
            True if self.is_bool else np.iinfo(self.np).max)

    def __eq__(self, other):
        if other is self:
            return True
        try:
            return as_dtype(other) is self
        except (InvalidDTypeError, TypeError):
            return False

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return f"tb.{self.name}"

    def __reduce__(self):
        return (as_dtype, (self.name,))


float16 = DType("float16")
float32 = DType("float32")
float64 = DType("float64")
int8 = DType("int8")
int16 = DType("int16")
int32 = DType("int32")
int64 = DType("int64")
uint8 = DType("uint8")
bool_ = DType("bool")

half = float16
double = float64

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool_)
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"float": float64, "double": float64, "half": float16, "bool_": bool_})
#: numpy dtype -> DType; the hot path looks dtypes up here.
FROM_NP = {d.np: d for d in _ALL}

floatx = float32  # Keras' default float type


def as_dtype(value):
    """Convert a DType, name, numpy dtype or Python type to a :class:`DType`."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str):
        d = _BY_NAME.get(value)
        if d is not None:
            return d
    elif value is bool:
        return bool_
    elif value is int:
        return int32
    elif value is float:
        return float64
    try:
        d = FROM_NP.get(np.dtype(value))
    except TypeError:
        d = None
    if d is None:
        raise InvalidDTypeError(
            f"as_dtype: unsupported dtype {value!r}; expected one of "
            f"{', '.join(x.name for x in _ALL)}")
    return d


def from_numpy(np_dtype, op="convert_to_tensor"):
    d = FROM_NP.get(np_dtype)
    if d is None:
        raise InvalidDTypeError(
            f"{op}: unsupported dtype {np_dtype}; expected one of "
            f"{', '.join(x.name for x in _ALL)}")
    return d
