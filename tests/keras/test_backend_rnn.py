"""keras.backend.rnn and normalize_batch_in_training against plain numpy loops, central
differences for the gradients through the loop."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine.errors import InvalidArgumentError
from tensorbridge.engine.keras import backend as K

rng = np.random.default_rng(7)
X = rng.standard_normal((3, 5, 4))
W = rng.standard_normal((4, 2))
U = rng.standard_normal((2, 2))
H0 = rng.standard_normal((3, 2))
MASK = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 0, 1]], dtype=bool)


def step(w, u):
    def f(x_t, states):
        h = tf.tanh(tf.matmul(x_t, w) + tf.matmul(states[0], u))
        return h, [h]
    return f


def numpy_rnn(x, h0, mask=None, backwards=False):
    """The same recurrence written as a numpy loop, keras' masking rules."""
    h, prev, outs = h0.copy(), np.zeros_like(h0), []
    order = range(x.shape[1] - 1, -1, -1) if backwards else range(x.shape[1])
    for t in order:
        new = np.tanh(x[:, t] @ W + h @ U)
        if mask is not None:
            m = mask[:, t][:, None]
            out = np.where(m, new, prev)
            new = np.where(m, new, h)
        else:
            out = new
        outs.append(out)
        prev, h = out, new
    return outs[-1], np.stack(outs, axis=1), h


@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize("mask", [None, MASK])
def test_rnn_matches_a_numpy_loop(backwards, mask):
    last, seq, states = K.rnn(step(tf.constant(W), tf.constant(U)), tf.constant(X),
                              [tf.constant(H0)], go_backwards=backwards,
                              mask=None if mask is None else tf.constant(mask))
    e_last, e_seq, e_h = numpy_rnn(X, H0, mask, backwards)
    np.testing.assert_allclose(last.numpy(), e_last, rtol=1e-12)
    np.testing.assert_allclose(seq.numpy(), e_seq, rtol=1e-12)
    assert len(states) == 1
    np.testing.assert_allclose(states[0].numpy(), e_h, rtol=1e-12)


def test_rnn_mask_of_floats_with_a_trailing_axis_and_time_major():
    m = MASK.astype(np.float64)[:, :, None]
    _, seq, _ = K.rnn(step(tf.constant(W), tf.constant(U)), tf.constant(X), [tf.constant(H0)],
                      mask=tf.constant(m))
    np.testing.assert_allclose(seq.numpy(), numpy_rnn(X, H0, MASK)[1], rtol=1e-12)
    _, seq_tm, _ = K.rnn(step(tf.constant(W), tf.constant(U)),
                         tf.constant(X.transpose(1, 0, 2)), [tf.constant(H0)], time_major=True)
    np.testing.assert_allclose(seq_tm.numpy(), numpy_rnn(X, H0)[1].transpose(1, 0, 2),
                               rtol=1e-12)


def test_rnn_constants_reach_the_step():
    c = rng.standard_normal((3, 2))

    def f(x_t, states):
        assert len(states) == 2
        h = states[0] + tf.reduce_sum(x_t, axis=1, keepdims=True) * states[1]
        return h, [h]

    last, _, _ = K.rnn(f, tf.constant(X), [tf.constant(H0)], constants=[tf.constant(c)])
    np.testing.assert_allclose(last.numpy(), H0 + X.sum(axis=(1, 2))[:, None] * c, rtol=1e-12)


def test_rnn_gradient_against_central_differences():
    out_w = rng.standard_normal((3, 5, 2))

    def loss(w, u, x):
        _, seq, _ = K.rnn(step(w, u), x, [tf.constant(H0)], mask=tf.constant(MASK))
        return tf.reduce_sum(seq * out_w)

    w, u, x = tf.Variable(W), tf.Variable(U), tf.Variable(X)
    with tf.GradientTape() as tape:
        value = loss(w, u, x)
    grads = tape.gradient(value, [w, u, x])
    for arr, g in zip([W, U, X], grads):
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + 1e-6
            up = float(loss(tf.constant(W), tf.constant(U), tf.constant(X)).numpy())
            arr[idx] = old - 1e-6
            down = float(loss(tf.constant(W), tf.constant(U), tf.constant(X)).numpy())
            arr[idx] = old
            num[idx] = (up - down) / 2e-6
        np.testing.assert_allclose(g.numpy(), num, rtol=1e-6, atol=1e-8)


def test_rnn_errors():
    f = step(tf.constant(W), tf.constant(U))
    with pytest.raises(InvalidArgumentError, match="at least 3 axes"):
        K.rnn(f, tf.constant(X[:, 0]), [tf.constant(H0)])
    with pytest.raises(InvalidArgumentError, match="mask is"):
        K.rnn(f, tf.constant(X), [tf.constant(H0)], mask=tf.constant(MASK[:, :3]))
    with pytest.raises(InvalidArgumentError, match="returned 2 states"):
        K.rnn(lambda x_t, s: (s[0], [s[0], s[0]]), tf.constant(X), [tf.constant(H0)])
    with pytest.raises(InvalidArgumentError, match="expected a pair"):
        K.rnn(lambda x_t, s: s[0], tf.constant(X), [tf.constant(H0)])


def test_normalize_batch_in_training_matches_numpy():
    x = rng.standard_normal((4, 3, 2))
    gamma, beta = rng.standard_normal(2), rng.standard_normal(2)
    normed, mean, var = K.normalize_batch_in_training(tf.constant(x), tf.constant(gamma),
                                                      tf.constant(beta), [0, 1])
    m, v = x.mean(axis=(0, 1)), x.var(axis=(0, 1))
    np.testing.assert_allclose(mean.numpy(), m, rtol=1e-12)
    np.testing.assert_allclose(var.numpy(), v, rtol=1e-12)
    np.testing.assert_allclose(normed.numpy(), (x - m) / np.sqrt(v + 1e-3) * gamma + beta,
                               rtol=1e-12)
    # reduction over a middle axis: gamma and beta have the kept axes' shape
    g2, b2 = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    normed, mean, var = K.normalize_batch_in_training(tf.constant(x), tf.constant(g2),
                                                      tf.constant(b2), [1], epsilon=0.01)
    m, v = x.mean(axis=1), x.var(axis=1)
    assert mean.shape == (4, 2)
    np.testing.assert_allclose(
        normed.numpy(), (x - m[:, None]) / np.sqrt(v[:, None] + 0.01) * g2[:, None] + b2[:, None],
        rtol=1e-12)
    with pytest.raises(InvalidArgumentError, match="gamma is"):
        K.normalize_batch_in_training(tf.constant(x), tf.constant(np.ones(3)), None, [0, 1])
