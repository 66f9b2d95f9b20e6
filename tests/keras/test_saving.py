"""Persistence: identical predictions, exact resumption, atomic writes, clear errors."""

import io
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


def _every_family():
    """Functional models covering each family of layers with weights (the loader bounds
    weights by what the file holds: every genuine one must still load)."""
    tf.random.set_seed(3)
    img = keras.Input(shape=(8, 8, 3), name="img")
    c = layers.Conv2D(4, 3, padding="same", activation="relu")(img)
    c = layers.BatchNormalization()(c)
    c = layers.DepthwiseConv2D(3, depth_multiplier=2)(c)
    c = layers.SeparableConv2D(5, 3, padding="same")(c)
    c = layers.Conv2DTranspose(3, 2, strides=2)(c)
    c = layers.MaxPooling2D()(c)
    c = layers.GlobalAveragePooling2D()(c)
    seq = keras.Input(shape=(7,), name="words")
    e = layers.Embedding(5000, 16, mask_zero=True)(seq)
    e = layers.LSTM(5, return_sequences=True)(e)
    e = layers.Bidirectional(layers.GRU(4, return_sequences=True))(e)
    e = layers.TimeDistributed(layers.Dense(3))(e)
    e = layers.SimpleRNN(4)(e)
    sig = keras.Input(shape=(9, 2), name="signal")
    s = layers.Conv1D(3, 3, activation="tanh")(sig)
    s = layers.LayerNormalization()(s)
    s = layers.Flatten()(s)
    h = layers.Concatenate()([c, e, s])
    out = layers.Dense(2, activation="softmax")(layers.Dense(6, activation="relu")(h))
    return keras.Model([img, seq, sig], out)


def _family_inputs():
    rng = np.random.default_rng(8)
    words = rng.integers(0, 20, size=(5, 7)).astype(np.float32)
    words[:, 5:] = 0  # padding the mask skips
    return [rng.normal(size=(5, 8, 8, 3)).astype(np.float32), words,
            rng.normal(size=(5, 9, 2)).astype(np.float32)]


def test_every_layer_family_loads_with_identical_predictions(tmp_path):
    m = _every_family()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    xs = _family_inputs()
    m.fit(xs, np.array([0, 1, 1, 0, 1]), epochs=1, verbose=0)
    want = m.predict(xs, verbose=0)
    m.save(tmp_path / "m.tbm")
    for back in (keras.models.load_model(tmp_path / "m.tbm"),
                 keras.models.deserialize_model(keras.models.serialize_model(m))):
        np.testing.assert_array_equal(back.predict(xs, verbose=0), want)
        for a, b in zip(m.get_weights(), back.get_weights()):
            np.testing.assert_array_equal(a, b)
    # zipped again with compression, or with its arrays compressed (np.savez_compressed), it
    # still loads, even where the arrays pack into fewer bytes than they have values
    m.set_weights([np.round(w * 2) / 2 for w in m.get_weights()])
    want = m.predict(xs, verbose=0)
    m.save(tmp_path / "m.tbm")
    with zipfile.ZipFile(tmp_path / "m.tbm") as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(io.BytesIO(members["weights.npz"])) as inner:
        arrays = {i.filename[:-4]: np.load(io.BytesIO(inner.read(i))) for i in inner.infolist()}
    packed = io.BytesIO()
    np.savez_compressed(packed, **arrays)
    assert len(packed.getvalue()) < m.count_params()
    for method, npz in ((zipfile.ZIP_DEFLATED, members["weights.npz"]),
                        (zipfile.ZIP_STORED, packed.getvalue())):
        with zipfile.ZipFile(tmp_path / "z.tbm", "w", method) as z:
            for name, data in {**members, "weights.npz": npz}.items():
                z.writestr(name, data)
        with zipfile.ZipFile(tmp_path / "z.tbm") as z:
            assert z.getinfo("weights.npz").compress_size < m.count_params()
        np.testing.assert_array_equal(
            keras.models.load_model(tmp_path / "z.tbm").predict(xs, verbose=0), want)


def test_functional_config_with_layers_in_any_order_rebuilds_the_same_model(tmp_path):
    m = _every_family()
    xs = _family_inputs()
    d = json.loads(m.to_json())
    cfg = d["config"]
    cfg["layers"] = cfg["layers"][::-1]  # every layer listed before the ones it needs
    again = keras.models.model_from_json(json.dumps(d))
    again.set_weights(m.get_weights())
    np.testing.assert_array_equal(again.predict(xs, verbose=0), m.predict(xs, verbose=0))
    assert [layer.name for layer in again.layers] == [layer.name for layer in m.layers]
