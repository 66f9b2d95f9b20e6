"""What user-written functions (R's reach the engine as plain callables) rely on:
a function loss is differentiated and named, a function metric gets tensors, a
wrong return type names the loss or metric, every LambdaCallback hook is called
with keras' arguments, and keras 2's ``decay`` of the optimizers."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x @ np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.25]], np.float32)).astype(np.float32)
    return x, y


def _model(seed=1):
    tf.random.set_seed(seed)
    return keras.Sequential([layers.Dense(2, input_shape=(3,))])


def test_function_loss_trains_exactly_like_the_builtin_loss():
    x, y = _data()

    def my_mse(y_true, y_pred):
        d = y_pred - y_true
        return tf.reduce_mean(d * d, axis=-1)

    runs = []
    for loss in ("mse", my_mse):
        m = _model()
        m.compile(optimizer=keras.optimizers.SGD(0.05), loss=loss)
        h = m.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
        runs.append((h.history["loss"], m.get_weights()))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-6)
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_function_loss_gradient_matches_finite_differences():
    x, y = _data(8)

    def cubic(y_true, y_pred):
        d = tf.abs(y_pred - y_true)
        return tf.reduce_mean(d * d * d, axis=-1)

    m = _model()
    m.compile(optimizer=keras.optimizers.SGD(1.0), loss=cubic)
    w0, b0 = [a.astype(np.float64) for a in m.get_weights()]

    def loss_at(w):
        return np.mean(np.mean(np.abs(x @ w + b0 - y) ** 3, axis=-1))

    fd = np.zeros_like(w0)
    h = 1e-5
    for idx in np.ndindex(*w0.shape):
        e = np.zeros_like(w0)
        e[idx] = h
        fd[idx] = (loss_at(w0 + e) - loss_at(w0 - e)) / (2 * h)
    m.train_on_batch(x, y)
    grad = w0 - m.get_weights()[0]  # SGD with rate 1: w1 = w0 - grad
    np.testing.assert_allclose(grad, fd, rtol=1e-3, atol=1e-4)


def test_function_loss_returning_an_array_is_an_error_naming_it():
    x, y = _data(8)

    def detached(y_true, y_pred):
        return np.mean((y_pred.numpy() - y_true.numpy()) ** 2, axis=-1)

    m = _model()
    m.compile(optimizer="sgd", loss=detached)
    with pytest.raises(TypeError, match=r"loss 'detached' returned an array of dtype float32, "
                                        r"not a tensor"):
        m.fit(x, y, epochs=1, verbose=0)


def test_function_metric_gets_tensors_and_is_named_by_the_function():
    x, y = _data(16)
    seen = []

    def worst_error(y_true, y_pred):
        seen.append((type(y_true), type(y_pred)))
        return tf.reduce_max(tf.abs(y_pred - y_true), axis=-1)

    m = _model()
    m.compile(optimizer="sgd", loss="mse", metrics=[worst_error])
    logs = m.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    pred = m.predict(x, verbose=0)
    assert seen[0] == (tf.Tensor, tf.Tensor)
    assert logs["worst_error"] == pytest.approx(np.abs(pred - y).max(axis=-1).mean(), rel=1e-5)


def test_function_metric_with_a_wrong_return_type_names_it():
    x, y = _data(8)
    m = _model()
    m.compile(optimizer="sgd", loss="mse", metrics=[lambda t, p: "good"])
    with pytest.raises(TypeError, match=r"metric '<lambda>' returned a str; a metric function "
                                        r"must return a tensor or numbers"):
        m.evaluate(x, y, verbose=0)


def test_lambda_callback_calls_every_hook_with_keras_arguments():
    x, y = _data(10)
    calls = []

    def rec(name):
        return lambda *args: calls.append((name, args))

    hooks = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
             "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
             "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
             "on_predict_batch_begin", "on_predict_batch_end"]
    cb = keras.callbacks.LambdaCallback(**{h: rec(h) for h in hooks})
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    m.fit(x, y, epochs=2, batch_size=4, verbose=0, validation_data=(x[:4], y[:4]),
          callbacks=[cb])
    names = [c[0] for c in calls]
    # 3 batches of the 10 rows per epoch, one validation batch per epoch
    assert names.count("on_train_batch_end") == 6 and names.count("on_test_batch_end") == 2
    assert names[0] == "on_train_begin" and names[-1] == "on_train_end"
    assert [a for n, a in calls if n == "on_epoch_begin"] == [(0, {}), (1, {})]
    assert [a[0] for n, a in calls if n == "on_train_batch_begin"] == [0, 1, 2, 0, 1, 2]
    assert all(a[1] == {} for n, a in calls if n == "on_train_batch_begin")
    assert all(set(a[1]) == {"loss"} for n, a in calls if n == "on_train_batch_end")
    epoch_logs = [a[1] for n, a in calls if n == "on_epoch_end"]
    assert all(set(lg) == {"loss", "val_loss"} for lg in epoch_logs)
    calls.clear()
    m.evaluate(x, y, batch_size=5, verbose=0, callbacks=[cb])
    assert [n for n, _ in calls] == ["on_test_begin", "on_test_batch_begin", "on_test_batch_end",
                                     "on_test_batch_begin", "on_test_batch_end", "on_test_end"]
    calls.clear()
    m.predict(x, batch_size=5, verbose=0, callbacks=[cb])
    assert [n for n, _ in calls][0] == "on_predict_begin" and calls[0][1] == ({},)
    ends = [a for n, a in calls if n == "on_predict_batch_end"]
    assert [a[0] for a in ends] == [0, 1] and ends[0][1]["outputs"][0].shape == (5, 2)


@pytest.mark.parametrize("make", [
    lambda: keras.optimizers.SGD(0.1, decay=0.5),
    lambda: keras.optimizers.SGD(learning_rate=0.1, decay=0.5),
])
def test_decay_is_keras_2_inverse_time_decay_per_step(make):
    opt = make()
    w = tf.Variable(np.zeros(1, np.float32))
    values = []
    for _ in range(4):
        before = float(w.numpy()[0])
        opt.apply([np.ones(1, np.float32)], [w])
        values.append(before - float(w.numpy()[0]))
    # step k (from 0) uses lr / (1 + decay * k)
    np.testing.assert_allclose(values, [0.1 / (1 + 0.5 * k) for k in range(4)], rtol=1e-6)
    assert opt.get_config()["decay"] == 0.5
    twin = type(opt).from_config(opt.get_config())
    assert twin.decay == 0.5


def test_decay_refuses_negative_values():
    with pytest.raises(ValueError, match="decay"):
        keras.optimizers.Adam(decay=-1.0)
