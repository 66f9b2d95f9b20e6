"""What R's generics on tensors need from the engine (rpkg/R/tensorflow.R):
arithmetic with R values, R-style subsetting, names for completion.

R's conventions are translated here, once: R values meet a tensor in the
tensor's dtype (``x + 1`` keeps a float32 tensor float32), ``x[i, j]``
counts from 1 and drops indexed axes, and R's function names map to the
engine's.
"""

from __future__ import annotations

import numpy as np
from tensorbridge import engine
from tensorbridge.engine.tensor import Tensor

# R's Ops and Math group generics -> the engine's functions
BINARY = {
    "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "^": "pow",
    "%%": "floormod", "%/%": "floordiv", "==": "equal", "!=": "not_equal", "<": "less",
    "<=": "less_equal", ">": "greater", ">=": "greater_equal", "&": "logical_and",
    "|": "logical_or",
}
UNARY = {
    "-": "negative", "!": "logical_not", "abs": "abs", "sign": "sign", "sqrt": "sqrt",
    "floor": "floor", "ceiling": "ceil", "round": "round", "exp": "exp", "log": "log",
    "expm1": "expm1", "log1p": "log1p", "cos": "cos", "sin": "sin", "tan": "tan",
    "tanh": "tanh", "acos": "acos", "asin": "asin", "atan": "atan", "cosh": "cosh",
    "sinh": "sinh", "acosh": "acosh", "asinh": "asinh", "atanh": "atanh",
    "lgamma": "lgamma", "digamma": "digamma", "cumsum": "cumsum", "cumprod": "cumprod",
}
# R functions that are an engine op on a scaled argument or result
_PI_FUNCTIONS = {"sinpi": "sin", "cospi": "cos", "tanpi": "tan"}
_LOG_BASES = {"log2": 2.0, "log10": 10.0}
SUMMARY = {
    "sum": "reduce_sum", "prod": "reduce_prod", "max": "reduce_max", "min": "reduce_min",
    "all": "reduce_all", "any": "reduce_any", "mean": "reduce_mean",
}


def _engine_fn(name):
    fn = getattr(engine, name, None)
    return fn if fn is not None else getattr(engine.math, name)


def _meet(value, like: Tensor):
    """An R value as a tensor of ``like``'s dtype (an error if it does not fit)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        what = {"U": "character", "S": "character", "O": "character or list",
                "c": "complex"}.get(array.dtype.kind, str(array.dtype))
        raise TypeError(f"a tensor cannot be combined with a {what} value; "
                        "give numbers (or logicals)")
    if like.dtype.is_integer and array.dtype.kind == "f" and not np.all(array == np.round(array)):
        shown = ", ".join(f"{v:.15g}" for v in array.ravel()[array.ravel() != np.round(
            array.ravel())][:3])
        article = "an" if like.dtype.name.startswith("i") else "a"
        raise TypeError(f"{article} {like.dtype.name} tensor cannot take the non-integer value(s) "
                        f"{shown}; cast the tensor first, e.g. "
                        "tf$cast(x, \"float32\")")
    return engine.convert_to_tensor(array, dtype=like.dtype)


def binary(generic: str, e1, e2):
    """``e1 <generic> e2`` where at least one side is a tensor."""
    like = e1 if isinstance(e1, Tensor) else e2
    return _engine_fn(BINARY[generic])(_meet(e1, like), _meet(e2, like))


def unary(generic: str, x: Tensor):
    if generic in ("cumsum", "cumprod") and x.ndim != 1:
        raise ValueError(f"{generic}() of a tensor of shape {tuple(x.shape)}: R's {generic}() "
                         f"runs over a vector; use tf$math${generic}(x, axis = ...) for an "
                         "axis")
    if generic in _LOG_BASES:
        return log(x, _LOG_BASES[generic])
    if generic in _PI_FUNCTIONS:
        return _engine_fn(_PI_FUNCTIONS[generic])(x * np.pi)
    return _engine_fn(UNARY[generic])(x)


def summary(generic: str, x: Tensor):
    return _engine_fn(SUMMARY[generic])(x)


def log(x: Tensor, base=None):
    out = engine.log(x)
    return out if base is None else out / float(np.log(base))


def subset(x: Tensor, indices: list, drop: bool = True):
    """``x[i, j, ...]`` with R's rules: one index per axis, each missing
    (``None``: the whole axis), positive 1-based positions, or a logical
    vector as long as the axis. With ``drop``, axes indexed by one position
    go away (R drops every extent-1 axis; keras and tensorflow users expect
    only the indexed ones to)."""
    shape = tuple(x.shape)
    if len(indices) != len(shape):
        raise IndexError(f"a tensor of shape {shape} needs {len(shape)} indices in x[...], "
                         f"got {len(indices)}")
    key, gathers = [], []
    for axis, (index, extent) in enumerate(zip(indices, shape)):
        if index is None:
            key.append(slice(None))
            continue
        positions = np.atleast_1d(np.asarray(index))
        if positions.dtype == bool:
            if positions.size != extent:
                raise IndexError(f"a logical index for axis {axis + 1} must have {extent} "
                                 f"values, got {positions.size}")
            positions = np.flatnonzero(positions) + 1
        if positions.dtype.kind == "f":
            if not np.all(positions == np.round(positions)):
                raise IndexError(f"index for axis {axis + 1} has non-integer values")
            positions = positions.astype(np.int64)
        if positions.size and positions.min() < 1:
            raise IndexError(
                f"index for axis {axis + 1} has {int(positions.min())}: tensor indices count "
                "from 1, and negative (dropping) or zero indices are not supported")
        if positions.size and positions.max() > extent:
            raise IndexError(f"index {int(positions.max())} is out of bounds for axis "
                             f"{axis + 1}, which has {extent} elements")
        starts = positions - 1
        if starts.size == 1 and drop:
            key.append(int(starts[0]))
        elif starts.size and np.all(np.diff(starts) == 1):
            key.append(slice(int(starts[0]), int(starts[-1]) + 1))
        else:  # any other set of positions: gathered after the slicing
            key.append(slice(None))
            gathers.append((axis, starts))
    out = x[tuple(key)]
    for axis, starts in gathers:
        # axes before this one that an integer index dropped shift it left
        dropped = sum(1 for k in key[:axis] if isinstance(k, int))
        out = engine.gather(out, engine.constant(starts.astype(np.int32)), axis=axis - dropped)
    return out


def is_context_manager(obj) -> bool:
    return hasattr(obj, "__enter__") and hasattr(obj, "__exit__")


def public_names(obj) -> list[str]:
    """Attribute names for R's completion after ``$``."""
    return sorted(n for n in dir(obj) if not n.startswith("_"))


def test_values(what: str, x: Tensor):
    """R's is.finite() / is.infinite() / is.nan() of a tensor: whole numbers and logicals
    are always finite, never infinite or NaN."""
    if x.dtype.is_floating:
        fn = {"finite": engine.math.is_finite, "infinite": engine.math.is_inf,
              "nan": engine.math.is_nan}[what]
        return fn(x)
    return engine.fill(tuple(x.shape), what == "finite")
