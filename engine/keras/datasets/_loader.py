"""Downloading, caching and verifying dataset files the way keras does, and reading them
without running anything they contain.

Files are cached in ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``).
When that directory cannot be created or written the loader stops with an
error saying to set ``KERAS_HOME`` (or to pass an absolute ``path``); it never
falls back to a shared directory such as ``/tmp``.  A file is downloaded from
``BASE_URL + name`` (keras' published location; override it with the
environment variable ``TENSORBRIDGE_DATASETS_BASE_URL`` or by setting
``_loader.BASE_URL``, e.g. for a mirror or a test server) into a private temp
file, checked, and moved into place.

Every file has a pinned checksum (``Pin``): the SHA-256 that keras (or, for
Fashion-MNIST, TensorFlow Datasets) publishes; for the two word-index JSON
files keras publishes only an MD5, which is pinned instead.  A cached file is
read into memory once, checked, and parsed from those bytes; one that does not
match is refused (nothing in it is parsed) with a message naming it and saying
to delete it.  Parsing itself runs no code either: .npz members are read with
``allow_pickle=False``, and the object arrays of imdb/reuters and CIFAR's
pickles go through ``SafeUnpickler``, which builds plain containers, numbers,
strings and numpy arrays and refuses every other global.
"""

import gzip
import hashlib
import io
import os
import pickle
import urllib.error
import urllib.request
import zipfile
from collections import namedtuple

import numpy as np

from ..._env import getenv
from ..._files import atomic_write, read_npy_header

KERAS_BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
BASE_URL = None  # None: the environment variable, else each file's published origin
TIMEOUT = 60

Pin = namedtuple("Pin", ["algorithm", "digest"])  # algorithm: "sha256" or "md5"


class DatasetDownloadError(OSError):
    """A dataset file is neither cached nor downloadable."""


class DatasetCacheError(OSError):
    """keras' dataset cache directory cannot be used."""


class DatasetChecksumError(ValueError):
    """A dataset file does not match its published checksum."""


def cache_dir():
    """``$KERAS_HOME/datasets`` or ``~/.keras/datasets``, created if needed and writable."""
    home = getenv("KERAS_HOME")
    base = os.path.expanduser(home or os.path.join("~", ".keras"))
    if not os.path.isabs(base):
        raise DatasetCacheError(
            f"keras' dataset cache directory is not usable: {base!r} is not an absolute path "
            "(no home directory?); set the environment variable KERAS_HOME to a directory you "
            "can write, or pass an absolute file path as `path`")
    folder = os.path.join(base, "datasets")
    try:
        os.makedirs(folder, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(f"{folder} is not writable")
    except OSError as exc:
        raise DatasetCacheError(
            f"keras' dataset cache directory {folder} is not usable ({exc}); set the "
            "environment variable KERAS_HOME to a directory you can write (datasets go to "
            "$KERAS_HOME/datasets), or pass an absolute file path as `path`") from None
    return folder


def _origin(fname, origin):
    base = BASE_URL or getenv("TENSORBRIDGE_DATASETS_BASE_URL")
    if base:
        return base.rstrip("/") + "/" + fname
    return origin


def as_pin(file_hash):
    """A ``Pin`` from a ``Pin`` or a hex digest (64 digits: SHA-256, 32: MD5), as keras'
    ``get_file(file_hash=)`` takes it."""
    if isinstance(file_hash, Pin):
        return file_hash
    digest = str(file_hash).lower()
    if len(digest) not in (32, 64) or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"file_hash must be a SHA-256 (64 hex digits) or MD5 (32 hex digits) "
                         f"digest, got {file_hash!r}")
    return Pin("sha256" if len(digest) == 64 else "md5", digest)


def _name(pin):
    return "SHA-256" if pin.algorithm == "sha256" else pin.algorithm.upper()


def _target(fname, path):
    path = path or fname
    return path if os.path.isabs(path) else os.path.join(cache_dir(), path)


def _verify(data, pin, fname, where, remedy):
    got = hashlib.new(pin.algorithm, data).hexdigest()
    if got != pin.digest:
        raise DatasetChecksumError(
            f"{where} does not match the published {_name(pin)} checksum of {fname} "
            f"(expected {pin.digest}, found {got}): the file is damaged or was replaced, and "
            f"nothing in it was read. {remedy}")


def _download(fname, url, target, pin):
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)

    def fetch(out):
        h = hashlib.new(pin.algorithm)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
                while True:
                    chunk = resp.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
                    out.write(chunk)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DatasetDownloadError(
                f"{fname} is not cached and could not be downloaded from {url} ({exc}). "
                f"Download it yourself from {url} and put it at {target}") from None
        if h.hexdigest() != pin.digest:
            raise DatasetChecksumError(
                f"{fname} downloaded from {url} failed its checksum: {_name(pin)} is "
                f"{h.hexdigest()}, expected {pin.digest}. The download is corrupt or the file "
                f"changed; retry, or put a good copy at {target}")

    atomic_write(target, fetch)  # the temp file is removed when fetch raises


def fetch_bytes(fname, origin, pin, path=None):
    """The verified bytes of ``fname``: the cached copy, else downloaded from ``origin``.

    ``path`` (keras' argument of ``load_data``) names the file inside the cache
    directory; an absolute path is used as is.  The bytes returned are the
    bytes that were checked.
    """
    pin = as_pin(pin)
    target = _target(fname, path)
    url = _origin(fname, origin)
    if not os.path.exists(target):
        _download(fname, url, target, pin)
    with open(target, "rb") as f:
        data = f.read()
    _verify(data, pin, fname, f"the cached file {target}",
            f"Delete it and call the loader again to download a fresh copy from {url}.")
    return data


def get_file(fname, origin, pin, path=None):
    """Local path of ``fname`` after checking it (keras' ``get_file``); prefer
    ``fetch_bytes``, which returns the very bytes that were checked."""
    fetch_bytes(fname, origin, pin, path)
    return _target(fname, path)


# -- reading without running code -------------------------------------------------------------
def _reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct as r
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct as r
    return r


_SAFE_GLOBALS = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct(),  # files written by numpy < 2
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct(),
}


class SafeUnpickler(pickle.Unpickler):
    """Unpickles plain containers, numbers, strings and numpy arrays, nothing else.

    The only globals are numpy's array and dtype constructors; any other (a
    function to call, a class to build) raises ``pickle.UnpicklingError``.
    """

    def find_class(self, module, name):
        obj = _SAFE_GLOBALS.get((module, name))
        if obj is None:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name}: a dataset file holds only arrays, lists, "
                "numbers and strings")
        return obj

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("refusing a persistent reference in a dataset file")


def safe_unpickle(f, **kwargs):
    return SafeUnpickler(f, **kwargs).load()


def load_npz(data, what):
    """The arrays of the .npz bytes ``data``: numbers with ``allow_pickle=False``, object
    arrays (lists of word indices) through ``SafeUnpickler``."""
    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                key = name[:-4] if name.endswith(".npy") else name
                with z.open(name) as f:
                    shape, dtype = read_npy_header(f)
                    if dtype.hasobject:
                        arr = safe_unpickle(f)
                        if not isinstance(arr, np.ndarray) or arr.shape != tuple(shape):
                            raise ValueError(f"member {name} is not the array its header "
                                             "describes")
                        out[key] = arr
                        continue
                with z.open(name) as f:
                    out[key] = np.lib.format.read_array(f, allow_pickle=False)
    except (zipfile.BadZipFile, pickle.UnpicklingError, OSError, EOFError, ValueError,
            TypeError, AttributeError, IndexError, KeyError) as exc:
        raise ValueError(f"{what} is not a readable .npz file ({exc})") from None
    return out


def int_sequences(arr, what):
    """An object array of sequences (lists or 1-d arrays of word indices)."""
    if not isinstance(arr, np.ndarray) or arr.ndim != 1 or not all(
            isinstance(x, list) or (isinstance(x, np.ndarray) and x.ndim == 1) for x in arr):
        raise ValueError(f"{what}: the texts are not sequences of word indices")
    return arr


def read_idx(data, magic, what, label):
    """An IDX (MNIST-format) file's bytes, gzip-compressed or not, checked against its magic."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{label} is not a readable {what} file ({exc})") from None
    if len(data) < 8 or int.from_bytes(data[:4], "big") != magic:
        raise ValueError(f"{label} is not an IDX {what} file (wrong magic number)")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    n = int(np.prod(dims))
    if len(data) - offset != n:
        raise ValueError(f"{label}: IDX header says {dims} ({n} bytes) but the file holds "
                         f"{len(data) - offset} data bytes; the file is truncated")
    return np.frombuffer(data, np.uint8, offset=offset).reshape(dims)


def sequences_post(xs, labels, *, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    """keras' processing of word-index sequences (imdb, reuters)."""
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    if maxlen:
        keep = [i for i, x in enumerate(xs) if len(x) < maxlen]
        xs = [xs[i] for i in keep]
        labels = labels[keep]
    return xs, labels


def sequences_vocab(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max((max(x) for x in xs if x), default=0) + 1
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def object_array(seqs):
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = list(s)
    return out
