"""cumprod, reverse, repeat and the keras backend's compositions, against numpy and
finite differences."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host
from tensorbridge.engine.keras import backend as K

rng = np.random.default_rng(7)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumprod_matches_numpy(axis, exclusive, reverse):
    x = rng.normal(size=(3, 4))
    x[1, 2] = 0.0
    a = x
    if reverse:
        a = np.flip(a, axis)
    want = np.cumprod(a, axis=axis)
    if exclusive:
        want = np.concatenate([np.ones_like(np.take(want, [0], axis=axis)),
                               np.delete(want, -1, axis=axis)], axis=axis)
    if reverse:
        want = np.flip(want, axis)
    got = host(tf.cumprod(x, axis=axis, exclusive=exclusive, reverse=reverse))
    np.testing.assert_allclose(got, want)


def test_cumprod_gradient_with_a_zero():
    x = rng.normal(size=(2, 5))
    x[0, 1] = 0.0
    check_grad(lambda t: tf.cumprod(t, axis=1), x)


def test_reverse_and_repeat_match_numpy():
    x = rng.normal(size=(2, 3, 4))
    np.testing.assert_array_equal(host(tf.reverse(x, [0, 2])), x[::-1, :, ::-1])
    np.testing.assert_array_equal(host(tf.repeat(x, 3, axis=1)), np.repeat(x, 3, axis=1))
    np.testing.assert_array_equal(host(tf.repeat(x, 2)), np.repeat(x, 2))
    check_grad(lambda t: tf.repeat(tf.reverse(t, [1]), 2, axis=2), x)


@pytest.mark.parametrize("shapes,axes", [
    (((4, 3, 5), (4, 5, 2)), (2, 1)),
    (((4, 3, 5), (4, 2, 5)), (2, 2)),
    (((4, 5), (4, 5)), (1, 1)),
    (((4, 5), (4, 5, 3)), (1, 1)),
    (((4, 6, 5), (4, 6)), (1, 1)),
])
def test_batch_dot_matches_a_loop(shapes, axes):
    x, y = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    got = host(K.batch_dot(x, y, axes))
    rows = [np.tensordot(x[i], y[i], axes=([axes[0] - 1], [axes[1] - 1]))
            for i in range(x.shape[0])]
    want = np.stack(rows)
    if want.ndim == 1:
        want = want[:, None]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    check_grad(lambda a, b: K.batch_dot(a, b, axes), x, y)


def test_dot_contracts_last_with_second_to_last():
    x, y = rng.normal(size=(2, 3, 4)), rng.normal(size=(5, 4, 6))
    want = np.tensordot(x, y, axes=([2], [1]))
    np.testing.assert_allclose(host(K.dot(x, y)), want, rtol=1e-12)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    np.testing.assert_allclose(host(K.dot(a, b)), a @ b, rtol=1e-12)


def test_gradients_from_the_recorded_graph():
    w = tf.Variable(np.array([1.0, -2.0, 3.0]))
    with tf.GradientTape():
        loss = tf.reduce_sum(w * w * w)
        (g,) = K.gradients(loss, [w])
    np.testing.assert_allclose(host(g), 3 * host(w) ** 2)
    with pytest.raises(tf.InvalidArgumentError, match="no recorded graph"):
        K.gradients(tf.reduce_sum(w * w), [w])


def test_switch_and_binary_crossentropy():
    c = np.array([True, False, True])
    a, b = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    np.testing.assert_array_equal(host(K.switch(c, a, b)), np.where(c[:, None], a, b))
    t = np.array([0.0, 1.0, 1.0])
    p = np.array([0.2, 0.7, 0.9])
    want = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(host(K.binary_crossentropy(t, p)), want, rtol=1e-12)


def test_in_top_k_counts_classes_from_zero():
    p = np.array([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]])
    got = host(K.in_top_k(p, np.array([2, 2]), 2))
    np.testing.assert_array_equal(got, [True, False])
