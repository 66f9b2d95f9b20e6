"""Feature columns turn raw features into ids and numbers as tf.feature_column
documents; each expectation below is worked out by hand."""

import zlib

import numpy as np
import pytest
from tensorbridge import estimators as est


def test_numeric_column_fills_or_reports_missing_values():
    col = est.numeric_column("x", default_value=-1.0)
    np.testing.assert_array_equal(col.dense({"x": np.array([1.5, np.nan])}), [[1.5], [-1.0]])
    with pytest.raises(ValueError, match=r"numeric_column\('x'\) has missing values.*row 2"):
        est.numeric_column("x").dense({"x": np.array([1.0, np.nan])})
    with pytest.raises(TypeError, match="give numbers"):
        est.numeric_column("x").dense({"x": np.array(["a"], dtype=object)})
    with pytest.raises(ValueError, match=r"needs the feature 'x'.*\['y'\]"):
        est.numeric_column("x").dense({"y": np.ones(2)})
    scaled = est.numeric_column("x", normalizer_fn=lambda v: (v - 1) / 2)
    np.testing.assert_allclose(scaled.dense({"x": np.array([1.0, 3.0])}), [[0.0], [1.0]])


def test_bucketized_column_buckets_are_closed_on_the_left():
    col = est.bucketized_column(est.numeric_column("age"), [0, 10])
    # (-inf, 0) -> 0, [0, 10) -> 1, [10, inf) -> 2
    ids = col.ids({"age": np.array([-1.0, 0.0, 5.0, 10.0, 99.0])})
    np.testing.assert_array_equal(ids, [0, 1, 1, 2, 2])
    assert col.num_buckets == 3
    np.testing.assert_array_equal(col.one_hot({"age": np.array([5.0])}), [[0, 1, 0]])
    with pytest.raises(ValueError, match="strictly increasing"):
        est.bucketized_column(est.numeric_column("age"), [3, 1])


def test_vocabulary_column_default_and_out_of_vocabulary_buckets():
    col = est.categorical_column_with_vocabulary_list("c", ["a", "b"])
    np.testing.assert_array_equal(col.ids({"c": np.array(["b", "z", "a"], dtype=object)}),
                                  [1, -1, 0])
    np.testing.assert_array_equal(col.one_hot({"c": np.array(["z", "a"], dtype=object)}),
                                  [[0, 0], [1, 0]])  # no id: an all-zero row
    oov = est.categorical_column_with_vocabulary_list("c", ["a", "b"], num_oov_buckets=3)
    assert oov.num_buckets == 5
    assert oov.ids({"c": np.array(["z"], dtype=object)})[0] == 2 + zlib.crc32(b"z") % 3
    with pytest.raises(ValueError, match="duplicates"):
        est.categorical_column_with_vocabulary_list("c", ["a", "a"])


def test_identity_hash_and_crossed_columns():
    col = est.categorical_column_with_identity("k", 4)
    np.testing.assert_array_equal(col.ids({"k": np.array([3, 0])}), [3, 0])
    with pytest.raises(ValueError, match=r"value 4.0 in row 2 is not an integer in \[0, 4\)"):
        col.ids({"k": np.array([1, 4])})
    np.testing.assert_array_equal(
        est.categorical_column_with_identity("k", 4, default_value=0).ids({"k": np.array([7])}),
        [0])
    hashed = est.categorical_column_with_hash_bucket("w", 10)
    assert hashed.ids({"w": np.array(["cat"], dtype=object)})[0] == zlib.crc32(b"cat") % 10
    cross = est.crossed_column(["a", "b"], 7)
    got = cross.ids({"a": np.array(["x"], dtype=object), "b": np.array([2])})[0]
    assert got == zlib.crc32(b"x\x1f2") % 7


def test_indicator_and_embedding_columns_wrap_categorical_ones():
    cat = est.categorical_column_with_vocabulary_list("c", ["a", "b", "c"])
    ind = est.indicator_column(cat)
    assert ind.width == 3
    np.testing.assert_array_equal(ind.dense({"c": np.array(["c"], dtype=object)}), [[0, 0, 1]])
    with pytest.raises(TypeError, match="needs a categorical column"):
        est.embedding_column(est.numeric_column("x"), 2)


def test_whole_numbers_are_the_same_category_whatever_their_numeric_type():
    # R hands numbers over as doubles: c(4, 6, 8) is 4.0, 6.0, 8.0
    col = est.categorical_column_with_vocabulary_list("cyl", [4, 6, 8])
    np.testing.assert_array_equal(col.ids({"cyl": np.array([8.0, 4.0, 6.0, 5.0])}), [2, 0, 1, -1])
    np.testing.assert_array_equal(col.ids({"cyl": np.array([8, 4], dtype=np.int32)}), [2, 0])
    hashed = est.categorical_column_with_hash_bucket("cyl", 1000)
    expected = [zlib.crc32(b"4") % 1000, zlib.crc32(b"4.5") % 1000]
    np.testing.assert_array_equal(hashed.ids({"cyl": np.array([4.0, 4.5])}), expected)
    np.testing.assert_array_equal(hashed.ids({"cyl": np.array([4, 4])}), [expected[0]] * 2)
    crossed = est.crossed_column(["a", "b"], 97)
    as_floats = crossed.ids({"a": np.array([1.0]), "b": np.array(["x"], dtype=object)})
    as_ints = crossed.ids({"a": np.array([1]), "b": np.array(["x"], dtype=object)})
    np.testing.assert_array_equal(as_floats, as_ints)
