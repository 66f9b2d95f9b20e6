"""Feature columns, as ``tf.feature_column``: how raw features (a dict of
arrays, one entry per input column) become the numbers a model sees.

Every categorical column maps values to integer ids in ``[0, num_buckets)``
(``-1``: no id, e.g. a word outside the vocabulary); models see ids as
one-hot blocks. A linear model's weights over a one-hot block are exactly
TensorFlow's per-id weights, and an embedding column is the one-hot block
times an embedding matrix, which is TensorFlow's embedding lookup. Hash
buckets use CRC-32 of the value's text (TensorFlow uses FarmHash), so hash
bucket assignments differ from TensorFlow's.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
from tensorbridge.engine.keras import _validate as _v


def _raw(features: dict, key: str, owner: str) -> np.ndarray:
    if key not in features:
        known = sorted(k for k in features if k != "__row_numbers__")
        raise ValueError(f"{owner} needs the feature {key!r}, but the input has only "
                         f"{known}; add it to the input function's features")
    return np.asarray(features[key])


def _first_row(features: dict, bad: np.ndarray) -> int:
    """The first of the user's rows (counted from 1) where ``bad`` holds; a
    batch from an input function knows its rows' numbers in the data."""
    rows = features.get("__row_numbers__")
    rows = np.arange(1, len(bad) + 1) if rows is None else np.asarray(rows)
    return int(rows[bad].min())


def _text(value):
    """A categorical value as text, the same for every numeric type it may
    arrive in: R's doubles hold whole numbers (``4.0``) that the user wrote
    as ``4``, so whole floats read as integers."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        if value != value:  # NaN: a missing value
            return None
        if float(value).is_integer():
            return str(int(value))
    return str(value)


def _hash(values, buckets: int) -> np.ndarray:
    return np.array([zlib.crc32(str(_text(v)).encode("utf-8")) % buckets for v in values],
                    dtype=np.int64)


class CategoricalColumn:
    """A column whose values become ids in ``[0, num_buckets)`` (``-1``: none)."""

    num_buckets: int
    name: str

    def ids(self, features: dict) -> np.ndarray:
        raise NotImplementedError

    def one_hot(self, features: dict) -> np.ndarray:
        ids = self.ids(features)
        out = np.zeros((len(ids), self.num_buckets), dtype=np.float32)
        present = ids >= 0
        out[np.flatnonzero(present), ids[present]] = 1.0
        return out


@dataclass(frozen=True)
class NumericColumn:
    """A real-valued feature of ``shape`` values per row."""

    key: str
    shape: tuple = (1,)
    default_value: float | None = None
    normalizer_fn: object = None

    @property
    def name(self):
        return self.key

    @property
    def width(self):
        return int(np.prod(self.shape))

    def dense(self, features: dict) -> np.ndarray:
        raw = _raw(features, self.key, f"numeric_column({self.key!r})")
        if raw.dtype.kind not in "biuf":
            raise TypeError(f"numeric_column({self.key!r}) got values of type {raw.dtype}; "
                            "give numbers (use a categorical column for text or factors)")
        with np.errstate(invalid="ignore"):  # R's NA is a signalling NaN
            x = raw.astype(np.float32).reshape(len(raw), -1)
        if x.shape[1] != self.width:
            raise ValueError(f"numeric_column({self.key!r}) expects {self.width} value(s) per "
                             f"row but got {x.shape[1]}")
        missing = np.isnan(x)
        if missing.any():
            if self.default_value is None:
                row = _first_row(features, missing.any(axis=1))
                raise ValueError(f"numeric_column({self.key!r}) has missing values (NA), the "
                                 f"first in row {row}; remove them or give default_value")
            x[missing] = self.default_value
        if self.normalizer_fn is not None:
            x = np.asarray(self.normalizer_fn(x), dtype=np.float32).reshape(len(x), -1)
        return x


@dataclass(frozen=True)
class BucketizedColumn(CategoricalColumn):
    """A numeric column cut at ``boundaries``: bucket i holds
    ``boundaries[i-1] <= x < boundaries[i]``."""

    source_column: NumericColumn
    boundaries: tuple

    def __post_init__(self):
        b = list(self.boundaries)
        if not b or any(x >= y for x, y in zip(b, b[1:])):
            raise ValueError("bucketized_column: boundaries must be a non-empty, strictly "
                             f"increasing list, got {b}")

    @property
    def name(self):
        return f"{self.source_column.name}_bucketized"

    @property
    def num_buckets(self):
        return (len(self.boundaries) + 1) * self.source_column.width

    def ids(self, features):
        x = self.source_column.dense(features)
        if x.shape[1] != 1:
            raise ValueError("bucketized_column: only one value per row is supported")
        return np.digitize(x[:, 0], np.asarray(self.boundaries, np.float64)).astype(np.int64)


@dataclass(frozen=True)
class VocabularyColumn(CategoricalColumn):
    """Values looked up in ``vocabulary_list``; others get ``default_value``,
    or one of ``num_oov_buckets`` hash buckets after the vocabulary."""

    key: str
    vocabulary_list: tuple
    default_value: int = -1
    num_oov_buckets: int = 0

    def __post_init__(self):
        if len(set(self.vocabulary_list)) != len(self.vocabulary_list):
            raise ValueError(f"categorical_column_with_vocabulary_list({self.key!r}): the "
                             "vocabulary has duplicates")
        if self.num_oov_buckets and self.default_value != -1:
            raise ValueError("give either default_value or num_oov_buckets, not both")

    @property
    def name(self):
        return self.key

    @property
    def num_buckets(self):
        return len(self.vocabulary_list) + self.num_oov_buckets

    def ids(self, features):
        raw = _raw(features, self.key, f"categorical_column_with_vocabulary_list({self.key!r})")
        index = {v: i for i, v in enumerate(self.vocabulary_list)}
        texts = [_text(v) for v in raw.ravel()]
        ids = np.array([index.get(t, -2) for t in texts], dtype=np.int64)
        unknown = ids == -2
        if unknown.any():
            if self.num_oov_buckets:
                ids[unknown] = len(self.vocabulary_list) + _hash(
                    [t for t, u in zip(texts, unknown) if u], self.num_oov_buckets)
            else:
                ids[unknown] = self.default_value
        return ids


@dataclass(frozen=True)
class IdentityColumn(CategoricalColumn):
    """Integer values that are their own ids, in ``[0, num_buckets)``."""

    key: str
    num_buckets: int
    default_value: int | None = None

    @property
    def name(self):
        return self.key

    def ids(self, features):
        raw = _raw(features, self.key, f"categorical_column_with_identity({self.key!r})")
        values = np.asarray(raw, dtype=np.float64).ravel()
        bad = ~((values >= 0) & (values < self.num_buckets) & (values == np.round(values)))
        if bad.any():
            if self.default_value is None:
                raise ValueError(f"categorical_column_with_identity({self.key!r}): value "
                                 f"{values[bad][0]} in row {_first_row(features, bad)} is not "
                                 f"an integer in [0, {self.num_buckets}); give default_value "
                                 "to map such values")
            values = np.where(bad, self.default_value, values)
        return values.astype(np.int64)


@dataclass(frozen=True)
class HashedColumn(CategoricalColumn):
    """Values hashed (CRC-32 of their text) into ``hash_bucket_size`` buckets."""

    key: str
    hash_bucket_size: int

    @property
    def name(self):
        return self.key

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def ids(self, features):
        raw = _raw(features, self.key, f"categorical_column_with_hash_bucket({self.key!r})")
        return _hash(raw.ravel(), self.hash_bucket_size)


@dataclass(frozen=True)
class CrossedColumn(CategoricalColumn):
    """The combination of several features' values, hashed into buckets."""

    keys: tuple
    hash_bucket_size: int

    @property
    def name(self):
        return "_X_".join(k if isinstance(k, str) else k.name for k in self.keys)

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def ids(self, features):
        parts = []
        for k in self.keys:
            if isinstance(k, str):
                parts.append([str(_text(v)) for v in _raw(features, k, "crossed_column").ravel()])
            else:
                parts.append([str(v) for v in k.ids(features)])
        return _hash(["\x1f".join(p) for p in zip(*parts)], self.hash_bucket_size)


@dataclass(frozen=True)
class IndicatorColumn:
    """A categorical column as a one-hot (multi-hot) block, for DNNs."""

    categorical_column: CategoricalColumn

    @property
    def name(self):
        return f"{self.categorical_column.name}_indicator"

    @property
    def width(self):
        return self.categorical_column.num_buckets

    def dense(self, features):
        return self.categorical_column.one_hot(features)


@dataclass(frozen=True)
class EmbeddingColumn:
    """A categorical column as a learned ``dimension``-vector per id, for DNNs."""

    categorical_column: CategoricalColumn
    dimension: int
    initializer_stddev: float | None = field(default=None)

    @property
    def name(self):
        return f"{self.categorical_column.name}_embedding"


# -- constructors with TensorFlow's names ------------------------------------------------------
def numeric_column(key, shape=(1,), default_value=None, dtype=None, normalizer_fn=None):
    shape = _v.shape("numeric_column", "shape", shape, none_ok=False, allow_unknown=False)
    return NumericColumn(str(key), shape, default_value, normalizer_fn)


def bucketized_column(source_column, boundaries):
    if not isinstance(source_column, NumericColumn):
        raise TypeError("bucketized_column needs a numeric_column as its source")
    return BucketizedColumn(source_column, tuple(float(b) for b in np.atleast_1d(boundaries)))


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1,
                                            num_oov_buckets=0):
    vocab = tuple(_text(v) for v in np.atleast_1d(np.asarray(vocabulary_list, dtype=object)))
    own = "categorical_column_with_vocabulary_list"
    return VocabularyColumn(str(key), vocab, _v.integer(own, "default_value", default_value),
                            _v.non_negative_int(own, "num_oov_buckets", num_oov_buckets))


def categorical_column_with_identity(key, num_buckets, default_value=None):
    own = "categorical_column_with_identity"
    return IdentityColumn(str(key), _v.positive_int(own, "num_buckets", num_buckets),
                          _v.integer(own, "default_value", default_value, none_ok=True))


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=None):
    return HashedColumn(str(key), _v.positive_int("categorical_column_with_hash_bucket",
                                                  "hash_bucket_size", hash_bucket_size))


def crossed_column(keys, hash_bucket_size, hash_key=None):
    keys = tuple(k if isinstance(k, CategoricalColumn) else str(k)
                 for k in (keys if isinstance(keys, (list, tuple)) else [keys]))
    if len(keys) < 2:
        raise ValueError("crossed_column needs at least two keys")
    return CrossedColumn(keys, _v.positive_int("crossed_column", "hash_bucket_size",
                                               hash_bucket_size))


def indicator_column(categorical_column):
    if not isinstance(categorical_column, CategoricalColumn):
        raise TypeError("indicator_column needs a categorical column")
    return IndicatorColumn(categorical_column)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     **kwargs):
    if not isinstance(categorical_column, CategoricalColumn):
        raise TypeError("embedding_column needs a categorical column")
    return EmbeddingColumn(categorical_column,
                           _v.positive_int("embedding_column", "dimension", dimension))
