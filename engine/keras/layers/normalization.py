"""BatchNormalization and LayerNormalization (keras 3 semantics)."""

from ... import ops
from ...autograd import no_grad
from .. import _validate as _v
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers
from .._registry import serialize
from .base import Layer


class _Norm(Layer):
    supports_masking = True

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        me = type(self).__name__
        self.epsilon = _v.non_negative(me, "epsilon", epsilon)
        self.center = _v.boolean(me, "center", center)
        self.scale = _v.boolean(me, "scale", scale)
        self.beta_initializer = _initializers.get(beta_initializer)
        self.gamma_initializer = _initializers.get(gamma_initializer)
        self.beta_regularizer = _regularizers.get(beta_regularizer)
        self.gamma_regularizer = _regularizers.get(gamma_regularizer)
        self.beta_constraint = _constraints.get(beta_constraint)
        self.gamma_constraint = _constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def _axes(self, ndim):
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        return sorted(a % ndim for a in axes)

    def _param_shape(self, input_shape):
        nd = len(input_shape)
        axes = self._axes(nd)
        for a in axes:
            if input_shape[a] is None:
                raise ValueError(f"{type(self).__name__} {self.name!r}: axis {a} of input shape "
                                 f"{tuple(input_shape)} must be known")
        return tuple(input_shape[a] for a in axes), axes

    def _affine(self, shape):
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", shape, self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def _scale_shift(self, y, nd, shape):
        """``gamma * y + beta`` (each when the layer has it), broadcast over ``y``."""
        if self.gamma is not None:
            y = y * self._bcast(self.gamma, nd, shape)
        if self.beta is not None:
            y = y + self._bcast(self.beta, nd, shape)
        return y

    def _bcast(self, v, ndim, shape):
        axes = self._axes(ndim)
        return ops.reshape(v, [shape[i] if i in axes else 1 for i in range(ndim)])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        cfg = super().get_config()
        cfg.update(axis=self.axis, epsilon=self.epsilon, center=self.center, scale=self.scale,
                   beta_initializer=serialize(self.beta_initializer),
                   gamma_initializer=serialize(self.gamma_initializer),
                   beta_regularizer=serialize(self.beta_regularizer),
                   gamma_regularizer=serialize(self.gamma_regularizer),
                   beta_constraint=serialize(self.beta_constraint),
                   gamma_constraint=serialize(self.gamma_constraint))
        return cfg


class BatchNormalization(_Norm):
    """Normalize with batch statistics while training and moving statistics otherwise.

    moving = moving * momentum + batch_stat * (1 - momentum), with the biased
    batch variance (keras 3; keras 2's fused kernel used the unbiased one).
    A frozen layer (``trainable = False``) runs in inference mode, as in keras.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 moving_mean_initializer="zeros", moving_variance_initializer="ones", **kwargs):
        super().__init__(axis=axis, epsilon=epsilon, center=center, scale=scale, **kwargs)
        self.momentum = _v.number("BatchNormalization", "momentum", momentum, 0.0, 1.0)
        self.moving_mean_initializer = _initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = _initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        shape, _ = self._param_shape(input_shape)
        self._affine(shape)
        self.moving_mean = self.add_weight("moving_mean", shape, self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape,
                                               self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def call(self, inputs, training=None):
        nd = inputs.ndim
        axes = self._axes(nd)
        red = [i for i in range(nd) if i not in axes]
        shape = inputs.shape
        if training and self.trainable:
            mean = ops.reduce_mean(inputs, red, keepdims=True)
            centered = inputs - mean
            var = ops.reduce_mean(ops.square(centered), red, keepdims=True)
            with no_grad():
                m = self.momentum
                pshape = self.moving_mean.shape
                self.moving_mean.assign(self.moving_mean.value() * m
                                        + ops.reshape(mean, pshape) * (1 - m))
                self.moving_variance.assign(self.moving_variance.value() * m
                                            + ops.reshape(var, pshape) * (1 - m))
        else:
            mean = self._bcast(self.moving_mean.value(), nd, shape)
            var = self._bcast(self.moving_variance.value(), nd, shape)
            centered = inputs - mean
        return self._scale_shift(centered * ops.rsqrt(var + self.epsilon), nd, shape)

    def get_config(self):
        cfg = super().get_config()
        cfg.update(momentum=self.momentum,
                   moving_mean_initializer=serialize(self.moving_mean_initializer),
                   moving_variance_initializer=serialize(self.moving_variance_initializer))
        return cfg


class LayerNormalization(_Norm):
    """Normalize each sample over ``axis`` (default the last), then scale and shift."""

    def build(self, input_shape):
        shape, _ = self._param_shape(input_shape)
        self._affine(shape)
        self.built = True

    def call(self, inputs):
        nd = inputs.ndim
        axes = self._axes(nd)
        shape = inputs.shape
        mean = ops.reduce_mean(inputs, axes, keepdims=True)
        centered = inputs - mean
        var = ops.reduce_mean(ops.square(centered), axes, keepdims=True)
        return self._scale_shift(centered * ops.rsqrt(var + self.epsilon), nd, shape)
