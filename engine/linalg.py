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
    return ops.reduce_sum(diag_part(ops._t(x, "linalg.trace")), axis=-1)


# -- inverses, determinants, solves and decompositions ------------------------------------
# Each is one op on (batches of) square matrices in the last two axes, its gradient the
# closed form (written with the backend's arrays).
from .autograd import Function  # noqa: E402
from .tensor import Tensor  # noqa: E402


def _mT(a):
    return a.swapaxes(-1, -2)


def _square(x, what):
    x = ops._t(x, what)
    ops._need_float(x, what)
    if x._data.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(
            f"{what}: expected square matrices in the last two axes, got shape "
            f"{tuple(x.shape)}")
    return x


def _lapack(what, fn, *arrays):
    """``fn(*arrays)``; numpy's or cupy's LinAlgError as an error naming ``what``."""
    try:
        return fn(*arrays)
    except Exception as exc:  # noqa: BLE001 - numpy's LinAlgError, cupy's
        raise InvalidArgumentError(f"{what}: {exc} (the matrix is singular or not of the "
                                   "kind this needs)") from None


class _Inv(Function):
    name = "linalg.inv"

    @staticmethod
    def forward(ctx, a):
        y = _lapack("linalg.inv", ctx.xp.linalg.inv, a)
        ctx.y = y
        return y

    @staticmethod
    def backward(ctx, g):
        yt = _mT(ctx.y)
        return (-(yt @ g @ yt),)


class _Det(Function):
    name = "linalg.det"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        d = ctx.xp.linalg.det(a)
        ctx.d = d
        return d

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        inv_t = _mT(xp.linalg.inv(ctx.a))
        return ((g * ctx.d)[..., None, None] * inv_t,)


class _LogAbsDet(Function):
    name = "linalg.slogdet"

    @staticmethod
    def forward(ctx, a, logdet):
        ctx.a = a
        return logdet

    @staticmethod
    def backward(ctx, g):
        return (g[..., None, None] * _mT(ctx.xp.linalg.inv(ctx.a)),)


class _Solve(Function):
    name = "linalg.solve"

    @staticmethod
    def forward(ctx, a, b):
        x = _lapack("linalg.solve", ctx.xp.linalg.solve, a, b)
        ctx.a, ctx.x = a, x
        return x

    @staticmethod
    def backward(ctx, g):
        gb = ctx.xp.linalg.solve(_mT(ctx.a), g)
        return (-(gb @ _mT(ctx.x)), gb)


class _Cholesky(Function):
    name = "linalg.cholesky"

    @staticmethod
    def forward(ctx, a):
        low = _lapack("linalg.cholesky", ctx.xp.linalg.cholesky, a)
        ctx.low = low
        return low

    @staticmethod
    def backward(ctx, g):
        # Murray (2016): Phi(L^T g) with the diagonal halved, taken to A, symmetrized
        xp, low = ctx.xp, ctx.low
        n = low.shape[-1]
        eye_ = xp.eye(n, dtype=low.dtype)
        l_inv = xp.linalg.solve(low, xp.broadcast_to(eye_, low.shape))
        middle = _mT(low) @ g
        middle = xp.tril(middle) - 0.5 * eye_ * middle
        grad = _mT(l_inv) @ middle @ l_inv
        return (0.5 * (grad + _mT(grad)),)


class _Eigh(Function):
    name = "linalg.eigh"

    @staticmethod
    def forward(ctx, a):
        e, v = ctx.xp.linalg.eigh(a)
        ctx.e, ctx.v = e, v
        return ctx.xp.concatenate([e[..., None, :], v], axis=-2)  # split by eigh()

    @staticmethod
    def backward(ctx, g):
        xp, e, v = ctx.xp, ctx.e, ctx.v
        ge, gv = g[..., 0, :], g[..., 1:, :]
        diff = e[..., None, :] - e[..., :, None]
        n = e.shape[-1]
        off = ~xp.eye(n, dtype=bool)
        f = xp.where(off, 1.0 / xp.where(off, diff, 1.0), 0.0).astype(v.dtype)
        inner = (ge[..., :, None] * xp.eye(n, dtype=v.dtype)) + f * (_mT(v) @ gv)
        grad = v @ inner @ _mT(v)
        return (0.5 * (grad + _mT(grad)),)


def inv(input, adjoint=False, name=None):  # noqa: A002 - TF's names
    """``tf.linalg.inv``: the inverse of each square matrix."""
    x = _square(input, "linalg.inv")
    return _Inv.apply(matrix_transpose(x) if adjoint else x)


def det(input, name=None):  # noqa: A002
    """``tf.linalg.det``: the determinant of each square matrix."""
    return _Det.apply(_square(input, "linalg.det"))


def slogdet(input, name=None):  # noqa: A002
    """``tf.linalg.slogdet``: ``(sign, log|det|)`` of each square matrix (the log
    differentiable)."""
    x = _square(input, "linalg.slogdet")
    sign, logdet = x._dev.xp.linalg.slogdet(x._data)  # once: the op records its log
    dtype = x._data.dtype
    return (Tensor._make(sign.astype(dtype), x._dev),
            _LogAbsDet.apply(x, logdet=logdet.astype(dtype)))


def logdet(matrix, name=None):
    """``tf.linalg.logdet``: log det of symmetric positive definite matrices."""
    return slogdet(matrix)[1]


def solve(matrix, rhs, adjoint=False, name=None):
    """``tf.linalg.solve``: ``X`` with ``matrix @ X = rhs``."""
    a = _square(matrix, "linalg.solve")
    b = ops._t(rhs, "linalg.solve")
    if b.dtype != a.dtype or b._data.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise InvalidArgumentError(
            f"linalg.solve: rhs must be matrices of {a.dtype.name} with {a.shape[-1]} rows, "
            f"got {b.dtype.name} of shape {tuple(b.shape)}")
    return _Solve.apply(matrix_transpose(a) if adjoint else a, b)


def cholesky(input, name=None):  # noqa: A002
    """``tf.linalg.cholesky``: the lower-triangular ``L`` with ``L @ t(L) = input``."""
    return _Cholesky.apply(_square(input, "linalg.cholesky"))


def eigh(tensor, name=None):
    """``tf.linalg.eigh``: ``(eigenvalues, eigenvectors)`` of symmetric matrices (values
    ascending, vectors in the columns), both differentiable."""
    x = _square(tensor, "linalg.eigh")
    both = _Eigh.apply(x)
    return both[..., 0, :], both[..., 1:, :]


def eigvalsh(tensor, name=None):
    return eigh(tensor)[0]


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """``tf.linalg.qr``: ``(q, r)`` (values only: no gradient)."""
    x = ops._t(input, "linalg.qr")
    ops._need_float(x, "linalg.qr")
    q, r = x._dev.xp.linalg.qr(x._data, mode="complete" if full_matrices else "reduced")
    return Tensor._make(q, x._dev), Tensor._make(r, x._dev)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """``tf.linalg.svd``: ``(s, u, v)`` in TensorFlow's order, ``tensor = u diag(s) t(v)``
    (values only: no gradient)."""
    x = ops._t(tensor, "linalg.svd")
    ops._need_float(x, "linalg.svd")
    xp = x._dev.xp
    if not compute_uv:
        return Tensor._make(xp.linalg.svd(x._data, compute_uv=False), x._dev)
    u, s, vh = xp.linalg.svd(x._data, full_matrices=full_matrices)
    return (Tensor._make(s, x._dev), Tensor._make(u, x._dev),
            Tensor._make(_mT(vh).copy(), x._dev))


def diag(diagonal, name=None):
    """``tf.linalg.diag``: square matrices with ``diagonal`` (last axis) on the diagonal."""
    d = ops._t(diagonal, "linalg.diag")
    n = d.shape[-1]
    return ops.expand_dims(d, -1) * ops.eye(n, dtype=d.dtype, device=d.device)


def diag_part(input, name=None):  # noqa: A002
    """``tf.linalg.diag_part``: the main diagonals (last axis)."""
    x = ops._t(input, "linalg.diag_part")
    n = min(x.shape[-2:])
    eye_ = ops.eye(x.shape[-2], x.shape[-1], dtype=x.dtype, device=x.device)
    return ops.reduce_sum(x * eye_, axis=-1)[..., :n]
