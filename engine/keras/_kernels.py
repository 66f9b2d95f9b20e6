"""Fused primitives the keras layers use on their hot paths.

* :class:`DenseAct`: ``act(x @ W + b)`` in one op: one matmul, the bias added and
  relu / sigmoid / tanh applied in place on the product; backward derives the
  pre-activation gradient from the saved output and skips ``dx`` when the
  input needs no gradient (the first layer).
* :class:`Dropout`: one uniform draw turned into the scaled keep mask, applied
  in place on the draw's buffer.
"""

from .. import random as _random
from ..autograd import Function
from ..tensor import Tensor

FUSED_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


def activate_(xp, y, act):
    """Apply activation ``act`` to ``y`` in place; returns ``y``."""
    if act == "relu":
        xp.maximum(y, 0, out=y)
    elif act == "sigmoid":
        # 0.5 + 0.5 tanh(x / 2): exact and never overflows
        y *= 0.5
        xp.tanh(y, out=y)
        y *= 0.5
        y += 0.5
    elif act == "tanh":
        xp.tanh(y, out=y)
    elif act == "hard_sigmoid":
        y *= 1.0 / 6.0
        y += 0.5
        xp.clip(y, 0.0, 1.0, out=y)
    return y


def activation_grad(xp, g, y, act):
    """The pre-activation gradient from the output gradient ``g`` and the saved
    output ``y`` of :func:`activate_`."""
    if act == "relu":
        return g * (y > 0)
    if act == "sigmoid":
        gz = y * (1 - y)
        gz *= g
        return gz
    if act == "tanh":
        gz = y * y
        xp.subtract(1, gz, out=gz)
        gz *= g
        return gz
    return g


class DenseAct(Function):
    name = "dense"

    @staticmethod
    def forward(ctx, x, w, *rest, act):
        x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
        y = x2 @ w
        if rest:
            y += rest[0]
        activate_(ctx.xp, y, act)
        ctx.x2, ctx.w, ctx.y, ctx.act, ctx.xshape = x2, w, y, act, x.shape
        return y.reshape(*x.shape[:-1], w.shape[1]) if x.ndim != 2 else y

    @staticmethod
    def backward(ctx, g):
        gz = pre_activation_grad(ctx, g)
        gx = gz @ ctx.w.T if ctx.needs[0] else None
        if gx is not None and len(ctx.xshape) != 2:
            gx = gx.reshape(ctx.xshape)
        return with_weight_grads(ctx, gx, ctx.x2, gz)


def pre_activation_grad(ctx, g):
    """The gradient before the fused activation saved in ``ctx`` (``y``, ``act``)."""
    return activation_grad(ctx.xp, g.reshape(ctx.y.shape), ctx.y, ctx.act)


def with_weight_grads(ctx, gx, x2, gz):
    """``(gx, dW, db)`` (or ``(gx, dW)`` without a bias) for ``y = x2 @ W + b``
    with pre-activation gradient ``gz``, each only if ``ctx.needs`` it."""
    needs = ctx.needs
    gw = x2.T @ gz if needs[1] else None
    if len(needs) == 3:
        return gx, gw, (gz.sum(axis=0) if needs[2] else None)
    return gx, gw


def dense(x, kernel, bias, activation):
    """``activation(x @ kernel + bias)`` for a fused activation name (see FUSED_ACTIVATIONS)."""
    if bias is None:
        return DenseAct.apply(x, kernel, act=activation)
    return DenseAct.apply(x, kernel, bias, act=activation)


class DropoutOp(Function):
    name = "dropout"

    @staticmethod
    def forward(ctx, x, keep):
        ctx.keep = keep
        return x * keep

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.keep,)


def dropout(x, rate, seed=None, noise_shape=None):
    """Zero each element with probability ``rate`` and scale the rest by 1 / (1 - rate)."""
    dev = x._dev
    shape = x.shape if noise_shape is None else tuple(noise_shape)
    dt = x._data.dtype
    gen = _random._generator(dev, seed)
    u = dev.backend.rng_uniform(gen, shape, dt)
    # keep mask scaled in place: (u >= rate) / (1 - rate)
    keep = dev.xp.greater_equal(u, dt.type(rate))
    dev.xp.multiply(keep, dt.type(1.0 / (1.0 - rate)), out=u)
    return DropoutOp.apply(x, keep=u)


def as_tensor(a, dev):
    return Tensor._make(a, dev)
