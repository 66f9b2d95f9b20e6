"""Layer forward passes against numpy; BatchNormalization; summary counts; configs."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers

rng = np.random.default_rng(2)
X = rng.normal(size=(5, 4)).astype(np.float32)


def sig(x):
    return 1 / (1 + np.exp(-x))


ACTS = {
    "relu": lambda x: np.maximum(x, 0), "sigmoid": sig, "tanh": np.tanh,
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True),
    "softplus": lambda x: np.log1p(np.exp(x)), "softsign": lambda x: x / (1 + np.abs(x)),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772
                                                    * (np.exp(x) - 1)),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(__import__("math").erf)(x / np.sqrt(2))),
    "swish": lambda x: x * sig(x), "silu": lambda x: x * sig(x), "exponential": np.exp,
    "linear": lambda x: x, "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
}


@pytest.mark.parametrize("name", sorted(ACTS))
def test_dense_with_each_activation_matches_numpy(name):
    d = layers.Dense(3, activation=name)
    y = d(X).numpy()
    w, b = d.get_weights()
    b[:] = rng.normal(size=3)
    d.set_weights([w, b])
    np.testing.assert_allclose(d(X).numpy(), ACTS[name](X @ w + b), rtol=1e-5, atol=1e-6)
    assert y.shape == (5, 3)
    np.testing.assert_allclose(layers.Activation(name)(X).numpy(), ACTS[name](X), rtol=1e-5,
                               atol=1e-6)


def test_dense_gradient_matches_numpy():
    d = layers.Dense(3, activation="tanh")
    d(X)
    w, b = (v.numpy() for v in d.weights)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(d(X) ** 2)
    gw, gb = tape.gradient(loss, [d.kernel, d.bias])
    y = np.tanh(X @ w + b)
    gz = 2 * y * (1 - y * y)
    np.testing.assert_allclose(gw.numpy(), X.T @ gz, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gb.numpy(), gz.sum(0), rtol=1e-4, atol=1e-5)


def test_shape_layers_match_numpy():
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), x.reshape(2, 12))
    np.testing.assert_array_equal(layers.Reshape((4, -1))(x).numpy(), x.reshape(2, 4, 3))
    np.testing.assert_array_equal(layers.Permute((2, 1))(x).numpy(), x.transpose(0, 2, 1))
    np.testing.assert_array_equal(layers.RepeatVector(3)(X).numpy(),
                                  np.repeat(X[:, None, :], 3, axis=1))
    with pytest.raises(ValueError, match="total size must stay the same"):
        layers.Reshape((5, 5))(x)


def test_merge_layers_match_numpy():
    a, b, c = (rng.normal(size=(4, 3)).astype(np.float32) for _ in range(3))
    np.testing.assert_allclose(layers.Add()([a, b, c]).numpy(), a + b + c, rtol=1e-6)
    np.testing.assert_allclose(layers.Subtract()([a, b]).numpy(), a - b, rtol=1e-6)
    np.testing.assert_allclose(layers.Multiply()([a, b]).numpy(), a * b, rtol=1e-6)
    np.testing.assert_allclose(layers.Average()([a, b]).numpy(), (a + b) / 2, rtol=1e-6)
    np.testing.assert_allclose(layers.Maximum()([a, b]).numpy(), np.maximum(a, b))
    np.testing.assert_allclose(layers.Minimum()([a, b]).numpy(), np.minimum(a, b))
    np.testing.assert_allclose(layers.Concatenate()([a, b]).numpy(), np.concatenate([a, b], 1))
    np.testing.assert_allclose(layers.Dot(axes=1)([a, b]).numpy(),
                               (a * b).sum(1, keepdims=True), rtol=1e-5)
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    np.testing.assert_allclose(layers.Dot(axes=1, normalize=True)([a, b]).numpy(),
                               (an * bn).sum(1, keepdims=True), rtol=1e-5)
    a3, b3 = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    np.testing.assert_allclose(layers.Dot(axes=(2, 2))([a3.astype(np.float32),
                                                       b3.astype(np.float32)]).numpy(),
                               np.einsum("bik,bjk->bij", a3, b3), rtol=1e-4)


def test_dropout_and_noise_only_in_training():
    x = np.ones((200, 50), np.float32)
    d = layers.Dropout(0.4)
    np.testing.assert_array_equal(d(x).numpy(), x)
    y = d(x, training=True).numpy()
    kept = y != 0
    assert 0.5 < kept.mean() < 0.7
    np.testing.assert_allclose(y[kept], 1 / 0.6, rtol=1e-6)
    g = layers.GaussianNoise(0.5)
    np.testing.assert_array_equal(g(x).numpy(), x)
    assert abs(np.std(g(x, training=True).numpy() - 1) - 0.5) < 0.02
    gd = layers.GaussianDropout(0.5)
    assert abs(np.std(gd(x, training=True).numpy()) - 1.0) < 0.03


def test_batch_normalization_training_and_inference_vs_numpy():
    x = rng.normal(2.0, 3.0, size=(64, 3)).astype(np.float32)
    bn = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    y = bn(x, training=True).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-5)
    yi = bn(x, training=False).numpy()
    expect = (x - 0.1 * mean) / np.sqrt(0.9 + 0.1 * var + 1e-3)
    np.testing.assert_allclose(yi, expect, rtol=1e-4, atol=1e-4)
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2
    ln = layers.LayerNormalization()
    m, v = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    np.testing.assert_allclose(ln(x).numpy(), (x - m) / np.sqrt(v + 1e-3), rtol=1e-4,
                               atol=1e-4)


def test_summary_param_counts_closed_form():
    m = keras.Sequential([layers.Dense(256, activation="relu", input_shape=(784,)),
                          layers.Dropout(0.4), layers.Dense(128, activation="relu"),
                          layers.BatchNormalization(), layers.Dense(10, activation="softmax")])
    total = (784 * 256 + 256) + (256 * 128 + 128) + 4 * 128 + (128 * 10 + 10)
    assert m.count_params() == total
    text = m.summary_string()
    assert f"Total params: {total:,}" in text
    assert f"Trainable params: {total - 256:,}" in text
    assert "Non-trainable params: 256" in text
    assert "(None, 256)" in text and "200960" in text
    lines = []
    m.summary(print_fn=lines.append)
    assert "\n".join(lines) == text
    m.layers[0].trainable = False
    assert f"Trainable params: {total - 256 - 200960:,}" in m.summary_string()


def test_layer_configs_round_trip():
    for layer in [layers.Dense(3, activation="relu", kernel_regularizer="l2",
                               kernel_constraint="max_norm", kernel_initializer="he_normal"),
                  layers.Dropout(0.3), layers.Reshape((2, 2)), layers.Permute((1,)),
                  layers.BatchNormalization(momentum=0.5), layers.Concatenate(axis=1),
                  layers.Dot(axes=1)]:
        cfg = layer.get_config()
        clone = type(layer).from_config(cfg)
        assert clone.get_config() == {**cfg, "name": clone.name}


def test_initializers_statistics():
    init = keras.initializers
    w = init.get("glorot_uniform")((400, 600))
    limit = np.sqrt(6 / 1000)
    assert w.min() >= -limit and w.max() <= limit and abs(w.std() - limit / np.sqrt(3)) < 0.002
    w = init.get("he_normal")((500, 500))
    assert abs(w.std() - np.sqrt(2 / 500)) < 0.003
    q = init.Orthogonal()((6, 4))
    np.testing.assert_allclose(q.T @ q, np.eye(4), atol=1e-5)
    np.testing.assert_array_equal(init.Constant(3)((2,)), [3, 3])
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        init.get("glorot")


def test_constraints_and_regularizers():
    w = np.array([[3.0, 0.1], [4.0, -0.2]])
    np.testing.assert_allclose(keras.constraints.MaxNorm(1.0)(w)[:, 0], [0.6, 0.8], rtol=1e-6)
    np.testing.assert_array_equal(keras.constraints.NonNeg()(w), [[3, 0.1], [4, 0]])
    np.testing.assert_allclose(np.linalg.norm(keras.constraints.UnitNorm()(w), axis=0), [1, 1],
                               rtol=1e-6)
    r = keras.regularizers.l1_l2(l1=0.1, l2=0.2)
    assert float(r(tf.constant(w)).numpy()) == pytest.approx(
        0.1 * np.abs(w).sum() + 0.2 * (w ** 2).sum(), rel=1e-6)


def test_functional_shared_layer_shares_weights():
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(4,), name="b")
    shared = layers.Dense(2, name="shared")
    out = layers.Add()([shared(a), shared(b)])
    m = keras.Model([a, b], out)
    assert len(m.weights) == 2
    w, bias = shared.get_weights()
    xa, xb = X, X[::-1].copy()
    np.testing.assert_allclose(m.predict([xa, xb], verbose=0), xa @ w + xb @ w + 2 * bias,
                               rtol=1e-5, atol=1e-6)
    assert "multiple" in m.summary_string()
