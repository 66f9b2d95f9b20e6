"""Bad hyper-parameters fail at construction with one message form; a non-finite loss
stops fit() before it reaches the weights; predict() on zero / one rows and without
copying its whole input; trainable = False freezes."""

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers
from tensorbridge.engine.keras.model import NonFiniteLossError

L, OPT = layers, keras.optimizers
NAN, INF = float("nan"), float("inf")
SHAPE = "must be a positive integer or a sequence of positive integers"

# (constructor, exact start of the message)
BAD_LAYERS = [
    (lambda: L.Dense(2.5), "Dense: units must be a positive integer, got 2.5"),
    (lambda: L.Dense(0), "Dense: units must be a positive integer, got 0"),
    (lambda: L.Dense(-3), "Dense: units must be a positive integer, got -3"),
    (lambda: L.Dense("8"), "Dense: units must be a positive integer, got '8'"),
    (lambda: L.Dense(True), "Dense: units must be a positive integer, got True"),
    (lambda: L.Dense(NAN), "Dense: units must be a positive integer, got nan"),
    (lambda: L.Dense(4, activation=42),
     "Dense: activation must be an activation name (e.g. 'relu'), a function or None, got 42"),
    (lambda: L.Dense(4, activation="relux"), "Dense: unknown activation 'relux'"),
    (lambda: L.Dense(4, use_bias="yes"),
     "Dense: use_bias must be a boolean (True or False), got 'yes'"),
    (lambda: L.Dense(4, input_shape=-5), f"Dense: input_shape {SHAPE}"),
    (lambda: L.Dense(4, input_shape=0), f"Dense: input_shape {SHAPE}"),
    (lambda: L.Dense(4, input_shape=(3, 0)), f"Dense: input_shape {SHAPE}"),
    (lambda: L.Dense(4, input_dim=2.5), "Dense: input_dim must be a positive integer, got 2.5"),
    (lambda: L.Dense(4, trainable="no"), "Dense: trainable must be a boolean"),
    (lambda: keras.Input(shape=-1), f"Input: shape {SHAPE}"),
    (lambda: keras.Input(shape=0), f"Input: shape {SHAPE}"),
    (lambda: keras.Input(shape=(2.5,)), f"Input: shape {SHAPE}"),
    (lambda: L.Dropout(1.0), "Dropout: rate must be a number in [0, 1), got 1.0"),
    (lambda: L.Dropout(-0.1), "Dropout: rate must be a number in [0, 1), got -0.1"),
    (lambda: L.Dropout(NAN), "Dropout: rate must be a number in [0, 1), got nan"),
    (lambda: L.Activation(3), "Activation: activation must be an activation name"),
    (lambda: L.RepeatVector(0), "RepeatVector: n must be a positive integer, got 0"),
    (lambda: L.Reshape((2, -1, -1)), "Reshape: target_shape must be a sequence of positive"),
    (lambda: L.GaussianNoise(-1), "GaussianNoise: stddev must be a non-negative number"),
    (lambda: L.Conv2D(0, 3), "Conv2D 'conv2d"),  # name suffix varies
    (lambda: L.Conv2D(4, 0), "Conv2D 'conv2d"),
    (lambda: L.Conv2D(4, 2.5), "Conv2D 'conv2d"),
    (lambda: L.Conv2D(4, 3, strides=0), "Conv2D 'conv2d"),
    (lambda: L.Conv2D(4, 3, dilation_rate=-1), "Conv2D 'conv2d"),
    (lambda: L.Conv1D(4, 3, activation=1.5), "Conv1D 'conv1d"),
    (lambda: L.MaxPooling2D(0), "MaxPooling2D 'max_pooling2d"),
    (lambda: L.LSTM(0), "LSTM 'lstm"),
    (lambda: L.LSTM(4, return_sequences="yes"), "LSTM 'lstm"),
    (lambda: L.GRU(4, dropout=1.5), "GRU 'gru"),
    (lambda: L.SimpleRNN(4, recurrent_dropout=-0.5), "SimpleRNN 'simple_rnn"),
    (lambda: L.Embedding(0, 4), "Embedding 'embedding"),
    (lambda: L.BatchNormalization(momentum=2), "BatchNormalization: momentum must be a number "
                                               "in [0, 1], got 2"),
    (lambda: L.LayerNormalization(epsilon=-1), "LayerNormalization: epsilon must be a "
                                               "non-negative number, got -1"),
]

@pytest.mark.parametrize("make,msg", BAD_LAYERS)
def test_bad_layer_hyper_parameters_fail_at_construction(make, msg):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value).startswith(msg), str(info.value)


@pytest.mark.parametrize("make,detail", [
    (lambda: L.Conv2D(0, 3), "filters must be a positive integer, got 0"),
    (lambda: L.Conv2D(4, 2.5), "kernel_size must be a positive integer or a tuple of 2 positive "
                               "integers, got 2.5"),
    (lambda: L.Conv2D(4, 3, dilation_rate=-1), "dilation_rate must be a positive integer"),
    (lambda: L.LSTM(0), "units must be a positive integer, got 0"),
    (lambda: L.LSTM(4, return_sequences="yes"),
     "return_sequences must be a boolean (True or False), got 'yes'"),
    (lambda: L.GRU(4, dropout=1.5), "dropout must be a number in [0, 1), got 1.5"),
    (lambda: L.Embedding(4, 0), "output_dim must be a positive integer, got 0"),
    (lambda: L.Conv1D(4, 3, activation=1.5), "activation must be an activation name"),
])
def test_conv_and_recurrent_messages_say_what_was_wrong(make, detail):
    with pytest.raises(ValueError) as info:
        make()
    assert detail in str(info.value)


def test_valid_values_from_r_are_accepted():
    # R numbers are doubles: whole doubles are whole numbers
    d = L.Dense(3.0, input_shape=(4.0,))
    assert d.units == 3 and d.input_shape == (None, 4)
    assert L.Conv2D(np.int64(2), (3.0, 3)).kernel_size == (3, 3)
    assert L.Dropout(0).rate == 0.0
    assert keras.Input(shape=(None, 3)).shape == (None, None, 3)


BAD_OPTIMIZERS = [
    (lambda: OPT.Adam(learning_rate=NAN),
     "Adam: learning_rate must be a non-negative finite number or a schedule, got nan"),
    (lambda: OPT.SGD(learning_rate=-0.1),
     "SGD: learning_rate must be a non-negative finite number or a schedule, got -0.1"),
    (lambda: OPT.RMSprop(learning_rate=INF), "RMSprop: learning_rate must be a non-negative"),
    (lambda: OPT.Adam(learning_rate="fast"), "Adam: learning_rate must be a non-negative"),
    (lambda: OPT.Adam(beta_1=1.0), "Adam: beta_1 must be a number in [0, 1), got 1.0"),
    (lambda: OPT.Adam(beta_2=-0.5), "Adam: beta_2 must be a number in [0, 1), got -0.5"),
    (lambda: OPT.Nadam(beta_1=NAN), "Nadam: beta_1 must be a number in [0, 1), got nan"),
    (lambda: OPT.Adamax(epsilon=-1e-7), "Adamax: epsilon must be a non-negative number"),
    (lambda: OPT.RMSprop(rho=1.5), "RMSprop: rho must be a number in [0, 1), got 1.5"),
    (lambda: OPT.RMSprop(momentum=-1), "RMSprop: momentum must be a non-negative number, got -1"),
    (lambda: OPT.Adadelta(rho=-0.1), "Adadelta: rho must be a number in [0, 1), got -0.1"),
    (lambda: OPT.Adagrad(initial_accumulator_value=-1), "Adagrad: initial_accumulator_value must"),
    (lambda: OPT.SGD(momentum=-0.5), "SGD: momentum must be a number in [0, 1], got -0.5"),
    (lambda: OPT.SGD(nesterov="yes"), "SGD: nesterov must be a boolean"),
    (lambda: OPT.SGD(clipnorm=-1), "SGD: clipnorm must be a positive number or None, got -1"),
    (lambda: OPT.Adam(clipvalue=0), "Adam: clipvalue must be a positive number or None, got 0"),
    (lambda: OPT.Adam(global_clipnorm=NAN), "Adam: global_clipnorm must be a positive number"),
    (lambda: OPT.AdamW(weight_decay=-1), "AdamW: weight_decay must be a non-negative number"),
]


@pytest.mark.parametrize("make,msg", BAD_OPTIMIZERS)
def test_bad_optimizer_hyper_parameters_fail_at_construction(make, msg):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value).startswith(msg), str(info.value)


def test_setting_a_nan_learning_rate_later_fails_too():
    opt = OPT.SGD(0.1)
    with pytest.raises(ValueError, match="SGD: learning_rate must be"):
        opt.learning_rate = NAN
    assert opt.learning_rate == pytest.approx(0.1)


def _model():
    m = keras.Sequential([L.Dense(4, activation="tanh", input_shape=(3,)), L.Dense(1)])
    m.compile(optimizer=OPT.SGD(0.01), loss="mse")
    return m


X = np.random.default_rng(0).normal(size=(20, 3))
Y = X @ np.array([1.0, -2.0, 0.5])


@pytest.mark.parametrize("kwargs,msg", [
    (dict(steps_per_epoch=-2), "fit: steps_per_epoch must be a positive integer or None, got -2"),
    (dict(steps_per_epoch=1.5), "fit: steps_per_epoch must be a positive integer or None"),
    (dict(epochs=-1), "fit: epochs must be a non-negative integer, got -1"),
    (dict(epochs=2.5), "fit: epochs must be a non-negative integer, got 2.5"),
    (dict(epochs="10"), "fit: epochs must be a non-negative integer, got '10'"),
    (dict(batch_size=0), "batch_size must be a positive whole number (e.g. 32), got 0"),
    (dict(batch_size=NAN), "batch_size must be a positive whole number"),
    (dict(validation_split=1.0), "validation_split must be a fraction in [0, 1)"),
    (dict(validation_split=-0.2), "validation_split must be a fraction in [0, 1)"),
    (dict(verbose=3), "fit: verbose must be 0 (silent), 1 (progress bar), 2 (one line per "
                      "epoch) or 'auto', got 3"),
    (dict(verbose="loud"), "fit: verbose must be 0"),
    (dict(epochs=2, initial_epoch=5), "fit: initial_epoch (5) is larger than epochs (2)"),
    (dict(initial_epoch=-1), "fit: initial_epoch must be a non-negative integer, got -1"),
    (dict(validation_freq=0), "fit: validation_freq must be a positive integer, got 0"),
    (dict(shuffle="yes"), "fit: shuffle must be a boolean"),
])
def test_bad_fit_arguments(kwargs, msg):
    m = _model()
    with pytest.raises(ValueError) as info:
        m.fit(X, Y, **kwargs)
    assert str(info.value).startswith(msg), str(info.value)


def test_bad_evaluate_and_predict_arguments():
    m = _model()
    with pytest.raises(ValueError, match=r"^evaluate: verbose must be 0"):
        m.evaluate(X, Y, verbose=7)
    with pytest.raises(ValueError, match=r"^evaluate: steps must be a positive integer or None, "
                                         r"got 0"):
        m.evaluate(X, Y, steps=0)
    with pytest.raises(ValueError, match=r"^predict: verbose must be 0"):
        m.predict(X, verbose=-1)
    with pytest.raises(ValueError, match=r"^batch_size must be a positive whole number"):
        m.predict(X, batch_size=0)
    with pytest.raises(ValueError, match=r"^get_layer: index must be an integer, got 0.5"):
        m.get_layer(index=0.5)
    assert m.get_layer(index=0) is m.layers[0]  # keras counts from 0 in Python
    assert m.get_layer(index=-1) is m.layers[-1]


# -- the non-finite loss guard -------------------------------------------------------------------
def _lin_model():
    """No saturating activation: a huge input gives an infinite squared error in float32."""
    m = keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(1)])
    m.compile(optimizer=OPT.SGD(0.01), loss="mse")
    return m


def test_non_finite_loss_stops_fit_naming_epoch_and_batch():
    m = _lin_model()
    m.fit(X, Y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    x = np.random.default_rng(1).normal(size=(16, 3))
    y = np.ones(16)
    # weights after batches 1 and 2 of the bad epoch (a twin model trained on those alone)
    twin = _lin_model()
    twin.set_weights(m.get_weights())
    twin.fit(x[:8], y[:8], epochs=1, batch_size=4, shuffle=False, verbose=0)
    # check_finite refuses NaN/Inf data up front, so the Inf must arise inside the model:
    # a huge input makes the squared error overflow float32
    bad_x = x.copy()
    bad_x[8:12] = 1e30
    with pytest.raises(NonFiniteLossError) as info:
        m.fit(bad_x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    msg = str(info.value)
    assert msg.startswith("fit: the loss became ") and "at epoch 1, batch 3 (counting from 1" \
        in msg, msg
    assert "callback_terminate_on_nan()" in msg
    for a, b in zip(m.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
        assert np.isfinite(a).all()


def test_terminate_on_nan_stops_cleanly(capsys):
    m = _lin_model()
    x = np.random.default_rng(2).normal(size=(16, 3))
    x[4:8] = 1e30
    w0 = m.get_weights()
    twin = _lin_model()
    twin.set_weights(w0)
    twin.fit(x[:4], np.ones(4), epochs=1, batch_size=4, shuffle=False, verbose=0)
    h = m.fit(x, np.ones(16), epochs=3, batch_size=4, shuffle=False, verbose=0,
              callbacks=[keras.callbacks.TerminateOnNaN()])
    out = capsys.readouterr().out
    assert "Batch 1: Invalid loss, terminating training" in out  # keras' 0-based batch
    assert len(h.epoch) == 1 and not math.isfinite(h.history["loss"][0])
    for a, b in zip(m.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


# -- predict ------------------------------------------------------------------------
def test_predict_zero_rows_gives_zero_rows_with_the_output_columns():
    m = keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2)])
    out = m.predict(np.zeros((0, 3)), verbose=0)
    assert out.shape == (0, 2)
    multi = keras.Model(*(lambda i: (i, [L.Dense(2)(i), L.Dense(5)(i)]))(keras.Input((3,))))
    outs = multi.predict(np.zeros((0, 3)), verbose=0)
    assert [o.shape for o in outs] == [(0, 2), (0, 5)]


def test_predict_one_row_data_frame_matches_the_matrix():
    m = keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2)])
    df = pd.DataFrame({"a": [0.5], "b": [-1.0], "c": [2.0]})
    expected = m.predict(np.array([[0.5, -1.0, 2.0]]), verbose=0)
    np.testing.assert_allclose(m.predict(df, verbose=0), expected, rtol=1e-6)


def test_predict_does_not_copy_its_whole_input():
    m = keras.Sequential([L.Dense(2, input_shape=(100,))])
    x = np.asfortranarray(np.random.default_rng(0).normal(size=(250_000, 100)))  # 200 MB, like R
    first = m.predict(x[:1000], verbose=0)
    tracemalloc.start()
    try:
        out = m.predict(x, batch_size=1024, verbose=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(out[:1000], first, rtol=1e-5)
    assert peak < x.nbytes / 10, f"peak {peak / 1e6:.0f} MB for a {x.nbytes / 1e6:.0f} MB input"


def test_fit_and_evaluate_do_not_copy_their_whole_input():
    m = keras.Sequential([L.Dense(1, input_shape=(100,))])
    m.compile(optimizer=OPT.SGD(0.001), loss="mse")
    rng = np.random.default_rng(0)
    x = np.asfortranarray(rng.normal(size=(125_000, 100)))  # 100 MB
    y = rng.normal(size=(125_000, 1))
    tracemalloc.start()
    try:
        m.fit(x, y, epochs=1, batch_size=4096, steps_per_epoch=3, verbose=0)
        m.evaluate(x[:20_000], y[:20_000], batch_size=4096, verbose=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < x.nbytes / 5, f"peak {peak / 1e6:.0f} MB for a {x.nbytes / 1e6:.0f} MB input"


# -- trainable ------------------------------------------------------------------------
def test_trainable_false_freezes_a_model_and_a_layer():
    m = _model()
    m.trainable = False
    assert m.trainable_weights == [] and len(m.non_trainable_weights) == 4
    m.compile(optimizer=OPT.SGD(0.1), loss="mse")
    before = m.get_weights()
    m.fit(X, Y, epochs=1, verbose=0)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)
    m.trainable = True
    m.layers[0].trainable = False
    assert m.layers[0].trainable_weights == [] and len(m.trainable_weights) == 2
    m.compile(optimizer=OPT.SGD(0.1), loss="mse")
    before = m.get_weights()
    m.fit(X, Y, epochs=1, verbose=0)
    after = m.get_weights()
    np.testing.assert_array_equal(before[0], after[0])
    assert not np.array_equal(before[2], after[2])
    with pytest.raises(ValueError, match="Dense: trainable must be a boolean"):
        m.layers[0].trainable = "no"


@pytest.mark.parametrize("get,bad", [
    (keras.activations.get, 42), (keras.activations.get, [1]),
    (keras.initializers.get, 3.5), (keras.regularizers.get, True),
])
def test_registry_lookup_refuses_values_that_are_not_identifiers(get, bad):
    expected = r"given by name \(a string\), as an object or as a function, not"
    with pytest.raises(TypeError, match=expected):
        get(bad)
