"""Canned estimators in the spirit of tfestimators: linear, DNN and
wide-and-deep models over feature columns, fed by input functions, with
checkpoints in a model directory."""

from . import feature_column
from .boosted_trees import BoostedTreesClassifier, BoostedTreesRegressor
from .canned import (
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    Estimator,
    LinearClassifier,
    LinearRegressor,
    LinearSVM,
)
from .clustering import KMeans
from .feature_column import (
    bucketized_column,
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
    categorical_column_with_vocabulary_list,
    crossed_column,
    embedding_column,
    indicator_column,
    numeric_column,
)
from .forest import RandomForestClassifier, RandomForestRegressor
from .inputs import numpy_input_fn, pandas_input_fn

__all__ = [
    "BoostedTreesClassifier", "BoostedTreesRegressor", "KMeans", "LinearSVM",
    "RandomForestClassifier", "RandomForestRegressor",
    "DNNClassifier", "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor",
    "DNNRegressor", "Estimator", "LinearClassifier", "LinearRegressor", "bucketized_column",
    "categorical_column_with_hash_bucket", "categorical_column_with_identity",
    "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column",
    "feature_column", "indicator_column", "numeric_column", "numpy_input_fn",
    "pandas_input_fn",
]
