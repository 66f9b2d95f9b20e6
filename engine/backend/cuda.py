"""CUDA backend on cupy, imported lazily by :func:`load`.

Written against cupy's numpy-compatible API; nothing here runs unless cupy
imports and a GPU is present.
"""

import numpy as np

from ..errors import UnavailableError
from . import _common

name = "cuda"
xp = None
_cupyx = None
_as_strided = None
_erf = None


def load():
    global xp, _cupyx, _as_strided, _erf
    if xp is not None:
        return
    try:
        import cupy
        import cupyx
        from cupy.lib.stride_tricks import as_strided
    except Exception as exc:  # ImportError, or a broken CUDA install
        raise UnavailableError(f"cuda backend: cupy is not importable ({exc})") from exc
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        raise UnavailableError(f"cuda backend: no usable GPU ({exc})") from exc
    if count < 1:
        raise UnavailableError("cuda backend: cupy imported but no GPU is present")
    try:
        from cupyx.scipy.special import erf as cupy_erf
    except Exception:  # pragma: no cover
        cupy_erf = None
    xp, _cupyx, _as_strided, _erf = cupy, cupyx, as_strided, cupy_erf


def device_count():
    return xp.cuda.runtime.getDeviceCount()


def use_device(index):
    return xp.cuda.Device(index)


def asarray(value, dtype=None):
    return xp.asarray(value, dtype=dtype)


def from_host(array):
    return xp.asarray(array)


def to_host(array):
    return xp.asnumpy(array)


def synchronize():
    xp.cuda.Device().synchronize()


def writeable(array):
    return array


def scatter_add(target, index, values):
    _cupyx.scatter_add(target, index, values)


def erf(x):
    if _erf is not None:
        return _erf(x)
    return xp.asarray(np.vectorize(__import__("math").erf)(xp.asnumpy(x)), dtype=x.dtype)


def lgamma(x):
    from cupyx.scipy.special import gammaln

    return gammaln(x).astype(x.dtype, copy=False)


def polygamma(n, x):
    """digamma (n = 0) and its derivatives."""
    from cupyx.scipy.special import digamma
    from cupyx.scipy.special import polygamma as _polygamma

    return (digamma(x) if n == 0 else _polygamma(n, x)).astype(x.dtype, copy=False)


def windows(x, kh, kw, sh, sw, dh, dw, oh, ow):
    return _common.windows(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, _as_strided)


def col2im(cols, padded_shape, kh, kw, sh, sw, dh, dw):
    return _common.col2im(xp, cols, padded_shape, kh, kw, sh, sw, dh, dw)


def matmul_col2im(g2, w2, padded_shape, kh, kw, sh, sw, dh, dw, oh, ow):
    return _common.matmul_col2im(xp, g2, w2, padded_shape, kh, kw, sh, sw, dh, dw, oh, ow)


# -- random streams -------------------------------------------------------------
def make_rng(seed):
    return xp.random.RandomState(seed)


rng_normal = _common.rng_normal


def rng_uniform(rng, shape, dtype):
    if dtype in (np.float32, np.float64):
        return rng.random_sample(shape, dtype=dtype)
    return rng.random_sample(shape, dtype=np.float32).astype(dtype)


def rng_integers(rng, low, high, shape, dtype):
    return rng.randint(low, high, size=shape, dtype=dtype)
