"""Batch sources for ``fit`` / ``evaluate`` / ``predict``: one adapter per kind of data.

* :class:`ArrayBatches` -- in-memory arrays (numpy, or zero-copy views of R's
  memory), cut into batches of ``batch_size`` rows, shuffled or not;
* :class:`DatasetBatches` -- a ``tensorbridge.engine.data.Dataset`` (or anything
  with ``__iter__`` and ``cardinality()``) that yields batches;
* :class:`IteratorBatches` -- a Python iterator or generator;
* :class:`CallableBatches` -- a callable returning the next batch on each call
  (an R generator function arrives as one; :class:`StepCallable` tells it the
  step and epoch so that it can name them in its errors);
* :class:`SequenceBatches` -- a ``keras.utils.Sequence``-like object
  (``__len__`` + ``__getitem__(i)`` returning batch ``i``).

Every adapter has ``steps`` (batches per epoch, ``None`` when unknown) and
``epoch(epoch)``, a generator of ``(step, batch)``.  Array adapters yield
``(xs, ys, sws)`` lists of float32 arrays; the others yield what the source
gave (``x``, ``(x, y)`` or ``(x, y, sample_weight)``), which
:func:`convert_batch` turns into arrays, naming the step in its errors.

Column-major input (an R matrix) gathered by shuffled rows touches one cache
line per element; :class:`ArrayBatches` therefore gathers several upcoming
batches at once, with their row indices sorted, into one small row-major
float32 buffer, then cuts the batches out of it in their shuffled order: the
same batches as a row-by-row gather, in about half the time, with a buffer
of at most 32 MiB (and at most 1/32 of the data).
"""

import collections
import itertools
import math
import warnings

import numpy as np

from . import data as _data

FLOATX = np.float32
_CHUNK_BYTES = 32 << 20  # the most a shuffled column-major gather buffers at once
_CHUNK_BATCHES = 32      # ... and at most this many batches


class StepCallable:
    """A batch source called as ``fn(step=, epoch=)`` (both counted from 1).

    The R side wraps an R generator function in one, so that an error inside
    the generator (or a batch of the wrong kind) names the step it happened
    at, in R's own words."""

    def __init__(self, fn, what="generator"):
        if not callable(fn):
            raise TypeError(f"StepCallable: fn must be callable, got {type(fn).__name__}")
        self.fn = fn
        self.what = str(what)

    def __call__(self, step=1, epoch=1):
        return self.fn(step=int(step), epoch=int(epoch))

    def __repr__(self):
        return f"<StepCallable {self.what}>"


# -- what kind of data ----------------------------------------------------------------------

def _dataset_class():
    try:
        from ..data import Dataset
    except ImportError:
        return None
    return Dataset


def _plain(x):
    """Arrays and containers of arrays: not a batch source."""
    from ..tensor import Tensor

    return isinstance(x, (np.ndarray, np.generic, list, tuple, dict, str, bytes, Tensor,
                          int, float, bool)) or x is None or \
        type(x).__name__ in ("DataFrame", "Series")


def is_dataset(x):
    cls = _dataset_class()
    if cls is not None and isinstance(x, cls):
        return True
    return not _plain(x) and hasattr(x, "__iter__") and callable(getattr(x, "cardinality", None))


def is_sequence(x):
    return not _plain(x) and not is_dataset(x) and hasattr(x, "__len__") and \
        hasattr(x, "__getitem__")


def is_iterator(x):
    return not _plain(x) and hasattr(x, "__next__")


def is_source(x):
    """Whether ``x`` is a batch source (dataset, iterator, Sequence, callable), not arrays."""
    if _plain(x):
        return False
    return is_dataset(x) or is_sequence(x) or is_iterator(x) or callable(x)


def source_kind(x):
    if isinstance(x, StepCallable):
        return x.what
    if is_dataset(x):
        return "dataset"
    if is_sequence(x):
        return "Sequence"
    return "generator"


def make_source(x, fn, steps, steps_arg, shuffle=False, rng=None, validation=False,
                workers=1, max_queue_size=10):
    """The adapter for batch source ``x``; ``steps`` batches per epoch (``None``:
    the source's own length where it has one); ``workers`` and ``max_queue_size`` are
    keras' threads computing a Sequence's batches ahead."""
    where = ("validation " if validation else "") + source_kind(x)
    if is_dataset(x):
        return DatasetBatches(x, fn, steps, steps_arg, where)
    if is_sequence(x):
        return SequenceBatches(x, steps, shuffle, rng, where, workers, max_queue_size)
    if is_iterator(x):
        return IteratorBatches(x, fn, steps, steps_arg, where)
    if callable(x):
        return CallableBatches(x, fn, steps, steps_arg, where)
    raise TypeError(f"{fn}: cannot read batches from a {type(x).__name__}")


def _need_steps(fn, steps, steps_arg, where):
    if steps is None:
        raise ValueError(
            f"{fn}: {steps_arg} is required when the data is a {where} (it cannot say how "
            f"many batches make an epoch); give {steps_arg} = the number of batches to draw")
    return steps


def next_item(source):
    """``(True, item)`` from an iterator, or ``(False, None)`` when it is done
    (R's ``generator_next()``)."""
    if not hasattr(source, "__next__"):
        raise TypeError(f"generator_next: a {type(source).__name__} is not an iterator; give "
                        "an iterator (e.g. from as_iterator() or flow_images_from_data())")
    try:
        return True, next(source)
    except StopIteration:
        return False, None


# -- sources ------------------------------------------------------------------------------------

class _Source:
    exhausted = False

    def _ran_out(self, fn, step):
        self.exhausted = True
        warnings.warn(
            f"{fn}: the {self.where} ran out of data after {step} batch(es) of this epoch "
            f"(fewer than the {self.steps} asked for); training stops here. Make the data "
            "long enough for steps x epochs batches (e.g. repeat a dataset), or give fewer "
            "steps", RuntimeWarning, stacklevel=3)


class DatasetBatches(_Source):
    """A dataset whose elements are batches; one pass per epoch unless ``steps`` say
    otherwise (then one iterator runs on across epochs, as keras does)."""

    def __init__(self, ds, fn, steps, steps_arg, where="dataset"):
        self.ds, self.fn, self.where = ds, fn, where
        card = int(ds.cardinality())
        if card == -1 and steps is None:
            raise ValueError(
                f"{fn}: the {where} is infinite (it repeats forever), so {steps_arg} is "
                f"required: give {steps_arg} = the number of batches per epoch")
        if card == 0:
            raise ValueError(f"{fn}: the {where} is empty (it yields no batches)")
        self.steps = steps if steps is not None else (card if card > 0 else None)
        self._recreate = steps is None or steps == card
        self._it = None

    def epoch(self, epoch):
        if self._recreate or self._it is None:
            self._it = iter(self.ds)
        counter = range(self.steps) if self.steps is not None else itertools.count()
        for step in counter:
            try:
                batch = next(self._it)
            except StopIteration:
                if self.steps is not None:
                    self._ran_out(self.fn, step)
                return
            yield step, batch


class IteratorBatches(_Source):
    def __init__(self, it, fn, steps, steps_arg, where="generator"):
        self.it, self.fn, self.where = it, fn, where
        self.steps = _need_steps(fn, steps, steps_arg, where)

    def epoch(self, epoch):
        for step in range(self.steps):
            try:
                batch = next(self.it)
            except StopIteration:
                self._ran_out(self.fn, step)
                return
            yield step, batch


class CallableBatches(_Source):
    def __init__(self, f, fn, steps, steps_arg, where="generator"):
        self.f, self.fn, self.where = f, fn, where
        self.steps = _need_steps(fn, steps, steps_arg, where)
        self._pass_step = isinstance(f, StepCallable)

    def epoch(self, epoch):
        for step in range(self.steps):
            if self._pass_step:
                batch = self.f(step=step + 1, epoch=epoch + 1)
            else:
                batch = self.f()
            if batch is None:
                raise ValueError(
                    f"{self.fn}: in the {self.where}, step {step + 1} of epoch {epoch + 1}: it "
                    "returned nothing (None/NULL); a generator must return a batch: x, "
                    "(x, y) or (x, y, sample_weight)")
            yield step, batch


class SequenceBatches(_Source):
    """``len(seq)`` batches per epoch, in a shuffled order when ``shuffle``;
    ``seq.on_epoch_end()`` after each epoch, as keras calls it.

    With ``workers`` >= 1 (keras' default 1), that many threads compute the epoch's batches
    ahead, at most ``max_queue_size`` at a time, handed over in order (keras 2's
    ``OrderedEnqueuer``); with 0, or when the Sequence runs R code (which must stay in R's
    thread), each batch is computed when it is needed."""

    def __init__(self, seq, steps, shuffle, rng, where="Sequence", workers=1,
                 max_queue_size=10):
        self.seq, self.where = seq, where
        self.n = int(len(seq))
        if self.n == 0:
            raise ValueError(f"the {where} is empty (its length is 0)")
        self.steps = steps if steps is not None else self.n
        self.shuffle, self.rng = shuffle, rng
        self.workers = 0 if _runs_r(seq) else int(workers)
        self.max_queue_size = max(1, int(max_queue_size))
        self._pos = 0

    def _indices(self):
        order = self.rng.permutation(self.n) if self.shuffle and self.rng is not None \
            else np.arange(self.n)
        out = []
        for _ in range(self.steps):
            if self._pos >= self.n:
                self._pos = 0
            out.append(int(order[self._pos]))
            self._pos += 1
        self._pos = 0 if self.steps >= self.n else self._pos
        return out

    def epoch(self, epoch):
        indices = self._indices()
        if self.workers:
            yield from self._ahead(indices)
        else:
            for step, i in enumerate(indices):
                yield step, self.seq[i]
        end = getattr(self.seq, "on_epoch_end", None)
        if callable(end):
            end()

    def _ahead(self, indices):
        from concurrent.futures import ThreadPoolExecutor

        pending = collections.deque()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="tb-sequence") as pool:
            try:
                for step, i in enumerate(indices):
                    pending.append((step, pool.submit(self.seq.__getitem__, i)))
                    if len(pending) >= self.max_queue_size:
                        step_done, future = pending.popleft()
                        yield step_done, future.result()
                while pending:
                    step_done, future = pending.popleft()
                    yield step_done, future.result()
            finally:  # training stopped early: drop what was not started
                for _, future in pending:
                    future.cancel()


def _runs_r(obj):
    """Whether reading batches from ``obj`` runs R code (an R function, or a class
    written in R)."""
    from ..data.dataset import _calls_r

    return _calls_r(obj) or getattr(type(obj), "_r_classname", None) is not None


# -- one batch from a source as arrays ----------------------------------------------------------

def unpack(batch):
    """keras' rule: a tuple (or list) of 1-3 is ``(x,)``, ``(x, y)``, ``(x, y, sw)``;
    anything else is ``x`` alone."""
    if isinstance(batch, (tuple, list)) and 1 <= len(batch) <= 3:
        parts = list(batch) + [None] * (3 - len(batch))
        return parts[0], parts[1], parts[2]
    return batch, None, None


def convert_batch(model, fn, batch, step, epoch, where, targets=True, class_weight=None):
    """``(xs, ys, sws)`` (``xs`` alone when not ``targets``) from one batch of a source;
    a ValueError names the step and epoch (from 1) and what was expected."""
    try:
        return _convert(model, batch, targets, class_weight)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{fn}: in the {where}, step {step + 1} of epoch {epoch + 1}: {e}") \
            from None


def _xy_dict(model, batch):
    """A batch ``{"x": ..., "y": ...}`` (tfdatasets' ``dataset_prepare()``, and R's
    ``list(x = , y = )``) as ``(x, y)``, unless the model has an input named "x"."""
    if isinstance(batch, dict) and "x" in batch and \
            set(batch) <= {"x", "y", "sample_weight"}:
        try:
            names = list(getattr(model, "input_names", None) or [])
        except Exception:  # noqa: BLE001 - an unbuilt subclassed model has none
            names = []
        if "x" not in names:
            return tuple(batch.get(k) for k in ("x", "y", "sample_weight")
                         if k in batch or (k == "y" and "sample_weight" in batch))
    return batch


def _convert(model, batch, targets, class_weight):
    x, y, sw = unpack(_xy_dict(model, batch))
    if x is None:
        raise ValueError("the batch has no inputs x; expected x, (x, y) or (x, y, "
                         "sample_weight)")
    xs = model._prepare_x(x)
    labels = ["x" if len(xs) == 1 else f"x[{i}]" for i in range(len(xs))]
    if not targets:
        _data.check_rows(xs, labels)
        return [_data.rows(a, slice(None)) for a in xs]
    names = model.output_names
    if y is None:
        if not model._targets_optional("fit"):
            raise ValueError("the batch has inputs but no targets; expected (x, y) or "
                             "(x, y, sample_weight), e.g. list(x, y) from an R generator")
        ys, sws = [], [None]
    else:
        ys = _data.targets_to_arrays(y, names)
        sws = _data.weights_to_arrays(sw, len(names), names)
    if class_weight is not None and ys:
        cw = _data.class_weight_to_sample_weight(np.asarray(ys[0]), class_weight)
        sws = [cw if sws[0] is None else sws[0] * cw] + list(sws[1:])
    labels += ["y" if len(ys) == 1 else f"y[{i}]" for i in range(len(ys))]
    n = _data.check_rows(xs + ys, labels)
    if n == 0:
        raise ValueError("the batch has no rows")
    for w in sws:
        if w is not None and len(w) != n:
            raise ValueError(f"sample_weight has {len(w)} rows but x has {n}; give one "
                             "weight per row")
    xs = [_data.rows(a, slice(None)) for a in xs]
    ys = [_data.rows(a, slice(None)) for a in ys]
    sws = [None if w is None else _data.rows(w, slice(None)) for w in sws]
    for lab, a in zip(labels, xs + ys):
        _data.check_finite(a, lab)
    return xs, ys, sws


# -- arrays ------------------------------------------------------------------------------------

class ArrayBatches:
    """Batches of ``batch_size`` rows of in-memory arrays.

    ``wrap="carry"`` (fit): with ``steps`` given, each epoch goes on where the
    last one stopped, starting over at the end of the data; ``wrap="modulo"``
    (evaluate): step ``k`` starts at row ``k * batch_size`` modulo the rows."""

    def __init__(self, xs, ys, sws, batch_size, shuffle=False, steps=None, rng=None,
                 wrap="carry"):
        self.xs, self.ys, self.sws = xs, ys, sws
        self.n = len(xs[0])
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.user_steps = steps
        self.steps = steps or math.ceil(self.n / batch_size)
        self.rng = rng
        self.wrap = wrap
        self._pos = 0
        self._order = np.arange(self.n)
        self.exhausted = False
        arrays = [a for a in xs + ys + sws if a is not None]
        big = sum(a.nbytes for a in arrays if _column_major(a))
        per_row = sum(_row_bytes(a) for a in arrays if _column_major(a))
        rows = min(_CHUNK_BYTES, big // 32) // per_row if per_row else 0
        self._chunk_rows = int(min(rows, _CHUNK_BATCHES * batch_size))

    def _spans(self):
        n, bs = self.n, self.batch_size
        out = []
        for step in range(self.steps):
            if self.wrap == "modulo":
                s = (step * bs) % n
                out.append((s, min(s + bs, n)))
                continue
            if self.user_steps is None:
                self._pos = step * bs
            if self._pos >= n:
                self._pos = 0
            end = min(self._pos + bs, n)
            out.append((self._pos, end))
            self._pos = end
        return out

    def epoch(self, epoch):
        if self.shuffle:
            self._order = self.rng.permutation(self.n)
        spans = self._spans()
        if not self.shuffle:
            for step, (s, e) in enumerate(spans):
                sel = slice(s, e)
                yield step, (self._take(self.xs, sel), self._take(self.ys, sel),
                             self._take(self.sws, sel))
            return
        order = self._order
        if self._chunk_rows < 2 * self.batch_size:
            for step, (s, e) in enumerate(spans):
                sel = order[s:e]
                yield step, (self._take(self.xs, sel), self._take(self.ys, sel),
                             self._take(self.sws, sel))
            return
        step = 0
        while step < len(spans):
            # the next few batches' rows, gathered at once in sorted order
            group, rows = [], 0
            while step + len(group) < len(spans) and (
                    not group or rows + self.batch_size <= self._chunk_rows):
                s, e = spans[step + len(group)]
                group.append((s, e))
                rows += e - s
            idx = np.concatenate([order[s:e] for s, e in group])
            srt = np.argsort(idx, kind="stable")
            inv = np.empty_like(srt)
            inv[srt] = np.arange(len(srt))
            sidx = idx[srt]
            bufs = [self._gather_sorted(g, sidx) for g in (self.xs, self.ys, self.sws)]
            off = 0
            for s, e in group:
                pick = inv[off:off + (e - s)]
                off += e - s
                yield step, tuple([None if b is None else b[pick] for b in buf]
                                  for buf in bufs)
                step += 1

    @staticmethod
    def _take(arrays, sel):
        return [_data.rows(a, sel) for a in arrays]

    @staticmethod
    def _gather_sorted(arrays, sidx):
        out = []
        for a in arrays:
            if a is None:
                out.append(None)
            elif _column_major(a):
                out.append(gather_rows(a, sidx))
            else:
                # row-major or 1-D: gathered per batch from the array itself
                out.append(_data.rows(a, sidx))
        return out


def _column_major(a):
    return a is not None and a.ndim >= 2 and not a.flags.c_contiguous and a.shape[0] > 1


def _row_bytes(a):
    return int(np.prod(a.shape[1:], dtype=np.int64)) * (FLOATX().itemsize + a.itemsize)


_COL_BLOCK = 64


def gather_rows(a, sidx):
    """Rows ``sidx`` (sorted) of ``a`` as a row-major float32 array; a 2-D array
    is read in blocks of columns, so no float64 temporary of the whole gather is
    made."""
    if a.ndim != 2:
        return _data.rows(a, sidx)
    out = np.empty((len(sidx), a.shape[1]), FLOATX)
    with np.errstate(invalid="ignore"):
        for j in range(0, a.shape[1], _COL_BLOCK):
            out[:, j:j + _COL_BLOCK] = a[sidx, j:j + _COL_BLOCK]
    return out
