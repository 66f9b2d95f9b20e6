"""Primitives behind the convolution layers, written against the backend interface
(``windows`` / ``col2im`` / ``xp``) so numpy and cupy share them.

* :class:`Im2Col`: NHWC input -> the (N*OH*OW, KH*KW*C) patch matrix (one strided
  view, one copy); backward is ``col2im`` (a loop over the KH*KW kernel positions).
* :class:`ConvAct`: a whole convolution, im2col + one BLAS matmul forward, bias and
  activation fused; backward takes the input gradient one kernel position at a time.
* :class:`ConvTranspose2D`: the adjoint of a convolution (one matmul + col2im).
* :class:`Depthwise2D`: one filter set per channel, a loop over kernel positions.
"""

from ...autograd import Function
from ...ops import _backend_of
from .._kernels import activate_, pre_activation_grad, with_weight_grads


def _pad4(xp, x, pt, pb, pl, pr):
    if pt or pb or pl or pr:
        return xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    return x


class Im2Col(Function):
    name = "im2col"

    @staticmethod
    def forward(ctx, x, geo):
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = geo
        xp = ctx.xp
        xpad = _pad4(xp, x, pt, pb, pl, pr)
        n, c = x.shape[0], x.shape[3]
        ctx.geo, ctx.xpshape = geo, xpad.shape
        if kh == 1 and kw == 1 and sh == 1 and sw == 1:
            return xpad.reshape(n * oh * ow, c)
        win = _backend_of(xp).windows(xpad, kh, kw, sh, sw, dh, dw, oh, ow)
        return xp.ascontiguousarray(win).reshape(n * oh * ow, kh * kw * c)

    @staticmethod
    def backward(ctx, g):
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = ctx.geo
        n, hp, wp, c = ctx.xpshape
        if kh == 1 and kw == 1 and sh == 1 and sw == 1:
            gx = g.reshape(n, hp, wp, c)
        else:
            gx = _backend_of(ctx.xp).col2im(g.reshape(n, oh, ow, kh, kw, c), ctx.xpshape,
                                            kh, kw, sh, sw, dh, dw)
        if pt or pb or pl or pr:
            gx = gx[:, pt:hp - pb, pl:wp - pr, :]
        return (gx,)


class ConvAct(Function):
    """``act(conv(x, w) + b)`` for NHWC ``x`` and ``w`` (KH*KW*C, F) in one op:
    im2col, one matmul, bias and activation in place; backward gives the
    kernel gradient as one matmul with the saved patches and the input
    gradient per kernel position (``matmul_col2im``)."""

    name = "conv2d"

    @staticmethod
    def forward(ctx, x, w2, *rest, geo, act):
        cols = Im2Col.forward(ctx, x, geo)
        y = cols @ w2
        if rest:
            y += rest[0]
        activate_(ctx.xp, y, act)
        ctx.cols, ctx.w2, ctx.y, ctx.act = cols, w2, y, act
        return y.reshape(x.shape[0], geo[10], geo[11], w2.shape[1])

    @staticmethod
    def backward(ctx, g):
        gz = pre_activation_grad(ctx, g)
        gx = None
        if ctx.needs[0]:
            kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = ctx.geo
            n, hp, wp, c = ctx.xpshape
            if kh == 1 and kw == 1 and sh == 1 and sw == 1:
                gx = (gz @ ctx.w2.T).reshape(ctx.xpshape)
            else:
                gx = _backend_of(ctx.xp).matmul_col2im(gz, ctx.w2, ctx.xpshape, kh, kw, sh, sw,
                                                       dh, dw, oh, ow)
            if pt or pb or pl or pr:
                gx = gx[:, pt:hp - pb, pl:wp - pr, :]
        return with_weight_grads(ctx, gx, ctx.cols, gz)


def geometry(h, w, kernel, strides, dilation, padding):
    """(kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow) for an NHWC conv / pool window."""
    out = []
    pads = []
    for size, k, s, d in zip((h, w), kernel, strides, dilation):
        eff = (k - 1) * d + 1
        if padding == "same":
            o = -(-size // s)
            total = max((o - 1) * s + eff - size, 0)
            pads += [total // 2, total - total // 2]
        elif padding == "causal":  # all the padding before: output t sees inputs <= t
            o = (size - 1) // s + 1
            pads += [eff - 1, 0]
        else:
            o = (size - eff) // s + 1
            pads += [0, 0]
        out.append(o)
    return (kernel[0], kernel[1], strides[0], strides[1], dilation[0], dilation[1],
            pads[0], pads[1], pads[2], pads[3], out[0], out[1])


class ConvTranspose2D(Function):
    """x (N, H, W, Cin), w (KH, KW, F, Cin) -> (N, OH, OW, F); geo from :func:`tgeometry`."""

    name = "conv2d_transpose"

    @staticmethod
    def forward(ctx, x, w, geo):
        xp = ctx.xp
        kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, lh, lw = geo
        n, h, wd, cin = x.shape
        f = w.shape[2]
        w2 = w.reshape(kh * kw * f, cin)
        x2 = x.reshape(n * h * wd, cin)
        buf = _backend_of(xp).matmul_col2im(x2, w2, (n, lh, lw, f), kh, kw, sh, sw, dh, dw,
                                            h, wd)
        ctx.x2, ctx.w2, ctx.geo, ctx.xshape, ctx.wshape = x2, w2, geo, x.shape, w.shape
        return xp.ascontiguousarray(buf[:, pt:pt + oh, pl:pl + ow, :])

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, lh, lw = ctx.geo
        n, h, wd, cin = ctx.xshape
        f = g.shape[3]
        gbuf = xp.zeros((n, lh, lw, f), dtype=g.dtype)
        gbuf[:, pt:pt + oh, pl:pl + ow, :] = g
        win = _backend_of(xp).windows(gbuf, kh, kw, sh, sw, dh, dw, h, wd)
        gcols = xp.ascontiguousarray(win).reshape(n * h * wd, kh * kw * f)
        gx = (gcols @ ctx.w2).reshape(ctx.xshape) if ctx.needs[0] else None
        gw = (gcols.T @ ctx.x2).reshape(ctx.wshape) if ctx.needs[1] else None
        return gx, gw


def tgeometry(h, w, kernel, strides, dilation, padding, output_padding):
    """Geometry of a transposed convolution, with keras' output sizes."""
    vals = []
    for size, k, s, d, op in zip((h, w), kernel, strides, dilation, output_padding):
        eff = (k - 1) * d + 1
        if op is None:
            length = size * s + (max(eff - s, 0) if padding == "valid" else 0)
        else:
            pad = eff // 2 if padding == "same" else 0
            length = (size - 1) * s + eff - 2 * pad + op
        if padding == "same":
            start = max((-(-length // s) - 1) * s + eff - length, 0) // 2
        else:
            start = 0
        full = (size - 1) * s + eff
        vals.append((start, length, max(full, start + length)))
    (pt, oh, lh), (pl, ow, lw) = vals
    return (kernel[0], kernel[1], strides[0], strides[1], dilation[0], dilation[1],
            pt, pl, oh, ow, lh, lw)


class Depthwise2D(Function):
    """x (N, H, W, C), k (KH, KW, C, M) -> (N, OH, OW, C * M); output channel c * M + m."""

    name = "depthwise_conv2d"

    @staticmethod
    def forward(ctx, x, k, geo):
        xp = ctx.xp
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = geo
        xpad = _pad4(xp, x, pt, pb, pl, pr)
        n, c, m = x.shape[0], x.shape[3], k.shape[3]
        out = xp.zeros((n, oh, ow, c, m), dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                xs = xpad[:, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                          j * dw:j * dw + sw * (ow - 1) + 1:sw, :]
                out += xs[..., None] * k[i, j]
        ctx.xpad, ctx.k, ctx.geo = xpad, k, geo
        return out.reshape(n, oh, ow, c * m)

    @staticmethod
    def backward(ctx, g):
        xp, xpad, k = ctx.xp, ctx.xpad, ctx.k
        kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = ctx.geo
        n, hp, wp, c = xpad.shape
        m = k.shape[3]
        g5 = g.reshape(n, oh, ow, c, m)
        gk = xp.zeros_like(k) if ctx.needs[1] else None
        gx = xp.zeros_like(xpad) if ctx.needs[0] else None
        g2 = g5.reshape(-1, c, m)
        for i in range(kh):
            for j in range(kw):
                sl = (slice(None), slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
                      slice(j * dw, j * dw + sw * (ow - 1) + 1, sw), slice(None))
                if gk is not None:
                    xs = xpad[sl].reshape(-1, c)
                    gk[i, j] = xp.einsum("pc,pcm->cm", xs, g2)
                if gx is not None:
                    gx[sl] += (g5 * k[i, j]).sum(axis=-1)
        if gx is not None and (pt or pb or pl or pr):
            gx = gx[:, pt:hp - pb, pl:wp - pr, :]
        return gx, gk
