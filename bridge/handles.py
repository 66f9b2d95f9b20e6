"""The table of Python objects that R holds handles to.

R never holds a Python pointer: a handle is an R external pointer carrying an
integer key and an S3 class vector. The object lives here until R's garbage
collector runs the handle's finalizer, which calls :func:`release`.
The external pointer itself is made by the R package's C function
``tb_c_make_handle`` (see :func:`set_maker`).
"""

from __future__ import annotations

import itertools
import random

import rpy2.rinterface as ri
from rpy2.rinterface_lib.openrlib import ffi

_objects: dict[int, object] = {}
# Keys start at a random offset, so that a handle from another R process
# (saveRDS() + readRDS()) never names an object of this one. (Doubles hold
# whole numbers exactly up to 2^53.)
_keys = itertools.count(random.SystemRandom().randrange(2**40, 2**52))

STALE = ("this object no longer exists (it was created in another R process or freed); "
         "create it again in this R session")
_maker = {}
_class_vectors: dict[type, object] = {}


def set_maker(make_handle) -> None:
    """``make_handle(key: float, classes: SEXP, callable: int) -> SEXP``, a C
    function (``NULL`` when R could not make the function for a callable)."""
    _maker["make"] = make_handle


def to_r_cdata(obj):
    """A new R handle for ``obj`` (a C ``SEXP``, not protected: the caller
    hands it to R, or protects it, before R allocates anything else).

    A callable object (a layer, a model, a function) becomes an R function
    that calls it: keras R users call shared layers and models on tensors
    (``encoder(input)``)."""
    kind = type(obj)
    classes = _class_vectors.get(kind)
    if classes is None:  # one R class vector per Python type, shared by handles
        classes = _class_vectors[kind] = ri.StrSexpVector(r_classes(obj))
    key = register(obj)
    handle = _maker["make"](float(key), classes.__sexp__._cdata, int(callable(obj)))
    if handle == ffi.NULL:
        release(key)
        raise RuntimeError(f"R could not make a function for the Python object {obj!r}")
    return handle


def register(obj) -> int:
    key = next(_keys)
    _objects[key] = obj
    return key


def lookup(key: int):
    try:
        return _objects[key]
    except KeyError:
        raise ValueError(STALE) from None


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
    classes.extend(c for c in keras_classes(type(obj)) if c not in classes)
    classes.append("tensorbridge_object")
    return classes


def keras_classes(kind: type) -> list[str]:
    """The class names keras (R 2.13, TensorFlow 2.13) gives objects of this
    kind, so that keras code's ``inherits(x, "keras.engine.training.Model")``
    holds: a model, a layer, a metric, a loss, a callback, an optimizer, a
    learning rate schedule; and TensorFlow's name for a dataset (tfdatasets
    code checks it)."""
    from tensorbridge.engine.data import Dataset
    from tensorbridge.engine.keras import callbacks, losses, metrics, optimizers
    from tensorbridge.engine.keras.layers.base import Layer
    from tensorbridge.engine.keras.model import Model
    from tensorbridge.engine.keras.sequential import Sequential

    out = []
    if issubclass(kind, Sequential):
        out.append("keras.engine.sequential.Sequential")
    if kind is Model or issubclass(kind, Sequential):
        out.append("keras.engine.functional.Functional")
    if issubclass(kind, Model):
        out.append("keras.engine.training.Model")
    if issubclass(kind, Layer):
        out.append("keras.engine.base_layer.Layer")
    elif issubclass(kind, metrics.Metric):
        out += ["keras.metrics.base_metric.Metric", "keras.metrics.Metric"]
    elif issubclass(kind, losses.Loss):
        out.append("keras.losses.Loss")
    elif issubclass(kind, callbacks.Callback):
        out.append("keras.callbacks.Callback")
    elif issubclass(kind, optimizers.Optimizer):
        out += ["keras.optimizers.optimizer.Optimizer", "keras.optimizers.Optimizer"]
    elif issubclass(kind, optimizers.LearningRateSchedule):
        out.append("keras.optimizers.schedules.learning_rate_schedule.LearningRateSchedule")
    elif issubclass(kind, Dataset):
        out.append("tensorflow.python.data.ops.dataset_ops.DatasetV2")
    return out
