"""Canned estimators, as ``tf.estimator``: linear, DNN and wide-and-deep
(linear + DNN) regressors and classifiers over feature columns.

An estimator owns a keras model that it builds from its feature columns:
the linear part is one dense layer over the numeric columns and the one-hot
blocks of the categorical ones (TensorFlow's per-id weights); the DNN part
stacks hidden layers over numeric, indicator and embedding columns (a
wide-and-deep model adds the two parts' logits and trains both with the DNN
optimizer, where TensorFlow gives each part its own). Training
reads batches from an input function; with a ``model_dir`` every ``train()``
ends with a checkpoint there (weights, optimizer state, global step), and an
estimator created on that directory goes on from it.
"""

from __future__ import annotations

import math
import os

import numpy as np
from tensorbridge import engine
from tensorbridge.engine import keras
from tensorbridge.engine.keras import _validate as _v

from . import feature_column as fc
from .base import BaseEstimator, StepLog, check_steps, select_keys

CHECKPOINT = "checkpoint.keras"
STATE = "estimator.json"


def _optimizer(spec, default_name, default_lr):
    if spec is None:
        return keras.optimizers.get({"class_name": default_name,
                                     "config": {"learning_rate": default_lr}})
    return keras.optimizers.get(spec)


class _Head:
    """What the logits mean: the loss, the predictions and the metrics."""

    def __init__(self, n_classes=None, label_dimension=1, label_vocabulary=None):
        self.n_classes = n_classes
        self.label_vocabulary = (None if label_vocabulary is None
                                 else [str(v) for v in label_vocabulary])
        self.units = label_dimension if n_classes is None else (
            1 if n_classes == 2 else n_classes)

    @property
    def loss(self):
        if self.n_classes is None:
            return "mse"
        if self.n_classes == 2:
            return keras.losses.BinaryCrossentropy(from_logits=True)
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def labels(self, y):
        """Labels as the loss wants them (class ids for classifiers)."""
        y = np.asarray(y)
        if self.n_classes is None:
            return y.astype(np.float32).reshape(len(y), -1)
        if self.label_vocabulary is not None:
            index = {v: i for i, v in enumerate(self.label_vocabulary)}
            texts = [str(v) for v in y.ravel()]
            bad = [t for t in texts if t not in index]
            if bad:
                raise ValueError(f"label {bad[0]!r} is not in label_vocabulary "
                                 f"{self.label_vocabulary}")
            ids = np.array([index[t] for t in texts])
        else:
            if y.dtype.kind not in "biuf":
                raise ValueError("the labels are not numbers; give label_vocabulary to "
                                 "classify text or factor labels")
            ids = y.astype(np.float64).ravel()
            if np.any(ids != np.round(ids)) or ids.min() < 0 or ids.max() >= self.n_classes:
                raise ValueError(f"class labels must be whole numbers in 0..{self.n_classes - 1}"
                                 f" (n_classes = {self.n_classes}); got values from "
                                 f"{ids.min()} to {ids.max()}")
        ids = ids.astype(np.float32 if self.n_classes == 2 else np.int64)
        return ids.reshape(-1, 1) if self.n_classes == 2 else ids

    def predictions(self, logits):
        if self.n_classes is None:
            return {"predictions": logits}
        if self.n_classes == 2:
            p1 = 1.0 / (1.0 + np.exp(-logits[:, 0].astype(np.float64)))
            probs = np.stack([1 - p1, p1], axis=1)
        else:
            z = logits.astype(np.float64)
            z = np.exp(z - z.max(axis=1, keepdims=True))
            probs = z / z.sum(axis=1, keepdims=True)
        class_ids = probs.argmax(axis=1)
        out = {"logits": logits, "probabilities": probs, "class_ids": class_ids}
        names = self.label_vocabulary or [str(i) for i in range(self.n_classes)]
        out["classes"] = np.array([names[i] for i in class_ids], dtype=object)
        return out

    def metrics(self, labels, logits):
        """tf.estimator's evaluation metrics for all the rows at once."""
        if self.n_classes is None:
            y = labels.astype(np.float64)
            pred = logits.astype(np.float64).reshape(y.shape)
            avg = float(np.mean((pred - y) ** 2))
            return {"average_loss": avg, "loss": avg, "label/mean": float(y.mean()),
                    "prediction/mean": float(pred.mean())}
        preds = self.predictions(logits)
        probs, ids = preds["probabilities"], preds["class_ids"]
        y = labels.astype(np.int64).ravel()
        p_true = np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)
        avg = float(-np.mean(np.log(p_true)))
        out = {"average_loss": avg, "loss": avg, "accuracy": float(np.mean(ids == y))}
        if self.n_classes == 2:
            p1 = probs[:, 1]
            tp = float(np.sum((ids == 1) & (y == 1)))
            out.update({
                "label/mean": float(y.mean()), "prediction/mean": float(p1.mean()),
                "accuracy_baseline": float(max(y.mean(), 1 - y.mean())),
                "precision": tp / max(float(np.sum(ids == 1)), 1.0),
                "recall": tp / max(float(np.sum(y == 1)), 1.0),
                "auc": _auc(y, p1),
            })
        return out


def _auc(y, score):
    """Area under the ROC curve: the probability that a random positive
    scores above a random negative (ties count half)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    # average ranks over ties
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2)
                 / (len(pos) * len(neg)))


class Estimator(BaseEstimator):
    """The common part of the canned estimators: build, train, evaluate,
    predict, checkpoint."""

    def __init__(self, head, linear_feature_columns=(), dnn_feature_columns=(),
                 dnn_hidden_units=(), dnn_activation_fn="relu", dnn_dropout=None,
                 linear_optimizer=None, dnn_optimizer=None, model_dir=None, seed=None,
                 linear_regularizer=None):
        self.head = head
        self.linear_regularizer = linear_regularizer
        self.linear_columns = list(linear_feature_columns or [])
        self.dnn_columns = list(dnn_feature_columns or [])
        self._check_columns()
        self.hidden_units = _hidden_units(dnn_hidden_units, type(self).__name__)
        if dnn_activation_fn is not None and not callable(dnn_activation_fn):
            _v.activation(type(self).__name__, dnn_activation_fn, "activation_fn")
        self.activation = dnn_activation_fn
        self.dropout = None if dnn_dropout is None else _v.rate(type(self).__name__, "dropout",
                                                                 dnn_dropout)
        self.model_dir = None if model_dir is None else os.fspath(model_dir)
        self.global_step = 0
        self.seed = seed
        # the estimator's own random streams (initial weights, dropout): a
        # seed makes its training reproducible without touching the global seed
        self._streams = engine.random.Streams(seed)
        self._linear_optimizer = linear_optimizer
        self._dnn_optimizer = dnn_optimizer
        self.model = None
        self.loss_history: list[tuple[int, float]] = []  # (global step, mean loss) per log
        if self._has_state(STATE):
            self._restore()

    # -- features -----------------------------------------------------------------------------
    def _check_columns(self):
        for c in self.linear_columns:
            if not isinstance(c, (fc.NumericColumn, fc.CategoricalColumn)):
                raise TypeError(f"a linear model takes numeric and categorical columns; "
                                f"{type(c).__name__} {c.name!r} is for DNNs")
        for c in self.dnn_columns:
            if not isinstance(c, (fc.NumericColumn, fc.IndicatorColumn, fc.EmbeddingColumn)):
                raise TypeError(f"a DNN takes numeric, indicator and embedding columns; wrap "
                                f"the categorical column {c.name!r} in indicator_column() or "
                                "embedding_column()")
        if not self.linear_columns and not self.dnn_columns:
            raise ValueError("the estimator has no feature columns")

    def _inputs(self, features):
        """The model's input arrays for a batch of raw features."""
        out = []
        if self.linear_columns:
            out.append(np.concatenate([c.dense(features) if isinstance(c, fc.NumericColumn)
                                       else c.one_hot(features) for c in self.linear_columns],
                                      axis=1))
        dense = [c.dense(features) for c in self.dnn_columns
                 if not isinstance(c, fc.EmbeddingColumn)]
        if dense:
            out.append(np.concatenate(dense, axis=1))
        for c in self.dnn_columns:
            if isinstance(c, fc.EmbeddingColumn):
                out.append(c.categorical_column.one_hot(features))
        return out

    def _build(self, inputs):
        layers = keras.layers
        model_inputs, logits = [], []
        k = 0
        if self.linear_columns:
            x = keras.Input((inputs[k].shape[1],), name="linear_features")
            model_inputs.append(x)
            logits.append(layers.Dense(self.head.units, kernel_initializer="zeros",
                                       kernel_regularizer=self.linear_regularizer,
                                       name="linear_logits")(x))
            k += 1
        if self.dnn_columns:
            parts = []
            if any(not isinstance(c, fc.EmbeddingColumn) for c in self.dnn_columns):
                x = keras.Input((inputs[k].shape[1],), name="dnn_features")
                model_inputs.append(x)
                parts.append(x)
                k += 1
            for c in self.dnn_columns:
                if isinstance(c, fc.EmbeddingColumn):
                    x = keras.Input((inputs[k].shape[1],), name=f"{c.name}_ids")
                    model_inputs.append(x)
                    std = 1.0 / math.sqrt(c.dimension)
                    parts.append(layers.Dense(
                        c.dimension, use_bias=False, name=c.name,
                        kernel_initializer=keras.initializers.TruncatedNormal(stddev=std))(x))
                    k += 1
            h = parts[0] if len(parts) == 1 else layers.Concatenate()(parts)
            for i, units in enumerate(self.hidden_units):
                h = layers.Dense(units, activation=self.activation, name=f"hiddenlayer_{i}")(h)
                if self.dropout:
                    h = layers.Dropout(float(self.dropout))(h)
            logits.append(layers.Dense(self.head.units, name="dnn_logits")(h))
        out = logits[0] if len(logits) == 1 else layers.Add(name="logits")(logits)
        model = keras.Model(model_inputs, out)
        optimizer = (_optimizer(self._dnn_optimizer, "Adagrad", 0.05) if self.dnn_columns
                     else _optimizer(self._linear_optimizer, "Adagrad", 0.2))
        model.compile(optimizer=optimizer, loss=self.head.loss)
        return model

    # -- the estimator API --------------------------------------------------------------------
    def train(self, input_fn, steps=None, max_steps=None, verbose=False, log_every_n_steps=100):
        """Train on the batches of ``input_fn`` until it ends, or for ``steps``
        more steps, or until the global step reaches ``max_steps``. With
        ``verbose``, print the mean training loss every ``log_every_n_steps``
        steps (as tf.estimator logs ``loss = ..., step = ...``)."""
        check_steps(steps, max_steps)
        log = StepLog(verbose, log_every_n_steps)
        if max_steps is not None and self.global_step >= int(max_steps):
            return self
        with self._streams:
            done = self._train_steps(input_fn, steps, max_steps, log)
        if done == 0:
            raise ValueError("the input function gave no batches")
        log.flush(self.global_step)
        self.loss_history.extend(log.history)
        self._checkpoint()
        return self

    def _train_steps(self, input_fn, steps, max_steps, log):
        done = 0
        for features, labels in _batches(input_fn, "train"):
            if labels is None:
                raise ValueError("train() needs labels: the input function has no response")
            inputs = self._inputs(features)
            if self.model is None:
                self.model = self._build(inputs)
            loss = self.model.train_on_batch(inputs, self.head.labels(labels))
            self.global_step += 1
            log.add(self.global_step, loss)
            done += 1
            if (steps is not None and done >= int(steps)) or (
                    max_steps is not None and self.global_step >= int(max_steps)):
                break
        return done

    def evaluate(self, input_fn, steps=None):
        """tf.estimator's metrics over the batches of ``input_fn``."""
        self._need_model("evaluate")
        labels, logits = [], []
        for i, (features, y) in enumerate(_batches(input_fn, "evaluate")):
            if steps is not None and i >= int(steps):
                break
            if y is None:
                raise ValueError("evaluate() needs labels: the input function has no response")
            labels.append(self.head.labels(y))
            logits.append(self.model.predict_on_batch(self._inputs(features)))
        out = self.head.metrics(np.concatenate(labels), np.concatenate(logits))
        out["global_step"] = self.global_step
        return out

    def predict(self, input_fn, predict_keys=None):
        """Predictions for every row of ``input_fn``: a dict of arrays."""
        self._need_model("predict")
        parts = [self.model.predict_on_batch(self._inputs(features))
                 for features, _ in _batches(input_fn, "predict")]
        return select_keys(self.head.predictions(np.concatenate(parts)), predict_keys)

    def _need_model(self, what):
        if self.model is None:
            raise ValueError(f"{what}() needs a trained estimator: call train() first (or "
                             "give the model_dir of a trained one)")

    # -- checkpoints --------------------------------------------------------------------------
    def _signature(self):
        return {"columns": [repr(c) for c in self.linear_columns + self.dnn_columns],
                "hidden_units": self.hidden_units, "head": [self.head.n_classes,
                                                            self.head.units]}

    def _checkpoint(self):
        if self.model_dir is None:
            return
        with self._checkpoint_lock():  # the model file and the state file belong together
            self.model.save(os.path.join(self.model_dir, CHECKPOINT))
            self._write_state(STATE, {})

    def _restore(self):
        custom = {"BinaryCrossentropy": keras.losses.BinaryCrossentropy,
                  "SparseCategoricalCrossentropy": keras.losses.SparseCategoricalCrossentropy}
        with self._checkpoint_lock():
            self._read_state(STATE, "estimator")
            self.model = keras.models.load_model(os.path.join(self.model_dir, CHECKPOINT),
                                                 custom_objects=custom)


_MODES = {"train": "train", "evaluate": "eval", "predict": "infer"}


def _batches(input_fn, what):
    if callable(input_fn):
        batches = input_fn(_MODES[what]) if getattr(input_fn, "takes_mode", False) \
            else input_fn()
    else:
        batches = input_fn
    try:
        return iter(batches)
    except TypeError:
        raise TypeError(f"{what}(): the input function must return an iterator of "
                        "(features, labels) batches, e.g. numpy_input_fn(...)") from None


def _hidden_units(units, owner="estimator"):
    """The DNN layer sizes: a non-empty list of positive integers (keras-style message)."""
    expected = "a list of positive integers (one per hidden layer), e.g. [64, 32]"
    if _v._as_int(units) is not None:
        units = [units]
    if isinstance(units, (str, bytes, dict)) or not hasattr(units, "__iter__"):
        _v._fail(owner, "hidden_units", expected, units)
    out = [_v._as_int(u) for u in units]
    if any(u is None or u < 1 for u in out):
        _v._fail(owner, "hidden_units", expected, list(units))
    return out


def _label_dimension(value):
    return _v.positive_int("estimator", "label_dimension", value)


def _n_classes(n_classes, label_vocabulary):
    if label_vocabulary is not None:
        if n_classes not in (None, 2) and _v._as_int(n_classes) != len(label_vocabulary):
            raise ValueError(f"n_classes is {n_classes} but label_vocabulary has "
                             f"{len(label_vocabulary)} entries")
        return len(label_vocabulary)
    return _v.integer("estimator", "n_classes", n_classes, 2)


class LinearRegressor(Estimator):
    def __init__(self, feature_columns, model_dir=None, label_dimension=1, optimizer=None,
                 seed=None):
        super().__init__(_Head(label_dimension=_label_dimension(label_dimension)),
                         linear_feature_columns=feature_columns, linear_optimizer=optimizer,
                         model_dir=model_dir, seed=seed)


class LinearClassifier(Estimator):
    def __init__(self, feature_columns, model_dir=None, n_classes=2, optimizer=None,
                 label_vocabulary=None, seed=None):
        super().__init__(_Head(_n_classes(n_classes, label_vocabulary),
                               label_vocabulary=label_vocabulary),
                         linear_feature_columns=feature_columns, linear_optimizer=optimizer,
                         model_dir=model_dir, seed=seed)


class DNNRegressor(Estimator):
    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 optimizer=None, activation_fn="relu", dropout=None, seed=None):
        super().__init__(_Head(label_dimension=_label_dimension(label_dimension)),
                         dnn_feature_columns=feature_columns, dnn_hidden_units=hidden_units,
                         dnn_activation_fn=activation_fn, dnn_dropout=dropout,
                         dnn_optimizer=optimizer, model_dir=model_dir, seed=seed)


class DNNClassifier(Estimator):
    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 optimizer=None, activation_fn="relu", dropout=None, label_vocabulary=None,
                 seed=None):
        super().__init__(_Head(_n_classes(n_classes, label_vocabulary),
                               label_vocabulary=label_vocabulary),
                         dnn_feature_columns=feature_columns, dnn_hidden_units=hidden_units,
                         dnn_activation_fn=activation_fn, dnn_dropout=dropout,
                         dnn_optimizer=optimizer, model_dir=model_dir, seed=seed)


class _HingeHead(_Head):
    """A linear SVM's head: labels 0/1 (or a two-entry vocabulary), the hinge
    loss on labels -1/+1, class 1 where the logit is positive."""

    def __init__(self, label_vocabulary=None):
        super().__init__(2, label_vocabulary=label_vocabulary)

    @property
    def loss(self):
        return "hinge"

    def predictions(self, logits):
        class_ids = (logits[:, 0] > 0).astype(np.int64)
        names = self.label_vocabulary or ["0", "1"]
        return {"logits": logits, "class_ids": class_ids,
                "classes": np.array([names[i] for i in class_ids], dtype=object)}

    def metrics(self, labels, logits):
        y = labels.astype(np.int64).ravel()
        hinge = float(np.mean(np.maximum(0.0, 1.0 - (2 * y - 1) * logits[:, 0])))
        ids = self.predictions(logits)["class_ids"]
        return {"loss": hinge, "average_loss": hinge, "accuracy": float(np.mean(ids == y))}


class LinearSVM(Estimator):
    """A linear support vector machine: minimises the mean hinge loss plus
    ``l1_regularization * sum(|w|) + l2_regularization * sum(w^2)`` over the
    weights ``w`` (not the bias), as TensorFlow's SVM estimator."""

    def __init__(self, feature_columns, model_dir=None, l1_regularization=0.0,
                 l2_regularization=0.0, label_vocabulary=None, optimizer=None, seed=None):
        if label_vocabulary is not None and len(label_vocabulary) != 2:
            raise ValueError("a linear SVM separates two classes; label_vocabulary must have 2 "
                             f"entries, got {len(label_vocabulary)}")
        regularizer = None
        if l1_regularization or l2_regularization:
            regularizer = keras.regularizers.L1L2(l1=float(l1_regularization),
                                                  l2=float(l2_regularization))
        super().__init__(_HingeHead(label_vocabulary), linear_feature_columns=feature_columns,
                         linear_optimizer=optimizer, model_dir=model_dir, seed=seed,
                         linear_regularizer=regularizer)


class _WideAndDeep(Estimator):
    def __init__(self, head, model_dir, linear_feature_columns, linear_optimizer,
                 dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
                 dnn_dropout, seed):
        super().__init__(head, linear_feature_columns=linear_feature_columns,
                         dnn_feature_columns=dnn_feature_columns,
                         dnn_hidden_units=dnn_hidden_units or (),
                         dnn_activation_fn=dnn_activation_fn, dnn_dropout=dnn_dropout,
                         linear_optimizer=linear_optimizer, dnn_optimizer=dnn_optimizer,
                         model_dir=model_dir, seed=seed)


class DNNLinearCombinedRegressor(_WideAndDeep):
    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer=None,
                 dnn_feature_columns=None, dnn_optimizer=None, dnn_hidden_units=None,
                 dnn_activation_fn="relu", dnn_dropout=None, label_dimension=1, seed=None):
        super().__init__(_Head(label_dimension=_label_dimension(label_dimension)), model_dir,
                         linear_feature_columns, linear_optimizer, dnn_feature_columns,
                         dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout, seed)


class DNNLinearCombinedClassifier(_WideAndDeep):
    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer=None,
                 dnn_feature_columns=None, dnn_optimizer=None, dnn_hidden_units=None,
                 dnn_activation_fn="relu", dnn_dropout=None, n_classes=2,
                 label_vocabulary=None, seed=None):
        head = _Head(_n_classes(n_classes, label_vocabulary), label_vocabulary=label_vocabulary)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer,
                         dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                         dnn_activation_fn, dnn_dropout, seed)
