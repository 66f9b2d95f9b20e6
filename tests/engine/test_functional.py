"""einsum, linspace, gather_nd, top_k, cond, while_loop, map_fn and custom_gradient:
values against numpy / Python, gradients against finite differences."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host
from tensorbridge.engine.errors import InvalidArgumentError

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),            # implicit output: ik
    ("ij->i", [(3, 4)]),                    # a letter only one operand has
    ("ij,j->i", [(3, 4), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
    ("...ij,...jk->...ik", [(2, 2, 3, 4), (2, 2, 4, 1)]),
    ("ij->ji", [(3, 5)]),
    ("i,j->ij", [(3,), (4,)]),
])
def test_einsum_is_numpys_and_differentiable(eq, shapes, dev):
    arrays = [RNG.normal(size=s) for s in shapes]
    np.testing.assert_allclose(host(tf.einsum(eq, *[tf.constant(a) for a in arrays])),
                               np.einsum(eq, *arrays), rtol=1e-12, atol=1e-12)
    check_grad(lambda *ts: tf.einsum(eq, *ts), *[a.copy() for a in arrays])


def test_einsum_errors():
    with pytest.raises(InvalidArgumentError, match="2 operand"):
        tf.einsum("ij,jk->ik", tf.constant(np.ones((2, 2))))
    with pytest.raises(InvalidArgumentError, match="extent 3 in one operand and 4"):
        tf.einsum("ij,jk->ik", tf.constant(np.ones((2, 3))), tf.constant(np.ones((4, 2))))


def test_linspace_gather_nd_top_k(dev):
    np.testing.assert_allclose(host(tf.linspace(-1.0, 3.0, 9)), np.linspace(-1, 3, 9),
                               rtol=1e-6)
    assert tf.linspace(0, 1, 3).dtype == tf.float32
    two = host(tf.linspace(tf.constant([0.0, 10.0]), tf.constant([1.0, 20.0]), 3, axis=1))
    np.testing.assert_allclose(two, [[0, 0.5, 1], [10, 15, 20]], rtol=1e-6)
    p = RNG.normal(size=(3, 4, 2))
    idx = np.array([[2, 1], [0, 3], [1, 0]])
    np.testing.assert_array_equal(host(tf.gather_nd(tf.constant(p), idx)),
                                  p[idx[:, 0], idx[:, 1]])
    np.testing.assert_array_equal(host(tf.gather_nd(tf.constant(p), [[1], [2]])), p[[1, 2]])
    check_grad(lambda t: tf.gather_nd(t, idx), p.copy())
    x = np.array([[3.0, 1.0, 4.0, 1.5], [2.0, 7.0, 1.0, 8.0]])
    v, i = tf.math.top_k(tf.constant(x), k=3)
    np.testing.assert_array_equal(host(v), -np.sort(-x, axis=1)[:, :3])
    np.testing.assert_array_equal(host(i), np.argsort(-x, axis=1, kind="stable")[:, :3])
    assert tf.math.top_k(tf.constant(x), 2).indices.dtype == tf.int32
    with pytest.raises(InvalidArgumentError, match="gather_nd: an index on axis 1"):
        tf.gather_nd(tf.constant(p), [[0, 9]])


def test_control_flow_runs_eagerly():
    x = tf.constant(2.0)
    assert float(tf.cond(x > 1, lambda: x * 10, lambda: x)) == 20.0
    assert float(tf.cond(x < 1, lambda: x * 10, lambda: x)) == 2.0
    i, total = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i),
                             (tf.constant(0), tf.constant(0)))
    assert int(i) == 5 and int(total) == sum(range(5))
    assert int(tf.while_loop(lambda i: True, lambda i: i + 1, tf.constant(0),
                             maximum_iterations=7)) == 7
    m = RNG.normal(size=(4, 3))
    np.testing.assert_allclose(host(tf.map_fn(lambda r: tf.reduce_sum(r * r),
                                              tf.constant(m))), (m * m).sum(1))
    a, b = tf.map_fn(lambda pair: (pair[0] + pair[1], pair[0] * 2),
                     (tf.constant(m), tf.constant(m)))
    np.testing.assert_allclose(host(a), 2 * m)
    # gradients flow through the eager control flow
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.while_loop(lambda k, p: k < 3, lambda k, p: (k + 1, p * v),
                          (tf.constant(0), tf.constant(1.0)))[1]
    assert float(tape.gradient(y, v)) == pytest.approx(3 * 3.0 ** 2)
    with pytest.raises(InvalidArgumentError, match="returned 1 value"):
        tf.while_loop(lambda i, s: i < 2, lambda i, s: i + 1, (tf.constant(0), 0))


def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def clipped_identity(x):
        def grad(upstream):
            return tf.clip_by_value(upstream, -0.5, 0.5)
        return x * 1.0, grad

    v = tf.Variable(np.array([1.0, 2.0]))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(clipped_identity(v) * tf.constant(np.array([3.0, -0.2])))
    np.testing.assert_allclose(host(tape.gradient(y, v)), [0.5, -0.2])

    # TF's documented example: log(1 + exp(x)) with a stable gradient
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    w = tf.Variable(np.array([0.0, 2.0]))
    with tf.GradientTape() as tape:
        z = tf.reduce_sum(log1pexp(w))
    np.testing.assert_allclose(host(tape.gradient(z, w)), 1 / (1 + np.exp(-np.array([0.0, 2.0]))))
    with pytest.raises(InvalidArgumentError, match="list\\(y, grad_fn\\)"):
        tf.custom_gradient(lambda x: x)(tf.constant(1.0))
