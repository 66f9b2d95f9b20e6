"""CIFAR-10: 50 000 + 10 000 colour 32x32 images (uint8, channels last), labels (n, 1)."""

from . import _cifar, _loader

FILE = "cifar-10-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
PIN = _loader.Pin("sha256", "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")
# keras' published SHA-256 (keras/src/datasets/cifar10.py)


def load_data():
    data = _loader.fetch_bytes(FILE, ORIGIN, PIN)
    train = _cifar.read_batches(data, [f"data_batch_{i}" for i in range(1, 6)], b"labels", FILE)
    test = _cifar.read_batches(data, ["test_batch"], b"labels", FILE)
    return train, test
