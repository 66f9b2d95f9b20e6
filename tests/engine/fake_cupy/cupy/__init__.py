"""Numpy-backed stand-in for cupy (test wiring only; see ../README.md)."""

import types

import numpy as _np

from . import (
    lib,  # noqa: F401
    random,  # noqa: F401
)

ndarray = _np.ndarray


def asnumpy(a):
    return _np.array(a, copy=True)


def asarray(a, dtype=None):
    if isinstance(a, _np.ndarray) and (dtype is None or a.dtype == dtype):
        return a
    return _np.array(a, dtype=dtype)  # a "transfer" copies, like a host-to-device copy


class _Device:
    def __init__(self, index=0):
        self.id = index

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        pass


cuda = types.SimpleNamespace(
    runtime=types.SimpleNamespace(getDeviceCount=lambda: 1),
    Device=_Device,
)


def __getattr__(name):
    return getattr(_np, name)
