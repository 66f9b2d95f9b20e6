"""Pooling layers: Max/AveragePooling1D/2D and the global poolings (channels_last default).

Windowed pooling runs on the engine's im2col views (``tf.nn.max_pool2d`` /
``avg_pool2d``); 1-D pooling is 2-D pooling of height 1.
"""

from ... import nn, ops
from ...tensor import Tensor
from ._util import (
    ArrayInput,
    check_rank,
    check_window_fits,
    normalize_data_format,
    normalize_padding,
    normalize_tuple,
    out_length,
    owner,
)
from .base import Layer


class _Pool(ArrayInput, Layer):
    rank = 2
    is_max = True

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        me = owner(self)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size", me)
        self.strides = self.pool_size if strides is None else \
            normalize_tuple(strides, self.rank, "strides", me)
        self.padding = normalize_padding(padding, me)
        self.data_format = normalize_data_format(data_format, me)

    def _what(self):
        if self.rank == 1:
            return "(batch, steps, channels)" if self.data_format == "channels_last" else \
                "(batch, channels, steps)"
        return "(batch, rows, cols, channels)" if self.data_format == "channels_last" else \
            "(batch, channels, rows, cols)"

    def _spatial(self, shape):
        check_rank(self, shape, self.rank + 2, self._what())
        sp = tuple(shape[2:]) if self.data_format == "channels_first" else tuple(shape[1:-1])
        check_window_fits(self, sp, self.pool_size, (1,) * self.rank, self.padding,
                          "pool_size")
        return sp

    def build(self, input_shape):
        self._spatial(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        sp = self._spatial(input_shape)
        out = tuple(out_length(s, k, st, 1, self.padding)
                    for s, k, st in zip(sp, self.pool_size, self.strides))
        if self.data_format == "channels_first":
            return tuple(input_shape[:2]) + out
        return (input_shape[0],) + out + (input_shape[-1],)

    def call(self, inputs):
        self._spatial(inputs.shape)
        x = inputs
        r = self.rank
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0,) + tuple(range(2, r + 2)) + (1,))
        pad = self.padding.upper()
        if r == 1:
            fn = nn.max_pool1d if self.is_max else nn.avg_pool1d
        else:
            fn = nn.max_pool2d if self.is_max else nn.avg_pool2d
        y = fn(x, self.pool_size, self.strides, pad)
        if self.data_format == "channels_first":
            y = ops.transpose(y, (0, r + 1) + tuple(range(1, r + 1)))
        return y

    def get_config(self):
        cfg = super().get_config()
        cfg.update(pool_size=list(self.pool_size), strides=list(self.strides),
                   padding=self.padding, data_format=self.data_format)
        return cfg


class MaxPooling1D(_Pool):
    rank, is_max = 1, True


class MaxPooling2D(_Pool):
    rank, is_max = 2, True


class AveragePooling1D(_Pool):
    rank, is_max = 1, False


class AveragePooling2D(_Pool):
    rank, is_max = 2, False


class _GlobalPool(ArrayInput, Layer):
    rank = 2
    is_max = True

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, owner(self))
        self.keepdims = bool(keepdims)

    def _axes(self):
        r = self.rank
        return tuple(range(2, r + 2)) if self.data_format == "channels_first" else \
            tuple(range(1, r + 1))

    def build(self, input_shape):
        what = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        check_rank(self, input_shape, self.rank + 2, what)
        self.built = True

    def compute_output_shape(self, input_shape):
        self.build(input_shape)
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def call(self, inputs, mask=None):
        axes = self._axes()
        if self.is_max:
            return ops.reduce_max(inputs, axes, keepdims=self.keepdims)
        if mask is not None and self.rank == 1:  # keras: the mean over unmasked steps
            m = mask if isinstance(mask, Tensor) else ops.convert_to_tensor(mask)
            m = ops.cast(m, inputs.dtype)
            m = ops.expand_dims(m, 1 if self.data_format == "channels_first" else -1)
            total = ops.reduce_sum(inputs * m, axes, keepdims=self.keepdims)
            return total / ops.maximum(ops.reduce_sum(m, axes, keepdims=self.keepdims), 1.0)
        return ops.reduce_mean(inputs, axes, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        cfg = super().get_config()
        cfg.update(data_format=self.data_format, keepdims=self.keepdims)
        return cfg


class GlobalMaxPooling1D(_GlobalPool):
    rank, is_max = 1, True


class GlobalMaxPooling2D(_GlobalPool):
    rank, is_max = 2, True


class GlobalAveragePooling1D(_GlobalPool):
    rank, is_max = 1, False


class GlobalAveragePooling2D(_GlobalPool):
    rank, is_max = 2, False


MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = (MaxPooling1D, MaxPooling2D, AveragePooling1D,
                                              AveragePooling2D)
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
