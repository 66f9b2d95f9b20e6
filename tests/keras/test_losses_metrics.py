"""Every loss and metric against an independent numpy computation."""

import numpy as np
import pytest
from tensorbridge.engine import keras

EPS = 1e-7
rng = np.random.default_rng(0)
N, K = 6, 4
YT_BIN = rng.integers(0, 2, (N, K)).astype(np.float32)
YP_PROB = rng.uniform(0.05, 0.95, (N, K)).astype(np.float32)
YT_REG = rng.normal(size=(N, K)).astype(np.float32)
YP_REG = rng.normal(size=(N, K)).astype(np.float32)
ONEHOT = np.eye(K, dtype=np.float32)[rng.integers(0, K, N)]
SOFT = np.exp(YP_REG) / np.exp(YP_REG).sum(-1, keepdims=True)


def np_losses():
    t, p = YT_REG, YP_REG
    tb, pb = YT_BIN, YP_PROB
    sgn = 2 * tb - 1
    err = np.abs(p - t)
    quad = np.minimum(err, 1.0)
    pos, neg = (ONEHOT * YP_REG).sum(-1), ((1 - ONEHOT) * YP_REG).max(-1)
    tn = t / np.linalg.norm(t, axis=-1, keepdims=True)
    pn = p / np.linalg.norm(p, axis=-1, keepdims=True)
    pc, tc = np.clip(pb, EPS, 1), np.clip(tb, EPS, 1)
    return {
        "mean_squared_error": (t, p, ((p - t) ** 2).mean(-1)),
        "mean_absolute_error": (t, p, err.mean(-1)),
        "mean_absolute_percentage_error": (
            t, p, 100 * (np.abs(t - p) / np.maximum(np.abs(t), EPS)).mean(-1)),
        "mean_squared_logarithmic_error": (
            tb, pb, ((np.log(np.maximum(pb, EPS) + 1) - np.log(np.maximum(tb, EPS) + 1)) ** 2)
            .mean(-1)),
        "binary_crossentropy": (tb, pb, -(tb * np.log(pb) + (1 - tb) * np.log(1 - pb)).mean(-1)),
        "categorical_crossentropy": (ONEHOT, SOFT, -(ONEHOT * np.log(SOFT)).sum(-1)),
        "hinge": (tb, p, np.maximum(1 - sgn * p, 0).mean(-1)),
        "squared_hinge": (tb, p, (np.maximum(1 - sgn * p, 0) ** 2).mean(-1)),
        "categorical_hinge": (ONEHOT, YP_REG, np.maximum(neg - pos + 1, 0)),
        "kl_divergence": (tb, pb, (tc * np.log(tc / pc)).sum(-1)),
        "poisson": (tb, pb, (pb - tb * np.log(pb + EPS)).mean(-1)),
        "cosine_similarity": (t, p, -(tn * pn).sum(-1)),
        "huber": (t, p, (0.5 * quad ** 2 + (err - quad)).mean(-1)),
        "log_cosh": (t, p, np.log(np.cosh(p - t)).mean(-1)),
    }


CASES = np_losses()
CLASS = {"mean_squared_error": "MeanSquaredError", "mean_absolute_error": "MeanAbsoluteError",
         "mean_absolute_percentage_error": "MeanAbsolutePercentageError",
         "mean_squared_logarithmic_error": "MeanSquaredLogarithmicError",
         "binary_crossentropy": "BinaryCrossentropy",
         "categorical_crossentropy": "CategoricalCrossentropy", "hinge": "Hinge",
         "squared_hinge": "SquaredHinge", "categorical_hinge": "CategoricalHinge",
         "kl_divergence": "KLDivergence", "poisson": "Poisson",
         "cosine_similarity": "CosineSimilarity", "huber": "Huber", "log_cosh": "LogCosh"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_function_and_class_match_numpy(name):
    t, p, expect = CASES[name]
    got = keras.losses.get(name)(t, p).numpy()
    np.testing.assert_allclose(got, expect, rtol=2e-5, atol=2e-6)
    w = np.arange(1, N + 1, dtype=np.float32)
    obj = getattr(keras.losses, CLASS[name])()
    np.testing.assert_allclose(float(obj(t, p).numpy()), expect.mean(), rtol=2e-5, atol=2e-6)
    # keras' sum_over_batch_size: sum(loss * w) / number of samples
    np.testing.assert_allclose(float(obj(t, p, sample_weight=w).numpy()),
                               (expect * w).sum() / N, rtol=2e-5, atol=2e-6)
    s = getattr(keras.losses, CLASS[name])(reduction="sum")
    np.testing.assert_allclose(float(s(t, p).numpy()), expect.sum(), rtol=2e-5, atol=2e-6)


def test_crossentropies_from_logits_and_label_smoothing():
    logits = YP_REG
    lsm = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    smooth = ONEHOT * 0.9 + 0.1 / K
    got = keras.losses.categorical_crossentropy(ONEHOT, logits, from_logits=True,
                                                label_smoothing=0.1).numpy()
    np.testing.assert_allclose(got, -(smooth * lsm).sum(-1), rtol=1e-5)
    labels = ONEHOT.argmax(-1)
    got = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    np.testing.assert_allclose(float(got.numpy()), -lsm[np.arange(N), labels].mean(), rtol=1e-5)
    got = keras.losses.sparse_categorical_crossentropy(labels, SOFT).numpy()
    np.testing.assert_allclose(got, -np.log(SOFT[np.arange(N), labels]), rtol=1e-5)
    sig = 1 / (1 + np.exp(-YP_REG))
    tb = YT_BIN * 0.8 + 0.1
    expect = -(tb * np.log(sig) + (1 - tb) * np.log(1 - sig)).mean(-1)
    got = keras.losses.binary_crossentropy(YT_BIN, YP_REG, from_logits=True,
                                           label_smoothing=0.2).numpy()
    np.testing.assert_allclose(got, expect, rtol=1e-5)


def test_unknown_loss_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown loss 'msee'.*'mean_squared_error'"):
        keras.losses.get("msee")


def test_accuracy_metrics_match_numpy():
    t_lab = rng.integers(0, K, 50)
    p = rng.uniform(size=(50, K)).astype(np.float32)
    hot = np.eye(K)[t_lab]
    m = keras.metrics.CategoricalAccuracy()
    m.update_state(hot[:20], p[:20])
    m.update_state(hot[20:], p[20:])
    assert m.result() == pytest.approx((p.argmax(1) == t_lab).mean())
    m = keras.metrics.SparseCategoricalAccuracy()
    m.update_state(t_lab[:, None], p)
    assert m.result() == pytest.approx((p.argmax(1) == t_lab).mean())
    rank = (p > p[np.arange(50), t_lab][:, None]).sum(1)
    m = keras.metrics.SparseTopKCategoricalAccuracy(k=2)
    m.update_state(t_lab, p)
    assert m.result() == pytest.approx((rank < 2).mean())
    m = keras.metrics.TopKCategoricalAccuracy(k=3)
    m.update_state(hot, p)
    assert m.result() == pytest.approx((rank < 3).mean())
    b = rng.integers(0, 2, (50, 1)).astype(np.float32)
    pb = rng.uniform(size=(50, 1))
    w = rng.uniform(size=50)
    m = keras.metrics.BinaryAccuracy()
    m.update_state(b, pb, sample_weight=w)
    correct = ((pb > 0.5) == b)[:, 0]
    assert m.result() == pytest.approx((correct * w).sum() / w.sum())
    m.reset_state()
    assert m.result() == 0.0


def test_loss_like_metric_is_mean_over_samples():
    m = keras.metrics.get("mse")
    m.update_state(YT_REG[:2], YP_REG[:2])
    m.update_state(YT_REG[2:], YP_REG[2:])
    assert m.result() == pytest.approx(((YT_REG - YP_REG) ** 2).mean(), rel=1e-5)
    assert m.name == "mse"


def _np_auc(y, p, n=200):
    eps = 1e-7
    th = np.array([0 - eps] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + eps])
    tp = np.array([((p > t) & (y == 1)).sum() for t in th], float)
    fp = np.array([((p > t) & (y == 0)).sum() for t in th], float)
    fn = np.array([((p <= t) & (y == 1)).sum() for t in th], float)
    tn = np.array([((p <= t) & (y == 0)).sum() for t in th], float)
    tpr, fpr = tp / (tp + fn), fp / (fp + tn)
    return float(((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2).sum())


def test_auc_precision_recall_match_numpy():
    y = rng.integers(0, 2, 300)
    p = np.clip(y * 0.3 + rng.uniform(size=300) * 0.7, 0, 1)
    m = keras.metrics.AUC()
    m.update_state(y[:100], p[:100])
    m.update_state(y[100:], p[100:])
    assert m.result() == pytest.approx(_np_auc(y, p), abs=1e-9)
    # the thresholded AUC is close to the exact rank statistic
    pos, neg = p[y == 1], p[y == 0]
    exact = (pos[:, None] > neg[None, :]).mean()
    assert m.result() == pytest.approx(exact, abs=0.01)
    pr = keras.metrics.Precision()
    pr.update_state(y, p)
    assert pr.result() == pytest.approx(((p > 0.5) & (y == 1)).sum() / (p > 0.5).sum())
    rc = keras.metrics.Recall()
    rc.update_state(y, p)
    assert rc.result() == pytest.approx(((p > 0.5) & (y == 1)).sum() / (y == 1).sum())


def test_unknown_metric_name_is_a_value_error():
    with pytest.raises(ValueError, match=r"unknown metric 'acuracy'.*'accuracy'"):
        keras.metrics.get("acuracy")
