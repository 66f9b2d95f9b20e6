"""Learning, compile resolution, callbacks, bad input and interrupts."""

import io
import os
import re

import numpy as np
import pandas as pd
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers


def test_xor_is_learned():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([0, 1, 1, 0], np.float32)
    m = keras.Sequential([layers.Dense(8, activation="tanh", input_shape=(2,)),
                          layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
              metrics=["accuracy"])
    h = m.fit(x, y, epochs=300, batch_size=4, verbose=0)
    assert h.history["accuracy"][-1] == 1.0
    np.testing.assert_array_equal((m.predict(x, verbose=0)[:, 0] > 0.5), y.astype(bool))
    # "accuracy" resolved to binary accuracy for a 1-unit sigmoid output
    assert m.metrics[0]._fn is keras.metrics.binary_accuracy


def test_linear_regression_recovers_coefficients():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 3))
    coef, intercept = np.array([1.5, -2.0, 0.5]), 0.7
    y = x @ coef + intercept
    m = keras.Sequential([layers.Dense(1, input_shape=(3,))])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    m.fit(x, y, epochs=30, batch_size=32, verbose=0)
    w, b = m.get_weights()
    np.testing.assert_allclose(w[:, 0], coef, atol=1e-3)
    assert b[0] == pytest.approx(intercept, abs=1e-3)


def test_multi_input_multi_output_weighted_losses():
    rng = np.random.default_rng(1)
    a_in, b_in = keras.Input(shape=(3,), name="a"), keras.Input(shape=(2,), name="b")
    h = layers.Dense(8, activation="relu")(layers.Concatenate()([a_in, b_in]))
    reg = layers.Dense(1, name="reg")(h)
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    m = keras.Model([a_in, b_in], [reg, cls])
    m.compile(optimizer=keras.optimizers.Adam(0.02),
              loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
              loss_weights={"reg": 0.5, "cls": 2.0}, metrics={"cls": ["accuracy"]})
    xa, xb = rng.normal(size=(200, 3)), rng.normal(size=(200, 2))
    y_reg = xa.sum(1, keepdims=True)
    y_cls = (xb[:, 0] > 0).astype(int) + (xb[:, 1] > 0).astype(int)
    hist = m.fit([xa, xb], [y_reg, y_cls], epochs=40, batch_size=200, verbose=0)
    hh = hist.history
    assert {"loss", "reg_loss", "cls_loss", "cls_accuracy"} <= set(hh)
    for t, r, c in zip(hh["loss"], hh["reg_loss"], hh["cls_loss"]):
        assert t == pytest.approx(0.5 * r + 2.0 * c, rel=1e-5)
    assert hh["loss"][-1] < hh["loss"][0] * 0.7
    res = m.evaluate({"a": xa, "b": xb}, {"reg": y_reg, "cls": y_cls}, verbose=0,
                     return_dict=True)
    assert res["loss"] == pytest.approx(0.5 * res["reg_loss"] + 2.0 * res["cls_loss"], rel=1e-5)
    assert m.metrics_names == ["loss", "reg_loss", "cls_loss", "cls_accuracy"]


def _mlp(n_in=4, n_out=3, act="softmax"):
    m = keras.Sequential([layers.Dense(8, activation="relu", input_shape=(n_in,)),
                          layers.Dense(n_out, activation=act)])
    return m


def test_accuracy_resolution_by_loss_and_shape():
    x = np.random.default_rng(0).normal(size=(20, 4))
    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy", metrics=["acc"])
    m.fit(x, np.arange(20) % 3, epochs=1, verbose=0)
    assert m.metrics[0]._fn is keras.metrics.sparse_categorical_accuracy
    assert "acc" in m.history.history
    m = _mlp()
    m.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    m.fit(x, keras.utils.to_categorical(np.arange(20) % 3), epochs=1, verbose=0)
    assert m.metrics[0]._fn is keras.metrics.categorical_accuracy


def test_compile_unknown_names():
    m = _mlp()
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamm'.*'adam'"):
        m.compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match=r"unknown loss 'cross'.*'categorical_crossentropy'"):
        m.compile(loss="cross")
    with pytest.raises(ValueError, match=r"unknown metric 'acuracy'"):
        m.compile(loss="mse", metrics=["acuracy"])


def test_softmax_crossentropy_uses_logits_in_training():
    """With a softmax output and categorical crossentropy, the training loss is computed from
    the logits (stable); it equals the probability-based loss where both are finite."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 3, 64), 3)
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.0), loss="categorical_crossentropy")
    train_loss = m.train_on_batch(x, y)
    test_loss = m.test_on_batch(x, y)
    assert train_loss == pytest.approx(test_loss, rel=1e-5)
    p = m.predict(x, verbose=0)
    assert test_loss == pytest.approx(-(y * np.log(p)).sum(1).mean(), rel=1e-5)


def _data(n=40):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 4)), rng.integers(0, 3, n)


def test_bad_input_errors():
    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy")
    x, y = _data()
    with pytest.raises(ValueError, match="x has 40 rows but y has 39 rows"):
        m.fit(x, y[:-1], verbose=0)
    with pytest.raises(ValueError, match=r"x has 5 columns but the model input .* expects 4"):
        m.fit(np.ones((40, 5)), y, verbose=0)
    xn = x.copy()
    xn[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"missing values \(NA/NaN\) in 1 row.*row 8"):
        m.fit(xn, y, verbose=0)
    df = pd.DataFrame(x, columns=list("abcd"))
    df["d"] = ["u"] * 40
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) 'd' \((object|str)\)"):
        m.fit(df, y, verbose=0)
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        m.fit(x, y, batch_size=0, verbose=0)
    for bad in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match=r"validation_split must be a fraction in \[0, 1\)"):
            m.fit(x, y, validation_split=bad, verbose=0)
    with pytest.raises(ValueError, match="class labels must be in 0..2"):
        m.fit(x, y + 5, verbose=0)
    ragged = [np.arange(3.0), np.arange(4.0), 1.0]  # an R list(c(...), c(...), 1)
    with pytest.raises(ValueError, match=r"3 sequences of different lengths \(from 1 to 4\).*"
                                         r"pad_sequences\(\)"):
        m.fit(ragged, y[:3], verbose=0)


def test_dataframe_and_int_inputs_are_cast_to_float32():
    x, y = _data()
    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy")
    df = pd.DataFrame(x, columns=list("abcd"))
    df["a"] = np.arange(40)  # an integer column
    m.fit(df, y, verbose=0, epochs=1)
    assert m.predict(df, verbose=0).dtype == np.float32


def test_validation_split_takes_the_last_rows():
    x, y = _data(50)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_test_batch_begin(self, batch, logs=None):
            seen.append(batch)

    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy")
    h = m.fit(x, y, validation_split=0.2, epochs=1, verbose=0, shuffle=False,
              callbacks=[Spy()], batch_size=100)
    val = m.evaluate(x[40:], y[40:], verbose=0)
    assert h.history["val_loss"][0] == pytest.approx(val, rel=1e-6)
    assert h.params["steps"] == 1 and seen == [0]


def test_progress_output(capsys):
    x, y = _data()
    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    m.fit(x, y, epochs=2, batch_size=10, verbose=1, validation_split=0.25)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "3/3 [==============================] - " in out
    assert re.search(r"- \d+s \d+(us|ms|s)/step - loss: \d\.\d{4} - accuracy: ", out)
    assert " - val_loss: " in out and " - val_accuracy: " in out
    m.fit(x, y, epochs=1, batch_size=10, verbose=2)
    assert "4/4 - " in capsys.readouterr().out
    m.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_progress_bar_dynamic_redraws_in_place(monkeypatch):
    monkeypatch.setattr(keras.callbacks, "DYNAMIC_DISPLAY", True)
    buf = io.StringIO()
    bar = keras.callbacks.Progbar(3, stream=buf, interval=0.0)
    bar.update(1, {"loss": 1.0})
    bar.update(3, {"loss": 0.5}, finalize=True)
    text = buf.getvalue()
    assert text.startswith("\r1/3 [=========>....................] - ETA:")
    assert text.count("\r") == 2 and text.endswith("\n")


def test_early_stopping_stops_where_the_curve_dictates_and_restores_best():
    """val_loss is driven by a callback-set curve: best at epoch 2, patience 2 -> stop at 4."""
    curve = [5.0, 4.0, 3.0, 3.5, 3.2, 1.0, 0.5]
    x, y = _data()
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    snapshots = {}

    def fake_val(epoch, logs):
        logs["val_loss"] = curve[epoch]
        snapshots[epoch] = m.get_weights()

    es = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                       restore_best_weights=True)
    h = m.fit(x, y, epochs=7, verbose=0,
              callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=fake_val), es])
    assert h.epoch == [0, 1, 2, 3, 4]
    assert es.stopped_epoch == 4 and es.best_epoch == 2
    for a, b in zip(m.get_weights(), snapshots[2]):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_keeps_only_improvements(tmp_path):
    curve = [3.0, 2.0, 2.5, 1.0]
    x, y = _data()
    m = _mlp()
    m.compile(loss="sparse_categorical_crossentropy")
    lam = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.update(val_loss=curve[epoch]))
    ck = keras.callbacks.ModelCheckpoint(str(tmp_path / "w.{epoch:02d}-{val_loss:.2f}.keras"),
                                         save_best_only=True)
    m.fit(x, y, epochs=4, verbose=0, callbacks=[lam, ck])
    assert sorted(os.listdir(tmp_path)) == ["w.01-3.00.keras", "w.02-2.00.keras",
                                            "w.04-1.00.keras"]
    restored = keras.models.load_model(tmp_path / "w.04-1.00.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), m.predict(x, verbose=0))


def test_lambda_callback_sees_epoch_and_logs_and_other_callbacks(tmp_path):
    x, y = _data()
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
    seen = []
    lam = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((epoch, dict(logs))))
    sched = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    csv = keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
    h = m.fit(x, y, epochs=3, verbose=0, callbacks=[sched, lam, csv])
    assert [e for e, _ in seen] == [0, 1, 2]
    assert all(set(logs) >= {"loss", "accuracy"} and isinstance(logs["loss"], float)
               for _, logs in seen)
    assert h.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    rows = (tmp_path / "log.csv").read_text().strip().splitlines()
    assert rows[0] == "epoch,accuracy,learning_rate,loss" and len(rows) == 4


def test_reduce_lr_on_plateau_and_terminate_on_nan():
    curve = [1.0, 1.0, 1.0, 1.0, 1.0]
    x, y = _data()
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    lam = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.update(val_loss=curve[epoch]))
    m.fit(x, y, epochs=5, verbose=0, callbacks=[
        lam, keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)])
    assert m.optimizer.learning_rate == pytest.approx(0.025)
    m2 = keras.Sequential([layers.Dense(1, input_shape=(4,))])
    m2.compile(optimizer=keras.optimizers.SGD(1e30), loss="mse")
    with np.errstate(over="ignore", invalid="ignore"):
        h = m2.fit(x, y * 1e20, epochs=5, batch_size=8, verbose=0,
                   callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(h.epoch) == 1


def test_keyboard_interrupt_keeps_weights_of_last_finished_batch():
    x, y = _data(64)
    def build():
        tf.random.set_seed(7)
        m = _mlp()
        m.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
        return m

    ref = build()
    ref.fit(x[:48], y[:48], batch_size=16, epochs=1, shuffle=False, verbose=0)  # 3 batches
    m = build()
    calls = {"n": 0}
    real_call = m.layers[1].call

    def flaky(inputs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # in the 4th batch's forward pass
            raise KeyboardInterrupt
        return real_call(inputs, *args, **kwargs)

    m.layers[1].call = flaky
    with pytest.raises(KeyboardInterrupt):
        m.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(m.get_weights(), ref.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_regularizers_and_constraints_take_effect():
    x, y = _data()
    m = keras.Sequential([layers.Dense(3, input_shape=(4,), kernel_regularizer="l2",
                                       kernel_constraint=keras.constraints.NonNeg())])
    m.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    w = m.get_weights()[0]
    loss = m.train_on_batch(x, keras.utils.to_categorical(y, 3))
    pred = x.astype(np.float32) @ w
    mse = ((pred - keras.utils.to_categorical(y, 3)) ** 2).mean()
    assert loss == pytest.approx(mse + 0.01 * (w ** 2).sum(), rel=1e-5)
    assert (m.get_weights()[0] >= 0).all()  # the constraint is applied after the update


def test_freezing_a_layer_takes_effect_immediately():
    x, y = _data()
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    m.layers[0].trainable = False
    before = m.layers[0].get_weights()
    m.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(before, m.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(m.trainable_weights) == 2


def test_sequential_pop_get_layer_and_set_weights_errors():
    m = _mlp()
    assert m.get_layer(index=0) is m.layers[0]
    assert m.get_layer(name=m.layers[1].name) is m.layers[1]
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        m.get_layer("nope")
    w = m.get_weights()
    w[0] = np.zeros((5, 8))
    with pytest.raises(ValueError, match=r"has shape \(4, 8\) but the array given has shape"):
        m.set_weights(w)
    m.pop()
    assert len(m.layers) == 1 and m.output_shape == (None, 8)


def test_class_weight_and_sample_weight():
    x, y = _data()
    m = _mlp()
    m.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    base = m.evaluate(x, y, verbose=0)
    per = keras.losses.sparse_categorical_crossentropy(y, m.predict(x, verbose=0)).numpy()
    cw = {0: 1.0, 1: 2.0, 2: 0.5}
    w = np.array([cw[c] for c in y])
    assert m.train_on_batch(x, y, class_weight=cw) == pytest.approx((per * w).mean(), rel=1e-5)
    assert m.evaluate(x, y, sample_weight=w, verbose=0) == pytest.approx((per * w).mean(),
                                                                          rel=1e-5)
    assert base == pytest.approx(per.mean(), rel=1e-5)


def test_subclassed_model_builds_from_data_and_trains():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(1)

        def call(self, x, training=None):
            return self.out(self.hidden(x))

    rng = np.random.default_rng(4)
    x = rng.normal(size=(128, 3))
    y = x @ np.array([1.0, -1.0, 0.5])
    m = Net()
    m.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    h = m.fit(x, y, epochs=30, verbose=0)
    assert len(m.weights) == 4
    assert h.history["loss"][-1] < 0.1 * h.history["loss"][0]
