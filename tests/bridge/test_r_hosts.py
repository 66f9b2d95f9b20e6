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


def wait_for(marker, proc, what: str, seconds: float = 120) -> None:
    """Waits until the R script has created ``marker`` (it stays alive meanwhile)."""
    deadline = time.monotonic() + seconds
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, f"{what} did not start in time"
        time.sleep(0.1)


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
    wait_for(started, proc, "Python")
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


def test_sigint_during_fit_stops_training_and_keeps_a_usable_model(tmp_path, r_lib):
    started = tmp_path / "started"
    proc = rscript(f"""
        library(tensorbridge)
        x <- matrix(runif(20000 * 20), ncol = 20)
        y <- rowSums(x)
        model <- keras_model_sequential(input_shape = 20) %>%
          layer_dense(units = 64, activation = "relu") %>% layer_dense(units = 1)
        model %>% compile(optimizer = "adam", loss = "mse")
        seen <- 0L
        cb <- callback_lambda(on_epoch_end = function(epoch, logs) {{
          seen <<- epoch + 1L
          if (epoch == 0) file.create("{started}")
        }})
        r <- tryCatch(fit(model, x, y, epochs = 10000, batch_size = 32, verbose = 0,
                          callbacks = list(cb)),
                      interrupt = function(i) "interrupted")
        cat("result:", if (identical(r, "interrupted")) r else "finished", "\\n")
        cat("epochs done:", seen, "\\n")
        p <- predict(model, x[1:3, ])
        cat("finite predictions:", all(is.finite(p)), "\\n")
        w <- get_weights(model)
        cat("finite weights:", all(vapply(w, function(a) all(is.finite(a)), TRUE)), "\\n")
    """, tmp_path, r_lib)
    wait_for(started, proc, "training")
    time.sleep(0.5)  # inside the second epoch
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "the interrupt took too long"
    assert proc.returncode == 0, out
    assert "result: interrupted" in out
    assert "finite predictions: TRUE" in out
    assert "finite weights: TRUE" in out


def test_sigint_during_estimator_training_leaves_a_usable_estimator(tmp_path, r_lib):
    started = tmp_path / "started"
    proc = rscript(f"""
        library(tensorbridge)
        d <- data.frame(a = runif(5000), b = runif(5000))
        d$y <- d$a - d$b
        model <- dnn_regressor(c(32, 32), feature_columns(column_numeric("a", "b")))
        fn <- input_fn(d, c(a, b), "y", batch_size = 64, num_epochs = NULL)
        train(model, fn, steps = 5, verbose = FALSE)
        file.create("{started}")
        r <- tryCatch(train(model, fn, steps = 10000000, verbose = FALSE),
                      interrupt = function(i) "interrupted")
        cat("result:", if (identical(r, "interrupted")) r else "finished", "\\n")
        step <- model$global_step
        cat("stepped on:", step > 5, "\\n")
        train(model, fn, steps = 3, verbose = FALSE)
        cat("trains again:", model$global_step == step + 3, "\\n")
        m <- evaluate(model, input_fn(d, c(a, b), "y"))
        cat("finite loss:", is.finite(m$average_loss), "\\n")
    """, tmp_path, r_lib)
    wait_for(started, proc, "training")
    time.sleep(1.0)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "the interrupt took too long"
    assert proc.returncode == 0, out
    for line in ("result: interrupted", "stepped on: TRUE", "trains again: TRUE",
                 "finite loss: TRUE"):
        assert line in out, out


def test_sigint_while_an_r_callback_runs_is_an_r_interrupt(tmp_path, r_lib):
    # The callback's R work takes most of each batch, so the signal lands in
    # R code called from Python (it used to come back as an R error with an
    # empty message, which tryCatch(interrupt =) did not see).
    started = tmp_path / "started"
    proc = rscript(f"""
        library(tensorbridge)
        x <- matrix(runif(2000 * 4), ncol = 4)
        y <- x %*% c(1, -1, 2, 0.5)
        model <- keras_model_sequential(input_shape = 4) %>% layer_dense(units = 1)
        model %>% compile(optimizer = "sgd", loss = "mse")
        batches <- 0L
        cb <- callback_lambda(on_batch_end = function(batch, logs) {{
          batches <<- batches + 1L
          if (batches == 5L) file.create("{started}")
          s <- 0
          for (k in 1:20000) s <- s + sqrt(k)  # R work inside the callback
          invisible(s)
        }})
        r <- withCallingHandlers(
          tryCatch(fit(model, x, y, epochs = 1000, batch_size = 50, verbose = 0,
                       callbacks = list(cb)),
                   interrupt = function(i) "interrupted"),
          error = function(e) cat("error:", conditionMessage(e), "\\n"))
        cat("result:", if (identical(r, "interrupted")) r else "finished", "\\n")
        w <- get_weights(model)
        cat("finite weights:", all(vapply(w, function(a) all(is.finite(a)), TRUE)), "\\n")
        h <- fit(model, x, y, epochs = 1, batch_size = 500, verbose = 0)
        cat("fits again:", length(h$metrics$loss) == 1 && is.finite(h$metrics$loss), "\\n")
    """, tmp_path, r_lib)
    wait_for(started, proc, "training")
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "the interrupt took too long"
    assert proc.returncode == 0, out
    assert "error:" not in out and "RRuntimeError" not in out, out
    for line in ("result: interrupted", "finite weights: TRUE", "fits again: TRUE"):
        assert line in out, out
