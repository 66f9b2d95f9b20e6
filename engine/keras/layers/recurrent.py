"""Recurrent layers: SimpleRNN, LSTM, GRU (keras semantics and argument names).

Input is (batch, timesteps, features).  The input projection of every step is one
matmul; the time loop and its backward-through-time are one fused op per layer call
(:mod:`._rnn_kernels`) for the activations listed in ``_rnn_kernels.FUSED`` (and, for
GRU, keras' default ``reset_after=True``); other configurations run a per-step
composition of engine ops, slower but with the same results.

Masks (from ``Embedding(mask_zero=True)`` or ``Masking``) make masked steps carry
the state unchanged, so outputs and final states equal those of the unpadded
sequence.  ``initial_state`` may be passed at call time; ``stateful=True`` carries the
final states of one batch into the next until ``reset_states()``.
"""

import numpy as np

from ... import ops
from ... import random as _random
from ...tensor import Tensor
from .. import _kernels
from .. import _validate as _v
from .. import activations as _activations
from .. import constraints as _constraints
from .. import initializers as _initializers
from .. import regularizers as _regularizers
from .._registry import serialize
from . import _rnn_kernels as _rk
from ._util import check_rank, dense_input, owner
from .base import Layer


def _zeros(dev, shape, dtype):
    return Tensor._make(dev.xp.zeros(shape, dtype=dtype), dev)


def _reverse_time(x):
    return ops.getitem(x, (slice(None), slice(None, None, -1)))


class _RNN(Layer):
    """Shared life cycle of SimpleRNN / LSTM / GRU; subclasses set ``_gates`` and the cell."""

    _gates = 1
    _n_states = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None,
                 zero_output_for_mask=False, **kwargs):
        kwargs.pop("time_major", None)
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        me = owner(self)
        self.units = _v.positive_int(me, "units", units)
        self.activation = _v.activation(me, activation)
        self.recurrent_activation = _v.activation(me, recurrent_activation,
                                                  "recurrent_activation")
        self.use_bias = _v.boolean(me, "use_bias", use_bias)
        self.kernel_initializer = _initializers.get(kernel_initializer)
        self.recurrent_initializer = _initializers.get(recurrent_initializer)
        self.bias_initializer = _initializers.get(bias_initializer)
        self.kernel_regularizer = _regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = _regularizers.get(recurrent_regularizer)
        self.bias_regularizer = _regularizers.get(bias_regularizer)
        self.activity_regularizer = _regularizers.get(activity_regularizer)
        self.kernel_constraint = _constraints.get(kernel_constraint)
        self.recurrent_constraint = _constraints.get(recurrent_constraint)
        self.bias_constraint = _constraints.get(bias_constraint)
        self.dropout = _v.rate(me, "dropout", dropout)
        self.recurrent_dropout = _v.rate(me, "recurrent_dropout", recurrent_dropout)
        self.return_sequences = _v.boolean(me, "return_sequences", return_sequences)
        self.return_state = _v.boolean(me, "return_state", return_state)
        self.go_backwards = _v.boolean(me, "go_backwards", go_backwards)
        self.stateful = _v.boolean(me, "stateful", stateful)
        self.unroll = _v.boolean(me, "unroll", unroll)
        self.seed = seed
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.states = None
        self.kernel = self.recurrent_kernel = self.bias = None

    # -- names of the fused activations (None when not fusable) ------------------------------
    def _act_names(self):
        a = _activations.serialize(self.activation)
        r = _activations.serialize(self.recurrent_activation)
        return (a, r) if a in _rk.FUSED and r in _rk.FUSED else None

    # -- shapes ------------------------------------------------------------------------------
    def _x_shape(self, input_shape):
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        check_rank(self, input_shape, 3, "(batch, timesteps, features)")
        return input_shape

    def compute_output_shape(self, input_shape):
        s = self._x_shape(input_shape)
        out = (s[0], s[1], self.units) if self.return_sequences else (s[0], self.units)
        if self.return_state:
            return [out] + [(s[0], self.units)] * self._n_states
        return out

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list):
            mask = mask[0]
        out = mask if self.return_sequences else None
        if self.return_state:
            return [out] + [None] * self._n_states
        return out

    def build(self, input_shape):
        s = self._x_shape(input_shape)
        if s[-1] is None:
            raise ValueError(f"{owner(self)}: the features dimension of the input must be "
                             f"known, got input shape {tuple(s)}")
        g = self._gates * self.units
        self.kernel = self.add_weight("kernel", (s[-1], g), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel", (self.units, g), self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", self._bias_shape(), self._bias_init(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _bias_shape(self):
        return (self._gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    # -- calling -------------------------------------------------------------------------------
    def __call__(self, inputs, *args, initial_state=None, **kwargs):
        inputs = dense_input(self, inputs)
        if initial_state is not None:
            st = list(initial_state) if isinstance(initial_state, (list, tuple)) else \
                [initial_state]
            inputs = [inputs] + st
        return super().__call__(inputs, *args, **kwargs)

    def _initial_states(self, x, given):
        n = x.shape[0]
        dev, dt = x._dev, x._data.dtype
        if given:
            if len(given) != self._n_states:
                raise ValueError(f"{owner(self)} has {self._n_states} state(s) but got "
                                 f"{len(given)} initial state tensor(s); give "
                                 f"{self._n_states}, each of shape (batch, {self.units})")
            out = []
            for s in given:
                s = s if isinstance(s, Tensor) else ops.convert_to_tensor(
                    np.asarray(s, dtype=dt))
                if tuple(s.shape) != (n, self.units):
                    raise ValueError(f"{owner(self)}: an initial state has shape "
                                     f"{tuple(s.shape)}; expected (batch, units) = "
                                     f"({n}, {self.units})")
                out.append(s)
            return out
        if self.stateful and self.states is not None:
            if self.states[0].shape[0] != n:
                raise ValueError(
                    f"{owner(self)} is stateful with batch size {self.states[0].shape[0]} but "
                    f"got a batch of {n}; feed batches of one size (and shuffle=False), or "
                    "call reset_states() first")
            return list(self.states)
        return [_zeros(dev, (n, self.units), dt) for _ in range(self._n_states)]

    def reset_states(self, states=None):
        """Zero the carried states of a stateful layer (or set them to ``states``)."""
        if states is None:
            self.states = None
            return
        states = states if isinstance(states, (list, tuple)) else [states]
        self.states = [ops.convert_to_tensor(np.asarray(s, dtype=self.dtype)) for s in states]

    reset_state = reset_states

    def _dropout_masks(self, x, training):
        """Input dropout applied to x (same mask at every step, as keras 3) and the
        recurrent-dropout mask (batch, units) as a backend array, or None."""
        rmask = None
        if training:
            n, _, d = x.shape
            if self.dropout > 0:
                x = _kernels.dropout(x, self.dropout, seed=self.seed, noise_shape=(n, 1, d))
            if self.recurrent_dropout > 0:
                dev, dt = x._dev, x._data.dtype
                u = dev.backend.rng_uniform(_random._generator(dev, self.seed),
                                            (n, self.units), dt)
                rate = self.recurrent_dropout
                rmask = (u >= rate).astype(dt) * dt.type(1.0 / (1.0 - rate))
        return x, rmask

    def call(self, inputs, mask=None, training=None, initial_state=None):
        given = list(initial_state or [])
        if isinstance(inputs, (list, tuple)):
            inputs, given = inputs[0], list(inputs[1:]) + given
        if isinstance(mask, list):
            mask = mask[0]
        if inputs.ndim != 3:
            check_rank(self, inputs.shape, 3, "(batch, timesteps, features)")
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(f"{owner(self)} was built for {self.kernel.shape[0]} features per "
                             f"step but got input of shape {tuple(inputs.shape)}")
        states = self._initial_states(inputs, given)
        x, rmask = self._dropout_masks(inputs, training)
        m = None
        if mask is not None:
            m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
            m = m.astype(bool)
            if m.shape != tuple(inputs.shape[:2]):
                raise ValueError(f"{owner(self)}: mask of shape {m.shape} for input of shape "
                                 f"{tuple(inputs.shape)}; expected (batch, timesteps)")
            if bool(m.all()):
                m = None
        if self.go_backwards:
            x = _reverse_time(x)
            if m is not None:
                m = m[:, ::-1]
        t_len = x.shape[1]
        packed = self._run(x, states, m, rmask)
        seq = ops.getitem(packed, (slice(None), slice(0, t_len)))
        finals = [ops.getitem(packed, (slice(None), t_len + i)) for i in range(self._n_states)]
        if self.stateful:
            self.states = [Tensor._make(s._data.copy(), s._dev) for s in finals]
        out = seq if self.return_sequences else finals[0]
        if self.activity_regularizer is not None:
            self._add_activity_loss(self.activity_regularizer, out)
        if self.return_state:
            return [out] + finals
        return out

    def _projection(self, x, bias):
        """x @ kernel (+ bias) for every step: (batch, steps, gates * units)."""
        return _kernels.dense(x, self.kernel, bias, "linear")

    def _run(self, x, states, m, rmask):
        names = self._act_names()
        if names is not None and self._fusable():
            return self._fused(x, states, m, rmask, *names)
        return self._composite(x, states, m, rmask)

    def _fusable(self):
        return True

    def _composite(self, x, states, m, rmask):
        """The per-step reference loop on engine ops (any activation, reset_after=False)."""
        xw = self._projection(x, self._input_bias())
        t_len = x.shape[1]
        dev = x._dev
        rm = None if rmask is None else Tensor._make(rmask, dev)
        mt = None if m is None else Tensor._make(dev.xp.asarray(m[:, :, None]), dev)
        outs = []
        for t in range(t_len):
            xt = ops.getitem(xw, (slice(None), t))
            new = self._step(xt, states, rm)
            if mt is None:
                states = new
                outs.append(new[0])
            else:
                keep = ops.getitem(mt, (slice(None), t))
                states = [ops.where(keep, a, b) for a, b in zip(new, states)]
                if self.zero_output_for_mask:
                    outs.append(ops.where(keep, new[0], ops.zeros_like(new[0])))
                else:
                    outs.append(states[0])
        seq = ops.stack(outs, axis=1)
        return ops.concat([seq] + [ops.expand_dims(s, 1) for s in states], axis=1)

    def _input_bias(self):
        return self.bias

    def get_config(self):
        cfg = super().get_config()
        cfg.update(
            units=self.units, activation=_activations.serialize(self.activation),
            use_bias=self.use_bias, kernel_initializer=serialize(self.kernel_initializer),
            recurrent_initializer=serialize(self.recurrent_initializer),
            bias_initializer=serialize(self.bias_initializer),
            kernel_regularizer=serialize(self.kernel_regularizer),
            recurrent_regularizer=serialize(self.recurrent_regularizer),
            bias_regularizer=serialize(self.bias_regularizer),
            activity_regularizer=serialize(self.activity_regularizer),
            kernel_constraint=serialize(self.kernel_constraint),
            recurrent_constraint=serialize(self.recurrent_constraint),
            bias_constraint=serialize(self.bias_constraint), dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout, return_sequences=self.return_sequences,
            return_state=self.return_state, go_backwards=self.go_backwards,
            stateful=self.stateful, unroll=self.unroll, seed=self.seed,
            zero_output_for_mask=self.zero_output_for_mask)
        return cfg


def _drop_h(h, rm):
    return h if rm is None else h * rm


class SimpleRNN(_RNN):
    """h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""

    _gates, _n_states = 1, 1

    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, **kwargs)

    def _act_names(self):
        a = _activations.serialize(self.activation)
        return (a,) if a in _rk.FUSED else None

    def _fused(self, x, states, m, rmask, act):
        xw = self._projection(x, self.bias)
        return _rk.SimpleRNNOp.apply(xw, self.recurrent_kernel, states[0], act=act, mask=m,
                                     rmask=rmask, zero_out=self.zero_output_for_mask)

    def _step(self, xt, states, rm):
        h = self.activation(xt + ops.matmul(_drop_h(states[0], rm), self.recurrent_kernel))
        return [h]


class LSTM(_RNN):
    """Long short-term memory; gates in keras' order i, f, c, o in kernel and bias."""

    _gates, _n_states = 4, 2

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, u = self.bias_initializer, self.units

        def init(shape, dtype="float32"):
            b = np.asarray(base((u,), dtype=dtype), dtype=dtype)
            return np.concatenate([b, np.ones((u,), dtype), np.asarray(
                base((2 * u,), dtype=dtype), dtype=dtype)])

        return init

    def _fused(self, x, states, m, rmask, act, ract):
        xw = self._projection(x, self.bias)
        return _rk.LSTMOp.apply(xw, self.recurrent_kernel, states[0], states[1], act=act,
                                ract=ract, mask=m, rmask=rmask,
                                zero_out=self.zero_output_for_mask)

    def _step(self, xt, states, rm):
        h, c = states
        u = self.units
        z = xt + ops.matmul(_drop_h(h, rm), self.recurrent_kernel)
        ra, a = self.recurrent_activation, self.activation
        i = ra(z[:, :u])
        f = ra(z[:, u:2 * u])
        g = a(z[:, 2 * u:3 * u])
        o = ra(z[:, 3 * u:])
        c = f * c + i * g
        return [o * a(c), c]

    def get_config(self):
        cfg = super().get_config()
        cfg.update(recurrent_activation=_activations.serialize(self.recurrent_activation),
                   unit_forget_bias=self.unit_forget_bias)
        return cfg


class GRU(_RNN):
    """Gated recurrent unit; gates z, r, h.  ``reset_after=True`` (keras' default, the
    cuDNN / PyTorch formulation) has a bias of shape (2, 3 * units): input and recurrent."""

    _gates, _n_states = 3, 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 reset_after=True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self):
        g = 3 * self.units
        return (2, g) if self.reset_after else (g,)

    def _fusable(self):
        return self.reset_after

    def _input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def _rec_bias(self, x):
        if self.bias is None:
            return _zeros(x._dev, (3 * self.units,), x._data.dtype)
        return self.bias[1]

    def _fused(self, x, states, m, rmask, act, ract):
        xw = self._projection(x, self._input_bias())
        return _rk.GRUOp.apply(xw, self.recurrent_kernel, self._rec_bias(x), states[0], act=act,
                               ract=ract, mask=m, rmask=rmask,
                               zero_out=self.zero_output_for_mask)

    def _step(self, xt, states, rm):
        h = _drop_h(states[0], rm)
        u = self.units
        uk = self.recurrent_kernel
        ra, a = self.recurrent_activation, self.activation
        if self.reset_after:
            hu = ops.matmul(h, uk)
            if self.bias is not None:
                hu = hu + self.bias[1]
            z = ra(xt[:, :u] + hu[:, :u])
            r = ra(xt[:, u:2 * u] + hu[:, u:2 * u])
            n = a(xt[:, 2 * u:] + r * hu[:, 2 * u:])
        else:
            hu = ops.matmul(h, uk[:, :2 * u])
            z = ra(xt[:, :u] + hu[:, :u])
            r = ra(xt[:, u:2 * u] + hu[:, u:])
            n = a(xt[:, 2 * u:] + ops.matmul(r * h, uk[:, 2 * u:]))
        return [z * h + (1 - z) * n]

    def get_config(self):
        cfg = super().get_config()
        cfg.update(recurrent_activation=_activations.serialize(self.recurrent_activation),
                   reset_after=self.reset_after)
        return cfg
