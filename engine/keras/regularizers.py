"""``keras.regularizers``: penalties on weights, added to the training loss."""

from .. import ops
from ._registry import Configurable, resolve, serialize

__all__ = ["Regularizer", "L1", "L2", "L1L2", "l1", "l2", "l1_l2", "get", "serialize"]


class Regularizer(Configurable):
    def __call__(self, x):  # pragma: no cover - abstract
        return 0.0


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x**2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        out = None
        if self.l1:
            out = ops.reduce_sum(ops.abs(x)) * self.l1
        if self.l2:
            t = ops.reduce_sum(ops.square(x)) * self.l2
            out = t if out is None else out + t
        return out if out is not None else ops.zeros(())

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


def l1(l1=0.01):  # noqa: E741 - keras name
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.01, l2=0.01):  # keras' defaults for the function form
    return L1L2(l1, l2)


_TABLE = {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2}


def get(identifier, custom_objects=None):
    if callable(identifier) and not isinstance(identifier, type):
        return identifier
    return resolve("regularizer", identifier, _TABLE, custom_objects)


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)


__all__ += ["deserialize"]
_ = serialize
