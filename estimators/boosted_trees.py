"""Gradient-boosted trees, as ``tf.estimator.BoostedTreesRegressor`` and
``BoostedTreesClassifier``.

Features are bucket ids: a bucketized column is one ordered feature, an
indicator column one 0/1 feature per category. Trees grow one layer at a
time: the gradients and hessians of the loss are summed per (leaf, feature,
bucket) over ``n_batches_per_layer`` batches, then every leaf takes the split
with the largest gain

    gain = 1/2 [T(G_L)^2 / (H_L + l2) + T(G_R)^2 / (H_R + l2) - T(G)^2 / (H + l2)]
           - tree_complexity,          T(g) = sign(g) max(|g| - l1, 0),

if it is positive and both sides keep a mean hessian of at least
``min_node_weight``; a new leaf's value is its parent's plus
``learning_rate * -T(G) / (H + l2)`` (one Newton step; a root that cannot
split takes that step itself). A tree is done at
``max_depth`` or when no leaf splits; training stops after ``n_trees``.
Multi-class models use one logit per class with the diagonal of the hessian.
"""

from __future__ import annotations

import os

import numpy as np
from tensorbridge.engine.keras import _validate as _v

from . import feature_column as fc
from .base import BaseEstimator, check_steps, select_keys
from .canned import _batches, _Head, _label_dimension, _n_classes

STATE = "boosted_trees.json"


def _soft(g, l1):
    return np.sign(g) * np.maximum(np.abs(g) - l1, 0.0) if l1 else g


class _Features:
    """Bucketized and indicator columns as a matrix of bucket ids."""

    def __init__(self, columns):
        self.columns = list(columns)
        self.sizes = []
        for c in self.columns:
            if isinstance(c, fc.BucketizedColumn):
                self.sizes.append(c.num_buckets)
            elif isinstance(c, fc.IndicatorColumn):
                self.sizes.extend([2] * c.width)
            else:
                raise TypeError(f"boosted trees take bucketized and indicator columns; "
                                f"{c.name!r} is not one (cut numbers with "
                                "column_bucketized(), wrap categories in column_indicator())")
        if not self.columns:
            raise ValueError("the estimator has no feature columns")

    def buckets(self, features) -> np.ndarray:
        parts = []
        for c in self.columns:
            if isinstance(c, fc.BucketizedColumn):
                parts.append(c.ids(features)[:, None])
            else:
                parts.append(c.dense(features).astype(np.int64))
        return np.concatenate(parts, axis=1)


class BoostedTrees(BaseEstimator):
    """The common part of the boosted trees regressor and classifier."""

    def __init__(self, head, feature_columns, n_batches_per_layer, model_dir=None, n_trees=100,
                 max_depth=6, learning_rate=0.1, l1_regularization=0.0, l2_regularization=0.0,
                 tree_complexity=0.0, min_node_weight=0.0):
        self.head = head
        self.features = _Features(feature_columns)
        me = type(self).__name__
        self.n_batches_per_layer = _v.positive_int(me, "n_batches_per_layer", n_batches_per_layer)
        self.n_trees = _v.positive_int(me, "n_trees", n_trees)
        self.max_depth = _v.positive_int(me, "max_depth", max_depth)
        self.learning_rate = _v.positive(me, "learning_rate", learning_rate)
        self.l1 = _v.non_negative(me, "l1_regularization", l1_regularization)
        self.l2 = _v.non_negative(me, "l2_regularization", l2_regularization)
        self.tree_complexity = _v.non_negative(me, "tree_complexity", tree_complexity)
        self.min_node_weight = _v.non_negative(me, "min_node_weight", min_node_weight)
        self.model_dir = None if model_dir is None else os.fspath(model_dir)
        self.global_step = 0
        # finished trees, then the one growing; a tree is a dict of node arrays
        self.trees: list[dict] = []
        self._growing = None
        self._stats = None  # (G, H, rows) summed over this layer's batches
        self._batches_in_layer = 0
        if self._has_state(STATE):
            self._restore()

    @property
    def done(self) -> bool:
        return len(self.trees) >= self.n_trees

    # -- trees --------------------------------------------------------------------------------
    def _new_tree(self):
        k = self.head.units
        return {"feature": [-1], "threshold": [0], "left": [-1], "right": [-1],
                "value": [[0.0] * k], "depth": 0}

    @staticmethod
    def _leaves(tree, buckets):
        """Each row's leaf in ``tree``."""
        node = np.zeros(len(buckets), dtype=np.int64)
        feature = np.asarray(tree["feature"])
        threshold = np.asarray(tree["threshold"])
        left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
        while True:
            inner = feature[node] >= 0
            if not inner.any():
                return node
            rows = np.flatnonzero(inner)
            f = feature[node[rows]]
            go_left = buckets[rows, f] <= threshold[node[rows]]
            node[rows] = np.where(go_left, left[node[rows]], right[node[rows]])

    def _logits(self, buckets, include_growing=True):
        out = np.zeros((len(buckets), self.head.units))
        trees = self.trees + ([self._growing] if include_growing and self._growing else [])
        for tree in trees:
            out += np.asarray(tree["value"])[self._leaves(tree, buckets)]
        return out

    def _grad_hess(self, logits, labels):
        if self.head.n_classes is None:  # squared error
            y = labels.reshape(logits.shape)
            return 2.0 * (logits - y), np.full_like(logits, 2.0)
        if self.head.n_classes == 2:
            p = 1.0 / (1.0 + np.exp(-logits))
            y = labels.reshape(logits.shape)
            return p - y, p * (1.0 - p)
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = z / z.sum(axis=1, keepdims=True)
        y = np.zeros_like(p)
        y[np.arange(len(p)), labels.astype(np.int64)] = 1.0
        return p - y, p * (1.0 - p)

    def _accumulate(self, buckets, labels):
        tree = self._growing
        g, h = self._grad_hess(self._logits(buckets), labels)
        leaves = self._leaves(tree, buckets)
        n_nodes, k = len(tree["feature"]), self.head.units
        if self._stats is None:
            self._stats = ([np.zeros((n_nodes, s, k)) for s in self.features.sizes],
                           [np.zeros((n_nodes, s, k)) for s in self.features.sizes], 0)
        G, H, rows = self._stats
        for f, size in enumerate(self.features.sizes):
            flat = leaves * size + np.clip(buckets[:, f], 0, size - 1)
            for j in range(k):
                G[f][..., j] += np.bincount(flat, g[:, j], n_nodes * size).reshape(n_nodes, size)
                H[f][..., j] += np.bincount(flat, h[:, j], n_nodes * size).reshape(n_nodes, size)
        self._stats = (G, H, rows + len(buckets))

    def _denominator(self, h):
        # a floor keeps saturated probabilities (a hessian of 0) from giving
        # infinite steps; it only matters where h + l2 is tiny
        return np.maximum(h + self.l2, 1e-6)

    def _node_score(self, g, h):
        return 0.5 * np.sum(_soft(g, self.l1) ** 2 / self._denominator(h), axis=-1)

    def _grow_layer(self):
        """Split the growing tree's leaves where the accumulated stats say so."""
        tree = self._growing
        G, H, rows = self._stats
        split_any = False
        for node in range(len(tree["feature"])):
            if tree["feature"][node] >= 0 or tree["left"][node] == -2:
                continue  # inner node, or a leaf that stopped growing
            total_g, total_h = G[0][node].sum(axis=0), H[0][node].sum(axis=0)
            if not np.any(total_h):
                tree["left"][node] = -2  # no rows reach it
                continue
            best = (0.0, None, None, None, None)
            for f in range(len(G)):
                gl = np.cumsum(G[f][node], axis=0)[:-1]
                hl = np.cumsum(H[f][node], axis=0)[:-1]
                gr, hr = total_g - gl, total_h - hl
                gain = (self._node_score(gl, hl) + self._node_score(gr, hr)
                        - self._node_score(total_g, total_h) - self.tree_complexity)
                ok = ((hl.sum(axis=1) / rows >= self.min_node_weight)
                      & (hr.sum(axis=1) / rows >= self.min_node_weight)
                      & (hl.sum(axis=1) > 0) & (hr.sum(axis=1) > 0))
                gain = np.where(ok, gain, -np.inf)
                if gain.size and gain.max() > best[0]:
                    b = int(gain.argmax())
                    best = (float(gain[b]), f, b, (gl[b], hl[b]), (gr[b], hr[b]))
            if best[1] is None:
                tree["left"][node] = -2
                if node == 0:  # a tree that cannot split at all still fits a constant
                    step = -_soft(total_g, self.l1) / self._denominator(total_h)
                    tree["value"][0] = (self.learning_rate * step).tolist()
                continue
            _, f, b, (gl, hl), (gr, hr) = best
            parent = np.asarray(tree["value"][node])
            children = []
            for g, h in ((gl, hl), (gr, hr)):
                step = -_soft(g, self.l1) / self._denominator(h)
                children.append(len(tree["feature"]))
                tree["feature"].append(-1)
                tree["threshold"].append(0)
                tree["left"].append(-1)
                tree["right"].append(-1)
                tree["value"].append((parent + self.learning_rate * step).tolist())
            tree["feature"][node], tree["threshold"][node] = f, b
            tree["left"][node], tree["right"][node] = children
            split_any = True
        tree["depth"] += 1
        self._stats, self._batches_in_layer = None, 0
        if not split_any or tree["depth"] >= self.max_depth:
            tree["left"] = [-1 if v == -2 else v for v in tree["left"]]
            self.trees.append(tree)
            self._growing = None

    # -- the estimator API --------------------------------------------------------------------
    def train(self, input_fn, steps=None, max_steps=None, verbose=False, log_every_n_steps=100):
        check_steps(steps, max_steps)
        done = 0
        for features, labels in _batches(input_fn, "train"):
            if self.done or (max_steps is not None and self.global_step >= int(max_steps)):
                break
            if labels is None:
                raise ValueError("train() needs labels: the input function has no response")
            if self._growing is None:
                self._growing = self._new_tree()
            self._accumulate(self.features.buckets(features), self.head.labels(labels))
            self._batches_in_layer += 1
            if self._batches_in_layer >= self.n_batches_per_layer:
                self._grow_layer()
            self.global_step += 1
            done += 1
            if steps is not None and done >= int(steps):
                break
        if verbose:
            print(f"step {self.global_step}: {len(self.trees)} of {self.n_trees} trees grown",
                  flush=True)
        self._checkpoint()
        return self

    def _all_logits(self, input_fn, what):
        labels, logits = [], []
        for features, y in _batches(input_fn, what):
            logits.append(self._logits(self.features.buckets(features)))
            labels.append(None if y is None else self.head.labels(y))
        if not logits:
            raise ValueError("the input function gave no batches")
        return labels, np.concatenate(logits).astype(np.float32)

    def evaluate(self, input_fn, steps=None):
        labels, logits = self._all_logits(input_fn, "evaluate")
        if any(y is None for y in labels):
            raise ValueError("evaluate() needs labels: the input function has no response")
        out = self.head.metrics(np.concatenate(labels), logits)
        out["global_step"] = self.global_step
        return out

    def predict(self, input_fn, predict_keys=None):
        _, logits = self._all_logits(input_fn, "predict")
        return select_keys(self.head.predictions(logits), predict_keys)

    # -- checkpoints --------------------------------------------------------------------------
    def _signature(self):
        return {"columns": [repr(c) for c in self.features.columns],
                "head": [self.head.n_classes, self.head.units]}

    def _checkpoint(self):
        if self.model_dir is None:
            return
        self._write_state(STATE, {
            "trees": self.trees, "growing": self._growing,
            "batches_in_layer": self._batches_in_layer,
            "stats": None if self._stats is None else {
                "G": [a.tolist() for a in self._stats[0]],
                "H": [a.tolist() for a in self._stats[1]], "rows": self._stats[2]}})

    def _restore(self):
        state = self._read_state(STATE, "boosted trees estimator")
        self.trees, self._growing = state["trees"], state["growing"]
        self._batches_in_layer = int(state["batches_in_layer"])
        stats = state["stats"]
        self._stats = None if stats is None else (
            [np.asarray(a) for a in stats["G"]], [np.asarray(a) for a in stats["H"]],
            int(stats["rows"]))


class BoostedTreesRegressor(BoostedTrees):
    def __init__(self, feature_columns, n_batches_per_layer, model_dir=None, label_dimension=1,
                 **options):
        super().__init__(_Head(label_dimension=_label_dimension(label_dimension)), feature_columns,
                         n_batches_per_layer, model_dir, **options)


class BoostedTreesClassifier(BoostedTrees):
    def __init__(self, feature_columns, n_batches_per_layer, model_dir=None, n_classes=2,
                 label_vocabulary=None, **options):
        super().__init__(_Head(_n_classes(n_classes, label_vocabulary),
                               label_vocabulary=label_vocabulary),
                         feature_columns, n_batches_per_layer, model_dir, **options)
