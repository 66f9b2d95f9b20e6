"""Boston housing prices: 13 features, target in k$ (keras' shuffle and split)."""

import numpy as np

from . import _loader

FILE = "boston_housing.npz"
PIN = _loader.Pin("sha256", "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5")
# keras' published SHA-256 (keras/src/datasets/boston_housing.py)


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    if not 0 <= test_split < 1:
        raise ValueError(f"boston_housing: test_split must be in [0, 1), got {test_split}")
    f = _loader.load_npz(_loader.fetch_bytes(FILE, _loader.KERAS_BASE_URL + FILE, PIN,
                                             path=path), FILE)
    x, y = f["x"], f["y"]
    rng = np.random.RandomState(seed)
    idx = np.arange(len(x))
    rng.shuffle(idx)
    x, y = x[idx], y[idx]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
