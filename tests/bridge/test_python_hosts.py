"""Python hosts R: the R package finds this interpreter and uses it."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest


def test_r_package_uses_the_running_interpreter(r):
    exe = r("tb_config()$python")[0]
    assert os.path.realpath(exe) == os.path.realpath(sys.executable)


def test_matrix_round_trip_through_the_r_package(r):
    x = np.asarray(r("x <- matrix(c(1.5, -2, 3.25, 4, 5, 6.5), nrow = 2); x"))
    back = r("as.array(as_tensor(x))")
    expected = np.array([[1.5, 3.25, 5.0], [-2.0, 4.0, 6.5]])
    np.testing.assert_array_equal(x, expected)  # R's column-major fill, seen from numpy
    np.testing.assert_array_equal(np.asarray(back), expected)
    assert tuple(r("dim(as_tensor(x))")) == (2, 3)


def test_element_order_matches_r_indexing(r):
    # x[i, j, k] in R is element [i-1, j-1, k-1] in Python: R computes
    # x[2, 3, 4] itself, the bridge reads [1, 2, 3] from its view.
    in_r = r("a <- array(1:24, c(2, 3, 4)); a[2, 3, 4]")[0]
    in_python = r('tb_call("bridge.api.element", as_tensor(a), 1L, 2L, 3L)')[0]
    assert in_r == in_python == 24


def test_many_calls_leave_python_reference_counts_intact(r):
    """Thousands of conversions must not drain any refcount (rpy2 3.5's own
    memoryview() drops a reference to None per call and crashes the
    interpreter after a few thousand calls)."""
    before = sys.getrefcount(None)
    r("m <- matrix(as.double(1:4), 2)")
    r('for (i in 1:20000) tb_call("bridge.diagnostics.identity", m)')
    assert abs(sys.getrefcount(None) - before) < 100


def test_python_error_becomes_r_condition(r):
    cls = r('class(tryCatch(tb_call("bridge.api.no_such_function"), error = function(e) e))')
    assert "tensorbridge_error" in list(cls)
    assert r("1 + 1")[0] == 2  # R is still usable


def test_process_exits_cleanly_after_embedding_r(tmp_path, r_lib):
    """R embedded by rpy2, the bridge attached, then a normal interpreter exit:
    exit status 0 and no fatal error at shutdown."""
    script = tmp_path / "host.py"
    script.write_text(textwrap.dedent(f"""
        import rpy2.rinterface as ri
        ri.initr()
        ri.evalr('.libPaths(c("{r_lib}", .libPaths()))')
        ri.evalr("library(tensorbridge)")
        print(int(ri.evalr("sum(as.array(as_tensor(1:10)))")[0]))
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "55"
    assert "Fatal" not in done.stderr


def test_python_strings_with_nul_cannot_reach_r(r):
    from tensorbridge.bridge import convert

    r("invisible(tb_config())")  # attach the bridge
    with pytest.raises(convert.ConversionError, match="NUL"):
        convert.py_to_r({"name": "a\0b"})
    assert r("1 + 1")[0] == 2  # and R is fine


def test_nested_python_values_convert_to_r(r):
    from tensorbridge.bridge import convert

    r("invisible(tb_config())")  # attach the bridge
    value = convert.py_to_r({"n": 3, "x": [1.5, "s", None, True], "big": 2**40})
    r_value = r("function(v) list(names(v), v$n, v$x[[1]], v$x[[2]], is.null(v$x[[3]]), "
                "v$x[[4]], v$big)")(value)
    got = [list(item) for item in r_value]
    assert got == [["n", "x", "big"], [3], [1.5], ["s"], [True], [True], [float(2**40)]]
