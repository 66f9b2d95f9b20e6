"""Random forests: a single unbagged stump makes the split that brute force
finds best (Gini for classes, squared error for values); a bagged forest
classifies held-out rows well; checkpoints restore the same forest."""

import numpy as np
import pytest
from tensorbridge import estimators as est

rng = np.random.default_rng(5)
N = 120
A, B = rng.normal(size=N), rng.normal(size=N)
COLS = [est.numeric_column("a"), est.numeric_column("b")]


def fn(y=None, **kw):
    return est.numpy_input_fn({"a": A, "b": B}, y, batch_size=50, shuffle=False, **kw)


def gini_brute_force(y):
    best = None
    for values in (A, B):
        for t in np.unique(values)[:-1]:
            left = values <= t
            score = sum(s.sum() * (1 - np.sum((np.bincount(y[s], minlength=2) / s.sum()) ** 2))
                        for s in (left, ~left))
            if best is None or score < best[0]:
                best = (score, left)
    return best[1]


def test_an_unbagged_stump_takes_the_best_gini_split():
    y = ((A + 0.3 * rng.normal(size=N)) > 0.2).astype(int)
    model = est.RandomForestClassifier(COLS, n_trees=1, max_depth=1, bootstrap=False,
                                       max_features="all")
    model.train(fn(y))
    probs = model.predict(fn())["probabilities"][:, 1]
    left = gini_brute_force(y)
    np.testing.assert_allclose(probs[left], y[left].mean())
    np.testing.assert_allclose(probs[~left], y[~left].mean())


def test_an_unbagged_regression_stump_is_least_squares():
    y = np.where(B > 0.5, 2.0, -1.0) + 0.2 * rng.normal(size=N)
    model = est.RandomForestRegressor(COLS, n_trees=1, max_depth=1, bootstrap=False,
                                      max_features="all")
    model.train(fn(y))
    pred = model.predict(fn())["predictions"][:, 0]
    best = min(((((y[s] - y[s].mean()) ** 2).sum() + ((y[~s] - y[~s].mean()) ** 2).sum(), s)
                for v in (A, B) for t in np.unique(v)[:-1] for s in [v <= t]),
               key=lambda pair: pair[0])[1]
    np.testing.assert_allclose(pred[best], y[best].mean())
    np.testing.assert_allclose(pred[~best], y[~best].mean())


def test_a_forest_generalises_and_restores(tmp_path):
    y = (A * B > 0).astype(int)  # an XOR pattern no single split captures
    train = np.arange(N) < 90
    make = dict(n_trees=30, seed=3, model_dir=tmp_path, label_vocabulary=["diff", "same"])
    labels = np.array(["diff", "same"], dtype=object)[y]
    model = est.RandomForestClassifier(COLS, **make)
    model.train(est.numpy_input_fn({"a": A[train], "b": B[train]}, labels[train]))
    held_out = est.numpy_input_fn({"a": A[~train], "b": B[~train]}, labels[~train],
                                  shuffle=False)
    assert model.evaluate(held_out)["accuracy"] >= 0.8
    again = est.RandomForestClassifier(COLS, **make)
    np.testing.assert_array_equal(again.predict(held_out)["probabilities"],
                                  model.predict(held_out)["probabilities"])
    with pytest.raises(ValueError, match="different forest"):
        est.RandomForestClassifier(COLS[:1], model_dir=tmp_path)
