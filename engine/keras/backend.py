"""``keras.backend``: keras 2's backend functions that are not TensorFlow ops of their own.

Axes count from 0 (Python's convention; the R package converts keras R's
1-based axes). Everything here is a composition of the engine's ops, so
gradients flow through it.
"""

import numpy as np

from .. import autograd, dtypes, linalg, nn, ops
from .. import random as _random
from ..errors import InvalidArgumentError, shape_str
from ..tensor import Tensor, Variable, convert_to_tensor
from . import _config
from . import losses as _losses
from .layers import base as _base

__all__ = ["backend", "epsilon", "set_epsilon", "floatx", "set_floatx", "image_data_format",
           "set_image_data_format", "is_tensor", "is_keras_tensor", "int_shape", "ndim",
           "dtype", "count_params", "dot", "batch_dot", "batch_flatten", "flatten", "repeat",
           "repeat_elements", "switch", "in_train_phase", "in_test_phase", "learning_phase",
           "binary_crossentropy", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "gradients", "get_value", "set_value",
           "batch_get_value", "batch_set_value", "random_bernoulli", "conv1d", "conv2d",
           "pool2d", "bias_add", "batch_normalization", "temporal_padding",
           "spatial_2d_padding", "in_top_k", "clear_session", "get_uid", "reset_uids",
           "update", "update_add", "update_sub", "moving_average_update", "cast_to_floatx",
           "l2_normalize", "rnn", "normalize_batch_in_training"]

_STATE = {"uids": {}}


def backend():
    return "tensorflow"


def epsilon():
    """The fuzz factor of the backend functions, the losses and the metrics (1e-7)."""
    return _config.epsilon()


def set_epsilon(value):
    """Sets the fuzz factor that ``epsilon()``, the losses and the metrics use."""
    _config.set_epsilon(value)


def floatx():
    return dtypes.floatx.name


def set_floatx(value):
    if value != dtypes.floatx.name:
        raise InvalidArgumentError(
            f"set_floatx: {value!r}; the engine's layers and weights are float32 (the only "
            "floatx); cast tensors with cast() instead")


def image_data_format():
    return "channels_last"


def set_image_data_format(data_format):
    if data_format != "channels_last":
        raise InvalidArgumentError(
            f"set_image_data_format: {data_format!r}; the engine's default is channels_last "
            "(give data_format to a layer or function instead)")


def is_tensor(x):
    return isinstance(x, (Tensor, _base.KerasTensor))


def is_keras_tensor(x):
    return isinstance(x, _base.KerasTensor)


def _tensor(x, op):
    if isinstance(x, (Tensor, _base.KerasTensor)):
        return x
    return convert_to_tensor(x)


def int_shape(x):
    """The shape as a tuple of ints (None where a symbolic tensor's size is unknown)."""
    x = _tensor(x, "int_shape")
    return tuple(None if d is None else int(d) for d in x.shape)


def ndim(x):
    return len(_tensor(x, "ndim").shape)


def dtype(x):
    x = _tensor(x, "dtype")
    return x.dtype if isinstance(x.dtype, str) else x.dtype.name


def count_params(x):
    return int(np.prod(int_shape(x), dtype=np.int64))


def dot(x, y):
    """keras' dot: the last axis of ``x`` with the second-to-last of ``y`` (the last when
    ``y`` is a vector); shape ``x.shape[:-1] + y.shape[:-2] + y.shape[-1:]``."""
    x, y = ops._t(x, "dot"), ops._t(y, "dot")
    if x.ndim <= 2 and y.ndim <= 2:
        return ops.matmul(x, y) if x.ndim == 2 and y.ndim == 2 else ops.tensordot(x, y, 1)
    if y.ndim == 1:
        return ops.tensordot(x, y, [[x.ndim - 1], [0]])
    return ops.tensordot(x, y, [[x.ndim - 1], [y.ndim - 2]])


def batch_dot(x, y, axes=None):
    """For each sample (axis 0), the dot product of ``x`` and ``y`` over ``axes[0]`` of ``x``
    and ``axes[1]`` of ``y``; a result of rank 1 becomes ``(batch, 1)``."""
    x, y = ops._t(x, "batch_dot"), ops._t(y, "batch_dot")
    if x.ndim < 2 or y.ndim < 2:
        raise InvalidArgumentError(
            f"batch_dot: x is {shape_str(x.shape)} and y is {shape_str(y.shape)}; expected "
            "tensors of rank 2 or more (a batch axis first)")
    if x.shape[0] != y.shape[0]:
        raise InvalidArgumentError(
            f"batch_dot: x is {shape_str(x.shape)} and y is {shape_str(y.shape)}; expected the "
            "same batch size (first axis)")
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    elif isinstance(axes, (int, np.integer)):
        axes = (int(axes), int(axes))
    a0 = ops._axis(axes[0], x.ndim, "batch_dot", x.shape)
    a1 = ops._axis(axes[1], y.ndim, "batch_dot", y.shape)
    if a0 == 0 or a1 == 0:
        raise InvalidArgumentError(
            "batch_dot: axes name the batch axis (the first); expected axes of the samples")
    if x.shape[a0] != y.shape[a1]:
        raise InvalidArgumentError(
            f"batch_dot: x is {shape_str(x.shape)} and y is {shape_str(y.shape)}; the axes "
            f"contracted have {x.shape[a0]} and {y.shape[a1]} elements; expected the same")
    b, k = x.shape[0], x.shape[a0]
    x_rest = [d for i, d in enumerate(x.shape) if i not in (0, a0)]
    y_rest = [d for i, d in enumerate(y.shape) if i not in (0, a1)]
    xt = ops.transpose(x, [0] + [i for i in range(1, x.ndim) if i != a0] + [a0])
    yt = ops.transpose(y, [0, a1] + [i for i in range(1, y.ndim) if i != a1])
    m, n = int(np.prod(x_rest, dtype=np.int64)), int(np.prod(y_rest, dtype=np.int64))
    out = ops.matmul(ops.reshape(xt, (b, m, k)), ops.reshape(yt, (b, k, n)))
    shape = [b] + x_rest + y_rest
    return ops.reshape(out, shape if len(shape) > 1 else [b, 1])


def batch_flatten(x):
    x = ops._t(x, "batch_flatten")
    return ops.reshape(x, (x.shape[0] if x.ndim else 1, -1))


def flatten(x):
    return ops.reshape(ops._t(x, "flatten"), (-1,))


def repeat(x, n):
    """``(batch, dim)`` -> ``(batch, n, dim)``."""
    x = ops._t(x, "repeat")
    if x.ndim != 2:
        raise InvalidArgumentError(f"repeat: x is {shape_str(x.shape)}; expected a rank-2 tensor "
                                   "(batch, dim)")
    return ops.tile(ops.expand_dims(x, 1), [1, int(n), 1])


def repeat_elements(x, rep, axis):
    return ops.repeat(x, rep, axis=axis)


def _value(v):
    return v() if callable(v) else v


def switch(condition, then_expression, else_expression):
    """``then`` where ``condition`` holds, else ``else``; a scalar condition picks one whole
    branch (functions are called only for the branch taken); a condition of lower rank than
    the branches is broadcast over their trailing axes."""
    cond = ops._t(condition, "switch")
    if cond.dtype != dtypes.bool_:
        cond = ops.cast(cond, dtypes.bool_)
    if cond.ndim == 0:
        return _value(then_expression) if bool(cond.numpy()) else _value(else_expression)
    then_t = ops._t(_value(then_expression), "switch")
    else_t = ops._t(_value(else_expression), "switch")
    while cond.ndim < then_t.ndim:
        cond = ops.expand_dims(cond, -1)
    shape = np.broadcast_shapes(tuple(cond.shape), tuple(then_t.shape), tuple(else_t.shape))
    return ops.where(ops.broadcast_to(cond, shape), then_t, else_t)


def learning_phase():
    return 0


def in_train_phase(x, alt, training=None):
    return _value(x) if training else _value(alt)


def in_test_phase(x, alt, training=None):
    return _value(alt) if training else _value(x)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise (not averaged) binary cross-entropy."""
    target, output = ops._t(target, "binary_crossentropy"), ops._t(output, "binary_crossentropy")
    if target.dtype != output.dtype:
        target = ops.cast(target, output.dtype)
    if from_logits:
        return nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = epsilon()
    p = ops.clip_by_value(output, eps, 1.0 - eps)
    return -(target * ops.log(p) + (1.0 - target) * ops.log(1.0 - p))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return _losses.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = ops._t(output, "sparse_categorical_crossentropy")
    a = ops._axis(axis, output.ndim, "sparse_categorical_crossentropy", output.shape)
    if a != output.ndim - 1:
        output = ops.transpose(output, [i for i in range(output.ndim) if i != a] + [a])
    return _losses.sparse_categorical_crossentropy(target, output, from_logits=from_logits)


def gradients(loss, variables):
    """Gradients of ``sum(loss)`` with respect to each of ``variables``, from the graph that
    was recorded while ``loss`` was computed (inside a GradientTape)."""
    single = not isinstance(variables, (list, tuple))
    variables = [variables] if single else list(variables)
    loss = ops._t(loss, "gradients")
    for v in variables:
        if not isinstance(v, Tensor):
            raise InvalidArgumentError("gradients: variables must be tensors or variables")
    if loss._node is None:
        raise InvalidArgumentError(
            "gradients: loss has no recorded graph: compute it inside a GradientTape (with "
            "the variables watched)")
    seed = ops.ones_like(loss)
    out = autograd.backward([loss], [seed._data], variables, free=False)
    return [ops.zeros_like(v) if g is None else g for v, g in zip(variables, out)]


def get_value(x):
    return ops._t(x, "get_value").numpy()


def batch_get_value(tensors):
    return [get_value(t) for t in tensors]


def _variable(x, op):
    if not isinstance(x, Variable):
        raise InvalidArgumentError(f"{op}: x is not a variable; expected one made by variable()")
    return x


def set_value(x, value):
    _variable(x, "set_value").assign(value)


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def update(x, new_x):
    return _variable(x, "update").assign(new_x)


def update_add(x, increment):
    return _variable(x, "update_add").assign_add(increment)


def update_sub(x, decrement):
    return _variable(x, "update_sub").assign_sub(decrement)


def moving_average_update(x, value, momentum):
    x = _variable(x, "moving_average_update")
    return x.assign(x * momentum + ops._t(value, "moving_average_update") * (1.0 - momentum))


def cast_to_floatx(x):
    return ops.cast(x, dtypes.floatx)


def l2_normalize(x, axis=None):
    return linalg.l2_normalize(x, axis=axis)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    u = _random.uniform(shape, dtype=dtype or dtypes.floatx, seed=seed)
    return ops.cast(ops.less(u, float(p)), dtype or dtypes.floatx)


# -- convolution and pooling in keras' forms ----------------------------------------------
def _channels_last(x, data_format, rank):
    if data_format in (None, "channels_last"):
        return x, False
    if data_format != "channels_first":
        raise InvalidArgumentError(f"data_format {data_format!r}; expected 'channels_last' or "
                                   "'channels_first'")
    return ops.transpose(x, [0] + list(range(2, rank)) + [1]), True


def _back(y, moved, rank):
    return ops.transpose(y, [0, rank - 1] + list(range(1, rank - 1))) if moved else y


def _padding(padding):
    if padding not in ("valid", "same"):
        raise InvalidArgumentError(f"padding {padding!r}; expected 'valid' or 'same'")
    return padding.upper()


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, moved = _channels_last(ops._t(x, "conv1d"), data_format, 3)
    y = nn.conv1d(x, kernel, stride=strides, padding=_padding(padding),
                  dilations=dilation_rate)
    return _back(y, moved, 3)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    x, moved = _channels_last(ops._t(x, "conv2d"), data_format, 4)
    y = nn.conv2d(x, kernel, strides=strides, padding=_padding(padding),
                  dilations=dilation_rate)
    return _back(y, moved, 4)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    if pool_mode not in ("max", "avg"):
        raise InvalidArgumentError(f"pool2d: pool_mode {pool_mode!r}; expected 'max' or 'avg'")
    x, moved = _channels_last(ops._t(x, "pool2d"), data_format, 4)
    pool = nn.max_pool2d if pool_mode == "max" else nn.avg_pool2d
    return _back(pool(x, pool_size, strides, _padding(padding)), moved, 4)


def bias_add(x, bias, data_format=None):
    x = ops._t(x, "bias_add")
    rank = x.ndim
    x, moved = _channels_last(x, data_format, rank)
    return _back(nn.bias_add(x, bias), moved, rank)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):  # noqa: A002
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` (parameters broadcast over x)."""
    x = ops._t(x, "batch_normalization")
    y = (x - mean) * ops.rsqrt(ops._t(var, "batch_normalization") + epsilon)
    if gamma is not None:
        y = y * gamma
    return y if beta is None else y + beta


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):  # noqa: A002
    """The batch's ``mean`` and (population) ``var`` over ``reduction_axes``, and ``x``
    normalized with them: ``(normed, mean, var)``.  ``mean`` and ``var`` have the shape of
    ``x`` without the reduced axes; ``gamma`` and ``beta`` (or None) are shaped like them
    and are broadcast back over the reduced axes, as keras does."""
    x = ops._t(x, "normalize_batch_in_training")
    if isinstance(reduction_axes, (int, np.integer)):
        reduction_axes = [reduction_axes]
    axes = sorted({ops._axis(a, x.ndim, "normalize_batch_in_training", x.shape)
                   for a in reduction_axes})
    if not axes:
        raise InvalidArgumentError("normalize_batch_in_training: reduction_axes is empty; "
                                   "expected the axes to normalize over")
    mean, var = nn.moments(x, axes, keepdims=False)
    kept = [d for i, d in enumerate(x.shape) if i not in axes]
    target = [1 if i in axes else d for i, d in enumerate(x.shape)]

    def widen(t, what):
        if t is None:
            return None
        t = ops._t(t, "normalize_batch_in_training")
        if t.dtype != x.dtype:
            t = ops.cast(t, x.dtype)
        if tuple(t.shape) == tuple(kept):
            return ops.reshape(t, target)
        if t.ndim <= 1 and t.shape in ((), (1,)):
            return t
        raise InvalidArgumentError(
            f"normalize_batch_in_training: {what} is {shape_str(t.shape)}; expected "
            f"{shape_str(tuple(kept))} (x {shape_str(x.shape)} without the reduced axes)")

    normed = batch_normalization(x, ops.reshape(mean, target), ops.reshape(var, target),
                                 widen(beta, "beta"), widen(gamma, "gamma"), epsilon=epsilon)
    return normed, mean, var


def temporal_padding(x, padding=(1, 1)):
    return ops.pad(x, [[0, 0], [int(padding[0]), int(padding[1])], [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    pads = [[int(p) for p in pair] for pair in padding]
    if data_format == "channels_first":
        return ops.pad(x, [[0, 0], [0, 0]] + pads)
    return ops.pad(x, [[0, 0]] + pads + [[0, 0]])


def in_top_k(predictions, targets, k):
    """Whether each row's target class (0-based) is among its ``k`` largest predictions."""
    p = ops._t(predictions, "in_top_k").numpy()
    t = np.asarray(ops._t(targets, "in_top_k").numpy()).astype(np.int64).reshape(-1)
    if p.ndim != 2 or t.shape[0] != p.shape[0]:
        raise InvalidArgumentError(f"in_top_k: predictions are {shape_str(p.shape)} and targets "
                                   f"{shape_str(t.shape)}; expected (batch, classes) and (batch,)")
    if t.size and (t.min() < 0 or t.max() >= p.shape[1]):
        raise InvalidArgumentError(f"in_top_k: targets must be classes 0..{p.shape[1] - 1}")
    mine = p[np.arange(p.shape[0]), t]
    above = (p > mine[:, None]).sum(axis=1)
    return convert_to_tensor(above < int(k))


def clear_session():
    """Resets the counters behind default layer names and uids."""
    _base._NAME_COUNTS.clear()
    _STATE["uids"].clear()


def get_uid(prefix=""):
    n = _STATE["uids"].get(prefix, 0) + 1
    _STATE["uids"][prefix] = n
    return n


def reset_uids():
    _STATE["uids"].clear()


# -- the recurrent loop -----------------------------------------------------------------------
def _as_list(states):
    if states is None:
        return []
    if isinstance(states, (list, tuple)):
        return list(states)
    return [states]


def _step_mask(mask_t, like):
    """A (batch,) boolean mask broadcast to the shape of ``like``."""
    m = ops.reshape(mask_t, tuple(mask_t.shape) + (1,) * (like.ndim - 1))
    return ops.broadcast_to(m, like.shape)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """keras' backend ``rnn``: iterates ``step_function(input_t, states + constants)`` over
    the time axis of ``inputs`` (axis 1, or 0 when ``time_major``); the step returns
    ``(output_t, new_states)``.  Returns ``(last_output, outputs, new_states)`` with
    ``outputs`` stacked along the time axis.  ``go_backwards`` iterates from the last step
    (``outputs`` then come in that reversed order).  Where ``mask`` (batch, time) is 0 or
    False the states carry over unchanged and the output repeats the previous step's (zeros
    before the first unmasked one, or always with ``zero_output_for_mask``).  ``unroll`` and
    ``input_length`` change nothing: the loop is always an unrolled composition of engine
    ops, so gradients flow through it."""
    if not callable(step_function):
        raise InvalidArgumentError("rnn: step_function must be a function (input_t, states) "
                                   "-> (output_t, new_states)")
    x = ops._t(inputs, "rnn")
    if x.ndim < 3:
        raise InvalidArgumentError(f"rnn: inputs are {shape_str(x.shape)}; expected at least "
                                   "3 axes (samples, time, features ...)")
    if time_major:
        x = ops.transpose(x, [1, 0] + list(range(2, x.ndim)))
    batch, steps = x.shape[0], x.shape[1]
    if steps == 0:
        raise InvalidArgumentError("rnn: inputs have no time steps")
    states = [ops._t(s, "rnn") for s in _as_list(initial_states)]
    constants = [ops._t(c, "rnn") for c in _as_list(constants)]
    if mask is not None:
        mask = ops._t(mask, "rnn")
        if mask.dtype != dtypes.bool_:
            mask = ops.not_equal(mask, ops.zeros_like(mask))
        if time_major and mask.ndim >= 2:
            mask = ops.transpose(mask, [1, 0] + list(range(2, mask.ndim)))
        if mask.ndim == 3 and mask.shape[2] == 1:
            mask = ops.reshape(mask, mask.shape[:2])
        if tuple(mask.shape) != (batch, steps):
            raise InvalidArgumentError(
                f"rnn: mask is {shape_str(mask.shape)}; expected ({batch}, {steps}) or "
                f"({batch}, {steps}, 1) for inputs {shape_str(x.shape)} (samples, time, ...)")
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs = []
    prev = None
    for t in order:
        out, new_states = _step(step_function, x[:, t], states, constants, t)
        if mask is not None:
            m = mask[:, t]
            if prev is None or zero_output_for_mask:
                prev = ops.zeros_like(out)
            out = ops.where(_step_mask(m, out), out, prev)
            new_states = [ops.where(_step_mask(m, n), n, s) for n, s in zip(new_states, states)]
        outputs.append(out)
        prev = out
        states = new_states
    last = outputs[-1]
    if return_all_outputs:
        seq = ops.stack(outputs, axis=1)
    else:
        seq = ops.expand_dims(last, 1)
    if time_major:
        seq = ops.transpose(seq, [1, 0] + list(range(2, seq.ndim)))
    return last, seq, states


def _step(step_function, x_t, states, constants, t):
    result = step_function(x_t, list(states) + list(constants))
    if not isinstance(result, (list, tuple)) or len(result) != 2:
        raise InvalidArgumentError(
            f"rnn: step_function returned {type(result).__name__}; expected a pair "
            "(output, new_states)")
    out, new_states = result
    out = ops._t(out, "rnn")
    new_states = [ops._t(s, "rnn") for s in _as_list(new_states)]
    if len(new_states) != len(states):
        raise InvalidArgumentError(
            f"rnn: step_function returned {len(new_states)} states at step {t}; expected "
            f"{len(states)}, as many as initial_states")
    for n, s in zip(new_states, states):
        if tuple(n.shape) != tuple(s.shape):
            raise InvalidArgumentError(
                f"rnn: step_function returned a state of shape {shape_str(n.shape)} at step "
                f"{t}; expected {shape_str(s.shape)}, the shape of its initial state")
    return out, new_states
