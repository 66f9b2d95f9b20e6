"""tf.nn: softmax family, cross-entropies (incl. extreme logits), conv, pooling,
dropout and moments — forward vs numpy/closed forms, gradients vs finite differences."""

import itertools

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host

RNG = np.random.default_rng(7)


def rnd(*shape):
    return RNG.uniform(-2, 2, size=shape)


def np_log_softmax(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax(dev, axis):
    x = rnd(3, 4, 2)
    np.testing.assert_allclose(host(tf.nn.softmax(tf.constant(x), axis=axis)),
                               np.exp(np_log_softmax(x, axis)), rtol=1e-12)
    np.testing.assert_allclose(host(tf.nn.log_softmax(tf.constant(x), axis=axis)),
                               np_log_softmax(x, axis), rtol=1e-12)
    check_grad(lambda t: tf.nn.softmax(t, axis=axis), x)
    check_grad(lambda t: tf.nn.log_softmax(t, axis=axis), x)


def test_softmax_cross_entropy(dev):
    logits = rnd(4, 5)
    labels = RNG.dirichlet(np.ones(5), size=4)
    got = tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(labels),
                                                  logits=tf.constant(logits))
    np.testing.assert_allclose(host(got), -(labels * np_log_softmax(logits)).sum(-1), rtol=1e-12)
    check_grad(lambda y, x: tf.nn.softmax_cross_entropy_with_logits(y, x), labels, logits)
    # labels that do not sum to 1, and another class axis
    labels2 = RNG.uniform(0, 1, size=(5, 4))
    check_grad(lambda y, x: tf.nn.softmax_cross_entropy_with_logits(y, x, axis=0),
               labels2, logits.T)


def test_sparse_softmax_cross_entropy(dev):
    logits = rnd(2, 3, 5)
    labels = RNG.integers(0, 5, size=(2, 3))
    got = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels), tf.constant(logits))
    want = -np.take_along_axis(np_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(host(got), want, rtol=1e-12)
    check_grad(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels), x),
               logits)


def test_sigmoid_cross_entropy(dev):
    x = rnd(3, 4) * 3
    z = RNG.uniform(0, 1, size=(3, 4))
    got = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(z), logits=tf.constant(x))
    p = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(host(got), -(z * np.log(p) + (1 - z) * np.log(1 - p)),
                               rtol=1e-10)
    check_grad(lambda a, b: tf.nn.sigmoid_cross_entropy_with_logits(labels=a, logits=b), z, x)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropies_extreme_logits(dev, dtype):
    # closed forms at logits of +-1e4: no NaN or Inf in values or gradients
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]], dtype=dtype)
    onehot = np.array([[0, 1, 0], [0, 0, 1]], dtype=dtype)
    lt = tf.constant(logits)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(lt)
        dense = tf.nn.softmax_cross_entropy_with_logits(tf.constant(onehot), lt)
        sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1, 2]), lt)
        sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(onehot), logits=lt)
        lsm = tf.nn.log_softmax(lt)
        sm = tf.nn.softmax(lt)
    # row 0: the true class has logit -1e4 against a max of 1e4 -> loss 2e4; row 1: loss 0
    np.testing.assert_allclose(host(dense), [2e4, 0.0], rtol=1e-6)
    np.testing.assert_allclose(host(sparse), [2e4, 0.0], rtol=1e-6)
    # sigmoid CE closed form: max(x, 0) - x*z + log1p(exp(-|x|))
    want_sig = np.maximum(logits, 0) - logits * onehot + np.log1p(np.exp(-np.abs(logits)))
    np.testing.assert_allclose(host(sig), want_sig, rtol=1e-6)
    np.testing.assert_allclose(host(sm), [[1, 0, 0], [0, 0, 1]], atol=0)
    for t in (dense, sparse, sig, lsm, sm):
        assert np.all(np.isfinite(host(t)))
        g = tape.gradient(t, lt)
        assert np.all(np.isfinite(host(g)))
    # d dense / d logits = softmax - labels
    np.testing.assert_allclose(host(tape.gradient(dense, lt)),
                               np.array([[1, -1, 0], [0, 0, 0]], dtype=dtype), atol=1e-6)
    np.testing.assert_allclose(host(tape.gradient(sig, lt)),
                               0.5 * (1 + np.tanh(0.5 * logits)) - onehot, atol=1e-6)


# -- convolution ---------------------------------------------------------------------------
def np_conv2d(x, w, strides, padding, dil):
    """Direct-loop reference convolution (NHWC, HWIO)."""
    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    sh, sw = strides
    dh, dw = dil
    eh, ew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-wd // sw)
        ph = max((oh - 1) * sh + eh - h, 0)
        pw = max((ow - 1) * sw + ew - wd, 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    else:
        oh, ow = (h - eh) // sh + 1, (wd - ew) // sw + 1
    out = np.zeros((n, oh, ow, o))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = x[:, i * sh:i * sh + eh:dh, j * sw:j * sw + ew:dw, :]
        out[:, i, j, :] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return out


CONV = [((1, 1), "VALID", (1, 1)), ((2, 1), "SAME", (1, 1)), ((1, 2), "SAME", (2, 1)),
        ((2, 2), "VALID", (1, 2)), ((1, 1), "SAME", (2, 2))]


@pytest.mark.parametrize("strides,padding,dil", CONV, ids=[str(c) for c in CONV])
def test_conv2d(dev, strides, padding, dil):
    x, w = rnd(2, 5, 6, 2), rnd(2, 3, 2, 3)
    got = tf.nn.conv2d(tf.constant(x), tf.constant(w), strides=strides, padding=padding,
                       dilations=dil)
    np.testing.assert_allclose(host(got), np_conv2d(x, w, strides, padding, dil), rtol=1e-10)
    check_grad(lambda a, b: tf.nn.conv2d(a, b, strides=[1, *strides, 1], padding=padding,
                                         dilations=dil), x, w)


@pytest.mark.parametrize("stride,padding,dil", [(1, "VALID", 1), (2, "SAME", 1), (1, "SAME", 2)])
def test_conv1d(dev, stride, padding, dil):
    x, w = rnd(2, 7, 3), rnd(3, 3, 2)
    got = tf.nn.conv1d(tf.constant(x), tf.constant(w), stride=stride, padding=padding,
                       dilations=dil)
    want = np_conv2d(x[:, None], w[None], (1, stride), padding, (1, dil))[:, 0]
    np.testing.assert_allclose(host(got), want, rtol=1e-10)
    check_grad(lambda a, b: tf.nn.conv1d(a, b, stride, padding, dilations=dil), x, w)


def np_pool2d(x, k, s, padding, is_max):
    n, h, wd, c = x.shape
    if padding == "SAME":
        oh, ow = -(-h // s[0]), -(-wd // s[1])
        ph, pw = max((oh - 1) * s[0] + k[0] - h, 0), max((ow - 1) * s[1] + k[1] - wd, 0)
        top, left = ph // 2, pw // 2
    else:
        oh, ow = (h - k[0]) // s[0] + 1, (wd - k[1]) // s[1] + 1
        top = left = 0
    out = np.zeros((n, oh, ow, c))
    for i, j in itertools.product(range(oh), range(ow)):
        r0, c0 = i * s[0] - top, j * s[1] - left
        patch = x[:, max(r0, 0):r0 + k[0], max(c0, 0):c0 + k[1], :]  # padding is excluded
        out[:, i, j, :] = patch.max(axis=(1, 2)) if is_max else patch.mean(axis=(1, 2))
    return out


POOL = [((2, 2), (2, 2), "VALID"), ((3, 3), (2, 2), "SAME"), ((2, 3), (1, 2), "SAME"),
        ((3, 2), (1, 1), "VALID")]


@pytest.mark.parametrize("is_max", [True, False], ids=["max", "avg"])
@pytest.mark.parametrize("k,s,padding", POOL, ids=[str(p) for p in POOL])
def test_pool2d(dev, k, s, padding, is_max):
    x = RNG.permutation(2 * 5 * 6 * 2).reshape(2, 5, 6, 2) / 10.0  # distinct: no max ties
    fn = tf.nn.max_pool2d if is_max else tf.nn.avg_pool2d
    got = fn(tf.constant(x), ksize=k, strides=s, padding=padding)
    np.testing.assert_allclose(host(got), np_pool2d(x, k, s, padding, is_max), rtol=1e-12)
    check_grad(lambda t: fn(t, ksize=k, strides=s, padding=padding), x)


@pytest.mark.parametrize("is_max", [True, False], ids=["max", "avg"])
def test_pool1d(dev, is_max):
    x = RNG.permutation(2 * 7 * 3).reshape(2, 7, 3) / 10.0
    fn = tf.nn.max_pool1d if is_max else tf.nn.avg_pool1d
    got = fn(tf.constant(x), ksize=3, strides=2, padding="SAME")
    want = np_pool2d(x[:, None], (1, 3), (1, 2), "SAME", is_max)[:, 0]
    np.testing.assert_allclose(host(got), want, rtol=1e-12)
    check_grad(lambda t: fn(t, 3, 2, "SAME"), x)


def test_moments(dev):
    x = rnd(4, 3, 2)
    mean, var = tf.nn.moments(tf.constant(x), axes=[0, 1])
    np.testing.assert_allclose(host(mean), x.mean((0, 1)), rtol=1e-12)
    np.testing.assert_allclose(host(var), x.var((0, 1)), rtol=1e-12)
    check_grad(lambda t: tf.nn.moments(t, axes=[0])[1], x)
    m2, v2 = tf.nn.moments(tf.constant(x), axes=[2], keepdims=True)
    assert m2.shape == (4, 3, 1) and v2.shape == (4, 3, 1)


def test_dropout(dev):
    tf.random.set_seed(3)
    x = np.ones((200, 50))
    y = host(tf.nn.dropout(tf.constant(x), rate=0.25))
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75)  # survivors scaled by 1 / (1 - rate)
    assert abs(kept.mean() - 0.75) < 0.02  # 10 000 Bernoulli draws: sd 0.0043
    np.testing.assert_array_equal(host(tf.nn.dropout(tf.constant(x), rate=0.0)), x)
    # gradient is the same mask
    xt = tf.constant(rnd(3, 4))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = tf.nn.dropout(xt, 0.5, seed=1)
    g = host(tape.gradient(out, xt))
    np.testing.assert_allclose(g, host(out) / host(xt), rtol=1e-12)
    # noise_shape broadcasts one mask over rows
    y = host(tf.nn.dropout(tf.constant(np.ones((5, 8))), 0.5, noise_shape=(1, 8)))
    assert (y == y[0]).all()
