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
import threading

from .device import CPU
from .errors import InvalidArgumentError, shape_str
from .tensor import Tensor, Variable

_make = Tensor._make


class _State(threading.local):
    """Recording state, one per thread (as TensorFlow's tapes are): a dataset's
    background thread running ops neither records on nor pauses the training
    thread's tape."""

    def __init__(self):
        self.tapes = []  # active (recording) tapes, innermost last
        self.paused = 0  # depth of no_grad / stop_recording scopes
        self.on = False  # tapes and not paused: ops record


_state = _State()


def _refresh():
    _state.on = bool(_state.tapes) and _state.paused == 0


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
        if _state.on and cls.differentiable:
            for t in inputs:
                if t._rg:
                    ctx.parents = inputs
                    ctx.needs = [t._rg for t in inputs]
                    out._node = ctx
                    out._rg = True
                    for v in inputs:  # for GradientTape.watched_variables()
                        if isinstance(v, Variable) and v.trainable:
                            for tape in _state.tapes:
                                tape._accessed.setdefault(id(v), v)
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


class _NoHigherOrder(Function):
    """Stands for a gradient computed by an op whose backward is not itself
    differentiable: it links the gradient to its inputs so that a tape that
    differentiates it again says so instead of returning a wrong value."""

    name = "gradient"

    @staticmethod
    def forward(ctx, *arrays, value, op):
        ctx.op = op
        return value

    @staticmethod
    def backward(ctx, g):
        from .errors import UnimplementedError

        raise UnimplementedError(
            f"gradient: a higher-order gradient through the op '{ctx.op}' is not implemented; "
            "expected only ops with differentiable gradients (elementwise math, matmul, "
            "reductions, reshaping, indexing, softmax) between the inner tape's target and "
            "its sources")


def _vjp_tensors(node, g):
    """The op's input gradients as recorded tensors (so an outer tape can differentiate them)."""
    vjp = getattr(node, "vjp", None)
    if vjp is not None:
        return vjp(node, g)
    arrays = node.backward(node, g._data)
    op = node.name or type(node).__name__.lower()
    out = []
    for a in arrays:
        if a is None:
            out.append(None)
            continue
        out.append(_NoHigherOrder.apply(g, *node.parents, value=a, op=op))
    return out


def _unbroadcast_t(grad, shape):
    from . import ops

    if grad.shape == shape:
        return grad
    nd = grad.ndim - len(shape)
    if nd > 0:
        grad = ops.reduce_sum(grad, axis=tuple(range(nd)))
    axes = tuple(i for i, d in enumerate(shape) if d == 1 and grad.shape[i] != 1)
    if axes:
        grad = ops.reduce_sum(grad, axis=axes, keepdims=True)
    if grad.shape != shape:
        grad = ops.reshape(grad, shape)
    return grad


def backward(targets, seeds, sources, free=True, create_graph=False):
    """Gradients of ``sum(targets * seeds)`` w.r.t. each tensor in ``sources``.

    Returns a list aligned with ``sources`` (``None`` where unconnected).  With
    ``create_graph`` the seeds are tensors and every gradient is computed with
    recorded tensor ops (each op's ``vjp``), so a tape that is still recording
    can differentiate the result again (higher-order gradients).
    """
    if create_graph:
        want, leaf, _ = _propagate(targets, seeds, sources, _vjp_tensors, _unbroadcast_t)
        return [want.get(id(s._node)) if s._node is not None else leaf.get(id(s))
                for s in sources]
    want, leaf, order = _propagate(targets, seeds, sources, _vjp_arrays, unbroadcast)
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


def _vjp_arrays(node, g):
    return node.backward(node, g)


def _propagate(targets, seeds, sources, vjp, unbroadcast_to):
    """The reverse sweep: seeds at the targets, then one loop over the graph
    in reverse topological order. ``vjp(node, g)`` gives the gradients of a
    node's inputs (backend arrays, or recorded tensors for higher-order
    gradients) and ``unbroadcast_to`` sums them back to each input's shape.
    Returns the gradients of the source nodes, of the leaves, and the order."""
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
        in_grads = vjp(node, g)
        for p, pg, need in zip(parents, in_grads, node.needs):
            if pg is None or not need:
                continue
            shape = p._data.shape
            if pg.shape != shape:
                pg = unbroadcast_to(pg, shape)
            pn = p._node
            if pn is not None:
                old = grads.get(pn)
                grads[pn] = pg if old is None else old + pg
            else:
                k = id(p)
                old = leaf.get(k)
                leaf[k] = pg if old is None else old + pg
    return want, leaf, order


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
class UnconnectedGradients:
    """``tf.UnconnectedGradients``: what ``GradientTape.gradient`` gives for a source the
    target does not depend on: ``NONE`` (None/NULL) or ``ZERO`` (zeros)."""

    class _Value(str):
        @property
        def value(self):
            return str(self)

    NONE = _Value("none")
    ZERO = _Value("zero")


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
        self._explicit = set()  # ids of tensors watched with watch()
        self._accessed = {}  # variables used by recorded ops, in order (id -> variable)

    def __enter__(self):
        _state.tapes.append(self)
        self._recording = True
        _refresh()
        return self

    def __exit__(self, *exc):
        if self in _state.tapes:
            _state.tapes.remove(self)
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
            self._explicit.add(id(t))
            if isinstance(t, Variable):
                self._accessed.setdefault(id(t), t)
            if not t._rg:
                t._rg = True
                if not isinstance(t, Variable):
                    self._watched.append(t)

    def watched_variables(self):
        """The variables this tape watched: those recorded ops used (trainable ones, in
        the order first used) and those given to ``watch()``."""
        return tuple(self._accessed.values())

    @contextlib.contextmanager
    def stop_recording(self):
        with no_grad():
            yield

    def reset(self):
        self._used = False

    def _seeds(self, targets, output_gradients, graph):
        def ones(t):
            a = t._dev.xp.ones(t._data.shape, dtype=t._data.dtype)
            return _make(a, t._dev) if graph else a

        if output_gradients is None:
            return [ones(t) for t in targets]
        og = _flatten(output_gradients, [])
        if len(og) != len(targets):
            raise InvalidArgumentError(
                f"GradientTape.gradient: {len(og)} output_gradients for {len(targets)} "
                "targets; expected one per target")
        seeds = []
        for t, g in zip(targets, og):
            if g is None:
                seeds.append(ones(t))
                continue
            if isinstance(g, Tensor):
                a = g if graph else g._data
            else:
                a = t._dev.xp.asarray(g, t._data.dtype)
                a = _make(a, t._dev) if graph else a
            if a.shape != t._data.shape:
                raise InvalidArgumentError(
                    f"GradientTape.gradient: output_gradient of shape {shape_str(a.shape)} "
                    f"for target of shape {shape_str(t.shape)}; expected the same shape")
            seeds.append(a)
        return seeds

    def _check(self, what, targets, flat_sources):
        if self._used and not self.persistent:
            raise RuntimeError(
                f"GradientTape.{what} can only be called once on a non-persistent tape; "
                "expected GradientTape(persistent=True) for several calls")
        for t in targets + flat_sources:
            if not isinstance(t, Tensor):
                raise InvalidArgumentError(
                    f"GradientTape.{what}: expected Tensors as targets and sources, got "
                    f"{type(t).__name__}")

    def _outer_recording(self):
        """Another tape records: gradients are computed with recorded ops (higher order)."""
        return _state.on and any(t is not self for t in _state.tapes)

    def _backward(self, targets, seeds, flat_sources, free, graph):
        if graph:
            grads = backward(targets, seeds, flat_sources, create_graph=True)
        else:
            was = _state.paused
            _state.paused = 1
            _refresh()
            try:
                grads = backward(targets, seeds, flat_sources, free=free)
            finally:
                _state.paused = was
                _refresh()
        if not self.watch_accessed_variables:
            grads = [g if not isinstance(s, Variable) or id(s) in self._explicit else None
                     for g, s in zip(grads, flat_sources)]
        return grads

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """d(sum of targets)/d(sources), shaped like ``sources`` (None where unconnected).

        Called while another tape records (a tape inside a tape), the gradient is
        itself recorded, so the outer tape can differentiate it again.
        """
        targets = _flatten(target, [])
        flat_sources = _flatten(sources, [])
        self._check("gradient", targets, flat_sources)
        graph = self._outer_recording()
        seeds = self._seeds(targets, output_gradients, graph)
        self._used = True
        grads = self._backward(targets, seeds, flat_sources, not self.persistent and not graph,
                               graph)
        zero = unconnected_gradients in ("zero", "ZERO") or getattr(
            unconnected_gradients, "value", None) == "zero"
        grads = [_make(s._dev.xp.zeros(s._data.shape, s._data.dtype), s._dev)
                 if g is None and zero else g for g, s in zip(grads, flat_sources)]
        if isinstance(sources, Tensor):
            return grads[0]
        return _pack(sources, grads)

    def _rows(self, what, target, sources, rows, unconnected_gradients):
        """One backward pass per seed in ``rows`` (arrays shaped like target); per source the
        list of gradients (zeros where unconnected, or None with unconnected 'none')."""
        flat_sources = _flatten(sources, [])
        self._check(what, [target], flat_sources)
        graph = self._outer_recording()
        self._used = True
        per_source = [[] for _ in flat_sources]
        zero = unconnected_gradients in ("zero", "ZERO") or getattr(
            unconnected_gradients, "value", None) == "zero"
        connected = [False] * len(flat_sources)
        for seed in rows:
            s = _make(seed, target._dev) if graph else seed
            grads = self._backward([target], [s], flat_sources, False, graph)
            for i, (g, src) in enumerate(zip(grads, flat_sources)):
                if g is None:
                    g = _make(src._dev.xp.zeros(src._data.shape, src._data.dtype), src._dev)
                else:
                    connected[i] = True
                per_source[i].append(g)
        if not self.persistent and not graph:
            _free(_toposort([target._node] if target._node is not None else []))
        return flat_sources, per_source, [c or zero for c in connected]

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        """d target / d source for every element: shape target.shape + source.shape."""
        from . import ops

        if not isinstance(target, Tensor):
            raise InvalidArgumentError(
                f"GradientTape.jacobian: expected a Tensor target, got {type(target).__name__}")
        shape = target.shape
        n = target._data.size
        xp = target._dev.xp

        def rows():
            for i in range(n):
                e = xp.zeros(n, dtype=target._data.dtype)
                e[i] = 1
                yield e.reshape(shape)

        flat_sources, per_source, keep = self._rows("jacobian", target, sources, rows(),
                                                    unconnected_gradients)
        out = []
        for src, gs, k in zip(flat_sources, per_source, keep):
            if not k:
                out.append(None)
            elif n == 0:
                out.append(_make(xp.zeros(shape + src.shape, src._data.dtype), src._dev))
            else:
                out.append(ops.reshape(ops.stack(gs), shape + src.shape))
        if isinstance(sources, Tensor):
            return out[0]
        return _pack(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example jacobians: target [b, y...], source [b, x...] -> [b, y..., x...]
        (example i of the target must depend only on example i of the source)."""
        from . import ops

        for what, t in (("target", target), ("source", source)):
            if not isinstance(t, Tensor):
                raise InvalidArgumentError(f"GradientTape.batch_jacobian: expected a Tensor "
                                           f"{what}, got {type(t).__name__}")
            if t.ndim < 1:
                raise InvalidArgumentError(
                    f"GradientTape.batch_jacobian: the {what} has shape ()"
                    "; expected a batch dimension first (rank >= 1)")
        if target.shape[0] != source.shape[0]:
            raise InvalidArgumentError(
                f"GradientTape.batch_jacobian: target {shape_str(target.shape)} and source "
                f"{shape_str(source.shape)} differ in the batch dimension; expected the same "
                "first dimension")
        b, ys = target.shape[0], target.shape[1:]
        m = 1
        for d in ys:
            m *= d
        xp = target._dev.xp

        def rows():
            for j in range(m):
                e = xp.zeros((b, m), dtype=target._data.dtype)
                e[:, j] = 1
                yield e.reshape(target.shape)

        _, per_source, keep = self._rows("batch_jacobian", target, source, rows(),
                                         unconnected_gradients)
        gs = per_source[0]
        if not keep[0]:
            return None
        if m == 0 or b == 0:
            return _make(xp.zeros((b,) + ys + source.shape[1:], source._data.dtype),
                         source._dev)
        return ops.reshape(ops.stack(gs, axis=1), (b,) + ys + source.shape[1:])


@contextlib.contextmanager
def no_grad():
    """Ops inside the block are not recorded by any tape."""
    _state.paused += 1
    _refresh()
    try:
        yield
    finally:
        _state.paused -= 1
        _refresh()


stop_recording = no_grad


def is_recording():
    return _state.on


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
    if _state.on and x._rg:
        ctx = _ToDevice()
        ctx.src, ctx.dst = src, dev
        ctx.parents, ctx.needs = (x,), [True]
        out._node, out._rg = ctx, True
    return out
