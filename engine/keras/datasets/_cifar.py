"""Reading the CIFAR python-format tar archives."""

import pickle
import tarfile

import numpy as np


def read_batches(archive, members, label_key):
    xs, ys = [], []
    try:
        with tarfile.open(archive, "r:gz") as tar:
            names = {m.name.split("/")[-1]: m for m in tar.getmembers() if m.isfile()}
            for member in members:
                if member not in names:
                    raise ValueError(f"{archive} lacks {member}; it is not the CIFAR python "
                                     "archive")
                d = pickle.load(tar.extractfile(names[member]), encoding="bytes")
                xs.append(np.asarray(d[b"data"], np.uint8).reshape(-1, 3, 32, 32))
                ys.append(np.asarray(d[label_key], np.uint8))
    except (tarfile.TarError, EOFError, OSError, pickle.UnpicklingError) as exc:
        raise ValueError(f"{archive} is not a readable CIFAR archive ({exc})") from None
    x = np.concatenate(xs).transpose(0, 2, 3, 1).copy()  # channels last, like keras
    y = np.concatenate(ys).reshape(-1, 1)
    return x, y
