"""What every estimator here is: something to ``train``, ``evaluate`` and
``predict`` with input functions (the R package's methods dispatch on it),
with its checkpoint in ``model_dir``.

Checkpoint files are written atomically through unique temp files (never
through a planted symbolic link) and read and written under a lock on
``model_dir`` (``model_dir/.estimator.lock``), so processes sharing a
``model_dir`` never see each other's half-written or mismatched files."""

from __future__ import annotations

import json
import os

from tensorbridge.engine._files import DirLock, atomic_write

LOCK_FILE = ".estimator.lock"


class BaseEstimator:
    """The estimator interface: ``train(input_fn, steps=None,
    max_steps=None)``, ``evaluate(input_fn, steps=None)`` -> dict of metrics,
    ``predict(input_fn, predict_keys=None)`` -> dict of arrays, and a
    ``global_step``. Subclasses say what identifies them (``_signature``),
    so that a ``model_dir`` is never resumed by a different estimator."""

    global_step = 0
    model_dir = None

    def _signature(self):
        raise NotImplementedError

    def _has_state(self, filename: str) -> bool:
        return self.model_dir is not None and os.path.exists(os.path.join(self.model_dir,
                                                                          filename))

    def _checkpoint_lock(self) -> DirLock:
        """The lock on ``model_dir`` to hold while reading or writing a checkpoint
        made of several files (re-entrant: ``_write_state`` takes it too)."""
        os.makedirs(self.model_dir, exist_ok=True)
        return DirLock(self.model_dir, LOCK_FILE)

    def _write_state(self, filename: str, state: dict) -> None:
        """``state`` with the signature and global step, written atomically."""
        data = {"signature": self._signature(), "global_step": self.global_step, **state}
        with self._checkpoint_lock():
            atomic_write(os.path.join(self.model_dir, filename),
                         lambda f: json.dump(data, f), text=True)

    def _read_state(self, filename: str, what: str) -> dict:
        with self._checkpoint_lock(), open(os.path.join(self.model_dir, filename)) as f:
            state = json.load(f)
        if state.get("signature") != json.loads(json.dumps(self._signature())):
            raise ValueError(f"model_dir {self.model_dir!r} holds a checkpoint of a different "
                             f"{what} (other feature columns or settings); give another "
                             "model_dir or the same specification")
        self.global_step = int(state["global_step"])
        return state


def check_steps(steps, max_steps) -> None:
    for name, v in (("steps", steps), ("max_steps", max_steps)):
        if v is not None and int(v) < 1:
            raise ValueError(f"{name} must be a positive whole number, got {v}")


def select_keys(out: dict, predict_keys) -> dict:
    """The predictions ``predict_keys`` names (all of them for None)."""
    if predict_keys is None:
        return out
    keys = [predict_keys] if isinstance(predict_keys, str) else list(predict_keys)
    unknown = [k for k in keys if k not in out]
    if unknown:
        raise ValueError(f"predict_keys {unknown} are not among {sorted(out)}")
    return {k: out[k] for k in keys}


class StepLog:
    """Training progress: the mean loss over each ``every`` steps, kept in
    ``history`` and printed when ``verbose``."""

    def __init__(self, verbose=False, every=100):
        self.verbose, self.every = bool(verbose), max(1, int(every))
        self.history: list[tuple[int, float]] = []
        self._losses: list[float] = []

    def add(self, step: int, loss) -> None:
        self._losses.append(float(loss))
        if step % self.every == 0:
            self.flush(step)

    def flush(self, step: int) -> None:
        if not self._losses:
            return
        mean = sum(self._losses) / len(self._losses)
        self.history.append((step, mean))
        self._losses = []
        if self.verbose:
            print(f"step {step}: loss {mean:.4g}", flush=True)
