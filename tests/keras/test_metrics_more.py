"""The metrics added for keras R 2.13's metric_*() functions, each against numpy
written here (brute force over thresholds for the *_at_* rates)."""

import numpy as np
import pytest
from tensorbridge.engine.keras import metrics as M

rng = np.random.default_rng(7)


def _counts(t, p, w, th):
    """tp, fp, tn, fn at threshold th: predicted positive when p > th."""
    pos = p > th
    return (np.sum(w * (t == 1) * pos), np.sum(w * (t == 0) * pos),
            np.sum(w * (t == 0) * ~pos), np.sum(w * (t == 1) * ~pos))


def _data(n=60):
    t = rng.integers(0, 2, n).astype(float)
    # no prediction exactly 0 (keras counts p = 0 as positive at threshold 0, tested apart)
    p = np.clip(rng.random(n), 1e-3, 1.0)
    w = rng.random(n) * 2
    return t, p, w


@pytest.mark.parametrize("cls,k", [(M.TruePositives, 0), (M.FalsePositives, 1),
                                   (M.TrueNegatives, 2), (M.FalseNegatives, 3)])
def test_counts_weighted_over_batches_and_thresholds(cls, k):
    t, p, w = _data()
    ths = [0.1, 0.5, 0.77]
    m = cls(thresholds=ths)
    m.update_state(t[:25], p[:25], sample_weight=w[:25])
    m.update_state(t[25:], p[25:], sample_weight=w[25:])
    want = [_counts(t, p, w, th)[k] for th in ths]
    np.testing.assert_allclose(m.result(), want)
    one = cls()  # thresholds None: 0.5, a number
    one.update_state(t, p)
    assert isinstance(one.result(), float)
    assert one.result() == _counts(t, p, np.ones_like(t), 0.5)[k]
    one.reset_state()
    assert one.result() == 0.0
    assert cls.from_config(m.get_config()).get_config() == m.get_config()


def _grid(n):
    return np.array([0.5]) if n == 1 else np.array(
        [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0])


def _brute(t, p, w, n, constrained, dependent, value):
    best = None
    for th in _grid(n):
        tp, fp, tn, fn = _counts(t, p, w, th)
        rates = {"recall": tp / (tp + fn) if tp + fn else 0.0,
                 "precision": tp / (tp + fp) if tp + fp else 0.0,
                 "specificity": tn / (tn + fp) if tn + fp else 0.0}
        if rates[constrained] >= value:
            best = rates[dependent] if best is None else max(best, rates[dependent])
    return 0.0 if best is None else best


CASES = [(M.PrecisionAtRecall, "recall", "precision"),
         (M.RecallAtPrecision, "precision", "recall"),
         (M.SensitivityAtSpecificity, "specificity", "recall"),
         (M.SpecificityAtSensitivity, "recall", "specificity")]


@pytest.mark.parametrize("cls,constrained,dependent", CASES)
@pytest.mark.parametrize("value", [0.0, 0.3, 0.8, 1.0])
@pytest.mark.parametrize("n", [1, 2, 7, 9, 200])
def test_rate_at_rate_is_the_brute_force_best(cls, constrained, dependent, value, n):
    t, p, w = _data(80)
    if n in (2, 9):
        # predictions on the grid itself, where p * (n - 1) is exact in float32 (keras
        # buckets in float32): p > threshold decides the ties
        p[:8] = _grid(n)[rng.integers(1, n, 8)]
    m = cls(value, num_thresholds=n)
    m.update_state(t[:40], p[:40], sample_weight=w[:40])
    m.update_state(t[40:], p[40:], sample_weight=w[40:])
    assert m.result() == pytest.approx(_brute(t, p, w, n, constrained, dependent, value))
    m.reset_state()
    assert m.result() == 0.0


@pytest.mark.parametrize("cls,constrained,dependent", CASES)
def test_rate_at_rate_class_id_takes_one_column(cls, constrained, dependent):
    t = rng.integers(0, 2, (50, 3)).astype(float)
    p = np.clip(rng.random((50, 3)), 1e-3, 1)
    w = rng.random(50)
    m = cls(0.4, num_thresholds=11, class_id=2)
    m.update_state(t, p, sample_weight=w)
    assert m.result() == pytest.approx(
        _brute(t[:, 2], p[:, 2], w, 11, constrained, dependent, 0.4))
    cfg = m.get_config()
    assert cfg["class_id"] == 2 and cfg["num_thresholds"] == 11
    assert cls.from_config(cfg).get_config() == cfg


def test_prediction_zero_is_positive_at_threshold_zero_as_in_keras():
    # keras' bucketed counts: p = 0 lands in the first bucket, positive at threshold 0
    m = M.SensitivityAtSpecificity(0.0, num_thresholds=3)
    m.update_state([1.0, 0.0], [0.0, 0.7])
    np.testing.assert_allclose(m.tp, [1, 0, 0])
    np.testing.assert_allclose(m.fp, [1, 1, 0])


def test_rate_checks():
    with pytest.raises(ValueError, match="recall must lie in"):
        M.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        M.RecallAtPrecision(0.5, num_thresholds=0)


def test_root_mean_squared_error_weighted():
    t, p = rng.random((20, 3)), rng.random((20, 3))
    w = rng.random(20)
    m = M.RootMeanSquaredError()
    m.update_state(t[:7], p[:7], sample_weight=w[:7])
    m.update_state(t[7:], p[7:], sample_weight=w[7:])
    want = np.sqrt(np.sum(w[:, None] * (t - p) ** 2) / (3 * np.sum(w)))
    assert m.result() == pytest.approx(want)
    assert m.name == "root_mean_squared_error"


def test_mean_relative_error():
    t, p = rng.random((10, 1)), rng.random((10, 1))
    norm = rng.random(10) + 0.5
    norm[3] = 0.0  # divide_no_nan: that sample counts as 0
    m = M.MeanRelativeError(normalizer=norm)
    m.update_state(t, p)
    rel = np.abs(t[:, 0] - p[:, 0]) / np.where(norm == 0, 1, norm)
    rel[3] = 0.0
    assert m.result() == pytest.approx(rel.mean())
    scalar = M.MeanRelativeError(normalizer=2.0)
    scalar.update_state(t, p, sample_weight=np.arange(10.0))
    assert scalar.result() == pytest.approx(
        np.sum(np.arange(10.0) * np.abs(t - p)[:, 0] / 2) / np.sum(np.arange(10.0)))
    assert M.MeanRelativeError.from_config(scalar.get_config()).normalizer == 2.0


def _iou(t, p, k, w):
    ious = []
    for c in range(k):
        inter = np.sum(w * ((t == c) & (p == c)))
        union = np.sum(w * ((t == c) | (p == c)))
        if union > 0:
            ious.append(inter / union)
    return np.mean(ious)


def test_mean_iou_weighted_sparse_dense_and_ignored():
    k = 4
    t = rng.integers(0, 3, 40)  # class 3 never occurs: left out of the mean
    p = rng.integers(0, 3, 40)
    w = rng.random(40)
    m = M.MeanIoU(num_classes=k)
    m.update_state(t[:15], p[:15] + 0.4, sample_weight=w[:15])  # fractions truncate
    m.update_state(t[15:], p[15:], sample_weight=w[15:])
    assert m.result() == pytest.approx(_iou(t, p, k, w))
    dense = M.MeanIoU(num_classes=k, sparse_y_pred=False)
    dense.update_state(t, np.eye(k)[p] * 0.9)
    assert dense.result() == pytest.approx(_iou(t, p, k, np.ones(40)))
    ign = M.MeanIoU(num_classes=k, ignore_class=0)
    ign.update_state(t, p)
    keep = t != 0
    assert ign.result() == pytest.approx(_iou(t[keep], p[keep], k, np.ones(keep.sum())))
    assert M.MeanIoU.from_config(ign.get_config()).get_config() == ign.get_config()
    with pytest.raises(ValueError, match="class ids from 0 to 3"):
        m.update_state([5], [0])
    m.reset_state()
    assert m.result() == 0.0


def test_mean_tensor_elementwise_weighted():
    a, b = rng.random((2, 3)), rng.random((2, 3))
    m = M.MeanTensor()
    with pytest.raises(ValueError, match="no value yet"):
        m.result()
    m.update_state(a, sample_weight=[1.0, 3.0])
    m.update_state(b)
    w = np.array([1.0, 3.0])[:, None]
    np.testing.assert_allclose(m.result(), (a * w + b) / (w + 1))
    with pytest.raises(ValueError, match="shape"):
        m.update_state(np.zeros(3))
    m2 = M.MeanTensor(shape=[2])
    np.testing.assert_allclose(m2.result(), [0, 0])
    assert M.get({"class_name": "MeanTensor", "config": m2.get_config()}).get_config() == \
        m2.get_config()


def test_per_sample_functions_by_keras_names():
    t = rng.integers(0, 2, (5, 3)).astype(float)
    p = rng.random((5, 3))
    s = 2 * t - 1
    np.testing.assert_allclose(M.hinge(t, p), np.maximum(1 - s * p, 0).mean(-1), rtol=1e-6)
    np.testing.assert_allclose(M.squared_hinge(t, p), (np.maximum(1 - s * p, 0) ** 2).mean(-1),
                               rtol=1e-6)
    np.testing.assert_allclose(M.poisson(t, p), (p - t * np.log(p + 1e-7)).mean(-1), rtol=1e-5)
    np.testing.assert_allclose(M.mean_squared_logarithmic_error(t, p),
                               ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1), rtol=1e-5)
    q = np.full((5, 3), 1 / 3)
    tt, pp = np.clip(q, 1e-7, 1), np.clip(p, 1e-7, 1)
    np.testing.assert_allclose(M.kullback_leibler_divergence(q, p),
                               (tt * np.log(tt / pp)).sum(-1), rtol=1e-5)
    norms = np.maximum(np.linalg.norm(t, axis=-1), 1e-6) * np.linalg.norm(p, axis=-1)
    cos = (t * p).sum(-1) / norms
    np.testing.assert_allclose(M.cosine_proximity(t, p), -cos, rtol=1e-6)
    assert M.get("cosine_proximity").name == "cosine_proximity"


def test_user_mean_metric_wrapper_passes_tensors():
    seen = []

    def fn(y_true, y_pred):
        seen.append(type(y_true).__name__)
        return abs(y_true - y_pred)

    m = M.user_mean_metric_wrapper(fn)
    m.update_state(np.array([[1.0], [2.0]]), np.array([[0.0], [0.0]]), sample_weight=[1, 3])
    assert seen == ["Tensor"]
    assert m.result() == pytest.approx((1 + 6) / 4)
    assert m.name == "mean_metric_wrapper"


def test_new_classes_are_found_by_name():
    for name in ("TruePositives", "FalseNegatives", "RootMeanSquaredError"):
        assert type(M.get(name)).__name__ == name
    assert M.get({"class_name": "PrecisionAtRecall", "config": {"recall": 0.5}}).value == 0.5
