"""Integer tensors: division by zero and overflow are errors (R gives NA, TF raises),
never a silently wrapped number. Expected values come from Python's exact integers."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import host

I32 = np.iinfo(np.int32)
I64 = np.iinfo(np.int64)
OVERFLOW = r"integer overflow: the result does not fit in {}"


def i32(v):
    return tf.constant(np.asarray(v, dtype=np.int32))


def i64(v):
    return tf.constant(np.asarray(v, dtype=np.int64))


@pytest.mark.parametrize("op", ["floordiv", "mod"])
def test_integer_division_by_zero_is_an_error(op):
    fn = getattr(tf, op)
    with pytest.raises(tf.InvalidArgumentError,
                       match=f"{op}: Integer division by zero: the int32 divisor holds 0"):
        fn(i32([7, 8]), i32([2, 0]))
    with pytest.raises(tf.InvalidArgumentError, match="Integer division by zero"):
        fn(i64([7]), 0)
    # floats keep IEEE semantics (inf / nan), as in TF and R
    assert np.isinf(host(tf.floordiv(tf.constant([1.0]), 0.0)))[0]


def test_integer_division_results_match_python():
    a, b = [7, -7, 7, -7, 0], [2, 2, -2, -2, 3]
    np.testing.assert_array_equal(host(i32(a) // i32(b)), [x // y for x, y in zip(a, b)])
    np.testing.assert_array_equal(host(i32(a) % i32(b)), [x % y for x, y in zip(a, b)])


@pytest.mark.parametrize("make,info,name", [(i32, I32, "int32"), (i64, I64, "int64")])
def test_overflow_of_elementwise_ops_is_an_error(make, info, name):
    msg = OVERFLOW.format(name)
    cases = [
        ("add", lambda: make([info.max, 1]) + make([1, 1])),
        ("subtract", lambda: make([info.min, 0]) - make([1, 1])),
        ("multiply", lambda: make([info.max // 2 + 1, 3]) * make([2, 1])),
        ("multiply", lambda: make([-1]) * make([info.min])),
        ("negative", lambda: -make([info.min, 3])),
        ("abs", lambda: tf.abs(make([info.min]))),
        ("pow", lambda: make([3]) ** make([60])),
        ("floordiv", lambda: make([info.min]) // make([-1])),
    ]
    for op, fn in cases:
        with pytest.raises(tf.InvalidArgumentError, match=f"{op}: {msg}"):
            fn()


@pytest.mark.parametrize("make,info,name", [(i32, I32, "int32"), (i64, I64, "int64")])
def test_overflow_of_reductions_is_an_error(make, info, name):
    msg = OVERFLOW.format(name)
    big = make([info.max, info.max // 2, 5])
    with pytest.raises(tf.InvalidArgumentError, match=f"reduce_sum: {msg}"):
        tf.reduce_sum(big)
    with pytest.raises(tf.InvalidArgumentError, match=f"reduce_prod: {msg}"):
        tf.reduce_prod(big)
    with pytest.raises(tf.InvalidArgumentError, match=f"cumsum: {msg}"):
        tf.cumsum(big)
    # a sum whose partial sums overflow but whose result fits is exact (two's complement)
    vals = [info.max, 10, -20]
    assert int(host(tf.reduce_sum(make(vals)))) == sum(vals)
    np.testing.assert_array_equal(host(tf.cumsum(make([1, 2, -3]))), [1, 3, 0])


def test_results_near_the_limits_are_exact():
    rng = np.random.default_rng(0)
    for make, info in ((i32, I32), (i64, I64)):
        a = [int(v) for v in rng.integers(-(2 ** 20), 2 ** 20, size=50)]
        b = [int(v) for v in rng.integers(-(2 ** 10), 2 ** 10, size=50)]
        np.testing.assert_array_equal(host(make(a) * make(b)), [x * y for x, y in zip(a, b)])
        np.testing.assert_array_equal(host(make(a) - make(b)), [x - y for x, y in zip(a, b)])
        assert int(host(make([info.max - 1]) + make([1]))[0]) == info.max
        assert int(host(make([info.min + 1]) - make([1]))[0]) == info.min
        assert int(host(make([info.max]) * make([-1]))[0]) == -info.max
        assert int(host(make([2]) ** make([30]))[0]) == 2 ** 30
        assert int(host(tf.reduce_prod(make([2] * 30)))) == 2 ** 30
        assert int(host(tf.reduce_sum(make([info.max // 2, info.max // 2])))) == \
            (info.max // 2) * 2


def test_negative_integer_power_is_an_error():
    with pytest.raises(tf.InvalidArgumentError, match="negative integer power"):
        i32([2]) ** i32([-1])


def test_cast_into_int_that_does_not_fit_is_an_error():
    with pytest.raises(tf.InvalidArgumentError,
                       match=r"the value 3000000000.0 does not fit in int32 "
                             r"\(-2147483648 .. 2147483647\)"):
        tf.constant(3e9, dtype="int32")
    with pytest.raises(tf.InvalidArgumentError, match="does not fit in int32"):
        tf.constant(np.array([2 ** 40], dtype=np.int64), dtype="int32")
    assert int(host(tf.constant(2147483647.0, dtype="int32"))) == 2 ** 31 - 1
    assert host(tf.constant(3e9, dtype="int64")) == 3000000000


def test_tf_cast_into_int_that_does_not_fit_is_an_error():
    expected = r"cast: the value 5000000000.0 does not fit in int32"
    with pytest.raises(tf.InvalidArgumentError, match=expected):
        tf.cast(tf.constant([1.0, 5e9], dtype="float64"), "int32")
    with pytest.raises(tf.InvalidArgumentError, match="cast: cannot convert NaN to int64"):
        tf.cast(tf.constant([np.nan]), "int64")
    np.testing.assert_array_equal(host(tf.cast(tf.constant([1.9, -1.9]), "int32")), [1, -1])
