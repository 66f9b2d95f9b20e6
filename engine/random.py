"""Random tensors with reproducible per-device streams (``tf.random``).

``set_seed(s)`` resets every device's generator to a stream derived from
``s``; the same seed gives the same sequence of draws on a device.  An op-level
``seed`` gives a fresh generator derived from (global seed, op seed) for that
call, so the same call with the same seeds returns the same values.

Forked processes.  Without a global seed (the default) every process draws
from fresh OS entropy: a child of ``fork()`` notices that its process id
changed at its next draw and reseeds, so children of R's
``parallel::mclapply`` (which calls C ``fork()`` directly, without Python's
fork hooks) or of Python's ``os.fork`` never repeat each other's draws or
initial weights.  With a global seed set, a child continues the stream it
inherited, exactly as the parent would have (seeded means reproducible; all
children of one parent then draw alike): to give children different but
reproducible streams, call ``set_seed(base + i)`` in child ``i``.
"""

import os
import threading

import numpy as np

from . import dtypes
from .device import current_device, get_device
from .errors import InvalidArgumentError, InvalidDTypeError
from .tensor import Tensor

__all__ = ["set_seed", "get_seed", "Streams", "normal", "uniform", "truncated_normal", "shuffle",
           "categorical", "stateless_uniform", "stateless_normal"]

_SEED = [None]
_GENS = {}
_PID = [os.getpid()]  # the process the generators in _GENS belong to
# The host's random state (R's .Random.seed, read by the bridge) seeds the streams when no
# seed was set here: a hook returning a number that changes with that state, or None.
_HOST = [None]
_HOST_SEED = [None]  # the seed derived from the host's state the streams now come from
_HOST_TOKEN = [None]  # the host's (draw, seed) that gave it


def set_seed(seed):
    """Reset the random streams of every device from ``seed``."""
    _SEED[0] = None if seed is None else int(seed)
    _GENS.clear()
    _HOST_SEED[0] = _HOST_TOKEN[0] = None
    _PID[0] = os.getpid()


def set_host_seed_source(fn):
    """``fn()`` -> ``(token, seed)`` from the host's random state (None: no state yet).
    Without a seed of the engine's own, the streams are seeded from ``seed`` and reseeded
    whenever ``token`` changes: the host's ``set.seed(1)`` then makes the engine's draws
    repeat too. Called only from the main thread (the host's)."""
    _HOST[0] = fn
    _HOST_SEED[0] = _HOST_TOKEN[0] = None


def get_seed():
    return _SEED[0]


class Streams:
    """Random streams of one's own: inside ``with streams:`` every draw comes
    from generators derived from ``seed`` and kept in this object, so a
    seeded computation (an estimator's initial weights and dropout) is
    reproducible without changing the global seed or stream that the rest
    of the program draws from; the global state is back after the block.
    With ``seed=None`` the block draws from the global streams as any other
    code does."""

    def __init__(self, seed):
        self.seed = None if seed is None else int(seed)
        self._gens = {}
        self._saved = []

    def __enter__(self):
        if self.seed is None:
            return self
        self._saved.append((_SEED[0], dict(_GENS)))
        _SEED[0] = self.seed
        _GENS.clear()
        _GENS.update(self._gens)
        return self

    def __exit__(self, *exc):
        if self.seed is None:
            return False
        self._gens = dict(_GENS)
        seed, gens = self._saved.pop()
        _SEED[0] = seed
        _GENS.clear()
        _GENS.update(gens)
        return False


def _after_fork():
    """In a forked child: unseeded streams restart from fresh entropy (seeded ones go on)."""
    _PID[0] = os.getpid()
    if _SEED[0] is None:
        _GENS.clear()
        _HOST_SEED[0] = _HOST_TOKEN[0] = None


def _host_seed():
    """The seed the host's random state gives now (streams reset when it changed)."""
    if _HOST[0] is None or threading.current_thread() is not threading.main_thread():
        return _HOST_SEED[0]
    h = _HOST[0]()
    if h is not None and h != _HOST_TOKEN[0]:
        _GENS.clear()
        _HOST_TOKEN[0] = h
        _HOST_SEED[0] = int(h[1])
    return _HOST_SEED[0]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _generator(dev, seed):
    if os.getpid() != _PID[0]:  # forked without Python's hooks (C fork(), e.g. mclapply)
        _after_fork()
    be = dev.backend
    g = _SEED[0]
    if g is None:
        g = _host_seed()
    if seed is not None:
        return be.make_rng(((0 if g is None else g) * 1000003 + int(seed) * 7919
                            + dev.index) % (2**32))
    gen = _GENS.get(dev.name)
    if gen is None:
        gen = _GENS[dev.name] = be.make_rng(None if g is None else (g * 31 + dev.index) % (2**32))
    return gen


def _shape(shape, op):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise InvalidArgumentError(f"{op}: shape {shape!r} is not a sequence of ints; "
                                   "expected e.g. (2, 3)") from None
    if any(s < 0 for s in shape):
        raise InvalidArgumentError(f"{op}: shape {shape} has a negative dimension; "
                                   "expected non-negative sizes")
    return shape


def _float(dtype, op):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise InvalidDTypeError(f"{op}: dtype {d.name} is not floating; expected float16, "
                                "float32 or float64")
    return d


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None,
           device=None):
    """Samples from N(mean, stddev**2)."""
    shape = _shape(shape, "random.normal")
    d = _float(dtype, "random.normal")
    dev = current_device() if device is None else get_device(device)
    a = dev.backend.rng_normal(_generator(dev, seed), shape, d.np)
    if stddev != 1.0:
        a *= d.np.type(stddev)
    if mean != 0.0:
        a += d.np.type(mean)
    return Tensor._make(a, dev)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None,
            device=None):
    """Samples from U[minval, maxval) (integers when ``dtype`` is an int type)."""
    shape = _shape(shape, "random.uniform")
    d = dtypes.as_dtype(dtype)
    dev = current_device() if device is None else get_device(device)
    gen = _generator(dev, seed)
    if d.is_integer:
        if maxval is None:
            raise InvalidArgumentError("random.uniform: integer dtype needs maxval; "
                                       "expected random.uniform(shape, minval, maxval, int32)")
        return Tensor._make(dev.backend.rng_integers(gen, int(minval), int(maxval), shape, d.np),
                            dev)
    if not d.is_floating:
        raise InvalidDTypeError(f"random.uniform: unsupported dtype {d.name}; expected a float "
                                "or integer dtype")
    maxval = 1.0 if maxval is None else maxval
    a = dev.backend.rng_uniform(gen, shape, d.np)
    if maxval - minval != 1.0:
        a *= d.np.type(maxval - minval)
    if minval != 0:
        a += d.np.type(minval)
    return Tensor._make(a, dev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None,
                     device=None):
    """Normal samples with values beyond two standard deviations redrawn."""
    shape = _shape(shape, "random.truncated_normal")
    d = _float(dtype, "random.truncated_normal")
    dev = current_device() if device is None else get_device(device)
    be, xp = dev.backend, dev.xp
    gen = _generator(dev, seed)
    a = be.rng_normal(gen, shape, d.np)
    bad = xp.abs(a) > 2
    while bool(bad.any()):
        n = int(bad.sum())
        a[bad] = be.rng_normal(gen, (n,), d.np)
        bad = xp.abs(a) > 2
    if stddev != 1.0:
        a *= d.np.type(stddev)
    if mean != 0.0:
        a += d.np.type(mean)
    return Tensor._make(a, dev)


def shuffle(value, seed=None, name=None):
    """``tf.random.shuffle``: ``value`` with its first axis in a random order."""
    from .ops import _t, gather

    x = _t(value, "random.shuffle")
    if x._data.ndim == 0:
        raise InvalidArgumentError("random.shuffle: value must have a first axis, not be a "
                                   "scalar")
    n = x.shape[0]
    keys = x._dev.backend.rng_uniform(_generator(x._dev, seed), (n,), np.float64)
    order = x._dev.xp.argsort(keys)
    return gather(x, order.astype(np.int64))


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: ``num_samples`` class indices per row of ``logits``
    (batch, classes), class j with probability softmax(logits)[j] (the Gumbel-max
    draw); int64 unless ``dtype`` says int32."""
    from .ops import _t

    x = _t(logits, "random.categorical")
    if x._data.ndim != 2:
        raise InvalidArgumentError(f"random.categorical: logits must be (batch, classes), not "
                                   f"shape {tuple(x.shape)}")
    d = dtypes.as_dtype(dtype or dtypes.int64)
    if d.name not in ("int32", "int64"):
        raise InvalidDTypeError(f"random.categorical: dtype must be int32 or int64, not {d.name}")
    n = int(num_samples)
    if n < 0:
        raise InvalidArgumentError(f"random.categorical: num_samples must be >= 0, not {n}")
    dev, xp = x._dev, x._dev.xp
    b, k = x.shape
    u = dev.backend.rng_uniform(_generator(dev, seed), (b, n, k), np.float64)
    gumbel = -xp.log(-xp.log(xp.clip(u, 1e-300, 1.0)))
    draws = xp.argmax(x._data.astype(np.float64)[:, None, :] + gumbel, axis=-1)
    return Tensor._make(draws.astype(d.np), dev)


def _stateless(seed, what):
    try:
        s = [int(v) for v in np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed)
             .reshape(-1)]
    except (TypeError, ValueError):
        s = []
    if len(s) != 2:
        raise InvalidArgumentError(f"{what}: seed must be two whole numbers, e.g. c(1L, 2L)")
    return (s[0] * 2654435761 + s[1] * 40503) % (2**32)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None):
    """``tf.random.stateless_uniform``: the same values for the same ``seed`` (a pair),
    whatever else was drawn."""
    with Streams(_stateless(seed, "random.stateless_uniform")):
        return uniform(shape, minval, maxval, dtype)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
    """``tf.random.stateless_normal``: the same values for the same ``seed`` (a pair)."""
    with Streams(_stateless(seed, "random.stateless_normal")):
        return normal(shape, mean, stddev, dtype)
