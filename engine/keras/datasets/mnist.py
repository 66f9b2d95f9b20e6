"""MNIST digits: 60 000 + 10 000 grayscale 28x28 images (uint8), labels 0-9."""

from . import _loader

FILE = "mnist.npz"
PIN = _loader.Pin("sha256", "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")
# keras' published SHA-256 (keras/src/datasets/mnist.py)


def load_data(path="mnist.npz"):
    """``((x_train, y_train), (x_test, y_test))`` as keras returns them."""
    data = _loader.fetch_bytes(FILE, _loader.KERAS_BASE_URL + FILE, PIN, path=path)
    f = _loader.load_npz(data, FILE)
    return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
