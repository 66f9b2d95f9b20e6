"""tf.data-style input pipelines (``tensorbridge.engine.data``, reached as ``tf.data``).

``Dataset`` and its sources and transformations are in :mod:`.dataset`; file
readers (text lines, CSV, Parquet) in :mod:`.readers`; ``cache()`` in
:mod:`.cache`.
"""

from . import experimental
from .dataset import (
    AUTOTUNE,
    INFINITE,
    UNKNOWN,
    Dataset,
    TensorSpec,
    collect,
    make_iterator,
    next_element,
    prepare,
)
from .readers import (
    TextLineDataset,
    decode_csv,
    decode_delim,
    delimited_dataset,
    make_csv_dataset,
    parquet_dataset,
    write_parquet,
)

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN

__all__ = ["AUTOTUNE", "Dataset", "INFINITE_CARDINALITY", "TensorSpec", "TextLineDataset",
           "UNKNOWN_CARDINALITY", "collect", "decode_csv", "decode_delim", "delimited_dataset",
           "experimental", "make_csv_dataset", "make_iterator", "next_element",
           "parquet_dataset", "prepare", "write_parquet"]
