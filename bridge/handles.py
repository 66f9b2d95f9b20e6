"""The table of Python objects that R holds handles to.

R never holds a Python pointer: a handle is an R external pointer carrying an
integer key and an S3 class vector. The object lives here until R's garbage
collector runs the handle's finalizer, which calls :func:`release`.
The external pointer itself is made by the R package's C function
``tb_c_make_handle`` (see :func:`set_maker`).
"""

from __future__ import annotations

import itertools

_objects: dict[int, object] = {}
_keys = itertools.count(1)
_maker = {}
_class_vectors: dict[type, object] = {}


def set_maker(make_handle) -> None:
    """``make_handle(key: float, classes: SEXP) -> SEXP``, a C function."""
    _maker["make"] = make_handle


def to_r(obj):
    """A new R handle (an rpy2 ``Sexp``) for ``obj``."""
    import rpy2.rinterface as ri
    from rpy2.rinterface_lib import _rinterface_capi

    classes = _class_vectors.get(type(obj))
    if classes is None:  # one R class vector per Python type, shared by handles
        classes = _class_vectors[type(obj)] = ri.StrSexpVector(r_classes(obj))
    key = register(obj)
    cdata = _maker["make"](float(key), classes.__sexp__._cdata)
    handle = ri.Sexp(_rinterface_capi.SexpCapsule(cdata))
    if callable(obj):
        # a layer, a model, a function: R gets a function (keras R users call
        # shared layers and models on tensors: `encoder(input)`)
        from .runtime import r_helper

        return r_helper("make_callable")(handle)
    return handle


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
