"""The :class:`Tensor` (an immutable value on a device) and :class:`Variable`.

A Tensor wraps one backend array (``numpy.ndarray`` on the CPU, ``cupy.ndarray``
on CUDA).  Most methods and all Python operators are attached by
:mod:`tensorbridge.engine.ops`, which builds them from a few primitives.
"""

import numbers

import numpy as np

from . import dtypes
from .device import CPU, current_device, get_device
from .errors import InvalidArgumentError, InvalidDTypeError, shape_str

_FROM_NP = dtypes.FROM_NP
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


class Tensor:
    """An n-dimensional array on a device, with autograd bookkeeping.

    ``_node`` is the autograd node that produced it (``None`` for leaves) and
    ``_rg`` says whether gradients flow through it (trainable variable, watched
    tensor, or recorded op output).
    """

    __slots__ = ("_data", "_dev", "_node", "_rg", "__weakref__")
    __array_priority__ = 1000
    __array_ufunc__ = None  # make ``ndarray <op> Tensor`` defer to Tensor

    def __init__(self, value, dtype=None, device=None):
        t = convert_to_tensor(value, dtype=dtype, device=device)
        self._data, self._dev, self._node, self._rg = t._data, t._dev, None, False

    @staticmethod
    def _make(data, dev):
        t = _new(Tensor)
        t._data = data
        t._dev = dev
        t._node = None
        t._rg = False
        return t

    # -- metadata ---------------------------------------------------------------
    @property
    def shape(self):
        return self._data.shape

    def get_shape(self):
        return self._data.shape

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def rank(self):
        return self._data.ndim

    @property
    def dtype(self):
        return _FROM_NP[self._data.dtype]

    @property
    def device(self):
        return self._dev.name

    @property
    def trainable(self):
        return False

    # -- conversion -------------------------------------------------------------
    def numpy(self):
        """The value as a numpy array: the underlying array on the CPU (no copy)."""
        if self._dev is CPU:
            return self._data
        return self._dev.backend.to_host(self._data)

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        if dtype is not None and a.dtype != dtype:
            return a.astype(dtype)
        if copy:
            return a.copy()
        return a

    def to(self, device):
        """This tensor on ``device`` (itself if already there); differentiable."""
        dev = get_device(device)
        if dev is self._dev:
            return self
        from .autograd import to_device

        return to_device(self, dev)

    def cpu(self):
        return self.to(CPU)

    def cuda(self, index=0):
        return self.to(f"cuda:{index}")

    def item(self):
        return self.numpy().item()

    def tolist(self):
        return self.numpy().tolist()

    # -- Python protocol -----------------------------------------------------------
    __hash__ = object.__hash__  # tensors stay usable as dict keys (identity)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        for i in range(self._data.shape[0]):
            yield self[i]

    def __bool__(self):
        if self._data.size != 1:
            raise InvalidArgumentError(
                f"bool: the truth value of a tensor of shape {shape_str(self.shape)} is "
                "ambiguous; expected a single element (use reduce_any / reduce_all)")
        return bool(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __index__(self):
        if self._data.dtype.kind not in "iu":
            raise InvalidDTypeError(f"__index__: expected an integer tensor, got {self.dtype.name}")
        return int(self.numpy())

    def __repr__(self):
        return f"<tb.Tensor: shape={self.shape}, dtype={self.dtype.name}, {_numpy_repr(self)}>"

    def __str__(self):
        sep = "\n" if self._data.ndim else ""
        return f"tb.Tensor({sep}{self.numpy()}, shape={self.shape}, dtype={self.dtype.name})"

    def __reduce__(self):
        return (_rebuild, (self.numpy(), self.device))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return Tensor._make(self._data.copy(), self._dev)


_new = object.__new__


def _rebuild(array, device_name):
    dev = get_device(device_name)
    return Tensor._make(dev.backend.from_host(array), dev)


def _numpy_repr(t):
    a = t.numpy()
    if a.ndim == 0:
        return f"numpy={a.item()!r}"
    return "numpy=\n" + np.array_repr(a)


# -- conversion -----------------------------------------------------------------
def _is_cupy(value):
    return type(value).__module__.startswith("cupy")


def _infer_python(value, op):
    """numpy array for a Python scalar / nested list with TF's dtype rules."""
    if isinstance(value, bool):
        return np.asarray(value)
    if isinstance(value, numbers.Integral):
        v = int(value)
        return np.asarray(v, dtype=np.int32 if _INT32_MIN <= v <= _INT32_MAX else np.int64)
    if isinstance(value, numbers.Real):
        return np.asarray(value, dtype=np.float32)
    try:
        a = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise InvalidArgumentError(f"{op}: cannot convert {type(value).__name__} to a tensor "
                                   f"({exc}); expected a number, nested list or array") from exc
    k = a.dtype.kind
    if k == "f":
        return a.astype(np.float32)
    if k in "iu" and a.dtype.itemsize == 8:
        if a.size == 0 or (a.min() >= _INT32_MIN and a.max() <= _INT32_MAX):
            return a.astype(np.int32)
        return a
    if k == "O" and isinstance(value, (list, tuple)) and value:
        # a list holding tensors (maybe on another device): go through the host
        return _infer_python([np.asarray(v) for v in value], op)
    return a


def convert_to_tensor(value, dtype=None, device=None, name=None, dtype_hint=None):
    """Turn ``value`` into a Tensor (zero-copy for a CPU numpy array of the same dtype).

    Without ``dtype``: numpy arrays keep their dtype, Python floats (and lists of
    them) become float32, Python ints int32, bools bool.  With a different
    ``dtype`` the data is cast (copied).
    """
    if type(value) is Tensor or isinstance(value, Tensor):
        t = value
        if device is not None and get_device(device) is not t._dev:
            t = t.to(device)
        if dtype is not None:
            d = dtypes.as_dtype(dtype)
            if d.np != t._data.dtype:
                from .ops import cast

                t = cast(t, d)
        return t
    dev = current_device() if device is None else get_device(device)
    if isinstance(value, np.ndarray):
        a = value
    elif _is_cupy(value):
        if dev is CPU and device is None:
            dev = get_device(f"cuda:{value.device.id}")
        a = value
    elif isinstance(value, np.generic):
        a = np.asarray(value)
    else:
        a = _infer_python(value, "convert_to_tensor")
        if dtype is not None and a.dtype.kind == "f" and dtypes.as_dtype(dtype).np.kind in "iu":
            a = np.asarray(value, dtype=np.float64)  # exact for ints up to 2**53
        if dtype is None and dtype_hint is not None:
            hint = dtypes.as_dtype(dtype_hint)
            if a.dtype.kind != "f" or hint.is_floating:
                dtype = hint
    if dtype is not None:
        d = dtypes.as_dtype(dtype).np
        if a.dtype != d:
            if a.dtype.kind == "f" and d.kind in "iub" and not isinstance(value, np.ndarray) \
                    and np.any(a != np.trunc(a)):
                raise InvalidDTypeError(
                    f"convert_to_tensor: cannot convert the float value {value!r} to "
                    f"{d.name}; expected integral values")
            if d.kind in "iu" and a.dtype.kind in "fiu" and a.size:
                _check_int_range(a, d)
            a = a.astype(d)
    elif a.dtype not in _FROM_NP:
        if a.dtype.kind == "U" or a.dtype.kind == "S" or a.dtype.kind == "O":
            raise InvalidDTypeError(
                f"convert_to_tensor: unsupported dtype {a.dtype} of shape {shape_str(a.shape)}; "
                "expected a numeric or bool array")
        dtypes.from_numpy(a.dtype)
    if dev is CPU:
        if not isinstance(a, np.ndarray):
            a = a.get()
    elif isinstance(a, np.ndarray):
        a = dev.backend.from_host(a)
    return Tensor._make(a, dev)


def _check_int_range(a, d, op="convert_to_tensor"):
    """Refuse a cast to an integer dtype that would wrap around (or turn NaN into a number)."""
    info = np.iinfo(d)
    if a.dtype.kind != "f" and np.iinfo(a.dtype).min >= info.min and \
            np.iinfo(a.dtype).max <= info.max:
        return
    lo, hi = a.min().item(), a.max().item()
    if a.dtype.kind == "f" and lo != lo:
        raise InvalidArgumentError(
            f"{op}: cannot convert NaN to {d.name}; expected finite values (or a "
            "float dtype)")
    if lo < info.min or hi > info.max:
        bad = lo if lo < info.min else hi
        alt = "int64 or a float dtype" if d.itemsize < 8 else "a float dtype"
        raise InvalidArgumentError(
            f"{op}: the value {bad!r} does not fit in {d.name} ({info.min} .. "
            f"{info.max}); expected values in that range, or dtype {alt}")


# -- variables --------------------------------------------------------------------
_VAR_COUNT = [0]


class Variable(Tensor):
    """A mutable tensor; trainable variables are watched by every GradientTape."""

    __slots__ = ("_trainable", "_name")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None, device=None):
        if callable(initial_value):
            initial_value = initial_value()
        t = convert_to_tensor(initial_value, dtype=dtype, device=device)
        data = t._data.copy()
        self._data, self._dev, self._node = data, t._dev, None
        self._trainable = bool(trainable)
        self._rg = self._trainable and data.dtype.kind == "f"
        if name is None:
            _VAR_COUNT[0] += 1
            name = "Variable" if _VAR_COUNT[0] == 1 else f"Variable_{_VAR_COUNT[0] - 1}"
        self._name = name

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self._rg = self._trainable and self._data.dtype.kind == "f"

    @property
    def name(self):
        return f"{self._name}:0"

    def numpy(self):
        """A snapshot of the value (a copy: the variable may change later)."""
        if self._dev is CPU:
            return self._data.copy()
        return self._dev.backend.to_host(self._data)

    def value(self):
        return Tensor._make(self._data, self._dev) if not self._rg else _read(self)

    def read_value(self):
        return self.value()

    def _value_array(self, value, op):
        t = convert_to_tensor(value, dtype=self.dtype, device=self._dev)
        a = t._data
        if a.shape != self._data.shape:
            try:
                a = self._dev.xp.broadcast_to(a, self._data.shape)
            except ValueError:
                raise InvalidArgumentError(
                    f"{op}: value of shape {shape_str(a.shape)} does not match variable "
                    f"'{self._name}' of shape {shape_str(self._data.shape)}; expected the same "
                    "shape") from None
        return a

    def assign(self, value, read_value=True):
        a = self._value_array(value, "assign")
        self._dev.xp.copyto(self._data, a)
        return self

    def assign_add(self, delta, read_value=True):
        a = self._value_array(delta, "assign_add")
        self._dev.xp.add(self._data, a, out=self._data)
        return self

    def assign_sub(self, delta, read_value=True):
        a = self._value_array(delta, "assign_sub")
        self._dev.xp.subtract(self._data, a, out=self._data)
        return self

    def __repr__(self):
        return (f"<tb.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                f"{_numpy_repr(self)}>")

    def __deepcopy__(self, memo):
        return Variable(self, trainable=self._trainable, name=self._name)

    def __reduce__(self):
        return (Variable, (self.numpy(), self._trainable, self._name))


def _read(var):
    from .ops import identity

    return identity(var)
