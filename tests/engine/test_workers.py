"""Worker processes (engine/_workers.py): results and errors come back as in-process calls
would give them, a killed worker is replaced, and a script without a __main__ guard is not
re-run by the workers."""

import os
import signal
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from tensorbridge.engine import _workers


@pytest.fixture
def pool():
    p = _workers.WorkerPool(2)
    yield p
    p.close()


def test_results_and_errors_come_back(pool):
    assert pool.call(divmod, 17, 5) == divmod(17, 5)
    x = np.arange(12, dtype=np.uint8).reshape(3, 4)
    np.testing.assert_array_equal(pool.call(np.transpose, x), x.T)
    with pytest.raises(ZeroDivisionError):
        pool.call(divmod, 1, 0)
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        pool.call(os.stat, "/no-such-file")


def test_threads_share_the_workers(pool):
    out = [None] * 8

    def work(i):
        out[i] = pool.call(os.getpid)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(pid is not None and pid != os.getpid() for pid in out)
    assert len(set(out)) <= 2


def test_a_worker_that_dies_is_replaced():
    p = _workers.WorkerPool(1)
    try:
        pid = p.call(os.getpid)
        with pytest.raises(_workers.WorkerError, match=r"ended while it worked \(exit status 3\)"):
            p.call(os._exit, 3)
        with pytest.raises(_workers.WorkerError, match="exit status -9"):
            p.call(os.kill, p.call(os.getpid), signal.SIGKILL)
        new = p.call(os.getpid)
        assert new != pid and p.call(divmod, 7, 2) == (3, 1)
    finally:
        p.close()


def test_a_closed_pool_refuses_work():
    p = _workers.WorkerPool(1)
    procs = list(p._all)
    p.close()
    assert all(proc.poll() is not None for proc in procs)
    with pytest.raises(RuntimeError, match="closed"):
        p.call(os.getpid)


def test_a_script_without_a_main_guard_is_not_rerun(tmp_path):
    marker = tmp_path / "runs.txt"
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(f"""
        import os
        from tensorbridge.engine import _workers
        with open({str(marker)!r}, "a") as f:
            f.write("run\\n")
        pool = _workers.WorkerPool(2)
        print(pool.call(sum, [1, 2, 3]))
        pool.close()
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "6"
    assert marker.read_text() == "run\n"


def test_getenv_sees_what_the_host_process_set_after_start(monkeypatch):
    """R's Sys.setenv() is the C library's setenv(): os.environ (a copy taken at start)
    misses it, engine._env.getenv() does not; worker processes inherit it."""
    import ctypes

    from tensorbridge.engine._env import getenv

    libc = ctypes.CDLL(None)
    name = "TENSORBRIDGE_TEST_HOST_SET"
    monkeypatch.delenv(name, raising=False)
    assert libc.setenv(name.encode(), b"from the host", 1) == 0
    try:
        assert name not in os.environ
        assert getenv(name) == "from the host"
        pool = _workers.WorkerPool(1)
        try:
            assert pool.call(os.getenv, name) == "from the host"
        finally:
            pool.close()
    finally:
        libc.unsetenv(name.encode())
    assert getenv(name) is None and getenv(name, "x") == "x"
