"""R hosts Python: real Rscript processes, as an R user runs them."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")


def rscript(code: str, tmp_path, r_lib: str):
    script = tmp_path / "script.R"
    script.write_text(textwrap.dedent(code))
    env = dict(os.environ, R_LIBS=r_lib, TENSORBRIDGE_PYTHON=sys.executable)
    return subprocess.Popen(["Rscript", str(script)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_sigint_stops_a_long_python_call_and_r_stays_usable(tmp_path, r_lib):
    started = tmp_path / "started"
    proc = rscript(f"""
        library(tensorbridge)
        invisible(tb_config())
        file.create("{started}")
        r <- withCallingHandlers(
          tryCatch(tb_call("bridge.diagnostics.spin", 60), interrupt = function(i) "interrupted"),
          error = function(e) cat("error:", conditionMessage(e), "\\n"))
        cat("result:", r, "\\n")
        cat("after:", tb_call("bridge.diagnostics.identity", 41) + 1, "\\n")
    """, tmp_path, r_lib)
    deadline = time.monotonic() + 60
    while not started.exists():
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "R did not start Python in time"
        time.sleep(0.1)
    time.sleep(1.0)  # now inside the 60-second Python loop
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10, "the interrupt took too long"
    assert proc.returncode == 0, out
    assert "result: interrupted" in out
    assert "after: 42" in out


def test_r_exits_cleanly_after_using_python(tmp_path, r_lib):
    proc = rscript("""
        library(tensorbridge)
        t <- as_tensor(matrix(1:6, 2))
        cat(sum(as.array(t)), "\\n")
    """, tmp_path, r_lib)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert out.strip().splitlines()[-1] == "21"
    assert "Fatal" not in out and "GIL" not in out
