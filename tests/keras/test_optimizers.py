"""Optimizer steps against the published (keras 3) update equations, several steps."""

import math

import numpy as np
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras.layers.base import KerasVariable

rng = np.random.default_rng(1)
W0 = rng.normal(size=(3, 4))
GRADS = [rng.normal(size=(3, 4)) for _ in range(5)]


def run(opt):
    v = KerasVariable(W0.astype(np.float64))
    for g in GRADS:
        opt.apply_gradients([(g.copy(), v)])
    return v.numpy()


def ref_sgd(lr=0.01, momentum=0.0, nesterov=False):
    w, m = W0.copy(), np.zeros_like(W0)
    for g in GRADS:
        if momentum:
            m = momentum * m - lr * g
            w = w + (momentum * m - lr * g if nesterov else m)
        else:
            w = w - lr * g
    return w


def ref_rmsprop(lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    w, v, a, m = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0)
    for g in GRADS:
        v = rho * v + (1 - rho) * g * g
        if centered:
            a = rho * a + (1 - rho) * g
            d = v - a * a + eps
        else:
            d = v + eps
        inc = lr * g / np.sqrt(d)
        if momentum:
            m = momentum * m + inc
            w = w - m
        else:
            w = w - inc
    return w


def ref_adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=None):
    w, m, v, vh = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0)
    for t, g in enumerate(GRADS, 1):
        if wd:
            w = w - w * wd * lr
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        vv = v
        if amsgrad:
            vh = np.maximum(vh, v)
            vv = vh
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w = w - alpha * m / (np.sqrt(vv) + eps)
    return w


def ref_adagrad(lr=0.001, init=0.1, eps=1e-7):
    w, acc = W0.copy(), np.full_like(W0, init)
    for g in GRADS:
        acc = acc + g * g
        w = w - lr * g / np.sqrt(acc + eps)
    return w


def ref_adadelta(lr=0.001, rho=0.95, eps=1e-7):
    w, ag, adv = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
    for g in GRADS:
        ag = rho * ag + (1 - rho) * g * g
        d = -np.sqrt(adv + eps) / np.sqrt(ag + eps) * g
        adv = rho * adv + (1 - rho) * d * d
        w = w + lr * d
    return w


def ref_adamax(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    w, m, u = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
    for t, g in enumerate(GRADS, 1):
        m = m + (g - m) * (1 - b1)
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr * m / ((1 - b1 ** t) * (u + eps))
    return w


def ref_nadam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v, prod = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), 1.0
    for t, g in enumerate(GRADS, 1):
        u_t = b1 * (1 - 0.5 * 0.96 ** t)
        u_t1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        prod_t = prod * u_t
        prod_t1 = prod_t * u_t1
        prod = prod_t
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        m_hat = u_t1 * m / (1 - prod_t1) + (1 - u_t) * g / (1 - prod_t)
        v_hat = v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


CASES = [
    (lambda: keras.optimizers.SGD(), ref_sgd()),
    (lambda: keras.optimizers.SGD(0.1, momentum=0.9), ref_sgd(0.1, 0.9)),
    (lambda: keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True), ref_sgd(0.1, 0.9, True)),
    (lambda: keras.optimizers.RMSprop(), ref_rmsprop()),
    (lambda: keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
     ref_rmsprop(0.01, momentum=0.5, centered=True)),
    (lambda: keras.optimizers.Adam(0.01), ref_adam(0.01)),
    (lambda: keras.optimizers.Adam(0.01, amsgrad=True), ref_adam(0.01, amsgrad=True)),
    (lambda: keras.optimizers.AdamW(0.01), ref_adam(0.01, wd=0.004)),
    (lambda: keras.optimizers.Adagrad(0.1), ref_adagrad(0.1)),
    (lambda: keras.optimizers.Adadelta(1.0), ref_adadelta(1.0)),
    (lambda: keras.optimizers.Adamax(0.01), ref_adamax(0.01)),
    (lambda: keras.optimizers.Nadam(0.01), ref_nadam(0.01)),
]


@pytest.mark.parametrize("make, expect", CASES)
def test_optimizer_matches_update_equations(make, expect):
    np.testing.assert_allclose(run(make()), expect, rtol=1e-10, atol=1e-12)


def test_optimizer_by_name_and_unknown_name():
    assert isinstance(keras.optimizers.get("rmsprop"), keras.optimizers.RMSprop)
    with pytest.raises(ValueError, match=r"unknown optimizer 'rmsprob'.*'rmsprop'"):
        keras.optimizers.get("rmsprob")


def test_clipnorm_and_clipvalue():
    g = np.array([3.0, 4.0])
    v = KerasVariable(np.zeros(2))
    keras.optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(g.copy(), v)])
    np.testing.assert_allclose(v.numpy(), [-0.6, -0.8])
    v = KerasVariable(np.zeros(2))
    keras.optimizers.SGD(1.0, clipvalue=3.5).apply_gradients([(g.copy(), v)])
    np.testing.assert_allclose(v.numpy(), [-3.0, -3.5])


def test_learning_rate_schedules():
    s = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert s(5) == pytest.approx(0.1 * 0.5 ** 0.5)
    s2 = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)
    assert s2(15) == pytest.approx(0.05)
    p = keras.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
    assert [p(i) for i in (0, 2, 3, 4, 5)] == [1.0, 1.0, 0.5, 0.5, 0.1]
    # lr0 / (1 + rate * step / steps): 0.1 / (1 + 0.5 * 1.5) and, staircase, / (1 + 0.5 * 1)
    inv = keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5)
    assert inv(15) == pytest.approx(0.1 / 1.75)
    inv2 = keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True)
    assert inv2(15) == pytest.approx(0.1 / 1.5)
    assert inv2.get_config()["staircase"] is True
    for cls in ("ExponentialDecay", "InverseTimeDecay"):
        with pytest.raises(ValueError, match=f"{cls}: decay_steps must be > 0, got 0"):
            getattr(keras.optimizers.schedules, cls)(0.1, 0, 0.5)
    c = keras.optimizers.schedules.CosineDecay(1.0, 10, alpha=0.1)
    assert c(5) == pytest.approx(0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)) + 0.1)
    assert c(20) == pytest.approx(0.1)
    # an optimizer uses the schedule at its step count
    opt = keras.optimizers.SGD(learning_rate=p)
    v = KerasVariable(np.zeros(1))
    for _ in range(5):
        opt.apply_gradients([(np.ones(1), v)])
    # evaluated at the step count before each update: steps 0..4
    np.testing.assert_allclose(v.numpy(), [-(1.0 + 1.0 + 1.0 + 0.5 + 0.5)])


def test_optimizer_state_round_trip():
    a, b = keras.optimizers.Adam(0.01), keras.optimizers.Adam(0.01)
    va, vb = KerasVariable(W0.copy()), KerasVariable(W0.copy())
    for g in GRADS[:3]:
        a.apply_gradients([(g.copy(), va)])
    vb.assign(va.numpy())
    b.set_state(a.get_state(), [vb])
    for g in GRADS[3:]:
        a.apply_gradients([(g.copy(), va)])
        b.apply_gradients([(g.copy(), vb)])
    np.testing.assert_array_equal(va.numpy(), vb.numpy())
