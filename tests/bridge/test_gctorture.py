"""R collects garbage at every allocation (gctorture) while values cross the
bridge both ways, Python calls R back, errors and warnings cross, and an
estimator trains and predicts: no crash, and every value is what it was.

One run in the ordinary test run, collecting at every 10th allocation (a
collection at every one takes minutes); TENSORBRIDGE_TEST_FULL=1 (``make
test-full``) runs the script 20 times with a collection at every
allocation, since an unprotected R object crashes only when a collection
lands at the wrong moment (the Python side's own garbage collection and
hashing differ from run to run).
"""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")

FULL = os.environ.get("TENSORBRIDGE_TEST_FULL") == "1"
RUNS, STEP = (20, 1) if FULL else (1, 10)

SCRIPT = r"""
suppressPackageStartupMessages(library(tensorbridge))
invisible(tb_config())
df <- data.frame(a = c(1.5, NA, 3), f = factor(c("u", NA, "v"), levels = c("v", "u", "w")),
                 s = c("x", NA, "z"), stringsAsFactors = FALSE)
nl <- list(a = 1, b = list(c = "x", d = 2L), e = matrix(c(0.5, 2), 1))
ch <- c("p", NA, "q")
cars <- data.frame(x = c(1, 2, 3, 4, 5, 6), y = c(2.1, 3.9, 6.2, 7.8, 10.1, 12))
model <- linear_regressor(feature_columns(column_numeric("x")))
cb <- function(a, b) list(sum = a * 2, env = new.env(), text = paste0("got ", b))

gctorture2(as.integer(Sys.getenv("TB_GCTORTURE_STEP", "1")))
o1 <- tb_call("bridge.diagnostics.identity", df)
o2 <- tb_call("bridge.diagnostics.identity", nl)
o3 <- tb_call("bridge.diagnostics.identity", ch)
e1 <- tryCatch(tb_call("bridge.diagnostics.fail", "boom"), error = function(e) e)
w1 <- tryCatch(tb_call("bridge.diagnostics.warn", "careful"), warning = function(w) w)
c1 <- tb_call("bridge.diagnostics.call_r", cb, 20, "b")
e2 <- tryCatch(tb_call("bridge.diagnostics.call_r", function(a) stop("r side ", a), "x"),
               error = function(e) e)
train(model, input_fn(cars, c(x), "y", batch_size = 6, num_epochs = 1), steps = 1,
      verbose = FALSE)
p1 <- predict(model, input_fn(cars, c(x)))$predictions
gctorture(FALSE)

p2 <- predict(model, input_fn(cars, c(x)))$predictions
cat("df:", identical(o1, df), "\n")
cat("list:", identical(o2, nl), "\n")
cat("character:", identical(o3, ch), "\n")
cat("python error:", inherits(e1, "tensorbridge_error"), conditionMessage(e1), "\n")
cat("python warning:", conditionMessage(w1), "\n")
cat("callback:", c1$sum, c1$text, is.environment(c1$env), "\n")
cat("r error:", conditionMessage(e2), "\n")
cat("predictions:", length(p1), identical(p1, p2), all(is.finite(p1)), "\n")
"""

EXPECTED = [
    "df: TRUE",
    "list: TRUE",
    "character: TRUE",
    "python error: TRUE ValueError: boom",
    "python warning: UserWarning: careful",
    "callback: 40 got b TRUE",
    "r error: r side x",
    "predictions: 6 TRUE TRUE",
]


@pytest.mark.parametrize("run", range(RUNS))
def test_gctorture_round_trips_callbacks_errors_and_training(run, tmp_path, r_lib):
    script = tmp_path / "gctorture.R"
    script.write_text(SCRIPT)
    env = dict(os.environ, R_LIBS=r_lib, TENSORBRIDGE_PYTHON=sys.executable,
               TB_GCTORTURE_STEP=str(STEP))
    proc = subprocess.run(["Rscript", str(script)], env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:]
    lines = [line.strip() for line in proc.stdout.splitlines()]
    for expected in EXPECTED:
        assert expected in lines, proc.stdout[-3000:]
