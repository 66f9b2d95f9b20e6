"""More tf.data transformations and sources, with TensorFlow's semantics: ``flat_map``,
``interleave``, ``window``, ``scan``, ``reduce``, ``unique``, ``take_while``,
``rebatch``, ``Dataset.sample_from_datasets``, ``Dataset.choose_from_datasets``,
``Dataset.list_files`` and ``Dataset.random``. The ``Dataset`` methods of the same names
(in :mod:`.dataset`) build these.
"""

import glob
import os

import numpy as np

from ..errors import InvalidArgumentError
from .dataset import (
    INFINITE,
    UNKNOWN,
    Dataset,
    _call_fn,
    _calls_r,
    _FromList,
    _holds,
    _map_structure,
    _normalize,
    _stack_elements,
    _to_numpy,
    _Unary,
    _WithFunction,
)


def _as_dataset(value, what):
    if not isinstance(value, Dataset):
        raise InvalidArgumentError(
            f"{what}: the function must return a dataset, not {type(value).__name__}")
    return value


def _default_cycle_length():
    return max(1, os.cpu_count() or 1)


class FlatMap(_WithFunction):
    def _iterator(self):
        for element in self._input._iterator():
            yield from _as_dataset(_call_fn(self._fn, element), "flat_map")._iterator()


class Interleave(_WithFunction):
    """TF's cycle: ``cycle_length`` slots, ``block_length`` elements from each in turn; an
    empty slot takes the next input element's dataset; an exhausted one is closed and the
    turn passes to the next slot."""

    def __init__(self, input_dataset, fn, cycle_length, block_length):
        super().__init__(input_dataset, fn)
        self._cycle = cycle_length
        self._block = block_length

    def _iterator(self):
        source = self._input._iterator()
        slots = [None] * self._cycle
        end_of_input, n_open, i, in_block = False, 0, 0, 0
        while not end_of_input or n_open > 0:
            if slots[i] is not None:
                try:
                    element = next(slots[i])
                except StopIteration:
                    slots[i], n_open = None, n_open - 1
                    i, in_block = (i + 1) % self._cycle, 0
                    continue
                in_block += 1
                if in_block == self._block:
                    i, in_block = (i + 1) % self._cycle, 0
                yield element
            elif not end_of_input:
                try:
                    element = next(source)
                except StopIteration:
                    end_of_input = True
                    continue
                slots[i] = _as_dataset(_call_fn(self._fn, element), "interleave")._iterator()
                n_open += 1
            else:
                i, in_block = (i + 1) % self._cycle, 0


class Window(_Unary):
    """Windows of ``size`` elements, every ``shift`` elements, each element ``stride``
    apart; each window a dataset (a structure of datasets for structured elements)."""

    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        super().__init__(input_dataset)
        self._size, self._shift, self._stride = size, shift, stride
        self._drop = drop_remainder

    def _window(self, elements):
        return _map_structure(Dataset.from_tensor_slices,
                              _stack_elements(elements, "window"))

    def _iterator(self):
        span = (self._size - 1) * self._stride + 1
        buf, base, start = [], 0, 0  # buf[i] is element base + i; a window starts at start
        for element in self._input._iterator():
            buf.append(element)
            while start + span <= base + len(buf):
                lo = start - base
                yield self._window(buf[lo:lo + span:self._stride])
                start += self._shift
                cut = min(start - base, len(buf))
                buf, base = buf[cut:], base + cut
        if not self._drop:  # the last, shorter windows
            while start < base + len(buf):
                lo = start - base
                yield self._window(buf[lo:lo + span:self._stride])
                start += self._shift

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        span = (self._size - 1) * self._stride + 1
        if self._drop:
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)


def _initial(x):
    """An initial state as TensorFlow makes it a tensor: a Python int is int32, a float
    float32 (R's whole numbers and doubles arrive as these)."""
    if isinstance(x, (bool, np.bool_)):
        return np.asarray(x, dtype=np.bool_)
    if isinstance(x, int) and not isinstance(x, np.generic):
        return np.asarray(x, dtype=np.int32)
    if isinstance(x, float) and not isinstance(x, np.generic):
        return np.asarray(x, dtype=np.float32)
    if isinstance(x, (list, tuple)):
        return tuple(_initial(v) for v in x)
    if isinstance(x, dict):
        return {str(k): _initial(v) for k, v in x.items()}
    return _normalize(x)


def _with_state(fn, state, element):
    """``fn(state, *components)``, as scan and reduce call their functions."""
    return _call_fn(fn, (state,) + (element if isinstance(element, tuple) else (element,)))


class Scan(_WithFunction):
    def __init__(self, input_dataset, initial_state, fn):
        super().__init__(input_dataset, fn)
        self._state = _initial(initial_state)

    def _iterator(self):
        state = self._state
        for element in self._input._iterator():
            out = _with_state(self._fn, state, element)
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise InvalidArgumentError(
                    "scan: the function must return two things, the new state and the "
                    "output element, as list(state, output)")
            state, output = _normalize(out[0]), _normalize(out[1])
            yield output

    def _cardinality(self):
        return self._input._cardinality()


def reduce(dataset, initial_state, fn):
    """The state after ``state = fn(state, element)`` over every element."""
    state = _initial(initial_state)
    for element in dataset._iterator():
        state = _normalize(_with_state(fn, state, element))
    return state


class Unique(_Unary):
    def _iterator(self):
        seen = set()
        for element in self._input._iterator():
            a = _to_numpy(element) if not isinstance(element, (tuple, dict)) else None
            if a is None or a.ndim != 0 or a.dtype.kind not in "iuUSO" or \
                    a.dtype.kind == "O" and not isinstance(a.item(), (str, bytes)):
                raise InvalidArgumentError(
                    "unique: the elements must be scalar integers or strings")
            key = a.item()
            if key not in seen:
                seen.add(key)
                yield element


class TakeWhile(_WithFunction):
    def _iterator(self):
        for element in self._input._iterator():
            if not _holds(self._fn, element, "take_while"):
                return
            yield element


class _Sample(Dataset):
    def __init__(self, datasets, weights, seed, stop_on_empty):
        self._datasets = list(datasets)
        self._has_r = any(d._has_r for d in self._datasets)
        w = np.full(len(self._datasets), 1.0) if weights is None else \
            np.asarray(weights.numpy() if hasattr(weights, "numpy") else weights,
                       dtype=np.float64).reshape(-1)
        if w.shape[0] != len(self._datasets) or np.any(w < 0) or not np.isfinite(w).all() \
                or w.sum() <= 0:
            raise InvalidArgumentError(
                f"sample_from_datasets: weights must be {len(self._datasets)} non-negative "
                f"numbers, not all 0, one per dataset; got {w.tolist()}")
        self._weights = w
        self._seed = seed
        self._stop = stop_on_empty

    def _iterator(self):
        rng = np.random.default_rng(self._seed)
        its = [d._iterator() for d in self._datasets]
        w = self._weights.copy()
        while w.sum() > 0:
            i = int(rng.choice(len(its), p=w / w.sum()))
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop:
                    return
                w[i] = 0.0


class _Choose(Dataset):
    def __init__(self, datasets, choice, stop_on_empty):
        self._datasets = list(datasets)
        self._choice = choice
        self._has_r = any(d._has_r for d in self._datasets) or choice._has_r
        self._stop = stop_on_empty

    def _iterator(self):
        its = [d._iterator() for d in self._datasets]
        done = [False] * len(its)
        for c in self._choice._iterator():
            a = _to_numpy(c)
            if a.ndim != 0 or a.dtype.kind not in "iu":
                raise InvalidArgumentError(
                    "choose_from_datasets: the choices must be scalar integers")
            i = int(a)
            if not 0 <= i < len(its):
                raise InvalidArgumentError(
                    f"choose_from_datasets: choice {i} is not the index of one of the "
                    f"{len(its)} datasets (0 to {len(its) - 1})")
            if done[i]:
                continue
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop:
                    return
                done[i] = True


def _check_datasets(datasets, what):
    datasets = list(datasets)
    if not datasets or not all(isinstance(d, Dataset) for d in datasets):
        raise InvalidArgumentError(f"{what}: expected a non-empty list of datasets")
    return datasets


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """Elements drawn from ``datasets`` at random, dataset i with probability
    ``weights[i]`` (equal by default); an exhausted dataset ends the result when
    ``stop_on_empty_dataset``, else it is left out of the draws."""
    return _Sample(_check_datasets(datasets, "sample_from_datasets"), weights,
                   None if seed is None else int(seed), bool(stop_on_empty_dataset))


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """The next element of ``datasets[i]`` for each ``i`` of ``choice_dataset``."""
    if not isinstance(choice_dataset, Dataset):
        raise InvalidArgumentError("choose_from_datasets: choice_dataset must be a dataset")
    return _Choose(_check_datasets(datasets, "choose_from_datasets"), choice_dataset,
                   bool(stop_on_empty_dataset))


class _Files(Dataset):
    def __init__(self, files, shuffle, seed):
        self._files = files
        self._shuffle = shuffle
        self._seed = seed
        self._epoch = 0

    def _iterator(self):
        files = list(self._files)
        if self._shuffle:
            seed = None if self._seed is None else self._seed + self._epoch
            self._epoch += 1
            np.random.default_rng(seed).shuffle(files)
        return iter(np.asarray(f) for f in files)

    def _cardinality(self):
        return len(self._files)


def list_files(file_pattern, shuffle=None, seed=None, name=None):
    """The file names matching ``file_pattern`` (one pattern or several), each once;
    shuffled (reshuffled each pass) unless ``shuffle`` is False, as in TF."""
    patterns = [file_pattern] if isinstance(file_pattern, (str, os.PathLike)) else \
        [str(p) for p in np.asarray(file_pattern).reshape(-1)]
    files = sorted({f for p in patterns for f in glob.glob(os.fspath(p))})
    if not files:
        raise InvalidArgumentError(
            f"list_files: no files match {', '.join(map(str, patterns))}")
    return _Files(files, True if shuffle is None else bool(shuffle),
                  None if seed is None else int(seed))


class _Random(Dataset):
    def __init__(self, seed):
        self._seed = seed

    def _iterator(self):
        rng = np.random.default_rng(self._seed)
        while True:
            yield np.asarray(rng.integers(0, 2**63 - 1, dtype=np.int64))

    def _cardinality(self):
        return INFINITE


def random(seed=None, name=None):
    """An infinite dataset of random non-negative int64 numbers."""
    return _Random(None if seed is None else int(seed))


__all__ = ["FlatMap", "Interleave", "Window", "Scan", "Unique", "TakeWhile", "reduce",
           "sample_from_datasets", "choose_from_datasets", "list_files", "random",
           "UNKNOWN"]


class GroupByWindow(_WithFunction):
    """TF's group_by_window: elements grouped by ``key_func``; a group that reaches its
    window size (``window_size``, or ``window_size_func(key)``) goes to ``reduce_func(key,
    window_dataset)``, whose elements are the output; at the end, the groups left are
    reduced in the order they were started."""

    def __init__(self, input_dataset, key_func, reduce_func, window_size, window_size_func):
        super().__init__(input_dataset, key_func)
        self._reduce = reduce_func
        self._size = window_size
        self._size_func = window_size_func
        self._has_r = self._has_r or _calls_r(reduce_func) or \
            (window_size_func is not None and _calls_r(window_size_func))

    def _key(self, element):
        k = _to_numpy(_call_fn(self._fn, element))
        if k.size != 1 or k.dtype.kind not in "iu":
            raise InvalidArgumentError("group_by_window: key_func must return one whole "
                                       f"number, not dtype {k.dtype} of shape {k.shape}")
        return int(k.reshape(()))

    def _window_size(self, key):
        if self._size_func is None:
            return self._size
        n = int(_to_numpy(self._size_func(np.asarray(key, dtype=np.int64))).reshape(()))
        if n < 1:
            raise InvalidArgumentError(f"group_by_window: window_size_func gave {n} for key "
                                       f"{key}; window sizes must be >= 1")
        return n

    def _emit(self, key, elements):
        window = _FromList(elements)  # the elements as they are (sequences may be ragged)
        out = self._reduce(np.asarray(key, dtype=np.int64), window)
        yield from _as_dataset(out, "group_by_window")._iterator()

    def _iterator(self):
        groups = {}
        for element in self._input._iterator():
            key = self._key(element)
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) >= self._window_size(key):
                del groups[key]
                yield from self._emit(key, group)
        for key, group in groups.items():
            yield from self._emit(key, group)


def bucket_by_sequence_length(dataset, element_length_func, bucket_boundaries,
                              bucket_batch_sizes, padded_shapes=None, padding_values=None,
                              pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    """TF's bucket_by_sequence_length: elements whose length (``element_length_func``) is
    below ``bucket_boundaries[i]`` (and at least the one before) go to bucket ``i`` (the
    last bucket: from the last boundary on), and are batched ``bucket_batch_sizes[i]`` at
    a time, padded to the longest in the batch (or to the bucket's boundary - 1 with
    ``pad_to_bucket_boundary``)."""
    import bisect

    bounds = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if bounds != sorted(bounds) or len(set(bounds)) != len(bounds) or \
            any(b < 1 for b in bounds):
        raise InvalidArgumentError("bucket_by_sequence_length: bucket_boundaries must be "
                                   "increasing whole numbers >= 1")
    if len(sizes) != len(bounds) + 1 or any(s < 1 for s in sizes):
        raise InvalidArgumentError(
            f"bucket_by_sequence_length: bucket_batch_sizes must have {len(bounds) + 1} "
            "positive sizes, one more than the boundaries")
    if pad_to_bucket_boundary and padded_shapes is not None:
        raise InvalidArgumentError("bucket_by_sequence_length: give padded_shapes or "
                                   "pad_to_bucket_boundary, not both")

    def key_of(*components):  # called as key functions are: one argument per component
        n = int(_to_numpy(element_length_func(*components)).reshape(()))
        return np.asarray(bisect.bisect_right(bounds, n), dtype=np.int64)

    def reduce(bucket, window):
        i = int(bucket)
        if no_padding:
            return window.batch(sizes[i], drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if i == len(bounds):
                raise InvalidArgumentError(
                    "bucket_by_sequence_length: with pad_to_bucket_boundary, every length "
                    f"must be below the last boundary ({bounds[-1]})")
            shapes = [bounds[i] - 1]
        return window.padded_batch(sizes[i], padded_shapes=shapes,
                                   padding_values=padding_values,
                                   drop_remainder=drop_remainder)

    key_of._tb_calls_r = _calls_r(element_length_func)
    return GroupByWindow(dataset, key_of, reduce, None, lambda b: sizes[int(b)])
