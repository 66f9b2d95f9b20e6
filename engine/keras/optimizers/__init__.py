"""``keras.optimizers``: SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam.

Update equations are keras 3's (the same as keras 2.11+'s "new" optimizers);
each class docstring states them.  Updates are fused and in place on the
variables' arrays and on preallocated slot arrays: no array is allocated per
step besides one scratch buffer per variable made at build time.  The whole
update of a step runs with SIGINT blocked, so an interrupt never leaves half
of the variables updated: it is delivered right after the step.
"""

import contextlib
import math
import signal
import threading

import numpy as np

from .. import _validate as _v
from .._registry import unknown
from . import schedules
from .schedules import LearningRateSchedule

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax",
           "Nadam", "get", "serialize", "deserialize", "schedules"]


@contextlib.contextmanager
def _sigint_blocked():
    """Defer SIGINT while the block runs (a no-op where signal masks do not exist)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Optimizer:
    """Base class. ``apply_gradients(zip(grads, vars))`` does one step.

    ``clipnorm`` clips each gradient to that L2 norm, ``global_clipnorm`` all of
    them jointly, ``clipvalue`` elementwise; ``weight_decay`` applies keras 3's
    decoupled decay ``var -= var * weight_decay * lr`` before the update.
    """

    _slot_names = ()

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        kwargs.pop("use_ema", None)
        kwargs.pop("jit_compile", None)
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        decay = kwargs.pop("decay", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown argument(s) "
                            f"{', '.join(sorted(kwargs))}")
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError("give at most one of clipnorm and global_clipnorm")
        me = type(self).__name__
        self.name = name or me
        self.learning_rate = learning_rate
        # keras 2's (legacy) time decay: each step uses lr / (1 + decay * iterations)
        self.decay = _v.non_negative(me, "decay", decay, none_ok=True) or 0.0
        self.weight_decay = _v.non_negative(me, "weight_decay", weight_decay, none_ok=True)
        self.clipnorm = _v.positive(me, "clipnorm", clipnorm, none_ok=True)
        self.clipvalue = _v.positive(me, "clipvalue", clipvalue, none_ok=True)
        self.global_clipnorm = _v.positive(me, "global_clipnorm", global_clipnorm, none_ok=True)
        self.iterations = 0
        self._index = {}  # id(variable) -> position
        self._slots = []  # per variable: dict of slot arrays

    # -- learning rate -----------------------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self.iterations)
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, dict):
            value = schedules.deserialize(value)
        if not isinstance(value, LearningRateSchedule) and not callable(value):
            if hasattr(value, "__float__") and hasattr(value, "shape"):
                try:
                    value = float(value)  # a one-element tensor or array
                except (TypeError, ValueError):
                    pass
            value = _v.number(type(self).__name__, "learning_rate", value, 0.0,
                              expected="a non-negative finite number or a schedule")
        self._learning_rate = value

    lr = learning_rate

    def _betas(self, beta_1, beta_2, epsilon):
        me = type(self).__name__
        return (_v.unit_interval_open(me, "beta_1", beta_1),
                _v.unit_interval_open(me, "beta_2", beta_2),
                _v.non_negative(me, "epsilon", epsilon))

    def _current_lr(self):
        lr = self._learning_rate
        if callable(lr):
            lr = float(lr(self.iterations))
        if self.decay:
            lr = lr / (1.0 + self.decay * self.iterations)
        return lr

    # -- state ------------------------------------------------------------------------------------
    def build(self, var_list):
        for v in var_list:
            if id(v) not in self._index:
                self._index[id(v)] = len(self._slots)
                a = v._data
                xp = v._dev.xp
                slots = {n: xp.zeros_like(a) for n in self._slot_names}
                slots["_scratch"] = xp.empty_like(a)
                self._init_slots(slots, a, xp)
                self._slots.append(slots)

    def _init_slots(self, slots, a, xp):
        pass

    def variables(self):
        """The optimizer state: iterations, then each variable's slots in build order."""
        out = [np.asarray(self.iterations, np.int64)]
        for s in self._slots:
            out.extend(s[n] for n in self._state_names())
        return out

    def _state_names(self):
        return self._slot_names

    def get_state(self):
        return [np.array(a) if isinstance(a, np.ndarray) else a for a in self.variables()]

    def set_state(self, arrays, var_list):
        """Restore ``get_state()`` for the variables ``var_list`` (in build order)."""
        self._index, self._slots = {}, []
        self.build(var_list)
        arrays = list(arrays)
        expect = 1 + len(self._slots) * len(self._state_names())
        if len(arrays) != expect:
            raise ValueError(f"{self.name}: optimizer state has {len(arrays)} arrays but "
                             f"{expect} are needed for {len(var_list)} variables; the model "
                             "does not match the saved optimizer")
        self.iterations = int(np.asarray(arrays[0]))
        k = 1
        for s in self._slots:
            for n in self._state_names():
                if s[n].shape != np.shape(arrays[k]):
                    raise ValueError(f"{self.name}: saved slot {n!r} has shape "
                                     f"{np.shape(arrays[k])}, expected {s[n].shape}")
                s[n][...] = arrays[k]
                k += 1

    # -- the step ---------------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def apply(self, grads, variables):
        arrays, seen = [], set()
        for g in grads:  # the step writes into the gradients: own each one exactly once
            a = getattr(g, "_data", g)
            if not hasattr(a, "__array_interface__") and not hasattr(a, "__cuda_array_interface__"):
                a = np.asarray(a, dtype=np.float32)
            if id(a) in seen or (isinstance(a, np.ndarray) and not a.flags.writeable):
                a = a.copy()
            seen.add(id(a))
            arrays.append(a)
        self.build(variables)
        with _sigint_blocked():
            self._clip(arrays, variables)
            lr = self._current_lr()
            step = self.iterations + 1
            self._prepare(lr, step)
            for g, v in zip(arrays, variables):
                slots = self._slots[self._index[id(v)]]
                w = v._data
                if self.weight_decay:
                    w -= w * (self.weight_decay * lr)
                self._update(w, g, slots, lr, step, v._dev.xp)
                c = getattr(v, "constraint", None)
                if c is not None:
                    w[...] = c(w)
            self.iterations = step

    def _clip(self, arrays, variables):
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(float((a * a).sum()) for a in arrays))
            if norm > self.global_clipnorm:
                for a in arrays:
                    a *= self.global_clipnorm / norm
        if self.clipnorm is not None:
            for a in arrays:
                n = math.sqrt(float((a * a).sum()))
                if n > self.clipnorm:
                    a *= self.clipnorm / n
        if self.clipvalue is not None:
            for a in arrays:
                np.clip(a, -self.clipvalue, self.clipvalue, out=a) if isinstance(
                    a, np.ndarray) else a.clip(-self.clipvalue, self.clipvalue, out=a)

    def _prepare(self, lr, step):
        pass

    def _update(self, w, g, slots, lr, step, xp):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- config -------------------------------------------------------------------------------
    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = schedules.serialize(lr)
        config = {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "clipvalue": self.clipvalue,
                  "global_clipnorm": self.global_clipnorm}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} learning_rate={self.learning_rate}>"


class SGD(Optimizer):
    """m = momentum * m - lr * g; w += m (nesterov: w += momentum * m - lr * g);
    without momentum w -= lr * g."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum = _v.number("SGD", "momentum", momentum, 0.0, 1.0)
        self.nesterov = _v.boolean("SGD", "nesterov", nesterov)
        self._slot_names = ("momentum",) if self.momentum else ()

    def _update(self, w, g, s, lr, step, xp):
        if not self.momentum:
            g *= lr
            w -= g
            return
        m = s["momentum"]
        m *= self.momentum
        g *= lr
        m -= g
        if self.nesterov:
            t = s["_scratch"]
            xp.multiply(m, self.momentum, out=t)
            t -= g
            w += t
        else:
            w += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """v = rho * v + (1 - rho) * g²; centered: a = rho * a + (1 - rho) * g, d = v - a² + eps,
    else d = v + eps; inc = lr * g / sqrt(d); momentum: m = momentum * m + inc, w -= m;
    else w -= inc.  (keras 3; epsilon inside the square root.)"""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = _v.unit_interval_open("RMSprop", "rho", rho)
        self.momentum = _v.non_negative("RMSprop", "momentum", momentum)
        self.epsilon = _v.non_negative("RMSprop", "epsilon", epsilon)
        self.centered = _v.boolean("RMSprop", "centered", centered)
        names = ["velocity"]
        if self.momentum:
            names.append("momentum")
        if self.centered:
            names.append("average_gradient")
        self._slot_names = tuple(names)

    def _update(self, w, g, s, lr, step, xp):
        rho = self.rho
        v, t = s["velocity"], s["_scratch"]
        v *= rho
        xp.multiply(g, g, out=t)
        t *= 1.0 - rho
        v += t
        if self.centered:
            a = s["average_gradient"]
            a *= rho
            xp.multiply(g, 1.0 - rho, out=t)
            a += t
            xp.multiply(a, a, out=t)
            xp.subtract(v, t, out=t)
            t += self.epsilon
        else:
            xp.add(v, self.epsilon, out=t)
        xp.sqrt(t, out=t)
        xp.divide(g, t, out=t)
        t *= lr
        if self.momentum:
            m = s["momentum"]
            m *= self.momentum
            m += t
            w -= m
        else:
            w -= t

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


class Adam(Optimizer):
    """m += (g - m)(1 - b1); v += (g² - v)(1 - b2); amsgrad: vhat = max(vhat, v), v := vhat;
    w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)   (keras 3)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = self._betas(beta_1, beta_2, epsilon)
        self.amsgrad = _v.boolean(type(self).__name__, "amsgrad", amsgrad)
        self._slot_names = ("m", "v", "vhat") if self.amsgrad else ("m", "v")

    def _prepare(self, lr, step):
        self._alpha = lr * math.sqrt(1 - self.beta_2 ** step) / (1 - self.beta_1 ** step)

    def _update(self, w, g, s, lr, step, xp):
        m, v, t = s["m"], s["v"], s["_scratch"]
        xp.subtract(g, m, out=t)
        t *= 1 - self.beta_1
        m += t
        g *= g
        g -= v
        g *= 1 - self.beta_2
        v += g
        if self.amsgrad:
            vh = s["vhat"]
            xp.maximum(vh, v, out=vh)
            v = vh
        xp.sqrt(v, out=t)
        t += self.epsilon
        xp.divide(m, t, out=t)
        t *= self._alpha
        w -= t

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class AdamW(Adam):
    """Adam with decoupled weight decay (w -= w * weight_decay * lr before the Adam step)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)


class Adagrad(Optimizer):
    """acc += g²; w -= lr * g / sqrt(acc + eps); acc starts at initial_accumulator_value."""

    _slot_names = ("accumulator",)

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value = _v.non_negative(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value)
        self.epsilon = _v.non_negative("Adagrad", "epsilon", epsilon)

    def _init_slots(self, slots, a, xp):
        slots["accumulator"][...] = self.initial_accumulator_value

    def _update(self, w, g, s, lr, step, xp):
        acc, t = s["accumulator"], s["_scratch"]
        xp.multiply(g, g, out=t)
        acc += t
        xp.add(acc, self.epsilon, out=t)
        xp.sqrt(t, out=t)
        xp.divide(g, t, out=t)
        t *= lr
        w -= t

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}


class Adadelta(Optimizer):
    """ag = rho*ag + (1-rho) g²; d = -sqrt(adv + eps) / sqrt(ag + eps) * g;
    adv = rho*adv + (1-rho) d²; w += lr * d."""

    _slot_names = ("accumulated_grad", "accumulated_delta_var")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = _v.unit_interval_open("Adadelta", "rho", rho)
        self.epsilon = _v.non_negative("Adadelta", "epsilon", epsilon)

    def _update(self, w, g, s, lr, step, xp):
        rho, eps = self.rho, self.epsilon
        ag, adv, t = s["accumulated_grad"], s["accumulated_delta_var"], s["_scratch"]
        ag *= rho
        xp.multiply(g, g, out=t)
        t *= 1 - rho
        ag += t
        xp.add(adv, eps, out=t)
        xp.sqrt(t, out=t)
        g *= t
        xp.add(ag, eps, out=t)
        xp.sqrt(t, out=t)
        g /= t
        g *= -1.0  # g is now delta_var
        adv *= rho
        xp.multiply(g, g, out=t)
        t *= 1 - rho
        adv += t
        g *= lr
        w += g

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}


class Adamax(Optimizer):
    """m += (g - m)(1 - b1); u = max(b2 * u, |g|); w -= lr * m / ((1 - b1^t)(u + eps))."""

    _slot_names = ("m", "u")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = self._betas(beta_1, beta_2, epsilon)

    def _update(self, w, g, s, lr, step, xp):
        m, u, t = s["m"], s["u"], s["_scratch"]
        xp.subtract(g, m, out=t)
        t *= 1 - self.beta_1
        m += t
        u *= self.beta_2
        xp.abs(g, out=g)
        xp.maximum(u, g, out=u)
        xp.add(u, self.epsilon, out=t)
        t *= 1 - self.beta_1 ** step
        xp.divide(m, t, out=t)
        t *= lr
        w -= t

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


class Nadam(Optimizer):
    """keras 3 Nadam: u_t = b1 (1 - 0.5 * 0.96^t), u_t1 = b1 (1 - 0.5 * 0.96^(t+1)),
    P_t = prod u_1..u_t; m += (g - m)(1 - b1); v += (g² - v)(1 - b2);
    m_hat = u_t1 m / (1 - P_t u_t1) + (1 - u_t) g / (1 - P_t); v_hat = v / (1 - b2^t);
    w -= lr * m_hat / (sqrt(v_hat) + eps)."""

    _slot_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = self._betas(beta_1, beta_2, epsilon)
        self.u_product = 1.0

    def _prepare(self, lr, step):
        b1 = self.beta_1
        self._u_t = b1 * (1.0 - 0.5 * 0.96 ** step)
        self._u_t1 = b1 * (1.0 - 0.5 * 0.96 ** (step + 1))
        self.u_product *= self._u_t
        self._p_t = self.u_product
        self._p_t1 = self.u_product * self._u_t1

    def _update(self, w, g, s, lr, step, xp):
        m, v, t = s["m"], s["v"], s["_scratch"]
        xp.subtract(g, m, out=t)
        t *= 1 - self.beta_1
        m += t
        xp.multiply(g, g, out=t)
        t -= v
        t *= 1 - self.beta_2
        v += t
        # g <- m_hat
        g *= (1 - self._u_t) / (1 - self._p_t)
        xp.multiply(m, self._u_t1 / (1 - self._p_t1), out=t)
        g += t
        xp.multiply(v, 1.0 / (1 - self.beta_2 ** step), out=t)
        xp.sqrt(t, out=t)
        t += self.epsilon
        g /= t
        g *= lr
        w -= g

    def get_state(self):
        return super().get_state() + [np.asarray(self.u_product)]

    def set_state(self, arrays, var_list):
        arrays = list(arrays)
        self.u_product = float(np.asarray(arrays[-1]))
        super().set_state(arrays[:-1], var_list)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


_TABLE = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW, "adagrad": Adagrad,
          "adadelta": Adadelta, "adamax": Adamax, "nadam": Nadam}
_CLASSES = {c.__name__: c for c in _TABLE.values()}


def get(identifier, custom_objects=None):
    """An optimizer from a name ("rmsprop"), a config dict, a class or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, dict):
        name = identifier.get("class_name")
        cls = (custom_objects or {}).get(name) or _CLASSES.get(name) or _TABLE.get(
            str(name).lower())
        if cls is None:
            raise unknown("optimizer", name, _TABLE)
        return cls.from_config(identifier.get("config", {}))
    if isinstance(identifier, str):
        cls = (custom_objects or {}).get(identifier) or _TABLE.get(identifier.lower())
        if cls is None:
            raise unknown("optimizer", identifier, _TABLE)
        return cls()
    raise ValueError(f"could not interpret optimizer {identifier!r}; expected a name such as "
                     "'rmsprop' or a keras.optimizers.Optimizer")


def serialize(optimizer):
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    return get(config, custom_objects)
