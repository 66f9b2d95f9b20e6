"""CIFAR-100: 50 000 + 10 000 colour 32x32 images; ``label_mode`` "fine" (100) or "coarse" (20).

The archive's SHA-256 is not pinned here (we could not confirm keras' published
value), so the archive is checked by reading its expected members instead.
"""

from . import _cifar, _loader

FILE = "cifar-100-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"


def load_data(label_mode="fine"):
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f"cifar100.load_data: label_mode must be 'fine' or 'coarse', got "
                         f"{label_mode!r}")
    local = _loader.get_file(FILE, ORIGIN, None)
    key = b"fine_labels" if label_mode == "fine" else b"coarse_labels"
    return _cifar.read_batches(local, ["train"], key), _cifar.read_batches(local, ["test"], key)
