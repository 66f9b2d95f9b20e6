"""Finite-difference checks of layer gradients (float64), for the keras layer tests.

A module of its own (not conftest) with a name that does not collide with the
engine tests' helpers, imported as ``from kgradcheck import check_layer_grads``.
"""

import numpy as np
import tensorbridge.engine as tf


def check_layer_grads(fn, layer, inputs, rtol=1e-5, atol=1e-7, eps=1e-6, seed=0,
                      check_inputs=True):
    """Compare tape gradients of ``sum(fn(*inputs) * w)`` (a random ``w``) w.r.t. the float
    inputs and every weight of ``layer`` with central differences.

    ``fn`` takes engine tensors and returns a tensor; ``inputs`` are float64 arrays
    (integer arrays are passed through and not differentiated).
    """
    arrays = [np.asarray(a) for a in inputs]
    ts = [tf.constant(a) for a in arrays]
    fl = [t for t, a in zip(ts, arrays) if a.dtype.kind == "f" and check_inputs]
    with tf.GradientTape() as tape:
        tape.watch(fl)
        y = fn(*ts)
    w = np.random.default_rng(seed).standard_normal(y.shape)
    weights = list(layer.weights)
    analytic = tape.gradient(y, fl + weights, output_gradients=tf.constant(w))

    def value():
        return float(np.sum(np.asarray(fn(*[tf.constant(a) for a in arrays]).numpy()) * w))

    numeric = []
    for a in [a for a in arrays if a.dtype.kind == "f" and check_inputs]:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            up = value()
            a[idx] = old - eps
            down = value()
            a[idx] = old
            g[idx] = (up - down) / (2 * eps)
        numeric.append(g)
    for v in weights:
        base = v.numpy().copy()
        g = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            p = base.copy()
            p[idx] += eps
            v.assign(p)
            up = value()
            p[idx] -= 2 * eps
            v.assign(p)
            down = value()
            g[idx] = (up - down) / (2 * eps)
        v.assign(base)
        numeric.append(g)
    names = [f"input {i}" for i in range(len(fl))] + [v._name for v in weights]
    assert len(analytic) == len(numeric)
    for name, a, n in zip(names, analytic, numeric):
        assert a is not None, f"{name}: no gradient"
        np.testing.assert_allclose(a.numpy(), n, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of {name}")
    return y
