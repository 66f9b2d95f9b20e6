"""Writing files safely: atomic replacement, private temp names, stale-temp cleanup, locks.

``atomic_write(path, writer)`` writes through a temporary file in the target's
directory and renames it over ``path``, so a crash leaves the old file whole.
The temp file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (a name planted
by someone else, symbolic link or not, is never written through) and mode
``0o666`` minus the umask, like any file the user creates.  Its name carries
the writer's host and process id::

    .<target name>.tbtmp-<host>-<pid>-<random>

so that the next write to that directory can remove the temp files of writers
that were killed (``kill -9``) in the middle of a write: a temp file is stale
when it is ours (same owner), its writer ran on this host and that process is
gone, or when it is older than ``STALE_AFTER`` seconds (writers on other hosts
sharing the directory).  The temp file of a live writer is never touched.

``DirLock(folder)`` is an exclusive lock on a directory, shared between
processes (``flock`` on a lock file in it) and re-entrant within a process.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import threading
import time

import numpy as np

TAG = "tbtmp"
STALE_AFTER = 24 * 3600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_TEMP_RE = re.compile(r"^\..*\." + TAG + r"-(?P<host>[A-Za-z0-9_-]*)-(?P<pid>[0-9]+)-[0-9a-f]{8}$",
                      re.DOTALL)


def _host():
    return re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname())[:64]


def temp_name(target_name: str) -> str:
    """A fresh temp-file name for ``target_name`` (kept under NAME_MAX)."""
    return f".{target_name[:120]}.{TAG}-{_host()}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    if pid <= 0 or os.name != "posix":
        return True  # cannot tell: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_stale_temps(folder: str) -> list[str]:
    """Remove this user's stale temp files of ``atomic_write`` in ``folder``; the names removed."""
    removed = []
    host, now = _host(), time.time()
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if m is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_file(follow_symlinks=False) or (uid is not None and st.st_uid != uid):
            continue
        dead = m.group("host") == host and not _alive(int(m.group("pid")))
        if dead or now - st.st_mtime > STALE_AFTER:
            try:
                os.unlink(entry.path)
                removed.append(entry.name)
            except OSError:
                pass
    return removed


def open_temp(folder: str, target_name: str) -> tuple[int, str]:
    """A new temp file next to ``target_name`` in ``folder``: (fd open for writing, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY",
                                                                                   0)
    for _ in range(100):
        tmp = os.path.join(folder, temp_name(target_name))
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not create a unique temporary file", folder)


def _fsync_dir(folder):
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def atomic_write(path, writer, text: bool = False) -> None:
    """Write ``path`` via ``writer(fileobj)``: temp file, fsync, then ``os.replace``.

    ``text`` opens the temp file in text mode (UTF-8).  A symbolic link at
    ``path`` is replaced by the new file, never written through.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    clean_stale_temps(folder)
    fd, tmp = open_temp(folder, os.path.basename(path))
    try:
        with (os.fdopen(fd, "w", encoding="utf-8") if text else os.fdopen(fd, "wb")) as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


class DirLock:
    """An exclusive lock on ``folder`` through the lock file ``folder/name``.

    Between processes it is ``fcntl.flock``; within a process it is
    re-entrant (one ``threading.RLock`` per lock file, shared by every
    ``DirLock`` on it).  Where ``fcntl`` does not exist (Windows) only the
    in-process lock is held; so it is in a folder where the lock file cannot
    be created (read-only: whoever cannot create it cannot write there either).
    """

    _registry: dict[str, list] = {}  # lock path -> [RLock, depth, fd]
    _guard = threading.Lock()

    def __init__(self, folder, name: str = ".lock"):
        self.path = os.path.join(os.path.abspath(os.fspath(folder)), name)

    def _state(self):
        with DirLock._guard:
            st = DirLock._registry.get(self.path)
            if st is None:
                st = DirLock._registry[self.path] = [threading.RLock(), 0, None]
            return st

    def __enter__(self):
        st = self._state()
        st[0].acquire()
        try:
            if st[1] == 0:
                st[2] = self._acquire()
            st[1] += 1
        except BaseException:
            st[0].release()
            raise
        return self

    def __exit__(self, *exc):
        st = self._state()
        st[1] -= 1
        if st[1] == 0 and st[2] is not None:
            os.close(st[2])  # closing the descriptor releases the flock
            st[2] = None
        st[0].release()
        return False

    def _acquire(self):
        try:
            import fcntl
        except ImportError:
            return None
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, f"the lock file {self.path} is a symbolic link; a lock "
                              "file must be a plain file: remove the link and try again") from None
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return None  # a folder we may not write: reading goes on, writing fails anyway
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd


def _after_fork_in_child():
    # A child starts holding no lock.  Its copies of the parent's lock descriptors are closed
    # (not unlocked: that would release the parent's lock too), so that the parent's close
    # still releases the lock.
    for st in DirLock._registry.values():
        if st[2] is not None:
            try:
                os.close(st[2])
            except OSError:
                pass
    DirLock._registry = {}
    DirLock._guard = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def read_npy_header(f):
    """``(shape, dtype)`` from the header of a .npy stream, leaving ``f`` at
    the first data byte; nothing is unpickled (object dtypes are reported,
    not read)."""
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    return shape, dtype
