"""Reading the CIFAR python-format tar archives (their batches are Python pickles, read with
the loader's ``SafeUnpickler``: arrays, lists, numbers and strings only)."""

import io
import pickle
import tarfile

import numpy as np

from . import _loader


def read_batch(f, label_key, what):
    """One CIFAR batch from the pickle stream ``f``: (images n x 3072 uint8, labels)."""
    d = _loader.safe_unpickle(f, encoding="bytes")
    if not isinstance(d, dict) or b"data" not in d or label_key not in d:
        raise ValueError(f"{what} is not a CIFAR batch (a dict with b'data' and {label_key!r})")
    x, y = d[b"data"], d[label_key]
    if not isinstance(x, np.ndarray) or x.dtype != np.uint8 or x.ndim != 2 or x.shape[1] != 3072:
        raise ValueError(f"{what}: b'data' is not an n x 3072 uint8 array")
    y = np.asarray(y)
    if y.shape != (x.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"{what}: {label_key!r} is not one integer label per image")
    return x, y


def read_batches(data, members, label_key, label):
    """Images (n, 32, 32, 3) and labels (n, 1) of ``members`` of the verified archive bytes."""
    xs, ys = [], []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            names = {m.name.split("/")[-1]: m for m in tar.getmembers() if m.isfile()}
            for member in members:
                if member not in names:
                    raise ValueError(f"{label} lacks {member}; it is not the CIFAR python "
                                     "archive")
                x, y = read_batch(tar.extractfile(names[member]), label_key,
                                  f"{label}: {member}")
                xs.append(x.reshape(-1, 3, 32, 32))
                ys.append(y.astype(np.uint8))
    except (tarfile.TarError, EOFError, OSError, pickle.UnpicklingError, TypeError,
            AttributeError, IndexError, KeyError) as exc:
        raise ValueError(f"{label} is not a readable CIFAR archive ({exc})") from None
    x = np.concatenate(xs).transpose(0, 2, 3, 1).copy()  # channels last, like keras
    y = np.concatenate(ys).reshape(-1, 1)
    return x, y
