"""Engine benchmarks: matmul, 3-layer MLP forward+backward, per-op dispatch overhead.

Compares tensorbridge.engine (cpu) with raw numpy and, when installed, PyTorch
CPU eager.  Run from the repository root:

    .venv/bin/python bench/engine_bench.py [--quick]

Prints a Markdown table; figures are medians of several timed repeats.
"""

import argparse
import os
import platform
import sys
import time

import numpy as np
import tensorbridge.engine as tf

try:
    import torch
except ImportError:  # the PyTorch peer is optional
    torch = None


def compare(cands, number, repeat):
    """Best-of-``repeat`` seconds per call for each candidate.

    Candidates are timed interleaved (A, B, C, A, B, C, ...) so that load from
    other processes on this small machine hits all of them alike; the minimum
    is the least-disturbed run.
    """
    for fn in cands.values():
        fn()  # warm up
    times = {k: [] for k in cands}
    for _ in range(repeat):
        for k, fn in cands.items():
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            times[k].append((time.perf_counter() - t0) / number)
    return {k: min(v) for k, v in times.items()}


def fmt(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.3f} ms"


def bench_matmul(number, repeat):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((512, 512)).astype(np.float32)
    b = rng.standard_normal((512, 512)).astype(np.float32)
    ta, tb_ = tf.constant(a), tf.constant(b)
    cands = {"numpy": lambda: a @ b, "engine": lambda: tf.matmul(ta, tb_)}
    if torch is not None:
        xa, xb = torch.from_numpy(a), torch.from_numpy(b)
        cands["torch"] = lambda: xa @ xb
    return compare(cands, number, repeat)


def bench_mlp(number, repeat, batch=256, sizes=(784, 256, 128, 10)):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], size=batch)
    ws = [(rng.standard_normal((i, o)) / np.sqrt(i)).astype(np.float32)
          for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(o, np.float32) for o in sizes[1:]]

    def numpy_step():
        # hand-written forward + backward of the same network (the "raw numpy" floor)
        h1p = x @ ws[0] + bs[0]
        h1 = np.maximum(h1p, 0)
        h2p = h1 @ ws[1] + bs[1]
        h2 = np.maximum(h2p, 0)
        z = h2 @ ws[2] + bs[2]
        m = z.max(axis=1, keepdims=True)
        e = np.exp(z - m)
        s = e.sum(axis=1, keepdims=True)
        lsm = z - m - np.log(s)
        loss = -lsm[np.arange(batch), y].mean()
        dz = e / s
        dz[np.arange(batch), y] -= 1
        dz /= batch
        dw3, db3 = h2.T @ dz, dz.sum(0)
        dh2 = (dz @ ws[2].T) * (h2p > 0)
        dw2, db2 = h1.T @ dh2, dh2.sum(0)
        dh1 = (dh2 @ ws[1].T) * (h1p > 0)
        dw1, db1 = x.T @ dh1, dh1.sum(0)
        return loss, dw1, db1, dw2, db2, dw3, db3

    tx, ty = tf.constant(x), tf.constant(y)
    tws = [tf.Variable(w) for w in ws]
    tbs = [tf.Variable(b) for b in bs]
    params = [p for pair in zip(tws, tbs) for p in pair]

    def engine_step():
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tx @ tws[0] + tbs[0])
            h = tf.nn.relu(h @ tws[1] + tbs[1])
            z = h @ tws[2] + tbs[2]
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(ty, z))
        return tape.gradient(loss, params)

    # the two implementations agree
    ref = numpy_step()
    got = engine_step()
    np.testing.assert_allclose(got[0].numpy(), ref[1], rtol=1e-3, atol=1e-5)

    cands = {"numpy": numpy_step, "engine": engine_step}
    if torch is not None:
        px, py = torch.from_numpy(x), torch.from_numpy(y)
        pws = [torch.tensor(w, requires_grad=True) for w in ws]
        pbs = [torch.tensor(b, requires_grad=True) for b in bs]
        pparams = [p for pair in zip(pws, pbs) for p in pair]

        def torch_step():
            h = torch.relu(px @ pws[0] + pbs[0])
            h = torch.relu(h @ pws[1] + pbs[1])
            z = h @ pws[2] + pbs[2]
            loss = torch.nn.functional.cross_entropy(z, py)
            return torch.autograd.grad(loss, pparams)

        cands["torch"] = torch_step
    return compare(cands, number, repeat)


def bench_dispatch(number, repeat):
    """µs per op on 4-element float32 tensors (add), outside and inside a tape."""
    a = np.ones(4, np.float32)
    ta, tb_ = tf.constant(a), tf.constant(a)
    v = tf.Variable(a)
    tape = tf.GradientTape()
    cands = {"numpy a + b": lambda: a + a, "engine a + b": lambda: ta + tb_,
             "engine tf.exp(a)": lambda: tf.exp(ta)}
    res = compare(cands, number, repeat)
    with tape:  # recording: the op is linked into the graph (variable input)
        res.update(compare({"engine a + b, recording": lambda: v + tb_}, number, repeat))
    if torch is not None:
        xa = torch.from_numpy(a)
        xr = torch.ones(4, requires_grad=True)
        res.update(compare({"torch a + b": lambda: xa + xa, "torch exp(a)": lambda: torch.exp(xa),
                            "torch a + b, requires_grad": lambda: xr + xa}, number, repeat))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (smoke run)")
    ap.add_argument("--torch-threads", type=int, default=None,
                    help="torch.set_num_threads (match OPENBLAS_NUM_THREADS for a fair peer)")
    args = ap.parse_args()
    if torch is not None and args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    r = 3 if args.quick else 15
    print(f"python {platform.python_version()}, numpy {np.__version__}, torch "
          f"{torch.__version__ if torch else 'absent'}, {os.cpu_count()} cpus, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, "
          f"{platform.machine()}", file=sys.stderr)
    if torch is not None:
        print(f"torch threads: {torch.get_num_threads()}", file=sys.stderr)
    rows = []
    mm = bench_matmul(20 if args.quick else 50, r)
    rows.append(("matmul 512x512 float32", mm))
    mlp = bench_mlp(5 if args.quick else 20, r)
    rows.append(("MLP 784-256-128-10, batch 256, fwd+bwd", mlp))
    dp = bench_dispatch(2000 if args.quick else 20000, r)
    print("| benchmark | numpy | engine | engine / numpy | torch | engine / torch |")
    print("|---|---|---|---|---|---|")
    for name, res in rows:
        t = res.get("torch")
        print(f"| {name} | {fmt(res['numpy'])} | {fmt(res['engine'])} | "
              f"{res['engine'] / res['numpy']:.3f} | {fmt(t) if t else 'n/a'} | "
              f"{res['engine'] / t:.3f} |" if t else
              f"| {name} | {fmt(res['numpy'])} | {fmt(res['engine'])} | "
              f"{res['engine'] / res['numpy']:.3f} | n/a | n/a |")
    print()
    print("| tiny-tensor op (4 floats) | time per op |")
    print("|---|---|")
    for k, v in dp.items():
        print(f"| {k} | {fmt(v)} |")


if __name__ == "__main__":
    main()
