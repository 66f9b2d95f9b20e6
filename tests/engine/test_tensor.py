"""Tensor construction, dtypes, the bridge contract, indexing, devices, randomness."""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import host


@pytest.fixture(autouse=True)
def _on_cpu():
    """These tests state CPU facts (zero-copy wraps, eager index checks): pin the device."""
    with tf.device("cpu"):
        yield


def test_numpy_arrays_keep_dtype_and_are_not_copied():
    for a in [np.arange(6.0).reshape(2, 3), np.arange(6, dtype=np.int32),
              np.array([True, False]), np.asfortranarray(np.ones((3, 4), np.float32)),
              np.arange(12.0)[::2]]:
        for fn in (tf.constant, tf.convert_to_tensor):
            t = fn(a)
            assert t.dtype.name == a.dtype.name
            assert t.numpy() is a  # zero-copy wrap, whatever the memory order
            assert np.shares_memory(np.asarray(t), a)
    f = np.asfortranarray(np.ones((3, 4)))
    assert tf.constant(f).numpy().flags.f_contiguous


def test_explicit_dtype_casts():
    a = np.arange(4.0)
    t = tf.constant(a, dtype=tf.float32)
    assert t.dtype == tf.float32 and not np.shares_memory(t.numpy(), a)
    assert tf.convert_to_tensor(a, dtype="int64").dtype == tf.int64
    assert tf.convert_to_tensor(tf.constant(a), dtype=tf.float16).dtype == tf.float16


def test_python_values_follow_tf_rules():
    assert tf.constant(1.5).dtype == tf.float32
    assert tf.constant([1.0, 2.0]).dtype == tf.float32
    assert tf.constant(3).dtype == tf.int32
    assert tf.constant([[1, 2], [3, 4]]).dtype == tf.int32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(2 ** 40).dtype == tf.int64
    assert tf.constant(0.0, shape=(2, 3)).shape == (2, 3)
    assert tf.constant([1, 2, 3, 4], shape=[2, 2]).shape == (2, 2)
    np.testing.assert_array_equal(host(tf.constant([1, 2], dtype=tf.float64)), [1.0, 2.0])


def test_metadata_and_repr():
    t = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert t.shape == (2, 3) and isinstance(t.shape, tuple)
    assert t.dtype.name == "float32" and t.dtype == tf.float32 and t.dtype == "float32"
    assert t.device == "cpu"
    assert repr(t).startswith("<tb.Tensor: shape=(2, 3), dtype=float32, numpy=\narray([[0., 1.")
    assert repr(tf.constant(1.5)) == "<tb.Tensor: shape=(), dtype=float32, numpy=1.5>"
    assert "tb.Variable 'v:0' shape=(2,)" in repr(tf.Variable([1.0, 2.0], name="v"))
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(3)) == 3
    assert len(t) == 2 and [r.shape for r in t] == [(3,), (3,)]
    np.testing.assert_array_equal(np.asarray(t), t.numpy())


def test_creation(dev):
    assert host(tf.zeros((2, 3))).sum() == 0 and tf.zeros((2, 3)).dtype == tf.float32
    np.testing.assert_array_equal(host(tf.ones([2], dtype=tf.int64)), [1, 1])
    np.testing.assert_array_equal(host(tf.fill((2, 2), 7)), np.full((2, 2), 7))
    assert tf.fill((1,), 0.5).dtype == tf.float32
    np.testing.assert_array_equal(host(tf.eye(2, 3)), np.eye(2, 3))
    assert tf.eye(2, batch_shape=[4]).shape == (4, 2, 2)
    np.testing.assert_array_equal(host(tf.range(5)), np.arange(5))
    assert tf.range(5).dtype == tf.int32 and tf.range(0.0, 1.0, 0.25).dtype == tf.float32
    np.testing.assert_allclose(host(tf.range(1, 2, 0.25)), [1, 1.25, 1.5, 1.75])
    x = tf.constant(np.ones((2, 2), np.int32))
    assert tf.zeros_like(x).dtype == tf.int32
    assert tf.ones_like(x, dtype="float64").dtype == tf.float64
    assert tf.zeros((1,)).device.startswith(dev)


def test_random_reproducible_per_device(dev):
    tf.random.set_seed(42)
    a = host(tf.random.normal((1000,)))
    b = host(tf.random.uniform((3, 4), minval=-1, maxval=2))
    c = host(tf.random.truncated_normal((1000,), stddev=2.0, dtype=tf.float64))
    tf.random.set_seed(42)
    np.testing.assert_array_equal(host(tf.random.normal((1000,))), a)
    np.testing.assert_array_equal(host(tf.random.uniform((3, 4), minval=-1, maxval=2)), b)
    np.testing.assert_array_equal(
        host(tf.random.truncated_normal((1000,), stddev=2.0, dtype=tf.float64)), c)
    assert abs(a.mean()) < 0.15 and abs(a.std() - 1) < 0.1  # 1000 draws: sd(mean) = 0.03
    assert b.min() >= -1 and b.max() < 2
    assert np.abs(c).max() <= 4.0 and c.dtype == np.float64
    assert not np.array_equal(host(tf.random.normal((1000,))), a)  # the stream advances
    i = host(tf.random.uniform((100,), 0, 5, dtype=tf.int32))
    assert i.dtype == np.int32 and i.min() >= 0 and i.max() < 5
    s1 = host(tf.random.normal((5,), seed=7))
    np.testing.assert_array_equal(host(tf.random.normal((5,), seed=7)), s1)


def test_device_scope_and_strings():
    assert tf.get_device("CPU").name == "cpu" and tf.get_device("/device:CPU:0").name == "cpu"
    with tf.device("cpu"):
        assert tf.ones(1).device == "cpu"
    t = tf.constant([1.0])
    assert t.to("cpu") is t
    with pytest.raises(tf.InvalidArgumentError, match="cannot parse device 'tpu'"):
        tf.get_device("tpu")


def test_cuda_unavailable_is_a_clear_error():
    if tf.cuda_is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(tf.UnavailableError, match="cuda backend"):
        tf.constant([1.0]).to("cuda")


def test_engine_imports_without_cupy_and_env_override():
    code = ("import sys, tensorbridge.engine as tf; t = tf.ones((2,)); "
            "print(t.device, 'cupy' in sys.modules)")
    env = dict(os.environ, TENSORBRIDGE_DEVICE="cpu")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["cpu", "False"]  # explicit cpu never imports cupy


def test_indexing_forward(dev):
    a = np.arange(24.0).reshape(2, 3, 4)
    t = tf.constant(a)
    for key in [1, (1, 2), (slice(None), 1), (Ellipsis, -1), (0, slice(None, None, -1)),
                (slice(None), slice(0, 3, 2), slice(1, None, 2)), (None, 1), ([1, 0],),
                (a[..., 0] > 5,), (slice(None), [0, 2], [1, 3])]:
        np.testing.assert_array_equal(host(t[key]), a[key])
    np.testing.assert_array_equal(host(t[tf.constant([1, 1])]), a[[1, 1]])
