"""MNIST digits: 60 000 + 10 000 grayscale 28x28 images (uint8), labels 0-9."""

import numpy as np

from . import _loader

FILE = "mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # keras' published


def load_data(path="mnist.npz"):
    """``((x_train, y_train), (x_test, y_test))`` as keras returns them."""
    local = _loader.get_file(FILE, _loader.KERAS_BASE_URL + FILE, SHA256, path=path)
    with np.load(local, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
