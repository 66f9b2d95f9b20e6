"""tf.data-style input pipelines (``tensorbridge.engine.data``, reached as ``tf.data``).

``Dataset`` and its sources and transformations are in :mod:`.dataset`; file
readers (text lines, CSV, Parquet) in :mod:`.readers`; ``cache()`` in
:mod:`.cache`.
"""

from .dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset, TensorSpec

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN

__all__ = ["AUTOTUNE", "Dataset", "INFINITE_CARDINALITY", "TensorSpec",
           "UNKNOWN_CARDINALITY"]
