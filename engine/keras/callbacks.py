"""``keras.callbacks``: the only extension point of ``Model.fit``.

Hooks and their ``logs`` (a dict of floats) follow keras.  The progress bar
writes to ``sys.stdout`` (which the R bridge routes to R's console); it
redraws one line with ``\\r`` when the console is dynamic (a TTY, or
``TENSORBRIDGE_PROGRESS_DYNAMIC=1`` / ``callbacks.DYNAMIC_DISPLAY = True`` set by
the bridge) and at most every 0.1 s; otherwise it prints the finished line.
"""

import csv
import math
import os
import sys
import time

import numpy as np

from .._env import getenv

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping",
           "ModelCheckpoint", "ReduceLROnPlateau", "LearningRateScheduler", "CSVLogger",
           "TerminateOnNaN", "LambdaCallback", "Progbar"]

DYNAMIC_DISPLAY = None  # None: decide from the environment


def _dynamic():
    if DYNAMIC_DISPLAY is not None:
        return bool(DYNAMIC_DISPLAY)
    env = getenv("TENSORBRIDGE_PROGRESS_DYNAMIC")
    if env is not None:
        return env.strip().lower() in ("1", "true", "yes")
    out = sys.stdout
    return bool(getattr(out, "isatty", lambda: False)()) or "ipykernel" in sys.modules


class Callback:
    """Base class; ``self.model`` and ``self.params`` are set by ``fit``."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        pass

    def on_train_batch_end(self, batch, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass


_HOOKS = [n for n in vars(Callback) if n.startswith("on_")]


class CallbackList:
    """Calls a hook on every callback, skipping callbacks that do not override it."""

    def __init__(self, callbacks=None, model=None, params=None):
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be keras.callbacks.Callback objects, got "
                                f"{type(cb).__name__}")
        if model is not None:
            for cb in self.callbacks:
                cb.set_model(model)
        if params is not None:
            for cb in self.callbacks:
                cb.set_params(params)
        self._active = {h: [getattr(cb, h) for cb in self.callbacks
                            if _overrides(cb, h)] for h in _HOOKS}

    def wants(self, hook):
        return bool(self._active[hook])

    def call(self, hook, *args):
        for fn in self._active[hook]:
            fn(*args)

    def __iter__(self):
        return iter(self.callbacks)


def _overrides(cb, hook):
    if isinstance(cb, LambdaCallback):
        return getattr(cb, hook) is not _noop
    return getattr(type(cb), hook, None) is not getattr(Callback, hook)


class History(Callback):
    """Records the epoch logs; ``fit`` returns it (``history.history["loss"]`` …)."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)

    def __repr__(self):
        return f"<History epochs={len(self.epoch)} metrics={list(self.history)}>"


def _fmt_value(v):
    v = float(v)
    if v != 0 and abs(v) < 1e-3:
        return f"{v:.4e}"
    return f"{v:.4f}"


def _fmt_time(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(round(seconds))}s"


def _per_step(seconds):
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


class Progbar:
    """A keras-style progress bar: ``12/375 [>....] - ETA: 3s - loss: 0.6``."""

    def __init__(self, target, width=30, verbose=1, interval=0.1, stream=None):
        self.target, self.width, self.verbose, self.interval = target, width, verbose, interval
        self.stream = stream
        self.dynamic = _dynamic()
        self.start = time.time()
        self.last_draw = 0.0
        self.prev_len = 0

    def _write(self, text):
        out = self.stream or sys.stdout
        out.write(text)
        out.flush()

    def update(self, current, values=None, finalize=False):
        now = time.time()
        if self.verbose != 1:
            if finalize and self.verbose == 2:
                el = now - self.start
                line = f"{current}/{self.target} - {_fmt_time(el)} - " \
                       f"{_per_step(el / max(current, 1))}"
                self._write(line + _logs(values) + "\n")
            return
        if not finalize and (not self.dynamic or now - self.last_draw < self.interval):
            return
        self.last_draw = now
        el = now - self.start
        target = self.target
        if target:
            frac = min(current / target, 1.0)
            done = int(self.width * frac)
            bar = "=" * done
            if current < target:
                bar = bar[:-1] + ">" if done else ">"
            bar = f"{current}/{target} [{bar:.<{self.width}}]"
        else:
            bar = f"{current}/Unknown"
        if finalize:
            timing = f" - {_fmt_time(el)} {_per_step(el / max(current, 1))}"
        else:
            eta = el / max(current, 1) * (target - current) if target else 0
            timing = f" - ETA: {_fmt_time(eta)}"
        line = bar + timing + _logs(values)
        if self.dynamic:
            pad = " " * max(self.prev_len - len(line), 0)
            self.prev_len = len(line)
            self._write("\r" + line + pad + ("\n" if finalize else ""))
        else:
            self._write(line + "\n")


def _logs(values):
    if not values:
        return ""
    return "".join(f" - {k}: {_fmt_value(v)}" for k, v in values.items()
                   if isinstance(v, (int, float, np.floating, np.integer)))


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and a progress bar (verbose=1) or one line per epoch (2)."""

    def __init__(self, count_mode="steps", verbose=1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream
        self._bar = None
        self._mode = "train"

    def _write(self, text):
        out = self.stream or sys.stdout
        out.write(text)
        out.flush()

    def on_train_begin(self, logs=None):
        self.epochs = self.params.get("epochs", 1)
        self._mode = "train"

    def on_epoch_begin(self, epoch, logs=None):
        self._write(f"Epoch {epoch + 1}/{self.epochs}\n")
        self._bar = Progbar(self.params.get("steps"), verbose=self.verbose, stream=self.stream)
        self._mode = "train"

    def on_train_batch_end(self, batch, logs=None):
        self._bar.update(batch + 1, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._bar.update(self._bar_steps or self.params.get("steps"), logs, finalize=True)
        self._bar_steps = None

    _bar_steps = None

    def on_train_batch_begin(self, batch, logs=None):
        self._bar_steps = batch + 1

    def on_test_begin(self, logs=None):
        if self.model is not None and getattr(self.model, "_in_fit", False):
            return
        self._mode = "test"
        self._bar = Progbar(self.params.get("steps"), verbose=self.verbose, stream=self.stream)
        self._last = 0

    def on_test_batch_end(self, batch, logs=None):
        if self._mode == "test":
            self._last = batch + 1
            self._bar.update(batch + 1, logs)

    def on_test_end(self, logs=None):
        if self._mode == "test":
            self._bar.update(self._last, logs, finalize=True)

    def on_predict_begin(self, logs=None):
        self._mode = "predict"
        self._bar = Progbar(self.params.get("steps"), verbose=self.verbose, stream=self.stream)
        self._last = 0

    def on_predict_batch_end(self, batch, logs=None):
        self._last = batch + 1
        self._bar.update(batch + 1)

    def on_predict_end(self, logs=None):
        self._bar.update(self._last, finalize=True)


# -- monitoring helpers ------------------------------------------------------------------------
def _mode_op(mode, monitor, who):
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{who}: mode {mode!r}; expected 'auto', 'min' or 'max'")
    if mode == "auto":
        mode = "max" if ("acc" in monitor or monitor.startswith("fmeasure")
                         or "auc" in monitor or "precision" in monitor
                         or "recall" in monitor) else "min"
    return mode


class _Monitor(Callback):
    def __init__(self, monitor, mode, min_delta, who):
        super().__init__()
        self.monitor = monitor
        self.mode = _mode_op(mode, monitor, who)
        self.min_delta = abs(min_delta) if self.mode == "max" else -abs(min_delta)
        self._who = who

    def _improved(self, current, reference):
        if reference is None:
            return True
        if self.mode == "max":
            return current - self.min_delta > reference
        return current - self.min_delta < reference

    def _get(self, logs):
        v = (logs or {}).get(self.monitor)
        if v is None:
            import warnings

            warnings.warn(f"{self._who}: the monitored metric {self.monitor!r} is not "
                          f"available; available metrics are {sorted(logs or {})}",
                          stacklevel=3)
        return v


class EarlyStopping(_Monitor):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta, "EarlyStopping")
        self.patience, self.verbose, self.baseline = int(patience), verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self._get(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
        self.wait += 1
        if self._improved(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improved(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Save the model (or weights) after each epoch to ``filepath`` formatted with
    ``epoch`` (1-based, like keras) and the epoch's logs: ``"w.{epoch:02d}-{val_loss:.2f}"``."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, 0, "ModelCheckpoint")
        self.filepath = os.fspath(filepath)
        self.verbose, self.save_best_only = verbose, save_best_only
        self.save_weights_only = save_weights_only
        if save_freq != "epoch":
            raise ValueError("ModelCheckpoint: only save_freq='epoch' is supported")
        self.best = initial_value_threshold

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        try:
            path = self.filepath.format(epoch=epoch + 1, **logs)
        except KeyError as exc:
            raise KeyError(f"ModelCheckpoint: filepath {self.filepath!r} uses {exc}, which is "
                           f"not among the epoch's logs {sorted(logs)}") from None
        if self.save_best_only:
            current = self._get(logs)
            if current is None or not self._improved(current, self.best):
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best} to "
                      f"{current}, saving model to {path}")
            self.best = current
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class ReduceLROnPlateau(_Monitor):
    """Multiply the learning rate by ``factor`` after ``patience`` epochs without improvement."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__(monitor, mode, min_delta, "ReduceLROnPlateau")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be < 1, got {factor}")
        self.factor, self.patience, self.verbose = float(factor), int(patience), verbose
        self.cooldown, self.min_lr = int(cooldown), float(min_lr)

    def on_train_begin(self, logs=None):
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = self._get(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = float(self.model.optimizer.learning_rate)
                if old > self.min_lr:
                    new = max(old * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                              f"to {new}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0


class LearningRateScheduler(Callback):
    """Set the learning rate at each epoch start to ``schedule(epoch, lr)``."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = float(self.model.optimizer.learning_rate)
        try:
            new = self.schedule(epoch, lr)
        except TypeError:
            new = self.schedule(epoch)
        new = float(new)
        if not math.isfinite(new):
            raise ValueError(f"LearningRateScheduler: the schedule returned {new} for epoch "
                             f"{epoch}; it must return a finite number")
        self.model.optimizer.learning_rate = new
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class CSVLogger(Callback):
    """Append one row per epoch (``epoch`` then the sorted log keys) to a CSV file."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self._file = None
        self._keys = None

    def on_train_begin(self, logs=None):
        exists = self.append and os.path.exists(self.filename) and \
            os.path.getsize(self.filename) > 0
        self._file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115
        self._writer = None
        self._header_done = exists

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._keys is None:
            self._keys = sorted(logs)
        if self._writer is None:
            self._writer = csv.writer(self._file, delimiter=self.sep)
            if not self._header_done:
                self._writer.writerow(["epoch"] + self._keys)
        self._writer.writerow([epoch] + [logs.get(k, "NA") for k in self._keys])
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = None


class TerminateOnNaN(Callback):
    """Stop training when the batch loss becomes NaN or infinite."""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LambdaCallback(Callback):
    """Callbacks from plain callables: ``on_epoch_end=lambda epoch, logs: ...`` and the rest
    (``on_batch_begin``/``on_batch_end`` are the train-batch hooks, as in keras)."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_batch_begin=on_batch_begin, on_train_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        for k, v in kwargs.items():
            if k not in _HOOKS:
                raise TypeError(f"LambdaCallback: unknown hook {k!r}; valid hooks are "
                                f"{', '.join(_HOOKS)}")
            hooks[k] = v
        for k in _HOOKS:
            setattr(self, k, _noop)
        for k, fn in hooks.items():
            if fn is not None:
                setattr(self, k, _with_logs(fn, int(k in self._two_arg)))

    _two_arg = ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
                "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
                "on_predict_batch_end")


def _noop(*args, **kwargs):
    pass


def _with_logs(fn, numbered):
    """``fn`` called as keras calls a LambdaCallback's hook: ``(epoch or batch, logs)``
    when ``numbered``, else ``(logs)``; ``logs`` is always a dict (empty where the loop
    has nothing to report yet, e.g. at a batch's beginning)."""

    def hook(*args, logs=None):
        if len(args) > numbered:
            args, logs = args[:numbered], args[numbered]
        return fn(*args, {} if logs is None else logs)

    return hook
