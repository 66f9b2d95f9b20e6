"""Forked children draw different engine random numbers and initial weights (unseeded), through
Python's os.fork and through C fork() as R's parallel::mclapply calls it (no Python fork hooks)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")

SCRIPT = textwrap.dedent("""
    import ctypes, json, os, sys
    import numpy as np
    import tensorbridge.engine as tf
    from tensorbridge.engine import keras

    how, seed = sys.argv[1], sys.argv[2]
    if seed != "none":
        tf.random.set_seed(int(seed))
    tf.random.normal((3,))  # the parent's stream exists before the fork
    libc_fork = ctypes.CDLL(None).fork
    libc_fork.restype = ctypes.c_int

    def draws():
        dense = keras.layers.Dense(3)
        dense.build((None, 2))
        return {"normal": tf.random.normal((3,)).numpy().tolist(),
                "uniform": tf.random.uniform((3,)).numpy().tolist(),
                "kernel": dense.get_weights()[0].ravel().tolist()}

    children = []
    for _ in range(2):
        r, w = os.pipe()
        pid = os.fork() if how == "python" else libc_fork()
        if pid == 0:
            os.close(r)
            os.write(w, json.dumps(draws()).encode())
            os._exit(0)
        os.close(w)
        children.append((pid, r))
    out = []
    for pid, r in children:
        with os.fdopen(r) as f:
            out.append(json.loads(f.read()))
        os.waitpid(pid, 0)
    out.append(draws())  # the parent's own next draws
    print(json.dumps(out))
""")


def _run(how, seed):
    res = subprocess.run([sys.executable, "-c", SCRIPT, how, seed], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("how", ["python", "c"])
def test_unseeded_children_draw_differently(how):
    first, second, parent = _run(how, "none")
    for key in ("normal", "uniform", "kernel"):
        assert len(first[key]) == len(second[key]) > 0
        assert first[key] != second[key], key
        assert first[key] != parent[key] and second[key] != parent[key], key


@pytest.mark.parametrize("how", ["python", "c"])
def test_seeded_children_continue_the_parents_stream(how):
    # documented choice: with a global seed a child draws what the parent would have drawn
    first, second, parent = _run(how, "42")
    assert first == second == parent


def test_streams_of_ones_own_leave_the_global_seed_and_stream_alone():
    import numpy as np
    from tensorbridge.engine import random as rnd

    rnd.set_seed(None)
    try:
        rnd.set_seed(7)
        expected = [rnd.normal((3,)).numpy() for _ in range(2)]
        rnd.set_seed(7)
        first = rnd.normal((3,)).numpy()
        own = rnd.Streams(123)
        with own:
            a = rnd.normal((3,)).numpy()
        assert rnd.get_seed() == 7
        second = rnd.normal((3,)).numpy()
        # the global stream went on as if the block had not drawn
        np.testing.assert_array_equal(first, expected[0])
        np.testing.assert_array_equal(second, expected[1])
        # the block's stream is seed 123's, and it continues across blocks
        rnd.set_seed(123)
        reference = [rnd.normal((3,)).numpy() for _ in range(2)]
        with own:
            b = rnd.normal((3,)).numpy()
        np.testing.assert_array_equal(a, reference[0])
        np.testing.assert_array_equal(b, reference[1])
        # seed None: the block draws from the global stream
        rnd.set_seed(5)
        with rnd.Streams(None):
            c = rnd.normal((3,)).numpy()
        rnd.set_seed(5)
        np.testing.assert_array_equal(c, rnd.normal((3,)).numpy())
    finally:
        rnd.set_seed(None)
