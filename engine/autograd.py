"""Reverse-mode autodiff: :class:`Function`, :class:`GradientTape`, ``no_grad``.

An op is a ``Function`` subclass with ``forward(ctx, *arrays, **kw)`` returning
the output array and ``backward(ctx, grad)`` returning one gradient (or
``None``) per input; what backward needs is saved on ``ctx`` (the node itself).
While a tape records, ``Function.apply`` links the output tensor to its node.

``backward`` walks the graph in topological order built iteratively (no
recursion, so 20 000-op chains are fine), reduces broadcast gradients back to
each input's shape in one place (:func:`unbroadcast`), and frees the graph
afterwards unless the tape is persistent.
"""

import contextlib

from .device import CPU
from .errors import InvalidArgumentError, shape_str
from .tensor import Tensor, Variable

_make = Tensor._make


class _State:
    tapes = []  # active (recording) tapes, innermost last
    paused = 0  # depth of no_grad / stop_recording scopes
    on = False  # tapes and not paused: ops record


def _refresh():
    _State.on = bool(_State.tapes) and _State.paused == 0


class Function:
    """Base class of differentiable ops (an instance is one graph node)."""

    differentiable = True
    name = None

    @staticmethod
    def forward(ctx, *arrays, **kw):  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **kw):
        ctx = cls()
        dev = inputs[0]._dev
        if len(inputs) > 1:
            for t in inputs:
                if t._dev is not dev:
                    _device_mismatch(cls, inputs)
        ctx.xp = dev.xp
        out = _make(cls.forward(ctx, *[t._data for t in inputs], **kw), dev)
        if _State.on and cls.differentiable:
            for t in inputs:
                if t._rg:
                    ctx.parents = inputs
                    ctx.needs = [t._rg for t in inputs]
                    out._node = ctx
                    out._rg = True
                    break
        return out


def _device_mismatch(cls, inputs):
    op = cls.name or cls.__name__.lower()
    where = ", ".join(f"{shape_str(t.shape)} on {t.device}" for t in inputs)
    raise InvalidArgumentError(
        f"{op}: inputs are on different devices: {where}; expected all on one device "
        "(move them with .to(device))")


def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added/stretched to reach ``shape``."""
    if grad.shape == shape:
        return grad
    nd = grad.ndim - len(shape)
    if nd > 0:
        grad = grad.sum(axis=tuple(range(nd)))
    axes = tuple(i for i, d in enumerate(shape) if d == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if grad.shape != shape:  # e.g. a 0-d input broadcast against a 1-element shape
        grad = grad.reshape(shape)
    return grad


# -- graph traversal ----------------------------------------------------------------
def toposort(roots, parents_of):
    """Nodes reachable from ``roots``, parents before children; iterative (no
    recursion limit on deep graphs). ``parents_of(node)`` gives a node's parents."""
    order = []
    seen = set()
    stack = [(n, False) for n in roots]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in parents_of(node):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


def _node_parents(node):
    return [p._node for p in getattr(node, "parents", None) or () if p._node is not None]


def _toposort(roots):
    """The autograd nodes reachable from ``roots``, parents before children."""
    return toposort(roots, _node_parents)


def _free(order):
    for node in order:
        node.__dict__.clear()


def backward(targets, seeds, sources, free=True):
    """Gradients of ``sum(targets * seeds)`` w.r.t. each tensor in ``sources``.

    Returns a list aligned with ``sources`` (``None`` where unconnected).
    """
    grads = {}  # node -> gradient of its output
    leaf = {}  # id(leaf tensor) -> gradient
    roots = []
    for t, s in zip(targets, seeds):
        n = t._node
        if n is not None:
            grads[n] = grads[n] + s if n in grads else s
            roots.append(n)
        elif t._rg:
            k = id(t)
            leaf[k] = leaf[k] + s if k in leaf else s
    want = {id(s._node): None for s in sources if s._node is not None}
    order = _toposort(roots)
    for node in reversed(order):
        g = grads.pop(node, None)
        if g is None:
            continue
        if id(node) in want:
            want[id(node)] = g
        parents = getattr(node, "parents", None)
        if not parents:
            continue
        in_grads = node.backward(node, g)
        for p, pg, need in zip(parents, in_grads, node.needs):
            if pg is None or not need:
                continue
            shape = p._data.shape
            if pg.shape != shape:
                pg = unbroadcast(pg, shape)
            pn = p._node
            if pn is not None:
                old = grads.get(pn)
                grads[pn] = pg if old is None else old + pg
            else:
                k = id(p)
                old = leaf.get(k)
                leaf[k] = pg if old is None else old + pg
    if free:
        _free(order)
    out = []
    for s in sources:
        g = want.get(id(s._node)) if s._node is not None else leaf.get(id(s))
        if g is not None:
            g = s._dev.backend.writeable(g)
            g = _make(g, s._dev)
        out.append(g)
    return out


# -- nested structures --------------------------------------------------------------------
def _flatten(x, out):
    if isinstance(x, (list, tuple)):
        for v in x:
            _flatten(v, out)
    elif isinstance(x, dict):
        for k in sorted(x):
            _flatten(x[k], out)
    else:
        out.append(x)
    return out


def _pack(structure, flat, pos=None):
    if pos is None:
        pos = [0]
    if isinstance(structure, (list, tuple)):
        items = [_pack(v, flat, pos) for v in structure]
        return type(structure)(items) if type(structure) in (list, tuple) else items
    if isinstance(structure, dict):
        return {k: _pack(structure[k], flat, pos) for k in sorted(structure)}
    v = flat[pos[0]]
    pos[0] += 1
    return v


# -- the tape --------------------------------------------------------------------------------
class GradientTape:
    """Records ops on watched tensors / trainable variables for ``gradient``.

    ``persistent=True`` allows several ``gradient`` calls (the graph is kept
    until the tape is deleted); otherwise the graph is freed by the first call.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._watched = []  # tensors whose _rg we turned on
        self._used = False
        self._recording = False
        self._targets = []

    def __enter__(self):
        _State.tapes.append(self)
        self._recording = True
        _refresh()
        return self

    def __exit__(self, *exc):
        if self in _State.tapes:
            _State.tapes.remove(self)
        self._recording = False
        for t in self._watched:
            t._rg = False
        self._watched = []
        _refresh()
        return False

    def watch(self, tensor):
        """Track gradients of ``tensor`` (or a nested list of tensors)."""
        for t in _flatten(tensor, []):
            if not isinstance(t, Tensor):
                raise InvalidArgumentError(
                    f"GradientTape.watch: expected a Tensor or Variable, got {type(t).__name__}")
            if t._data.dtype.kind != "f":
                continue  # like TF: integer tensors have no gradient
            if not t._rg:
                t._rg = True
                if not isinstance(t, Variable):
                    self._watched.append(t)

    @contextlib.contextmanager
    def stop_recording(self):
        with no_grad():
            yield

    def reset(self):
        self._used = False

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """d(sum of targets)/d(sources), shaped like ``sources`` (None where unconnected)."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "GradientTape.gradient can only be called once on a non-persistent tape; "
                "expected GradientTape(persistent=True) for several calls")
        targets = _flatten(target, [])
        flat_sources = _flatten(sources, [])
        for t in targets + flat_sources:
            if not isinstance(t, Tensor):
                raise InvalidArgumentError(
                    f"GradientTape.gradient: expected Tensors as targets and sources, got "
                    f"{type(t).__name__}")
        if output_gradients is None:
            seeds = [t._dev.xp.ones(t._data.shape, dtype=t._data.dtype) for t in targets]
        else:
            og = _flatten(output_gradients, [])
            if len(og) != len(targets):
                raise InvalidArgumentError(
                    f"GradientTape.gradient: {len(og)} output_gradients for {len(targets)} "
                    "targets; expected one per target")
            seeds = []
            for t, g in zip(targets, og):
                if g is None:
                    seeds.append(t._dev.xp.ones(t._data.shape, dtype=t._data.dtype))
                    continue
                a = g._data if isinstance(g, Tensor) else t._dev.xp.asarray(g, t._data.dtype)
                if a.shape != t._data.shape:
                    raise InvalidArgumentError(
                        f"GradientTape.gradient: output_gradient of shape {shape_str(a.shape)} "
                        f"for target of shape {shape_str(t.shape)}; expected the same shape")
                seeds.append(a)
        free = not self.persistent
        self._used = True
        was = _State.paused
        _State.paused = 1
        _refresh()
        try:
            grads = backward(targets, seeds, flat_sources, free=free)
        finally:
            _State.paused = was
            _refresh()
        if unconnected_gradients in ("zero", "ZERO") or getattr(
                unconnected_gradients, "value", None) == "zero":
            grads = [_make(s._dev.xp.zeros(s._data.shape, s._data.dtype), s._dev)
                     if g is None else g for g, s in zip(grads, flat_sources)]
        if isinstance(sources, Tensor):
            return grads[0]
        return _pack(sources, grads)


@contextlib.contextmanager
def no_grad():
    """Ops inside the block are not recorded by any tape."""
    _State.paused += 1
    _refresh()
    try:
        yield
    finally:
        _State.paused -= 1
        _refresh()


stop_recording = no_grad


def is_recording():
    return _State.on


def stop_gradient(x, name=None):
    """``x`` as a constant: gradients do not flow through it."""
    from .tensor import convert_to_tensor

    x = convert_to_tensor(x)
    return _make(x._data, x._dev)


class _ToDevice(Function):
    name = "to_device"

    @staticmethod
    def backward(ctx, g):
        return (ctx.src.backend.from_host(ctx.dst.backend.to_host(g))
                if ctx.src is not CPU else ctx.dst.backend.to_host(g),)


def to_device(x, dev):
    src = x._dev
    data = x._data
    host = src.backend.to_host(data)
    out = _make(dev.backend.from_host(host) if dev is not CPU else host, dev)
    if _State.on and x._rg:
        ctx = _ToDevice()
        ctx.src, ctx.dst = src, dev
        ctx.parents, ctx.needs = (x,), [True]
        out._node, out._rg = ctx, True
    return out
