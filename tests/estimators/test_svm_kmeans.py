"""The linear SVM against the maximum-margin solution worked out by hand,
and k-means against Lloyd's algorithm and known cluster centres."""

import numpy as np
import pytest
from tensorbridge import estimators as est

rng = np.random.default_rng(21)


def test_linear_svm_finds_the_maximum_margin_boundary():
    # classes at x <= -1 and x >= 1: the widest margin puts the boundary at 0
    # with w = 1, b = 0 (w x + b = +-1 on the closest points)
    x = np.concatenate([-1 - rng.uniform(0, 3, 50), 1 + rng.uniform(0, 3, 50), [-1.0, 1.0]])
    y = (x > 0).astype(int)
    model = est.LinearSVM([est.numeric_column("x")], l2_regularization=0.001,
                          optimizer={"class_name": "SGD", "config": {"learning_rate": 0.05}})
    model.train(est.numpy_input_fn({"x": x}, y, batch_size=len(x), num_epochs=None),
                steps=4000)
    w, b = (a.ravel()[0] for a in model.model.get_weights())
    assert w == pytest.approx(1.0, abs=0.05)
    assert b == pytest.approx(0.0, abs=0.05)
    m = model.evaluate(est.numpy_input_fn({"x": x}, y, shuffle=False))
    assert m["accuracy"] == 1.0
    logits = model.predict(est.numpy_input_fn({"x": x}, shuffle=False))["logits"][:, 0]
    assert m["loss"] == pytest.approx(np.mean(np.maximum(0, 1 - (2 * y - 1) * logits)))
    with pytest.raises(ValueError, match="two classes"):
        est.LinearSVM([est.numeric_column("x")], label_vocabulary=["a", "b", "c"])


def blobs():
    centers = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    x = np.concatenate([c + rng.normal(scale=0.5, size=(100, 2)) for c in centers])
    return x[rng.permutation(len(x))], centers


def lloyd(x, centers, iterations):
    for _ in range(iterations):
        nearest = ((x[:, None] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
        centers = np.array([x[nearest == j].mean(axis=0) for j in range(len(centers))])
    return centers


def test_full_batch_kmeans_is_lloyds_algorithm():
    x, _ = blobs()
    init = x[:3] + 0.1
    model = est.KMeans(3, initial_clusters=init, use_mini_batch=False)
    fn = est.numpy_input_fn({"a": x[:, 0], "b": x[:, 1]}, batch_size=len(x), num_epochs=None,
                            shuffle=False)
    model.train(fn, steps=6)
    np.testing.assert_allclose(model.cluster_centers(), lloyd(x, init, 6), rtol=1e-12)
    d = ((x[:, None] - model.cluster_centers()[None]) ** 2).sum(axis=2)
    assert model.score(fn) == pytest.approx(d.min(axis=1).sum())
    np.testing.assert_array_equal(model.predict(fn)["cluster_index"], d.argmin(axis=1))


def test_mini_batch_kmeans_plus_plus_finds_the_blobs(tmp_path):
    x, centers = blobs()
    cols = [est.numeric_column("a"), est.numeric_column("b")]
    fn = est.numpy_input_fn({"a": x[:, 0], "b": x[:, 1]}, batch_size=50, num_epochs=None,
                              seed=0)
    model = est.KMeans(3, initial_clusters="kmeans_plus_plus", feature_columns=cols,
                       random_seed=4, model_dir=tmp_path)
    model.train(fn, steps=60)
    found = model.cluster_centers()
    order = [int(np.argmin(((found - c) ** 2).sum(axis=1))) for c in centers]
    assert sorted(order) == [0, 1, 2]
    np.testing.assert_allclose(found[order], centers, atol=0.25)
    again = est.KMeans(3, feature_columns=cols, model_dir=tmp_path)
    np.testing.assert_array_equal(again.cluster_centers(), found)
    assert again.global_step == 60
    with pytest.raises(ValueError, match="fewer than the 5 clusters"):
        est.KMeans(5).train(est.numpy_input_fn({"a": x[:4, 0]}, batch_size=4))
