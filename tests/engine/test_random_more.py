"""tf.random.shuffle, categorical and the stateless draws: permutations, frequencies within
four standard errors of softmax(logits), and same seed, same values."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine.errors import InvalidArgumentError


def test_shuffle_is_a_permutation_of_the_rows():
    x = np.arange(20).reshape(10, 2)
    got = tf.random.shuffle(tf.constant(x), seed=3).numpy()
    assert sorted(map(tuple, got)) == sorted(map(tuple, x))
    assert not np.array_equal(got, x)
    tf.random.set_seed(7)
    a = tf.random.shuffle(tf.constant(x)).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(a, tf.random.shuffle(tf.constant(x)).numpy())


def test_categorical_draws_follow_the_softmax():
    logits = np.log(np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]))
    n = 20000
    draws = tf.random.categorical(tf.constant(logits), n, seed=1).numpy()
    assert draws.shape == (2, n) and draws.dtype == np.int64
    probs = np.exp(logits)
    for row in range(2):
        freq = np.bincount(draws[row], minlength=3) / n
        se = np.sqrt(probs[row] * (1 - probs[row]) / n)
        assert np.all(np.abs(freq - probs[row]) < 4 * se), (freq, probs[row])
    assert tf.random.categorical(tf.constant(logits), 3, dtype=tf.int32).dtype == tf.int32
    with pytest.raises(InvalidArgumentError, match="batch, classes"):
        tf.random.categorical(tf.constant([0.0, 1.0]), 2)


def test_stateless_draws_depend_on_the_seed_alone():
    a = tf.random.stateless_uniform((4,), seed=[1, 2]).numpy()
    tf.random.normal((10,))  # other draws in between change nothing
    np.testing.assert_array_equal(a, tf.random.stateless_uniform((4,), seed=[1, 2]).numpy())
    assert not np.array_equal(a, tf.random.stateless_uniform((4,), seed=[2, 1]).numpy())
    n = tf.random.stateless_normal((3, 2), seed=[5, 6], mean=1.0, dtype=tf.float64).numpy()
    np.testing.assert_array_equal(
        n, tf.random.stateless_normal((3, 2), seed=[5, 6], mean=1.0, dtype=tf.float64).numpy())
    with pytest.raises(InvalidArgumentError, match="two whole numbers"):
        tf.random.stateless_normal((2,), seed=3)


def test_a_host_random_state_seeds_the_streams_until_an_engine_seed_is_set():
    """The bridge hands R's state as (draw, seed) tokens; a new token reseeds."""
    import threading

    from tensorbridge.engine import random as r

    token = [(1, 42)]
    try:
        tf.random.set_seed(None)
        r.set_host_seed_source(lambda: token[0])
        a = tf.random.normal((3,)).numpy()
        b = tf.random.normal((3,)).numpy()  # the same token: the stream goes on
        token[0] = (2, 42)  # the host was reseeded to the same state
        np.testing.assert_array_equal(tf.random.normal((3,)).numpy(), a)
        assert not np.array_equal(a, b)
        token[0] = (3, 43)
        assert not np.array_equal(tf.random.normal((3,)).numpy(), a)
        # other threads never call the host; they draw from the current streams
        seen = []
        t = threading.Thread(target=lambda: seen.append(tf.random.normal((1,)).numpy()))
        token[0] = None
        t.start()
        t.join()
        assert len(seen) == 1
        tf.random.set_seed(9)  # an engine seed wins over the host
        c = tf.random.normal((3,)).numpy()
        token[0] = (4, 44)
        tf.random.set_seed(9)
        np.testing.assert_array_equal(tf.random.normal((3,)).numpy(), c)
    finally:
        r.set_host_seed_source(None)
        tf.random.set_seed(None)


def test_config_lists_the_engines_devices():
    devices = tf.config.list_physical_devices()
    assert [d.device_type for d in devices] == \
        ["CPU" if n == "cpu" else "GPU" for n in tf.list_devices()]
    assert len(tf.config.list_physical_devices("GPU")) == len(tf.list_devices()) - 1
    with pytest.raises(InvalidArgumentError, match="'CPU' or 'GPU'"):
        tf.config.list_physical_devices("TPU")
