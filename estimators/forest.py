"""Random forests: CART trees on bootstrap samples, each split chosen among
a random subset of the features (Breiman's random forest).

``train()`` reads the input function once to its end (one pass over the
data) and grows all the trees on what it read. A split is a threshold
halfway between two neighbouring values of a feature; classification trees
minimise the Gini impurity of the two sides (weighted by their sizes),
regression trees the sum of squared errors. A node becomes a leaf at
``max_depth``, when it has fewer than ``2 * min_samples_leaf`` rows, or when
it is pure. Predictions average the trees: class frequencies for
classifiers, means for regressors.
"""

from __future__ import annotations

import os

import numpy as np
from tensorbridge.engine.keras import _validate as _v

from .base import BaseEstimator, select_keys
from .canned import _batches, _Head, _label_dimension, _n_classes
from .clustering import dense_features

STATE = "forest.json"


def _best_split(x, target, features, min_leaf, classify, n_classes):
    """(gain, feature, threshold) of the best split of these rows, or None.
    ``target``: class ids (classification) or values (regression)."""
    n = len(target)
    if classify:
        onehot = np.eye(n_classes)[target]
        total = onehot.sum(axis=0)
        parent = n - (total ** 2).sum() / n  # n * gini
    else:
        parent = ((target - target.mean()) ** 2).sum()
    best = None
    for f in features:
        order = np.argsort(x[:, f], kind="mergesort")
        values = x[order, f]
        # split after position i (left = first i + 1 rows) where values change
        cut = np.flatnonzero(values[1:] > values[:-1])
        cut = cut[(cut + 1 >= min_leaf) & (n - cut - 1 >= min_leaf)]
        if not cut.size:
            continue
        n_left = (cut + 1).astype(np.float64)
        n_right = n - n_left
        if classify:
            left = np.cumsum(onehot[order], axis=0)[cut]
            right = total - left
            impurity = (n_left - (left ** 2).sum(axis=1) / n_left
                        + n_right - (right ** 2).sum(axis=1) / n_right)
        else:
            y = target[order]
            s1, s2 = np.cumsum(y)[cut], np.cumsum(y ** 2)[cut]
            t1, t2 = y.sum(), (y ** 2).sum()
            impurity = (s2 - s1 ** 2 / n_left) + ((t2 - s2) - (t1 - s1) ** 2 / n_right)
        i = int(np.argmin(impurity))
        gain = parent - impurity[i]
        if gain > 1e-12 and (best is None or gain > best[0]):
            best = (gain, f, float((values[cut[i]] + values[cut[i] + 1]) / 2))
    return best


class RandomForest(BaseEstimator):
    def __init__(self, head, feature_columns, model_dir=None, n_trees=100, max_depth=None,
                 min_samples_leaf=1, max_features="auto", bootstrap=True, seed=None):
        self.head = head
        self.columns = list(feature_columns)
        if not self.columns:
            raise ValueError("the estimator has no feature columns")
        me = type(self).__name__
        self.n_trees = _v.positive_int(me, "n_trees", n_trees)
        self.max_depth = _v.positive_int(me, "max_depth", max_depth, none_ok=True)
        self.min_samples_leaf = _v.positive_int(me, "min_samples_leaf", min_samples_leaf)
        self.max_features = max_features
        self.bootstrap = _v.boolean(me, "bootstrap", bootstrap)
        self.seed = seed
        self.model_dir = None if model_dir is None else os.fspath(model_dir)
        self.trees: list[dict] = []
        self.global_step = 0
        if self._has_state(STATE):
            self._restore()

    @property
    def _classify(self):
        return self.head.n_classes is not None

    def _n_split_features(self, p):
        m = self.max_features
        if m in ("auto", None):
            m = "sqrt" if self._classify else 1 / 3
        if m == "sqrt":
            return max(1, int(np.sqrt(p)))
        if m == "all":
            return p
        if isinstance(m, float) and 0 < m <= 1:
            return max(1, int(round(m * p)))
        if int(m) >= 1:
            return min(p, int(m))
        raise ValueError(f"max_features must be \"auto\", \"sqrt\", \"all\", a fraction or a "
                         f"count, got {m!r}")

    def _leaf_value(self, target):
        if self._classify:
            return (np.bincount(target, minlength=self.head.n_classes) / len(target)).tolist()
        return target.mean(axis=0).tolist() if target.ndim > 1 else [float(target.mean())]

    def _grow(self, x, target, rng):
        tree = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        k = self._n_split_features(x.shape[1])

        def node(rows, depth):
            i = len(tree["feature"])
            for key in ("feature", "threshold", "left", "right"):
                tree[key].append(-1)
            tree["value"].append(self._leaf_value(target[rows]))
            if (self.max_depth is not None and depth >= self.max_depth) or \
                    len(rows) < 2 * self.min_samples_leaf:
                return i
            features = rng.choice(x.shape[1], k, replace=False)
            best = _best_split(x[rows], target[rows], features, self.min_samples_leaf,
                               self._classify, self.head.n_classes)
            if best is None:
                return i
            _, f, threshold = best
            go_left = x[rows, f] <= threshold
            tree["feature"][i], tree["threshold"][i] = int(f), threshold
            tree["left"][i] = node(rows[go_left], depth + 1)
            tree["right"][i] = node(rows[~go_left], depth + 1)
            return i

        node(np.arange(len(x)), 0)
        return tree

    def train(self, input_fn, steps=None, max_steps=None, verbose=False, log_every_n_steps=100):
        """Grow the forest on everything the input function gives in one pass
        (``steps`` caps the number of batches read)."""
        xs, ys = [], []
        for i, (features, labels) in enumerate(_batches(input_fn, "train")):
            if steps is not None and i >= int(steps):
                break
            if labels is None:
                raise ValueError("train() needs labels: the input function has no response")
            xs.append(dense_features(self.columns, features))
            ys.append(self.head.labels(labels))
            self.global_step += 1
        if not xs:
            raise ValueError("the input function gave no batches")
        x = np.concatenate(xs)
        target = np.concatenate(ys)
        target = target.astype(np.int64).ravel() if self._classify else target.astype(np.float64)
        if not self._classify and target.shape[1] == 1:
            target = target[:, 0]
        rng = np.random.default_rng(self.seed)
        self.trees = []
        for _ in range(self.n_trees):
            rows = rng.integers(0, len(x), len(x)) if self.bootstrap else np.arange(len(x))
            self.trees.append(self._grow(x[rows], target[rows], rng))
        if verbose:
            print(f"grew {self.n_trees} trees on {len(x)} rows", flush=True)
        self._checkpoint()
        return self

    def _average(self, x):
        out = None
        for tree in self.trees:
            node = np.zeros(len(x), dtype=np.int64)
            feature, threshold = np.asarray(tree["feature"]), np.asarray(tree["threshold"])
            left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
            inner = feature[node] >= 0
            while inner.any():
                r = np.flatnonzero(inner)
                go = x[r, feature[node[r]]] <= threshold[node[r]]
                node[r] = np.where(go, left[node[r]], right[node[r]])
                inner = feature[node] >= 0
            values = np.asarray(tree["value"])[node]
            out = values if out is None else out + values
        return out / len(self.trees)

    def _all(self, input_fn, what):
        if not self.trees:
            raise ValueError(f"{what}() needs a trained estimator: call train() first")
        labels, outputs = [], []
        for features, y in _batches(input_fn, what):
            outputs.append(self._average(dense_features(self.columns, features)))
            labels.append(None if y is None else self.head.labels(y))
        return labels, np.concatenate(outputs)

    def _predictions(self, averaged):
        if not self._classify:
            return {"predictions": averaged}
        ids = averaged.argmax(axis=1)
        names = self.head.label_vocabulary or [str(i) for i in range(self.head.n_classes)]
        return {"probabilities": averaged, "class_ids": ids,
                "classes": np.array([names[i] for i in ids], dtype=object)}

    def predict(self, input_fn, predict_keys=None):
        _, averaged = self._all(input_fn, "predict")
        return select_keys(self._predictions(averaged), predict_keys)

    def evaluate(self, input_fn, steps=None):
        labels, averaged = self._all(input_fn, "evaluate")
        if any(y is None for y in labels):
            raise ValueError("evaluate() needs labels: the input function has no response")
        y = np.concatenate(labels)
        if self._classify:
            y = y.astype(np.int64).ravel()
            p = np.clip(averaged[np.arange(len(y)), y], 1e-12, 1.0)
            out = {"accuracy": float(np.mean(averaged.argmax(axis=1) == y)),
                   "average_loss": float(-np.mean(np.log(p)))}
        else:
            err = float(np.mean((averaged.reshape(y.shape) - y) ** 2))
            out = {"average_loss": err}
        out["loss"] = out["average_loss"]
        out["global_step"] = self.global_step
        return out

    def _signature(self):
        return {"columns": [repr(c) for c in self.columns],
                "head": [self.head.n_classes, self.head.units]}

    def _checkpoint(self):
        if self.model_dir is None:
            return
        self._write_state(STATE, {"trees": self.trees})

    def _restore(self):
        self.trees = self._read_state(STATE, "forest")["trees"]


class RandomForestClassifier(RandomForest):
    def __init__(self, feature_columns, model_dir=None, n_classes=2, label_vocabulary=None,
                 **options):
        super().__init__(_Head(_n_classes(n_classes, label_vocabulary),
                               label_vocabulary=label_vocabulary),
                         feature_columns, model_dir, **options)


class RandomForestRegressor(RandomForest):
    def __init__(self, feature_columns, model_dir=None, label_dimension=1, **options):
        super().__init__(_Head(label_dimension=_label_dimension(label_dimension)), feature_columns,
                         model_dir, **options)
