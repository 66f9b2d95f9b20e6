"""Fashion-MNIST: 60 000 + 10 000 grayscale 28x28 images (uint8), labels 0-9.

Read offline from Debian's ``dataset-fashion-mnist`` files when present
(``DEBIAN_DIR``; system files, owned by root and writable by nobody else, are
trusted as the package manager installed them: Debian recompressed them, so
they do not match the upstream checksums), else from the keras cache /
download, checked against the SHA-256 of Zalando's original files as
TensorFlow Datasets publishes them (keras publishes none; Zalando publishes
MD5s of the same files).  Either way the files are read as IDX bytes, which
runs nothing.
"""

import os
import stat

from . import _loader

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
PINS = {
    "train-labels-idx1-ubyte.gz": _loader.Pin(
        "sha256", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    "train-images-idx3-ubyte.gz": _loader.Pin(
        "sha256", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    "t10k-labels-idx1-ubyte.gz": _loader.Pin(
        "sha256", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    "t10k-images-idx3-ubyte.gz": _loader.Pin(
        "sha256", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
}
FILES = list(PINS)


def _system_file(path):
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (stat.S_ISREG(st.st_mode) and st.st_uid == 0
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read_all():
    """(label, bytes) of the four files, in ``FILES`` order."""
    if DEBIAN_DIR and all(_system_file(os.path.join(DEBIAN_DIR, f)) for f in FILES):
        out = []
        for f in FILES:
            with open(os.path.join(DEBIAN_DIR, f), "rb") as fh:
                out.append((os.path.join(DEBIAN_DIR, f), fh.read()))
        return out
    return [(f, _loader.fetch_bytes(f, _loader.KERAS_BASE_URL + f, PINS[f],
                                    path=os.path.join("fashion-mnist", f))) for f in FILES]


def load_data():
    """``((x_train, y_train), (x_test, y_test))``: uint8 arrays, images (n, 28, 28)."""
    p = _read_all()
    y_train = _loader.read_idx(p[0][1], 2049, "label", p[0][0])
    x_train = _loader.read_idx(p[1][1], 2051, "image", p[1][0])
    y_test = _loader.read_idx(p[2][1], 2049, "label", p[2][0])
    x_test = _loader.read_idx(p[3][1], 2051, "image", p[3][0])
    for x, y, what in ((x_train, y_train, "training"), (x_test, y_test, "test")):
        if len(x) != len(y):
            raise ValueError(f"fashion_mnist: the {what} files disagree: {len(x)} images but "
                             f"{len(y)} labels")
    return (x_train, y_train), (x_test, y_test)
