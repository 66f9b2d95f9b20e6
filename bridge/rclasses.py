"""Keras layers whose code is written in R: ``layer_lambda()`` and layer classes.

Design
------
*A layer class written in R is a Python class made at run time.*
``make_layer_class(classname, methods, ...)`` builds a subclass of the engine's
``Layer`` (or of another class made here: R classes inherit) named
``classname``.  ``methods`` maps method names to R functions; each becomes a
Python method of the new class: ``initialize`` becomes ``__init__``; ``build``,
``call``, ``get_config``, ``compute_output_shape``, ``compute_mask`` replace
the engine's; any other name is a new method, reachable from R as
``self$name(...)``.  So the engine sees an ordinary layer: Sequential and
functional models, shared use, ``summary()``, weights, training and saving
need nothing special.

*Calling R.*  A method calls its R function (an ``RCallable``) as
``fn(self, klass, *args, **kwargs)``: the R side (rpkg/R/layers-custom.R)
made each of them a small wrapper that evaluates the user's function in a
fresh environment whose parent is the function's own (R closures keep
working) and that binds ``self`` -- the handle of this very Python object, so
``self$add_weight()``, ``self$units`` and ``self$kernel <- w`` reach it -- and
``super``, which reaches the parent class's methods through
:func:`call_super` (both keras 2's ``super()$`__init__`(...)`` and keras 3's
``super$initialize(...)``).  ``klass`` is the class that defined the method,
so ``super`` in a class inheriting from another R class reaches the right
parent.  An R error inside a method comes back as that R condition, its
message prefixed with the method and the layer; a method that returns the
wrong kind of value is a ``TypeError`` naming the method and what it must
return.

*Attributes.*  Objects of these classes accept new public attributes (R's
``self$x <- value``; ``bridge.api.assign_attr`` asks :func:`accepts_new_attributes`).
As in keras, assigning a layer (or a list of layers) tracks it as a
sub-layer, whose weights become this layer's, and assigning a variable tracks
it as a weight.

*Lambda layers.*  :class:`RLambda` (keras' ``Lambda``) calls an R function
of tensors.  Its config stores the function as R's ``serialize()`` bytes,
which only come back to life when the loader is told the file is trusted
(``safe_mode=False``): a model file never runs code on load.

*Saving.*  A custom class is saved under its class name with its
``get_config()``; :func:`load_model` takes the classes back in
``custom_objects`` (a constructor made by ``new_layer_class()`` arrives here
as its class) and refuses a file whose classes it was not given with an
error that says which and what to pass.
"""

from __future__ import annotations

import base64
import contextvars
import inspect
import math

import numpy as np
from tensorbridge.engine.keras import layers as _layers
from tensorbridge.engine.keras import saving as _saving
from tensorbridge.engine.keras.layers.base import (
    Layer,
    _to_tensor,
    flatten,
    pack_like,
)
from tensorbridge.engine.tensor import Tensor, Variable

from .convert import RCallable, RError

# ---------------------------------------------------------------------------
# R errors raised inside a layer's R code: the same condition, naming the layer
# ---------------------------------------------------------------------------


def _prefixed(err: RError, where: str) -> RError:
    """``err`` with ``where`` before its message (once: nested layers name the
    innermost one)."""
    import rpy2.rinterface as ri

    condition = err.condition
    try:
        message = str(condition[0][0])
        if message.startswith("in ") and " of layer " in message.split(":", 1)[0]:
            return err
        condition[0] = ri.StrSexpVector([f"{where}: {message}"])
    except Exception:  # noqa: BLE001 - the original error is still right
        return err
    return RError(condition)


def _layer_text(layer) -> str:
    name = getattr(layer, "name", None)
    kind = type(layer).__name__
    return f"layer '{name}' ({kind})" if name else f"a {kind} layer"


def _call_r(layer, method: str, fn, args, kwargs):
    """``fn(*args, **kwargs)``; an R error names ``method`` (``"call()"``) and the layer."""
    try:
        return fn(*args, **kwargs)
    except RError as err:
        raise _prefixed(err, f"in {method} of {_layer_text(layer)}") from None


def _describe(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a logical value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a named list"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, np.ndarray):
        return "an R array"
    if isinstance(value, RCallable):
        return "a function"
    return f"a {type(value).__name__} object"


# ---------------------------------------------------------------------------
# values R methods return
# ---------------------------------------------------------------------------


def _as_output(layer, method, value):
    """What an R ``call()`` returned as tensors: a tensor, an R array or
    number (made a tensor), or a list of these."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (list, tuple, dict)) and value:
        flat = flatten(value)
        if all(isinstance(v, (Tensor, np.ndarray, float, int)) and not isinstance(v, bool)
               for v in flat):
            return pack_like(value, [_to_tensor(v) for v in flat])
    elif isinstance(value, (np.ndarray, float, int)) and not isinstance(value, bool):
        if not isinstance(value, np.ndarray) or value.dtype.kind in "fiu":
            return _to_tensor(value)
    raise TypeError(f"{method}() of {_layer_text(layer)} must return a tensor (or a list of "
                    f"tensors), not {_describe(value)}")


def _as_dim(layer, method, d):
    if d is None:
        return None
    if isinstance(d, (float, np.floating)) and math.isnan(d):
        return None
    if isinstance(d, (int, float, np.integer, np.floating)) and not isinstance(d, bool) \
            and float(d) == int(d) and d >= 0:
        return int(d)
    raise TypeError(f"{method}() of {_layer_text(layer)} must return a shape: whole numbers, "
                    f"NULL or NA for a size that can vary; it gave {d!r} as a size")


def _as_shape(layer, method, value):
    """An R shape (``list(NULL, 3)``, ``c(NA, 3)``) or a list of shapes as
    Python shape tuples."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "fiu":
        return tuple(_as_dim(layer, method, d) for d in value.tolist())
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (list, tuple, np.ndarray)) for v in value):
        return [_as_shape(layer, method, v) for v in value]
    if isinstance(value, (list, tuple)):
        return tuple(_as_dim(layer, method, d) for d in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (_as_dim(layer, method, value),)
    raise TypeError(f"{method}() of {_layer_text(layer)} must return a shape (e.g. "
                    f"list(NULL, 3)), not {_describe(value)}")


def _weight_shape(shape):
    """``add_weight(shape = )`` as R gives it: a number, a vector, a list."""
    if shape is None:
        return ()
    if isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if not isinstance(shape, (list, tuple)):
        shape = [shape]
    out = []
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, (int, float, np.integer, np.floating)) \
                or float(d) != int(d) or d < 0:
            raise TypeError("add_weight(): `shape` must be whole numbers (e.g. c(3, 4)); the "
                            "sizes come from the input shape (build()'s `input_shape`) or the "
                            "layer's arguments")
        out.append(int(d))
    return tuple(out)


# ---------------------------------------------------------------------------
# layer classes written in R
# ---------------------------------------------------------------------------

_PYTHON_NAMES = {"initialize": "__init__", "__init__": "__init__"}


class RLayer(Layer):
    """Base of the layer classes made by :func:`make_layer_class`."""

    _uses_training = False
    _uses_mask = False
    _r_classname = "RLayer"
    accepts_new_attributes = True

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if not name.startswith("_"):
            self._track(value)

    def _track(self, value):
        d = self.__dict__
        if isinstance(value, Layer) and value is not self:
            tracked = d.setdefault("_r_layers", [])
            if not any(t is value for t in tracked):
                tracked.append(value)
        elif isinstance(value, Variable) and "_weights" in d:
            if not any(w is value for w in d["_weights"]):
                d["_weights"].append(value)
        elif isinstance(value, (list, tuple)) and not isinstance(value, str):
            for v in value:
                if isinstance(v, (Layer, Variable)):
                    self._track(v)

    def _sublayers(self):
        return list(self.__dict__.get("_r_layers", ())) + super()._sublayers()

    def get_config(self):
        """The base layer's config plus the arguments the object was made
        with (keras 3's rule for classes that define no ``get_config()``)."""
        return {**_init_config(self, _BASE_ARGS, _layer_text), **Layer.get_config(self)}

    @classmethod
    def from_config(cls, config):
        return Layer.from_config.__func__(cls, config)

    def add_weight(self, name=None, shape=(), initializer="glorot_uniform", dtype=None,
                   trainable=True, regularizer=None, constraint=None, **kwargs):
        if "_weights" not in self.__dict__:
            raise RuntimeError(
                f"add_weight() of a {type(self).__name__} layer ran before the layer was "
                "initialized: call super$initialize(...) (keras 2: super()$`__init__`(...)) "
                "first in initialize()")
        kwargs.pop("use_resource", None)
        kwargs.pop("synchronization", None)
        kwargs.pop("aggregation", None)
        if kwargs:
            raise TypeError(f"add_weight(): unknown argument(s) {', '.join(sorted(kwargs))}")
        if name is None:
            name = f"weight_{len(self._weights)}"
        return super().add_weight(name=name, shape=_weight_shape(shape),
                                  initializer=initializer, dtype=dtype,
                                  trainable=bool(trainable), regularizer=regularizer,
                                  constraint=constraint)


# arguments of the base classes' constructors, which their own config records
_BASE_ARGS = frozenset(inspect.signature(Layer.__init__).parameters) - {"self", "kwargs"}


def capture_init_args(obj, args, kwargs):
    """Keep the arguments of the outermost R ``initialize()`` of ``obj``."""
    if "_r_init_args" not in obj.__dict__:
        object.__setattr__(obj, "_r_init_args", (args, dict(kwargs)))


def _init_config(obj, base_args, text) -> dict:
    """The arguments ``obj`` was constructed with, by name, for its config
    (those in ``base_args`` left to the base class's config): the R
    ``initialize()``'s own arguments (``formals``) name positional ones.  An
    argument that a config cannot hold (a tensor, a function ...) is an error
    saying to define ``get_config()``; ``text(obj)`` names the object."""
    args, kwargs = obj.__dict__.get("_r_init_args", ((), {}))
    formals = [f for f in getattr(type(obj), "_r_init_formals", ()) if f != "..."]
    out = {}
    if len(args) > len(formals):
        raise TypeError(
            f"{text(obj)} was made with {len(args)} unnamed argument(s), which its "
            "config cannot name; give the arguments by name, or define get_config() in "
            "the class, returning a named list of the arguments that rebuild it")
    out.update(zip(formals, args))
    out.update(kwargs)
    out = {k: v for k, v in out.items() if k not in base_args}
    for key, value in out.items():
        if not _saving._jsonable(_plain(value)):
            raise TypeError(
                f"{text(obj)}: its argument '{key}' ({_describe(value)}) cannot be "
                "written to a config; define get_config() in the class, returning a named "
                "list of the arguments that rebuild it")
    return {k: _plain(v) for k, v in out.items()}


def _plain(value):
    """R vectors as the config's numbers and lists (a length-one array is a number)."""
    if isinstance(value, np.ndarray):
        return value.item() if value.size == 1 else value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def accepts_new_attributes(obj) -> bool:
    """May R's ``obj$name <- value`` create a new attribute? (R-defined layers.)"""
    return bool(getattr(type(obj), "accepts_new_attributes", False))


def _r_method(python_name, r_name, fn, owner):
    """The Python method of class ``owner[0]`` that calls the R function ``fn``."""

    if python_name == "__init__":
        def method(self, *args, **kwargs):
            capture_init_args(self, args, kwargs)  # keras 3's automatic config
            _call_r(self, f"{r_name}()", fn, (self, owner[0]) + args, kwargs)
            if "_weights" not in self.__dict__:
                raise RuntimeError(
                    f"initialize() of {type(self).__name__} must call the base class's "
                    "initializer: add super$initialize(...) (keras 2: "
                    "super()$`__init__`(...)) to it, passing on `...`")
    elif python_name == "build":
        def method(self, input_shape):
            _call_r(self, f"{r_name}()", fn, (self, owner[0], input_shape), {})
            self.built = True
    elif python_name == "call":
        def method(self, inputs, *args, **kwargs):
            out = _call_r(self, f"{r_name}()", fn, (self, owner[0], inputs) + args, kwargs)
            return _as_output(self, r_name, out)
    elif python_name == "get_config":
        def method(self):
            out = _call_r(self, f"{r_name}()", fn, (self, owner[0]), {})
            if out == []:
                out = {}
            if not isinstance(out, dict):
                raise TypeError(f"get_config() of {_layer_text(self)} must return a named "
                                f"list (of the layer's arguments), not {_describe(out)}")
            return out
    elif python_name == "compute_output_shape":
        def method(self, input_shape):
            out = _call_r(self, f"{r_name}()", fn, (self, owner[0], input_shape), {})
            return _as_shape(self, r_name, out)
    else:
        def method(self, *args, **kwargs):
            return _call_r(self, f"{r_name}()", fn, (self, owner[0]) + args, kwargs)
    method.__name__ = python_name
    return method


def make_layer_class(classname, methods=None, uses_training=None, uses_mask=None,
                     parent=None, init_formals=None):
    """A new layer class named ``classname`` whose methods are the R functions
    in ``methods`` (name -> R function, see the module's docstring).

    ``uses_training``/``uses_mask``: whether ``call`` takes those arguments
    (``None``: as the parent class).  ``parent``: a class made here before,
    or an engine layer class to extend (default ``Layer``).
    """
    check_classname(classname, "MyLayer")
    if parent is None or parent is Layer:
        parent = RLayer
    elif not (inspect.isclass(parent) and issubclass(parent, Layer)):
        raise TypeError("`inherit` must be a layer class (made with new_layer_class() or "
                        f"Layer()), not {_describe(parent)}")
    bases = (parent,) if issubclass(parent, RLayer) else (RLayer, parent)

    def layer_method(r_name, fn, owner):
        python_name = _PYTHON_NAMES.get(r_name, r_name)
        return python_name, _r_method(python_name, r_name, fn, owner)

    extra = {"_uses_training": bool(parent._uses_training if uses_training is None
                                    else uses_training),
             "_uses_mask": bool(parent._uses_mask if uses_mask is None else uses_mask)}
    if init_formals is not None:  # the R initialize()'s argument names
        extra["_r_init_formals"] = tuple([init_formals] if isinstance(init_formals, str)
                                         else init_formals)
    return build_class(classname, bases, methods, layer_method, extra)


def class_kind(cls):
    """What a class is, for R's ``inherit =`` and ``%py_class%``: ``"model"``,
    ``"layer"``, ``"metric"``, ``"loss"``, ``"callback"``, ``"schedule"``,
    or ``None`` for anything else (an object, not a class, included)."""
    from tensorbridge.engine.keras import callbacks as _callbacks
    from tensorbridge.engine.keras import losses as _losses
    from tensorbridge.engine.keras import metrics as _metrics
    from tensorbridge.engine.keras.optimizers.schedules import LearningRateSchedule

    if not inspect.isclass(cls):
        return None
    for kind, base in (("model", _Model), ("layer", Layer), ("metric", _metrics.Metric),
                       ("loss", _losses.Loss), ("callback", _callbacks.Callback),
                       ("schedule", LearningRateSchedule)):
        if issubclass(cls, base):
            return kind
    return None


def set_class_members(cls, attributes=None, properties=None):
    """Class attributes (R values) and properties (R functions ``function(value)``:
    called without ``value`` to read, with it to assign; keras R's
    ``%<-active%``) of a class made here."""
    for name, value in (attributes or {}).items():
        setattr(cls, name, value)
    for name, fn in (properties or {}).items():
        if not isinstance(fn, RCallable):
            raise TypeError(f"the property {name} must be an R function, not {_describe(fn)}")

        def getter(self, fn=fn, name=name):
            return _call_r(self, f"the property {name}", fn, (self, cls), {})

        def setter(self, value, fn=fn, name=name):
            _call_r(self, f"the property {name}", fn, (self, cls, value), {})

        setattr(cls, name, property(getter, setter))


def check_classname(classname, example):
    if not isinstance(classname, str) or not classname.isidentifier():
        raise ValueError(f"the class name must be a name such as \"{example}\" (letters, "
                         f"digits and underscores, not starting with a digit), not "
                         f"{classname!r}")


def build_class(classname, bases, methods, make_method, extra=None):
    """A Python class named ``classname`` whose methods are R functions:
    ``methods`` maps R names to R functions (an empty R list is no methods,
    ``NULL`` entries are skipped); ``make_method(r_name, fn, owner)`` gives
    ``(python name, method)``, where ``owner[0]`` is the class once made (a
    method's ``super``).  Every kind of class written in R is made here."""
    if isinstance(methods, list) and not methods:
        methods = {}  # an empty R list
    owner = [None]
    namespace = {"_r_classname": classname, "__module__": "tensorbridge.r", **(extra or {})}
    for r_name, fn in (methods or {}).items():
        if fn is None:
            continue
        if not isinstance(fn, RCallable):
            raise TypeError(f"the method {r_name} must be an R function, not {_describe(fn)}")
        python_name, method = make_method(r_name, fn, owner)
        namespace[python_name] = method
    cls = type(classname, bases, namespace)
    owner[0] = cls
    return cls


def instantiate(cls, /, *args, **kwargs):
    """A layer of the class ``cls`` (R calls a class through this: calling a
    class's handle would reach its instances' ``__call__``)."""
    if not (inspect.isclass(cls) and issubclass(cls, Layer)):
        raise TypeError(f"not a layer class: {_describe(cls)}")
    return cls(*args, **kwargs)


def call_super(obj, klass, name, /, *args, **kwargs):
    """``super(klass, obj).name(*args, **kwargs)``: R's ``super$name(...)``."""
    if name in ("initialize", "__init__"):
        name = "__init__"
    method = getattr(super(klass, obj), name, None)
    if method is None or not callable(method):
        raise AttributeError(f"the parent class of {klass.__name__} has no method '{name}'")
    out = method(*args, **kwargs)
    return None if name == "__init__" else out


# ---------------------------------------------------------------------------
# Lambda: a layer that calls an R function of tensors
# ---------------------------------------------------------------------------

_SAFE_MODE = contextvars.ContextVar("tensorbridge_r_safe_mode", default=True)
_UNSERIALIZE = contextvars.ContextVar("tensorbridge_r_unserialize", default=None)


class RLambda(Layer):
    """keras' ``Lambda`` layer with an R function: ``function(x)`` (or
    ``function(x, mask)``, ``function(x, training)``) plus ``arguments``."""

    _uses_training = False
    _uses_mask = False

    def __init__(self, function, output_shape=None, mask=None, arguments=None,
                 serializer=None, uses_training=False, uses_mask=False, **kwargs):
        if not isinstance(function, RCallable):
            raise TypeError(f"`f` must be an R function, not {_describe(function)}")
        super().__init__(**kwargs)
        self.function = function
        self._output_shape = output_shape
        self._mask = mask
        self.arguments = dict(arguments or {})
        self._serializer = serializer
        self._serialized = None
        self._uses_training = bool(uses_training)
        self._uses_mask = bool(uses_mask)

    def call(self, inputs, **kwargs):
        out = _call_r(self, "the R function", self.function, (inputs,),
                      {**self.arguments, **kwargs})
        return _as_output(self, "the function", out)

    def compute_output_shape(self, input_shape):
        spec = self._output_shape
        if spec is None:
            return super().compute_output_shape(input_shape)
        if isinstance(spec, RCallable):
            out = _call_r(self, "the output_shape function", spec, (input_shape,), {})
            return _as_shape(self, "output_shape", out)
        shape = _as_shape(self, "output_shape", spec)
        first = input_shape[0] if isinstance(input_shape, tuple) and input_shape else None
        return (first,) + shape if isinstance(shape, tuple) else shape

    def compute_mask(self, inputs, mask=None):
        if isinstance(self._mask, RCallable):
            out = _call_r(self, "the mask function", self._mask, (inputs, mask), {})
            return None if out is None else _as_output(self, "mask", out)
        return self._mask if self._mask is not None else None

    def get_config(self):
        cfg = super().get_config()
        if self._serialized is None:
            if self._serializer is None:
                raise ValueError(f"{_layer_text(self)}: its R function cannot be saved")
            data = _call_r(self, "serialize()", self._serializer, (), {})
            self._serialized = base64.b64encode(bytes(data)).decode("ascii")
        cfg["function"] = {"language": "R", "serialized": self._serialized}
        spec = self._output_shape
        if spec is not None and not isinstance(spec, RCallable):
            cfg["output_shape"] = list(_as_shape(self, "output_shape", spec))
        if self.arguments:
            cfg["arguments"] = {k: v for k, v in self.arguments.items()
                                if _saving._jsonable(v)}
        return cfg

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("function", None)
        name = config.get("name", "lambda")
        if not isinstance(fn, dict) or fn.get("language") != "R":
            raise ValueError(f"layer '{name}': its config holds no R function")
        if _SAFE_MODE.get():
            raise _saving.UnsafeCodeError(
                f"the model holds an R function (in the lambda layer '{name}'), and restoring it "
                "would run code from the file; only if you trust the file, load it with "
                "load_model(..., safe_mode = FALSE)")
        unserialize = _UNSERIALIZE.get()
        if unserialize is None:
            raise ValueError(f"layer '{name}': the R function can only be restored from R")
        function = unserialize(base64.b64decode(fn["serialized"]))
        if not isinstance(function, RCallable):
            raise ValueError(f"layer '{name}': the stored R function is damaged")
        layer = cls(function, **config)
        layer._serialized = fn["serialized"]
        return layer


RLambda.__name__ = "Lambda"
RLambda.__qualname__ = "Lambda"
_layers.register(RLambda)


# ---------------------------------------------------------------------------
# model classes written in R: new_model_class(), keras_model_custom()
# ---------------------------------------------------------------------------
#
# A model class written in R is made by :func:`make_layer_class` too, on
# :class:`RModel` (a ``Model`` that is also an ``RLayer``): its ``call`` is an
# R function, sub-layers and metrics assigned to ``self`` are tracked, and
# ``fit()``/``evaluate()``/``predict()`` run its R ``train_step``/
# ``test_step``/``predict_step`` in place of the built-in steps when the
# class defines them (keras 2's semantics: ``data`` is ``list(x, y)`` or
# ``list(x, y, sample_weight)``; the step returns a named list of metric
# values, which the progress bar, the callbacks and the history receive).
# ``self$compiled_loss``, ``self$compiled_metrics``, ``self$metrics`` and
# ``self$losses`` are keras 2's.


def _model_text(model) -> str:
    name = getattr(model, "name", None)
    kind = type(model).__name__
    return f"model '{name}' ({kind})" if name else f"a {kind} model"


def _as_list(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _as_host_list(value):
    return [None if v is None else _host_array(v) for v in _as_list(value)]


def _host_array(v):
    if isinstance(v, Tensor):
        return v.numpy()
    return np.asarray(v, dtype=np.float32) if not isinstance(v, np.ndarray) else v


class _CompiledLoss:
    """keras 2's ``model$compiled_loss(y_true, y_pred, sample_weight,
    regularization_losses)``: the compiled loss(es), weighted and summed, plus
    ``regularization_losses``; it updates the model's ``loss`` metric."""

    def __init__(self, model):
        self._model = model

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        from tensorbridge.engine.keras import model as _m

        model = self._model
        model._need_compiled("compiled_loss")
        c = model._compiled
        ys = _as_list(y_true)
        preds = [_to_tensor(p) for p in _as_list(y_pred)]
        sws = _as_list(sample_weight) if sample_weight is not None else [None] * len(preds)
        if len(ys) != len(c.losses) or len(preds) != len(c.losses):
            raise ValueError(f"compiled_loss of {_model_text(model)}: the model has "
                             f"{len(c.losses)} output(s), but y_true has {len(ys)} and y_pred "
                             f"{len(preds)}; give one of each per output")
        total, per_output = None, []
        for i, loss in enumerate(c.losses):
            if loss is None:
                per_output.append(None)
                continue
            sw = None if sws[i] is None else _to_tensor(sws[i])
            mask = _m.get_keras_mask(preds[i])
            if mask is not None:
                sw = _m._masked_loss_weights(mask, sw, loss.reduction, preds[i].dtype)
            v = loss(_to_tensor(ys[i]), preds[i], sample_weight=sw)
            per_output.append(v)
            term = v * c.loss_weights[i] if c.loss_weights[i] != 1.0 else v
            total = term if total is None else total + term
        for extra in flatten(regularization_losses or []):
            total = _to_tensor(extra) if total is None else total + extra
        if not hasattr(model, "_loss_tracker"):
            model._make_trackers()
        n = np.asarray(float(preds[0].shape[0] if preds[0].shape else 1))
        model._loss_tracker.update_state(np.asarray(float(_host_array(total))), n)
        for t, v in zip(model._out_trackers, per_output):
            if t is not None and v is not None:
                t.update_state(np.asarray(float(_host_array(v))), n)
        return total


class _CompiledMetrics:
    """keras 2's ``model$compiled_metrics``: ``update_state(y_true, y_pred,
    sample_weight)`` updates the metrics given to ``compile()``."""

    def __init__(self, model):
        self._model = model

    def update_state(self, y_true, y_pred, sample_weight=None):
        model = self._model
        model._need_compiled("compiled_metrics")
        c = model._compiled
        ys = _as_host_list(y_true)
        preds = _as_host_list(y_pred)
        sws = _as_host_list(sample_weight) if sample_weight is not None else [None] * len(preds)
        if c.metric_objs is None:
            c.build_metrics(ys, preds)
        for i, _, m, weighted in c.metric_objs or []:
            m.update_state(ys[i], preds[i], sws[i] if weighted else None)

    def reset_state(self):
        c = self._model._compiled
        for _, _, m, _ in (c.metric_objs or []) if c else []:
            m.reset_state()

    @property
    def metrics(self):
        c = self._model._compiled
        return [m for _, _, m, _ in (c.metric_objs or [])] if c else []


def _model_base():
    from tensorbridge.engine.keras.model import Model

    return Model


_Model = _model_base()


class RModel(RLayer, _Model):
    """Base of the model classes made by :func:`make_model_class`."""

    _r_classname = "RModel"

    def __setattr__(self, name, value):
        _Model.__setattr__(self, name, value)
        if not name.startswith("_") and name != "optimizer":
            self._track(value)

    def _track(self, value):
        from tensorbridge.engine.keras import metrics as _metrics

        if isinstance(value, _metrics.Metric):
            tracked = self.__dict__.setdefault("_r_metrics", [])
            if not any(t is value for t in tracked):
                tracked.append(value)
        elif isinstance(value, (list, tuple)) and not isinstance(value, str):
            for v in value:
                self._track(v)
        else:
            RLayer._track(self, value)

    def _sublayers(self):
        out = []
        for layer in list(self.__dict__.get("_r_layers", ())) + list(
                self.__dict__.get("_tracked", ())):
            if not any(layer is o for o in out):
                out.append(layer)
        return out

    @property
    def layers(self):
        return self._sublayers()

    def __call__(self, inputs, *args, training=None, **kwargs):
        if not any(isinstance(t, KerasTensorType) for t in flatten(inputs)):
            # keras: the losses added during a call are those of the latest call
            for layer in self._all_layers():
                if layer._losses:
                    layer._losses = []
        return _Model.__call__(self, inputs, *args, training=training, **kwargs)

    # -- keras 2's handles on the compiled loss and metrics --------------------
    @property
    def compiled_loss(self):
        return _CompiledLoss(self)

    @property
    def compiled_metrics(self):
        return _CompiledMetrics(self)

    @property
    def metrics(self):
        """The loss metric(s) once compiled, the compiled metrics, and the
        metrics assigned to ``self`` (reset at the start of each epoch)."""
        out = []
        if self._compiled is not None:
            if not hasattr(self, "_loss_tracker"):
                self._make_trackers()
            out.append(self._loss_tracker)
            out += [t for t in self._out_trackers if t is not None]
            out += [m for _, _, m, _ in (self._compiled.metric_objs or [])]
        out += list(self.__dict__.get("_r_metrics", ()))
        return out

    @property
    def losses(self):
        """keras' ``model$losses``: the losses the layers added in the latest
        call and the weights' regularization terms."""
        out = []
        for layer in self._all_layers():
            out += list(layer._losses)
        for v in self.weights:
            reg = getattr(v, "regularizer", None)
            if reg is not None:
                out.append(reg(v))
        return out

    def _reset_metrics(self):
        if self._compiled is not None:
            _Model._reset_metrics(self)
        for m in self.metrics:
            m.reset_state()

    # -- keras 2.13's compute_loss() / compute_metrics() ------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        """The compiled loss of ``y_pred`` against ``y`` plus ``self.losses``."""
        return self.compiled_loss(y, y_pred, sample_weight,
                                  regularization_losses=self.losses)

    def compute_metrics(self, x=None, y=None, y_pred=None, sample_weight=None):
        """Updates the compiled metrics; returns every metric's result by name."""
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        return {m.name: m.result() for m in self.metrics}

    # -- the steps: R's when the class defines them -----------------------------
    def _need_compiled(self, what):
        # a train_step() of one's own may compute its loss itself (keras 3: no
        # loss given to compile())
        if self.compiled and what in ("fit", "train_on_batch") and \
                self._overrides("train_step"):
            return
        _Model._need_compiled(self, what)

    def _overrides(self, name):
        return getattr(type(self), name) is not getattr(RModel, name)

    def _targets_optional(self, what):
        # keras: fit(x) / evaluate(x) give a step of one's own `data` = x
        return self._overrides({"fit": "train_step", "evaluate": "test_step"}[what])

    def _data(self, xs, ys=None, sws=None):
        from tensorbridge.engine.keras.model import _wrap

        x = [_wrap(a) for a in xs]
        x = x[0] if len(x) == 1 and not self._multi_input() else x
        if not ys:  # no targets (predict, or fit(x) with a step of one's own): x alone
            return x
        y = [_wrap(a) for a in ys]
        y = y[0] if len(y) == 1 else y
        if all(w is None for w in sws or []):
            return (x, y)
        w = [None if a is None else _wrap(np.asarray(a, np.float32)) for a in sws]
        return (x, y, w[0] if len(w) == 1 else w)

    def _unpack(self, data, method):
        items = list(data) if isinstance(data, (list, tuple)) else [data]
        if not 1 <= len(items) <= 3:
            raise ValueError(f"{method}() of {_model_text(self)}: `data` must be list(x), "
                             f"list(x, y) or list(x, y, sample_weight), not a list of "
                             f"{len(items)}")
        xs = _as_host_list(items[0])
        ys = _as_host_list(items[1]) if len(items) > 1 and items[1] is not None else None
        sws = (_as_host_list(items[2]) if len(items) > 2 and items[2] is not None
               else [None] * len(ys or [None]))
        return xs, ys, sws

    def _step_logs(self, method, out):
        if out == [] or out is None:
            return {}
        if not isinstance(out, dict):
            raise TypeError(f"{method}() of {_model_text(self)} must return a named list of "
                            f"metric values (e.g. list(loss = loss)), not {_describe(out)}")
        logs = {}
        for k, v in out.items():
            try:
                a = _host_array(v)
                logs[str(k)] = float(a) if np.ndim(a) == 0 or np.size(a) == 1 else a
            except (TypeError, ValueError):
                raise TypeError(f"{method}() of {_model_text(self)} must return numbers or "
                                f"tensors; its element '{k}' is {_describe(v)}") from None
        return logs

    def train_step(self, data):
        """keras' built-in step on ``data``: R's ``super$train_step(data)``."""
        xs, ys, sws = self._unpack(data, "train_step")
        return _Model._train_step(self, xs, ys, sws)

    def test_step(self, data):
        xs, ys, sws = self._unpack(data, "test_step")
        return _Model._test_step(self, xs, ys, sws)

    def predict_step(self, data):
        xs, _, _ = self._unpack(data, "predict_step")
        preds = _Model._predict_step(self, xs)
        return preds[0] if len(preds) == 1 else preds

    def _train_step(self, xs, ys, sws):
        if not self._overrides("train_step"):
            return _Model._train_step(self, xs, ys, sws)
        with np.errstate(over="ignore", invalid="ignore"):
            out = self.train_step(self._data(xs, ys, sws))
        logs = self._step_logs("train_step", out)
        loss = logs.get("loss")
        self._finite_loss = not isinstance(loss, float) or math.isfinite(loss)
        if not self._finite_loss:
            self._last_loss = "NaN" if loss != loss else ("Inf" if loss > 0 else "-Inf")
        return logs

    def _test_step(self, xs, ys, sws):
        if not self._overrides("test_step"):
            return _Model._test_step(self, xs, ys, sws)
        return self._step_logs("test_step", self.test_step(self._data(xs, ys, sws)))

    def _predict_step(self, xs):
        if not self._overrides("predict_step"):
            return _Model._predict_step(self, xs)
        out = self.predict_step((self._data(xs),))
        out = _as_output(self, "predict_step", out)
        return [_host_array(p) for p in flatten(out)]


def _keras_tensor_type():
    from tensorbridge.engine.keras.layers.base import KerasTensor

    return KerasTensor


KerasTensorType = _keras_tensor_type()


def make_model_class(classname, methods=None, uses_training=None, uses_mask=None,
                     parent=None, init_formals=None):
    """A new model class (see :class:`RModel`) whose methods are R functions;
    ``parent``: a model class made here before (default :class:`RModel`)."""
    if parent is None or parent is _Model:
        parent = RModel
    elif not (inspect.isclass(parent) and issubclass(parent, RModel)):
        raise TypeError("`inherit` must be a model class made with new_model_class(), not "
                        f"{_describe(parent)}")
    methods = {} if isinstance(methods, list) and not methods else dict(methods or {})
    metrics_fn = methods.pop("metrics", None)
    cls = make_layer_class(classname, methods, uses_training=uses_training,
                           uses_mask=uses_mask, parent=parent, init_formals=init_formals)
    if metrics_fn is not None:
        # keras 3: `metrics` is a property listing the metrics that fit()
        # resets at the start of each epoch
        if not isinstance(metrics_fn, RCallable):
            raise TypeError(f"the method metrics must be an R function, not "
                            f"{_describe(metrics_fn)}")

        def metrics(self):
            out = _call_r(self, "metrics()", metrics_fn, (self, cls), {})
            out = _as_list(out) if out is not None else []
            from tensorbridge.engine.keras import metrics as _metrics

            for m in out:
                if not isinstance(m, _metrics.Metric):
                    raise TypeError(f"metrics() of {_model_text(self)} must return a list of "
                                    f"metric objects, not a list holding {_describe(m)}")
            return out

        cls.metrics = property(metrics)
    return cls


# ---------------------------------------------------------------------------
# loading models that hold R code
# ---------------------------------------------------------------------------


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True,
               r_unserialize=None):
    """``engine.keras.models.load_model`` with R's custom objects: a layer
    class made in R (its constructor arrives as the class), and R functions
    in lambda layers restored only when ``safe_mode`` is false."""
    # a path, or the bytes of serialize_model()
    load = (_saving.deserialize_model if isinstance(filepath, (bytes, bytearray))
            else _saving.load_model)
    return _with_custom_objects(lambda objects: load(filepath, custom_objects=objects,
                                                     compile=compile),
                                custom_objects, safe_mode, r_unserialize, "load_model")


def model_from_text(text, custom_objects=None, format="json", safe_mode=True,
                    r_unserialize=None):
    """``model_from_json()`` / ``model_from_yaml()`` / ``from_config()`` (``format``
    ``"json"``, ``"yaml"`` or ``"config"``, then ``text`` is the config dict) with R's
    custom objects, as :func:`load_model` takes them."""
    def build(objects):
        if format == "config":
            return _saving.model_from_dict(text, objects)
        fn = _saving.model_from_yaml if format == "yaml" else _saving.model_from_json
        return fn(text, objects)

    what = {"json": "model_from_json", "yaml": "model_from_yaml"}.get(format, "from_config")
    return _with_custom_objects(build, custom_objects, safe_mode, r_unserialize, what)


def _with_custom_objects(build, custom_objects, safe_mode, r_unserialize, what):
    """``build(objects)`` with R's ``custom_objects`` (a class made in R
    registered under its own name too) and the ``safe_mode`` rule, a missing
    custom object an error saying what to pass."""
    objects = {}
    for key, value in (custom_objects or {}).items():
        objects[key] = value
        if inspect.isclass(value) and issubclass(value, Layer):
            # registered under the class's own name too (keras 3 files name classes so)
            objects.setdefault(getattr(value, "_r_classname", value.__name__), value)
    token_safe = _SAFE_MODE.set(bool(safe_mode))
    token_unser = _UNSERIALIZE.set(r_unserialize)
    try:
        return build(objects or None)
    except _saving.UnknownClassesError as err:
        names = err.class_names
        example = ", ".join(f"{n} = {n}" for n in names)
        several = len(names) > 1
        listed = ", ".join(repr(n) for n in names)
        if err.kind == "layer class":
            raise ValueError(
                f"{err.label} uses the custom layer class{'es' if several else ''} {listed}, "
                f"which tensorbridge does not define; pass {'them' if several else 'it'} when "
                f"loading: {what}(..., custom_objects = list({example})), each name given "
                "the constructor new_layer_class() returned (or the class Layer() "
                "returned)") from None
        raise ValueError(
            f"{err.label} was compiled with the custom loss{'es' if several else ''} or "
            f"metric{'s' if several else ''} "
            f"{listed}, which tensorbridge does not define; pass "
            f"{'them' if several else 'it'} when loading: "
            f"{what}(..., custom_objects = list({example})), each name given the R "
            "function (or the class new_loss_class() / new_metric_class() made), or load "
            "with compile = FALSE for the model without its training state") from None
    finally:
        _UNSERIALIZE.reset(token_unser)
        _SAFE_MODE.reset(token_safe)


def overrides(obj, name):
    """Whether ``obj`` is a model written in R whose class defines the method
    ``name`` itself (e.g. a GAN's own ``compile(d_optimizer, g_optimizer)``)."""
    return isinstance(obj, RModel) and obj._overrides(name)
