"""Spatial reshaping layers: ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D, and the
channel-wise SpatialDropout1D/2D (channels_last by default)."""

import numpy as np

from ... import ops
from .. import _kernels
from ._util import ArrayInput, check_rank, normalize_data_format, owner
from .base import Layer


def _pairs(value, n, name, layer):
    """keras' padding / cropping spec -> n (before, after) pairs of ints >= 0."""
    me = owner(layer)

    def pair(v):
        if isinstance(v, int):
            return (v, v)
        v = tuple(int(a) for a in v)
        if len(v) != 2:
            raise ValueError(f"{me}: each entry of {name} must be an int or a pair "
                             f"(before, after), got {value!r}")
        return v

    try:
        if isinstance(value, int):
            out = [(int(value), int(value))] * n
        elif n == 1:
            out = [pair(value)]
        else:
            value = list(value)
            if len(value) != n:
                raise ValueError
            out = [pair(v) for v in value]
    except (TypeError, ValueError):
        raise ValueError(f"{me}: {name} must be an int, {n} ints or {n} (before, after) pairs, "
                         f"got {value!r}") from None
    if any(a < 0 for p in out for a in p):
        raise ValueError(f"{me}: {name} must be >= 0, got {value!r}")
    return tuple(out)


class _Spatial(ArrayInput, Layer):
    rank = 1

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, owner(self))

    def _axes(self):
        r = self.rank
        return tuple(range(2, r + 2)) if self.data_format == "channels_first" else \
            tuple(range(1, r + 1))

    def _check(self, shape):
        what = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        check_rank(self, shape, self.rank + 2, what)

    def build(self, input_shape):
        self._check(input_shape)
        self.built = True

    def get_config(self):
        cfg = super().get_config()
        if self.rank == 2:
            cfg["data_format"] = self.data_format
        return cfg


class _ZeroPadding(_Spatial):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.padding = _pairs(padding, self.rank, "padding", self)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        for ax, (b, a) in zip(self._axes(), self.padding):
            out[ax] = None if out[ax] is None else out[ax] + b + a
        return tuple(out)

    def call(self, inputs):
        self._check(inputs.shape)
        pads = [(0, 0)] * inputs.ndim
        for ax, p in zip(self._axes(), self.padding):
            pads[ax] = p
        return ops.pad(inputs, pads)

    def get_config(self):
        cfg = super().get_config()
        cfg["padding"] = [list(p) for p in self.padding] if self.rank == 2 else \
            list(self.padding[0])
        return cfg


class ZeroPadding1D(_ZeroPadding):
    """Pad the steps axis with zeros: ``padding`` int or (before, after)."""

    rank = 1

    def __init__(self, padding=1, **kwargs):
        super().__init__(padding=padding, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pad rows and cols with zeros: int, (rows, cols) or ((top, bottom), (left, right))."""

    rank = 2


class _Cropping(_Spatial):
    def __init__(self, cropping=1, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping", self)

    def _check(self, shape):
        super()._check(shape)
        for ax, (b, a) in zip(self._axes(), self.cropping):
            if shape[ax] is not None and b + a >= shape[ax]:
                raise ValueError(f"{owner(self)}: cropping {b} + {a} leaves nothing of an axis "
                                 f"of size {shape[ax]} (input shape {tuple(shape)}); crop less")

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        for ax, (b, a) in zip(self._axes(), self.cropping):
            out[ax] = None if out[ax] is None else out[ax] - b - a
        return tuple(out)

    def call(self, inputs):
        self._check(inputs.shape)
        key = [slice(None)] * inputs.ndim
        for ax, (b, a) in zip(self._axes(), self.cropping):
            key[ax] = slice(b, inputs.shape[ax] - a)
        return ops.getitem(inputs, tuple(key))

    def get_config(self):
        cfg = super().get_config()
        cfg["cropping"] = [list(p) for p in self.cropping] if self.rank == 2 else \
            list(self.cropping[0])
        return cfg


class Cropping1D(_Cropping):
    """Crop the steps axis: ``cropping`` int or (before, after)."""

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping=cropping, **kwargs)


class Cropping2D(_Cropping):
    """Crop rows and cols: int, (rows, cols) or ((top, bottom), (left, right))."""

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping=cropping, data_format=data_format, **kwargs)


class UpSampling1D(_Spatial):
    """Repeat each step ``size`` times."""

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = (int(size),)
        if self.size[0] < 1:
            raise ValueError(f"{owner(self)}: size must be a positive integer, got {size!r}")

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        for ax, s in zip(self._axes(), self.size):
            out[ax] = None if out[ax] is None else out[ax] * s
        return tuple(out)

    def call(self, inputs):
        self._check(inputs.shape)
        axes = self._axes()
        ones, expanded, final = [], [], []
        for i, d in enumerate(inputs.shape):
            ones.append(d)
            expanded.append(d)
            final.append(d)
            if i in axes:
                s = self.size[axes.index(i)]
                ones.append(1)
                expanded.append(s)
                final[-1] = d * s
        x = ops.broadcast_to(ops.reshape(inputs, ones), expanded)
        return ops.reshape(x, final)

    def get_config(self):
        cfg = super().get_config()
        cfg["size"] = self.size[0]
        return cfg


def _linear_resize_matrix(n_in: int, scale: int) -> np.ndarray:
    """(n_in * scale, n_in) weights of linear interpolation with half-pixel
    centres, as TensorFlow's ``resize(method="bilinear")`` that keras'
    UpSampling2D uses: output pixel o samples the input at
    (o + 0.5) / scale - 0.5, clamped to the edge pixels."""
    n_out = n_in * scale
    src = np.clip((np.arange(n_out) + 0.5) / scale - 0.5, 0.0, n_in - 1)
    lower = np.floor(src).astype(np.int64)
    upper = np.minimum(lower + 1, n_in - 1)
    frac = src - lower
    weights = np.zeros((n_out, n_in))
    np.add.at(weights, (np.arange(n_out), lower), 1.0 - frac)
    np.add.at(weights, (np.arange(n_out), upper), frac)
    return weights


class UpSampling2D(UpSampling1D):
    """Repeat rows and cols ``size`` times (``interpolation="nearest"``), or
    interpolate between them (``"bilinear"``)."""

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        _Spatial.__init__(self, data_format=data_format, **kwargs)
        size = (int(size),) * 2 if isinstance(size, int) else tuple(int(s) for s in size)
        if len(size) != 2 or min(size) < 1:
            raise ValueError(f"{owner(self)}: size must be a positive integer or two, got "
                             f"{size!r}")
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"{owner(self)}: interpolation {interpolation!r} is not "
                             "supported; use 'nearest' or 'bilinear'")
        self.size = size
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        self._check(inputs.shape)
        # separable: rows = A_r @ x, then cols = A_c @ x, as two batched matmuls
        b, *rest = inputs.shape
        rows_ax, cols_ax = self._axes()
        h, w = inputs.shape[rows_ax], inputs.shape[cols_ax]
        a_rows, a_cols = (ops.constant(_linear_resize_matrix(n, s), dtype=inputs.dtype)
                          for n, s in ((h, self.size[0]), (w, self.size[1])))
        if self.data_format == "channels_last":  # (b, h, w, c)
            c = inputs.shape[3]
            x = ops.reshape(ops.matmul(a_rows, ops.reshape(inputs, (b, h, w * c))),
                            (b * h * self.size[0], w, c))
            x = ops.matmul(a_cols, x)
            return ops.reshape(x, (b, h * self.size[0], w * self.size[1], c))
        # channels_first: (b, c, h, w)
        x = ops.matmul(inputs, ops.transpose(a_cols))
        return ops.matmul(a_rows, x)

    def get_config(self):
        cfg = _Spatial.get_config(self)
        cfg.update(size=list(self.size), interpolation=self.interpolation)
        return cfg


class _SpatialDropout(_Spatial):
    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        rate = float(rate)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"{owner(self)}: rate must be in [0, 1), got {rate}")
        self.rate, self.seed = rate, seed

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs, training=None):
        if not training or self.rate == 0.0:
            return inputs
        axes = self._axes()
        ns = tuple(1 if i in axes else d for i, d in enumerate(inputs.shape))
        return _kernels.dropout(inputs, self.rate, seed=self.seed, noise_shape=ns)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(rate=self.rate, seed=self.seed)
        return cfg


class SpatialDropout1D(_SpatialDropout):
    """Drop whole channels (the same ones at every step) while training."""

    rank = 1

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)


class SpatialDropout2D(_SpatialDropout):
    """Drop whole feature maps (channels) while training."""

    rank = 2
