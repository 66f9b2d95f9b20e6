"""Embedding, Masking, SimpleRNN / LSTM / GRU, Bidirectional and TimeDistributed against
numpy loops written from keras' equations (and PyTorch when installed); masking
semantics; finite-difference gradients; errors; save / load round trips."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from kgradcheck import check_layer_grads
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers

rng = np.random.default_rng(11)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- reference cells (keras' equations) and time loop -------------------------------------------
def simple_cell(w, x, h, c):
    k, u, b = w
    return np.tanh(x @ k + h @ u + b), None


def lstm_cell(w, x, h, c):
    k, u, b = w
    n = u.shape[0]
    z = x @ k + h @ u + b
    i, f, g, o = (z[:, j * n:(j + 1) * n] for j in range(4))
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def gru_cell(w, x, h, c):  # reset_after=True: bias (2, 3U)
    k, u, b = w
    n = u.shape[0]
    xz = x @ k + b[0]
    hz = h @ u + b[1]
    z = sigmoid(xz[:, :n] + hz[:, :n])
    r = sigmoid(xz[:, n:2 * n] + hz[:, n:2 * n])
    hh = np.tanh(xz[:, 2 * n:] + r * hz[:, 2 * n:])
    return z * h + (1 - z) * hh, None


def gru_v1_cell(w, x, h, c):  # reset_after=False: bias (3U,)
    k, u, b = w
    n = u.shape[0]
    xz = x @ k + b
    z = sigmoid(xz[:, :n] + h @ u[:, :n])
    r = sigmoid(xz[:, n:2 * n] + h @ u[:, n:2 * n])
    hh = np.tanh(xz[:, 2 * n:] + (r * h) @ u[:, 2 * n:])
    return z * h + (1 - z) * hh, None


CELLS = {
    "simple_rnn": (lambda **kw: layers.SimpleRNN(4, **kw), simple_cell),
    "lstm": (lambda **kw: layers.LSTM(4, **kw), lstm_cell),
    "gru": (lambda **kw: layers.GRU(4, **kw), gru_cell),
    "gru_reset_before": (lambda **kw: layers.GRU(4, reset_after=False, **kw), gru_v1_cell),
}


def ref_loop(cell, weights, x, mask=None, h0=None, c0=None, go_backwards=False,
             zero_out=False):
    """keras' RNN loop: masked steps carry the states; outputs in processing order."""
    n, t_len, _ = x.shape
    units = weights[1].shape[0]
    h = np.zeros((n, units)) if h0 is None else h0
    c = np.zeros((n, units)) if c0 is None else c0
    outs = []
    for t in (range(t_len - 1, -1, -1) if go_backwards else range(t_len)):
        hn, cn = cell(weights, x[:, t], h, c)
        m = np.ones((n, 1), bool) if mask is None else mask[:, t:t + 1]
        h = np.where(m, hn, h)
        if cn is not None:
            c = np.where(m, cn, c)
        outs.append(np.where(m, hn, 0) if zero_out else h)
    return np.stack(outs, 1), h, c


# -- forward against the reference -------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CELLS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_recurrent_layers_match_a_numpy_loop(name, go_backwards):
    make, cell = CELLS[name]
    layer = make(return_sequences=True, return_state=True, go_backwards=go_backwards)
    x = rng.normal(size=(3, 6, 5)).astype(np.float32)
    layer(x)
    ws = layer.get_weights()
    ws[-1] = rng.normal(size=ws[-1].shape).astype(np.float32) * 0.5  # a non-zero bias
    layer.set_weights(ws)
    mask = np.ones((3, 6), bool)
    mask[0, :2] = False
    mask[2, 4:] = False
    n_states = 2 if name == "lstm" else 1
    init = [rng.normal(size=(3, 4)).astype(np.float32) for _ in range(n_states)]
    out = layer(x, mask=tf.constant(mask), initial_state=[tf.constant(s) for s in init])
    seq, h, c = ref_loop(cell, [w.astype(np.float64) for w in ws], x.astype(np.float64), mask,
                         *init, go_backwards=go_backwards)
    np.testing.assert_allclose(out[0].numpy(), seq, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out[1].numpy(), h, rtol=1e-4, atol=1e-5)
    if name == "lstm":
        np.testing.assert_allclose(out[2].numpy(), c, rtol=1e-4, atol=1e-5)
    assert len(out) == 1 + n_states
    # without a mask, return_sequences=False gives the last output
    last = make(go_backwards=go_backwards)
    last(x)
    last.set_weights(ws)
    np.testing.assert_allclose(last(x).numpy(), ref_loop(
        cell, [w.astype(np.float64) for w in ws], x.astype(np.float64),
        go_backwards=go_backwards)[1], rtol=1e-4, atol=1e-5)


def test_lstm_and_gru_match_torch():
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(3, 7, 5))
    xt = torch.from_numpy(x)
    lstm = layers.LSTM(4, return_sequences=True, dtype="float64")
    lstm(x)
    k, u, b = lstm.get_weights()
    b = rng.normal(size=b.shape)
    lstm.set_weights([k, u, b])
    ref = torch.nn.LSTM(5, 4, batch_first=True).double()
    with torch.no_grad():  # torch's gate order i, f, g, o is keras' i, f, c, o
        ref.weight_ih_l0.copy_(torch.from_numpy(k.T))
        ref.weight_hh_l0.copy_(torch.from_numpy(u.T))
        ref.bias_ih_l0.copy_(torch.from_numpy(b))
        ref.bias_hh_l0.zero_()
        want = ref(xt)[0].numpy()
    np.testing.assert_allclose(lstm(tf.constant(x)).numpy(), want, rtol=1e-10, atol=1e-12)

    gru = layers.GRU(4, return_sequences=True, dtype="float64")
    gru(x)
    k, u, b = gru.get_weights()
    b = rng.normal(size=b.shape)
    gru.set_weights([k, u, b])

    def rzn(a):  # keras z, r, h -> torch r, z, n (along the gate axis)
        n = 4
        return np.concatenate([a[..., n:2 * n], a[..., :n], a[..., 2 * n:]], axis=-1)

    ref = torch.nn.GRU(5, 4, batch_first=True).double()
    with torch.no_grad():
        ref.weight_ih_l0.copy_(torch.from_numpy(rzn(k).T))
        ref.weight_hh_l0.copy_(torch.from_numpy(rzn(u).T))
        ref.bias_ih_l0.copy_(torch.from_numpy(rzn(b[0])))
        ref.bias_hh_l0.copy_(torch.from_numpy(rzn(b[1])))
        want = ref(xt)[0].numpy()
    np.testing.assert_allclose(gru(tf.constant(x)).numpy(), want, rtol=1e-10, atol=1e-12)


# -- masking: padded batches give the unpadded results ----------------------------------------
SEQS = [[3, 1, 4], [1, 5, 9, 2, 6], [5, 3]]


@pytest.mark.parametrize("name", ["simple_rnn", "lstm", "gru"])
@pytest.mark.parametrize("padding", ["pre", "post"])
def test_embedding_mask_zero_makes_rnn_skip_padding(name, padding):
    make = CELLS[name][0]
    emb = layers.Embedding(10, 3, mask_zero=True)
    rnn = make(return_sequences=True, return_state=True)
    padded = keras.preprocessing.pad_sequences(SEQS, padding=padding)
    out = rnn(emb(padded))
    for i, s in enumerate(SEQS):
        alone = rnn(emb(np.array([s])))
        n = len(s)
        steps = slice(-n, None) if padding == "pre" else slice(0, n)
        np.testing.assert_allclose(out[0].numpy()[i, steps], alone[0].numpy()[0], rtol=1e-5,
                                   atol=1e-6)
        for got, want in zip(out[1:], alone[1:]):  # final states
            np.testing.assert_allclose(got.numpy()[i], want.numpy()[0], rtol=1e-5, atol=1e-6)
        if padding == "pre":  # nothing seen yet: zeros
            np.testing.assert_array_equal(out[0].numpy()[i, :-n], 0)
        else:  # keras carries the last output over masked steps
            np.testing.assert_allclose(out[0].numpy()[i, n:],
                                       np.broadcast_to(alone[0].numpy()[0, -1],
                                                       out[0].shape[1:])[n:], rtol=1e-5,
                                       atol=1e-6)


def test_masking_layer_and_bidirectional_skip_padding_in_a_model():
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    lengths = [5, 3, 2]
    for i, n in enumerate(lengths):
        x[i, n:] = -1.0  # post padding with the mask value
    inp = keras.Input((5, 2))
    mask_layer = layers.Masking(mask_value=-1.0)
    bi = layers.Bidirectional(layers.LSTM(3), merge_mode="concat")
    model = keras.Model(inp, bi(mask_layer(inp)))
    got = model.predict(x, verbose=0)
    for i, n in enumerate(lengths):
        alone = bi(tf.constant(x[i:i + 1, :n])).numpy()
        np.testing.assert_allclose(got[i], alone[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(mask_layer.compute_mask(tf.constant(x)).numpy(),
                                  np.arange(5) < np.array(lengths)[:, None])
    np.testing.assert_allclose(mask_layer(x).numpy()[1, 3:], 0)


def test_masked_sequence_output_through_time_distributed_dense_keeps_the_mask():
    emb = layers.Embedding(10, 3, mask_zero=True)
    lstm = layers.LSTM(4, return_sequences=True)
    td = layers.TimeDistributed(layers.Dense(2))
    padded = keras.preprocessing.pad_sequences(SEQS, padding="post")
    y = td(lstm(emb(padded)))
    mask = keras.layers.base.get_keras_mask(y)
    np.testing.assert_array_equal(mask.numpy(), padded != 0)


# -- gradients ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CELLS))
@pytest.mark.parametrize("zero_out", [False, True])
def test_recurrent_gradients_match_finite_differences(name, zero_out):
    make = CELLS[name][0]
    layer = make(return_sequences=True, return_state=True, dtype="float64",
                 zero_output_for_mask=zero_out)
    x = rng.normal(size=(2, 4, 3))
    layer(tf.constant(x))
    ws = layer.get_weights()
    ws[-1] = rng.normal(size=ws[-1].shape) * 0.3
    layer.set_weights(ws)
    mask = tf.constant(np.array([[False, True, True, True], [True, True, False, True]]))
    n_states = 2 if name == "lstm" else 1
    states = [rng.normal(size=(2, 4)) for _ in range(n_states)]

    def fn(xt, *st):
        out = layer(xt, mask=mask, initial_state=list(st))
        return tf.concat([tf.reshape(out[0], (2, -1))] + out[1:], axis=1)

    check_layer_grads(fn, layer, [x] + states)


@pytest.mark.parametrize("name", ["simple_rnn", "lstm", "gru"])
def test_gradients_with_dropout_and_recurrent_dropout_match_finite_differences(name):
    make = CELLS[name][0]
    layer = make(return_sequences=True, dropout=0.3, recurrent_dropout=0.4, seed=3,
                 dtype="float64")
    x = rng.normal(size=(2, 3, 3))
    layer(tf.constant(x))
    check_layer_grads(lambda t: layer(t, training=True), layer, [x])
    # dropout is active while training only, with the seed: the same masks every call
    a = layer(tf.constant(x), training=True).numpy()
    np.testing.assert_array_equal(a, layer(tf.constant(x), training=True).numpy())
    assert not np.allclose(a, layer(tf.constant(x)).numpy())


def test_embedding_gradient_sums_the_rows_used():
    emb = layers.Embedding(5, 2)
    ids = np.array([[1, 3, 1], [0, 1, 4]])
    with tf.GradientTape() as tape:
        y = emb(ids)
        loss = tf.reduce_sum(y * tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2)))
    g = tape.gradient(loss, emb.embeddings).numpy()
    want = np.zeros((5, 2))
    for (i, j), k in np.ndenumerate(ids):
        want[k] += np.arange(12).reshape(2, 3, 2)[i, j]
    np.testing.assert_allclose(g, want)
    np.testing.assert_array_equal(y.numpy(), emb.get_weights()[0][ids])


# -- wrappers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merges_a_forward_and_a_time_flipped_backward_pass(mode):
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    bi = layers.Bidirectional(layers.GRU(4, return_sequences=True), merge_mode=mode)
    y = bi(x)
    wf = [w.astype(np.float64) for w in bi.forward_layer.get_weights()]
    wb = [w.astype(np.float64) for w in bi.backward_layer.get_weights()]
    assert len(bi.get_weights()) == 6
    f = ref_loop(gru_cell, wf, x.astype(np.float64))[0]
    b = ref_loop(gru_cell, wb, x.astype(np.float64), go_backwards=True)[0][:, ::-1]
    want = {"concat": np.concatenate([f, b], -1), "sum": f + b, "mul": f * b,
            "ave": (f + b) / 2, None: [f, b]}[mode]
    if mode is None:
        for got, w in zip(y, want):
            np.testing.assert_allclose(got.numpy(), w, rtol=1e-4, atol=1e-5)
    else:
        np.testing.assert_allclose(y.numpy(), want, rtol=1e-4, atol=1e-5)
        assert bi.compute_output_shape((None, 5, 3)) == (None, 5) + want.shape[2:]


def test_bidirectional_return_state_gives_both_directions_states():
    bi = layers.Bidirectional(layers.LSTM(3, return_state=True))
    out = bi(rng.normal(size=(2, 4, 2)).astype(np.float32))
    assert [o.shape for o in out] == [(2, 6)] + [(2, 3)] * 4
    np.testing.assert_allclose(out[0].numpy()[:, :3], out[1].numpy(), rtol=1e-6)
    np.testing.assert_allclose(out[0].numpy()[:, 3:], out[3].numpy(), rtol=1e-6)


def test_time_distributed_applies_the_layer_to_every_step():
    x = rng.normal(size=(2, 4, 3)).astype(np.float32)
    td = layers.TimeDistributed(layers.Dense(5, activation="relu"))
    y = td(x).numpy()
    k, b = td.get_weights()
    np.testing.assert_allclose(y, np.maximum(x @ k + b, 0), rtol=1e-5, atol=1e-6)
    conv = layers.TimeDistributed(layers.Conv2D(2, 3))
    assert conv(rng.normal(size=(2, 3, 5, 5, 1)).astype(np.float32)).shape == (2, 3, 3, 3, 2)
    assert conv.compute_output_shape((None, 3, 5, 5, 1)) == (None, 3, 3, 3, 2)


# -- state ----------------------------------------------------------------------------------------
def test_stateful_lstm_carries_states_between_batches_until_reset():
    x = rng.normal(size=(2, 6, 3)).astype(np.float32)
    whole = layers.LSTM(4, return_sequences=True)
    full = whole(x).numpy()
    st = layers.LSTM(4, return_sequences=True, stateful=True)
    st(x[:, :1])
    st.set_weights(whole.get_weights())
    st.reset_states()
    a = st(x[:, :3]).numpy()
    b = st(x[:, 3:]).numpy()
    np.testing.assert_allclose(np.concatenate([a, b], 1), full, rtol=1e-5, atol=1e-6)
    st.reset_states()
    np.testing.assert_allclose(st(x[:, :3]).numpy(), full[:, :3], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="stateful with batch size 2 but got a batch of 1"):
        st(x[:1])


def test_initial_state_as_model_inputs_survives_save_and_load(tmp_path):
    x_in = keras.Input((5, 3))
    h_in, c_in = keras.Input((4,)), keras.Input((4,))
    seq, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(
        x_in, initial_state=[h_in, c_in])
    out = layers.Dense(1)(layers.Concatenate()([h, c]))
    model = keras.Model([x_in, h_in, c_in], [seq, out])
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    h0 = rng.normal(size=(2, 4)).astype(np.float32)
    c0 = rng.normal(size=(2, 4)).astype(np.float32)
    got = model.predict([x, h0, c0], verbose=0)
    lstm = model.layers[3] if isinstance(model.layers[3], layers.LSTM) else \
        [layer for layer in model.layers if isinstance(layer, layers.LSTM)][0]
    want = ref_loop(lstm_cell, [w.astype(np.float64) for w in lstm.get_weights()],
                    x.astype(np.float64), None, h0, c0)[0]
    np.testing.assert_allclose(got[0], want, rtol=1e-4, atol=1e-5)
    path = tmp_path / "init_state.keras"
    model.save(path)
    again = keras.models.load_model(path).predict([x, h0, c0], verbose=0)
    for a, b in zip(got, again):
        np.testing.assert_allclose(a, b, rtol=1e-6)


# -- errors ---------------------------------------------------------------------------------------
def test_ragged_input_says_to_pad_sequences():
    with pytest.raises(ValueError, match=r"Embedding 'emb' got a ragged input: a list of 3 "
                                         r"sequences of different lengths \(2, 3, 5\).*"
                                         r"pad_sequences"):
        layers.Embedding(10, 2, name="emb")(SEQS)
    with pytest.raises(ValueError, match=r"LSTM 'l' got a ragged input"):
        layers.LSTM(2, name="l")([[[1.0], [2.0]], [[1.0]]])
    # a padded list of lists is fine
    assert layers.Embedding(10, 2)(keras.preprocessing.pad_sequences(SEQS)).shape == (3, 5, 2)


def test_sequence_layer_errors_name_the_layer_and_the_fix():
    with pytest.raises(ValueError, match=r"LSTM 'l2' expects input of rank 3 \(batch, "
                                         r"timesteps, features\).*\(4, 7\)"):
        layers.LSTM(3, name="l2")(np.zeros((4, 7), np.float32))
    with pytest.raises(ValueError, match=r"Embedding 'e2': index 12 is out of range for "
                                         r"input_dim=10.*vocabulary size \+ 1"):
        layers.Embedding(10, 2, name="e2")(np.array([[1, 12]]))
    with pytest.raises(ValueError, match=r"GRU 'g' has 1 state\(s\) but got 2 initial state"):
        layers.GRU(3, name="g")(np.zeros((2, 4, 1), np.float32),
                                initial_state=[np.zeros((2, 3)), np.zeros((2, 3))])
    with pytest.raises(ValueError, match="Bidirectional: layer must be a recurrent layer"):
        layers.Bidirectional(layers.Dense(3))


# -- training and serialization -----------------------------------------------------------------
def test_an_embedding_lstm_classifier_learns_and_round_trips(tmp_path):
    r = np.random.default_rng(0)
    seqs = [list(r.integers(1, 9, size=r.integers(2, 8))) for _ in range(96)]
    y = np.array([float(5 in s or 6 in s) for s in seqs], np.float32)
    x = keras.preprocessing.pad_sequences(seqs, maxlen=8)
    model = keras.Sequential([
        layers.Embedding(9, 8, mask_zero=True, input_length=8),
        layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
        layers.TimeDistributed(layers.Dense(4, activation="tanh")),
        layers.GRU(6, dropout=0.1, recurrent_dropout=0.1),
        layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 0.6 * before
    path = tmp_path / "seq.keras"
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    assert [type(layer).__name__ for layer in again.layers] == [
        "Embedding", "Bidirectional", "TimeDistributed", "GRU", "Dense"]


@pytest.mark.parametrize("layer", [
    layers.Embedding(7, 3, mask_zero=True, embeddings_regularizer="l2"),
    layers.Masking(mask_value=-2.0),
    layers.SimpleRNN(3, activation="relu", return_sequences=True, go_backwards=True),
    layers.LSTM(3, recurrent_activation="hard_sigmoid", unit_forget_bias=False, stateful=True,
                dropout=0.2, recurrent_dropout=0.1, return_state=True),
    layers.GRU(3, reset_after=False, use_bias=False, kernel_initializer="he_normal"),
    layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True), merge_mode="sum"),
    layers.TimeDistributed(layers.Dense(2, activation="relu")),
], ids=lambda layer: type(layer).__name__)
def test_config_round_trip(layer):
    cfg = layer.get_config()
    clone = layers.deserialize(layers.serialize(layer))
    assert type(clone) is type(layer)
    assert clone.get_config() == cfg


def test_unit_forget_bias_initializes_the_forget_gate_to_one():
    lstm = layers.LSTM(3)
    lstm(np.zeros((1, 2, 2), np.float32))
    np.testing.assert_array_equal(lstm.get_weights()[2], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert [w.shape for w in lstm.get_weights()] == [(2, 12), (3, 12), (12,)]
    gru = layers.GRU(3)
    gru(np.zeros((1, 2, 2), np.float32))
    assert [w.shape for w in gru.get_weights()] == [(2, 9), (3, 9), (2, 9)]


def test_model_reset_states_resets_stateful_layers():
    import numpy as np
    from tensorbridge.engine import keras

    model = keras.Sequential([keras.layers.LSTM(3, stateful=True, batch_size=1,
                                                input_shape=(4, 2))])
    x = np.random.default_rng(0).random((1, 4, 2)).astype("float32")
    first = model.predict(x, verbose=0)
    carried = model.predict(x, verbose=0)  # starts from the state the first call left
    model.reset_states()
    again = model.predict(x, verbose=0)
    np.testing.assert_allclose(again, first, rtol=1e-6)
    assert not np.allclose(carried, first)
