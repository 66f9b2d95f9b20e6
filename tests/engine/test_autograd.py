"""GradientTape semantics, Variables, deep graphs and memory behaviour."""

import gc
import tracemalloc

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import host
from tensorbridge.engine.autograd import Function


def live_nodes():
    gc.collect()
    return sum(1 for o in gc.get_objects() if issubclass(type(o), Function))


def test_variable_watched_automatically(dev):
    v = tf.Variable(np.array([1.0, 2.0, 3.0]))
    assert v.trainable and v.dtype == tf.float64
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v)
    np.testing.assert_allclose(host(tape.gradient(y, v)), [2.0, 4.0, 6.0])
    frozen = tf.Variable([1.0, 2.0], trainable=False)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(frozen * 3.0)
    assert tape.gradient(y, frozen) is None


def test_variable_assign(dev):
    v = tf.Variable(np.zeros((2, 2), np.float32), name="w")
    v.assign([[1.0, 2.0], [3.0, 4.0]])
    v.assign_add(tf.ones((2, 2)))
    v.assign_sub(np.full((2, 2), 0.5))
    np.testing.assert_allclose(host(v), [[1.5, 2.5], [3.5, 4.5]])
    assert v.dtype == tf.float32 and v.name == "w:0"
    snap = v.numpy()
    v.assign_add(1.0)
    assert snap[0, 0] == 1.5  # numpy() of a variable is a snapshot
    with pytest.raises(tf.InvalidArgumentError, match=r"assign: value of shape \(3,\).*\(2, 2\)"):
        v.assign([1.0, 2.0, 3.0])


def test_watch_constant_and_unconnected(dev):
    x = tf.constant([1.0, 2.0])
    z = tf.constant([5.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.exp(x))
    gx, gz = tape.gradient(y, [x, z])
    np.testing.assert_allclose(host(gx), np.exp([1.0, 2.0]), rtol=1e-6)
    assert gz is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
    g = tape.gradient(y, [x, z], unconnected_gradients="zero")
    np.testing.assert_allclose(host(g[1]), [0.0])
    # outside the tape nothing is recorded
    assert (x * 2.0)._node is None


def test_nested_targets_and_sources(dev):
    a = tf.Variable(2.0)
    b = tf.Variable(3.0)
    c = tf.Variable([1.0, -1.0])
    with tf.GradientTape() as tape:
        t1 = a * b
        t2 = [a * a, tf.reduce_sum(c * b)]
    grads = tape.gradient([t1, t2], {"ab": [a, b], "c": (c,)})
    # d/da (ab + a^2 + b*sum(c)) = b + 2a; d/db = a + sum(c); d/dc = b
    np.testing.assert_allclose(host(grads["ab"][0]), 3.0 + 4.0)
    np.testing.assert_allclose(host(grads["ab"][1]), 2.0 + 0.0)
    assert isinstance(grads["c"], tuple)
    np.testing.assert_allclose(host(grads["c"][0]), [3.0, 3.0])


def test_gradient_wrt_intermediate(dev):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        h = x * 3.0
        y = tf.reduce_sum(h * h)
    gh, gx = tape.gradient(y, [h, x])
    np.testing.assert_allclose(host(gh), 2 * np.array([3.0, 6.0]))
    np.testing.assert_allclose(host(gx), 18 * np.array([1.0, 2.0]))


def test_persistent_and_non_persistent(dev):
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == 6.0
    assert float(tape.gradient(z, x)) == 27.0
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, x)


def test_stop_gradient_and_no_grad(dev):
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * tf.stop_gradient(x * x)
        with tf.no_grad():
            w = x * 10.0
        with tape.stop_recording():
            u = x * 5.0
        y = y + w + u
    assert float(tape.gradient(y, x)) == 4.0  # only the first factor's path
    assert w._node is None and u._node is None


def test_output_gradients_and_broadcast_reduction(dev):
    x = tf.Variable(np.ones((3, 1)))
    b = tf.Variable(np.ones((4,)))
    with tf.GradientTape() as tape:
        y = x * b  # (3, 4)
    seed = np.arange(12.0).reshape(3, 4)
    gx, gb = tape.gradient(y, [x, b], output_gradients=tf.constant(seed))
    np.testing.assert_allclose(host(gx), seed.sum(1, keepdims=True))
    np.testing.assert_allclose(host(gb), seed.sum(0))


def test_gradient_accumulates_over_reuse(dev):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = x
        for _ in range(5):
            y = y + x * x
    np.testing.assert_allclose(host(tape.gradient(y, x)), 1 + 5 * 2 * np.array([1.0, 2.0]))


def test_device_transfer_is_differentiable(dev):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x.to("cpu") * 2.0)
    np.testing.assert_allclose(host(tape.gradient(y, x)), [2.0, 2.0])


def test_20000_op_chain_backward(dev):
    x = tf.Variable(np.array([0.5, -0.25]))
    n = 20000
    with tf.GradientTape() as tape:
        y = x
        for _ in range(n):
            y = y * 1.0001 + 0.0
    g = tape.gradient(y, x)  # iterative: no RecursionError
    np.testing.assert_allclose(host(g), [1.0001 ** n] * 2, rtol=1e-10)
    del y, tape
    assert live_nodes() == 0
    # persistent graphs of that depth are also released without recursion errors
    with tf.GradientTape(persistent=True) as tape:
        y = x
        for _ in range(n):
            y = tf.sin(y)
    tape.gradient(y, x)
    del y, tape
    assert live_nodes() == 0


def test_no_memory_growth_over_1000_steps(dev):
    rng = np.random.default_rng(0)
    w1 = tf.Variable(rng.standard_normal((8, 16)).astype(np.float32))
    w2 = tf.Variable(rng.standard_normal((16, 3)).astype(np.float32))
    x = tf.constant(rng.standard_normal((4, 8)).astype(np.float32))
    labels = tf.constant(np.array([0, 1, 2, 1]))

    def step():
        with tf.GradientTape() as tape:
            h = tf.nn.relu(x @ w1)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, h @ w2))
        g1, g2 = tape.gradient(loss, [w1, w2])
        w1.assign_sub(g1 * 1e-3)
        w2.assign_sub(g2 * 1e-3)

    for _ in range(50):  # warm caches
        step()
    base_nodes = live_nodes()
    tracemalloc.start()
    try:
        for _ in range(100):
            step()
        gc.collect()
        mid, _ = tracemalloc.get_traced_memory()
        for _ in range(900):
            step()
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert live_nodes() == base_nodes == 0
    # 900 more steps may not keep anything: allow 64 KiB of allocator noise
    assert end - mid < 64 * 1024, f"memory grew by {end - mid} bytes over 900 steps"


def test_recording_state_is_per_thread(dev):
    """A background thread (a dataset's prefetch) inside ``no_grad`` while the
    main thread records must not pause the main thread's tape, and the main
    thread's tape must not record the other thread's ops."""
    import threading

    from tensorbridge.engine.autograd import is_recording, no_grad

    inside, done = threading.Event(), threading.Event()
    seen = {}

    def background():
        with no_grad():
            inside.set()
            done.wait(10)
        seen["recording"] = is_recording()
        seen["node"] = (v * 2.0)._node  # v is watched by the main thread's tape

    v = tf.Variable(np.array([1.0, -2.0]))
    with tf.GradientTape() as tape:
        worker = threading.Thread(target=background)
        worker.start()
        assert inside.wait(10)
        y = tf.reduce_sum(v * v * v)  # while the other thread is in no_grad
        done.set()
        worker.join(10)
    np.testing.assert_allclose(host(tape.gradient(y, v)), 3.0 * np.array([1.0, 4.0]))
    assert seen == {"recording": False, "node": None}


def test_watched_variables_and_unconnected_gradients():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    frozen = tf.Variable(3.0, trainable=False)
    unused = tf.Variable(5.0)
    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = b * a + frozen * x
    assert [id(v) for v in tape.watched_variables()] == [id(b), id(a)]
    ga, gu = tape.gradient(y, [a, unused], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(ga) == 2.0 and float(gu) == 0.0
    with tf.GradientTape() as tape:
        y = b * a
    assert tape.gradient(y, unused, unconnected_gradients=tf.UnconnectedGradients.NONE) is None
    with tf.GradientTape() as tape:
        tape.watch(unused)
    assert [id(v) for v in tape.watched_variables()] == [id(unused)]
