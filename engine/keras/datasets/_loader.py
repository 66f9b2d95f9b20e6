"""Downloading and caching dataset files the way keras does.

Files are cached in ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``;
``/tmp/.keras/datasets`` when that is not writable).  A file is downloaded
from ``BASE_URL + name`` (keras' published location; override it with the
environment variable ``TENSORBRIDGE_DATASETS_BASE_URL`` or by setting
``_loader.BASE_URL``, e.g. for a mirror or a test server), written to a
temporary file, checked against its published SHA-256 where keras publishes
one, and moved into place.  Without a published hash the loader checks the
file's format instead.
"""

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request

import numpy as np

KERAS_BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
BASE_URL = None  # None: the environment variable, else each file's published origin
TIMEOUT = 60


class DatasetDownloadError(OSError):
    """A dataset file is neither cached nor downloadable."""


def cache_dir():
    base = os.path.expanduser(os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))
    folder = os.path.join(base, "datasets")
    try:
        os.makedirs(folder, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(folder)
    except OSError:
        folder = os.path.join(tempfile.gettempdir(), ".keras", "datasets")
        os.makedirs(folder, exist_ok=True)
    return folder


def _origin(fname, origin):
    base = BASE_URL or os.environ.get("TENSORBRIDGE_DATASETS_BASE_URL")
    if base:
        return base.rstrip("/") + "/" + fname
    return origin


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def get_file(fname, origin, file_hash=None, path=None):
    """Local path of ``fname``: the cached copy, else downloaded from ``origin``.

    ``path`` (keras' argument of ``load_data``) names the file inside the cache
    directory; an absolute path is used as is.
    """
    target = os.path.join(cache_dir(), path or fname)
    url = _origin(fname, origin)
    if os.path.exists(target):
        if file_hash is None or sha256_of(target) == file_hash:
            return target
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".part",
                               dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
                    while True:
                        chunk = resp.read(1 << 20)
                        if not chunk:
                            break
                        out.write(chunk)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                raise DatasetDownloadError(
                    f"{fname} is not cached and could not be downloaded from {url} ({exc}). "
                    f"Download it yourself from {url} and put it at {target}") from None
        if file_hash is not None:
            got = sha256_of(tmp)
            if got != file_hash:
                raise ValueError(
                    f"{fname} downloaded from {url} failed its checksum: sha256 is {got}, "
                    f"expected {file_hash}. The download is corrupt or the file changed; "
                    f"retry, or put a good copy at {target}")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def read_idx(path, magic, what):
    """An IDX (MNIST-format) file, gzip-compressed or not, checked against its magic."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path} is not a readable {what} file ({exc})") from None
    if len(data) < 8 or int.from_bytes(data[:4], "big") != magic:
        raise ValueError(f"{path} is not an IDX {what} file (wrong magic number)")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    n = int(np.prod(dims))
    if len(data) - offset != n:
        raise ValueError(f"{path}: IDX header says {dims} ({n} bytes) but the file holds "
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
