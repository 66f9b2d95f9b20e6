"""CPU backend on numpy."""

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided as _as_strided

from . import _common

name = "cpu"
xp = np


def asarray(value, dtype=None):
    return np.asarray(value, dtype=dtype)


def from_host(array):
    return array


def to_host(array):
    return array


def synchronize():
    pass


def writeable(array):
    """Return ``array`` or a copy of it that may be written in place."""
    if array.flags.writeable:
        return array
    return array.copy()


def scatter_add(target, index, values):
    np.add.at(target, index, values)


try:  # scipy is optional; fall back to the exact math.erf, vectorised.
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - depends on the environment
    _erf_u = np.frompyfunc(math.erf, 1, 1)

    def _erf(x):
        return _erf_u(x).astype(x.dtype)


def erf(x):
    return _erf(x)


def lgamma(x):
    from scipy.special import gammaln

    return gammaln(x).astype(x.dtype, copy=False)


def polygamma(n, x):
    """digamma (n = 0) and its derivatives."""
    from scipy.special import polygamma as _polygamma
    from scipy.special import psi

    return (psi(x) if n == 0 else _polygamma(n, x)).astype(x.dtype, copy=False)


def windows(x, kh, kw, sh, sw, dh, dw, oh, ow):
    return _common.windows(np, x, kh, kw, sh, sw, dh, dw, oh, ow, _as_strided)


def col2im(cols, padded_shape, kh, kw, sh, sw, dh, dw):
    return _common.col2im(np, cols, padded_shape, kh, kw, sh, sw, dh, dw)


def matmul_col2im(g2, w2, padded_shape, kh, kw, sh, sw, dh, dw, oh, ow):
    return _common.matmul_col2im(np, g2, w2, padded_shape, kh, kw, sh, sw, dh, dw, oh, ow)


# -- random streams -------------------------------------------------------------
def make_rng(seed):
    return np.random.default_rng(seed)


rng_normal = _common.rng_normal


def rng_uniform(rng, shape, dtype):
    if dtype in (np.float32, np.float64):
        return rng.random(shape, dtype=dtype)
    return rng.random(shape, dtype=np.float32).astype(dtype)


def rng_integers(rng, low, high, shape, dtype):
    return rng.integers(low, high, size=shape, dtype=dtype)
