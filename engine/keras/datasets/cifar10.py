"""CIFAR-10: 50 000 + 10 000 colour 32x32 images (uint8, channels last), labels (n, 1)."""

from . import _cifar, _loader

FILE = "cifar-10-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"  # keras' published


def load_data():
    local = _loader.get_file(FILE, ORIGIN, SHA256)
    train = _cifar.read_batches(local, [f"data_batch_{i}" for i in range(1, 6)], b"labels")
    test = _cifar.read_batches(local, ["test_batch"], b"labels")
    return train, test
