"""tf.linalg: inv, det, slogdet, solve, cholesky, eigh, qr, svd, diag — values against
numpy's closed-form identities, gradients against finite differences (symmetric inputs
are built as (X + t(X)) / 2 so that the differences see the symmetric function)."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host
from tensorbridge.engine.errors import InvalidArgumentError

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
B = RNG.normal(size=(3, 2))
X = RNG.normal(size=(2, 3, 3))


def spd(t):
    """A symmetric positive definite matrix made from t (differentiably)."""
    return tf.matmul(t, t, transpose_b=True) + 3.0 * tf.eye(3, dtype=t.dtype)


def sym(t):
    return (t + tf.linalg.matrix_transpose(t)) / 2


def test_values_are_the_identities_they_promise(dev):
    a = tf.constant(A)
    np.testing.assert_allclose(host(tf.matmul(tf.linalg.inv(a), a)), np.eye(3), atol=1e-12)
    np.testing.assert_allclose(host(tf.linalg.det(a)), np.prod(np.linalg.eigvals(A)).real,
                               rtol=1e-10)
    sign, logdet = tf.linalg.slogdet(a)
    np.testing.assert_allclose(host(sign) * np.exp(host(logdet)), np.linalg.det(A), rtol=1e-10)
    x = tf.linalg.solve(a, tf.constant(B))
    np.testing.assert_allclose(host(tf.matmul(a, x)), B, atol=1e-12)
    s = host(spd(tf.constant(X)))
    low = host(tf.linalg.cholesky(tf.constant(s)))
    np.testing.assert_allclose(low @ np.swapaxes(low, -1, -2), s, atol=1e-12)
    assert np.allclose(np.triu(low[0], 1), 0)
    e, v = tf.linalg.eigh(tf.constant(s))
    e, v = host(e), host(v)
    np.testing.assert_allclose(v @ (e[..., None] * np.swapaxes(v, -1, -2)), s, atol=1e-10)
    assert np.all(np.diff(e, axis=-1) >= 0)
    q, r = tf.linalg.qr(a)
    np.testing.assert_allclose(host(q) @ host(r), A, atol=1e-12)
    sv, u, vv = tf.linalg.svd(a)
    np.testing.assert_allclose(host(u) @ np.diag(host(sv)) @ host(vv).T, A, atol=1e-12)
    np.testing.assert_array_equal(host(tf.linalg.diag(tf.constant([1.0, 2.0]))),
                                  np.diag([1.0, 2.0]))
    np.testing.assert_array_equal(host(tf.linalg.diag_part(tf.constant(A))), np.diag(A))
    np.testing.assert_allclose(host(tf.linalg.trace(tf.constant(X))),
                               np.trace(X, axis1=-2, axis2=-1), rtol=1e-12)


def test_gradients_against_finite_differences(dev):
    check_grad(tf.linalg.inv, A.copy())
    check_grad(tf.linalg.det, A.copy())
    check_grad(lambda t: tf.linalg.slogdet(t)[1], A.copy())
    check_grad(tf.linalg.solve, A.copy(), B.copy())
    check_grad(lambda t: tf.linalg.cholesky(spd(t)), X.copy())
    check_grad(lambda t: tf.linalg.eigh(spd(t))[0], X.copy())
    # eigenvectors are defined up to sign: a sign-free function of them
    check_grad(lambda t: tf.square(tf.linalg.eigh(sym(t) + 0.0)[1]),
               np.diag([1.0, 2.0, 4.0]) + 0.1 * RNG.normal(size=(3, 3)), rtol=1e-4)


def test_errors_name_the_problem():
    with pytest.raises(InvalidArgumentError, match="square matrices"):
        tf.linalg.inv(tf.constant(np.ones((2, 3))))
    with pytest.raises(InvalidArgumentError, match="singular"):
        tf.linalg.inv(tf.constant(np.zeros((2, 2))))
    with pytest.raises(InvalidArgumentError, match="rhs must be matrices"):
        tf.linalg.solve(tf.constant(A), tf.constant(np.ones(3)))
