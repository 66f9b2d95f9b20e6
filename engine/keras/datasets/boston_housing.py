"""Boston housing prices: 13 features, target in k$ (keras' shuffle and split)."""

import numpy as np

from . import _loader

FILE = "boston_housing.npz"
SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"  # keras' published


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    if not 0 <= test_split < 1:
        raise ValueError(f"boston_housing: test_split must be in [0, 1), got {test_split}")
    local = _loader.get_file(FILE, _loader.KERAS_BASE_URL + FILE, SHA256, path=path)
    with np.load(local, allow_pickle=True) as f:
        x, y = f["x"], f["y"]
    rng = np.random.RandomState(seed)
    idx = np.arange(len(x))
    rng.shuffle(idx)
    x, y = x[idx], y[idx]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
