"""Kernels written once against the numpy API; numpy and cupy share them."""

import numpy as np


def windows(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, as_strided):
    """im2col view of an NHWC array: shape (N, OH, OW, KH, KW, C), no copy."""
    n, _, _, c = x.shape
    s0, s1, s2, s3 = x.strides
    return as_strided(x, shape=(n, oh, ow, kh, kw, c),
                      strides=(s0, s1 * sh, s2 * sw, s1 * dh, s2 * dw, s3))


def col2im(xp, cols, padded_shape, kh, kw, sh, sw, dh, dw):
    """Adjoint of :func:`windows`: sum (N, OH, OW, KH, KW, C) back into NHWC."""
    out = xp.zeros(padded_shape, dtype=cols.dtype)
    oh, ow = cols.shape[1], cols.shape[2]
    for i in range(kh):
        r0 = i * dh
        for j in range(kw):
            c0 = j * dw
            out[:, r0:r0 + sh * (oh - 1) + 1:sh, c0:c0 + sw * (ow - 1) + 1:sw, :] += \
                cols[:, :, :, i, j, :]
    return out


def rng_normal(rng, shape, dtype):
    """Standard normal draws from a numpy Generator or a cupy RandomState (both
    have ``standard_normal(shape, dtype=)`` for float32/float64)."""
    if dtype in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=dtype)
    return rng.standard_normal(shape, dtype=np.float32).astype(dtype)
