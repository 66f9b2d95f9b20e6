"""Worker processes for Python-side work that threads cannot spread over cores (Python's
GIL): decoding many small image files.

A :class:`WorkerPool` starts ``n`` Python processes (running :func:`main`, with the
parent's ``sys.path``) that read ``(function, args)`` from their stdin and write the result
or the exception to their stdout, pickled. :meth:`WorkerPool.call` borrows an idle worker,
so several threads (a dataset's parallel map) keep several workers busy; each waits on its
pipe without holding the GIL.

The workers are plain subprocesses, not ``multiprocessing``'s: they never import the
parent's ``__main__`` (a script without an ``if __name__ == "__main__"`` guard, or R
hosting Python, is fine), and they end when their stdin closes, that is when the parent
process ends, however it ends.
"""

import atexit
import json
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading

_HEADER = struct.Struct("<Q")


def _send(stream, obj):
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_exactly(stream, n):
    data = stream.read(n)
    if len(data) != n:
        raise EOFError("the worker process ended")
    return data


def _receive(stream):
    (n,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    return pickle.loads(_read_exactly(stream, n))


class WorkerError(RuntimeError):
    """A worker process ended while it had work (killed, or out of memory)."""


class WorkerPool:
    """``n`` worker processes; ``call(fn, *args)`` runs ``fn(*args)`` in an idle one."""

    def __init__(self, n):
        if n < 1:
            raise ValueError(f"a worker pool needs at least one process, not {n}")
        self._idle = queue.Queue()
        self._all = []
        self._lock = threading.Lock()
        self.closed = False
        for _ in range(n):
            self._idle.put(self._start())

    def _start(self):
        # this process's import path; the environment as it is now (R's Sys.setenv too)
        code = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
                f"import {__name__} as w; w.main()")
        proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(sys.path)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        with self._lock:
            self._all.append(proc)
        return proc

    def call(self, fn, *args):
        if self.closed:
            raise RuntimeError("this worker pool is closed")
        proc = self._idle.get()
        try:
            _send(proc.stdin, (fn, args))
            ok, value = _receive(proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error):
            try:
                code = proc.wait(timeout=2)
            except subprocess.TimeoutExpired:  # alive but out of step: start afresh
                code = None
            self._forget(proc)
            proc = self._start()
            raise WorkerError(
                f"a worker process ended while it worked (exit status {code}); it has been "
                "replaced: try again, or set TENSORBRIDGE_IMAGE_WORKERS=0 to work in this "
                "process") from None
        finally:
            self._idle.put(proc)
        if ok:
            return value
        raise value

    def _forget(self, proc):
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        with self._lock:
            self._all.remove(proc)

    def close(self):
        """Ends the workers (closing their stdin)."""
        self.closed = True
        with self._lock:
            procs, self._all = self._all, []
        for proc in procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
            proc.stdout.close()


_POOLS = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(n):
    """The process-wide pool of ``n`` workers (a forked child starts its own)."""
    key = (os.getpid(), n)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = WorkerPool(n)
    return pool


@atexit.register
def _close_pools():
    for (pid, _), pool in list(_POOLS.items()):
        if pid == os.getpid():
            pool.close()


def _serve(inp, out):
    while True:
        try:
            fn, args = _receive(inp)
        except EOFError:
            return
        try:
            reply = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller
            reply = (False, exc)
        try:
            _send(out, reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _send(out, (False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def main():
    """A worker's life: serve calls until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the replies
    try:
        _serve(stdin, stdout)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
