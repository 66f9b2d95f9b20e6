"""Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot."""

from functools import reduce

from ... import ops
from .base import Layer


class _Merge(Layer):
    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f"{type(self).__name__} {self.name!r} needs a list of at least 2 "
                             "inputs")

    def _merge(self, inputs):  # pragma: no cover - abstract
        raise NotImplementedError

    def call(self, inputs):
        self._check(inputs)
        return self._merge(list(inputs))

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shapes = [tuple(s) for s in input_shape]
        out = list(shapes[0])
        for s in shapes[1:]:
            if len(s) != len(out):
                raise ValueError(f"{type(self).__name__} {self.name!r}: inputs have different "
                                 f"ranks: {shapes}")
            for i, (a, b) in enumerate(zip(out, s)):
                if a is None or a == 1:
                    out[i] = b if a == 1 or a is None and b != 1 else a
                elif b not in (None, 1, a):
                    raise ValueError(f"{type(self).__name__} {self.name!r}: input shapes "
                                     f"{shapes} are not compatible; they must be equal "
                                     "(or broadcastable)")
        return tuple(out)


class Add(_Merge):
    def _merge(self, xs):
        return reduce(ops.add, xs)


class Subtract(_Merge):
    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"Subtract {self.name!r} needs exactly 2 inputs")

    def _merge(self, xs):
        return xs[0] - xs[1]


class Multiply(_Merge):
    def _merge(self, xs):
        return reduce(ops.multiply, xs)


class Average(_Merge):
    def _merge(self, xs):
        return reduce(ops.add, xs) * (1.0 / len(xs))


class Maximum(_Merge):
    def _merge(self, xs):
        return reduce(ops.maximum, xs)


class Minimum(_Merge):
    def _merge(self, xs):
        return reduce(ops.minimum, xs)


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _merge(self, xs):
        return ops.concat(xs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shapes = [list(s) for s in input_shape]
        nd = len(shapes[0])
        ax = self.axis % nd
        out = list(shapes[0])
        for s in shapes[1:]:
            if len(s) != nd or any(a != b and None not in (a, b)
                                   for i, (a, b) in enumerate(zip(out, s)) if i != ax):
                raise ValueError(
                    f"Concatenate {self.name!r}: inputs of shapes "
                    f"{[tuple(v) for v in shapes]} can only be joined along axis {self.axis} "
                    "if all other dimensions match")
            out[ax] = None if out[ax] is None or s[ax] is None else out[ax] + s[ax]
        return tuple(out)

    def get_config(self):
        cfg = super().get_config()
        cfg["axis"] = self.axis
        return cfg


def _l2_normalize(x, axis):
    norm = ops.sqrt(ops.maximum(ops.reduce_sum(ops.square(x), axis, keepdims=True), 1e-12))
    return x / norm


class Dot(_Merge):
    """Dot product of two inputs along ``axes`` (batch-wise, like keras' batch_dot)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes = [int(a) for a in axes] if isinstance(axes, (list, tuple)) else int(axes)
        self.normalize = bool(normalize)

    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"Dot {self.name!r} needs exactly 2 inputs")

    def _axes_for(self, na, nb):
        ax = self.axes if isinstance(self.axes, list) else [self.axes, self.axes]
        return ax[0] % na, ax[1] % nb

    def _merge(self, xs):
        a, b = xs
        aa, ab = self._axes_for(a.ndim, b.ndim)
        if self.normalize:
            a, b = _l2_normalize(a, aa), _l2_normalize(b, ab)
        if a.ndim == 2 and b.ndim == 2:
            return ops.reduce_sum(a * b, axis=1, keepdims=True)
        # move the contracted axis of a last and of b to position 1, then batch matmul
        pa = [i for i in range(a.ndim) if i != aa] + [aa]
        pb = [0, ab] + [i for i in range(1, b.ndim) if i != ab]
        a3 = ops.transpose(a, pa)
        b3 = ops.transpose(b, pb)
        sa, sb = a3.shape, b3.shape
        a3 = ops.reshape(a3, (sa[0], -1, sa[-1]))
        b3 = ops.reshape(b3, (sb[0], sb[1], -1))
        out = ops.matmul(a3, b3)
        return ops.reshape(out, tuple(sa[:-1]) + tuple(sb[2:]))

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        sa, sb = (tuple(s) for s in input_shape)
        aa, ab = self._axes_for(len(sa), len(sb))
        if len(sa) == 2 and len(sb) == 2:
            return (sa[0], 1)
        return (sa[0],) + tuple(d for i, d in enumerate(sa) if i not in (0, aa)) + \
            tuple(d for i, d in enumerate(sb) if i not in (0, ab))

    def get_config(self):
        cfg = super().get_config()
        cfg.update(axes=self.axes, normalize=self.normalize)
        return cfg


def _functional(cls):
    def fn(inputs, **kwargs):
        return cls(**kwargs)(inputs)

    fn.__name__ = cls.__name__.lower()
    return fn


add, subtract, multiply, average = (_functional(c) for c in (Add, Subtract, Multiply, Average))
maximum, minimum, concatenate, dot = (_functional(c) for c in (Maximum, Minimum, Concatenate,
                                                               Dot))
