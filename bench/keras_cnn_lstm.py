"""Keras' mnist_cnn and a 1-layer LSTM: tensorbridge keras vs PyTorch CPU eager.

(a) CNN: Conv2D(32, 3x3, relu) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2x2) ->
    Dropout(0.25) -> Flatten -> Dense(128, relu) -> Dropout(0.5) -> Dense(10, softmax),
    RMSprop (lr 1e-3, rho 0.9, eps 1e-7), categorical cross-entropy, batch 128, float32,
    one epoch (shuffle, training steps with dropout, running loss) on ``--cnn-rows``
    random Fashion-MNIST-shaped rows (28x28x1; default 6000, a tenth of the 60 000-row
    epoch: the per-epoch figure is scaled by 60000 / rows and labelled so).
(b) LSTM: LSTM(128) on (batch 64, 100 steps, 32 features), last output summed; one
    forward + backward (all weight gradients) per batch.

Runs alternate (engine, torch, engine, ...) and the best time of each is reported.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/keras_cnn_lstm.py --torch-threads 1
    .venv/bin/python bench/keras_cnn_lstm.py --device cuda   (engine on cupy, torch on CUDA)
"""

import argparse
import os
import time

import numpy as np
from _peer import torch_peer


def cnn_data(rows, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((rows, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    return x, y


def engine_cnn():
    from tensorbridge.engine import keras

    L = keras.layers
    m = keras.Sequential([
        L.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        L.Conv2D(64, (3, 3), activation="relu"),
        L.MaxPooling2D((2, 2)),
        L.Dropout(0.25),
        L.Flatten(),
        L.Dense(128, activation="relu"),
        L.Dropout(0.5),
        L.Dense(10, activation="softmax"),
    ])
    m.compile(optimizer=keras.optimizers.RMSprop(), loss="categorical_crossentropy")
    return m


def engine_cnn_epoch(m, x, y_hot):
    t = time.perf_counter()
    m.fit(x, y_hot, batch_size=128, epochs=1, verbose=0)
    return time.perf_counter() - t


def _sync(device):
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def torch_cnn(device):
    import torch
    from torch import nn

    net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
                        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    net = net.to(device)
    opt = torch.optim.RMSprop(net.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    return net, opt


def torch_cnn_epoch(net, opt, x, y):
    import torch

    device = next(net.parameters()).device
    t = time.perf_counter()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2))).to(device)
    yt = torch.from_numpy(y.astype(np.int64)).to(device)
    loss_fn = torch.nn.CrossEntropyLoss()
    net.train()
    perm = torch.randperm(len(xt), device=device)
    total = 0.0
    for s in range(0, len(xt), 128):
        idx = perm[s:s + 128]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xt[idx]), yt[idx])
        loss.backward()
        opt.step()
        total += float(loss.detach()) * len(idx)  # (a host sync per step, as keras' logs)
    return time.perf_counter() - t


def engine_lstm(batch, steps, features, units):
    import tensorbridge.engine as tf
    from tensorbridge.engine import keras

    layer = keras.layers.LSTM(units)
    x = tf.constant(np.random.default_rng(1).standard_normal((batch, steps, features))
                    .astype(np.float32))
    layer(x)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x, training=True))
        grads = tape.gradient(loss, layer.trainable_weights)
        return [g.numpy() for g in grads]

    return step


def torch_lstm(batch, steps, features, units, device):
    import torch

    net = torch.nn.LSTM(features, units, batch_first=True).to(device)
    x = torch.from_numpy(np.random.default_rng(1).standard_normal((batch, steps, features))
                         .astype(np.float32)).to(device)

    def step():
        net.zero_grad(set_to_none=True)
        out, _ = net(x)
        out[:, -1].sum().backward()
        _sync(device)  # the engine's step ends with its gradients on the host
        return [p.grad for p in net.parameters()]

    return step


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--torch-threads", type=int, default=None)
    ap.add_argument("--cnn-rows", type=int, default=6000)
    ap.add_argument("--lstm-batches", type=int, default=10)
    ap.add_argument("--skip-cnn", action="store_true")
    ap.add_argument("--skip-lstm", action="store_true")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                    help="where both run: the engine on numpy or cupy, torch on CPU or CUDA")
    args = ap.parse_args()
    os.environ["TENSORBRIDGE_DEVICE"] = args.device  # read when the engine picks a device
    import tensorbridge.engine as tf
    from tensorbridge.engine import keras

    tf.random.set_seed(0)
    torch = torch_peer(args.torch_threads)

    if not args.skip_cnn:
        x, y = cnn_data(args.cnn_rows)
        y_hot = keras.utils.to_categorical(y, 10)
        em = engine_cnn()
        tn = torch_cnn(args.device) if torch is not None else None
        e_t, t_t = [], []
        for _ in range(args.repeats):
            e_t.append(engine_cnn_epoch(em, x, y_hot))
            if tn is not None:
                t_t.append(torch_cnn_epoch(*tn, x, y))
        scale = 60000 / args.cnn_rows
        e = min(e_t)
        print(f"(a) mnist_cnn, {args.cnn_rows} rows, batch 128: engine best {e:.2f} s "
              f"(median {np.median(e_t):.2f} s); scaled to a 60000-row epoch: {e * scale:.1f} s")
        if t_t:
            t = min(t_t)
            print(f"    torch  best {t:.2f} s (median {np.median(t_t):.2f} s, threads "
                  f"{torch.get_num_threads()}); scaled: {t * scale:.1f} s")
            print(f"    engine / torch (best): {e / t:.2f}")

    if not args.skip_lstm:
        shape = (64, 100, 32, 128)
        es = engine_lstm(*shape)
        ts = torch_lstm(*shape, args.device) if torch is not None else None
        es()
        if ts is not None:
            ts()
        e_t, t_t = [], []
        for _ in range(args.repeats):
            e_t += best(es, args.lstm_batches)
            if ts is not None:
                t_t += best(ts, args.lstm_batches)
        e = min(e_t)
        print(f"(b) LSTM(128), batch 64 x 100 steps x 32 features, forward+backward: engine "
              f"best {e * 1e3:.1f} ms (median {np.median(e_t) * 1e3:.1f} ms)")
        if t_t:
            t = min(t_t)
            print(f"    torch  best {t * 1e3:.1f} ms (median {np.median(t_t) * 1e3:.1f} ms)")
            print(f"    engine / torch (best): {e / t:.2f}")


if __name__ == "__main__":
    main()
