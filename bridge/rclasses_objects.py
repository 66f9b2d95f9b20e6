"""Metric, loss, callback and learning-rate schedule classes written in R.

The same design as the layer classes of :mod:`bridge.rclasses` (read its
docstring): :func:`make_object_class` builds, at run time, a Python subclass
of the engine's ``Metric``, ``Loss``, ``Callback`` or
``LearningRateSchedule`` whose methods are R functions, each called as
``fn(self, klass, *args, **kwargs)`` -- the R side binds ``self`` (this very
object's handle) and ``super`` (reaching the parent class through
:func:`bridge.rclasses.call_super`).  ``initialize`` becomes ``__init__``;
the kind's own methods (a metric's ``update_state``/``result``/
``reset_state``, a loss's ``call``, a callback's ``on_*`` hooks, a
schedule's ``call``) replace the engine's, so the engine uses these objects
as its own; any other name is a new method.

What the R methods are given and must return follows keras:

* a metric's ``update_state(y_true, y_pred, sample_weight = NULL)`` gets
  tensors (run outside any gradient tape) and accumulates in weights made
  with ``self$add_weight()`` (variables with ``$assign()``,
  ``$assign_add()``); ``result()`` returns a tensor or a number;
* a loss's ``call(y_true, y_pred)`` returns a tensor of per-sample losses
  (or one value), which the base class reduces as ``reduction`` says;
* a callback's hooks get keras' arguments (``epoch``/``batch`` counted from
  0, ``logs`` a named list); ``self$model`` is the model being trained;
* a schedule's ``call(step)`` gets the optimizer's step count (a float
  tensor, from 0) and returns the learning rate, a tensor or a number.

An R error inside a method comes back as that R condition, its message
prefixed with the method and the object; a method that returns the wrong
kind of value is a ``TypeError`` naming it and what it must return.
"""

from __future__ import annotations

import inspect

import numpy as np
from tensorbridge.engine.autograd import no_grad
from tensorbridge.engine.keras import callbacks as _callbacks
from tensorbridge.engine.keras import initializers as _initializers
from tensorbridge.engine.keras import losses as _losses
from tensorbridge.engine.keras import metrics as _metrics
from tensorbridge.engine.keras.optimizers.schedules import LearningRateSchedule
from tensorbridge.engine.tensor import Tensor, Variable, convert_to_tensor

from .convert import RError
from .rclasses import (
    _describe,
    _init_config,
    _prefixed,
    _weight_shape,
    build_class,
    capture_init_args,
    check_classname,
)

# ---------------------------------------------------------------------------
# calling R, naming the object in errors
# ---------------------------------------------------------------------------


def _object_text(obj) -> str:
    kind = getattr(type(obj), "_r_kind", "object")
    name = getattr(obj, "name", None) if kind != "callback" else None
    cls = type(obj).__name__
    return f"{kind} '{name}' ({cls})" if isinstance(name, str) and name else f"a {cls} {kind}"


def _call_r(obj, method, fn, args, kwargs):
    try:
        return fn(*args, **kwargs)
    except RError as err:
        raise _prefixed(err, f"in {method} of {_object_text(obj)}") from None


def _tensor(x):
    if x is None or isinstance(x, Tensor):
        return x
    a = np.asarray(x)
    return convert_to_tensor(a if a.dtype.kind == "f" else a.astype(np.float32))


def _number(obj, method, value, what):
    """A scalar result (a tensor, a variable, a number) as a float."""
    if isinstance(value, Tensor):
        value = np.asarray(value.numpy())
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating, np.ndarray)):
        raise TypeError(f"{method}() of {_object_text(obj)} must return {what}, "
                        f"not {_describe(value)}")
    a = np.asarray(value)
    if a.dtype.kind not in "fiu" or a.size != 1:
        raise TypeError(f"{method}() of {_object_text(obj)} must return {what}, not "
                        f"{'an array of ' + str(a.size) + ' values' if a.size != 1 else 'text'}")
    return float(a.reshape(()))


# ---------------------------------------------------------------------------
# the base classes
# ---------------------------------------------------------------------------


class _RObject:
    """Mixed into every class made here: R may add attributes (``self$x <- v``)."""

    accepts_new_attributes = True
    _r_classname = "RObject"
    _r_kind = "object"


class RMetric(_RObject, _metrics.Metric):
    _r_kind = "metric"

    def __init__(self, name=None, dtype=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown argument(s) "
                            f"{', '.join(sorted(kwargs))} (a metric takes name and dtype)")
        super().__init__(name=name, dtype=dtype)
        self._r_weights = []

    def get_config(self):
        """The base config plus the arguments the metric was made with."""
        return {**_init_config(self, ("name", "dtype"), _object_text), **super().get_config()}

    def add_weight(self, name=None, shape=(), initializer="zeros", dtype=None, **kwargs):
        """A variable that holds the metric's state (``reset_state()`` sets it back)."""
        if "_r_weights" not in self.__dict__:
            raise RuntimeError(
                f"add_weight() of a {type(self).__name__} metric ran before the metric was "
                "initialized: call super$initialize(...) (keras 2: super()$`__init__`(...)) "
                "first in initialize()")
        for k in ("aggregation", "synchronization"):
            kwargs.pop(k, None)
        if kwargs:
            raise TypeError(f"add_weight(): unknown argument(s) {', '.join(sorted(kwargs))}")
        shape = _weight_shape(shape)
        init = _initializers.get(initializer or "zeros")
        dtype = dtype or self.dtype
        value = np.asarray(init(shape, dtype=dtype), dtype=dtype)
        name = name or f"weight_{len(self._r_weights)}"
        var = Variable(value, trainable=False, name=f"{self.name}/{name}")
        self._r_weights.append((var, value.copy()))
        return var

    def reset_state(self):
        for var, initial in self.__dict__.get("_r_weights", ()):
            var.assign(initial)

    def variables(self):
        return [v for v, _ in self.__dict__.get("_r_weights", ())]


class RLoss(_RObject, _losses.Loss):
    _r_kind = "loss"

    def __init__(self, reduction="sum_over_batch_size", name=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown argument(s) "
                            f"{', '.join(sorted(kwargs))} (a loss takes reduction and name)")
        super().__init__(reduction=reduction, name=name)

    def get_config(self):
        """The base config plus the arguments the loss was made with."""
        return {**_init_config(self, ("name", "reduction"), _object_text),
                **super().get_config()}

    def call(self, y_true, y_pred):  # pragma: no cover - replaced by the R class
        raise NotImplementedError(f"the loss class {type(self).__name__} has no call() method")


class RCallback(_RObject, _callbacks.Callback):
    _r_kind = "callback"


class RSchedule(_RObject, LearningRateSchedule):
    _r_kind = "learning rate schedule"

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}: unknown argument(s); give the "
                            "schedule's arguments to its initialize()")

    def get_config(self):
        return {}


_BASES = {"metric": RMetric, "loss": RLoss, "callback": RCallback, "schedule": RSchedule}
_ENGINE_BASES = {"metric": _metrics.Metric, "loss": _losses.Loss,
                 "callback": _callbacks.Callback, "schedule": LearningRateSchedule}

# ---------------------------------------------------------------------------
# methods
# ---------------------------------------------------------------------------


def _r_method(kind, r_name, fn, owner):
    """The Python method of ``owner[0]`` (a ``kind`` class) calling the R function ``fn``."""
    label = f"{r_name}()"
    if r_name in ("initialize", "__init__"):
        def method(self, *args, **kwargs):
            capture_init_args(self, args, kwargs)  # keras 3's automatic config
            _call_r(self, label, fn, (self, owner[0]) + args, kwargs)
            if kind == "metric" and "_r_weights" not in self.__dict__:
                raise RuntimeError(
                    f"initialize() of {type(self).__name__} must call the base class's "
                    "initializer: add super$initialize(...) (keras 2: "
                    "super()$`__init__`(...)) to it, passing on `...`")
        python_name = "__init__"
    elif kind == "metric" and r_name == "update_state":
        def method(self, y_true, y_pred, sample_weight=None):
            with no_grad():
                _call_r(self, label, fn, (self, owner[0], _tensor(y_true), _tensor(y_pred)),
                        {} if sample_weight is None else {"sample_weight": _tensor(sample_weight)})
        python_name = r_name
    elif kind == "metric" and r_name == "result":
        def method(self):
            with no_grad():
                out = _call_r(self, label, fn, (self, owner[0]), {})
            return _number(self, r_name, out, "a tensor or a number (the metric's value)")
        python_name = r_name
    elif kind == "metric" and r_name in ("reset_state", "reset_states"):
        def method(self):  # keras 2.x's older name too: the engine calls reset_state()
            with no_grad():
                _call_r(self, label, fn, (self, owner[0]), {})
        python_name = "reset_state"
    elif kind in ("metric", "loss") and r_name == "get_config":
        def method(self):
            out = _call_r(self, label, fn, (self, owner[0]), {})
            if out == []:
                out = {}
            if not isinstance(out, dict):
                raise TypeError(f"get_config() of {_object_text(self)} must return a named "
                                f"list, not {_describe(out)}")
            return out
        python_name = r_name
    elif kind == "loss" and r_name == "call":
        def method(self, y_true, y_pred):
            out = _call_r(self, label, fn, (self, owner[0], _tensor(y_true), _tensor(y_pred)), {})
            if not isinstance(out, Tensor):
                raise TypeError(
                    f"call() of {_object_text(self)} returned {_describe(out)}, not a tensor: "
                    "compute the loss from y_true and y_pred with tensor operations (R's "
                    "arithmetic on them, tf$... or k_*() functions), so that it has a gradient")
            return out
        python_name = r_name
    elif kind == "schedule" and r_name == "call":
        def method(self, step):
            step_t = convert_to_tensor(np.asarray(float(step), np.float32))
            with no_grad():
                out = _call_r(self, label, fn, (self, owner[0], step_t), {})
            lr = _number(self, r_name, out, "the learning rate (a tensor or a number)")
            if not np.isfinite(lr) or lr < 0:
                raise ValueError(f"call() of {_object_text(self)} gave the learning rate {lr} "
                                 f"at step {int(step)}; it must be a finite number >= 0")
            return lr
        python_name = "__call__"
    elif kind == "callback" and r_name.startswith("on_"):
        hook = {"on_batch_begin": "on_train_batch_begin",
                "on_batch_end": "on_train_batch_end"}.get(r_name, r_name)
        base = getattr(_callbacks.Callback, hook, None)
        if base is None:
            raise ValueError(f"{r_name} is not a keras callback hook; the hooks are "
                             + ", ".join(n for n in vars(_callbacks.Callback)
                                         if n.startswith("on_")))
        n_args = len(inspect.signature(base).parameters) - 2  # self, logs

        def method(self, *args):
            *counters, logs = args if len(args) > n_args else (*args, None)
            _call_r(self, label, fn, (self, owner[0], *[int(c) for c in counters],
                                      dict(logs or {})), {})
        python_name = hook
    else:
        def method(self, *args, **kwargs):
            return _call_r(self, label, fn, (self, owner[0]) + args, kwargs)
        python_name = r_name
    method.__name__ = python_name
    return python_name, method


def make_object_class(kind, classname, methods=None, parent=None, init_formals=None):
    """A new ``kind`` class (``"metric"``, ``"loss"``, ``"callback"``,
    ``"schedule"``) named ``classname`` whose methods are the R functions in
    ``methods`` (name -> R function).  ``parent``: a class made here before
    (of the same kind) or an engine class of that kind to extend."""
    if kind not in _BASES:
        raise ValueError(f"unknown kind of class {kind!r}")
    check_classname(classname, "MyMetric")
    base = _BASES[kind]
    if parent is None:
        bases = (base,)
    elif inspect.isclass(parent) and issubclass(parent, _ENGINE_BASES[kind]):
        bases = (parent,) if issubclass(parent, base) else (base, parent)
    else:
        raise TypeError(f"`inherit` must be a {kind} class, not {_describe(parent)}")
    extra = {}
    if init_formals is not None:  # the R initialize()'s argument names
        extra["_r_init_formals"] = tuple([init_formals] if isinstance(init_formals, str)
                                         else init_formals)
    return build_class(classname, bases, methods,
                       lambda r_name, fn, owner: _r_method(kind, r_name, fn, owner), extra)


def instantiate(cls, /, *args, **kwargs):
    """An object of the class ``cls`` made here (R calls a class through this)."""
    if not (inspect.isclass(cls) and issubclass(cls, _RObject)):
        raise TypeError(f"not a class written in R: {_describe(cls)}")
    return cls(*args, **kwargs)
