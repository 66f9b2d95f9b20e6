"""Higher-order gradients (a tape inside a tape), jacobian and batch_jacobian,
checked against closed forms and central finite differences."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import host


def _fd_jacobian(fn, x, eps=1e-6):
    """Central-difference jacobian of fn (numpy in, numpy out): shape fn(x).shape + x.shape."""
    y0 = fn(x)
    jac = np.zeros(y0.shape + x.shape)
    for idx in np.ndindex(x.shape):
        p, m = x.copy(), x.copy()
        p[idx] += eps
        m[idx] -= eps
        jac[(Ellipsis,) + idx] = (fn(p) - fn(m)) / (2 * eps)
    return jac


def test_second_derivative_of_cube_is_6x(dev):
    x = tf.Variable(1.0)
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            y = x ** 3
        g = t2.gradient(y, x)
    assert float(host(g)) == pytest.approx(3.0)
    assert float(host(t1.gradient(g, x))) == pytest.approx(6.0)


def test_third_derivative_and_watched_constant(dev):
    x = tf.constant(2.0, dtype="float64")
    with tf.GradientTape() as t1:
        t1.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t3:
                t3.watch(x)
                y = tf.sin(x) * x
            g1 = t3.gradient(y, x)  # sin x + x cos x
        g2 = t2.gradient(g1, x)  # 2 cos x - x sin x
    g3 = t1.gradient(g2, x)  # -3 sin x - x cos x
    v = 2.0
    assert float(host(g1)) == pytest.approx(np.sin(v) + v * np.cos(v))
    assert float(host(g2)) == pytest.approx(2 * np.cos(v) - v * np.sin(v))
    assert float(host(g3)) == pytest.approx(-3 * np.sin(v) - v * np.cos(v))


def _scalar_f(w):
    """A scalar function of a vector using many ops: numpy version for finite differences."""
    return (np.sum(np.exp(w) * np.sin(w)) + np.sum(w[:2] * w[1:]) + np.log(np.sum(np.exp(w)))
            + np.sum(np.tanh(w) ** 2 / (1 + w ** 2)) + np.max(w * w)
            + np.sum(np.sqrt(w * w + 1.0)) + np.sum(np.cumsum(w) * w))


def _scalar_f_tb(w):
    return (tf.reduce_sum(tf.exp(w) * tf.sin(w)) + tf.reduce_sum(w[:2] * w[1:])
            + tf.reduce_logsumexp(w) + tf.reduce_sum(tf.square(tf.tanh(w)) / (1 + w ** 2))
            + tf.reduce_max(w * w) + tf.reduce_sum(tf.sqrt(w * w + 1.0))
            + tf.reduce_sum(tf.cumsum(w) * w))


def test_hessian_matches_finite_differences(dev):
    w0 = np.array([0.2, -0.4, 0.7])
    w = tf.Variable(w0)
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            f = _scalar_f_tb(w)
        g = t2.gradient(f, w)
    hess = host(t1.jacobian(g, w))

    def grad_np(v):
        return _fd_jacobian(_scalar_f, v, eps=1e-5)

    np.testing.assert_allclose(host(g), grad_np(w0), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(hess, _fd_jacobian(grad_np, w0, eps=1e-4), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(hess, hess.T, rtol=1e-12)


def test_second_order_through_matmul_softmax_and_activations(dev):
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=(2, 3))
    k0 = rng.normal(size=(3, 4))

    def f_np(x):
        z = x @ k0
        s = np.exp(z - z.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        e = np.where(z > 0, z, np.expm1(z))
        return np.sum(s * s) + np.sum(np.log1p(np.exp(z)) * e) + np.mean(np.transpose(z) ** 2)

    def f_tb(x):
        z = tf.matmul(x, tf.constant(k0))
        s = tf.nn.softmax(z)
        return (tf.reduce_sum(s * s) + tf.reduce_sum(tf.nn.softplus(z) * tf.nn.elu(z))
                + tf.reduce_mean(tf.transpose(z) ** 2))

    x = tf.Variable(x0)
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            f = f_tb(x)
        g = t2.gradient(f, x)
    hess = host(t1.jacobian(g, x))

    def grad_np(v):
        return _fd_jacobian(f_np, v, eps=1e-5)

    assert hess.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(hess, _fd_jacobian(grad_np, x0, eps=1e-4), rtol=1e-3, atol=1e-4)


def test_jacobian_shapes_and_values(dev):
    x0 = np.array([[0.3, -0.2, 0.5], [1.0, 0.1, -0.7]])
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.matmul(x, tf.transpose(x)) * 0.5 + tf.reduce_sum(tf.exp(x))
    jac = tape.jacobian(y, x)
    assert jac.shape == (2, 2, 2, 3)

    def f(v):
        return v @ v.T * 0.5 + np.sum(np.exp(v))

    np.testing.assert_allclose(host(jac), _fd_jacobian(f, x0), rtol=1e-6, atol=1e-8)
    # a scalar target: the jacobian is the gradient
    with tf.GradientTape() as tape:
        tape.watch(x)
        s = tf.reduce_sum(x * x)
    np.testing.assert_allclose(host(tape.jacobian(s, x)), 2 * x0)


def test_jacobian_of_several_sources_and_unconnected(dev):
    a = tf.Variable(np.array([1.0, 2.0]))
    b = tf.Variable(np.array([3.0]))
    c = tf.Variable(np.array([5.0, 6.0, 7.0]))
    with tf.GradientTape() as tape:
        y = a * b  # shape (2,)
    ja, jb, jc = tape.jacobian(y, [a, b, c])
    np.testing.assert_allclose(host(ja), np.diag([3.0, 3.0]))
    np.testing.assert_allclose(host(jb), [[1.0], [2.0]])
    assert jc is None
    with tf.GradientTape() as tape:
        y = a * b
    jc = tape.jacobian(y, c, unconnected_gradients="zero")
    np.testing.assert_allclose(host(jc), np.zeros((2, 3)))


def test_batch_jacobian(dev):
    rng = np.random.default_rng(1)
    x0 = rng.normal(size=(4, 3))
    k0 = rng.normal(size=(3, 2))
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(x, tf.constant(k0)))
    bj = host(tape.batch_jacobian(y, x))
    assert bj.shape == (4, 2, 3)
    # closed form: d tanh(x k)_j / d x_i = (1 - tanh^2) k[i, j]
    t = np.tanh(x0 @ k0)
    expected = (1 - t ** 2)[:, :, None] * k0.T[None, :, :]
    np.testing.assert_allclose(bj, expected, rtol=1e-10)
    with pytest.raises(tf.InvalidArgumentError, match="differ in the batch dimension"):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x, axis=1)[:2]
        tape.batch_jacobian(y, x)


def test_non_persistent_jacobian_once():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError, match="only be called once"):
        tape.jacobian(y, x)


def test_op_without_second_order_says_so():
    # reduce_prod has no differentiable gradient: the first order is right, the second an error
    x = tf.Variable(np.array([1.0, 2.0, 3.0]))
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            y = tf.reduce_prod(x)
        g = t2.gradient(y, x)
    np.testing.assert_allclose(host(g), [6.0, 3.0, 2.0])
    with pytest.raises(tf.errors.UnimplementedError, match="'reduce_prod' is not implemented"):
        t1.gradient(g, x)


def test_watch_accessed_variables_false():
    v = tf.Variable(2.0)
    w = tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(v)
        y = v * w
    gv, gw = tape.gradient(y, [v, w])
    assert float(host(gv)) == 3.0
    assert gw is None
