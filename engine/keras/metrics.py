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
           "sparse_top_k_categorical_accuracy", "TruePositives", "FalsePositives",
           "TrueNegatives", "FalseNegatives", "PrecisionAtRecall", "RecallAtPrecision",
           "SensitivityAtSpecificity", "SpecificityAtSensitivity", "RootMeanSquaredError",
           "MeanRelativeError", "MeanIoU", "MeanTensor", "hinge", "squared_hinge",
           "categorical_hinge", "kl_divergence", "kullback_leibler_divergence", "poisson",
           "logcosh", "mean_squared_logarithmic_error", "cosine_similarity",
           "cosine_proximity"]


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


def _cosine_proximity(y_true, y_pred, axis=-1):
    """keras 1's ``cosine_proximity``: the cosine similarity negated (TF 2 keeps it,
    as ``tf.compat.v1.keras.metrics.cosine_proximity``, equal to the cosine loss)."""
    return -_cosine(y_true, y_pred, axis)


_cosine.__name__ = "cosine_similarity"
_cosine_proximity.__name__ = "cosine_proximity"

# the per-sample functions by their keras names (``keras.metrics.hinge`` ...)
mean_squared_error = _LOSS_METRIC_FNS["mean_squared_error"]
mean_absolute_error = _LOSS_METRIC_FNS["mean_absolute_error"]
mean_absolute_percentage_error = _LOSS_METRIC_FNS["mean_absolute_percentage_error"]
mean_squared_logarithmic_error = _LOSS_METRIC_FNS["mean_squared_logarithmic_error"]
binary_crossentropy = _LOSS_METRIC_FNS["binary_crossentropy"]
categorical_crossentropy = _LOSS_METRIC_FNS["categorical_crossentropy"]
sparse_categorical_crossentropy = _LOSS_METRIC_FNS["sparse_categorical_crossentropy"]
hinge = _LOSS_METRIC_FNS["hinge"]
squared_hinge = _LOSS_METRIC_FNS["squared_hinge"]
categorical_hinge = _LOSS_METRIC_FNS["categorical_hinge"]
kl_divergence = kullback_leibler_divergence = _LOSS_METRIC_FNS["kl_divergence"]
poisson = _LOSS_METRIC_FNS["poisson"]
logcosh = _LOSS_METRIC_FNS["logcosh"]
cosine_similarity = _cosine
cosine_proximity = _cosine_proximity


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
        w = self._flat_weights(sample_weight, y_pred, t)
        above = p[None, :] > self.thresholds[:, None]
        pos, neg = w * t, w * (1.0 - t)
        self.tp += above @ pos
        self.fp += above @ neg
        self.fn += (~above) @ pos
        self.tn += (~above) @ neg

    def _flat_weights(self, sample_weight, y_pred, flat_true):
        """One weight per entry of the flattened (class_id-selected) targets."""
        if sample_weight is None:
            return np.ones_like(flat_true)
        w = np.broadcast_to(_np(sample_weight).astype(np.float64).reshape(
            -1, *([1] * (_np(y_pred).ndim - 1))), _np(y_pred).shape)
        if self.class_id is not None:
            w = w[..., self.class_id]
        return np.ascontiguousarray(w).reshape(-1)

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


# -- counts at thresholds, and one rate at the best threshold under a constraint ------------------
class _ConfusionCount(_Confusion):
    """One weighted count at each threshold (keras' 0.5 when ``thresholds`` is None):
    a number for one threshold, a vector for several."""

    _count = "tp"

    def __init__(self, thresholds=None, name=None, dtype=None):
        th = [0.5] if thresholds is None else thresholds
        th = [float(t) for t in np.atleast_1d(np.asarray(th, np.float64))]
        for t in th:
            if not 0.0 <= t <= 1.0:
                raise ValueError(f"{type(self).__name__}: thresholds must lie in [0, 1], "
                                 f"not {t}")
        super().__init__(th, name, dtype)

    def result(self):
        r = getattr(self, self._count)
        return float(r[0]) if r.size == 1 else r.copy()

    def get_config(self):
        th = [float(t) for t in self.thresholds]
        return {"name": self.name, "dtype": self.dtype,
                "thresholds": th[0] if len(th) == 1 else th}


class TruePositives(_ConfusionCount):
    """Weighted number of positives predicted above the threshold."""
    _count = "tp"


class FalsePositives(_ConfusionCount):
    """Weighted number of negatives predicted above the threshold."""
    _count = "fp"


class TrueNegatives(_ConfusionCount):
    """Weighted number of negatives predicted at or below the threshold."""
    _count = "tn"


class FalseNegatives(_ConfusionCount):
    """Weighted number of positives predicted at or below the threshold."""
    _count = "fn"


class _SensitivitySpecificity(_Confusion):
    """Counts at ``num_thresholds`` thresholds 0, 1/(n-1), ..., 1 (0.5 alone when n is 1),
    as keras places them; the result is the largest of one rate among the thresholds
    where another rate is >= ``value`` (0 where none is).

    As keras' bucketed update does on this grid, a prediction p counts as positive at
    threshold i when ceil(p (n - 1)) - 1 >= i, with the bucket of p = 0 taken as 0: that
    is p > threshold, except that p = 0 is positive at threshold 0 (and, p (n - 1) being
    computed in float32 as keras does, a p on the grid may round either way).
    """

    _value_name = "value"
    # the rate held >= value and the rate maximized (keys of result()'s rates)
    _constrained = _maximized = None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        cls = type(self).__name__
        if isinstance(num_thresholds, bool) or int(num_thresholds) != num_thresholds or \
                num_thresholds <= 0:
            raise ValueError(f"{cls}: num_thresholds must be an integer > 0, "
                             f"not {num_thresholds!r}")
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{cls}: {self._value_name} must lie in [0, 1], not {value!r}")
        num_thresholds = int(num_thresholds)
        if num_thresholds == 1:
            th, self._evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            th, self._evenly = [0.0] + inner + [1.0], True
        self.value = float(value)
        self.num_thresholds = num_thresholds
        super().__init__(th, name, dtype, class_id)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._evenly:
            return super().update_state(y_true, y_pred, sample_weight)
        t, p = _align(y_true, y_pred)
        if self.class_id is not None:
            t, p = t[..., self.class_id], p[..., self.class_id]
        t = np.asarray(t, np.float64).reshape(-1)
        p32 = np.asarray(p, np.float32).reshape(-1)
        w = self._flat_weights(sample_weight, y_pred, t)
        n = self.num_thresholds
        bucket = np.ceil(p32 * np.float32(n - 1)).astype(np.float64) - 1.0
        bucket = np.clip(bucket, 0, n - 1).astype(np.int64)
        pos = np.bincount(bucket, weights=w * t, minlength=n)
        neg = np.bincount(bucket, weights=w * (1.0 - t), minlength=n)
        # positive at threshold i: bucket >= i (a reversed cumulative sum)
        tp, fp = np.cumsum(pos[::-1])[::-1], np.cumsum(neg[::-1])[::-1]
        self.tp += tp
        self.fp += fp
        self.fn += pos.sum() - tp
        self.tn += neg.sum() - fp

    def result(self):
        tp, fp, tn, fn = self.tp, self.fp, self.tn, self.fn
        rates = {"recall": _div(tp, tp + fn), "precision": _div(tp, tp + fp),
                 "specificity": _div(tn, tn + fp)}
        feasible = rates[self._constrained] >= self.value
        return float(rates[self._maximized][feasible].max()) if feasible.any() else 0.0

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._value_name: self.value}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SensitivityAtSpecificity(_SensitivitySpecificity):
    """The best sensitivity (recall) among thresholds whose specificity is >= ``specificity``."""

    _value_name = "specificity"
    _constrained, _maximized = "specificity", "recall"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_SensitivitySpecificity):
    """The best specificity among thresholds whose sensitivity is >= ``sensitivity``."""

    _value_name = "sensitivity"
    _constrained, _maximized = "recall", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_SensitivitySpecificity):
    """The best precision among thresholds whose recall is >= ``recall``."""

    _value_name = "recall"
    _constrained, _maximized = "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_SensitivitySpecificity):
    """The best recall among thresholds whose precision is >= ``precision``."""

    _value_name = "precision"
    _constrained, _maximized = "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)


# -- regression and segmentation metrics ----------------------------------------------------------
class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean of every squared error seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name or "root_mean_squared_error", dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t, p = _align(y_true, y_pred)
        super().update_state(np.square(p.astype(np.float64) - t.astype(np.float64)),
                             sample_weight)

    def result(self):
        return float(np.sqrt(super().result()))


class MeanRelativeError(Mean):
    """The mean of |y_true - y_pred| / normalizer (0 where the normalizer is 0)."""

    def __init__(self, normalizer, name=None, dtype=None):
        super().__init__(name or "mean_relative_error", dtype)
        self.normalizer = np.asarray(_np(normalizer), np.float64)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t, p = _align(y_true, y_pred)
        err = np.abs(t.astype(np.float64) - p.astype(np.float64))
        norm = self.normalizer
        if norm.ndim == err.ndim + 1 and norm.shape[-1] == 1:
            norm = norm[..., 0]
        elif err.ndim == norm.ndim + 1 and err.shape[-1] == 1:
            err = err[..., 0]
        try:
            norm = np.broadcast_to(norm, err.shape)
        except ValueError:
            raise ValueError(f"MeanRelativeError: normalizer of shape {norm.shape} does not "
                             f"match predictions of shape {err.shape}") from None
        super().update_state(_div(err, norm), sample_weight)

    def get_config(self):
        n = self.normalizer
        return {"name": self.name, "dtype": self.dtype,
                "normalizer": float(n) if n.ndim == 0 else n.tolist()}


class MeanIoU(Metric):
    """Mean over classes of intersection over union, from a weighted confusion matrix.

    Labels and predictions are class ids (whole numbers; a fractional prediction is
    truncated, as keras' cast does) unless ``sparse_y_true`` / ``sparse_y_pred`` is
    False, then the argmax along ``axis``. Classes that never occur in either count
    are left out of the mean.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        if isinstance(num_classes, bool) or int(num_classes) != num_classes or \
                num_classes < 1:
            raise ValueError(f"MeanIoU: num_classes must be a positive integer, "
                             f"not {num_classes!r}")
        super().__init__(name or "mean_io_u", dtype)
        self.num_classes = int(num_classes)
        self.ignore_class = ignore_class
        self.sparse_y_true, self.sparse_y_pred, self.axis = sparse_y_true, sparse_y_pred, axis
        self.reset_state()

    def reset_state(self):
        self.total_cm = np.zeros((self.num_classes, self.num_classes))

    def update_state(self, y_true, y_pred, sample_weight=None):
        t, p = _np(y_true), _np(y_pred)
        if not self.sparse_y_true:
            t = t.argmax(axis=self.axis)
        if not self.sparse_y_pred:
            p = p.argmax(axis=self.axis)
        t = np.trunc(t.astype(np.float64)).reshape(-1)
        p = np.trunc(p.astype(np.float64)).reshape(-1)
        if t.size != p.size:
            raise ValueError(f"MeanIoU: {t.size} labels but {p.size} predictions")
        w = np.ones_like(t) if sample_weight is None else \
            np.broadcast_to(_np(sample_weight).astype(np.float64).reshape(-1), t.shape)
        if self.ignore_class is not None:
            keep = t != self.ignore_class
            t, p, w = t[keep], p[keep], w[keep]
        for what, v in (("labels", t), ("predictions", p)):
            if v.size and (v.min() < 0 or v.max() >= self.num_classes):
                raise ValueError(f"MeanIoU: {what} must be class ids from 0 to "
                                 f"{self.num_classes - 1}, found {v.min():g} to {v.max():g}")
        np.add.at(self.total_cm, (t.astype(np.int64), p.astype(np.int64)), w)

    def result(self):
        cm = self.total_cm
        tp = np.diag(cm)
        denom = cm.sum(axis=0) + cm.sum(axis=1) - tp
        valid = np.count_nonzero(denom)
        return float(_div(tp, denom).sum() / valid) if valid else 0.0

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "num_classes": self.num_classes,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class MeanTensor(Metric):
    """The element-wise (weighted) mean of every tensor given, all of one shape."""

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name or "mean_tensor", dtype)
        self._shape = None if shape is None else tuple(int(d) for d in np.atleast_1d(shape))
        self.reset_state()

    def reset_state(self):
        if self._shape is None:
            self.total = self.count = None
        else:
            self.total, self.count = np.zeros(self._shape), np.zeros(self._shape)

    def update_state(self, values, sample_weight=None):
        v = _np(values).astype(np.float64)
        if self.total is None:
            self._shape = v.shape
            self.total, self.count = np.zeros(v.shape), np.zeros(v.shape)
        elif v.shape != self.total.shape:
            raise ValueError(f"MeanTensor: every value must have shape {self.total.shape}, "
                             f"not {v.shape}")
        if sample_weight is None:
            w = np.ones_like(v)
        else:
            w = _np(sample_weight).astype(np.float64)
            while w.ndim < v.ndim:
                w = w[..., None]
            w = np.broadcast_to(w, v.shape)
        self.total = self.total + v * w
        self.count = self.count + w

    def result(self):
        if self.total is None:
            raise ValueError("MeanTensor has no value yet: give it values with "
                             "update_state() before asking for the result")
        return _div(self.total, self.count)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype,
                "shape": None if self._shape is None else list(self._shape)}

    def variables(self):
        return [] if self.total is None else [self.total, self.count]


def user_mean_metric_wrapper(fn, name=None, dtype=None, **kwargs):
    """keras' ``MeanMetricWrapper`` around a user's ``fn(y_true, y_pred, ...)``: called
    with tensors (and ``kwargs``), its per-sample values averaged over an epoch."""
    wrapped = _user_metric_fn(fn, kwargs)
    return MeanMetricWrapper(wrapped, name=name or "mean_metric_wrapper", dtype=dtype)


# -- lookup ---------------------------------------------------------------------------------------
_FUNCTIONS = {
    "accuracy": accuracy, "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    **_LOSS_METRIC_FNS, "cosine_similarity": _cosine, "cosine_proximity": _cosine_proximity,
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
    LogCoshError, CosineSimilarity, TruePositives, FalsePositives, TrueNegatives,
    FalseNegatives, PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
    SpecificityAtSensitivity, RootMeanSquaredError, MeanRelativeError, MeanIoU, MeanTensor)}
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


def _user_metric_fn(fn, kwargs=None):
    """A user's ``fn(y_true, y_pred)`` as a metric function: called with tensors (as keras
    calls it, so tensor operations work on them), outside any gradient tape; it returns
    a tensor or numbers (one per sample, or one for the batch). As keras' metrics
    container does, labels of rank 1 with predictions of rank 2 get a last axis of 1
    (so that ``y_true - y_pred`` does not broadcast to a batch x batch matrix)."""
    name = getattr(fn, "__name__", None) or "custom_metric"

    def metric_fn(y_true, y_pred):
        y_true, y_pred = _as_tensor(y_true), _as_tensor(y_pred)
        if y_true.ndim == 1 and y_pred.ndim == 2:
            y_true = y_true.reshape((-1, 1))
        with no_grad():
            value = fn(y_true, y_pred, **(kwargs or {}))
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
