"""Canned estimators against independent computations: least squares and
logistic regression fitted in numpy, metrics recomputed from predictions,
and checkpoints that a new estimator resumes from."""

import numpy as np
import pytest
from tensorbridge import estimators as est

rng = np.random.default_rng(7)
N = 300
X1, X2 = rng.normal(size=N), rng.normal(size=N)
COLOR = rng.choice(["red", "green", "blue"], N).astype(object)
SHIFT = {"red": 1.0, "green": -2.0, "blue": 0.5}
Y = 2 * X1 - 3 * X2 + np.array([SHIFT[c] for c in COLOR]) + rng.normal(scale=0.1, size=N)
FEATURES = {"x1": X1, "x2": X2, "color": COLOR}
COLUMNS = [est.numeric_column("x1"), est.numeric_column("x2"),
           est.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])]
SGD = {"class_name": "SGD", "config": {"learning_rate": 0.1}}


def design():
    onehot = np.stack([COLOR == c for c in ("red", "green", "blue")], axis=1).astype(float)
    return np.column_stack([X1, X2, onehot])


def test_linear_regressor_predicts_what_least_squares_predicts():
    model = est.LinearRegressor(COLUMNS, optimizer=SGD)
    model.train(est.numpy_input_fn(FEATURES, Y, batch_size=N, num_epochs=None), steps=3000)
    pred = model.predict(est.numpy_input_fn(FEATURES, shuffle=False))["predictions"][:, 0]
    coef, *_ = np.linalg.lstsq(design(), Y, rcond=None)  # the colors absorb the intercept
    np.testing.assert_allclose(pred, design() @ coef, atol=2e-3)
    metrics = model.evaluate(est.numpy_input_fn(FEATURES, Y, shuffle=False))
    np.testing.assert_allclose(metrics["average_loss"], np.mean((pred - Y) ** 2), rtol=1e-4)
    assert metrics["global_step"] == 3000


def logistic_newton(x, y, steps=25):
    """Maximum-likelihood logistic regression by Newton's method."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w += np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
    return w


def test_linear_classifier_approaches_the_maximum_likelihood_fit():
    yb = (X1 - X2 + rng.logistic(size=N) > 0).astype(int)
    feats = {"x1": X1, "x2": X2}
    model = est.LinearClassifier(COLUMNS[:2], optimizer={"class_name": "SGD",
                                                         "config": {"learning_rate": 1.0}})
    model.train(est.numpy_input_fn(feats, yb, batch_size=N, num_epochs=None), steps=3000)
    w = logistic_newton(np.column_stack([X1, X2, np.ones(N)]), yb)
    probs = model.predict(est.numpy_input_fn(feats, shuffle=False))["probabilities"][:, 1]
    np.testing.assert_allclose(probs, 1 / (1 + np.exp(-np.column_stack([X1, X2, np.ones(N)])
                                                     @ w)), atol=2e-3)


def pairwise_auc(y, s):
    pos, neg = s[y == 1], s[y == 0]
    return np.mean([(p > q) + 0.5 * (p == q) for p in pos for q in neg])


def test_classifier_metrics_agree_with_its_predictions():
    yb = (Y > 0).astype(int)
    model = est.DNNClassifier([6], [est.numeric_column("x1"), est.numeric_column("x2"),
                                    est.indicator_column(COLUMNS[2])], seed=1)
    model.train(est.numpy_input_fn(FEATURES, yb, batch_size=32, num_epochs=5))
    m = model.evaluate(est.numpy_input_fn(FEATURES, yb, shuffle=False))
    p = model.predict(est.numpy_input_fn(FEATURES, shuffle=False))
    p1, ids = p["probabilities"][:, 1], p["class_ids"]
    assert m["accuracy"] == pytest.approx(np.mean(ids == yb))
    assert m["auc"] == pytest.approx(pairwise_auc(yb, p1))
    assert m["precision"] == pytest.approx(np.sum((ids == 1) & (yb == 1)) / np.sum(ids == 1))
    assert m["recall"] == pytest.approx(np.sum((ids == 1) & (yb == 1)) / np.sum(yb == 1))
    assert m["average_loss"] == pytest.approx(
        -np.mean(np.log(np.where(yb == 1, p1, 1 - p1))), rel=1e-6)
    assert m["accuracy_baseline"] == pytest.approx(max(yb.mean(), 1 - yb.mean()))
    assert list(p["classes"][:3]) == [str(i) for i in ids[:3]]


def test_multiclass_with_label_vocabulary_and_embeddings():
    labels = np.array([["low", "mid", "high"][int(v > -1) + int(v > 1)] for v in Y],
                      dtype=object)
    emb = est.embedding_column(COLUMNS[2], dimension=2)
    model = est.DNNLinearCombinedClassifier(
        linear_feature_columns=COLUMNS, dnn_feature_columns=[COLUMNS[0], COLUMNS[1], emb],
        dnn_hidden_units=[8], label_vocabulary=["low", "mid", "high"], seed=3)
    model.train(est.numpy_input_fn(FEATURES, labels, batch_size=32, num_epochs=30))
    m = model.evaluate(est.numpy_input_fn(FEATURES, labels, shuffle=False))
    assert m["accuracy"] > 0.8  # the three classes are 33%-ish each
    p = model.predict(est.numpy_input_fn(FEATURES, shuffle=False), predict_keys="classes")
    assert set(p) == {"classes"} and set(p["classes"]) <= {"low", "mid", "high"}
    with pytest.raises(ValueError, match="not in label_vocabulary"):
        model.evaluate(est.numpy_input_fn(FEATURES, np.full(N, "huge", object)))


def test_model_dir_checkpoints_resume_training(tmp_path):
    fn = est.numpy_input_fn(FEATURES, Y, batch_size=50, num_epochs=None)
    first = est.LinearRegressor(COLUMNS, model_dir=tmp_path)
    first.train(fn, steps=40)
    again = est.LinearRegressor(COLUMNS, model_dir=tmp_path)
    assert again.global_step == 40
    plain = est.numpy_input_fn(FEATURES, shuffle=False)
    np.testing.assert_array_equal(again.predict(plain)["predictions"],
                                  first.predict(plain)["predictions"])
    again.train(fn, steps=10)
    assert again.global_step == 50
    assert est.LinearRegressor(COLUMNS, model_dir=tmp_path).global_step == 50
    again.train(fn, max_steps=50)  # already there: nothing to do
    assert again.global_step == 50
    with pytest.raises(ValueError, match="checkpoint of a different estimator"):
        est.LinearRegressor(COLUMNS[:2], model_dir=tmp_path)


def test_bad_input_errors():
    with pytest.raises(TypeError, match="wrap the categorical column 'color' in indicator"):
        est.DNNRegressor([4], COLUMNS)
    with pytest.raises(ValueError, match="needs a trained estimator"):
        est.LinearRegressor(COLUMNS).predict(est.numpy_input_fn(FEATURES))
    model = est.LinearClassifier(COLUMNS)
    with pytest.raises(ValueError, match=r"whole numbers in 0..1"):
        model.train(est.numpy_input_fn(FEATURES, np.full(N, 3)))
    with pytest.raises(ValueError, match="features have 300 rows but the response has 2"):
        est.numpy_input_fn(FEATURES, np.ones(2))
    with pytest.raises(ValueError, match="steps must be a positive"):
        model.train(est.numpy_input_fn(FEATURES, Y > 0), steps=0)
    with pytest.raises(ValueError, match="train\\(\\) needs labels"):
        model.train(est.numpy_input_fn(FEATURES))


def test_endless_training_input_is_read_once_for_evaluation_in_order():
    fn = est.numpy_input_fn(FEATURES, Y, batch_size=64, num_epochs=None, shuffle="auto")
    model = est.LinearRegressor(COLUMNS)
    model.train(fn, steps=5)
    first_batch = next(iter(fn("train")))[1]
    assert not np.array_equal(first_batch, Y[:64])  # shuffled while training
    np.testing.assert_array_equal(np.sort(first_batch), np.sort(Y[np.isin(Y, first_batch)]))
    pred = model.predict(fn)["predictions"]  # one ordered pass, not an endless one
    assert pred.shape == (N, 1)
    np.testing.assert_array_equal(
        pred, model.predict(est.numpy_input_fn(FEATURES, shuffle=False))["predictions"])


def test_one_row_input_is_one_row_not_a_scalar():
    # R hands a one-row data frame's columns over as Python scalars
    fn = est.numpy_input_fn({"a": 2.0, "b": 3.0}, 1.0, batch_size=4, shuffle=False)
    (features, labels), = list(fn("eval"))
    np.testing.assert_array_equal(features["a"], [2.0])
    np.testing.assert_array_equal(labels, [1.0])
