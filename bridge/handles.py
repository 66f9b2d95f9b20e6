"""The table of Python objects that R holds handles to.

R never holds a Python pointer: a handle is an R external pointer carrying an
integer key and an S3 class vector. The object lives here until R's garbage
collector runs the handle's finalizer, which calls :func:`release`.
"""

from __future__ import annotations

import itertools

_objects: dict[int, object] = {}
_keys = itertools.count(1)


def register(obj) -> int:
    key = next(_keys)
    _objects[key] = obj
    return key


def lookup(key: int):
    try:
        return _objects[key]
    except KeyError:
        raise ValueError(
            "this tensorbridge object is no longer valid (it was released, or it was "
            "saved with saveRDS() and restored in another session); recreate it"
        ) from None


def release(key: int) -> None:
    _objects.pop(key, None)


def count() -> int:
    return len(_objects)


def r_classes(obj) -> list[str]:
    """S3 classes from the Python MRO, most specific first, e.g.
    ``tensorbridge.engine.tensor.Tensor`` ... then ``tensorbridge_object``."""
    classes = []
    for klass in type(obj).__mro__:
        if klass is object:
            continue
        module = klass.__module__
        classes.append(klass.__name__ if module == "builtins" else f"{module}.{klass.__name__}")
    classes.append("tensorbridge_object")
    return classes
