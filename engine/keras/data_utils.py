"""keras' ``get_file``: a file from a URL, cached in keras' cache directory and checked.

The file lands in ``<cache_dir>/<cache_subdir>/<fname>`` (``cache_dir`` defaults to
``$KERAS_HOME`` or ``~/.keras``; an absolute ``fname`` or ``cache_subdir`` is used as is).
A cached file is used without downloading when it matches ``file_hash`` (or when no hash
is given). A download goes to a private temp file that is checked before it replaces the
target. When the file is neither cached nor downloadable, the error names the file and the
path to put it at. ``extract`` unpacks a tar or zip archive next to it, refusing members
that would land outside that folder.
"""

import hashlib
import os
import tarfile
import urllib.error
import urllib.request
import zipfile

from .._env import getenv
from .._files import atomic_write

TIMEOUT = 60


class FileDownloadError(OSError):
    """A file is neither cached nor downloadable."""


class FileChecksumError(ValueError):
    """A file does not match the hash it was asked to have."""


def _algorithm(file_hash, hash_algorithm):
    if hash_algorithm not in ("auto", "md5", "sha256"):
        raise ValueError(f"hash_algorithm must be 'auto', 'md5' or 'sha256', got "
                         f"{hash_algorithm!r}")
    digest = str(file_hash).lower()
    if any(c not in "0123456789abcdef" for c in digest) or len(digest) not in (32, 64):
        raise ValueError(f"file_hash must be a SHA-256 (64 hex digits) or MD5 (32 hex digits) "
                         f"digest, got {file_hash!r}")
    if hash_algorithm == "auto":
        return "sha256" if len(digest) == 64 else "md5"
    return hash_algorithm


def _hash_file(path, algorithm, chunk=1 << 20):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def _base_dir(cache_dir):
    if cache_dir is None:
        home = getenv("KERAS_HOME")
        cache_dir = os.path.expanduser(home or os.path.join("~", ".keras"))
    cache_dir = os.path.expanduser(os.fspath(cache_dir))
    if not os.path.isabs(cache_dir):
        cache_dir = os.path.abspath(cache_dir)
    return cache_dir


def _safe_members(names, folder):
    root = os.path.realpath(folder)
    for name in names:
        target = os.path.realpath(os.path.join(folder, name))
        if target != root and not target.startswith(root + os.sep):
            raise ValueError(f"refusing to extract {name!r}: it would land outside {folder}")


def _extract(path, folder, archive_format):
    formats = {"auto": ("tar", "zip"), "tar": ("tar",), "zip": ("zip",)}
    if archive_format is None:
        return False
    if archive_format not in formats:
        raise ValueError(f"archive_format must be 'auto', 'tar', 'zip' or None, got "
                         f"{archive_format!r}")
    for kind in formats[archive_format]:
        if kind == "tar" and tarfile.is_tarfile(path):
            with tarfile.open(path) as t:
                members = t.getmembers()
                _safe_members([m.name for m in members], folder)
                bad = [m.name for m in members if m.issym() or m.islnk() or m.isdev()]
                if bad:
                    raise ValueError(f"refusing to extract {path}: it holds links or devices "
                                     f"({', '.join(bad[:3])})")
                t.extractall(folder)
            return True
        if kind == "zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                _safe_members(z.namelist(), folder)
                z.extractall(folder)
            return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None):
    """Path of ``fname`` in the cache: downloaded from ``origin`` unless a good copy is
    cached (keras' ``get_file``)."""
    if origin is None or not str(origin):
        raise ValueError("origin must be the URL to download the file from")
    if fname is None or not str(fname):
        fname = os.path.basename(str(origin).split("?")[0]) or "downloaded_file"
    fname = os.fspath(fname)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash is not None else None
    base = _base_dir(cache_dir)
    folder = cache_subdir if os.path.isabs(cache_subdir) else os.path.join(base, cache_subdir)
    if untar:
        target = os.path.join(folder, fname + ".tar.gz") if not os.path.isabs(fname) \
            else fname + ".tar.gz"
    else:
        target = fname if os.path.isabs(fname) else os.path.join(folder, fname)
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise FileDownloadError(
            f"cannot create the cache folder {folder} for {fname} ({exc}); set the "
            "environment variable KERAS_HOME or give cache_dir, a folder you can write") \
            from None
    reason = None
    if os.path.exists(target):
        if algorithm is None:
            return _finish(target, fname, untar, extract, archive_format)
        got = _hash_file(target, algorithm)
        if got == str(file_hash).lower():
            return _finish(target, fname, untar, extract, archive_format)
        reason = (f"the cached copy {target} does not match the expected {algorithm} hash "
                  f"(expected {str(file_hash).lower()}, found {got})")

    def fetch(out):
        h = hashlib.new(algorithm) if algorithm else None
        try:
            with urllib.request.urlopen(str(origin), timeout=TIMEOUT) as resp:
                for chunk in iter(lambda: resp.read(1 << 20), b""):
                    if h is not None:
                        h.update(chunk)
                    out.write(chunk)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            why = f"{reason}, and " if reason else "it is not cached and "
            raise FileDownloadError(
                f"{fname}: {why}it could not be downloaded from {origin} ({exc}). Download "
                f"it yourself and put it at {target}") from None
        if h is not None and h.hexdigest() != str(file_hash).lower():
            raise FileChecksumError(
                f"{fname} downloaded from {origin} does not match the expected {algorithm} "
                f"hash (expected {str(file_hash).lower()}, found {h.hexdigest()}); the "
                f"download is corrupt or the file changed. Retry, or put a good copy at "
                f"{target}")

    atomic_write(target, fetch)
    return _finish(target, fname, untar, extract, archive_format)


def _finish(target, fname, untar, extract, archive_format):
    folder = os.path.dirname(target)
    if untar:
        untar_dir = os.path.join(folder, fname)
        if not os.path.exists(untar_dir):
            _extract(target, folder, "tar")
        return untar_dir
    if extract:
        _extract(target, folder, archive_format)
    return target
