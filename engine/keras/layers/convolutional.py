"""Convolution layers: Conv1D, Conv2D, Conv2DTranspose, SeparableConv2D, DepthwiseConv2D.

Kernels have keras' layout, (KH, KW, C_in, filters) — (KW, C_in, filters) for Conv1D —
and inputs are channels_last unless ``data_format='channels_first'``.  A convolution
runs as im2col + one matmul with the bias and relu / sigmoid / tanh fused (see
:mod:`._conv_kernels`); a 1-D convolution is a 2-D one of height 1.
"""

from ... import ops
from .. import _kernels
from .. import _validate as _v
from .. import activations as _activations
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers
from .._registry import serialize
from . import _conv_kernels as _ck
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
from .core import kernel_and_bias_config, set_kernel_and_bias_options


def _fused(fn):
    name = _activations.serialize(fn)
    return name if name in _kernels.FUSED_ACTIVATIONS else None


class _Conv(ArrayInput, Layer):
    rank = 2
    _paddings = ("valid", "same")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        me = owner(self)
        r = self.rank
        if filters is not None:
            filters = _v.positive_int(me, "filters", filters)
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, r, "kernel_size", me)
        self.strides = normalize_tuple(strides, r, "strides", me)
        self.dilation_rate = normalize_tuple(dilation_rate, r, "dilation_rate", me)
        self.padding = normalize_padding(padding, me, self._paddings)
        self.data_format = normalize_data_format(data_format, me)
        self.activation = _v.activation(me, activation)
        self._act = _fused(self.activation)
        set_kernel_and_bias_options(
            self, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint)

    # -- shapes -------------------------------------------------------------------------
    def _what(self):
        sp = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        if self.data_format == "channels_first":
            sp = "(batch, channels, steps)" if self.rank == 1 else \
                "(batch, channels, rows, cols)"
        return sp

    def _split(self, shape):
        """(spatial dims, channels) of an input shape."""
        if self.data_format == "channels_first":
            return tuple(shape[2:]), shape[1]
        return tuple(shape[1:-1]), shape[-1]

    def _join(self, batch, spatial, channels):
        if self.data_format == "channels_first":
            return (batch, channels) + tuple(spatial)
        return (batch,) + tuple(spatial) + (channels,)

    def _check_input(self, input_shape):
        check_rank(self, input_shape, self.rank + 2, self._what())
        spatial, ch = self._split(input_shape)
        if ch is None:
            raise ValueError(f"{owner(self)}: the channel dimension of the input must be known, "
                             f"got input shape {tuple(input_shape)}")
        check_window_fits(self, spatial, self.kernel_size, self.dilation_rate, self.padding)
        return spatial, ch

    def _out_spatial(self, spatial):
        return tuple(out_length(s, k, st, d, self.padding) for s, k, st, d in
                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate))

    def compute_output_shape(self, input_shape):
        spatial, _ = self._check_input(input_shape)
        return self._join(input_shape[0], self._out_spatial(spatial), self.filters)

    # -- weights ------------------------------------------------------------------------
    def build(self, input_shape):
        _, ch = self._check_input(input_shape)
        self.kernel = self.add_weight("kernel", self.kernel_size + (ch, self.filters),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias(self.filters)
        self.built = True

    def _add_bias(self, n):
        if self.use_bias:
            self.bias = self.add_weight("bias", (n,), self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    # -- compute ------------------------------------------------------------------------
    def _to_nhwc(self, x):
        """Input -> NHWC (a 1-D input becomes height 1)."""
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0,) + tuple(range(2, self.rank + 2)) + (1,))
        if self.rank == 1:
            x = ops.reshape(x, (x.shape[0], 1, x.shape[1], x.shape[2]))
        return x

    def _from_nhwc(self, y):
        if self.rank == 1:
            y = ops.reshape(y, (y.shape[0], y.shape[2], y.shape[3]))
        if self.data_format == "channels_first":
            r = self.rank
            y = ops.transpose(y, (0, r + 1) + tuple(range(1, r + 1)))
        return y

    def _geometry(self, x):
        """Window geometry for the NHWC input ``x``."""
        k, s, d = self.kernel_size, self.strides, self.dilation_rate
        if self.rank == 1:
            k, s, d = (1,) + k, (1,) + s, (1,) + d
        return _ck.geometry(x.shape[1], x.shape[2], k, s, d, self.padding)

    def _activate(self, y, act_done):
        if not act_done:
            y = self.activation(y)
        if self.activity_regularizer is not None:
            self._add_activity_loss(self.activity_regularizer, y)
        return y

    def _check_call(self, inputs):
        if inputs.ndim != self.rank + 2:
            check_rank(self, inputs.shape, self.rank + 2, self._what())
        spatial, ch = self._split(inputs.shape)
        check_window_fits(self, spatial, self.kernel_size, self.dilation_rate, self.padding)
        if self.kernel is not None and ch != self.kernel.shape[-2]:
            raise ValueError(f"{owner(self)} was built for {self.kernel.shape[-2]} input "
                             f"channels but got input of shape {tuple(inputs.shape)}")

    def call(self, inputs):
        self._check_call(inputs)
        x = self._to_nhwc(inputs)
        geo = self._geometry(x)
        w2 = ops.reshape(self.kernel, (-1, self.filters))
        act = self._act or "linear"
        if self.bias is None:
            y = _ck.ConvAct.apply(x, w2, geo=geo, act=act)
        else:
            y = _ck.ConvAct.apply(x, w2, self.bias, geo=geo, act=act)
        return self._activate(self._from_nhwc(y), self._act is not None)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(
            filters=self.filters, kernel_size=list(self.kernel_size),
            strides=list(self.strides), padding=self.padding, data_format=self.data_format,
            dilation_rate=list(self.dilation_rate),
            activation=_activations.serialize(self.activation), **kernel_and_bias_config(self))
        return cfg


class Conv1D(_Conv):
    """1-D convolution over (batch, steps, channels); padding 'valid', 'same' or 'causal'."""

    rank = 1
    _paddings = ("valid", "same", "causal")


class Conv2D(_Conv):
    """2-D convolution over (batch, rows, cols, channels)."""

    rank = 2


class Conv2DTranspose(_Conv):
    """Transposed convolution (the gradient of Conv2D w.r.t. its input); kernel
    (KH, KW, filters, C_in) as in keras."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        if output_padding is not None:
            op = output_padding
            output_padding = (int(op),) * 2 if isinstance(op, int) else tuple(int(v) for v in op)
            for op, s in zip(output_padding, self.strides):
                if not 0 <= op < s:
                    raise ValueError(f"{owner(self)}: output_padding {output_padding} must be "
                                     f">= 0 and smaller than strides {self.strides}")
        self.output_padding = output_padding

    def _check_input(self, input_shape):
        check_rank(self, input_shape, 4, self._what())
        spatial, ch = self._split(input_shape)
        if ch is None:
            raise ValueError(f"{owner(self)}: the channel dimension of the input must be known, "
                             f"got input shape {tuple(input_shape)}")
        return spatial, ch

    def _out_spatial(self, spatial):
        op = self.output_padding or (None, None)
        out = []
        for i, s in enumerate(spatial):
            if s is None:
                out.append(None)
                continue
            g = _ck.tgeometry(s, s, self.kernel_size, self.strides, self.dilation_rate,
                              self.padding, (op[i], op[i]))
            out.append(g[8] if i == 0 else g[9])
        return tuple(out)

    def build(self, input_shape):
        _, ch = self._check_input(input_shape)
        self.kernel = self.add_weight("kernel", self.kernel_size + (self.filters, ch),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != 4:
            check_rank(self, inputs.shape, 4, self._what())
        x = self._to_nhwc(inputs)
        geo = _ck.tgeometry(x.shape[1], x.shape[2], self.kernel_size, self.strides,
                            self.dilation_rate, self.padding,
                            self.output_padding or (None, None))
        y = _ck.ConvTranspose2D.apply(x, self.kernel, geo=geo)
        if self.bias is not None:
            y = y + self.bias
        return self._activate(self._from_nhwc(y), False)

    def get_config(self):
        cfg = super().get_config()
        cfg["output_padding"] = None if self.output_padding is None else \
            list(self.output_padding)
        return cfg


class DepthwiseConv2D(_Conv):
    """One (KH, KW) filter set per input channel: kernel (KH, KW, C_in, depth_multiplier),
    output channels C_in * depth_multiplier (channel c * depth_multiplier + m)."""

    rank = 2

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(None, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        if self.depth_multiplier < 1:
            raise ValueError(f"{owner(self)}: depth_multiplier must be a positive integer, got "
                             f"{depth_multiplier}")
        self.depthwise_kernel = None

    def compute_output_shape(self, input_shape):
        spatial, ch = self._check_input(input_shape)
        return self._join(input_shape[0], self._out_spatial(spatial),
                          ch * self.depth_multiplier)

    def build(self, input_shape):
        _, ch = self._check_input(input_shape)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", self.kernel_size + (ch, self.depth_multiplier),
            self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.kernel = self.depthwise_kernel
        self._add_bias(ch * self.depth_multiplier)
        self.built = True

    def _depthwise(self, inputs):
        self._check_call(inputs)
        x = self._to_nhwc(inputs)
        return _ck.Depthwise2D.apply(x, self.depthwise_kernel, geo=self._geometry(x))

    def call(self, inputs):
        y = self._depthwise(inputs)
        if self.bias is not None:
            y = y + self.bias
        return self._activate(self._from_nhwc(y), False)

    def get_config(self):
        cfg = super().get_config()
        for k in ("filters", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            cfg.pop(k)
        cfg.update(depth_multiplier=self.depth_multiplier,
                   depthwise_initializer=serialize(self.kernel_initializer),
                   depthwise_regularizer=serialize(self.kernel_regularizer),
                   depthwise_constraint=serialize(self.kernel_constraint))
        return cfg


class SeparableConv2D(DepthwiseConv2D):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution to ``filters``."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding,
                         depth_multiplier=depth_multiplier, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        filters = int(filters)
        if filters < 1:
            raise ValueError(f"{owner(self)}: filters must be a positive integer, got {filters}")
        self.filters = filters
        self.pointwise_initializer = _initializers.get(pointwise_initializer)
        self.pointwise_regularizer = _regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = _constraints.get(pointwise_constraint)
        self.pointwise_kernel = None

    def compute_output_shape(self, input_shape):
        spatial, _ = self._check_input(input_shape)
        return self._join(input_shape[0], self._out_spatial(spatial), self.filters)

    def build(self, input_shape):
        _, ch = self._check_input(input_shape)
        m = self.depth_multiplier
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", self.kernel_size + (ch, m), self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.kernel = self.depthwise_kernel
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", (1, 1, ch * m, self.filters), self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint)
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs):
        y = self._depthwise(inputs)
        w = ops.reshape(self.pointwise_kernel, (-1, self.filters))
        y = _kernels.dense(y, w, self.bias, self._act or "linear")
        return self._activate(self._from_nhwc(y), self._act is not None)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(filters=self.filters,
                   pointwise_initializer=serialize(self.pointwise_initializer),
                   pointwise_regularizer=serialize(self.pointwise_regularizer),
                   pointwise_constraint=serialize(self.pointwise_constraint))
        return cfg


# keras' aliases
Convolution1D, Convolution2D, Convolution2DTranspose = Conv1D, Conv2D, Conv2DTranspose
