"""One epoch of keras' mnist_mlp on Fashion-MNIST: tensorbridge keras vs PyTorch CPU eager.

Network: 784-256(relu)-dropout 0.4-128(relu)-dropout 0.3-10(softmax), RMSprop (keras
defaults: lr 1e-3, rho 0.9, eps 1e-7), categorical cross-entropy, batch 128,
validation_split 0.2 (48 000 training rows, 12 000 validation rows evaluated at the
end of the epoch).  Both sides do the same work per epoch: shuffle, 375 training steps
with dropout, the validation pass, and the running loss/accuracy.  Runs alternate
(engine, torch, engine, …) and the best epoch time of each is reported.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/keras_mlp.py --torch-threads 1
    .venv/bin/python bench/keras_mlp.py --accuracy-epochs 15   # also train to test accuracy
"""

import argparse
import time

import numpy as np
from _peer import torch_peer


def load():
    from tensorbridge.engine import keras

    (x, y), (xt, yt) = keras.datasets.fashion_mnist.load_data()
    x = x.reshape(-1, 784).astype("float32") / 255
    xt = xt.reshape(-1, 784).astype("float32") / 255
    return x, y, xt, yt


def engine_model():
    from tensorbridge.engine import keras

    m = keras.Sequential([
        keras.layers.Dense(256, activation="relu", input_shape=(784,)),
        keras.layers.Dropout(0.4),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10, activation="softmax"),
    ])
    m.compile(optimizer=keras.optimizers.RMSprop(), loss="categorical_crossentropy",
              metrics=["accuracy"])
    return m


def engine_epoch(m, x, y_hot):
    t = time.perf_counter()
    m.fit(x, y_hot, batch_size=128, epochs=1, validation_split=0.2, verbose=0)
    return time.perf_counter() - t


def torch_setup():
    import torch
    from torch import nn

    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.4), nn.Linear(256, 128),
                        nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    for mod in net:
        if isinstance(mod, nn.Linear):  # glorot_uniform + zero bias, as keras
            nn.init.xavier_uniform_(mod.weight)
            nn.init.zeros_(mod.bias)
    # torch's RMSprop: eps outside the sqrt; alpha is keras' rho
    opt = torch.optim.RMSprop(net.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    return net, opt


def torch_epoch(net, opt, x, y):
    import torch

    t = time.perf_counter()
    n = len(x)
    split = int(n * 0.8)
    xtr, ytr = torch.from_numpy(x[:split]), torch.from_numpy(y[:split].astype(np.int64))
    xva, yva = torch.from_numpy(x[split:]), torch.from_numpy(y[split:].astype(np.int64))
    loss_fn = torch.nn.CrossEntropyLoss()
    net.train()
    perm = torch.randperm(split)
    total = correct = 0.0
    for s in range(0, split, 128):
        idx = perm[s:s + 128]
        xb, yb = xtr[idx], ytr[idx]
        opt.zero_grad(set_to_none=True)
        logits = net(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        opt.step()
        total += float(loss.detach()) * len(idx)
        correct += float((logits.argmax(1) == yb).sum())
    net.eval()
    with torch.no_grad():
        vl = vc = 0.0
        for s in range(0, len(xva), 128):
            lg = net(xva[s:s + 128])
            vl += float(loss_fn(lg, yva[s:s + 128])) * len(lg)
            vc += float((lg.argmax(1) == yva[s:s + 128]).sum())
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--torch-threads", type=int, default=None)
    ap.add_argument("--accuracy-epochs", type=int, default=0)
    args = ap.parse_args()
    import tensorbridge.engine as tf
    from tensorbridge.engine import keras

    tf.random.set_seed(0)
    x, y, xt, yt = load()
    y_hot = keras.utils.to_categorical(y, 10)
    torch = torch_peer(args.torch_threads)
    em = engine_model()
    if torch is not None:
        net, opt = torch_setup()
    e_times, t_times = [], []
    for _ in range(args.repeats):
        e_times.append(engine_epoch(em, x, y_hot))
        if torch is not None:
            t_times.append(torch_epoch(net, opt, x, y))
    e = min(e_times)
    print(f"engine epoch: best {e:.3f} s, median {np.median(e_times):.3f} s")
    if t_times:
        t = min(t_times)
        print(f"torch  epoch: best {t:.3f} s, median {np.median(t_times):.3f} s "
              f"(threads {torch.get_num_threads()})")
        print(f"engine / torch (best): {e / t:.3f}   (median): "
              f"{np.median(e_times) / np.median(t_times):.3f}")
    if args.accuracy_epochs:
        tf.random.set_seed(1)
        m = engine_model()
        t0 = time.perf_counter()
        m.fit(x, y_hot, batch_size=128, epochs=args.accuracy_epochs, validation_split=0.2,
              verbose=2)
        el = time.perf_counter() - t0
        loss, acc = m.evaluate(xt, keras.utils.to_categorical(yt, 10), verbose=0)
        print(f"test accuracy after {args.accuracy_epochs} epochs: {acc:.4f} "
              f"(test loss {loss:.4f}); training took {el:.1f} s")


if __name__ == "__main__":
    main()
