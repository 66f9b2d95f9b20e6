"""Persistence: identical predictions, exact resumption, atomic writes, clear errors."""

import json
import zipfile

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers, saving


def _data():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(96, 6)).astype(np.float32)
    return x, (x[:, 0] + x[:, 1] > 0).astype(int) + (x[:, 2] > 0.5).astype(int)


def _model(opt="adam"):
    tf.random.set_seed(11)
    m = keras.Sequential([layers.Dense(16, activation="relu", input_shape=(6,)),
                          layers.BatchNormalization(),
                          layers.Dense(3, activation="softmax")])
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def _functional():
    a, b = keras.Input(shape=(6,), name="a"), keras.Input(shape=(2,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    h = layers.Concatenate()([shared(a), layers.Dense(4, name="bd")(b)])
    h2 = shared(layers.Dense(6, name="back")(h))
    return keras.Model([a, b], [layers.Dense(1, name="out1")(h2),
                                layers.Dense(2, activation="softmax", name="out2")(h)])


def test_save_load_identical_predictions(tmp_path):
    x, y = _data()
    m = _model()
    m.fit(x, y, epochs=2, verbose=0)
    m.save(tmp_path / "m.keras")
    r = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(r.predict(x, verbose=0), m.predict(x, verbose=0))
    assert r.summary_string() == m.summary_string().replace(m.name, r.name)
    f = _functional()
    xb = np.random.default_rng(0).normal(size=(96, 2)).astype(np.float32)
    f.save(tmp_path / "f.keras")
    g = keras.models.load_model(tmp_path / "f.keras")
    for p, q in zip(f.predict([x, xb], verbose=0), g.predict([x, xb], verbose=0)):
        np.testing.assert_array_equal(p, q)
    assert len(g.weights) == len(f.weights)


def test_json_and_bytes_round_trip():
    x, _ = _data()
    m = _model()
    clone = keras.models.model_from_json(m.to_json())
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in m.layers]
    assert clone.count_params() == m.count_params()
    data = keras.models.serialize_model(m)
    r = keras.models.deserialize_model(data)
    np.testing.assert_array_equal(r.predict(x, verbose=0), m.predict(x, verbose=0))
    f = _functional()
    cfg = json.loads(f.to_json())
    assert cfg["class_name"] == "Functional"
    assert keras.models.model_from_json(f.to_json()).count_params() == f.count_params()


@pytest.mark.parametrize("opt", ["adam", "rmsprop", "sgd", "nadam"])
def test_training_resumes_exactly_after_load(tmp_path, opt):
    x, y = _data()
    full = _model(opt)
    full.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0)
    part = _model(opt)
    part.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    part.save(tmp_path / "p.keras")
    resumed = keras.models.load_model(tmp_path / "p.keras")
    assert resumed.optimizer.iterations == 12
    resumed.fit(x, y, epochs=4, initial_epoch=2, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(full.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_killed_save_leaves_previous_file_loadable(tmp_path, monkeypatch):
    x, y = _data()
    m = _model()
    path = tmp_path / "m.keras"
    m.save(path)
    before = m.predict(x, verbose=0)
    m.fit(x, y, epochs=1, verbose=0)

    def dies_midway(f, model, include_optimizer=True):
        f.write(b"PK\x03\x04 partial garbage")
        raise KeyboardInterrupt  # the process is interrupted in the middle of writing

    monkeypatch.setattr(saving, "_write_archive", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        m.save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras"]  # no temp file left
    np.testing.assert_array_equal(keras.models.load_model(path).predict(x, verbose=0), before)


def test_truncated_and_foreign_files_give_clear_errors(tmp_path):
    m = _model()
    good = tmp_path / "m.keras"
    m.save(good)
    data = good.read_bytes()
    (tmp_path / "trunc.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"trunc.keras is not a tensorbridge model file \("):
        keras.models.load_model(tmp_path / "trunc.keras")
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(ValueError, match=r"text.keras is not a tensorbridge model file \("):
        keras.models.load_model(tmp_path / "text.keras")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("model.json", "{}")
    with pytest.raises(ValueError, match=r"is not a tensorbridge model file \(.*marker"):
        keras.models.load_model(tmp_path / "other.zip")
    with pytest.raises(ValueError, match="not a tensorbridge model file"):
        keras.models.deserialize_model(b"\x00" * 100)


def test_save_and_load_weights(tmp_path):
    x, y = _data()
    m = _model()
    m.fit(x, y, epochs=1, verbose=0)
    m.save_weights(tmp_path / "w.weights")
    other = _model()
    other.load_weights(tmp_path / "w.weights")
    np.testing.assert_array_equal(other.predict(x, verbose=0), m.predict(x, verbose=0))
    small = keras.Sequential([layers.Dense(2, input_shape=(6,))])
    with pytest.raises(ValueError, match="belongs to a different model"):
        small.load_weights(tmp_path / "w.weights")
