"""Argument normalisation and input checks shared by the conv / pooling / sequence layers."""

import numpy as np

from ...tensor import Tensor
from .._validate import _as_int
from .base import KerasTensor


def normalize_tuple(value, n, name, owner):
    """An int or a sequence of ``n`` ints -> a tuple of ``n`` positive ints."""
    if _as_int(value) is not None:
        out = (_as_int(value),) * n
    else:
        try:
            out = tuple(_as_int(v) for v in value)
        except TypeError:
            out = (None,)
        if len(out) == 1:
            out = out * n
    if len(out) != n or any(v is None or v < 1 for v in out):
        raise ValueError(f"{owner}: {name} must be a positive integer or a tuple of {n} positive "
                         f"integers, got {value!r}")
    return out


def normalize_padding(value, owner, allowed=("valid", "same")):
    p = str(value).lower()
    if p not in allowed:
        raise ValueError(f"{owner}: padding must be one of {', '.join(map(repr, allowed))}, "
                         f"got {value!r}")
    return p


def normalize_data_format(value, owner):
    if value is None:
        return "channels_last"
    v = str(value).lower()
    if v not in ("channels_last", "channels_first"):
        raise ValueError(f"{owner}: data_format must be 'channels_last' or 'channels_first', "
                         f"got {value!r}")
    return v


def owner(layer):
    return f"{type(layer).__name__} {layer.name!r}"


def check_rank(layer, input_shape, rank, what):
    """ValueError unless ``input_shape`` has ``rank`` dims (``what`` names them)."""
    if len(input_shape) != rank:
        hint = ""
        if len(input_shape) == 2 and rank > 2:
            hint = (" (a matrix: each sample is a flat vector; reshape it first, e.g. with "
                    "layers.Reshape, or give input_shape of the right rank)")
        raise ValueError(f"{owner(layer)} expects input of rank {rank} {what}, but got input of "
                         f"shape {tuple(input_shape)}, rank {len(input_shape)}{hint}")


def out_length(size, k, s, d, padding):
    """Output length along one spatial dim of a conv / pool window (None if unknown)."""
    if size is None:
        return None
    eff = (k - 1) * d + 1
    if padding == "same" or padding == "causal":
        return -(-size // s)
    return (size - eff) // s + 1


def check_window_fits(layer, spatial, kernel, dilation, padding, what="kernel_size"):
    """ValueError when a 'valid' window is larger than the input's spatial size."""
    if padding != "valid":
        return
    eff = tuple((k - 1) * d + 1 for k, d in zip(kernel, dilation))
    if any(s is not None and e > s for s, e in zip(spatial, eff)):
        dil = f" (dilated to {eff})" if eff != tuple(kernel) else ""
        raise ValueError(
            f"{owner(layer)}: {what} {tuple(kernel)}{dil} is larger than the input's spatial "
            f"size {tuple(spatial)} with padding='valid'; use a smaller {what}, "
            "padding='same', or a larger input")


def dense_input(layer, inputs):
    """Python lists of numbers as one array; ragged input (sequences of different lengths)
    is a ValueError that says to pad.  Tensors and lists of tensors pass unchanged."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        return inputs
    if any(isinstance(t, (Tensor, KerasTensor)) for t in inputs):
        return inputs
    lengths = set()
    for item in inputs:
        try:
            lengths.add(len(item))
        except TypeError:
            lengths.add(None)
    if len(lengths) > 1:
        if None not in lengths:
            raise ValueError(
                f"{owner(layer)} got a ragged input: a list of {len(inputs)} sequences of "
                f"different lengths ({', '.join(map(str, sorted(lengths)[:5]))}"
                f"{', ...' if len(lengths) > 5 else ''}); pad them to one length first, e.g. "
                "keras.preprocessing.pad_sequences(sequences, maxlen=...)")
        raise ValueError(f"{owner(layer)} got a list mixing numbers and sequences; give an "
                         "array with one row per sample")
    try:
        return np.asarray(inputs)
    except ValueError:
        raise ValueError(f"{owner(layer)} got a ragged input (nested lists of different "
                         "lengths); pad the sequences to one length first, e.g. "
                         "keras.preprocessing.pad_sequences(sequences, maxlen=...)") from None


class ArrayInput:
    """Mixin: turn Python lists into an array (or a clear error) before Layer.__call__."""

    def __call__(self, inputs, *args, **kwargs):
        return super().__call__(dense_input(self, inputs), *args, **kwargs)
