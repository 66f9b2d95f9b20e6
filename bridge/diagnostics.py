"""Probes the tests, benchmarks and curious users reach with ``tb_call``.

They look at what the bridge did from the Python side: what an R value
became, whether an object is still alive, how long a call takes to
interrupt.
"""

from __future__ import annotations

import time
import weakref

import numpy as np

_watched: dict[int, weakref.ref] = {}


def identity(x):
    """Returns its argument: R -> Python -> R in one call."""
    return x


def describe(x) -> dict:
    """What an R value became in Python: type, and dtype/shape for arrays."""
    info = {"type": type(x).__module__ + "." + type(x).__qualname__}
    if isinstance(x, np.ndarray):
        info.update(dtype=str(x.dtype), shape=list(x.shape),
                    f_contiguous=bool(x.flags.f_contiguous), owns_data=bool(x.flags.owndata),
                    writeable=bool(x.flags.writeable))
    return info


def watch(x) -> int:
    """Keeps a weak reference to ``x``; :func:`alive` tells whether it lives."""
    key = len(_watched) + 1
    _watched[key] = weakref.ref(x)
    return key


def alive(key: int) -> bool:
    import gc

    gc.collect()
    return _watched[int(key)]() is not None


def spin(seconds: float) -> float:
    """Busy Python work for ``seconds`` (interrupt tests); returns the time spent."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        sum(range(1000))
    return time.perf_counter() - start


def say(text: str) -> None:
    """Prints from Python (console routing tests)."""
    print(text)


def warn(text: str) -> None:
    import warnings

    warnings.warn(text, UserWarning, stacklevel=1)


def fail(message: str) -> None:
    raise ValueError(message)


def call_r(fn, *args):
    """Calls an R function from Python (R callback tests)."""
    return fn(*args)


def call_r_then_return(fn, x):
    """Calls ``fn(x)`` in R, then returns both its result and ``x``, which
    Python held across the nested call."""
    inner = fn(x)
    return {"inner": inner, "outer": x}


def same(a, b) -> bool:
    """Whether two handles refer to one Python object."""
    return a is b


def live_handles() -> int:
    """How many Python objects R holds handles to."""
    from . import handles

    return handles.count()


def kept_views() -> int:
    """How many numpy views of R memory protect their R object now: views
    that outlived the call that made them (see ``convert.settle_views``)."""
    from .convert import _RMemory

    return _RMemory.kept


def time_call(fn, *args, **kwargs) -> float:
    """Seconds that ``fn(*args, **kwargs)`` takes inside Python (benchmarks
    compare it with the same call timed from R)."""
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start
