"""``keras.metrics``: stateful metrics (``update_state`` / ``result`` / ``reset_state``).

Metrics compute on numpy (no gradients): a batch's values are accumulated as
weighted sums, so ``result()`` after an epoch is the average over every sample
seen, like keras.  Loss-like metrics (``"mse"`` …) reuse :mod:`.losses`.
"""

import numpy as np

from ..autograd import no_grad
from ..tensor import Tensor, convert_to_tensor
from . import _config
from . import losses as _losses
from ._registry import unknown

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
           "SparseTopKCategoricalAccuracy", "AUC", "Precision", "Recall", "MeanSquaredError",
           "MeanAbsoluteError", "get", "accuracy", "binary_accuracy", "categorical_accuracy",
           "sparse_categorical_accuracy", "top_k_categorical_accuracy",
           "sparse_top_k_categorical_accuracy"]


def _np(x):
    if isinstance(x, Tensor):
        return np.asarray(x.numpy())
    return np.asarray(x)


class Metric:
    """Base class; subclasses implement ``update_state``, ``result`` and ``reset_state``."""

    def __init__(self, name=None, dtype=None):
        self.name = name or _losses._snake_name(type(self).__name__)
        self.dtype = dtype or "float32"

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def reset_states(self):
        self.reset_state()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def variables(self):
        return []

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class Mean(Metric):
    """Weighted mean of every value given to ``update_state``."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        v = _np(values).astype(np.float64)
        if sample_weight is None:
            self.total += float(v.sum())
            self.count += v.size
            return
        w = _np(sample_weight).astype(np.float64)
        while w.ndim > v.ndim and w.shape[-1] == 1:
            w = w[..., 0]
        while w.ndim < v.ndim:
            w = w[..., None]
        w = np.broadcast_to(w, v.shape)
        self.total += float((v * w).sum())
        self.count += float(w.sum())

    def result(self):
        return self.total / self.count if self.count else 0.0

    def variables(self):
        return [self.total, self.count]


class Sum(Metric):
    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0

    def update_state(self, values, sample_weight=None):
        v = _np(values).astype(np.float64)
        if sample_weight is not None:
            v = v * _np(sample_weight).reshape(v.shape[:1] + (1,) * (v.ndim - 1))
        self.total += float(v.sum())

    def result(self):
        return self.total


class MeanMetricWrapper(Mean):
    """The mean over samples of ``fn(y_true, y_pred)`` (per-sample values)."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or fn.__name__, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# -- accuracy functions (numpy, per sample) --------------------------------------------------
def _align(y_true, y_pred):
    t, p = _np(y_true), _np(y_pred)
    if t.ndim == p.ndim - 1:
        t = t[..., None]
    return t, p


def accuracy(y_true, y_pred):
    t, p = _align(y_true, y_pred)
    return (t == p).astype(np.float32).mean(axis=-1)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    t, p = _align(y_true, y_pred)
    return (t == (p > threshold)).astype(np.float32).mean(axis=-1)


def categorical_accuracy(y_true, y_pred):
    t, p = _np(y_true), _np(y_pred)
    return (t.argmax(axis=-1) == p.argmax(axis=-1)).astype(np.float32)


def _sparse_labels(t, p):
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    return t.astype(np.int64)


def sparse_categorical_accuracy(y_true, y_pred):
    p = _np(y_pred)
    t = _sparse_labels(_np(y_true), p)
    return (t == p.argmax(axis=-1)).astype(np.float32)


def _in_top_k(p, labels, k):
    """keras' in_top_k: the label's score beats all but fewer than k others."""
    score = np.take_along_axis(p, labels[..., None], axis=-1)
    return ((p > score).sum(axis=-1) < k).astype(np.float32)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    p = _np(y_pred)
    return _in_top_k(p, _np(y_true).argmax(axis=-1), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    p = _np(y_pred)
    return _in_top_k(p, _sparse_labels(_np(y_true), p), k)


def _metric_class(name, fn, **defaults):
    def __init__(self, name=None, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name or _default_names[type(self).__name__],
                                   dtype=dtype, **{**defaults, **kwargs})

    return type(name, (MeanMetricWrapper,), {"__init__": __init__,
                                             "__doc__": f"Mean of ``{fn.__name__}``."})


def _loss_metric(loss_fn):
    def fn(y_true, y_pred, **kwargs):
        with no_grad():
            yp = convert_to_tensor(np.asarray(_np(y_pred), np.float32))
            return loss_fn(_np(y_true), yp, **kwargs).numpy()

    fn.__name__ = loss_fn.__name__
    return fn


_default_names = {
    "Accuracy": "accuracy", "BinaryAccuracy": "binary_accuracy",
    "CategoricalAccuracy": "categorical_accuracy",
    "SparseCategoricalAccuracy": "sparse_categorical_accuracy",
    "TopKCategoricalAccuracy": "top_k_categorical_accuracy",
    "SparseTopKCategoricalAccuracy": "sparse_top_k_categorical_accuracy",
    "MeanSquaredError": "mean_squared_error", "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "BinaryCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "Hinge": "hinge", "SquaredHinge": "squared_hinge", "CategoricalHinge": "categorical_hinge",
    "KLDivergence": "kl_divergence", "Poisson": "poisson", "LogCoshError": "logcosh",
    "CosineSimilarity": "cosine_similarity",
}

Accuracy = _metric_class("Accuracy", accuracy)
BinaryAccuracy = _metric_class("BinaryAccuracy", binary_accuracy, threshold=0.5)
CategoricalAccuracy = _metric_class("CategoricalAccuracy", categorical_accuracy)
SparseCategoricalAccuracy = _metric_class("SparseCategoricalAccuracy",
                                          sparse_categorical_accuracy)
TopKCategoricalAccuracy = _metric_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                        k=5)
SparseTopKCategoricalAccuracy = _metric_class("SparseTopKCategoricalAccuracy",
                                              sparse_top_k_categorical_accuracy, k=5)

_LOSS_METRICS = {
    "mean_squared_error": _losses.mean_squared_error,
    "mean_absolute_error": _losses.mean_absolute_error,
    "mean_absolute_percentage_error": _losses.mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": _losses.mean_squared_logarithmic_error,
    "binary_crossentropy": _losses.binary_crossentropy,
    "categorical_crossentropy": _losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": _losses.sparse_categorical_crossentropy,
    "hinge": _losses.hinge, "squared_hinge": _losses.squared_hinge,
    "categorical_hinge": _losses.categorical_hinge, "kl_divergence": _losses.kl_divergence,
    "poisson": _losses.poisson, "logcosh": _losses.log_cosh,
}
_LOSS_METRIC_FNS = {k: _loss_metric(v) for k, v in _LOSS_METRICS.items()}


def _cosine(y_true, y_pred, axis=-1):
    t, p = _np(y_true).astype(np.float64), _np(y_pred).astype(np.float64)
    t = t / np.sqrt(np.maximum((t * t).sum(axis, keepdims=True), 1e-12))
    p = p / np.sqrt(np.maximum((p * p).sum(axis, keepdims=True), 1e-12))
    return (t * p).sum(axis)


MeanSquaredError = _metric_class("MeanSquaredError", _LOSS_METRIC_FNS["mean_squared_error"])
MeanAbsoluteError = _metric_class("MeanAbsoluteError", _LOSS_METRIC_FNS["mean_absolute_error"])
MeanAbsolutePercentageError = _metric_class(
    "MeanAbsolutePercentageError", _LOSS_METRIC_FNS["mean_absolute_percentage_error"])
MeanSquaredLogarithmicError = _metric_class(
    "MeanSquaredLogarithmicError", _LOSS_METRIC_FNS["mean_squared_logarithmic_error"])
BinaryCrossentropy = _metric_class("BinaryCrossentropy", _LOSS_METRIC_FNS["binary_crossentropy"])
CategoricalCrossentropy = _metric_class("CategoricalCrossentropy",
                                        _LOSS_METRIC_FNS["categorical_crossentropy"])
SparseCategoricalCrossentropy = _metric_class(
    "SparseCategoricalCrossentropy", _LOSS_METRIC_FNS["sparse_categorical_crossentropy"])
Hinge = _metric_class("Hinge", _LOSS_METRIC_FNS["hinge"])
SquaredHinge = _metric_class("SquaredHinge", _LOSS_METRIC_FNS["squared_hinge"])
CategoricalHinge = _metric_class("CategoricalHinge", _LOSS_METRIC_FNS["categorical_hinge"])
KLDivergence = _metric_class("KLDivergence", _LOSS_METRIC_FNS["kl_divergence"])
Poisson = _metric_class("Poisson", _LOSS_METRIC_FNS["poisson"])
LogCoshError = _metric_class("LogCoshError", _LOSS_METRIC_FNS["logcosh"])
CosineSimilarity = _metric_class("CosineSimilarity", _cosine)


# -- confusion-matrix metrics ---------------------------------------------------------------------
class _Confusion(Metric):
    """Weighted true/false positive/negative counts at each threshold (prediction > t)."""

    def __init__(self, thresholds, name=None, dtype=None, class_id=None, top_k=None):
        super().__init__(name, dtype)
        self.thresholds = np.asarray(thresholds, np.float64)
        self.class_id, self.top_k = class_id, top_k
        self.reset_state()

    def reset_state(self):
        n = self.thresholds.size
        self.tp, self.fp, self.tn, self.fn = (np.zeros(n) for _ in range(4))

    def update_state(self, y_true, y_pred, sample_weight=None):
        t, p = _align(y_true, y_pred)
        t = t.astype(np.float64)
        p = p.astype(np.float64)
        if self.top_k is not None:
            kth = -np.sort(-p, axis=-1)[..., self.top_k - 1:self.top_k]
            p = np.where(p >= kth, p, -np.inf)
        if self.class_id is not None:
            t, p = t[..., self.class_id], p[..., self.class_id]
        t, p = t.reshape(-1), p.reshape(-1)
        if sample_weight is None:
            w = np.ones_like(t)
        else:
            w = np.broadcast_to(_np(sample_weight).astype(np.float64).reshape(
                -1, *([1] * (_np(y_pred).ndim - 1))), _np(y_pred).shape)
            if self.class_id is not None:
                w = w[..., self.class_id]
            w = np.ascontiguousarray(w).reshape(-1)
        above = p[None, :] > self.thresholds[:, None]
        pos, neg = w * t, w * (1.0 - t)
        self.tp += above @ pos
        self.fp += above @ neg
        self.fn += (~above) @ pos
        self.tn += (~above) @ neg

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "class_id": self.class_id,
                "top_k": self.top_k}


def _div(a, b):
    return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


class Precision(_Confusion):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        th = 0.5 if thresholds is None else thresholds
        super().__init__(np.atleast_1d(th), name, dtype, class_id, top_k)
        self._scalar = np.ndim(th) == 0

    def result(self):
        r = _div(self.tp, self.tp + self.fp)
        return float(r[0]) if self._scalar else r


class Recall(_Confusion):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        th = 0.5 if thresholds is None else thresholds
        super().__init__(np.atleast_1d(th), name, dtype, class_id, top_k)
        self._scalar = np.ndim(th) == 0

    def result(self):
        r = _div(self.tp, self.tp + self.fn)
        return float(r[0]) if self._scalar else r


class AUC(_Confusion):
    """Area under the ROC (or PR) curve from ``num_thresholds`` thresholds (keras' 200).

    Thresholds are i / (num_thresholds - 1) for the inner points plus -eps and
    1 + eps at the ends, as keras places them; ROC uses the trapezoid rule
    ("interpolation"), PR keras' interpolation of Davis & Goadrich (2006).
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, from_logits=False):
        if curve.upper() not in ("ROC", "PR"):
            raise ValueError(f"AUC: curve {curve!r}; expected 'ROC' or 'PR'")
        if thresholds is None:
            if num_thresholds <= 1:
                raise ValueError("AUC: num_thresholds must be > 1")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(float(t) for t in thresholds)
            num_thresholds = len(inner) + 2
        eps = _config.epsilon()
        super().__init__([0.0 - eps] + inner + [1.0 + eps], name, dtype)
        self.num_thresholds = num_thresholds
        self.curve, self.summation_method = curve.upper(), summation_method
        self.from_logits = from_logits

    def update_state(self, y_true, y_pred, sample_weight=None):
        p = _np(y_pred)
        if self.from_logits:
            p = 1.0 / (1.0 + np.exp(-p))
        super().update_state(y_true, p, sample_weight)

    def result(self):
        tp, fp, tn, fn = self.tp, self.fp, self.tn, self.fn
        n = self.num_thresholds
        if self.curve == "PR" and self.summation_method == "interpolation":
            dtp = tp[:n - 1] - tp[1:]
            p = tp + fp
            dp = p[:n - 1] - p[1:]
            slope = _div(dtp, np.maximum(dp, 0))
            intercept = tp[1:] - slope * p[1:]
            ok = (p[:n - 1] > 0) & (p[1:] > 0)
            ratio = np.where(ok, _div(p[:n - 1], np.maximum(p[1:], 0)), 1.0)
            inc = _div(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))
            return float(inc.sum())
        recall = _div(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _div(fp, fp + tn), recall
        else:
            x, y = recall, _div(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:n - 1], y[1:])
        else:
            heights = np.maximum(y[:n - 1], y[1:])
        return float(((x[:n - 1] - x[1:]) * heights).sum())

    def get_config(self):
        return {"num_thresholds": self.num_thresholds, "curve": self.curve,
                "summation_method": self.summation_method, "name": self.name,
                "from_logits": self.from_logits}


# -- lookup ---------------------------------------------------------------------------------------
_FUNCTIONS = {
    "accuracy": accuracy, "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    **_LOSS_METRIC_FNS, "cosine_similarity": _cosine,
}
_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
            "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
            "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
            "log_cosh": "logcosh"}
_CLASSES = {c.__name__: c for c in (
    Mean, Sum, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC, Precision, Recall,
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
    LogCoshError, CosineSimilarity)}
_SNAKE_CLASSES = {"auc": AUC, "precision": Precision, "recall": Recall}

for _k, _v in _ALIASES.items():
    _FUNCTIONS[_k] = _FUNCTIONS[_v]


def resolve_accuracy(name, y_true_shape, y_pred_shape, loss=None):
    """keras' choice behind "accuracy"/"acc": binary, sparse categorical or categorical."""
    loss_name = getattr(loss, "name", None) or getattr(loss, "__name__", "")
    if "sparse_categorical" in str(loss_name):
        return sparse_categorical_accuracy
    if "binary_crossentropy" in str(loss_name):
        return binary_accuracy
    p_last = y_pred_shape[-1] if len(y_pred_shape) else 1
    t_last = y_true_shape[-1] if len(y_true_shape) else 1
    if p_last == 1:
        return binary_accuracy
    if len(y_true_shape) < len(y_pred_shape) or (t_last == 1 and p_last > 1):
        return sparse_categorical_accuracy
    return categorical_accuracy


def get(identifier, custom_objects=None):
    """A metric object from a name, a config dict, a class, a metric or a function."""
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, dict):
        from ._registry import resolve

        return resolve("metric", identifier, _CLASSES, custom_objects)
    if isinstance(identifier, str):
        if identifier in (custom_objects or {}):
            return get(custom_objects[identifier])
        if identifier in _SNAKE_CLASSES:
            return _SNAKE_CLASSES[identifier](name=identifier)
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        fn = _FUNCTIONS.get(identifier)
        if fn is None:
            raise unknown("metric", identifier,
                          {**_FUNCTIONS, "acc": None, **_SNAKE_CLASSES})
        return MeanMetricWrapper(fn, name=identifier)
    if callable(identifier):
        return MeanMetricWrapper(_user_metric_fn(identifier),
                                 name=getattr(identifier, "__name__", None) or "custom_metric")
    raise ValueError(f"could not interpret metric {identifier!r}; expected a metric name such "
                     "as 'accuracy', a keras.metrics.Metric or a function(y_true, y_pred)")


def _user_metric_fn(fn):
    """A user's ``fn(y_true, y_pred)`` as a metric function: called with tensors (as keras
    calls it, so tensor operations work on them), outside any gradient tape; it returns
    a tensor or numbers (one per sample, or one for the batch)."""
    name = getattr(fn, "__name__", None) or "custom_metric"

    def metric_fn(y_true, y_pred):
        with no_grad():
            value = fn(_as_tensor(y_true), _as_tensor(y_pred))
        if isinstance(value, Tensor):
            return _np(value)
        if isinstance(value, (bool, int, float, np.number)) or (
                isinstance(value, np.ndarray) and value.dtype.kind in "biuf"):
            return np.asarray(value)
        raise TypeError(f"metric {name!r} returned {_losses._kind(value)}; a metric function "
                        "must return a tensor or numbers (one per sample, or one for the batch)")

    metric_fn.__name__ = name
    return metric_fn


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    a = np.asarray(x)
    return convert_to_tensor(a if a.dtype.kind == "f" else a.astype(np.float32))


def serialize(metric):
    if isinstance(metric, str):
        return metric
    if isinstance(metric, MeanMetricWrapper) and type(metric) is MeanMetricWrapper:
        return metric.name
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)
