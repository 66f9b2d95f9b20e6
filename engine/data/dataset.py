"""``Dataset``: tf.data-style input pipelines over numpy arrays.

A dataset is an iterable of *elements*; an element is a nested structure
(tuple, dict, or a single leaf) whose leaves are numpy arrays in host memory.
Transformations return new datasets and run lazily, when iterated.

Two kinds of pipeline live here:

* the *index pipeline*: ``from_tensor_slices(arrays)`` followed by any of
  ``shuffle``/``take``/``skip``/``repeat``/``shard``/``batch`` works on
  arrays of row indices and gathers a whole batch from the arrays at once,
  so nothing loops over elements in Python;
* the *element pipeline*: everything else (``map`` with a user function,
  ``filter``, generators, files) goes element by element.

``prefetch(k)`` produces up to ``k`` elements ahead in a background thread,
unless the pipeline above it calls R (an R function in ``map``, ``filter`` or
``from_generator``): R is single-threaded, so such a pipeline is prefetched in
the consumer's own thread.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..errors import InvalidArgumentError, OutOfRangeError

INFINITE = -1
UNKNOWN = -2
AUTOTUNE = -1

__all__ = ["Dataset", "TensorSpec", "AUTOTUNE", "INFINITE", "UNKNOWN"]


# -- nested structures ---------------------------------------------------------------
def _flatten(s):
    if isinstance(s, tuple):
        return [leaf for item in s for leaf in _flatten(item)]
    if isinstance(s, dict):
        return [leaf for item in s.values() for leaf in _flatten(item)]
    return [s]


def _pack(template, leaves):
    it = iter(leaves)

    def build(t):
        if isinstance(t, tuple):
            return tuple(build(x) for x in t)
        if isinstance(t, dict):
            return {k: build(v) for k, v in t.items()}
        return next(it)

    return build(template)


def _map_structure(fn, s):
    if isinstance(s, tuple):
        return tuple(_map_structure(fn, x) for x in s)
    if isinstance(s, dict):
        return {k: _map_structure(fn, v) for k, v in s.items()}
    return fn(s)


def _same_structure(a, b):
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(
            _same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(
            _same_structure(a[k], b[k]) for k in a)
    return not isinstance(b, (tuple, dict))


def _is_tensor(x):
    from ..tensor import Tensor

    return isinstance(x, Tensor)


def _to_numpy(x):
    """A leaf as a numpy array (Tensors copied to the host; Python strings kept as str)."""
    if _is_tensor(x):
        return np.asarray(x.numpy())
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, bytes):
        return np.asarray(x.decode("utf-8"))
    try:
        import pandas as pd

        if isinstance(x, (pd.Series, pd.Index)):
            return np.asarray(x)
        if isinstance(x, pd.Categorical):
            return np.asarray(x)
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    a = np.asarray(x)
    if a.dtype == object:
        try:
            a = a.astype(str)
        except (TypeError, ValueError):
            pass
    return a


def _normalize(s):
    """A user value as an element: lists become tuples, leaves numpy arrays, a
    DataFrame a dict of its columns."""
    if isinstance(s, (tuple, list)):
        return tuple(_normalize(x) for x in s)
    if isinstance(s, dict):
        return {str(k): _normalize(v) for k, v in s.items()}
    try:
        import pandas as pd

        if isinstance(s, pd.DataFrame):
            return {str(k): _to_numpy(s[k]) for k in s.columns}
    except ImportError:  # pragma: no cover
        pass
    return _to_numpy(s)


def _normalize_slices(s):
    """As ``_normalize`` for ``from_tensor_slices``: a Python list of numbers is one
    array (as in TF), a list of arrays or nested structures a tuple."""
    if isinstance(s, list) and all(
            isinstance(x, (int, float, bool, str, np.generic)) for x in s):
        return _to_numpy(s)
    if isinstance(s, (tuple, list)):
        return tuple(_normalize_slices(x) for x in s)
    if isinstance(s, dict):
        return {str(k): _normalize_slices(v) for k, v in s.items()}
    return _normalize(s)


def _leaf_for_fn(a):
    """A leaf as the engine Tensor a user function receives (strings stay numpy)."""
    from ..tensor import convert_to_tensor

    try:
        return convert_to_tensor(a)
    except Exception:  # a dtype the engine has no tensors for (strings)
        return a


# -- R detection -----------------------------------------------------------------------
def _calls_r(fn) -> bool:
    """Whether calling ``fn`` runs R code (then it must stay in R's thread)."""
    if getattr(fn, "_tb_calls_r", False):
        return True
    try:
        from tensorbridge.bridge.convert import RCallable
    except ImportError:
        try:
            from bridge.convert import RCallable  # source checkout
        except ImportError:
            return False
    return isinstance(fn, RCallable)


# -- specs -------------------------------------------------------------------------------
class TensorSpec:
    """Shape (``None`` for an unknown dimension) and dtype of one leaf."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and self.shape == other.shape and \
            self.dtype == other.dtype

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        dims = ", ".join("None" if d is None else str(d) for d in self.shape)
        return f"TensorSpec(shape=({dims}{',' if len(self.shape) == 1 else ''}), " \
               f"dtype={self.dtype.name})"


def _spec_of(element):
    return _map_structure(lambda a: TensorSpec(np.shape(a), np.asarray(a).dtype), element)


def _check_count(name, value, allow_minus_one=True):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        try:
            if float(value) != int(value):
                raise ValueError
            value = int(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"{name} must be an integer, not {value!r}") from None
    value = int(value)
    if value < (-1 if allow_minus_one else 0):
        raise InvalidArgumentError(f"{name} must be >= {-1 if allow_minus_one else 0}, "
                                   f"not {value}")
    return value


def _positive(name, value):
    value = _check_count(name, value, allow_minus_one=False)
    if value < 1:
        raise InvalidArgumentError(f"{name} must be >= 1, not {value}")
    return value


# -- seeds -----------------------------------------------------------------------------------
_SEED_COUNTER = itertools.count()


def _make_rng(seed):
    """A numpy Generator from the op seed and the engine's global seed (as TF
    derives op seeds: global seed set + no op seed = reproducible sequence)."""
    from .. import random as _random

    g = _random.get_seed()
    if seed is None and g is None:
        return np.random.default_rng()
    if seed is None:
        seed = next(_SEED_COUNTER)
    return np.random.default_rng([0 if g is None else int(g), int(seed) & 0xFFFFFFFF])


# ===========================================================================================
class Dataset:
    """A tf.data-style dataset (see the module docstring)."""

    _has_r = False

    # -- iteration -------------------------------------------------------------------------
    def _iterator(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def __iter__(self):
        return _Iterator(self._iterator())

    def as_numpy_iterator(self):
        return iter(self)

    def _cardinality(self):
        return UNKNOWN

    def cardinality(self):
        """The number of elements; -1 (``INFINITE``) or -2 (``UNKNOWN``) as in TF."""
        return int(self._cardinality())

    def __len__(self):
        n = self.cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True

    @property
    def element_spec(self):
        spec = getattr(self, "_spec_cache", None)
        if spec is None:
            spec = self._spec()
            self._spec_cache = spec
        return spec

    def _spec(self):
        for element in self._iterator():
            return _spec_of(element)
        raise InvalidArgumentError("element_spec: the dataset is empty")

    def __repr__(self):
        try:
            spec = self.element_spec
        except Exception:
            spec = "?"
        return f"<{type(self).__name__} element_spec={spec!r}>"

    # -- sources --------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors):
        """Elements are the slices of ``tensors`` along their first axis."""
        return _Slices(_normalize_slices(tensors))

    @staticmethod
    def from_tensors(tensors):
        """One element: ``tensors`` itself."""
        return _FromList([_normalize(tensors)])

    @staticmethod
    def range(*args, dtype=np.int64):
        """``range(stop)``, ``range(start, stop[, step])`` as Python's range."""
        if not 1 <= len(args) <= 3:
            raise InvalidArgumentError("range() takes 1 to 3 positional arguments")
        r = range(*[int(a) for a in args])
        return _Slices(np.arange(r.start, r.stop, r.step, dtype=np.dtype(
            getattr(dtype, "np", dtype))))

    @staticmethod
    def from_generator(generator, output_signature=None, output_types=None,
                       output_shapes=None, args=None):
        """Elements from ``generator()``, a callable returning a fresh iterator."""
        if not callable(generator):
            raise InvalidArgumentError(
                f"from_generator: generator must be callable, not {type(generator).__name__}")
        return _FromGenerator(generator, tuple(args) if args else ())

    @staticmethod
    def zip(*datasets):
        """Elements are tuples (or dicts) of the elements of ``datasets``."""
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, list, dict)):
            datasets = datasets[0]
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        for d in _flatten(datasets):
            if not isinstance(d, Dataset):
                raise InvalidArgumentError(
                    f"zip: expected datasets, got {type(d).__name__}")
        return _Zip(datasets)

    # -- transformations -------------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        if not callable(map_func):
            raise InvalidArgumentError(
                f"map: map_func must be callable, not {type(map_func).__name__}")
        return _Map(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        if not callable(predicate):
            raise InvalidArgumentError(
                f"filter: predicate must be callable, not {type(predicate).__name__}")
        return _Filter(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        return _Batch(self, _positive("batch_size", batch_size), bool(drop_remainder))

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        return _PaddedBatch(self, _positive("batch_size", batch_size), padded_shapes,
                            padding_values, bool(drop_remainder))

    def unbatch(self, name=None):
        return _Unbatch(self)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        return _Shuffle(self, _positive("buffer_size", buffer_size), seed,
                        bool(reshuffle_each_iteration))

    def repeat(self, count=None, name=None):
        count = -1 if count is None else _check_count("count", count)
        return _Repeat(self, count)

    def take(self, count, name=None):
        return _Take(self, _check_count("count", count))

    def skip(self, count, name=None):
        return _Skip(self, _check_count("count", count))

    def shard(self, num_shards, index, name=None):
        num_shards = _positive("num_shards", num_shards)
        index = _check_count("index", index, allow_minus_one=False)
        if index >= num_shards:
            raise InvalidArgumentError(
                f"shard: index must be < num_shards ({num_shards}), not {index}")
        return _Shard(self, num_shards, index)

    def cache(self, filename="", name=None):
        from .cache import CacheDataset

        return CacheDataset(self, os.fspath(filename) if filename else "")

    def prefetch(self, buffer_size, name=None):
        buffer_size = _check_count("buffer_size", buffer_size)
        if buffer_size == AUTOTUNE:
            buffer_size = 2
        if buffer_size == 0:
            return self
        return _Prefetch(self, buffer_size)

    def concatenate(self, dataset, name=None):
        if not isinstance(dataset, Dataset):
            raise InvalidArgumentError(
                f"concatenate: expected a dataset, got {type(dataset).__name__}")
        return _Concatenate(self, dataset)

    def enumerate(self, start=0, name=None):
        return _Enumerate(self, int(start))

    def apply(self, transformation_func):
        return transformation_func(self)

    # -- more transformations (engine/data/transforms.py) ---------------------------------
    def flat_map(self, map_func, name=None):
        from .transforms import FlatMap

        return FlatMap(self, _callable("flat_map", "map_func", map_func))

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        from .transforms import Interleave, _default_cycle_length

        cycle = _default_cycle_length() if cycle_length in (None, AUTOTUNE) else \
            _positive("cycle_length", cycle_length)
        block = 1 if block_length is None else _positive("block_length", block_length)
        return Interleave(self, _callable("interleave", "map_func", map_func), cycle, block)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        from .transforms import Window

        size = _positive("size", size)
        shift = size if shift is None else _positive("shift", shift)
        return Window(self, size, shift, _positive("stride", stride), bool(drop_remainder))

    def scan(self, initial_state, scan_func, name=None):
        from .transforms import Scan

        return Scan(self, initial_state, _callable("scan", "scan_func", scan_func))

    def reduce(self, initial_state, reduce_func, name=None):
        from .transforms import reduce

        return reduce(self, initial_state, _callable("reduce", "reduce_func", reduce_func))

    def unique(self, name=None):
        from .transforms import Unique

        return Unique(self)

    def take_while(self, predicate, name=None):
        from .transforms import TakeWhile

        return TakeWhile(self, _callable("take_while", "predicate", predicate))

    def group_by_window(self, key_func, reduce_func, window_size=None,
                        window_size_func=None, name=None):
        from .transforms import GroupByWindow

        if (window_size is None) == (window_size_func is None):
            raise InvalidArgumentError(
                "group_by_window: give exactly one of window_size and window_size_func")
        return GroupByWindow(self, _callable("group_by_window", "key_func", key_func),
                             _callable("group_by_window", "reduce_func", reduce_func),
                             None if window_size is None else _positive("window_size",
                                                                        window_size),
                             window_size_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries,
                                  bucket_batch_sizes, padded_shapes=None,
                                  padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False, name=None):
        from .transforms import bucket_by_sequence_length

        return bucket_by_sequence_length(
            self, _callable("bucket_by_sequence_length", "element_length_func",
                            element_length_func),
            bucket_boundaries, bucket_batch_sizes, padded_shapes, padding_values,
            bool(pad_to_bucket_boundary), bool(no_padding), bool(drop_remainder))

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return self.unbatch().batch(batch_size, drop_remainder=drop_remainder)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        from .transforms import sample_from_datasets

        return sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        from .transforms import choose_from_datasets

        return choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        from .transforms import list_files

        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        from .transforms import random

        return random(seed)


def _callable(method, arg, fn):
    if not callable(fn):
        raise InvalidArgumentError(f"{method}: {arg} must be callable, not {type(fn).__name__}")
    return fn


class _Iterator:
    """The iterator of a dataset (``next()`` raises StopIteration at the end)."""

    def __init__(self, it):
        self._it = it
        self.tensors = True

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def get_next(self):
        try:
            return next(self._it)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def close(self):
        close = getattr(self._it, "close", None)
        if close is not None:
            close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class _Unary(Dataset):
    def __init__(self, input_dataset):
        self._input = input_dataset
        self._has_r = input_dataset._has_r


# -- element sources ----------------------------------------------------------------------------
class _FromList(Dataset):
    def __init__(self, elements):
        self._elements = list(elements)

    def _iterator(self):
        return iter(self._elements)

    def _cardinality(self):
        return len(self._elements)


class _FromGenerator(Dataset):
    def __init__(self, generator, args):
        self._gen = generator
        self._args = args
        self._has_r = _calls_r(generator)

    def _iterator(self):
        it = self._gen(*self._args)
        if not hasattr(it, "__next__"):
            it = iter(it)
        for element in it:
            yield _normalize(element)


# -- the index pipeline ------------------------------------------------------------------------
# A chunk of row indices is a ``range`` (contiguous, gathered as a slice view) or
# an int64 numpy array (gathered with ``take``).
def _chunk_piece(c, a, b):
    return c[a:b]


def _gather(arr, c):
    if isinstance(c, range):
        return arr[c.start:c.stop]
    return arr[c]


def _as_index_array(c):
    if isinstance(c, range):
        return np.arange(c.start, c.stop, dtype=np.int64)
    return c


class _Indexed(Dataset):
    """A dataset of slices of ``self._src`` whose row order is given by index chunks."""

    _src = None  # the _Slices

    def _chunks(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _iterator(self):
        leaves, template = self._src._leaves, self._src._template
        for c in self._chunks():
            for i in c:
                yield _pack(template, [a[i, ...] for a in leaves])

    def _spec(self):
        return self._src._spec()

    # Index versions of the transformations that only reorder or select rows.
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        return _IdxShuffle(self, _positive("buffer_size", buffer_size), seed,
                           bool(reshuffle_each_iteration))

    def take(self, count, name=None):
        return _IdxTake(self, _check_count("count", count))

    def skip(self, count, name=None):
        return _IdxSkip(self, _check_count("count", count))

    def repeat(self, count=None, name=None):
        count = -1 if count is None else _check_count("count", count)
        return _IdxRepeat(self, count)

    def shard(self, num_shards, index, name=None):
        num_shards = _positive("num_shards", num_shards)
        index = _check_count("index", index, allow_minus_one=False)
        if index >= num_shards:
            raise InvalidArgumentError(
                f"shard: index must be < num_shards ({num_shards}), not {index}")
        return _IdxShard(self, num_shards, index)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        return _IdxBatch(self, _positive("batch_size", batch_size), bool(drop_remainder))

    def cache(self, filename="", name=None):
        if not filename:
            return self  # already in memory
        return super().cache(filename)


class _Slices(_Indexed):
    def __init__(self, structure):
        # Rows are gathered a batch at a time: row-major (C) order makes each row
        # one contiguous block. Column-major arrays (R's) are copied once, as
        # TF's from_tensor_slices copies its input into a tensor.
        leaves = [a if a.ndim < 2 or a.flags.c_contiguous else np.ascontiguousarray(a)
                  for a in _flatten(structure)]
        self._template = structure = _pack(structure, leaves)
        self._leaves = leaves
        self._src = self
        if not leaves:
            raise InvalidArgumentError("from_tensor_slices: no tensors given")
        for a in leaves:
            if a.ndim == 0:
                raise InvalidArgumentError(
                    "from_tensor_slices: every tensor needs at least one dimension; got a "
                    "scalar")
        n = {a.shape[0] for a in leaves}
        if len(n) > 1:
            sizes = ", ".join(str(a.shape[0]) for a in leaves)
            raise InvalidArgumentError(
                "from_tensor_slices: all tensors must have the same size in their first "
                f"dimension; got sizes {sizes}")
        self._n = n.pop()

    def _chunks(self):
        yield range(self._n)

    def _cardinality(self):
        return self._n

    def _spec(self):
        return _map_structure(lambda a: TensorSpec(a.shape[1:], a.dtype), self._template)


class _IdxUnary(_Indexed):
    def __init__(self, input_dataset):
        self._input = input_dataset
        self._src = input_dataset._src


class _IdxTake(_IdxUnary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _chunks(self):
        left = self._count
        if left == -1:
            yield from self._input._chunks()
            return
        if left == 0:
            return
        for c in self._input._chunks():
            if len(c) >= left:
                yield c[:left]
                return
            left -= len(c)
            yield c

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count == -1:
            return n
        if n == INFINITE:
            return self._count
        if n == UNKNOWN:
            return UNKNOWN
        return min(n, self._count)


class _IdxSkip(_IdxUnary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _chunks(self):
        left = self._count
        if left == -1:
            return
        for c in self._input._chunks():
            if left:
                if len(c) <= left:
                    left -= len(c)
                    continue
                c = c[left:]
                left = 0
            yield c

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._count == -1:
            return 0
        return max(0, n - self._count)


class _IdxRepeat(_IdxUnary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _chunks(self):
        rounds = itertools.count() if self._count == -1 else range(self._count)
        for _ in rounds:
            empty = True
            for c in self._input._chunks():
                if len(c):
                    empty = False
                yield c
            if empty:
                return

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count == -1:
            return 0 if n == 0 else INFINITE
        if n < 0:
            return n
        return n * self._count


class _IdxShard(_IdxUnary):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._k, self._i = num_shards, index

    def _chunks(self):
        pos = 0  # position of the chunk's first element in the stream
        k, i = self._k, self._i
        for c in self._input._chunks():
            first = (i - pos) % k
            if first < len(c):
                yield c[first::k]  # (a range or an index array)
            pos += len(c)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._k + (1 if self._i < n % self._k else 0)


class _IdxShuffle(_IdxUnary):
    """TF's buffered shuffle on row indices: with a buffer at least as large as
    one pass of the input, a uniform permutation of that pass."""

    _CHUNK = 4096

    def __init__(self, input_dataset, buffer_size, seed, reshuffle):
        super().__init__(input_dataset)
        self._buf = buffer_size
        self._rng = _make_rng(seed)
        self._reshuffle = reshuffle
        self._fixed_state = None
        if not reshuffle:
            self._fixed_state = self._rng.bit_generator.state

    def _epoch_rng(self):
        if self._reshuffle:
            return self._rng
        rng = np.random.default_rng()
        rng.bit_generator.state = self._fixed_state
        return rng

    def _chunks(self):
        rng = self._epoch_rng()
        n = self._input._cardinality()
        if 0 <= n <= self._buf:
            parts = [_as_index_array(c) for c in self._input._chunks()]
            if parts:
                idx = np.concatenate(parts) if len(parts) > 1 else parts[0]
                yield rng.permutation(idx)
            return
        # Streaming: fill the buffer, then each new index replaces a random pick.
        buf = []
        out = []
        size = self._buf
        for c in self._input._chunks():
            for i in (c if isinstance(c, range) else c.tolist()):
                if len(buf) < size:
                    buf.append(i)
                    continue
                j = int(rng.integers(size))
                out.append(buf[j])
                buf[j] = i
                if len(out) >= self._CHUNK:
                    yield np.asarray(out, dtype=np.int64)
                    out = []
        if out:
            yield np.asarray(out, dtype=np.int64)
        if buf:
            yield rng.permutation(np.asarray(buf, dtype=np.int64))

    def _cardinality(self):
        return self._input._cardinality()


class _IdxBatch(Dataset):
    """Batches of slices gathered from the arrays at once (one ``take`` per leaf)."""

    def __init__(self, input_dataset, batch_size, drop_remainder):
        self._input = input_dataset
        self._b = batch_size
        self._drop = drop_remainder

    def _batches(self):
        b = self._b
        pending, count = [], 0
        for c in self._input._chunks():
            pos, n = 0, len(c)
            while pos < n:
                if not pending and n - pos >= b:
                    yield c[pos:pos + b]
                    pos += b
                    continue
                piece = c[pos:pos + (b - count)]
                pending.append(piece)
                count += len(piece)
                pos += len(piece)
                if count == b:
                    yield np.concatenate([_as_index_array(p) for p in pending])
                    pending, count = [], 0
        if pending and not self._drop:
            yield np.concatenate([_as_index_array(p) for p in pending])

    def _iterator(self):
        src = self._input._src
        leaves, template = src._leaves, src._template
        for idx in self._batches():
            yield _pack(template, [_gather(a, idx) for a in leaves])

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._b if self._drop else -(-n // self._b)

    def _spec(self):
        first = self._b if self._drop else None
        return _map_structure(lambda s: TensorSpec((first,) + s.shape, s.dtype),
                              self._input._src._spec())


# -- element-wise transformations -----------------------------------------------------------------
def _call_fn(fn, element):
    if isinstance(element, tuple):
        args = [_map_structure(_leaf_for_fn, x) for x in element]
        return fn(*args)
    return fn(_map_structure(_leaf_for_fn, element))


def _workers(num_parallel_calls):
    if num_parallel_calls is None:
        return 1
    n = int(num_parallel_calls)
    if n == AUTOTUNE:
        return max(1, os.cpu_count() or 1)
    if n < 1:
        raise InvalidArgumentError(
            f"num_parallel_calls must be >= 1 or AUTOTUNE (-1), not {n}")
    return n


class _Map(_Unary):
    def __init__(self, input_dataset, fn, num_parallel_calls):
        super().__init__(input_dataset)
        self._fn = fn
        self._r = _calls_r(fn)
        self._has_r = self._has_r or self._r
        self._workers = 1 if self._r else _workers(num_parallel_calls)

    def _apply(self, element):
        return _normalize(_call_fn(self._fn, element))

    def _iterator(self):
        if self._workers == 1:
            for element in self._input._iterator():
                yield self._apply(element)
            return
        # Ordered parallel map: keep up to 2 * workers calls in flight.
        window = 2 * self._workers
        with ThreadPoolExecutor(self._workers) as pool:
            pending = []
            try:
                for element in self._input._iterator():
                    pending.append(pool.submit(self._apply, element))
                    if len(pending) >= window:
                        yield pending.pop(0).result()
                while pending:
                    yield pending.pop(0).result()
            finally:
                for f in pending:
                    f.cancel()

    def _cardinality(self):
        return self._input._cardinality()


class _WithFunction(_Unary):
    """A transformation that calls ``fn`` on elements (R's thread when ``fn`` is R's)."""

    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = fn
        self._has_r = self._has_r or _calls_r(fn)


def _holds(predicate, element, what):
    """``predicate(element)`` as a Python bool; it must give one boolean."""
    keep = _to_numpy(_call_fn(predicate, element))
    if keep.size != 1 or keep.dtype != np.bool_:
        raise InvalidArgumentError(
            f"{what}: the predicate must return a scalar boolean; got dtype {keep.dtype} "
            f"with shape {keep.shape}")
    return bool(keep.reshape(()))


class _Filter(_WithFunction):
    def _iterator(self):
        for element in self._input._iterator():
            if _holds(self._fn, element, "filter"):
                yield element

    def _cardinality(self):
        n = self._input._cardinality()
        return INFINITE if n == INFINITE else UNKNOWN


def _stack(parts, what):
    first = parts[0]
    for k, p in enumerate(parts[1:], start=1):
        if np.shape(p) != np.shape(first):
            raise InvalidArgumentError(
                f"{what}: cannot batch tensors with different shapes; the first element has "
                f"shape {list(np.shape(first))} and element {k} has shape {list(np.shape(p))}")
    return np.stack(parts)


def _stack_elements(elements, what):
    """Elements of one structure stacked leaf by leaf along a new first axis."""
    columns = zip(*[_flatten(e) for e in elements])
    return _pack(elements[0], [_stack(list(col), what) for col in columns])


class _Batch(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._b, self._drop = batch_size, drop_remainder

    def _make(self, elements):
        return _stack_elements(elements, "batch")

    def _iterator(self):
        buf = []
        for element in self._input._iterator():
            buf.append(element)
            if len(buf) == self._b:
                yield self._make(buf)
                buf = []
        if buf and not self._drop:
            yield self._make(buf)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._b if self._drop else -(-n // self._b)


class _PaddedBatch(_Batch):
    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values,
                 drop_remainder):
        super().__init__(input_dataset, batch_size, drop_remainder)
        self._shapes = padded_shapes
        self._values = padding_values

    def _make(self, elements):
        template = elements[0]
        n_leaves = len(_flatten(template))
        shapes = self._per_leaf(template, self._shapes, n_leaves, "padded_shapes")
        values = self._per_leaf(template, self._values, n_leaves, "padding_values")
        out = []
        for j, col in enumerate(zip(*[_flatten(e) for e in elements])):
            col = [np.asarray(c) for c in col]
            rank = col[0].ndim
            if any(c.ndim != rank for c in col):
                raise InvalidArgumentError("padded_batch: elements have different ranks")
            full = [max(c.shape[d] for c in col) for d in range(rank)]
            want = shapes[j]
            if want is not None:
                want = [None if w is None or int(w) < 0 else int(w)
                        for w in np.atleast_1d(np.asarray(want, dtype=object))] \
                    if np.ndim(want) or rank else []
                if len(want) != rank:
                    raise InvalidArgumentError(
                        f"padded_batch: padded shape {want} has rank {len(want)}, the "
                        f"component has rank {rank}")
                for d, w in enumerate(want):
                    if w is not None:
                        if w < full[d]:
                            raise InvalidArgumentError(
                                f"padded_batch: an element's dimension {d} is {full[d]}, "
                                f"larger than the padded shape {w}")
                        full[d] = w
            dtype = col[0].dtype
            fill = values[j]
            if fill is None:
                fill = "" if dtype.kind in "US" else 0
            batch = np.full([len(col)] + full, np.asarray(fill).astype(dtype) if
                            dtype.kind not in "US" else fill, dtype=dtype)
            for k, c in enumerate(col):
                batch[(k,) + tuple(slice(0, s) for s in c.shape)] = c
            out.append(batch)
        return _pack(template, out)

    @staticmethod
    def _per_leaf(template, value, n, what):
        if value is None:
            return [None] * n
        if isinstance(template, (tuple, dict)):
            if isinstance(value, list) and isinstance(template, tuple):
                value = tuple(value)
            if not _same_structure(template, value) and not (
                    isinstance(template, tuple) and isinstance(value, tuple)
                    and len(value) == len(template)):
                raise InvalidArgumentError(
                    f"padded_batch: {what} must have the structure of the elements")
            return _flatten(value) if _same_structure(template, value) else list(value)
        return [value]


class _Unbatch(_Unary):
    def _iterator(self):
        for element in self._input._iterator():
            leaves = _flatten(element)
            n = {np.shape(a)[0] if np.ndim(a) else None for a in leaves}
            if None in n:
                raise InvalidArgumentError("unbatch: elements must have at least one dimension")
            if len(n) > 1:
                raise InvalidArgumentError(
                    "unbatch: the components of an element have different first dimensions")
            for i in range(n.pop()):
                yield _pack(element, [a[i, ...] for a in leaves])


class _Shuffle(_Unary):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle):
        super().__init__(input_dataset)
        self._buf = buffer_size
        self._rng = _make_rng(seed)
        self._reshuffle = reshuffle
        self._state = None if reshuffle else self._rng.bit_generator.state

    def _iterator(self):
        if self._reshuffle:
            rng = self._rng
        else:
            rng = np.random.default_rng()
            rng.bit_generator.state = self._state
        buf = []
        size = self._buf
        for element in self._input._iterator():
            if len(buf) < size:
                buf.append(element)
                continue
            j = int(rng.integers(size))
            yield buf[j]
            buf[j] = element
        for j in rng.permutation(len(buf)):
            yield buf[j]

    def _cardinality(self):
        return self._input._cardinality()


class _Repeat(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _iterator(self):
        rounds = itertools.count() if self._count == -1 else range(self._count)
        for _ in rounds:
            empty = True
            for element in self._input._iterator():
                empty = False
                yield element
            if empty:
                return

    _cardinality = _IdxRepeat._cardinality


class _Take(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _iterator(self):
        if self._count == -1:
            yield from self._input._iterator()
            return
        if self._count == 0:
            return
        for k, element in enumerate(self._input._iterator(), start=1):
            yield element
            if k >= self._count:
                return

    _cardinality = _IdxTake._cardinality


class _Skip(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _iterator(self):
        if self._count == -1:
            for _ in self._input._iterator():
                pass
            return
        yield from itertools.islice(self._input._iterator(), self._count, None)

    _cardinality = _IdxSkip._cardinality


class _Shard(_Unary):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._k, self._i = num_shards, index

    def _iterator(self):
        yield from itertools.islice(self._input._iterator(), self._i, None, self._k)

    _cardinality = _IdxShard._cardinality


class _Enumerate(_Unary):
    def __init__(self, input_dataset, start):
        super().__init__(input_dataset)
        self._start = start

    def _iterator(self):
        for k, element in enumerate(self._input._iterator(), start=self._start):
            yield (np.asarray(k, dtype=np.int64), element)

    def _cardinality(self):
        return self._input._cardinality()


class _Concatenate(Dataset):
    def __init__(self, a, b):
        self._a, self._b = a, b
        self._has_r = a._has_r or b._has_r

    def _iterator(self):
        yield from self._a._iterator()
        yield from self._b._iterator()

    def _cardinality(self):
        n, m = self._a._cardinality(), self._b._cardinality()
        if INFINITE in (n, m):
            return INFINITE
        if UNKNOWN in (n, m):
            return UNKNOWN
        return n + m


class _Zip(Dataset):
    def __init__(self, datasets):
        self._datasets = datasets
        self._flat = _flatten(datasets)
        self._has_r = any(d._has_r for d in self._flat)

    def _iterator(self):
        its = [d._iterator() for d in self._flat]
        try:
            while True:
                parts = []
                for it in its:
                    try:
                        parts.append(next(it))
                    except StopIteration:
                        return
                yield _pack(self._datasets, parts)
        finally:
            for it in its:
                close = getattr(it, "close", None)
                if close is not None:
                    close()

    def _cardinality(self):
        ns = [d._cardinality() for d in self._flat]
        finite = [n for n in ns if n >= 0]
        if finite:
            return min(finite) if UNKNOWN not in ns or min(finite) == 0 else UNKNOWN
        return UNKNOWN if UNKNOWN in ns else INFINITE


# -- prefetch ------------------------------------------------------------------------------
_END = object()


class _Prefetch(_Unary):
    """Up to ``buffer_size`` elements produced ahead by a background thread; in the
    consumer's thread when the pipeline calls R."""

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        self._size = buffer_size

    @property
    def threaded(self):
        return not self._has_r

    def _iterator(self):
        if self._has_r:
            yield from self._input._iterator()
            return
        q = queue.Queue(maxsize=self._size)
        stop = threading.Event()
        upstream = self._input._iterator()

        def put(item):
            while not stop.is_set():
                try:
                    q.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce():
            try:
                for element in upstream:
                    if not put((element, None)):
                        return
                put((_END, None))
            except BaseException as exc:  # handed to the consumer
                put((_END, exc))
            finally:
                close = getattr(upstream, "close", None)
                if close is not None and stop.is_set():
                    try:
                        close()
                    except Exception:
                        pass

        thread = threading.Thread(target=produce, name="tensorbridge-prefetch", daemon=True)
        thread.start()
        try:
            while True:
                element, exc = q.get()
                if element is _END:
                    if exc is not None:
                        raise exc
                    return
                yield element
        finally:
            stop.set()
            thread.join(timeout=5)

    def _cardinality(self):
        return self._input._cardinality()


# -- iteration helpers for callers that are not Python loops (the R package) ----------------
def _as_tensors(element):
    """An element with its numeric leaves as engine Tensors (strings stay arrays)."""
    return _map_structure(_leaf_for_fn, element)


def make_iterator(dataset, tensors=True):
    """A fresh iterator over ``dataset`` for :func:`next_element`, which gives the
    elements' numeric leaves as Tensors when ``tensors``, else as numpy arrays."""
    if not isinstance(dataset, Dataset):
        raise InvalidArgumentError(f"expected a dataset, got {type(dataset).__name__}")
    it = iter(dataset)
    it.tensors = bool(tensors)
    return it


def next_element(iterator, tensors=None):
    """``(True, element)``, or ``(False, None)`` at the end of ``iterator``."""
    if tensors is None:
        tensors = getattr(iterator, "tensors", True)
    try:
        element = next(iterator)
    except StopIteration:
        return (False, None)
    return (True, _as_tensors(element) if tensors else element)


def collect(dataset, iter_max=None, tensors=True):
    """The first ``iter_max`` elements of ``dataset`` (all when None) in a list."""
    if not isinstance(dataset, Dataset):
        raise InvalidArgumentError(f"expected a dataset, got {type(dataset).__name__}")
    out = []
    if iter_max is not None and int(iter_max) <= 0:
        return out
    for element in dataset._iterator():
        out.append(_as_tensors(element) if tensors else element)
        if iter_max is not None and len(out) >= int(iter_max):
            break
    return out


# -- named columns to (x, y) (tfdatasets' dataset_prepare) --------------------------------------
def prepare(dataset, features, response=None, named=True, named_features=False,
            batch_size=None, drop_remainder=False, num_parallel_calls=None):
    """A dataset of named columns (dict elements) made ``x`` (the ``features`` columns: one
    array stacked along a new last axis, or a dict when ``named_features``) and ``y`` (the
    ``response`` column), as ``{"x": x, "y": y}`` when ``named`` else ``(x, y)``; batched
    when ``batch_size`` is given. Stacked numeric features of different types become
    float32."""
    if not isinstance(dataset, Dataset):
        raise InvalidArgumentError(f"expected a dataset, got {type(dataset).__name__}")
    spec = dataset.element_spec
    if not isinstance(spec, dict):
        raise InvalidArgumentError(
            "prepare: the dataset's elements are not named columns; it needs a dataset of "
            "named columns, e.g. from text_line_dataset(record_spec =) or make_csv_dataset()")
    features = [str(f) for f in features]
    wanted = features + ([str(response)] if response is not None else [])
    unknown = [c for c in wanted if c not in spec]
    if unknown:
        raise InvalidArgumentError(
            f"prepare: no column {unknown[0]!r} in the dataset; its columns: "
            f"{', '.join(spec)}")
    if not features:
        raise InvalidArgumentError("prepare: no feature columns selected")
    kinds = {np.dtype(spec[f].dtype).kind for f in features}
    if not named_features and "U" in kinds and len(kinds) > 1:
        raise InvalidArgumentError(
            "prepare: string and numeric feature columns cannot be stacked into one array; "
            "select columns of one type, or use named_features = TRUE")
    cast = None if named_features or len({spec[f].dtype for f in features}) == 1 \
        else np.float32

    def to_xy(element):
        cols = [_to_numpy(element[f]) for f in features]
        if named_features:
            x = dict(zip(features, cols))
        else:
            if cast is not None:
                cols = [c.astype(cast) for c in cols]
            x = np.stack(cols, axis=cols[0].ndim)
        if response is None:
            return {"x": x} if named else (x,)
        y = _to_numpy(element[str(response)])
        return {"x": x, "y": y} if named else (x, y)

    out = _Map(dataset, to_xy, num_parallel_calls)
    if batch_size is not None:
        out = out.batch(batch_size, drop_remainder=drop_remainder)
    return out


def _column_names(dataset):
    """The names of a dataset's columns (dict elements), in order; empty otherwise."""
    spec = dataset.element_spec
    return [str(k) for k in spec] if isinstance(spec, dict) else []
