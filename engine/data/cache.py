"""``Dataset.cache()``: in memory, or in files that later runs reuse.

The file cache of ``filename`` is a set of chunk files
``<filename>.chunk-<k>.npz`` (each an ``.npz`` of ``.npy`` arrays, no pickles)
and an index ``<filename>.index`` written last: a cache counts as complete only
when its index exists, and every file is written atomically, so an interrupted
first pass leaves no cache that a later run would trust.
"""

from __future__ import annotations

import io
import json
import os

import numpy as np

from .._files import atomic_write
from ..errors import InvalidArgumentError
from .dataset import Dataset, _flatten, _pack

_CHUNK = 1024
_FORMAT = "tensorbridge-dataset-cache-1"


def _template_json(s):
    if isinstance(s, tuple):
        return {"t": [_template_json(x) for x in s]}
    if isinstance(s, dict):
        return {"d": [[k, _template_json(v)] for k, v in s.items()]}
    return {"l": 1}


def _template_from_json(j):
    if "l" in j:
        return 0
    if "t" in j:
        return tuple(_template_from_json(x) for x in j["t"])
    return {k: _template_from_json(v) for k, v in j["d"]}


def _storable(a):
    a = np.asarray(a)
    if a.dtype == object:
        a = a.astype(str)
    return a


class CacheDataset(Dataset):
    def __init__(self, input_dataset, filename):
        self._input = input_dataset
        self._has_r = input_dataset._has_r
        self._filename = filename
        self._memory = None  # the elements, once a first pass has completed

    def _cardinality(self):
        if self._memory is not None:
            return len(self._memory)
        return self._input._cardinality()

    # -- memory --------------------------------------------------------------------------
    def _iterator(self):
        if self._filename:
            return self._file_iterator()
        return self._memory_iterator()

    def _memory_iterator(self):
        if self._memory is not None:
            yield from self._memory
            return
        seen = []
        for element in self._input._iterator():
            seen.append(element)
            yield element
        self._memory = seen

    # -- files -------------------------------------------------------------------------------
    def _index_path(self):
        return self._filename + ".index"

    def _chunk_path(self, k):
        return f"{self._filename}.chunk-{k:06d}.npz"

    def _file_iterator(self):
        index = self._index_path()
        if os.path.exists(index):
            yield from self._read()
            return
        folder = os.path.dirname(os.path.abspath(self._filename))
        if not os.path.isdir(folder):
            raise InvalidArgumentError(
                f"cache: the folder of the cache file does not exist: {folder}")
        template, buf, k, n = None, [], 0, 0
        for element in self._input._iterator():
            if template is None:
                template = element
            buf.append(element)
            n += 1
            if len(buf) == _CHUNK:
                self._write_chunk(k, buf)
                k, buf = k + 1, []
            yield element
        if buf:
            self._write_chunk(k, buf)
            k += 1
        meta = {"format": _FORMAT, "chunks": k, "elements": n,
                "template": _template_json(template) if template is not None else None}
        atomic_write(index, lambda f: json.dump(meta, f), text=True)

    def _write_chunk(self, k, elements):
        arrays = {}
        for i, e in enumerate(elements):
            for j, leaf in enumerate(_flatten(e)):
                arrays[f"e{i}_l{j}"] = _storable(leaf)

        def writer(f):
            b = io.BytesIO()
            np.savez(b, **arrays)
            f.write(b.getvalue())

        atomic_write(self._chunk_path(k), writer)

    def _read(self):
        with open(self._index_path(), encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("format") != _FORMAT:
            raise InvalidArgumentError(
                f"cache: {self._index_path()} is not a dataset cache index")
        if meta["template"] is None and meta["elements"]:
            raise InvalidArgumentError(f"cache: {self._index_path()} is damaged")
        template = _template_from_json(meta["template"]) if meta["elements"] else None
        n_leaves = len(_flatten(template)) if template is not None else 0
        for k in range(meta["chunks"]):
            path = self._chunk_path(k)
            if not os.path.exists(path):
                raise InvalidArgumentError(
                    f"cache: the cache file {path} is missing; delete {self._index_path()} "
                    "to rebuild the cache")
            with np.load(path, allow_pickle=False) as z:
                count = len(z.files) // max(n_leaves, 1)
                for i in range(count):
                    yield _pack(template, [z[f"e{i}_l{j}"] for j in range(n_leaves)])
