"""Trigonometric, hyperbolic and gamma-family ops, sort and argsort: values against
Python's math module (lgamma; digamma as lgamma's central difference) and sorted(),
gradients (and second derivatives of the elementwise ones) against finite differences."""

import math

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host
from tensorbridge.engine.errors import InvalidArgumentError

X = np.array([0.3, -0.7, 0.45, 0.9])        # inside (-1, 1): every op is defined
POS = np.array([0.6, 1.5, 2.25, 7.0])       # for lgamma, digamma, acosh (x + 1)

CASES = {
    "tan": (tf.tan, math.tan, X), "asin": (tf.asin, math.asin, X),
    "acos": (tf.acos, math.acos, X), "atan": (tf.atan, math.atan, X),
    "sinh": (tf.sinh, math.sinh, X), "cosh": (tf.cosh, math.cosh, X),
    "asinh": (tf.asinh, math.asinh, X), "atanh": (tf.atanh, math.atanh, X),
    "acosh": (tf.acosh, math.acosh, POS + 1), "erfc": (tf.math.erfc, math.erfc, X),
    "lgamma": (tf.math.lgamma, math.lgamma, POS),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients(name, dev):
    op, ref, x = CASES[name]
    np.testing.assert_allclose(host(op(tf.constant(x))), [ref(v) for v in x], rtol=1e-12)
    check_grad(op, x.copy())
    v = tf.Variable(x)  # second derivative: d/dx of the first, by finite differences
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(op(v))
        g = inner.gradient(y, v)
        s = tf.reduce_sum(g)
    second = host(outer.gradient(s, v))
    eps = 1e-5
    first = lambda z: host(op_grad(op, z))  # noqa: E731
    np.testing.assert_allclose(second, (first(x + eps) - first(x - eps)) / (2 * eps),
                               rtol=1e-4, atol=1e-6)


def op_grad(op, x):
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(op(v))
    return tape.gradient(y, v)


def test_digamma_is_the_derivative_of_lgamma(dev):
    eps = 1e-6
    want = [(math.lgamma(v + eps) - math.lgamma(v - eps)) / (2 * eps) for v in POS]
    np.testing.assert_allclose(host(tf.math.digamma(tf.constant(POS))), want, rtol=1e-7)
    check_grad(tf.math.digamma, POS.copy(), rtol=1e-4)
    assert tf.math.lgamma(tf.constant(POS, dtype=tf.float32)).dtype == tf.float32


def test_sort_and_argsort(dev):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5))
    x[0, 1] = x[0, 3]  # a tie
    for axis in (0, 1, -1):
        for direction, rev in (("ASCENDING", False), ("DESCENDING", True)):
            got = host(tf.sort(tf.constant(x), axis=axis, direction=direction))
            moved = np.moveaxis(x, axis, -1)
            rows = moved.reshape(-1, moved.shape[-1])
            want = np.array([sorted(row, reverse=rev) for row in rows])
            np.testing.assert_array_equal(got, np.moveaxis(want.reshape(moved.shape), -1, axis))
            idx = host(tf.argsort(tf.constant(x), axis=axis, direction=direction))
            np.testing.assert_array_equal(np.take_along_axis(x, idx, axis=axis), got)
    # ties keep their order, as Python's stable sorted()
    row = [2.0, 1.0, 2.0, 0.0, 1.0]
    assert host(tf.argsort(tf.constant(row))).tolist() == sorted(range(5), key=lambda i: row[i])
    assert host(tf.argsort(tf.constant(row), direction="DESCENDING")).tolist() == \
        sorted(range(5), key=lambda i: -row[i])
    check_grad(lambda t: tf.sort(t, axis=0) * tf.constant(np.arange(15.0).reshape(3, 5)),
               x.copy())
    with pytest.raises(InvalidArgumentError, match="direction must be"):
        tf.sort(tf.constant(x), direction="UP")
    with pytest.raises(InvalidArgumentError, match="scalar"):
        tf.sort(tf.constant(1.0))
