"""The keras ``Layer`` life cycle, symbolic ``KerasTensor``\\ s and ``Input``.

A layer's ``build(input_shape)`` makes its weights, ``call(inputs, training)``
computes on engine tensors, ``get_config()`` returns plain data that
``from_config()`` rebuilds.  Called on a :class:`KerasTensor` a layer does no
arithmetic: it builds itself, infers the output shape
(``compute_output_shape``, or a trace on a batch of one) and records a
:class:`Node` so a functional ``Model`` can replay the graph.  A layer knows
nothing of fitting, saving or R.
"""

import contextvars
import inspect
import itertools
import math
import re
import weakref

import numpy as np

from ... import dtypes
from ...autograd import no_grad
from ...tensor import Tensor, Variable, convert_to_tensor
from .. import _validate as _v
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers

FLOATX = "float32"
_NAME_COUNTS = {}


def unique_name(base):
    n = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def snake(name):
    """keras' default layer names: Conv2D -> conv2d, SimpleRNN -> simple_rnn."""
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


# -- nested structures -----------------------------------------------------------
def flatten(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in flatten(item)]
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in flatten(x[k])]
    return [x]


def pack_like(structure, flat):
    it = iter(flat)

    def rec(s):
        if isinstance(s, (list, tuple)):
            return type(s)(rec(v) for v in s) if type(s) in (list, tuple) else [rec(v) for v in s]
        if isinstance(s, dict):
            return {k: rec(s[k]) for k in sorted(s)}
        return next(it)

    return rec(structure)


def map_structure(fn, x):
    return pack_like(x, [fn(v) for v in flatten(x)])


def _is_shape(s):
    return isinstance(s, tuple) and all(d is None or isinstance(d, int) for d in s)


def shape_tuple(shape):
    return tuple(None if d is None else int(d) for d in shape)


# -- masks ----------------------------------------------------------------------------
# keras 2 hung a ``_keras_mask`` on each tensor; our Tensor has slots, so the masks
# live in a side table keyed by the tensor's id and dropped when the tensor dies.
_MASKS = {}


def set_keras_mask(tensor, mask):
    """Attach ``mask`` (a boolean Tensor, or None) to ``tensor``."""
    k = id(tensor)
    if mask is None:
        _MASKS.pop(k, None)
        return
    _MASKS[k] = (weakref.ref(tensor, lambda _r, k=k: _MASKS.pop(k, None)), mask)


def get_keras_mask(tensor):
    """The mask a layer attached to ``tensor`` (see ``Layer.compute_mask``), or None."""
    e = _MASKS.get(id(tensor))
    if e is not None and e[0]() is tensor:
        return e[1]
    return None


def _input_mask(inputs):
    if isinstance(inputs, Tensor):
        return get_keras_mask(inputs)
    masks = [get_keras_mask(t) if isinstance(t, Tensor) else None for t in flatten(inputs)]
    return masks if any(m is not None for m in masks) else None


# -- variables ---------------------------------------------------------------------
class KerasVariable(Variable):
    """An engine Variable that also carries keras' regularizer and constraint."""

    def __init__(self, value, trainable=True, name=None, regularizer=None, constraint=None):
        super().__init__(value, trainable=trainable, name=name)
        self.regularizer = regularizer
        self.constraint = constraint

    @property
    def path(self):
        return self._name

    def __reduce__(self):
        return (KerasVariable, (self.numpy(), self._trainable, self._name))


# -- a bound on the weights a model may create (loading a file) ------------------------------
_BUDGET = contextvars.ContextVar("tensorbridge_weight_budget", default=None)


class WeightBudget:
    """``with WeightBudget(limit, refuse):`` -- while active, layers may create weights
    of at most ``limit`` values in all.  The weight that would pass it raises
    ``refuse(total, layer_name, weight_name, shape)`` (an exception) before anything
    is allocated.  ``load_model`` uses it so that a model file's config cannot build
    more weights than the file holds."""

    def __init__(self, limit, refuse):
        self.limit = int(limit)
        self.refuse = refuse
        self.used = 0
        self._token = None

    def charge(self, layer_name, weight_name, shape):
        self.used += math.prod(max(d, 0) for d in shape)
        if self.used > self.limit:
            raise self.refuse(self.used, layer_name, weight_name, shape)

    def __enter__(self):
        self._token = _BUDGET.set(self)
        return self

    def __exit__(self, *exc):
        _BUDGET.reset(self._token)
        return False


# -- symbolic tensors ------------------------------------------------------------------
class KerasTensor:
    """A placeholder with a shape (batch dimension ``None``) and dtype, for graph building."""

    def __init__(self, shape, dtype=FLOATX, name=None, history=None):
        self.shape = shape_tuple(shape)
        self.dtype = dtypes.as_dtype(dtype).name
        self.name = name
        self._keras_history = history  # (layer, node_index, tensor_index)

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        layer = self._keras_history[0].name if self._keras_history else None
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
                f"name={self.name or layer}>")

    def __len__(self):
        raise TypeError("a KerasTensor is symbolic: it has no length until the model runs")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "a KerasTensor is a symbolic placeholder used to build a functional model; it has "
            "no values. Build a keras.Model(inputs, outputs) and call it on data instead.")


class Node:
    """One call of a layer on symbolic inputs: its input and output KerasTensors."""

    def __init__(self, layer, inputs, outputs, kwargs):
        self.layer = layer
        self.inputs = inputs  # nested structure as passed
        self.flat_inputs = flatten(inputs)
        self.outputs = outputs
        self.flat_outputs = flatten(outputs)
        self.kwargs = kwargs
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)

    @property
    def parents(self):
        return [kt._keras_history for kt in self.flat_inputs]


# -- the layer -------------------------------------------------------------------------------
_BASE_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim", "dtype",
                "name", "trainable", "autocast", "weights"}


class Layer:
    """Base class of all layers (and of ``Model``)."""

    _uses_training = None  # set per class: does call() take ``training``?
    _uses_mask = None  # set per class: does call() take ``mask``?
    supports_masking = False  # pass the input mask on unchanged (compute_mask)

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None,
                 batch_input_shape=None, batch_size=None, input_dim=None, **kwargs):
        kwargs.pop("autocast", None)
        initial_weights = kwargs.pop("weights", None)
        if kwargs:
            bad = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__}: unknown keyword argument(s) {bad}")
        who = type(self).__name__
        self.name = name or unique_name(snake(who))
        self.dtype = dtypes.as_dtype(dtype or FLOATX).name
        self._trainable = _v.boolean(who, "trainable", trainable)
        self._weights = []
        self._inbound_nodes = []
        self._losses = []
        self._initial_weights = initial_weights
        self.built = False
        if input_dim is not None and input_shape is None:
            input_shape = (_v.positive_int(who, "input_dim", input_dim),)
        if batch_input_shape is not None:
            self._batch_input_shape = _v.shape(who, "batch_input_shape", batch_input_shape)
        elif input_shape is not None:
            batch_size = _v.positive_int(who, "batch_size", batch_size, none_ok=True)
            self._batch_input_shape = (batch_size,) + _v.shape(who, "input_shape", input_shape)
        else:
            self._batch_input_shape = None
        cls = type(self)
        if cls._uses_training is None or "_uses_training" not in cls.__dict__:
            params = inspect.signature(self.call).parameters
            cls._uses_training = "training" in params or any(
                p.kind is p.VAR_KEYWORD for p in params.values())
            cls._uses_mask = "mask" in params

    # -- weights ---------------------------------------------------------------------------
    def add_weight(self, name=None, shape=(), initializer="glorot_uniform", dtype=None,
                   trainable=True, regularizer=None, constraint=None):
        init = _initializers.get(initializer or "zeros")
        shape = tuple(int(s) for s in shape)
        budget = _BUDGET.get()
        if budget is not None:
            budget.charge(self.name, name, shape)
        value = np.asarray(init(shape, dtype=dtype or self.dtype), dtype=dtype or self.dtype)
        var = KerasVariable(value, trainable=trainable and self._trainable,
                            name=f"{self.name}/{name}",
                            regularizer=_regularizers.get(regularizer),
                            constraint=_constraints.get(constraint))
        var._keras_trainable = bool(trainable)
        self._weights.append(var)
        return var

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freeze / unfreeze; takes effect at once (no recompile needed)."""
        value = _v.boolean(type(self).__name__, "trainable", value)
        self._trainable = value
        for v in self._weights:
            v.trainable = self._trainable and v._keras_trainable
        for layer in self._sublayers():
            layer.trainable = value

    def _sublayers(self):
        return []

    def _all_weights(self):
        out = list(self._weights)
        seen = {id(v) for v in out}
        for layer in self._sublayers():
            for v in layer._all_weights():
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def weights(self):
        """All weights in creation order (the order of ``get_weights``)."""
        return self._all_weights()

    variables = weights

    @property
    def trainable_weights(self):
        return [v for v in self._all_weights() if v.trainable]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return [v for v in self._all_weights() if not v.trainable]

    non_trainable_variables = non_trainable_weights

    def count_params(self):
        if not self.built:
            raise ValueError(f"layer {self.name!r} is not built yet, so it has no weights to "
                             "count; call it on data or give the model an input shape first")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        for v, a in zip(self.weights, checked_weight_arrays(self.name, self.weights, weights)):
            v.assign(a.astype(v._data.dtype, copy=False))

    # -- losses added during call (activity regularization) ----------------------------------
    def add_loss(self, loss):
        self._losses.append(loss)

    def _add_activity_loss(self, regularizer, output):
        """keras 2's activity regularization: ``regularizer(output)`` divided by
        the batch size (so the penalty does not grow with the batch)."""
        batch = output.shape[0] if output.ndim else 1
        loss = regularizer(output)
        self.add_loss(loss / float(batch) if batch else loss * 0.0)

    @property
    def losses(self):
        return list(self._losses)

    # -- life cycle ----------------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs):  # pragma: no cover - abstract
        return inputs

    def compute_mask(self, inputs, mask=None):
        """The mask of the output: the input's when ``supports_masking``, else None."""
        return mask if self.supports_masking else None

    def compute_output_shape(self, input_shape):
        """Output shape from a trace on a batch of one (layers override when they can)."""
        def zeros(s):
            return Tensor._make(np.zeros(tuple(1 if d is None else d for d in s), FLOATX),
                                convert_to_tensor(0.0)._dev)

        # (a shape such as (None, 3) is one input, not a structure of two)
        x = _map_shapes(zeros, input_shape)
        with no_grad():
            out = self.call(x, training=False) if self._uses_training else self.call(x)
        self._losses = []
        return map_structure(lambda t: (None,) + tuple(t.shape[1:]), out)

    def _maybe_build(self, input_shape):
        if not self.built:
            self._build_input_shape = input_shape  # saved with a subclassed model
            self.build(input_shape)
            self.built = True
            if self._initial_weights is not None:
                self.set_weights(self._initial_weights)
                self._initial_weights = None

    def __call__(self, inputs, *args, training=None, **kwargs):
        flat = flatten(inputs)
        if any(isinstance(t, KerasTensor) for t in flat):
            return self._symbolic_call(inputs, args, training, kwargs)
        if not all(isinstance(t, Tensor) for t in flat):
            inputs = map_structure(_to_tensor, inputs)
        if not self.built:
            shapes = map_structure(lambda t: tuple(t.shape), inputs)
            self._maybe_build(_single(shapes))
        mask = kwargs.pop("mask") if "mask" in kwargs else _input_mask(inputs)
        if self._uses_mask:
            kwargs["mask"] = mask
        if self._uses_training:
            out = self.call(inputs, *args, training=training, **kwargs)
        else:
            out = self.call(inputs, *args, **kwargs)
        out_mask = self.compute_mask(inputs, mask)
        if out_mask is not None:
            if isinstance(out, Tensor):
                set_keras_mask(out, out_mask if not isinstance(out_mask, list) else out_mask[0])
            else:
                for t, m in zip(flatten(out), flatten(out_mask)):
                    if isinstance(t, Tensor):
                        set_keras_mask(t, m)
        return out

    def _symbolic_call(self, inputs, args, training, kwargs):
        in_shapes = map_structure(lambda t: t.shape, inputs)
        self._maybe_build(_single(in_shapes))
        out_shapes = self.compute_output_shape(_single(in_shapes))
        if _is_shape(out_shapes):
            out_shapes = shape_tuple(out_shapes)
        counter = itertools.count()
        node_index = len(self._inbound_nodes)
        outputs = _map_shapes(
            lambda s: KerasTensor(s, self.dtype, history=(self, node_index, next(counter))),
            out_shapes)
        if args:
            kwargs = dict(kwargs, _args=list(args))
        Node(self, inputs, outputs, kwargs)
        return outputs

    @property
    def input_shape(self):
        if self._inbound_nodes:
            return _single(map_structure(lambda t: t.shape, self._inbound_nodes[0].inputs))
        if self._batch_input_shape is not None:
            return self._batch_input_shape
        raise AttributeError(f"layer {self.name!r} has not been called yet, so it has no "
                             "defined input shape")

    @property
    def output_shape(self):
        if self._inbound_nodes:
            return _single(map_structure(lambda t: t.shape, self._inbound_nodes[0].outputs))
        raise AttributeError(f"layer {self.name!r} has not been called yet, so it has no "
                             "defined output shape")

    @property
    def input(self):
        return self._inbound_nodes[0].inputs

    @property
    def output(self):
        return self._inbound_nodes[0].outputs

    # -- the nodes: one per call on symbolic inputs (keras' get_*_at) -------------------------
    def _access_nodes(self):
        """(inputs, outputs, node) of each call; a functional model's own graph comes first,
        as in keras, where building the model is its first node."""
        out = []
        if getattr(self, "_is_graph", False):
            out.append((self._input_struct, self._output_struct, None))
        out.extend((n.inputs, n.outputs, n) for n in self._inbound_nodes)
        return out

    def _node_at(self, node_index, what):
        nodes = self._access_nodes()
        if isinstance(node_index, bool) or not isinstance(node_index, (int, np.integer)):
            raise TypeError(f"layer {self.name!r}: node_index must be an int, got "
                            f"{type(node_index).__name__}")
        if not 0 <= node_index < len(nodes):
            have = (f"it has {len(nodes)} node(s) (0 to {len(nodes) - 1})" if nodes else
                    "it has none: it has not been called on a symbolic input yet")
            raise ValueError(f"layer {self.name!r}: asked for the {what} at node "
                             f"{node_index}, but {have}")
        return nodes[int(node_index)]

    def get_input_at(self, node_index):
        """The input tensor(s) of the layer's call number ``node_index`` (from 0)."""
        return self._node_at(node_index, "input")[0]

    def get_output_at(self, node_index):
        """The output tensor(s) of the layer's call number ``node_index`` (from 0)."""
        return self._node_at(node_index, "output")[1]

    def get_input_shape_at(self, node_index):
        return map_structure(lambda t: t.shape, self._node_at(node_index, "input shape")[0])

    def get_output_shape_at(self, node_index):
        return map_structure(lambda t: t.shape, self._node_at(node_index, "output shape")[1])

    def get_input_mask_at(self, node_index):
        """The mask(s) of the call's inputs, as symbolic boolean tensors (None: no mask)."""
        ins = self._node_at(node_index, "input mask")[0]
        return _symbolic_masks(ins, [_traced_mask(t) for t in flatten(ins)])

    def get_output_mask_at(self, node_index):
        """The mask(s) the call gives its outputs, as symbolic boolean tensors (None: no
        mask)."""
        outs = self._node_at(node_index, "output mask")[1]
        return _symbolic_masks(outs, [_traced_mask(t) for t in flatten(outs)])

    # -- config ---------------------------------------------------------------------------------
    def get_config(self):
        cfg = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            cfg["batch_input_shape"] = list(self._batch_input_shape)
        return cfg

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "batch_input_shape" in config and config["batch_input_shape"] is not None:
            config["batch_input_shape"] = tuple(config["batch_input_shape"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _flat_shapes(shapes):
    if _is_shape(shapes):
        return [shapes]
    if isinstance(shapes, dict):
        return [s for k in sorted(shapes) for s in _flat_shapes(shapes[k])]
    return [s for item in shapes for s in _flat_shapes(item)]


def _map_shapes(fn, shapes):
    if _is_shape(shapes):
        return fn(shapes)
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, shapes[k]) for k in sorted(shapes)}
    return [_map_shapes(fn, s) for s in shapes]


def _single(x):
    return x


# -- masks of symbolic tensors, found by a trace on a batch of one --------------------------------
def _trace_zeros(shape):
    return Tensor._make(np.zeros(tuple(1 if d is None else d for d in shape), FLOATX),
                        convert_to_tensor(0.0)._dev)


def _traced_mask(kt):
    """The mask that the layer calls producing the KerasTensor ``kt`` give it, as a concrete
    boolean tensor on a batch of one (its values are those of zero inputs; only its presence
    and shape mean something), or None."""
    layer, node_index, tensor_index = kt._keras_history
    node = layer._inbound_nodes[node_index]
    if isinstance(layer, InputLayer):
        return None
    in_masks = [_traced_mask(t) for t in node.flat_inputs]
    if isinstance(node.inputs, KerasTensor):
        mask = in_masks[0]
    else:
        mask = in_masks if any(m is not None for m in in_masks) else None
    zeros = _map_shapes(_trace_zeros, map_structure(lambda t: t.shape, node.inputs))
    with no_grad():
        out = layer.compute_mask(zeros, mask)
    if isinstance(out, (list, tuple)):
        return out[tensor_index] if tensor_index < len(out) else None
    return out if tensor_index == 0 else None


def _symbolic_masks(structure, masks):
    ks = [None if m is None else KerasTensor((None,) + tuple(m.shape[1:]), "bool")
          for m in masks]
    return ks[0] if isinstance(structure, KerasTensor) else ks


def _to_tensor(v):
    if isinstance(v, Tensor):
        return v
    a = np.asarray(v)
    if a.dtype.kind == "f" and a.dtype != np.float32 or a.dtype.kind in "iub":
        a = a.astype(FLOATX)
    return convert_to_tensor(a)


# -- inputs ------------------------------------------------------------------------------------
class InputLayer(Layer):
    """The layer behind ``keras.Input``: its single node produces the input KerasTensor."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_input_shape=None, sparse=False, ragged=False, **kwargs):
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("Input: give a shape, e.g. keras.Input(shape=(784,))")
            batch_size = _v.positive_int("Input", "batch_size", batch_size, none_ok=True)
            batch_input_shape = (batch_size,) + _v.shape("Input", "shape", input_shape)
        else:
            batch_input_shape = _v.shape("Input", "batch_shape", batch_input_shape)
        super().__init__(name=name or unique_name("input"), dtype=dtype,
                         batch_input_shape=batch_input_shape, **kwargs)
        self.built = True
        kt = KerasTensor(self._batch_input_shape, self.dtype, name=self.name,
                         history=(self, 0, 0))
        Node(self, [], kt, {})

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"batch_input_shape": list(self._batch_input_shape), "dtype": self.dtype,
                "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None, **kwargs):
    """A symbolic input tensor for the functional API: ``keras.Input(shape=(784,))``."""
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       batch_input_shape=batch_shape, **kwargs)
    return layer._inbound_nodes[0].outputs


def checked_weight_arrays(owner, own, weights):
    """``weights`` as arrays shaped like the variables ``own`` (in order), or a
    ``ValueError`` naming ``owner``, the weight and the shapes."""
    weights = list(weights)
    if len(weights) != len(own):
        raise ValueError(
            f"{owner}: set_weights got {len(weights)} arrays but it has {len(own)} weights "
            f"({', '.join(v._name for v in own) or 'none'}); give one array per weight, in "
            "the order of get_weights()")
    arrays = []
    for v, w in zip(own, weights):
        a = np.asarray(w)
        if a.ndim == 0 and tuple(v.shape) == (1,):
            a = a.reshape(1)  # a one-element vector that arrived as a scalar (e.g. from R)
        if a.shape != tuple(v.shape):
            raise ValueError(
                f"{owner}: weight {v._name!r} has shape {tuple(v.shape)} but the array given "
                f"has shape {a.shape}; give an array of shape {tuple(v.shape)}")
        arrays.append(a)
    return arrays
