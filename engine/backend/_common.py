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


def matmul_col2im(xp, g2, w2, padded_shape, kh, kw, sh, sw, dh, dw, oh, ow):
    """``col2im(g2 @ w2.T)`` without the (N*OH*OW, KH*KW*C) product: one matmul
    per kernel position, each added into the strided view of the input
    positions it touched. ``g2`` is (N*OH*OW, F), ``w2`` (KH*KW*C, F). This is
    a convolution's input gradient (and a transposed convolution's forward);
    the per-position products are small enough to stay in cache, where the
    whole product's strided reads were the slow part."""
    n, c = padded_shape[0], padded_shape[3]
    out = xp.zeros(padded_shape, dtype=g2.dtype)
    w3 = w2.reshape(kh * kw, c, w2.shape[-1])
    for i in range(kh):
        r0 = i * dh
        for j in range(kw):
            c0 = j * dw
            view = out[:, r0:r0 + sh * (oh - 1) + 1:sh, c0:c0 + sw * (ow - 1) + 1:sw, :]
            view += (g2 @ w3[i * kw + j].T).reshape(n, oh, ow, c)
    return out


def rng_normal(rng, shape, dtype):
    """Standard normal draws from a numpy Generator or a cupy RandomState (both
    have ``standard_normal(shape, dtype=)`` for float32/float64)."""
    if dtype in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=dtype)
    return rng.standard_normal(shape, dtype=np.float32).astype(dtype)
