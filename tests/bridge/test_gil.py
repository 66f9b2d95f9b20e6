"""R code never runs without Python's GIL during a bridge call (issue 11,
"Intermittent segfault").

reticulate 1.28's finalizer for its Python objects calls ``Py_DecRef``
without taking the GIL. R runs finalizers only where it evaluates R code
(an allocation that collects garbage leaves them pending), so the bridge is
safe as long as every R evaluation it starts holds the GIL (``tb_c_eval``).
rpy2 releases the GIL while R evaluates: a user's reticulate object freed
there crashed R with "PyThreadState_Get: the function must be called with
the GIL held". Both scripts run R hosting Python, with reticulate's Python
objects freed and their finalizers pending while values cross the bridge.
(Attaching, which evaluates a few base R functions through rpy2, first
collects R's garbage with the GIL held: ``runtime._collect_garbage_with_gil``.)

The ordinary run does a few rounds; TENSORBRIDGE_TEST_FULL=1 (``make
test-full``) many more.
"""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")

FULL = os.environ.get("TENSORBRIDGE_TEST_FULL") == "1"
ROUNDS = 200 if FULL else 5


def run_r(script: str, tmp_path, r_lib, **env) -> str:
    path = tmp_path / "script.R"
    path.write_text(script)
    env = dict(os.environ, R_LIBS=r_lib, TENSORBRIDGE_PYTHON=sys.executable, **env)
    # (not the repository root: reticulate would look at its pyproject.toml)
    proc = subprocess.run(["Rscript", str(path)], env=env, text=True, cwd=tmp_path,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


# Each round frees 20 of reticulate's Python objects and lets one collection
# find them (gctorture for one allocation), so that their finalizers are
# pending; R runs pending finalizers at its next "safe point", one in every
# 1000 evaluations. Converting 500 data frames evaluated R's names() 500
# times through rpy2, so that safe point fell inside the conversion, without
# the GIL.
DATA_FRAMES = r"""
suppressPackageStartupMessages(library(tensorbridge))
invisible(tb_config())
df <- data.frame(a = c(1.5, 2), b = c("x", "y"), f = factor(c("u", "v")))
dfs <- rep(list(df), 500)
for (round in seq_len(as.integer(Sys.getenv("TB_ROUNDS")))) {
  junk <- lapply(1:20, function(i) reticulate::r_to_py(list(i, "x")))
  rm(junk)
  gctorture(TRUE); x <- numeric(1); gctorture(FALSE)
  out <- tb_call("bridge.diagnostics.describe", dfs)
  back <- tb_call("bridge.diagnostics.identity", dfs[1:50])
}
cat("described:", out$type, "\n")
cat("round trip:", identical(back, dfs[1:50]), "\n")
cat("reticulate still works:", reticulate::py_to_r(reticulate::r_to_py(list(1, "a")))[[2]], "\n")
"""


def test_freed_reticulate_objects_while_data_frames_cross(tmp_path, r_lib):
    out = run_r(DATA_FRAMES, tmp_path, r_lib, TB_ROUNDS=str(ROUNDS))
    lines = [line.strip() for line in out.splitlines()]
    assert "described: builtins.list" in lines, out[-3000:]
    assert "round trip: TRUE" in lines, out[-3000:]
    assert "reticulate still works: a" in lines, out[-3000:]
