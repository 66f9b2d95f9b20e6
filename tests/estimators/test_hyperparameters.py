"""Invalid estimator and feature-column hyper-parameters fail at construction, with a
message naming the argument, what is expected and what was given."""

import pytest
import tensorbridge.estimators as est

X = est.numeric_column("x")
B = est.bucketized_column(X, [0.0, 1.0])
NAN = float("nan")

CASES = [
    (lambda: est.DNNRegressor(hidden_units=[-1], feature_columns=[X]),
     "DNNRegressor: hidden_units must be a list of positive integers (one per hidden layer), "
     "e.g. [64, 32], got [-1]"),
    (lambda: est.DNNClassifier(hidden_units=[8, 2.5], feature_columns=[X]),
     "DNNClassifier: hidden_units must be a list of positive integers"),
    (lambda: est.DNNRegressor(hidden_units="8", feature_columns=[X]),
     "DNNRegressor: hidden_units must be a list of positive integers"),
    (lambda: est.DNNRegressor(hidden_units=[4], feature_columns=[X], activation_fn=42),
     "DNNRegressor: activation_fn must be an activation name"),
    (lambda: est.DNNRegressor(hidden_units=[4], feature_columns=[X], dropout=1.0),
     "DNNRegressor: dropout must be a number in [0, 1), got 1.0"),
    (lambda: est.LinearClassifier(feature_columns=[X], n_classes=1),
     "estimator: n_classes must be an integer >= 2, got 1"),
    (lambda: est.LinearClassifier(feature_columns=[X], n_classes=2.5),
     "estimator: n_classes must be an integer >= 2, got 2.5"),
    (lambda: est.LinearRegressor(feature_columns=[X], label_dimension=0),
     "estimator: label_dimension must be a positive integer, got 0"),
    (lambda: est.categorical_column_with_identity("c", num_buckets=0),
     "categorical_column_with_identity: num_buckets must be a positive integer, got 0"),
    (lambda: est.categorical_column_with_hash_bucket("c", hash_bucket_size=0),
     "categorical_column_with_hash_bucket: hash_bucket_size must be a positive integer, got 0"),
    (lambda: est.categorical_column_with_hash_bucket("c", hash_bucket_size=10.5),
     "categorical_column_with_hash_bucket: hash_bucket_size must be a positive integer, "
     "got 10.5"),
    (lambda: est.crossed_column(["a", "b"], hash_bucket_size=-3),
     "crossed_column: hash_bucket_size must be a positive integer, got -3"),
    (lambda: est.embedding_column(est.categorical_column_with_identity("c", 4), dimension=0),
     "embedding_column: dimension must be a positive integer, got 0"),
    (lambda: est.numeric_column("x", shape=0), "numeric_column: shape must be a positive"),
    (lambda: est.categorical_column_with_vocabulary_list("c", ["a"], num_oov_buckets=-1),
     "categorical_column_with_vocabulary_list: num_oov_buckets must be a non-negative integer"),
    (lambda: est.BoostedTreesRegressor([B], n_batches_per_layer=1, n_trees=0),
     "BoostedTreesRegressor: n_trees must be a positive integer, got 0"),
    (lambda: est.BoostedTreesClassifier([B], n_batches_per_layer=0),
     "BoostedTreesClassifier: n_batches_per_layer must be a positive integer, got 0"),
    (lambda: est.BoostedTreesRegressor([B], n_batches_per_layer=1, learning_rate=NAN),
     "BoostedTreesRegressor: learning_rate must be a positive number, got nan"),
    (lambda: est.BoostedTreesRegressor([B], n_batches_per_layer=1, l2_regularization=-1),
     "BoostedTreesRegressor: l2_regularization must be a non-negative number, got -1"),
    (lambda: est.BoostedTreesRegressor([B], n_batches_per_layer=1, max_depth=2.5),
     "BoostedTreesRegressor: max_depth must be a positive integer, got 2.5"),
    (lambda: est.KMeans(num_clusters=0), "KMeans: num_clusters must be a positive integer, got 0"),
]


@pytest.mark.parametrize("make,msg", CASES)
def test_bad_hyper_parameters_fail_at_construction(make, msg):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value).startswith(msg), str(info.value)


def test_forest_hyper_parameters():
    forest = [n for n in dir(est) if "Forest" in n]
    cls = getattr(est, forest[0])
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: n_trees must be a positive integer, "
                                         r"got 0"):
        cls([X], n_trees=0)
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: min_samples_leaf must be a positive"):
        cls([X], min_samples_leaf=0)


def test_whole_doubles_from_r_are_accepted():
    m = est.DNNRegressor(hidden_units=[8.0, 4.0], feature_columns=[X])
    assert m.hidden_units == [8, 4]
    assert est.categorical_column_with_identity("c", num_buckets=3.0).num_buckets == 3
