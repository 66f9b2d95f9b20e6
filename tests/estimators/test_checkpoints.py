"""Checkpoints in a shared or hostile model_dir: planted symbolic links change nothing
outside it, and processes training in one model_dir never fail or mix their files."""

import json
import multiprocessing
import os

import numpy as np
import pytest
from tensorbridge import estimators as est
from tensorbridge.engine import keras

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file semantics")

FULL = os.environ.get("TENSORBRIDGE_TEST_FULL") == "1"


def _data(seed=0, n=64):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return {"x": x}, 3 * x + 1


def _snapshot(folder):
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(root, name)
            out[p] = os.readlink(p) if os.path.islink(p) else (
                open(p, "rb").read() if os.path.isfile(p) else None)
    return out


MAKERS = {
    "linear": lambda d: est.LinearRegressor([est.numeric_column("x")], model_dir=d),
    "kmeans": lambda d: est.KMeans(2, model_dir=d),
    "forest": lambda d: est.RandomForestRegressor([est.numeric_column("x")], model_dir=d,
                                                  n_trees=2),
    "boosted": lambda d: est.BoostedTreesRegressor(
        [est.bucketized_column(est.numeric_column("x"), [-1.0, 0.0, 1.0])], 1, model_dir=d,
        n_trees=2),
}
STATES = {"linear": "estimator.json", "kmeans": "kmeans.json", "forest": "forest.json",
          "boosted": "boosted_trees.json"}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_planted_symlinks_change_nothing_outside_model_dir(tmp_path, kind):
    model_dir, outside = tmp_path / "model", tmp_path / "outside"
    model_dir.mkdir()
    outside.mkdir()
    (outside / "victim").write_text("precious")
    state = STATES[kind]
    # the old fixed temp names, the checkpoint names themselves (dangling: not yet written)
    for name in (state + ".tmp", "checkpoint.keras.tmp"):
        (model_dir / name).symlink_to(outside / "victim")
    for name in (state, "checkpoint.keras"):
        (model_dir / name).symlink_to(outside / ("new-" + name))
    before = _snapshot(outside)
    x, y = _data()
    features = x if kind != "kmeans" else {"x": np.column_stack([x["x"], y])}
    MAKERS[kind](str(model_dir)).train(
        est.numpy_input_fn(features, None if kind == "kmeans" else y, batch_size=16,
                           num_epochs=1, shuffle=False))
    assert _snapshot(outside) == before
    assert not (model_dir / state).is_symlink()
    assert json.loads((model_dir / state).read_text())["global_step"] >= 1


def test_lock_file_planted_as_a_symlink_is_refused(tmp_path):
    model_dir, victim = tmp_path / "model", tmp_path / "victim"
    model_dir.mkdir()
    victim.write_text("precious")
    (model_dir / ".estimator.lock").symlink_to(victim)
    x, y = _data()
    with pytest.raises(OSError, match=r"\.estimator\.lock is a symbolic link; a lock file must "
                                      r"be a plain file: remove the link and try again"):
        MAKERS["linear"](str(model_dir)).train(est.numpy_input_fn(x, y, batch_size=16,
                                                                  num_epochs=1))
    assert victim.read_text() == "precious"


def _worker(model_dir, rounds, seed):
    """Train in ``model_dir`` ``rounds`` times; after each, read the checkpoint back under
    the lock: the state file's step must be the model file's optimizer step."""
    x, y = _data(seed)
    failures = []
    estimator = None
    for _ in range(rounds):
        try:
            if estimator is None:
                estimator = MAKERS["linear"](model_dir)
            estimator.train(est.numpy_input_fn(x, y, batch_size=16, num_epochs=1))
            with estimator._checkpoint_lock():
                step = json.loads(open(os.path.join(model_dir, "estimator.json")).read())
                model = keras.models.load_model(os.path.join(model_dir, "checkpoint.keras"))
                if model.optimizer.iterations != step["global_step"]:
                    failures.append(f"mismatch: state step {step['global_step']}, model step "
                                    f"{model.optimizer.iterations}")
        except Exception as exc:  # noqa: BLE001 (every failure is counted)
            failures.append(f"{type(exc).__name__}: {exc}")
    return failures


def test_two_processes_training_in_one_model_dir_never_fail(tmp_path):
    rounds = 150 if FULL else 25
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_worker, [(str(tmp_path), rounds, 1), (str(tmp_path), rounds, 2)])
    assert results == [[], []]
    leftovers = [n for n in os.listdir(tmp_path) if n not in (
        "estimator.json", "checkpoint.keras", ".estimator.lock")]
    assert leftovers == []
