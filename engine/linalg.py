"""``tf.linalg``: norms and products (compositions of the core ops)."""

import numpy as np

from . import ops
from .errors import InvalidArgumentError

matmul = ops.matmul
tensordot = ops.tensordot
eye = ops.eye


def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):  # noqa: A002
    """Vector norm over ``axis`` (all elements when None): 'euclidean'/'fro'/2, 1 or inf."""
    x = ops._t(tensor, "linalg.norm")
    ops._need_float(x, "linalg.norm")
    if isinstance(axis, (list, tuple)) and len(axis) == 2 and ord not in ("euclidean", "fro"):
        raise InvalidArgumentError(
            f"linalg.norm: matrix norm ord={ord!r} over axes {tuple(axis)} is not supported; "
            "expected ord='euclidean' or 'fro' for two axes")
    if ord in ("euclidean", "fro", 2, 2.0):
        return ops.sqrt(ops.reduce_sum(ops.square(x), axis, keepdims))
    if ord in (1, 1.0):
        return ops.reduce_sum(ops.abs(x), axis, keepdims)
    if ord in (np.inf, "inf"):
        return ops.reduce_max(ops.abs(x), axis, keepdims)
    if isinstance(ord, (int, float)) and ord > 0:
        p = float(ord)
        return ops.pow(ops.reduce_sum(ops.pow(ops.abs(x), p), axis, keepdims), 1.0 / p)
    raise InvalidArgumentError(f"linalg.norm: unsupported ord {ord!r}; expected 'euclidean', "
                               "'fro', 1, 2, a positive number or inf")


def l2_normalize(x, axis=None, epsilon=1e-12, name=None):
    x = ops._t(x, "linalg.l2_normalize")
    sq = ops.reduce_sum(ops.square(x), axis, keepdims=True)
    return x * ops.rsqrt(ops.maximum(sq, epsilon))


def matrix_transpose(a, name=None):
    return ops._swap_last(ops._t(a, "linalg.matrix_transpose"), "linalg.matrix_transpose")


def trace(x, name=None):
    x = ops._t(x, "linalg.trace")
    n = min(x.shape[-2:])
    eye_ = ops.eye(x.shape[-2], x.shape[-1], dtype=x.dtype, device=x.device)
    return ops.reduce_sum(x * eye_, axis=[-2, -1]) if n else ops.zeros(x.shape[:-2], x.dtype)
