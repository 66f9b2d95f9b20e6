"""``tf.nn``: activations, softmax/cross-entropies, conv, pooling, dropout, moments.

Hot activations, softmax and the cross-entropies are fused primitives (stable
for extreme logits); the rest are compositions of :mod:`.ops`.
"""

import math

import numpy as np

from . import ops
from . import random as _random
from .autograd import Function
from .errors import InvalidArgumentError, InvalidDTypeError, OutOfRangeError, shape_str
from .ops import _axis, _backend_of, _need_float, _t, _unary
from .tensor import Tensor

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "softplus", "softsign", "silu",
           "swish", "sigmoid", "tanh", "softmax", "log_softmax", "dropout", "moments",
           "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits", "conv1d", "conv2d", "max_pool1d", "max_pool2d",
           "avg_pool1d", "avg_pool2d", "embedding_lookup", "bias_add", "l2_loss"]

sigmoid = ops.sigmoid
tanh = ops.tanh

def _mask(g, m):
    """``g`` where the (constant) mask ``m`` holds, else 0, as a recorded op."""
    return ops.where(Tensor._make(m, g._dev), g, ops.zeros_like(g))


def _pos(x):
    return Tensor._make(x._data > 0, x._dev)


# -- activations ------------------------------------------------------------------------
relu = _unary("relu", lambda xp, x: xp.maximum(x, 0), lambda xp, x, y, g: g * (x > 0),
              vjp=lambda x, g: _mask(g, x._data > 0))
relu6 = _unary("relu6", lambda xp, x: xp.clip(x, 0, 6),
               lambda xp, x, y, g: g * ((x > 0) & (x < 6)),
               vjp=lambda x, g: _mask(g, (x._data > 0) & (x._data < 6)))
_leaky = _unary("leaky_relu", lambda xp, x, alpha: xp.where(x > 0, x, x * alpha),
                lambda xp, x, y, g, alpha: xp.where(x > 0, g, g * alpha),
                vjp=lambda x, g, alpha: ops.where(_pos(x), g, g * alpha))
_elu = _unary("elu", lambda xp, x: xp.where(x > 0, x, xp.expm1(xp.minimum(x, 0))),
              lambda xp, x, y, g: xp.where(x > 0, g, g * (y + 1)),
              vjp=lambda x, g: ops.where(_pos(x), g, g * ops.exp(ops.minimum(x, 0))))
_SELU_A, _SELU_S = 1.6732632423543772, 1.0507009873554805
selu = _unary("selu",
              lambda xp, x: _SELU_S * xp.where(x > 0, x, _SELU_A * xp.expm1(xp.minimum(x, 0))),
              lambda xp, x, y, g: xp.where(x > 0, g * _SELU_S, g * (y + _SELU_S * _SELU_A)),
              vjp=lambda x, g: ops.where(_pos(x), g * _SELU_S,
                                         g * (_SELU_S * _SELU_A) * ops.exp(ops.minimum(x, 0))))
softplus = _unary("softplus",
                  lambda xp, x: xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x))),
                  lambda xp, x, y, g: g * (0.5 + 0.5 * xp.tanh(0.5 * x)),
                  vjp=lambda x, g: g * ops.sigmoid(x))
softsign = _unary("softsign", lambda xp, x: x / (1 + xp.abs(x)),
                  lambda xp, x, y, g: g / xp.square(1 + xp.abs(x)),
                  vjp=lambda x, g: g / ops.square(1 + ops.abs(x)))


def _silu_bwd(xp, x, y, g):
    s = 0.5 + 0.5 * xp.tanh(0.5 * x)
    return g * (s * (1 + x * (1 - s)))


def _silu_vjp(x, g):
    s = ops.sigmoid(x)
    return g * (s * (1 + x * (1 - s)))


silu = _unary("silu", lambda xp, x: x * (0.5 + 0.5 * xp.tanh(0.5 * x)), _silu_bwd,
              vjp=_silu_vjp)


def swish(features, beta=1.0, name=None):
    return silu(features) if beta == 1.0 else features * ops.sigmoid(features * beta)


def leaky_relu(features, alpha=0.2, name=None):
    return _leaky(features, alpha=float(alpha))


def elu(features, name=None):
    return _elu(features)


_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _gelu_fwd(xp, x):
    return 0.5 * x * (1 + _backend_of(xp).erf(x * _INV_SQRT2))


def _gelu_bwd(xp, x, y, g):
    cdf = 0.5 * (1 + _backend_of(xp).erf(x * _INV_SQRT2))
    return g * (cdf + x * _INV_SQRT_2PI * xp.exp(-0.5 * x * x))


def _gelu_vjp(x, g):
    cdf = 0.5 * (1 + ops.erf(x * _INV_SQRT2))
    return g * (cdf + x * _INV_SQRT_2PI * ops.exp(-0.5 * x * x))


_gelu_exact = _unary("gelu", _gelu_fwd, _gelu_bwd, vjp=_gelu_vjp)


def gelu(features, approximate=False, name=None):
    if not approximate:
        return _gelu_exact(features)
    x = _t(features, "gelu")
    _need_float(x, "gelu")
    inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + ops.tanh(inner))


# -- softmax family ------------------------------------------------------------------------
def _log_softmax(xp, x, axis):
    m = xp.max(x, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)
    z = x - m
    return z - xp.log(xp.sum(xp.exp(z), axis=axis, keepdims=True))


class _Softmax(Function):
    name = "softmax"

    @staticmethod
    def forward(ctx, x, axis):
        xp = ctx.xp
        e = xp.exp(x - xp.max(x, axis=axis, keepdims=True))
        e /= xp.sum(e, axis=axis, keepdims=True)
        ctx.y, ctx.axis = e, axis
        return e

    @staticmethod
    def backward(ctx, g):
        y = ctx.y
        return (y * (g - (g * y).sum(axis=ctx.axis, keepdims=True)),)

    @staticmethod
    def vjp(ctx, g):
        y = softmax(ctx.parents[0], ctx.axis)
        return (y * (g - ops.reduce_sum(g * y, ctx.axis, keepdims=True)),)


class _LogSoftmax(Function):
    name = "log_softmax"

    @staticmethod
    def forward(ctx, x, axis):
        y = _log_softmax(ctx.xp, x, axis)
        ctx.y, ctx.axis = y, axis
        return y

    @staticmethod
    def backward(ctx, g):
        return (g - ctx.xp.exp(ctx.y) * g.sum(axis=ctx.axis, keepdims=True),)

    @staticmethod
    def vjp(ctx, g):
        y = softmax(ctx.parents[0], ctx.axis)
        return (g - y * ops.reduce_sum(g, ctx.axis, keepdims=True),)


def _float_axis(x, axis, op):
    x = _t(x, op)
    _need_float(x, op)
    if x._data.ndim == 0:
        raise InvalidArgumentError(f"{op}: expected a tensor of rank >= 1, got shape ()")
    return x, _axis(axis, x._data.ndim, op, x.shape)


def softmax(logits, axis=None, name=None):
    x, a = _float_axis(logits, -1 if axis is None else axis, "softmax")
    return _Softmax.apply(x, axis=a)


def log_softmax(logits, axis=None, name=None):
    x, a = _float_axis(logits, -1 if axis is None else axis, "log_softmax")
    return _LogSoftmax.apply(x, axis=a)


class _SoftmaxXent(Function):
    name = "softmax_cross_entropy_with_logits"

    @staticmethod
    def forward(ctx, labels, logits, axis):
        xp = ctx.xp
        lsm = _log_softmax(xp, logits, axis)
        ctx.lsm, ctx.labels, ctx.axis = lsm, labels, axis
        return -xp.sum(labels * lsm, axis=axis)

    @staticmethod
    def backward(ctx, g):
        xp, labels, axis = ctx.xp, ctx.labels, ctx.axis
        ge = xp.expand_dims(g, axis)
        gl = None
        if ctx.needs[1]:
            total = labels.sum(axis=axis, keepdims=True)
            gl = ge * (xp.exp(ctx.lsm) * total - labels)
        return (-ge * ctx.lsm if ctx.needs[0] else None), gl


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along ``axis``; stable for any finite logits."""
    x = _t(logits, "softmax_cross_entropy_with_logits")
    _need_float(x, "softmax_cross_entropy_with_logits")
    y = ops._like(labels, x, "softmax_cross_entropy_with_logits")
    if y._data.dtype != x._data.dtype:
        y = ops.cast(y, x.dtype)
    if y.shape != x.shape:
        raise InvalidArgumentError(
            f"softmax_cross_entropy_with_logits: labels are {shape_str(y.shape)}, logits are "
            f"{shape_str(x.shape)}; expected labels.shape == logits.shape")
    a = _axis(axis, x._data.ndim, "softmax_cross_entropy_with_logits", x.shape)
    return _SoftmaxXent.apply(y, x, axis=a)


class _SparseXent(Function):
    name = "sparse_softmax_cross_entropy_with_logits"

    @staticmethod
    def forward(ctx, logits, labels):
        xp = ctx.xp
        lsm = _log_softmax(xp, logits, -1)
        ctx.lsm, ctx.labels = lsm, labels
        return -xp.take_along_axis(lsm, labels[..., None], axis=-1)[..., 0]

    @staticmethod
    def backward(ctx, g):
        xp, lsm = ctx.xp, ctx.lsm
        hot = ctx.labels[..., None] == xp.arange(lsm.shape[-1])
        return (g[..., None] * (xp.exp(lsm) - hot),)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """-log_softmax(logits)[label] for integer class labels of shape logits.shape[:-1]."""
    op = "sparse_softmax_cross_entropy_with_logits"
    x = _t(logits, op)
    _need_float(x, op)
    lab = labels.to(x._dev) if isinstance(labels, Tensor) else _t(labels, op).to(x._dev)
    if lab._data.dtype.kind not in "iu":
        raise InvalidDTypeError(f"{op}: labels must be integers, got {lab.dtype.name} of shape "
                                f"{shape_str(lab.shape)}")
    if x._data.ndim == 0 or lab.shape != x.shape[:-1]:
        raise InvalidArgumentError(
            f"{op}: labels are {shape_str(lab.shape)}, logits are {shape_str(x.shape)}; expected "
            "labels.shape == logits.shape[:-1]")
    n = x.shape[-1]
    la = lab._data
    if la.size and bool((la.min() < 0) | (la.max() >= n)):
        bad = int(la[(la < 0) | (la >= n)].reshape(-1)[0])
        raise OutOfRangeError(f"{op}: label {bad} is out of range for logits of shape "
                              f"{shape_str(x.shape)}; expected 0 <= label < {n}")
    return _SparseXent.apply(x, labels=la)


class _SigmoidXent(Function):
    name = "sigmoid_cross_entropy_with_logits"

    @staticmethod
    def forward(ctx, z, x):
        xp = ctx.xp
        ctx.z, ctx.x = z, x
        return xp.maximum(x, 0) - x * z + xp.log1p(xp.exp(-xp.abs(x)))

    @staticmethod
    def backward(ctx, g):
        xp, x = ctx.xp, ctx.x
        gx = g * (0.5 + 0.5 * xp.tanh(0.5 * x) - ctx.z) if ctx.needs[1] else None
        return (-g * x if ctx.needs[0] else None), gx


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise logistic loss max(x, 0) - x*z + log1p(exp(-|x|)); stable for any logits."""
    op = "sigmoid_cross_entropy_with_logits"
    if labels is None or logits is None:
        raise InvalidArgumentError(f"{op}: both labels and logits are required")
    x = _t(logits, op)
    _need_float(x, op)
    z = ops._like(labels, x, op)
    if z._data.dtype != x._data.dtype:
        z = ops.cast(z, x.dtype)
    if z.shape != x.shape:
        raise InvalidArgumentError(f"{op}: labels are {shape_str(z.shape)}, logits are "
                                   f"{shape_str(x.shape)}; expected labels.shape == logits.shape")
    return _SigmoidXent.apply(z, x)


# -- misc --------------------------------------------------------------------------------------
def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero elements with probability ``rate`` and scale the rest by 1 / (1 - rate)."""
    x = _t(x, "dropout")
    _need_float(x, "dropout")
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise InvalidArgumentError(f"dropout: rate {rate} for x of shape {shape_str(x.shape)}; "
                                   "expected 0 <= rate < 1")
    if rate == 0.0:
        return x
    shape = x.shape if noise_shape is None else tuple(int(s) for s in noise_shape)
    u = _random.uniform(shape, dtype=x.dtype, seed=seed, device=x._dev)
    scale = x._data.dtype.type(1.0 / (1.0 - rate))
    mask = (u._data >= rate) * scale
    return ops.multiply(x, Tensor._make(mask.astype(x._data.dtype, copy=False), x._dev))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of ``x`` over ``axes``."""
    x = _t(x, "moments")
    _need_float(x, "moments")
    mean = ops.reduce_mean(x, axes, keepdims=True)
    var = ops.reduce_mean(ops.square(x - mean), axes, keepdims=True)
    if not keepdims:
        mean, var = ops.squeeze(mean, axes), ops.squeeze(var, axes)
    return mean, var


def embedding_lookup(params, ids, max_norm=None, name=None):
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise InvalidArgumentError("embedding_lookup: sharded params are not supported; "
                                       "expected a single tensor")
        params = params[0]
    return ops.gather(params, ids, axis=0)


def bias_add(value, bias, data_format=None, name=None):
    v, b = _t(value, "bias_add"), _t(bias, "bias_add")
    if b._data.ndim != 1 or v._data.ndim < 1 or v.shape[-1] != b.shape[0]:
        raise InvalidArgumentError(f"bias_add: value is {shape_str(v.shape)}, bias is "
                                   f"{shape_str(b.shape)}; expected bias of shape "
                                   "(value.shape[-1],)")
    return ops.add(v, b)


def l2_loss(t, name=None):
    return ops.reduce_sum(ops.square(t)) * 0.5


# -- convolution and pooling -----------------------------------------------------------------
def _pair_arg(v, op, what, n=2):
    """An int or list of length 1, n or n + 2 (TF's [1, sh, sw, 1]) -> n ints."""
    if isinstance(v, Tensor):
        v = v.numpy().tolist()
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = [int(i) for i in v]
    if len(v) == 1:
        return (v[0],) * n
    if len(v) == n:
        return tuple(v)
    if len(v) == n + 2:
        return tuple(v[1:-1])
    raise InvalidArgumentError(f"{op}: {what} {v} has length {len(v)}; expected 1, {n} or {n + 2}")


def _geometry(op, size, k, s, d, padding, dim):
    """(output size, pad before, pad after) along one spatial dimension."""
    if s < 1 or d < 1 or k < 1:
        raise InvalidArgumentError(f"{op}: kernel {k}, stride {s}, dilation {d}; expected all "
                                   ">= 1")
    eff = (k - 1) * d + 1
    if isinstance(padding, str):
        p = padding.upper()
        if p == "VALID":
            before = after = 0
        elif p == "SAME":
            out = -(-size // s)
            total = max((out - 1) * s + eff - size, 0)
            before, after = total // 2, total - total // 2
        else:
            raise InvalidArgumentError(f"{op}: padding {padding!r}; expected 'SAME', 'VALID' or "
                                       "explicit [[before, after], ...] pairs")
    else:
        before, after = padding[dim]
    out = (size + before + after - eff) // s + 1
    if out < 1:
        raise InvalidArgumentError(
            f"{op}: window of effective size {eff} (kernel {k}, dilation {d}) is larger than the "
            f"padded input size {size + before + after}; expected kernel fitting the input")
    return out, before, after


def _explicit(padding, op):
    if isinstance(padding, str):
        return padding
    p = [tuple(int(v) for v in pair) for pair in padding]
    if len(p) == 4:
        p = p[1:3]
    if len(p) != 2:
        raise InvalidArgumentError(f"{op}: explicit padding {padding!r}; expected 4 (NHWC) or 2 "
                                   "[before, after] pairs")
    return p


class _Conv2D(Function):
    name = "conv2d"

    @staticmethod
    def forward(ctx, x, w, geo):
        xp = ctx.xp
        be = _backend_of(xp)
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = geo
        if pt or pb or pl or pr:
            x = xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
        n, c, o = x.shape[0], x.shape[3], w.shape[3]
        cols = be.windows(x, kh, kw, sh, sw, dh, dw, oh, ow).reshape(n * oh * ow, kh * kw * c)
        w2 = w.reshape(kh * kw * c, o)
        ctx.cols, ctx.w2, ctx.wshape, ctx.xpshape, ctx.geo = cols, w2, w.shape, x.shape, geo
        return (cols @ w2).reshape(n, oh, ow, o)

    @staticmethod
    def backward(ctx, g):
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = ctx.geo
        g2 = g.reshape(-1, g.shape[-1])
        gw = (ctx.cols.T @ g2).reshape(ctx.wshape) if ctx.needs[1] else None
        gx = None
        if ctx.needs[0]:
            n, hp, wp, c = ctx.xpshape
            gx = _backend_of(ctx.xp).matmul_col2im(g2, ctx.w2, ctx.xpshape, kh, kw, sh, sw,
                                                   dh, dw, oh, ow)
            if pt or pb or pl or pr:
                gx = gx[:, pt:hp - pb, pl:wp - pr, :]
        return gx, gw


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """2-D convolution (cross-correlation): input NHWC, filters (KH, KW, C_in, C_out)."""
    op = "conv2d"
    if data_format not in (None, "NHWC"):
        raise InvalidArgumentError(f"{op}: data_format {data_format!r}; expected 'NHWC'")
    x, w = ops._pair(_t(input, op), _t(filters, op), op)
    _need_float(x, op)
    if x._data.ndim != 4 or w._data.ndim != 4:
        raise InvalidArgumentError(
            f"{op}: input is {shape_str(x.shape)}, filters are {shape_str(w.shape)}; expected "
            "input of rank 4 (N, H, W, C) and filters of rank 4 (KH, KW, C_in, C_out)")
    if x.shape[3] != w.shape[2]:
        raise InvalidArgumentError(
            f"{op}: input channels differ: input is {shape_str(x.shape)}, filters are "
            f"{shape_str(w.shape)}; expected input.shape[3] == filters.shape[2]")
    sh, sw = _pair_arg(strides, op, "strides")
    dh, dw = _pair_arg(1 if dilations is None else dilations, op, "dilations")
    padding = _explicit(padding, op)
    kh, kw = w.shape[0], w.shape[1]
    oh, pt, pb = _geometry(op, x.shape[1], kh, sh, dh, padding, 0)
    ow, pl, pr = _geometry(op, x.shape[2], kw, sw, dw, padding, 1)
    return _Conv2D.apply(x, w, geo=(kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow))


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """1-D convolution: input (N, W, C), filters (KW, C_in, C_out); via conv2d with H = 1."""
    op = "conv1d"
    if data_format not in (None, "NWC"):
        raise InvalidArgumentError(f"{op}: data_format {data_format!r}; expected 'NWC'")
    x, w = _t(input, op), _t(filters, op)
    if x._data.ndim != 3 or w._data.ndim != 3:
        raise InvalidArgumentError(
            f"{op}: input is {shape_str(x.shape)}, filters are {shape_str(w.shape)}; expected "
            "input of rank 3 (N, W, C) and filters of rank 3 (KW, C_in, C_out)")
    if x.shape[2] != w.shape[1]:
        raise InvalidArgumentError(
            f"{op}: input channels differ: input is {shape_str(x.shape)}, filters are "
            f"{shape_str(w.shape)}; expected input.shape[2] == filters.shape[1]")
    s = _pair_arg(stride, op, "stride", n=1)[0]
    d = _pair_arg(1 if dilations is None else dilations, op, "dilations", n=1)[0]
    if not isinstance(padding, str):
        p = [tuple(int(v) for v in pair) for pair in padding]
        padding = [(0, 0), p[-2] if len(p) == 3 else p[0]]
    y = conv2d(ops.expand_dims(x, 1), ops.expand_dims(w, 0), strides=(1, s), padding=padding,
               dilations=(1, d))
    return ops.squeeze(y, 1)


def _window_views(x, kh, kw, sh, sw, oh, ow):
    """For each window position (i, j), row-major: the strided view of NHWC
    ``x`` holding that position of every output pixel's window."""
    for i in range(kh):
        for j in range(kw):
            yield x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]


class _Pool2D(Function):
    @staticmethod
    def forward(ctx, x, geo, is_max):
        xp = ctx.xp
        be = _backend_of(xp)
        kh, kw, sh, sw, pt, pb, pl, pr, oh, ow = geo
        padded = pt or pb or pl or pr
        if padded:
            fillv = -np.inf if is_max else 0
            x = xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fillv)
        ctx.geo, ctx.xpshape, ctx.is_max = geo, x.shape, is_max
        if is_max:
            # one pass per window position over strided views: the running max,
            # and which position holds it (the first, on ties, as argmax)
            best = idx = None
            for k, view in enumerate(_window_views(x, kh, kw, sh, sw, oh, ow)):
                if best is None:
                    best = view.copy()
                    idx = xp.zeros(best.shape, dtype=xp.uint8 if kh * kw < 256 else xp.int32)
                    continue
                xp.copyto(idx, k, where=view > best)
                xp.maximum(best, view, out=best)  # (NaN propagates, as in argmax)
            ctx.idx = idx
            return best
        total = be.windows(x, kh, kw, sh, sw, 1, 1, oh, ow).sum(axis=(3, 4))
        if padded:  # SAME averages over the real (unpadded) elements only, like TF
            h0, w0 = x.shape[1] - pt - pb, x.shape[2] - pl - pr
            ones = xp.pad(xp.ones((1, h0, w0, 1), dtype=x.dtype),
                          ((0, 0), (pt, pb), (pl, pr), (0, 0)))
            count = be.windows(ones, kh, kw, sh, sw, 1, 1, oh, ow).sum(axis=(3, 4))
        else:
            count = xp.asarray(kh * kw, dtype=x.dtype)
        ctx.count = count
        return total / count

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        kh, kw, sh, sw, pt, pb, pl, pr, oh, ow = ctx.geo
        n, hp, wp, c = ctx.xpshape
        if ctx.is_max:
            gx = xp.zeros(ctx.xpshape, dtype=g.dtype)
            for k, view in enumerate(_window_views(gx, kh, kw, sh, sw, oh, ow)):
                view += g * (ctx.idx == k)  # (+=: windows may overlap)
            if pt or pb or pl or pr:
                gx = gx[:, pt:hp - pb, pl:wp - pr, :]
            return (gx,)
        else:
            gq = (g / ctx.count)[:, :, :, None, None, :]
            gcols = xp.broadcast_to(gq, (n, oh, ow, kh, kw, c))
        gx = _backend_of(xp).col2im(gcols, ctx.xpshape, kh, kw, sh, sw, 1, 1)
        if pt or pb or pl or pr:
            gx = gx[:, pt:hp - pb, pl:wp - pr, :]
        return (gx,)


def _pool2d(op, input, ksize, strides, padding, data_format, is_max):  # noqa: A002
    if data_format not in (None, "NHWC"):
        raise InvalidArgumentError(f"{op}: data_format {data_format!r}; expected 'NHWC'")
    x = _t(input, op)
    _need_float(x, op)
    if x._data.ndim != 4:
        raise InvalidArgumentError(f"{op}: input is {shape_str(x.shape)}; expected rank 4 "
                                   "(N, H, W, C)")
    kh, kw = _pair_arg(ksize, op, "ksize")
    sh, sw = _pair_arg(strides, op, "strides")
    padding = _explicit(padding, op)
    oh, pt, pb = _geometry(op, x.shape[1], kh, sh, 1, padding, 0)
    ow, pl, pr = _geometry(op, x.shape[2], kw, sw, 1, padding, 1)
    return _Pool2D.apply(x, geo=(kh, kw, sh, sw, pt, pb, pl, pr, oh, ow), is_max=is_max)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool2d("max_pool2d", input, ksize, strides, padding, data_format, True)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool2d("avg_pool2d", input, ksize, strides, padding, data_format, False)


def _pool1d(op, input, ksize, strides, padding, data_format, is_max):  # noqa: A002
    if data_format not in (None, "NWC"):
        raise InvalidArgumentError(f"{op}: data_format {data_format!r}; expected 'NWC'")
    x = _t(input, op)
    if x._data.ndim != 3:
        raise InvalidArgumentError(f"{op}: input is {shape_str(x.shape)}; expected rank 3 "
                                   "(N, W, C)")
    k = _pair_arg(ksize, op, "ksize", n=1)[0]
    s = _pair_arg(strides, op, "strides", n=1)[0]
    if not isinstance(padding, str):
        p = [tuple(int(v) for v in pair) for pair in padding]
        padding = [(0, 0), p[-2] if len(p) == 3 else p[0]]
    y = _pool2d(op, ops.expand_dims(x, 1), (1, k), (1, s), padding, "NHWC", is_max)
    return ops.squeeze(y, 1)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool1d("max_pool1d", input, ksize, strides, padding, data_format, True)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool1d("avg_pool1d", input, ksize, strides, padding, data_format, False)


max_pool = max_pool2d
avg_pool = avg_pool2d
