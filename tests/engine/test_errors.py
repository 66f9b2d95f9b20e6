"""Bad input raises an engine error naming the op, the shapes and what was expected."""

import numpy as np
import pytest
import tensorbridge.engine as tf


@pytest.fixture(autouse=True)
def _on_cpu():
    """These tests state CPU facts (zero-copy wraps, eager index checks): pin the device."""
    with tf.device("cpu"):
        yield

X23 = np.ones((2, 3))


def c(a):
    return tf.constant(a)


CASES = [
    ("matmul inner", lambda: tf.matmul(c(np.ones((2, 3))), c(np.ones((4, 5)))),
     tf.InvalidArgumentError,
     r"^matmul: inner dimensions differ: a is \(2, 3\), b is \(4, 5\); "
     r"expected a.shape\[-1\] == b.shape\[-2\]$"),
    ("matmul rank", lambda: tf.matmul(c(np.ones(3)), c(X23)), tf.InvalidArgumentError,
     r"matmul: a is \(3,\), b is \(2, 3\); expected tensors of rank >= 2"),
    ("matmul batch", lambda: tf.matmul(c(np.ones((2, 2, 3))), c(np.ones((3, 3, 4)))),
     tf.InvalidArgumentError, r"matmul: batch dimensions do not broadcast: a is \(2, 2, 3\)"),
    ("add broadcast", lambda: c(X23) + c(np.ones(4)), tf.InvalidArgumentError,
     r"add: shapes are not broadcast-compatible: x is \(2, 3\), y is \(4,\); expected"),
    ("dtype mismatch", lambda: tf.multiply(c(X23), c(np.ones((2, 3), np.float32))),
     tf.InvalidDTypeError, r"multiply: dtypes differ: x is float64 \(2, 3\), y is float32"),
    ("int with float scalar", lambda: c(np.ones(3, np.int32)) * 0.5, tf.InvalidDTypeError,
     r"multiply: cannot combine a int32 tensor of shape \(3,\) with the Python float 0.5"),
    ("float op on ints", lambda: tf.sqrt(c(np.arange(3))), tf.InvalidDTypeError,
     r"sqrt: expected a floating tensor, got int64 of shape \(3,\)"),
    ("reduce axis", lambda: tf.reduce_sum(c(X23), axis=2), tf.OutOfRangeError,
     r"reduce_sum: axis 2 is out of range for a tensor of rank 2 with shape \(2, 3\); "
     r"expected -2 <= axis < 2"),
    ("softmax axis", lambda: tf.nn.softmax(c(X23), axis=-3), tf.OutOfRangeError,
     r"softmax: axis -3 is out of range .* shape \(2, 3\)"),
    ("concat axis", lambda: tf.concat([c(X23), c(X23)], axis=5), tf.OutOfRangeError,
     r"concat: axis 5 is out of range"),
    ("concat shapes", lambda: tf.concat([c(X23), c(np.ones((3, 3)))], axis=1),
     tf.InvalidArgumentError, r"concat: shapes \(2, 3\), \(3, 3\) differ outside axis 1"),
    ("stack shapes", lambda: tf.stack([c(X23), c(np.ones(3))]), tf.InvalidArgumentError,
     r"stack: shapes \(2, 3\), \(3,\) differ; expected"),
    ("index past end", lambda: c(X23)[5], tf.OutOfRangeError,
     r"getitem: index 5 is out of bounds for axis 0 with size 2 \(tensor shape \(2, 3\)"),
    ("index past end axis 1", lambda: c(X23)[:, 3], tf.OutOfRangeError,
     r"getitem: index 3 is out of bounds for axis 1 with size 3"),
    ("too many indices", lambda: c(X23)[0, 0, 0], tf.OutOfRangeError,
     r"getitem: too many indices .*\(2, 3\)"),
    ("gather range", lambda: tf.gather(c(X23), [0, 2]), tf.OutOfRangeError,
     r"gather: index 2 is out of range for params of shape \(2, 3\) along axis 0; "
     r"expected 0 <= index < 2"),
    ("reshape size", lambda: tf.reshape(c(X23), (4, 2)), tf.InvalidArgumentError,
     r"reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\) into shape \(4, 2\) "
     r"\(8 elements\); expected the same number"),
    ("transpose perm", lambda: tf.transpose(c(X23), [0, 0]), tf.InvalidArgumentError,
     r"transpose: perm \(0, 0\) is not a permutation .* \(2, 3\)"),
    ("squeeze non-1", lambda: tf.squeeze(c(X23), 1), tf.InvalidArgumentError,
     r"squeeze: cannot squeeze axis 1 of shape \(2, 3\) \(size 3\); expected that dimension "
     r"to be 1"),
    ("split uneven", lambda: tf.split(c(X23), 2, axis=1), tf.InvalidArgumentError,
     r"split: dimension 1 of shape \(2, 3\) \(size 3\) cannot be split into 2 equal parts"),
    ("tile multiples", lambda: tf.tile(c(X23), [2]), tf.InvalidArgumentError,
     r"tile: multiples \(2,\) for a tensor of shape \(2, 3\); expected 2"),
    ("tensordot dims", lambda: tf.tensordot(c(X23), c(X23), 1), tf.InvalidArgumentError,
     r"tensordot: contracted dimensions differ: a is \(2, 3\) \(axis 1\), b is \(2, 3\) "
     r"\(axis 0\)"),
    ("xent shapes", lambda: tf.nn.softmax_cross_entropy_with_logits(c(X23), c(np.ones((2, 4)))),
     tf.InvalidArgumentError,
     r"softmax_cross_entropy_with_logits: labels are \(2, 3\), logits are \(2, 4\); expected"),
    ("sparse label range",
     lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(c(np.array([0, 3])), c(X23)),
     tf.OutOfRangeError, r"label 3 is out of range for logits of shape \(2, 3\); expected "
     r"0 <= label < 3"),
    ("sparse label dtype",
     lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(c(np.array([0.0, 1.0])), c(X23)),
     tf.InvalidDTypeError, r"labels must be integers, got float64 of shape \(2,\)"),
    ("conv channels", lambda: tf.nn.conv2d(c(np.ones((1, 4, 4, 3))), c(np.ones((2, 2, 2, 5))),
                                           1, "VALID"),
     tf.InvalidArgumentError, r"conv2d: input channels differ: input is \(1, 4, 4, 3\), filters "
     r"are \(2, 2, 2, 5\); expected input.shape\[3\] == filters.shape\[2\]"),
    ("conv rank", lambda: tf.nn.conv2d(c(np.ones((4, 4, 3))), c(np.ones((2, 2, 3, 5))), 1,
                                       "VALID"),
     tf.InvalidArgumentError, r"conv2d: input is \(4, 4, 3\), filters are \(2, 2, 3, 5\); "
     r"expected input of rank 4"),
    ("conv padding", lambda: tf.nn.conv2d(c(np.ones((1, 4, 4, 3))), c(np.ones((2, 2, 3, 5))),
                                          1, "FULL"),
     tf.InvalidArgumentError, r"conv2d: padding 'FULL'; expected 'SAME', 'VALID'"),
    ("pool too big", lambda: tf.nn.max_pool2d(c(np.ones((1, 2, 2, 1))), 3, 1, "VALID"),
     tf.InvalidArgumentError, r"max_pool2d: window of effective size 3 .* larger than the padded "
     r"input size 2"),
    ("where cond dtype", lambda: tf.where(c(X23), c(X23), c(X23)), tf.InvalidDTypeError,
     r"where: condition must be bool, got float64 of shape \(2, 3\)"),
    ("dropout rate", lambda: tf.nn.dropout(c(X23), 1.5), tf.InvalidArgumentError,
     r"dropout: rate 1.5 for x of shape \(2, 3\); expected 0 <= rate < 1"),
    ("bool of tensor", lambda: bool(c(X23)), tf.InvalidArgumentError,
     r"bool: the truth value of a tensor of shape \(2, 3\) is ambiguous"),
    ("unsupported dtype", lambda: tf.constant(np.array(["a", "b"])), tf.InvalidDTypeError,
     r"convert_to_tensor: unsupported dtype <U1 of shape \(2,\)"),
    ("random negative shape", lambda: tf.random.normal((2, -1)), tf.InvalidArgumentError,
     r"random.normal: shape \(2, -1\) has a negative dimension"),
]


@pytest.mark.parametrize("name,fn,exc,pattern", CASES, ids=[k[0] for k in CASES])
def test_bad_input_message(name, fn, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        fn()
    assert isinstance(info.value, tf.TensorBridgeError)


def test_error_hierarchy_is_pythonic():
    assert issubclass(tf.InvalidArgumentError, ValueError)
    assert issubclass(tf.OutOfRangeError, IndexError)
    assert issubclass(tf.InvalidDTypeError, TypeError)
    # iteration protocols relying on IndexError keep working
    assert [float(v) for v in tf.constant([1.0, 2.0])] == [1.0, 2.0]
