"""``tf.data.experimental`` names."""

from .dataset import AUTOTUNE, INFINITE, UNKNOWN
from .readers import make_csv_dataset

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN


def cardinality(dataset):
    return dataset.cardinality()


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality",
           "make_csv_dataset"]
