"""``keras.Model``: the functional graph, compile, and the one training loop.

``Model(inputs, outputs)`` replays the layer calls recorded on KerasTensors;
a subclass may instead override ``call``.  ``fit`` / ``evaluate`` / ``predict``
and the ``*_on_batch`` methods all run through ``_train_step`` /
``_test_step`` / ``_predict_step``; callbacks are the only extension point.
Weights change only in the optimizer step, after the whole gradient is known,
so an interrupt (``KeyboardInterrupt``) raised during a batch leaves the model
with the weights of the last finished batch.
"""

import collections
import json
import math
import warnings

import numpy as np

from .. import random as _random
from ..autograd import GradientTape, no_grad, toposort
from ..device import CPU, current_device
from ..tensor import Tensor
from . import _validate as _v
from . import callbacks as _callbacks
from . import data as _data
from . import data_adapter as _adapter
from . import losses as _losses
from . import metrics as _metrics
from . import optimizers as _optimizers
from .layers.base import (
    InputLayer,
    KerasTensor,
    Layer,
    checked_weight_arrays,
    flatten,
    get_keras_mask,
    pack_like,
    unique_name,
)


class NonFiniteLossError(FloatingPointError):
    """The training loss became NaN or infinite; the weights were not updated with it."""


def _wrap(a):
    dev = current_device()
    if dev is CPU:
        return Tensor._make(a, CPU)
    return Tensor._make(dev.backend.from_host(a), dev)


def _host(t):
    return t.numpy() if isinstance(t, Tensor) else np.asarray(t)


def _masked_loss_weights(mask, sample_weight, reduction, dtype):
    """keras' treatment of a masked output: masked steps weigh 0, and with
    the default reduction the loss is the mean over the unmasked steps only
    (the mask is scaled by total / valid before the sample weights)."""
    from .. import ops

    m = ops.cast(mask, dtype)
    if reduction == "sum_over_batch_size":
        valid = float(_host(ops.reduce_sum(m)))
        m = m * (m._data.size / valid if valid else 0.0)
    if sample_weight is None:
        return m
    sw = ops.cast(sample_weight, dtype)
    while sw.ndim > m.ndim and sw.shape[-1] == 1:
        sw = ops.squeeze(sw, -1)
    while sw.ndim < m.ndim:
        sw = ops.expand_dims(sw, -1)
    return m * sw


def _metric_weights(mask, sample_weight):
    """Weights for a metric update: the mask (as floats) times the sample
    weights, either of which may be absent."""
    if mask is None:
        return sample_weight
    if sample_weight is None:
        return mask
    sw = np.asarray(sample_weight, np.float64)
    sw = sw.reshape(sw.shape[:1] + (1,) * (mask.ndim - 1)) if sw.ndim < mask.ndim else sw
    return mask * sw


class _Compiled:
    """What compile() resolved: per-output losses, weights and metric specs."""

    def __init__(self, loss, loss_weights, metrics, weighted_metrics, names, custom_objects):
        n = len(names)
        self.names = names
        self.loss_spec, self.loss_weights_spec = loss, loss_weights
        self.metrics_spec, self.weighted_metrics_spec = metrics, weighted_metrics
        self.losses = self._per_output(loss, names, "loss")
        self.losses = [None if v is None else _losses.as_loss_object(v, custom_objects)
                       for v in self.losses]
        if all(v is None for v in self.losses):
            self.losses = [None] * n
        if loss_weights is None:
            self.loss_weights = [1.0] * n
        elif isinstance(loss_weights, dict):
            bad = set(loss_weights) - set(names)
            if bad:
                raise ValueError(f"loss_weights names unknown output(s) {sorted(bad)}; the "
                                 f"model's outputs are {names}")
            self.loss_weights = [float(loss_weights.get(k, 1.0)) for k in names]
        else:
            lw = list(loss_weights) if isinstance(loss_weights, (list, tuple)) else [loss_weights]
            if len(lw) != n:
                raise ValueError(f"loss_weights has {len(lw)} entries but the model has {n} "
                                 f"outputs ({', '.join(names)}); give one weight per output")
            self.loss_weights = [float(w) for w in lw]
        self.metric_specs = self._metric_lists(metrics, names)
        self.weighted_specs = self._metric_lists(weighted_metrics, names)
        for spec in self.metric_specs + self.weighted_specs:
            for m in spec:
                if not (isinstance(m, str) and m in ("accuracy", "acc", "crossentropy", "ce")):
                    _metrics.get(m, custom_objects)  # validate names now
        self.custom_objects = custom_objects
        self.metric_objs = None  # built at the first batch (accuracy needs shapes)

    @staticmethod
    def _per_output(spec, names, what):
        n = len(names)
        if isinstance(spec, dict):
            bad = set(spec) - set(names)
            if bad:
                raise ValueError(f"{what} names unknown output(s) {sorted(bad)}; the model's "
                                 f"outputs are {names}")
            return [spec.get(k) for k in names]
        if isinstance(spec, (list, tuple)):
            if len(spec) != n:
                raise ValueError(f"{what} is a list of {len(spec)} but the model has {n} "
                                 f"outputs ({', '.join(names)}); give one per output")
            return list(spec)
        return [spec] * n

    @staticmethod
    def _metric_lists(spec, names):
        n = len(names)
        if spec is None:
            return [[] for _ in names]
        if isinstance(spec, dict):
            out = []
            for k in names:
                v = spec.get(k, [])
                out.append(list(v) if isinstance(v, (list, tuple)) else [v])
            return out
        if isinstance(spec, (list, tuple)):
            if n > 1 and len(spec) == n and all(isinstance(v, (list, tuple)) for v in spec):
                return [list(v) for v in spec]
            return [list(spec) for _ in names]
        return [[spec] for _ in names]

    def build_metrics(self, ys, preds):
        objs = []
        for i, (specs, wspecs) in enumerate(zip(self.metric_specs, self.weighted_specs)):
            for specs_, weighted in ((specs, False), (wspecs, True)):
                for spec in specs_:
                    m = self._resolve(spec, ys[i], preds[i], self.losses[i])
                    label = m.name
                    if len(self.names) > 1:
                        label = f"{self.names[i]}_{label}"
                    if weighted:
                        label = f"weighted_{label}" if len(self.names) == 1 else label
                    objs.append((i, label, m, weighted))
        self.metric_objs = objs

    def _resolve(self, spec, y, pred, loss):
        if isinstance(spec, str) and spec in ("accuracy", "acc"):
            fn = _metrics.resolve_accuracy(spec, y.shape, tuple(pred.shape), loss)
            return _metrics.MeanMetricWrapper(fn, name=spec)
        if isinstance(spec, str) and spec in ("crossentropy", "ce"):
            p_last = pred.shape[-1]
            name = "binary_crossentropy" if p_last == 1 else (
                "sparse_categorical_crossentropy" if y.ndim < len(pred.shape) or y.shape[-1] == 1
                else "categorical_crossentropy")
            return _metrics.MeanMetricWrapper(_metrics._FUNCTIONS[name], name=spec)
        m = _metrics.get(spec, self.custom_objects)
        if m is spec:  # a user's Metric object: keep it (its state is theirs)
            return m
        return m



def _queue_args(fn, max_queue_size, workers, use_multiprocessing):
    """keras 2's arguments for a Sequence's batches computed ahead (see
    ``data_adapter.SequenceBatches``)."""
    max_queue_size = _v.positive_int(fn, "max_queue_size", max_queue_size)
    workers = _v.non_negative_int(fn, "workers", workers)
    if _v.boolean(fn, "use_multiprocessing", use_multiprocessing):
        warnings.warn(
            f"{fn}: use_multiprocessing = True: a Sequence's batches are computed by {workers} "
            "thread(s) here, not by processes (image folders read by "
            "image_dataset_from_directory() are already decoded in worker processes)",
            UserWarning, stacklevel=3)
    return {"max_queue_size": max_queue_size, "workers": workers}

class Model(Layer):
    """A functional model ``Model(inputs, outputs)``, or a base class with ``call``."""

    def __init__(self, inputs=None, outputs=None, name=None, trainable=True, **kwargs):
        object.__setattr__(self, "_tracked", [])
        super().__init__(name=name or unique_name("model"), trainable=trainable, **kwargs)
        self.optimizer = None
        self.compiled = False
        self._compiled = None
        self.stop_training = False
        self.history = None
        self._in_fit = False
        self._is_graph = False
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("Model: give both inputs and outputs (keras.Input tensors and "
                                 "the tensors computed from them)")
            self._init_graph(inputs, outputs)

    def __setattr__(self, key, value):
        if isinstance(value, Layer) and key not in ("optimizer",):
            tracked = self.__dict__.get("_tracked")
            if tracked is not None and all(value is not t for t in tracked):
                tracked.append(value)
        object.__setattr__(self, key, value)

    # -- the graph -------------------------------------------------------------------------
    def _init_graph(self, inputs, outputs):
        if isinstance(inputs, dict):
            self._input_names = sorted(inputs)
        self._input_struct = inputs
        self.inputs = flatten(inputs)
        self._output_struct = outputs
        self.outputs = flatten(outputs)
        for t in self.inputs + self.outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Model: inputs and outputs must be KerasTensors (from "
                                f"keras.Input and layer calls), got {type(t).__name__}")
        for t in self.inputs:
            if not isinstance(t._keras_history[0], InputLayer):
                raise ValueError("Model: every input must come from keras.Input(...), got a "
                                 f"tensor made by layer {t._keras_history[0].name!r}")
        order = toposort(
            [t._keras_history[0]._inbound_nodes[t._keras_history[1]]
             for t in reversed(self.outputs)],
            lambda node: [layer._inbound_nodes[ni] for layer, ni, _ in reversed(node.parents)])
        input_ids = {id(t) for t in self.inputs}
        for node in order:
            if isinstance(node.layer, InputLayer) and id(node.flat_outputs[0]) not in input_ids:
                raise ValueError(
                    f"Model: the graph is disconnected: output(s) depend on input "
                    f"{node.layer.name!r}, which is not among the model's inputs "
                    f"{[t._keras_history[0].name for t in self.inputs]}")
        self._nodes = [n for n in order if not isinstance(n.layer, InputLayer)]
        layers = [t._keras_history[0] for t in self.inputs]
        seen = {id(layer) for layer in layers}
        for n in self._nodes:
            if id(n.layer) not in seen:
                seen.add(id(n.layer))
                layers.append(n.layer)
        counts = collections.Counter(layer.name for layer in layers)
        dup = sorted(name for name, k in counts.items() if k > 1)
        if dup:
            raise ValueError(f"Model: layer names must be unique, but {dup} appear more than "
                             "once; give the layers distinct name= values")
        self._graph_layers = layers
        self._is_graph = True
        self.built = True

    @property
    def layers(self):
        if self._is_graph:
            return list(self._graph_layers)
        return list(self._tracked)

    def _sublayers(self):
        return self.layers

    @property
    def input_names(self):
        if self._is_graph:
            return [t._keras_history[0].name for t in self.inputs]
        return ["input_1"]

    @property
    def output_names(self):
        if self._is_graph:
            names = []
            for t in self.outputs:
                n = t._keras_history[0].name
                names.append(n if n not in names else f"{n}_{len(names)}")
            return names
        return ["output_1"]

    def _input_shapes(self):
        if self._is_graph:
            return [t.shape for t in self.inputs]
        return None

    def call(self, inputs, training=None):
        if not self._is_graph:
            raise NotImplementedError(f"{type(self).__name__}: a subclassed Model must define "
                                      "call(inputs, training=None)")
        flat = flatten(inputs) if not isinstance(inputs, dict) else [
            inputs[k] for k in self.input_names]
        if len(flat) != len(self.inputs):
            raise ValueError(f"model {self.name!r} has {len(self.inputs)} inputs but was "
                             f"called on {len(flat)}")
        values = {id(k): v for k, v in zip(self.inputs, flat)}
        for node in self._nodes:
            args = pack_like(node.inputs, [values[id(k)] for k in node.flat_inputs])
            kw = node.kwargs
            if kw:
                extra = kw.get("_args", ())
                kw = {k: v for k, v in kw.items() if k != "_args"}
                out = node.layer(args, *extra, training=training, **kw)
            else:
                out = node.layer(args, training=training)
            for k, v in zip(node.flat_outputs, flatten(out)):
                values[id(k)] = v
        return pack_like(self._output_struct, [values[id(k)] for k in self.outputs])

    def compute_output_shape(self, input_shape):
        if self._is_graph:
            out = pack_like(self._output_struct, [t.shape for t in self.outputs])
            return out
        return super().compute_output_shape(input_shape)

    def build(self, input_shape):
        self.built = True

    # -- compile ------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=None,
                jit_compile=None, custom_objects=None, **kwargs):
        """Set the optimizer, loss(es) and metrics; unknown names are a ValueError."""
        kwargs.pop("auto_scale_loss", None)
        if kwargs:
            raise TypeError(f"compile: unknown argument(s) {', '.join(sorted(kwargs))}")
        self.optimizer = _optimizers.get(optimizer, custom_objects)
        self._compiled = _Compiled(loss, loss_weights, metrics, weighted_metrics,
                                   self.output_names, custom_objects)
        self.compiled = True

    def _need_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"{what}: the model must be compiled first; call "
                               "model.compile(optimizer=..., loss=...)")
        if what != "evaluate" and all(v is None for v in self._compiled.losses):
            raise ValueError(f"{what}: the model was compiled without a loss; give "
                             "compile(loss=...), e.g. loss='mse'")

    @property
    def metrics_names(self):
        c = self._compiled
        if c is None:
            return []
        names = ["loss"]
        if len(c.names) > 1:
            names += [f"{n}_loss" for n, lo in zip(c.names, c.losses) if lo is not None]
        if c.metric_objs is not None:
            names += [label for _, label, _, _ in c.metric_objs]
        return names

    @property
    def metrics(self):
        c = self._compiled
        return [m for _, _, m, _ in (c.metric_objs or [])] if c else []

    # -- one step ---------------------------------------------------------------------------
    def _forward(self, xs, training):
        for layer in self._all_layers():
            if layer._losses:
                layer._losses = []
        inputs = xs[0] if len(xs) == 1 and not self._multi_input() else xs
        out = self(inputs, training=training)
        return flatten(out)

    def _multi_input(self):
        return self._is_graph and len(self.inputs) > 1

    def _all_layers(self):
        out, stack = [], [self]
        while stack:
            layer = stack.pop()
            out.append(layer)
            stack.extend(layer._sublayers())
        return out

    def _loss_terms(self, ys, preds, sws):
        c = self._compiled
        total = None
        per_output = []
        for i, loss in enumerate(c.losses):
            if loss is None:
                per_output.append(None)
                continue
            sw = None if sws[i] is None else _wrap(sws[i])
            mask = get_keras_mask(preds[i])
            if mask is not None:
                sw = _masked_loss_weights(mask, sw, loss.reduction, preds[i].dtype)
            v = loss(_wrap(ys[i]), preds[i], sample_weight=sw)
            per_output.append(v)
            term = v * c.loss_weights[i] if c.loss_weights[i] != 1.0 else v
            total = term if total is None else total + term
        for layer in self._all_layers():
            for extra in layer._losses:
                total = extra if total is None else total + extra
        for v in self.weights:
            reg = getattr(v, "regularizer", None)
            if reg is not None:
                total = total + reg(v)
        return total, per_output

    def _trainable_vars(self):
        return [v for v in self.weights if v._rg]

    def _make_trackers(self):
        c = self._compiled
        self._loss_tracker = _metrics.Mean("loss")
        self._out_trackers = [_metrics.Mean(f"{n}_loss") if len(c.names) > 1 and loss is not None
                              else None for n, loss in zip(c.names, c.losses)]

    def _reset_metrics(self):
        if not hasattr(self, "_loss_tracker"):
            self._make_trackers()
        self._loss_tracker.reset_state()
        for t in self._out_trackers:
            if t is not None:
                t.reset_state()
        for _, _, m, _ in self._compiled.metric_objs or []:
            m.reset_state()

    def _update_metrics(self, ys, preds, sws, total, per_output, n):
        c = self._compiled
        self._loss_tracker.update_state(np.asarray(float(_host(total))), np.asarray(float(n)))
        for t, v in zip(self._out_trackers, per_output):
            if t is not None and v is not None:
                t.update_state(np.asarray(float(_host(v))), np.asarray(float(n)))
        if c.metric_objs is None:
            c.build_metrics(ys, preds)
        if c.metric_objs:
            host = [_host(p) for p in preds]
            # as in keras, a masked output's metrics skip its masked steps
            masks = [get_keras_mask(p) for p in preds]
            masks = [None if m is None else _host(m).astype(np.float64) for m in masks]
            for i, _, m, weighted in c.metric_objs:
                m.update_state(ys[i], host[i],
                               _metric_weights(masks[i], sws[i] if weighted else None))

    def _logs(self):
        logs = {"loss": float(self._loss_tracker.result())}
        for t in self._out_trackers:
            if t is not None:
                logs[t.name] = float(t.result())
        for _, label, m, _ in self._compiled.metric_objs or []:
            r = m.result()
            logs[label] = float(r) if np.ndim(r) == 0 else r
        return logs

    def _train_step(self, xs, ys, sws):
        n = len(xs[0])
        # float overflow in the loss is reported once, by the non-finite loss guard below
        with np.errstate(over="ignore", invalid="ignore"), GradientTape() as tape:
            preds = self._forward([_wrap(x) for x in xs], training=True)
            total, per_output = self._loss_terms(ys, preds, sws)
            tvars = self._trainable_vars()
        # one scalar per batch (the progress bar needs it anyway): a NaN/Inf loss must not
        # reach the weights
        loss = float(_host(total))
        self._finite_loss = math.isfinite(loss)
        self._last_loss = "NaN" if loss != loss else ("Inf" if loss > 0 else "-Inf")
        if self._finite_loss:
            grads = tape.gradient(total, tvars) if tvars else []
            pairs = [(g, v) for g, v in zip(grads, tvars) if g is not None]
            if pairs:
                self.optimizer.apply([g for g, _ in pairs], [v for _, v in pairs])
        self._update_metrics(ys, preds, sws, total, per_output, n)
        return self._logs()

    def _test_step(self, xs, ys, sws):
        n = len(xs[0])
        with no_grad():
            preds = self._forward([_wrap(x) for x in xs], training=False)
            total, per_output = self._loss_terms(ys, preds, sws)
        self._update_metrics(ys, preds, sws, total, per_output, n)
        return self._logs()

    def _predict_step(self, xs):
        with no_grad():
            preds = self._forward([_wrap(x) for x in xs], training=False)
        return [_host(p) for p in preds]

    # -- data -------------------------------------------------------------------------------
    def _prepare_x(self, x, what="x"):
        names = self.input_names
        xs = _data.inputs_to_arrays(x, names, what)
        if not self.built:
            self._build_from_data(xs)
        shapes = self._input_shapes()
        if shapes is not None:
            for a, s, nm, i in zip(xs, shapes, names, range(len(xs))):
                label = what if len(xs) == 1 else f"{what}[{i}]"
                _data.check_input_shape(a, s, label, nm)
        return xs

    def _build_from_data(self, xs):
        """A subclassed model builds its layers by running ``call`` on one row."""
        if self._is_graph:
            return
        self.built = True
        shapes = [(None,) + tuple(np.shape(a)[1:]) for a in xs]
        self._build_input_shape = shapes[0] if len(shapes) == 1 else shapes
        if type(self).call is Model.call:
            return  # no call() (keras allows it when the model's own steps do not call it)
        with no_grad():
            inputs = [_wrap(np.asarray(a[:1], np.float32)) for a in xs]
            Layer.__call__(self, inputs[0] if len(inputs) == 1 else inputs, training=False)
        for layer in self._all_layers():
            layer._losses = []

    def _targets_optional(self, what):
        """Whether ``what`` (``"fit"``, ``"evaluate"``) runs without targets: only
        for a model whose own step reads ``x`` alone (keras' VAE, its GANs)."""
        return False

    def _prepare(self, x, y, sample_weight, class_weight, check_nan=True):
        xs = self._prepare_x(x)
        names = self.output_names
        if y is None:  # a step of the model's own that reads x alone
            if class_weight is not None or sample_weight is not None:
                raise ValueError("sample_weight and class_weight need the targets y")
            ys, sws = [], [None]
        else:
            ys = _data.targets_to_arrays(y, names)
            sws = _data.weights_to_arrays(sample_weight, len(names), names)
        if class_weight is not None:
            if len(names) > 1:
                raise ValueError("class_weight is only supported for models with one output; "
                                 "use sample_weight for several outputs")
            cw = _data.class_weight_to_sample_weight(ys[0], class_weight)
            sws = [cw if sws[0] is None else sws[0] * cw]
        labels = [("x" if len(xs) == 1 else f"x[{i}]") for i in range(len(xs))]
        labels += [("y" if len(ys) == 1 else f"y[{i}]") for i in range(len(ys))] if ys else []
        _data.check_rows(xs + (ys or []), labels)
        for w in sws:
            if w is not None and len(w) != len(xs[0]):
                raise ValueError(f"sample_weight has {len(w)} rows but x has {len(xs[0])}; give "
                                 "one weight per row")
        if check_nan:
            for lab, a in zip(labels, xs + (ys or [])):
                _data.check_finite(a, lab)
        if len(xs[0]) == 0:
            raise ValueError("x has no rows; give at least one sample")
        return xs, ys, sws

    # -- fit -----------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, max_queue_size=10, workers=1,
            use_multiprocessing=False, **kwargs):
        """Train for ``epochs`` epochs; returns a ``History`` (``.history``, ``.epoch``).

        ``x`` is arrays (with ``y``), or a batch source: a dataset, a Python
        iterator or generator, a callable returning the next batch, or a
        ``Sequence`` (see :mod:`.data_adapter`); ``validation_data`` likewise."""
        if kwargs:
            raise TypeError(f"fit: unknown argument(s) {', '.join(sorted(kwargs))}")
        self._need_compiled("fit")
        from_source = _adapter.is_source(x)
        if from_source and batch_size is not None:
            raise ValueError("fit: do not give batch_size when x is a dataset, a generator or "
                             "a Sequence: its batches already have their size")
        batch_size = _data.check_batch_size(batch_size)
        validation_split = _data.check_validation_split(validation_split)
        epochs = _v.non_negative_int("fit", "epochs", epochs)
        initial_epoch = _v.non_negative_int("fit", "initial_epoch", initial_epoch)
        if initial_epoch > epochs:
            raise ValueError(f"fit: initial_epoch ({initial_epoch}) is larger than epochs "
                             f"({epochs}); epochs counts to the last epoch, so give epochs >= "
                             "initial_epoch")
        steps_per_epoch = _v.steps("fit", "steps_per_epoch", steps_per_epoch)
        validation_steps = _v.steps("fit", "validation_steps", validation_steps)
        validation_freq = _v.positive_int("fit", "validation_freq", validation_freq)
        validation_batch_size = _data.check_batch_size(validation_batch_size, none_ok=True)
        shuffle = _v.boolean("fit", "shuffle", shuffle)
        verbose = _v.verbose("fit", verbose)
        queue = _queue_args("fit", max_queue_size, workers, use_multiprocessing)
        rng = np.random.default_rng(int(_random.uniform((), 0, 2**31 - 1, "int64",
                                                        device="cpu").numpy()))
        if from_source:
            if y is not None or sample_weight is not None:
                raise ValueError("fit: do not give y or sample_weight when x is a dataset, a "
                                 "generator or a Sequence: its batches carry them, as (x, y) "
                                 "or (x, y, sample_weight)")
            if validation_split:
                raise ValueError("fit: validation_split needs arrays; with a dataset, a "
                                 "generator or a Sequence give validation_data instead")
            train = _adapter.make_source(x, "fit", steps_per_epoch, "steps_per_epoch",
                                         shuffle=shuffle, rng=rng, **queue)
            xs = None
        else:
            if y is None and isinstance(x, tuple) and len(x) == 2 and validation_data is None:
                x, y = x
            if y is None and not self._targets_optional("fit"):
                raise ValueError("fit: y (the targets) is missing; give fit(x, y, ...)")
            xs, ys, sws = self._prepare(x, y, sample_weight, class_weight)
            class_weight = None  # now in sws
        val = None
        val_bs = validation_batch_size or batch_size
        if validation_data is not None:
            if _adapter.is_source(validation_data):
                val = _adapter.make_source(validation_data, "fit", validation_steps,
                                           "validation_steps", validation=True, **queue)
            else:
                if not isinstance(validation_data, (list, tuple)) or \
                        len(validation_data) not in (2, 3):
                    raise ValueError("validation_data must be (x_val, y_val) or (x_val, y_val, "
                                     "sample_weight_val), or a dataset, generator or Sequence")
                vx, vy = validation_data[0], validation_data[1]
                vsw = validation_data[2] if len(validation_data) == 3 else None
                val = _adapter.ArrayBatches(*self._prepare(vx, vy, vsw, None), val_bs,
                                            steps=validation_steps, wrap="modulo")
        elif validation_split > 0:
            n = len(xs[0])
            split = int(math.floor(n * (1.0 - validation_split)))
            if split == 0 or split == n:
                raise ValueError(f"validation_split={validation_split} leaves "
                                 f"{'no training' if split == 0 else 'no validation'} rows out "
                                 f"of {n}; use a split that keeps rows on both sides")
            cut = lambda arrs: [None if a is None else a[split:] for a in arrs]  # noqa: E731
            keep = lambda arrs: [None if a is None else a[:split] for a in arrs]  # noqa: E731
            val = _adapter.ArrayBatches(cut(xs), cut(ys), cut(sws), val_bs,
                                        steps=validation_steps, wrap="modulo")
            xs, ys, sws = keep(xs), keep(ys), keep(sws)
        if not from_source:
            train = _adapter.ArrayBatches(xs, ys, sws, batch_size, shuffle=shuffle,
                                          steps=steps_per_epoch, rng=rng)
        self.history = _callbacks.History()
        cbs = list(callbacks or [])
        if verbose:
            cbs.append(_callbacks.ProgbarLogger(verbose=verbose))
        cbs.append(self.history)
        params = {"verbose": verbose, "epochs": epochs, "steps": train.steps}
        self.history.params = params
        cbl = _callbacks.CallbackList(cbs, model=self, params=params)
        self._reset_metrics()
        self.stop_training = False
        self._in_fit = True
        batch_hooks = cbl.wants("on_train_batch_begin") or cbl.wants("on_train_batch_end")
        nan_stops = any(isinstance(cb, _callbacks.TerminateOnNaN) for cb in cbs)
        where = getattr(train, "where", None)
        try:
            cbl.call("on_train_begin", None)
            logs = {}
            for epoch in range(initial_epoch, epochs):
                self._reset_metrics()
                cbl.call("on_epoch_begin", epoch, None)
                drawn = 0
                for step, batch in train.epoch(epoch):
                    drawn += 1
                    if where is not None:
                        batch = _adapter.convert_batch(self, "fit", batch, step, epoch, where,
                                                       class_weight=class_weight)
                    if batch_hooks:
                        cbl.call("on_train_batch_begin", step, None)
                    logs = self._train_step(*batch)
                    if not self._finite_loss and not nan_stops:
                        raise NonFiniteLossError(
                            f"fit: the loss became {self._last_loss} at epoch {epoch + 1}, "
                            f"batch {step + 1} (counting from 1, as the progress bar does); "
                            "training stopped before that batch changed the weights, which "
                            "are those after the last finite batch. Lower the learning rate, "
                            "check the data for extreme values, or add the TerminateOnNaN "
                            "callback (callback_terminate_on_nan() in R) to stop without "
                            "an error")
                    if batch_hooks:
                        cbl.call("on_train_batch_end", step, logs)
                    if self.stop_training:
                        break
                if train.exhausted:
                    self.stop_training = True
                    if not drawn:  # nothing left to draw: this epoch did not happen
                        break
                epoch_logs = dict(logs)
                if val is not None and (epoch + 1) % validation_freq == 0:
                    vlogs = self._evaluate_batches(val, cbl, "fit", epoch)
                    epoch_logs.update({f"val_{k}": v for k, v in vlogs.items()})
                cbl.call("on_epoch_end", epoch, epoch_logs)
                logs = epoch_logs
                if self.stop_training:
                    break
            cbl.call("on_train_end", logs)
        except KeyboardInterrupt:
            import sys

            sys.stdout.write("\n")
            raise
        finally:
            self._in_fit = False
        return self.history

    # -- evaluate / predict ---------------------------------------------------------------------
    def _evaluate_batches(self, source, cbl, fn="evaluate", epoch=0):
        """Loss and metrics over one pass of an adapter (arrays or a batch source)."""
        self._reset_metrics()
        where = getattr(source, "where", None)
        cbl.call("on_test_begin", None)
        logs = {}
        for step, batch in source.epoch(epoch):
            if where is not None:
                batch = _adapter.convert_batch(self, fn, batch, step, epoch, where)
            cbl.call("on_test_batch_begin", step, None)
            logs = self._test_step(*batch)
            cbl.call("on_test_batch_end", step, logs)
        cbl.call("on_test_end", logs)
        return logs

    def _evaluate_arrays(self, xs, ys, sws, batch_size, cbl, steps=None):
        source = _adapter.ArrayBatches(xs, ys, sws, batch_size, steps=steps, wrap="modulo")
        return self._evaluate_batches(source, cbl)

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, max_queue_size=10, workers=1,
                 use_multiprocessing=False, **kwargs):
        """Loss and metrics on (x, y) or a batch source: a number, a list in
        ``metrics_names`` order, or a dict."""
        self._need_compiled("evaluate")
        from_source = _adapter.is_source(x)
        if from_source and batch_size is not None:
            raise ValueError("evaluate: do not give batch_size when x is a dataset, a generator "
                             "or a Sequence: its batches already have their size")
        batch_size = _data.check_batch_size(batch_size)
        verbose = _v.verbose("evaluate", verbose)
        steps = _v.steps("evaluate", "steps", steps)
        queue = _queue_args("evaluate", max_queue_size, workers, use_multiprocessing)
        if from_source:
            if y is not None or sample_weight is not None:
                raise ValueError("evaluate: do not give y or sample_weight when x is a dataset, "
                                 "a generator or a Sequence: its batches carry them")
            source = _adapter.make_source(x, "evaluate", steps, "steps", **queue)
        else:
            if y is None and not self._targets_optional("evaluate"):
                raise ValueError("evaluate: y (the targets) is missing; give evaluate(x, y)")
            source = _adapter.ArrayBatches(*self._prepare(x, y, sample_weight, None),
                                           batch_size, steps=steps, wrap="modulo")
        cbs = list(callbacks or [])
        if verbose:
            cbs.append(_callbacks.ProgbarLogger(verbose=verbose))
        cbl = _callbacks.CallbackList(cbs, model=self, params={
            "verbose": verbose, "steps": source.steps, "epochs": 1})
        logs = self._evaluate_batches(source, cbl)
        return self._format_result(logs, return_dict)

    def _format_result(self, logs, return_dict):
        if return_dict:
            return dict(logs)
        values = [logs[k] for k in self.metrics_names if k in logs]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None,
                max_queue_size=10, workers=1, use_multiprocessing=False, **kwargs):
        """Model outputs for ``x`` (arrays or a batch source) as numpy array(s),
        computed in batches."""
        from_source = _adapter.is_source(x)
        if from_source and batch_size is not None:
            raise ValueError("predict: do not give batch_size when x is a dataset, a generator "
                             "or a Sequence: its batches already have their size")
        batch_size = _data.check_batch_size(batch_size)
        verbose = _v.verbose("predict", verbose)
        steps = _v.steps("predict", "steps", steps)
        queue = _queue_args("predict", max_queue_size, workers, use_multiprocessing)
        if from_source:
            source = _adapter.make_source(x, "predict", steps, "steps", **queue)
        else:
            xs = self._prepare_x(x)
            for i, a in enumerate(xs):
                _data.check_finite(a, "x" if len(xs) == 1 else f"x[{i}]")
            n = len(xs[0])
            if n == 0:  # keras: zero rows in, zero rows out (with the output's other dimensions)
                one = [np.zeros((1,) + a.shape[1:], np.float32) for a in xs]
                result = [p[:0] for p in self._predict_step(one)]
                return result[0] if len(result) == 1 else result
            if steps is not None:
                steps = min(steps, math.ceil(n / batch_size))
            source = _adapter.ArrayBatches(xs, [], [], batch_size, steps=steps, wrap="modulo")
        where = getattr(source, "where", None)
        cbs = list(callbacks or [])
        if verbose and (source.steps is None or source.steps > 1):
            cbs.append(_callbacks.ProgbarLogger(verbose=verbose))
        cbl = _callbacks.CallbackList(cbs, model=self, params={
            "verbose": verbose, "steps": source.steps, "epochs": 1})
        cbl.call("on_predict_begin", None)
        outs = None
        for step, batch in source.epoch(0):
            if where is None:
                bx = batch[0]
            else:
                bx = _adapter.convert_batch(self, "predict", batch, step, 0, where,
                                            targets=False)
            cbl.call("on_predict_batch_begin", step, None)
            preds = self._predict_step(bx)
            if outs is None:
                outs = [[] for _ in preds]
            for o, p in zip(outs, preds):
                o.append(p)
            cbl.call("on_predict_batch_end", step, {"outputs": preds})
        cbl.call("on_predict_end", None)
        if outs is None:
            raise ValueError(f"predict: the {where} gave no batches")
        result = [np.concatenate(o, axis=0) for o in outs]
        return result[0] if len(result) == 1 else result

    def __call__(self, inputs, *args, training=None, **kwargs):
        if not self.built and not any(isinstance(t, KerasTensor) for t in flatten(inputs)):
            self._build_from_data([_host(t) if isinstance(t, Tensor) else np.asarray(t)
                                   for t in flatten(inputs)])
        return super().__call__(inputs, *args, training=training, **kwargs)

    # -- on_batch ----------------------------------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True, return_dict=False):
        self._need_compiled("train_on_batch")
        xs, ys, sws = self._prepare(x, y, sample_weight, class_weight)
        if reset_metrics or not hasattr(self, "_loss_tracker"):
            self._reset_metrics()
        logs = self._train_step(*self._whole(xs, ys, sws))
        return self._format_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                      return_dict=False):
        self._need_compiled("evaluate")
        xs, ys, sws = self._prepare(x, y, sample_weight, None)
        if reset_metrics or not hasattr(self, "_loss_tracker"):
            self._reset_metrics()
        return self._format_result(self._test_step(*self._whole(xs, ys, sws)), return_dict)

    def predict_on_batch(self, x):
        preds = self._predict_step(self._whole(self._prepare_x(x))[0])
        return preds[0] if len(preds) == 1 else preds

    @staticmethod
    def _whole(*groups):
        """Each list of arrays as float32 batches of all their rows."""
        every = slice(None)
        return [[_data.rows(a, every) for a in g] for g in groups]

    # -- weights -----------------------------------------------------------------------------------
    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        own = self.weights
        for v, a in zip(own, checked_weight_arrays(f"model {self.name!r}", own, weights)):
            v.assign(np.asarray(a, dtype=v._data.dtype))

    def reset_states(self):
        """Reset the states of every stateful layer (recurrent layers), as keras does."""
        for layer in self.layers:
            reset = getattr(layer, "reset_states", None)
            if reset is not None:
                reset()

    def get_layer(self, name=None, index=None):
        layers = self.layers
        if index is not None:
            if name is not None:
                raise ValueError("get_layer: give name or index, not both")
            index = _v.integer("get_layer", "index", index)
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index {index} is out of range; the model has "
                                 f"{len(layers)} layers (indices 0..{len(layers) - 1}, counting "
                                 "from 0 as keras does in Python)")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"get_layer: no layer named {name!r}; the layers are "
                             f"{[layer.name for layer in layers]}")
        raise ValueError("get_layer: give a layer name or index")

    # -- inspection -------------------------------------------------------------------------------
    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Print keras' summary table (``print_fn(line)`` receives each line)."""
        from .summary import summary_lines

        for line in summary_lines(self, line_length, positions):
            (print_fn or print)(line)

    def summary_string(self, line_length=None, positions=None):
        from .summary import summary_lines

        return "\n".join(summary_lines(self, line_length, positions))

    # -- config / persistence -------------------------------------------------------------------
    def get_config(self):
        if not self._is_graph:
            raise NotImplementedError(f"{type(self).__name__}: a subclassed model must define "
                                      "get_config() to be serialized")
        from .saving import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .saving import functional_from_config

        return functional_from_config(config, custom_objects)

    def to_json(self, **kwargs):
        from .saving import model_to_dict

        return json.dumps(model_to_dict(self), **kwargs)

    def to_yaml(self):
        from .saving import model_to_yaml

        return model_to_yaml(self)

    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        from .saving import save_model

        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        from .saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, **kwargs):
        from .saving import load_weights

        load_weights(self, filepath)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
