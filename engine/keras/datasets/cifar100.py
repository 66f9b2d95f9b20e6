"""CIFAR-100: 50 000 + 10 000 colour 32x32 images; ``label_mode`` "fine" (100) or "coarse" (20)."""

from . import _cifar, _loader

FILE = "cifar-100-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
PIN = _loader.Pin("sha256", "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7")
# keras' published SHA-256 (keras/src/datasets/cifar100.py)


def load_data(label_mode="fine"):
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f"cifar100.load_data: label_mode must be 'fine' or 'coarse', got "
                         f"{label_mode!r}")
    data = _loader.fetch_bytes(FILE, ORIGIN, PIN)
    key = b"fine_labels" if label_mode == "fine" else b"coarse_labels"
    return (_cifar.read_batches(data, ["train"], key, FILE),
            _cifar.read_batches(data, ["test"], key, FILE))
