"""``keras.activations``: activation functions on engine tensors, by name or callable."""

from .. import nn, ops
from ._registry import resolve

__all__ = ["relu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "selu", "elu", "gelu",
           "swish", "silu", "exponential", "linear", "hard_sigmoid", "leaky_relu", "relu6",
           "log_softmax", "mish", "get", "serialize", "deserialize"]


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0); keras' optional ``negative_slope``, ``max_value`` and ``threshold``."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return nn.relu(x)
    y = ops.where(ops.greater_equal(x, float(threshold)), x,
                  (x - float(threshold)) * float(negative_slope))
    if max_value is not None:
        y = ops.minimum(y, float(max_value))
    return y


def sigmoid(x):
    return ops.sigmoid(x)


def tanh(x):
    return ops.tanh(x)


def softmax(x, axis=-1):
    return nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return nn.log_softmax(x, axis=axis)


def softplus(x):
    return nn.softplus(x)


def softsign(x):
    return nn.softsign(x)


def selu(x):
    return nn.selu(x)


def elu(x, alpha=1.0):
    y = nn.elu(x)
    if alpha != 1.0:
        y = ops.where(ops.greater(x, 0.0), y, y * alpha)
    return y


def gelu(x, approximate=False):
    return nn.gelu(x, approximate=approximate)


def silu(x):
    return nn.silu(x)


swish = silu


def exponential(x):
    return ops.exp(x)


def linear(x):
    return x


def hard_sigmoid(x):
    """Keras 3's definition: relu6(x + 3) / 6 (keras 2 used clip(0.2 x + 0.5, 0, 1))."""
    return ops.clip_by_value(x * (1.0 / 6.0) + 0.5, 0.0, 1.0)


def leaky_relu(x, negative_slope=0.2):
    return nn.leaky_relu(x, alpha=negative_slope)


def relu6(x):
    return nn.relu6(x)


def mish(x):
    return x * ops.tanh(nn.softplus(x))


_TABLE = {
    "relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax, "softplus": softplus,
    "softsign": softsign, "selu": selu, "elu": elu, "gelu": gelu, "swish": swish, "silu": silu,
    "exponential": exponential, "linear": linear, "hard_sigmoid": hard_sigmoid,
    "leaky_relu": leaky_relu, "relu6": relu6, "log_softmax": log_softmax, "mish": mish,
}


def get(identifier):
    """An activation function from a name, a callable or ``None`` (linear)."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    return resolve("activation", identifier, _TABLE)


def serialize(activation):
    for name, fn in _TABLE.items():
        if fn is activation:
            return "swish" if name == "silu" else name
    return getattr(activation, "__name__", str(activation))


def deserialize(name, custom_objects=None):
    return resolve("activation", name, _TABLE, custom_objects)
