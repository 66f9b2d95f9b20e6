"""``keras.losses``: loss functions (per-sample values) and ``Loss`` classes (reduced).

The functions take engine tensors ``(y_true, y_pred)`` and return one value per
sample (the last axis averaged or summed, as keras does).  The classes reduce
with keras' default ``"sum_over_batch_size"``: sum(loss * sample_weight) / number
of loss values.  ``y_pred`` made by a softmax (sigmoid) is recognised and the
cross-entropy is computed from its logits, as keras does via ``_keras_logits``:
the fused, stable kernel then also gives the backward pass.
"""

import numpy as np

from .. import nn, ops
from ..nn import _Softmax
from ..tensor import Tensor, convert_to_tensor
from ._config import epsilon
from ._registry import resolve, unknown

_SIGMOID = ops.sigmoid.Function


def _prep(y_true, y_pred):
    y_pred = y_pred if isinstance(y_pred, Tensor) else convert_to_tensor(
        np.asarray(y_pred, np.float32))
    if not isinstance(y_true, Tensor):
        y_true = convert_to_tensor(np.asarray(y_true, y_pred._data.dtype))
    elif y_true._data.dtype != y_pred._data.dtype:
        y_true = ops.cast(y_true, y_pred.dtype)
    if y_true.ndim == y_pred.ndim - 1:
        y_true = ops.expand_dims(y_true, -1)
    if y_true.shape != y_pred.shape and y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1 \
            and y_pred.shape[-1] != 1:
        raise ValueError(
            f"targets have shape {tuple(y_true.shape)} but the model output has shape "
            f"{tuple(y_pred.shape)}; one-hot encode the targets (keras.utils.to_categorical) or "
            "use a sparse_categorical loss for integer class labels")
    return y_true, y_pred


def _logits_of(y_pred, function):
    node = y_pred._node
    if node is not None and isinstance(node, function) and getattr(node, "parents", None):
        if function is not _Softmax or node.axis == y_pred.ndim - 1:
            return node.parents[0]
    return None


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return ops.reduce_mean(ops.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return ops.reduce_mean(ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    diff = ops.abs(y_true - y_pred) / ops.maximum(ops.abs(y_true), epsilon())
    return ops.reduce_mean(diff, axis=-1) * 100.0


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    a = ops.log(ops.maximum(y_pred, epsilon()) + 1.0)
    b = ops.log(ops.maximum(y_true, epsilon()) + 1.0)
    return ops.reduce_mean(ops.square(a - b), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _logits_of(y_pred, _SIGMOID)
    if logits is not None:
        per = nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
    else:
        p = ops.clip_by_value(y_pred, epsilon(), 1.0 - epsilon())
        per = -(y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p))
    return ops.reduce_mean(per, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"categorical_crossentropy: targets have shape {tuple(y_true.shape)} "
                         f"but the output has shape {tuple(y_pred.shape)}; they must match "
                         "(one-hot targets, one column per class)")
    if label_smoothing:
        n = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / n
    logits = y_pred if from_logits else _logits_of(y_pred, _Softmax)
    if logits is not None:
        return nn.softmax_cross_entropy_with_logits(y_true, logits, axis=axis)
    p = y_pred / ops.reduce_sum(y_pred, axis=axis, keepdims=True)
    p = ops.clip_by_value(p, epsilon(), 1.0 - epsilon())
    return -ops.reduce_sum(y_true * ops.log(p), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    y_pred = y_pred if isinstance(y_pred, Tensor) else convert_to_tensor(
        np.asarray(y_pred, np.float32))
    lab = y_true._data if isinstance(y_true, Tensor) else np.asarray(y_true)
    if lab.ndim == y_pred.ndim and lab.shape[-1] == 1:
        lab = lab[..., 0]
    lab = lab.astype(np.int64)
    if lab.shape != tuple(y_pred.shape[:-1]):
        raise ValueError(f"sparse_categorical_crossentropy: targets have shape {lab.shape} but "
                         f"the output has shape {tuple(y_pred.shape)}; give one integer class "
                         "label per row")
    n = y_pred.shape[-1]
    if lab.size and (lab.min() < 0 or lab.max() >= n):
        raise ValueError(f"sparse_categorical_crossentropy: class labels must be in 0..{n - 1} "
                         f"(the model has {n} outputs), got values from {lab.min()} to "
                         f"{lab.max()}")
    logits = y_pred if from_logits else _logits_of(y_pred, _Softmax)
    if logits is not None:
        return nn.sparse_softmax_cross_entropy_with_logits(lab, logits)
    hot = np.zeros(y_pred.shape, y_pred._data.dtype)
    np.put_along_axis(hot, lab[..., None], 1, axis=-1)
    p = ops.clip_by_value(y_pred, epsilon(), 1.0 - epsilon())
    return -ops.reduce_sum(ops.log(p) * hot, axis=-1)


def _signed(y_true):
    a = y_true._data
    if a.size and bool(((a == 0) | (a == 1)).all()):
        return y_true * 2.0 - 1.0
    return y_true


def hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return ops.reduce_mean(ops.maximum(1.0 - _signed(y_true) * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return ops.reduce_mean(ops.square(ops.maximum(1.0 - _signed(y_true) * y_pred, 0.0)),
                           axis=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    pos = ops.reduce_sum(y_true * y_pred, axis=-1)
    neg = ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    t = ops.clip_by_value(y_true, epsilon(), 1.0)
    p = ops.clip_by_value(y_pred, epsilon(), 1.0)
    return ops.reduce_sum(t * ops.log(t / p), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return ops.reduce_mean(y_pred - y_true * ops.log(y_pred + epsilon()), axis=-1)


def _l2n(x, axis):
    return x * ops.rsqrt(ops.maximum(ops.reduce_sum(ops.square(x), axis, keepdims=True), 1e-12))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity (keras' loss: -1 means the vectors point the same way)."""
    y_true, y_pred = _prep(y_true, y_pred)
    return -ops.reduce_sum(_l2n(y_true, axis) * _l2n(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _prep(y_true, y_pred)
    err = ops.abs(y_pred - y_true)
    quad = ops.minimum(err, float(delta))
    lin = err - quad
    return ops.reduce_mean(quad * quad * 0.5 + lin * float(delta), axis=-1)


def log_cosh(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    x = y_pred - y_true
    return ops.reduce_mean(x + nn.softplus(x * -2.0) - float(np.log(2.0)), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


# -- classes ------------------------------------------------------------------------------
_REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "auto", "mean_with_sample_weight")


def reduce_weighted(losses, sample_weight, reduction):
    """keras' reduction of per-sample ``losses`` weighted by ``sample_weight``."""
    if sample_weight is not None:
        sw = sample_weight if isinstance(sample_weight, Tensor) else convert_to_tensor(
            np.asarray(sample_weight, losses._data.dtype))
        while sw.ndim > losses.ndim and sw.shape[-1] == 1:
            sw = ops.squeeze(sw, -1)
        while sw.ndim < losses.ndim:
            sw = ops.expand_dims(sw, -1)
        losses = losses * sw
    if reduction in ("none", None):
        return losses
    total = ops.reduce_sum(losses)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return total / ops.reduce_sum(ops.broadcast_to(sw, losses.shape))
    n = losses._data.size
    return total * (1.0 / n) if n else total


class Loss:
    """A loss with keras' reduction; ``loss(y_true, y_pred, sample_weight=None)``."""

    fn = None

    def __init__(self, reduction="sum_over_batch_size", name=None, **kwargs):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction {reduction!r}; expected one of "
                             "'sum_over_batch_size', 'sum', 'none'")
        self.reduction = "sum_over_batch_size" if reduction == "auto" else reduction
        self.name = name or _snake_name(type(self).__name__)
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return type(self).fn(y_true, y_pred, **self._fn_kwargs)

    def __call__(self, y_true, y_pred, sample_weight=None):
        return reduce_weighted(self.call(y_true, y_pred), sample_weight, self.reduction)

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake_name(name):
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class LossFunctionWrapper(Loss):
    """A ``Loss`` around any per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, **kwargs):
        super().__init__(reduction=reduction, name=name or fn.__name__, **kwargs)
        self._wrapped = fn

    def call(self, y_true, y_pred):
        value = self._wrapped(y_true, y_pred, **self._fn_kwargs)
        if not isinstance(value, Tensor):
            # an array computed outside the tensor operations has no gradient: training
            # would silently leave the weights where they are
            raise TypeError(f"loss {self.name!r} returned {_kind(value)}, not a tensor; a loss "
                            "function must compute its value from y_true and y_pred with tensor "
                            "operations (a value converted to an array has no gradient)")
        return value

    def get_config(self):
        return {"fn": self._wrapped.__name__, **super().get_config()}


def _kind(value):
    """What a user's function returned, in words."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return f"a {type(value).__name__}"

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(get(config.pop("fn")), **config)


def _cls(name, fn, **defaults):
    def __init__(self, reduction="sum_over_batch_size", name=None, **kwargs):
        unknown_kw = set(kwargs) - set(defaults)
        if unknown_kw:
            raise TypeError(f"{type(self).__name__}: unknown argument(s) "
                            f"{', '.join(sorted(unknown_kw))}")
        Loss.__init__(self, reduction=reduction, name=name or fn.__name__,
                      **{**defaults, **kwargs})

    return type(name, (Loss,), {"fn": staticmethod(fn), "__init__": __init__,
                                "__doc__": f"Class form of ``{fn.__name__}``."})


MeanSquaredError = _cls("MeanSquaredError", mean_squared_error)
MeanAbsoluteError = _cls("MeanAbsoluteError", mean_absolute_error)
MeanAbsolutePercentageError = _cls("MeanAbsolutePercentageError",
                                   mean_absolute_percentage_error)
MeanSquaredLogarithmicError = _cls("MeanSquaredLogarithmicError",
                                   mean_squared_logarithmic_error)
BinaryCrossentropy = _cls("BinaryCrossentropy", binary_crossentropy, from_logits=False,
                          label_smoothing=0.0, axis=-1)
CategoricalCrossentropy = _cls("CategoricalCrossentropy", categorical_crossentropy,
                               from_logits=False, label_smoothing=0.0, axis=-1)
SparseCategoricalCrossentropy = _cls("SparseCategoricalCrossentropy",
                                     sparse_categorical_crossentropy, from_logits=False,
                                     ignore_class=None)
Hinge = _cls("Hinge", hinge)
SquaredHinge = _cls("SquaredHinge", squared_hinge)
CategoricalHinge = _cls("CategoricalHinge", categorical_hinge)
KLDivergence = _cls("KLDivergence", kl_divergence)
Poisson = _cls("Poisson", poisson)
CosineSimilarity = _cls("CosineSimilarity", cosine_similarity, axis=-1)
Huber = _cls("Huber", huber, delta=1.0)
LogCosh = _cls("LogCosh", log_cosh)

_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mse,
    "mean_absolute_error": mean_absolute_error, "mae": mae,
    "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mape,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "kl_divergence": kl_divergence, "kld": kld, "kullback_leibler_divergence": kl_divergence,
    "poisson": poisson, "cosine_similarity": cosine_similarity, "huber": huber,
    "huber_loss": huber, "log_cosh": log_cosh, "logcosh": log_cosh,
}
_CLASSES = {c.__name__: c for c in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
    CosineSimilarity, Huber, LogCosh, LossFunctionWrapper)}
_FN_TO_CLASS = {c.fn: c for c in _CLASSES.values() if c.fn is not None}


def get(identifier, custom_objects=None):
    """A loss (function or ``Loss``) from a name, config dict, class, object or callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        table = {**_FUNCTIONS, **_CLASSES}
        if identifier in (custom_objects or {}):
            return custom_objects[identifier]
        if identifier not in table:
            raise unknown("loss", identifier, _FUNCTIONS)
        obj = table[identifier]
        return obj() if isinstance(obj, type) else obj
    if isinstance(identifier, dict):
        return resolve("loss", identifier, {**_CLASSES}, custom_objects)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"could not interpret loss {identifier!r}; expected a loss name such as "
                     "'mse', a keras.losses.Loss or a function(y_true, y_pred)")


def as_loss_object(identifier, custom_objects=None):
    """``get`` as a ``Loss`` instance (functions wrapped), for compile."""
    obj = get(identifier, custom_objects)
    if isinstance(obj, Loss):
        return obj
    cls = _FN_TO_CLASS.get(obj)
    if cls is not None:
        loss = cls()
        if isinstance(identifier, str):
            loss.name = identifier
        return loss
    return LossFunctionWrapper(obj)


def serialize(loss):
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "__name__", str(loss))


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)
