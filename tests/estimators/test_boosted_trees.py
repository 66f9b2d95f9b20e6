"""Boosted trees against brute force: the first split is the one that
minimises the squared error (or maximises the published gain), leaves hold
the Newton steps, and more trees fit more closely."""

import numpy as np
import pytest
from tensorbridge import estimators as est

rng = np.random.default_rng(11)
N = 200
X = rng.uniform(0, 10, size=N)
Z = rng.uniform(0, 10, size=N)
BOUNDS = [1.0, 2, 3, 4, 5, 6, 7, 8, 9]
COLS = [est.bucketized_column(est.numeric_column("x"), BOUNDS),
        est.bucketized_column(est.numeric_column("z"), BOUNDS)]


def full_batch(y, **kw):
    return est.numpy_input_fn({"x": X, "z": Z}, y, batch_size=N, shuffle=False, **kw)


def test_one_split_of_a_regression_tree_is_least_squares():
    y = np.where(Z > 6.5, 3.0, -1.0) + rng.normal(scale=0.3, size=N)
    model = est.BoostedTreesRegressor(COLS, n_batches_per_layer=1, n_trees=1, max_depth=1,
                                      learning_rate=1.0)
    model.train(full_batch(y))
    # brute force: every feature and cut point between buckets, least squares
    best = None
    for values in (X, Z):
        ids = np.digitize(values, BOUNDS)
        for cut in range(len(BOUNDS)):
            left = ids <= cut
            if left.all() or not left.any():
                continue
            sse = ((y[left] - y[left].mean()) ** 2).sum() + ((y[~left] - y[~left].mean()) ** 2
                                                             ).sum()
            if best is None or sse < best[0]:
                best = (sse, left)
    pred = model.predict(full_batch(None))["predictions"][:, 0]
    left = best[1]
    np.testing.assert_allclose(pred[left], y[left].mean(), rtol=1e-6)
    np.testing.assert_allclose(pred[~left], y[~left].mean(), rtol=1e-6)


def test_logistic_leaves_are_newton_steps_with_l2():
    y = (X >= 5).astype(int)  # 5 is a bucket boundary
    model = est.BoostedTreesClassifier(COLS[:1], n_batches_per_layer=1, n_trees=1, max_depth=1,
                                       learning_rate=0.5, l2_regularization=2.0)
    model.train(full_batch(y))
    logits = model.predict(full_batch(None))["logits"][:, 0]
    left = np.digitize(X, BOUNDS) <= 4  # the clean cut: x < 5
    for side in (left, ~left):
        g = (0.5 - y[side]).sum()  # p = 1/2 at logit 0
        h = 0.25 * side.sum()
        np.testing.assert_allclose(logits[side], 0.5 * -g / (h + 2.0), rtol=1e-5)


def test_more_trees_fit_a_two_feature_surface_better():
    y = np.sin(X / 2) + (Z > 5) + rng.normal(scale=0.05, size=N)
    errors = []
    for trees in (1, 5, 40):
        model = est.BoostedTreesRegressor(COLS, n_batches_per_layer=1, n_trees=trees,
                                          max_depth=3, learning_rate=0.3)
        model.train(full_batch(y, num_epochs=None), steps=trees * 3 + 5)
        assert len(model.trees) == trees
        errors.append(model.evaluate(full_batch(y))["average_loss"])
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.05 * np.var(y)


def test_multiclass_and_checkpoints(tmp_path):
    cls = np.digitize(X, [3, 7])  # three classes from x, cut at bucket boundaries
    names = np.array(["low", "mid", "high"], dtype=object)[cls]
    kw = dict(n_batches_per_layer=2, n_trees=10, max_depth=2, learning_rate=0.5,
              label_vocabulary=["low", "mid", "high"], model_dir=tmp_path)
    fn = est.numpy_input_fn({"x": X, "z": Z}, names, batch_size=100, num_epochs=None,
                            shuffle=False)
    model = est.BoostedTreesClassifier(COLS, n_classes=3, **kw)
    model.train(fn, steps=7)  # stops half way through a layer
    again = est.BoostedTreesClassifier(COLS, n_classes=3, **kw)
    assert again.global_step == 7
    again.train(fn, steps=33)
    model.train(fn, steps=33)
    plain = est.numpy_input_fn({"x": X, "z": Z}, shuffle=False)
    np.testing.assert_array_equal(again.predict(plain)["logits"], model.predict(plain)["logits"])
    metrics = again.evaluate(est.numpy_input_fn({"x": X, "z": Z}, names, shuffle=False))
    assert metrics["accuracy"] > 0.97


def test_boosted_trees_need_bucketized_or_indicator_columns():
    with pytest.raises(TypeError, match="cut numbers with column_bucketized"):
        est.BoostedTreesRegressor([est.numeric_column("x")], n_batches_per_layer=1)
    with pytest.raises(ValueError, match="n_trees must be a positive"):
        est.BoostedTreesRegressor(COLS, n_batches_per_layer=1, n_trees=0)
