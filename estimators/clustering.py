"""k-means clustering, as ``tf.compat.v1.estimator.experimental.KMeans``.

Each training step reads one batch. The first batch picks the initial
centres (``"random"`` rows, ``"kmeans_plus_plus"`` seeding, or given
centres). With ``use_mini_batch`` (the default) a step moves each centre
towards the mean of the batch rows assigned to it, by the share those rows
have among all rows it has been given so far (Sculley's mini-batch
k-means); without it a step is one Lloyd iteration over its batch (give the
whole data as one batch). Distances are squared Euclidean, or cosine
distances between unit-normalised rows.
"""

from __future__ import annotations

import os

import numpy as np
from tensorbridge.engine.keras import _validate as _v

from . import feature_column as fc
from .base import BaseEstimator, StepLog, check_steps, select_keys
from .canned import _batches

STATE = "kmeans.json"


def dense_features(columns, features) -> np.ndarray:
    """Numeric, bucketized (one-hot) and indicator columns side by side; all
    numeric features when no columns are given."""
    if not columns:
        arrays = [np.asarray(v, np.float64).reshape(len(v), -1) for k, v in features.items()
                  if k != "__row_numbers__" and np.asarray(v).dtype.kind in "biuf"]
        if not arrays:
            raise ValueError("the input has no numeric features; give feature_columns")
        return np.concatenate(arrays, axis=1)
    parts = []
    for c in columns:
        if isinstance(c, (fc.NumericColumn, fc.IndicatorColumn)):
            parts.append(c.dense(features))
        elif isinstance(c, fc.CategoricalColumn):
            parts.append(c.one_hot(features))
        else:
            raise TypeError(f"{type(c).__name__} {c.name!r} cannot be used here; give numeric, "
                            "bucketized, categorical or indicator columns")
    return np.concatenate(parts, axis=1).astype(np.float64)


class KMeans(BaseEstimator):
    def __init__(self, num_clusters, model_dir=None, initial_clusters="random",
                 distance_metric="squared_euclidean", random_seed=0, use_mini_batch=True,
                 feature_columns=None):
        self.num_clusters = _v.positive_int("KMeans", "num_clusters", num_clusters)
        if isinstance(initial_clusters, str):
            if initial_clusters not in ("random", "kmeans_plus_plus"):
                raise ValueError("initial_clusters must be \"random\", \"kmeans_plus_plus\" or "
                                 f"a matrix of centres, got {initial_clusters!r}")
        else:
            initial_clusters = np.asarray(initial_clusters, np.float64)
            if initial_clusters.ndim != 2 or len(initial_clusters) != self.num_clusters:
                raise ValueError(f"initial_clusters must have {self.num_clusters} rows (one per "
                                 f"cluster), got shape {initial_clusters.shape}")
        if distance_metric not in ("squared_euclidean", "cosine"):
            raise ValueError("distance_metric must be \"squared_euclidean\" or \"cosine\", got "
                             f"{distance_metric!r}")
        self.initial_clusters = initial_clusters
        self.distance_metric = distance_metric
        self.rng = np.random.default_rng(random_seed)
        self.use_mini_batch = _v.boolean("KMeans", "use_mini_batch", use_mini_batch)
        self.columns = list(feature_columns or [])
        self.model_dir = None if model_dir is None else os.fspath(model_dir)
        self.centers = None
        self.counts = None
        self.global_step = 0
        if self._has_state(STATE):
            self._restore()

    def _rows(self, features):
        x = dense_features(self.columns, features)
        if self.distance_metric == "cosine":
            norms = np.linalg.norm(x, axis=1, keepdims=True)
            x = x / np.where(norms > 0, norms, 1.0)
        return x

    def _distances(self, x):
        if self.distance_metric == "cosine":
            return 1.0 - x @ self.centers.T
        return ((x[:, None, :] - self.centers[None, :, :]) ** 2).sum(axis=2)

    def _initialise(self, x):
        k = self.num_clusters
        if not isinstance(self.initial_clusters, str):
            centers = self.initial_clusters.copy()
            if centers.shape[1] != x.shape[1]:
                raise ValueError(f"initial_clusters have {centers.shape[1]} columns but the "
                                 f"features have {x.shape[1]}")
        elif len(x) < k:
            raise ValueError(f"the first batch has {len(x)} rows, fewer than the {k} clusters; "
                             "use a larger batch_size")
        elif self.initial_clusters == "random":
            centers = x[self.rng.choice(len(x), k, replace=False)]
        else:  # k-means++: each next centre with probability proportional to D(x)^2
            centers = [x[self.rng.integers(len(x))]]
            for _ in range(1, k):
                d = ((x[:, None, :] - np.asarray(centers)[None]) ** 2).sum(axis=2).min(axis=1)
                p = d / d.sum() if d.sum() > 0 else np.full(len(x), 1.0 / len(x))
                centers.append(x[self.rng.choice(len(x), p=p)])
            centers = np.asarray(centers)
        self.centers = np.asarray(centers, np.float64)
        if self.distance_metric == "cosine":
            self.centers /= np.maximum(np.linalg.norm(self.centers, axis=1, keepdims=True), 1e-12)
        self.counts = np.zeros(k)

    def train(self, input_fn, steps=None, max_steps=None, verbose=False, log_every_n_steps=100):
        check_steps(steps, max_steps)
        log = StepLog(verbose, log_every_n_steps)
        done = 0
        for features, _ in _batches(input_fn, "train"):
            if max_steps is not None and self.global_step >= int(max_steps):
                break
            x = self._rows(features)
            if self.centers is None:
                self._initialise(x)
            distances = self._distances(x)
            nearest = distances.argmin(axis=1)
            for j in range(self.num_clusters):
                members = x[nearest == j]
                if not len(members):
                    continue
                if self.use_mini_batch:
                    self.counts[j] += len(members)
                    self.centers[j] += (members.sum(axis=0) - len(members) * self.centers[j]) \
                        / self.counts[j]
                else:
                    self.centers[j] = members.mean(axis=0)
            if self.distance_metric == "cosine":
                self.centers /= np.maximum(np.linalg.norm(self.centers, axis=1, keepdims=True),
                                           1e-12)
            self.global_step += 1
            log.add(self.global_step, distances.min(axis=1).mean())  # before this step's move
            done += 1
            if steps is not None and done >= int(steps):
                break
        log.flush(self.global_step)
        if done == 0 and self.centers is None:
            raise ValueError("the input function gave no batches")
        self._checkpoint()
        return self

    def cluster_centers(self):
        self._need_centers("cluster_centers")
        return self.centers.copy()

    def _need_centers(self, what):
        if self.centers is None:
            raise ValueError(f"{what}() needs a trained estimator: call train() first")

    def _all_distances(self, input_fn, what):
        self._need_centers(what)
        parts = [self._distances(self._rows(f)) for f, _ in _batches(input_fn, what)]
        return np.concatenate(parts)

    def predict(self, input_fn, predict_keys=None):
        d = self._all_distances(input_fn, "predict")
        return select_keys({"cluster_index": d.argmin(axis=1), "all_distances": d},
                           predict_keys)

    def score(self, input_fn):
        """The sum of each row's distance to its nearest centre."""
        return float(self._all_distances(input_fn, "evaluate").min(axis=1).sum())

    def evaluate(self, input_fn, steps=None):
        s = self.score(input_fn)
        return {"score": s, "loss": s, "global_step": self.global_step}

    def _checkpoint(self):
        if self.model_dir is None or self.centers is None:
            return
        self._write_state(STATE, {"centers": self.centers.tolist(),
                                  "counts": self.counts.tolist()})

    def _signature(self):
        return [self.num_clusters, self.distance_metric, [repr(c) for c in self.columns]]

    def _restore(self):
        state = self._read_state(STATE, "k-means estimator")
        self.centers = np.asarray(state["centers"])
        self.counts = np.asarray(state["counts"])
