"""TensorFlow functions built on the engine's ops, with TF's semantics: ``einsum``,
``linspace``, ``gather_nd``, ``math.top_k``, and the control flow that eager TensorFlow runs
as plain calls: ``cond``, ``while_loop``, ``map_fn``; ``custom_gradient``.

``einsum`` is one differentiable op (numpy's ``einsum`` forward; each operand's gradient is
the einsum of the output gradient with the other operands). The rest compose recorded ops,
so gradients flow through them.
"""

import builtins
import collections
import string

import numpy as np

from .autograd import Function, no_grad
from .errors import InvalidArgumentError
from .ops import _t, cast, gather, reshape, stack
from .tensor import Tensor, convert_to_tensor

__all__ = ["einsum", "linspace", "gather_nd", "top_k", "cond", "while_loop", "map_fn",
           "custom_gradient"]


# -- einsum -------------------------------------------------------------------------------
def _parse_einsum(equation, ranks):
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs, out = eq, None
    subs = lhs.split(",")
    if len(subs) != len(ranks):
        raise InvalidArgumentError(
            f"einsum: the equation {equation!r} has {len(subs)} operand(s), but "
            f"{len(ranks)} were given")
    used = set(eq) - set(".,->")
    spare = [c for c in string.ascii_letters if c not in used]
    n_ell = 0
    for s, r in zip(subs, ranks):
        if "..." in s:
            n_ell = max(n_ell, r - (len(s) - 3))
    ell = "".join(spare[:n_ell])
    full = []
    for s, r in zip(subs, ranks):
        if "..." in s:
            k = r - (len(s) - 3)
            s = s.replace("...", ell[n_ell - k:] if k else "")
        if len(s) != r or not all(c in string.ascii_letters for c in s):
            raise InvalidArgumentError(
                f"einsum: the subscripts {s!r} do not match an operand of rank {r}")
        full.append(s)
    if out is None:
        counts = {}
        for s in full:
            for c in s:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return full, out


class _Einsum(Function):
    name = "einsum"

    @staticmethod
    def forward(ctx, *arrays, subs, out):
        ctx.arrays, ctx.subs, ctx.out = arrays, subs, out
        return ctx.xp.einsum(",".join(subs) + "->" + out, *arrays)

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        grads = []
        for i, (a, s) in enumerate(zip(ctx.arrays, ctx.subs)):
            if len(set(s)) != len(s):
                raise InvalidArgumentError(
                    f"einsum: the gradient through repeated subscripts {s!r} (a diagonal) is "
                    "not implemented")
            others = [(b, t) for j, (b, t) in enumerate(zip(ctx.arrays, ctx.subs)) if j != i]
            present = set(ctx.out).union(*[set(t) for _, t in others])
            kept = "".join(c for c in s if c in present)
            eq = ",".join([ctx.out] + [t for _, t in others]) + "->" + kept
            partial = xp.einsum(eq, g, *[b for b, _ in others])
            # letters only this operand had were summed away: the gradient is constant
            # along them
            shape = [a.shape[k] if c in present else 1 for k, c in enumerate(s)]
            grads.append(xp.broadcast_to(partial.reshape(shape), a.shape).astype(a.dtype))
        return tuple(grads)


def einsum(equation, *inputs, name=None, optimize="greedy"):
    """``tf.einsum``: Einstein summation over ``inputs`` (``...`` for leading axes);
    ``optimize`` (TF's contraction-order hint) changes no result."""
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    if not inputs:
        raise InvalidArgumentError("einsum: give at least one operand")
    ts = [_t(x, "einsum") for x in inputs]
    dtype = ts[0].dtype
    for t in ts[1:]:
        if t.dtype != dtype:
            raise InvalidArgumentError(
                f"einsum: the operands' dtypes differ ({dtype.name} and {t.dtype.name}); "
                "cast them to one (tf$cast)")
    subs, out = _parse_einsum(str(equation), [t._data.ndim for t in ts])
    sizes = {}
    for s, t in zip(subs, ts):
        for c, n in zip(s, t.shape):
            if sizes.setdefault(c, n) != n:
                raise InvalidArgumentError(
                    f"einsum: subscript {c!r} has extent {sizes[c]} in one operand and {n} "
                    "in another")
    return _Einsum.apply(*ts, subs=tuple(subs), out=out)


# -- sequences and gathers ----------------------------------------------------------------
def linspace(start, stop, num, name=None, axis=0):
    """``tf.linspace``: ``num`` evenly spaced values from ``start`` to ``stop`` (both
    included; float32 for whole numbers), along a new ``axis`` for tensor endpoints."""
    from .ops import expand_dims

    num = int(num)
    if num < 1:
        raise InvalidArgumentError(f"linspace: num must be >= 1, not {num}")
    a = _t(start, "linspace")
    if not a.dtype.is_floating:
        a = cast(a, "float32")
    b = _t(stop, "linspace")
    if b.dtype != a.dtype:
        b = cast(b, a.dtype)
    ndim = a._data.ndim
    ax = axis if axis >= 0 else axis + ndim + 1
    shape = [1] * (ndim + 1)
    shape[ax] = num
    w = reshape(convert_to_tensor(np.linspace(0.0, 1.0, num), dtype=a.dtype.name), shape)
    # a * (1 - w) + b * w: exactly start at w = 0 and stop at w = 1
    return expand_dims(a, ax) * (1 - w) + expand_dims(b, ax) * w


def gather_nd(params, indices, batch_dims=0, name=None):
    """``tf.gather_nd``: the slices of ``params`` at the index tuples in the last axis of
    ``indices`` (0-based)."""
    if batch_dims:
        raise InvalidArgumentError("gather_nd: batch_dims != 0 is not implemented; expected 0")
    p = _t(params, "gather_nd")
    idx = np.asarray(indices.numpy() if isinstance(indices, Tensor) else indices)
    if idx.dtype.kind not in "iu":
        raise InvalidArgumentError(f"gather_nd: indices must be integers, not {idx.dtype.name}")
    if idx.ndim == 0 or idx.shape[-1] > p._data.ndim:
        raise InvalidArgumentError(
            f"gather_nd: the last axis of indices ({idx.shape[-1] if idx.ndim else 0}) must "
            f"be at most params' rank {p._data.ndim}")
    k = idx.shape[-1]
    head = p.shape[:k]
    for j in builtins.range(k):
        if idx.size and (idx[..., j].min() < 0 or idx[..., j].max() >= head[j]):
            raise InvalidArgumentError(
                f"gather_nd: an index on axis {j} is out of range (extent {head[j]})")
    strides = np.cumprod((list(head[1:]) + [1])[::-1])[::-1]
    flat_idx = (idx * strides).sum(axis=-1) if k else np.zeros(idx.shape[:-1], dtype=np.int64)
    flat = reshape(p, [-1] + list(p.shape[k:]))
    out = gather(flat, flat_idx.reshape(-1).astype(np.int64), axis=0)
    return reshape(out, list(idx.shape[:-1]) + list(p.shape[k:]))


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002 - TF's argument names
    """``tf.math.top_k``: the ``k`` largest values along the last axis and their int32
    positions (ties: the lower position first)."""
    from .ops import _sort_order, _SortAlong

    x = _t(input, "top_k")
    k = int(k)
    n = x.shape[-1] if x._data.ndim else 0
    if x._data.ndim == 0 or not 0 <= k <= n:
        raise InvalidArgumentError(f"top_k: k must be between 0 and the last axis' extent "
                                   f"({n}), not {k}")
    axis, order = _sort_order(x, -1, "DESCENDING", "top_k")  # sorted once, as tf.sort
    values = _SortAlong.apply(x, axis=axis, idx=order)[..., :k]
    return TopKV2(values, Tensor._make(order[..., :k].astype(np.int32), x._dev))


# -- control flow (eager: plain calls) ----------------------------------------------------
def _truth(pred, what):
    v = np.asarray(pred.numpy() if isinstance(pred, Tensor) else pred)
    if v.size != 1:
        raise InvalidArgumentError(f"{what}: the condition must be one boolean, not shape "
                                   f"{v.shape}")
    return bool(v.reshape(()))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``tf.cond``: ``true_fn()`` if ``pred`` else ``false_fn()``."""
    for f, n in ((true_fn, "true_fn"), (false_fn, "false_fn")):
        if not callable(f):
            raise InvalidArgumentError(f"cond: {n} must be a function of no arguments")
    return true_fn() if _truth(pred, "cond") else false_fn()


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """``tf.while_loop``: ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, at
    most ``maximum_iterations`` times; returns the final loop variables (the same
    structure as given)."""
    if not callable(cond) or not callable(body):
        raise InvalidArgumentError("while_loop: cond and body must be functions")
    single = not isinstance(loop_vars, (list, tuple))
    values = [loop_vars] if single else list(loop_vars)
    i = 0
    while (maximum_iterations is None or i < int(maximum_iterations)) and \
            _truth(cond(*values), "while_loop"):
        out = body(*values)
        out = [out] if not isinstance(out, (list, tuple)) else list(out)
        if len(out) != len(values):
            raise InvalidArgumentError(
                f"while_loop: body returned {len(out)} value(s) for {len(values)} loop "
                "variable(s); it must return them all")
        values = out
        i += 1
    if single:
        return values[0]
    return tuple(values) if isinstance(loop_vars, tuple) else values


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """``tf.map_fn``: ``fn`` applied to each slice of ``elems`` along the first axis, the
    results stacked (a tuple/list of tensors: sliced together, and ``fn`` gets the tuple)."""
    if not callable(fn):
        raise InvalidArgumentError("map_fn: fn must be a function")
    seq = isinstance(elems, (list, tuple))
    ts = [_t(e, "map_fn") for e in (elems if seq else [elems])]
    n = ts[0].shape[0] if ts[0]._data.ndim else None
    if n is None or any(t._data.ndim == 0 or t.shape[0] != n for t in ts):
        raise InvalidArgumentError("map_fn: elems must have a first axis, the same in each")
    if n == 0:
        raise InvalidArgumentError("map_fn: elems is empty (its first axis has extent 0)")
    outs = []
    for i in builtins.range(n):
        item = tuple(t[i] for t in ts)
        outs.append(fn(item if seq else item[0]))
    first = outs[0]
    if isinstance(first, (list, tuple)):
        return type(first)(stack([_t(o[j], "map_fn") for o in outs])
                           for j in builtins.range(len(first)))
    return stack([_t(o, "map_fn") for o in outs])


# -- custom gradients ---------------------------------------------------------------------
class _Custom(Function):
    name = "custom_gradient"

    @staticmethod
    def forward(ctx, *arrays, y, grad_fn, n):
        ctx.grad_fn, ctx.n = grad_fn, n
        return y

    @staticmethod
    def backward(ctx, g):
        with no_grad():
            grads = ctx.grad_fn(Tensor._make(g, ctx.parents[0]._dev))
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != ctx.n:
            raise InvalidArgumentError(
                f"custom_gradient: the gradient function returned {len(grads)} gradient(s) "
                f"for {ctx.n} input(s); return one per input (NULL/None for none)")
        return tuple(None if d is None else _t(d, "custom_gradient")._data for d in grads)


def custom_gradient(f=None):
    """``tf.custom_gradient``: ``f(*x)`` returns ``(y, grad_fn)``; the result is ``y``, and
    the gradient with respect to ``x`` is ``grad_fn(upstream)`` (one per input)."""
    if f is None:
        return custom_gradient

    def wrapper(*args):
        xs = [_t(a, "custom_gradient") for a in args]
        with no_grad():
            result = f(*xs)
        if not isinstance(result, (list, tuple)) or len(result) != 2 or \
                not callable(result[1]):
            raise InvalidArgumentError(
                "custom_gradient: the function must return list(y, grad_fn), grad_fn a "
                "function of the upstream gradient")
        y, grad_fn = result
        y = _t(y, "custom_gradient")
        return _Custom.apply(*xs, y=y._data, grad_fn=grad_fn, n=len(xs))

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    return wrapper

