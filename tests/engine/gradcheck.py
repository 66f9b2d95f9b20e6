"""Helpers of the engine tests: reading results back to the host and a
finite-difference gradient checker (a module of its own, not conftest, so that
test folders with their own conftest.py can run in one pytest session)."""

import numpy as np
import tensorbridge.engine as tf


def host(t):
    return np.asarray(t.numpy())


def numeric_grads(fn, arrays, weights, eps=1e-6):
    """Central differences of sum(fn(*arrays) * weights) w.r.t. each float array."""
    def scalar(arrs):
        out = fn(*[tf.constant(a) for a in arrs])
        return float(np.sum(host(out) * weights))

    grads = []
    for i, a in enumerate(arrays):
        if a.dtype.kind != "f":
            grads.append(None)
            continue
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in arrays]
            minus = [x.copy() for x in arrays]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            g[idx] = (scalar(plus) - scalar(minus)) / (2 * eps)
        grads.append(g)
    return grads


def check_grad(fn, *arrays, rtol=1e-5, atol=1e-6, seed=0):
    """Compare tape gradients of ``fn`` (float64) with central finite differences.

    A random upstream gradient is used, so every output element is weighted
    differently (this catches wrong reductions / broadcasting as well).
    """
    arrays = [np.array(a, dtype=np.float64) if np.asarray(a).dtype.kind == "f" else np.asarray(a)
              for a in arrays]
    ts = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = fn(*ts)
    w = np.random.default_rng(seed).standard_normal(y.shape)
    analytic = tape.gradient(y, ts, output_gradients=tf.constant(w))
    numeric = numeric_grads(fn, arrays, w)
    checked = 0
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        if n is None:
            continue
        assert a is not None, f"input {i}: no gradient"
        assert a.shape == arrays[i].shape, f"input {i}: gradient shape {a.shape}"
        np.testing.assert_allclose(host(a), n, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {i}")
        checked += 1
    assert checked > 0
    return y
