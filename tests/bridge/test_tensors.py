"""R's conventions for tensors (bridge/tensors.py), checked against numpy's
indexing and arithmetic on the same arrays; gradients flow through them."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.bridge import tensors

rng = np.random.default_rng(3)


def test_subset_translates_r_indices_to_numpy_ones():
    a = rng.normal(size=(3, 4, 5))
    t = tf.constant(a)
    got = tensors.subset(t, [np.array([2.0]), None, np.array([5, 1])]).numpy()
    np.testing.assert_array_equal(got, a[1][:, [4, 0]])
    got = tensors.subset(t, [np.array([True, False, True]), np.arange(2, 4), 3]).numpy()
    np.testing.assert_array_equal(got, a[[0, 2]][:, 1:3, 2])
    kept = tensors.subset(t, [2, None, None], drop=False).numpy()
    assert kept.shape == (1, 4, 5)
    with pytest.raises(IndexError, match="non-integer"):
        tensors.subset(t, [1.5, None, None])
    with pytest.raises(IndexError, match="logical index for axis 2 must have 4"):
        tensors.subset(t, [None, np.array([True, False]), None])


def test_subset_passes_gradients_to_the_selected_elements():
    a = rng.normal(size=(3, 4))
    v = tf.Variable(a)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tensors.subset(v, [np.array([3, 1]), np.array([2, 3])]))
    expected = np.zeros_like(a)
    expected[np.ix_([2, 0], [1, 2])] = 1.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), expected)


def test_r_values_meet_tensors_in_their_dtype():
    f = tf.constant(np.array([1.0, 2.0], np.float32))
    out = tensors.binary("+", f, np.array([0.5, 0.25]))
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), np.array([1.5, 2.25], np.float32))
    np.testing.assert_array_equal(tensors.binary("%/%", 7.0, tf.constant([2.0, -2.0])).numpy(),
                                  np.floor_divide(7.0, [2.0, -2.0]))
    with pytest.raises(TypeError, match="non-integer"):
        tensors.binary("*", tf.constant(np.array([1, 2], np.int32)), 0.5)
