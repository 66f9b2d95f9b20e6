"""Fashion-MNIST: 60 000 + 10 000 grayscale 28x28 images (uint8), labels 0-9.

Read offline from Debian's ``dataset-fashion-mnist`` files when present
(``DEBIAN_DIR``), else from the keras cache / download.  keras publishes no
hash for these files, so their IDX format and sizes are checked instead.
"""

import os

from . import _loader

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def _paths():
    if DEBIAN_DIR and all(os.path.exists(os.path.join(DEBIAN_DIR, f)) for f in FILES):
        return [os.path.join(DEBIAN_DIR, f) for f in FILES]
    return [_loader.get_file(f, _loader.KERAS_BASE_URL + f, None,
                             path=os.path.join("fashion-mnist", f)) for f in FILES]


def load_data():
    """``((x_train, y_train), (x_test, y_test))``: uint8 arrays, images (n, 28, 28)."""
    p = _paths()
    y_train = _loader.read_idx(p[0], 2049, "label")
    x_train = _loader.read_idx(p[1], 2051, "image")
    y_test = _loader.read_idx(p[2], 2049, "label")
    x_test = _loader.read_idx(p[3], 2051, "image")
    for x, y, what in ((x_train, y_train, "training"), (x_test, y_test, "test")):
        if len(x) != len(y):
            raise ValueError(f"fashion_mnist: the {what} files disagree: {len(x)} images but "
                             f"{len(y)} labels")
    return (x_train, y_train), (x_test, y_test)
