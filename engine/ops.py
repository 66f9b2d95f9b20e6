"""Tensor ops (``tf.*`` / ``tf.math.*``), each a composition or a primitive Function.

Primitive ops are :class:`~.autograd.Function` subclasses computing on backend
arrays; everything else is composed from them, so it is differentiable for
free.  The Python operators of :class:`~.tensor.Tensor` are attached at the end.
"""

import builtins

import numpy as np

from . import dtypes
from .autograd import Function, _state
from .device import CPU, current_device, get_device
from .errors import InvalidArgumentError, InvalidDTypeError, OutOfRangeError, shape_str
from .tensor import Tensor, _check_int_range, convert_to_tensor

_make = Tensor._make
_FROM_NP = dtypes.FROM_NP


def _inverse(perm):
    """The inverse permutation, as a tuple of Python ints (numpy and cupy accept it)."""
    return tuple(int(i) for i in np.argsort(perm))


def _backend_of(xp):
    if xp is np:
        from .backend import cpu

        return cpu
    from .backend import get_cuda

    return get_cuda()


# -- argument helpers --------------------------------------------------------------
def _t(x, op="op"):
    if isinstance(x, Tensor):
        return x
    try:
        return convert_to_tensor(x)
    except InvalidArgumentError:
        raise
    except Exception as exc:
        raise InvalidArgumentError(f"{op}: cannot convert {type(x).__name__} to a tensor "
                                   f"({exc}); expected a tensor, array or number") from None


_CONST = {}
_PY_NUM = (int, float, bool)


def _like(value, t, op):
    """``value`` (scalar / array / list) as a tensor with ``t``'s dtype and device (weak type)."""
    dt = t._data.dtype
    if type(value) in _PY_NUM:
        key = (type(value), value, dt, t._dev)
        c = _CONST.get(key)
        if c is not None:
            return c
        if type(value) is float and dt.kind != "f":
            raise InvalidDTypeError(
                f"{op}: cannot combine a {dt.name} tensor of shape {shape_str(t.shape)} with the "
                f"Python float {value!r}; expected an integer value (or tf.cast the tensor)")
        if len(_CONST) > 4096:
            _CONST.clear()
        c = _CONST[key] = _make(t._dev.backend.asarray(value, dt), t._dev)
        return c
    if isinstance(value, Tensor):
        return value
    a = np.asarray(value) if not hasattr(value, "__cuda_array_interface__") else value
    if a.dtype.kind == "f" and dt.kind != "f":
        raise InvalidDTypeError(
            f"{op}: cannot combine a {dt.name} tensor of shape {shape_str(t.shape)} with float "
            f"values of shape {shape_str(a.shape)}; expected integers (or tf.cast the tensor)")
    return convert_to_tensor(a, dtype=_FROM_NP[dt], device=t._dev)


def _pair(x, y, op):
    """Two operands as tensors of one dtype; Python scalars / arrays adopt the tensor's dtype."""
    xt, yt = isinstance(x, Tensor), isinstance(y, Tensor)
    if xt and yt:
        if x._data.dtype != y._data.dtype:
            raise InvalidDTypeError(
                f"{op}: dtypes differ: x is {x._data.dtype.name} {shape_str(x.shape)}, y is "
                f"{y._data.dtype.name} {shape_str(y.shape)}; expected the same dtype "
                "(use tf.cast)")
        return x, y
    if xt:
        return x, _like(y, x, op)
    if yt:
        return _like(x, y, op), y
    x = _t(x, op)
    return x, _like(y, x, op)


def _binary(cls, x, y, op):
    x, y = _pair(x, y, op)
    try:
        return cls.apply(x, y)
    except InvalidArgumentError:
        raise
    except ValueError as exc:
        raise InvalidArgumentError(
            f"{op}: shapes are not broadcast-compatible: x is {shape_str(x.shape)}, y is "
            f"{shape_str(y.shape)}; expected each trailing dimension pair to be equal or 1"
        ) from exc


def _need_float(x, op):
    if x._data.dtype.kind != "f":
        raise InvalidDTypeError(f"{op}: expected a floating tensor, got {x.dtype.name} of shape "
                                f"{shape_str(x.shape)}")


def _axis(axis, ndim, op, shape, extra=0):
    """One axis normalised to [0, ndim + extra)."""
    if isinstance(axis, Tensor):
        axis = int(axis.numpy())
    try:
        a = int(axis)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{op}: axis {axis!r} is not an int; expected an int") from None
    n = ndim + extra
    if not -n <= a < n:
        raise OutOfRangeError(
            f"{op}: axis {a} is out of range for a tensor of rank {ndim} with shape "
            f"{shape_str(shape)}; expected {-n} <= axis < {n}")
    return a + n if a < 0 else a


def _axes(axis, ndim, op, shape):
    """None (all axes) or a sorted tuple of distinct non-negative axes."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple, np.ndarray)):
        out = tuple(sorted({_axis(a, ndim, op, shape) for a in axis}))
        return out
    return (_axis(axis, ndim, op, shape),)



# -- integer guards: R gives NA (with a warning) where int arithmetic overflows and TF
# raises on integer division by zero; numpy wraps silently / returns 0.  Only integer
# results are checked (one dtype test on the float path).
def _overflow(op, dtype):
    alt = "int64 or a float dtype" if dtype.itemsize < 8 else "a float dtype (float64)"
    info = np.iinfo(dtype)
    return InvalidArgumentError(
        f"{op}: integer overflow: the result does not fit in {dtype.name} "
        f"({info.min} .. {info.max}); expected values that fit, or cast the inputs to {alt} "
        "first (tf.cast)")


def _fits(xp, wide, dtype):
    info = np.iinfo(dtype)
    return not bool(xp.any((wide < info.min) | (wide > info.max)))


def _check_int_binary(op, xp, a, b, r):
    """Raise if the integer result ``r`` of ``a <op> b`` wrapped around."""
    dt = r.dtype
    if dt.kind == "b" or r.size == 0:
        return
    if dt.itemsize < 8:
        wa, wb = a.astype(np.int64), b.astype(np.int64)
        wide = wa + wb if op == "add" else wa - wb if op == "subtract" else wa * wb
        if not _fits(xp, wide, dt):
            raise _overflow(op, dt)
        return
    if dt.kind != "i":
        return
    with np.errstate(all="ignore"):
        if op == "add":
            bad = xp.any(((a ^ r) & (b ^ r)) < 0)
        elif op == "subtract":
            bad = xp.any(((a ^ b) & (a ^ r)) < 0)
        else:  # multiply: r // a == b exactly when no wrap (and MIN * -1 is a wrap)
            low = np.iinfo(dt).min
            nz = a != 0
            q = xp.floor_divide(r, xp.where(nz, a, 1))
            bad = xp.any(nz & (q != b)) or xp.any((a == -1) & (b == low))
    if bool(bad):
        raise _overflow(op, dt)


def _check_int_divisor(op, xp, a, b):
    if b.dtype.kind in "iu" and bool(xp.any(b == 0)):
        raise InvalidArgumentError(
            f"{op}: Integer division by zero: the {b.dtype.name} divisor holds 0; "
            "expected non-zero divisors (or cast to a float dtype, where x / 0 is inf)")
    if b.dtype.kind == "i":
        low = np.iinfo(b.dtype).min
        if op == "floordiv" and bool(xp.any((a == low) & (b == -1))):
            raise _overflow(op, b.dtype)


def _check_int_unary(op, xp, x):
    if x.dtype.kind == "i" and x.size and bool(xp.any(x == np.iinfo(x.dtype).min)):
        raise _overflow(op, x.dtype)


def _check_int_pow(xp, a, b):
    if a.size == 0:
        return
    if b.dtype.kind == "i" and bool(xp.any(b < 0)):
        raise InvalidArgumentError(
            f"pow: integer base to a negative integer power in {a.dtype.name}; expected "
            "non-negative exponents (or cast to a float dtype)")
    with np.errstate(all="ignore"):
        f = xp.power(a.astype(np.float64), b.astype(np.float64))
    info = np.iinfo(a.dtype)
    if bool(xp.any((f < info.min) | (f > info.max))):
        raise _overflow("pow", a.dtype)


def _check_int_sum(op, xp, x, axes, keepdims, r):
    """A wrapped integer sum differs from the float64 sum by a multiple of 2**bits."""
    if r.size == 0 or x.dtype.kind == "b":
        return
    f = xp.sum(x, axis=axes, keepdims=keepdims, dtype=np.float64)
    if r.dtype.itemsize < 8:
        ok = _fits(xp, f, r.dtype)
    else:
        ok = not bool(xp.any(xp.abs(f - r.astype(np.float64)) > 2.0 ** 62))
    if not ok:
        raise _overflow(op, r.dtype)

# ==================================================================================
# elementwise binary
# ==================================================================================
class _Add(Function):
    name = "add"

    @staticmethod
    def forward(ctx, a, b):
        r = a + b
        if r.dtype.kind in "iu":
            _check_int_binary("add", ctx.xp, a, b, r)
        return r

    @staticmethod
    def backward(ctx, g):
        return g, g

    @staticmethod
    def vjp(ctx, g):
        return g, g


class _Sub(Function):
    name = "subtract"

    @staticmethod
    def forward(ctx, a, b):
        r = a - b
        if r.dtype.kind in "iu":
            _check_int_binary("subtract", ctx.xp, a, b, r)
        return r

    @staticmethod
    def backward(ctx, g):
        return g, (-g if ctx.needs[1] else None)

    @staticmethod
    def vjp(ctx, g):
        return g, (negative(g) if ctx.needs[1] else None)


class _Mul(Function):
    name = "multiply"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        r = a * b
        if r.dtype.kind in "iu":
            _check_int_binary("multiply", ctx.xp, a, b, r)
        return r

    @staticmethod
    def backward(ctx, g):
        n = ctx.needs
        return (g * ctx.b if n[0] else None), (g * ctx.a if n[1] else None)

    @staticmethod
    def vjp(ctx, g):
        a, b = ctx.parents
        n = ctx.needs
        return (multiply(g, b) if n[0] else None), (multiply(g, a) if n[1] else None)


class _Div(Function):
    name = "divide"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        return a / b

    @staticmethod
    def backward(ctx, g):
        n = ctx.needs
        gb = g / ctx.b
        return gb, ((-gb) * ctx.a / ctx.b if n[1] else None)

    @staticmethod
    def vjp(ctx, g):
        a, b = ctx.parents
        gb = divide(g, b)
        return gb, (negative(gb) * a / b if ctx.needs[1] else None)


class _Pow(Function):
    name = "pow"

    @staticmethod
    def forward(ctx, a, b):
        if a.dtype.kind in "iu":
            _check_int_pow(ctx.xp, a, b)
        y = ctx.xp.power(a, b)
        ctx.a, ctx.b, ctx.y = a, b, y
        return y

    @staticmethod
    def backward(ctx, g):
        xp, a, b = ctx.xp, ctx.a, ctx.b
        ga = g * b * xp.power(a, b - 1) if ctx.needs[0] else None
        gb = None
        if ctx.needs[1]:
            pos = a > 0
            gb = g * ctx.y * xp.where(pos, xp.log(xp.where(pos, a, 1)), 0)
        return ga, gb

    @staticmethod
    def vjp(ctx, g):
        a, b = ctx.parents
        ga = g * b * pow(a, b - 1) if ctx.needs[0] else None
        gb = None
        if ctx.needs[1]:
            pos = greater(a, 0)
            safe = where(pos, a, ones_like(a))
            gb = g * pow(a, b) * where(pos, log(safe), zeros_like(a))
        return ga, gb


class _Maximum(Function):
    name = "maximum"

    @staticmethod
    def forward(ctx, a, b):
        ctx.mask = a >= b
        return ctx.xp.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        m = ctx.mask
        return g * m, g * ~m

    @staticmethod
    def vjp(ctx, g):
        m = _make(ctx.mask, g._dev)
        z = zeros_like(g)
        return where(m, g, z), where(m, z, g)


class _Minimum(Function):
    name = "minimum"

    @staticmethod
    def forward(ctx, a, b):
        ctx.mask = a <= b
        return ctx.xp.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        m = ctx.mask
        return g * m, g * ~m

    @staticmethod
    def vjp(ctx, g):
        m = _make(ctx.mask, g._dev)
        z = zeros_like(g)
        return where(m, g, z), where(m, z, g)


class _Mod(Function):
    name = "mod"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        if b.dtype.kind in "iu":
            _check_int_divisor("mod", ctx.xp, a, b)
        return ctx.xp.mod(a, b)

    @staticmethod
    def backward(ctx, g):
        return g, (-g * ctx.xp.floor_divide(ctx.a, ctx.b) if ctx.needs[1] else None)

    @staticmethod
    def vjp(ctx, g):
        q = _make(ctx.xp.floor_divide(ctx.a, ctx.b), g._dev)
        return g, (negative(g) * q if ctx.needs[1] else None)


class _FloorDiv(Function):
    name = "floordiv"
    differentiable = False

    @staticmethod
    def forward(ctx, a, b):
        if b.dtype.kind in "iu":
            _check_int_divisor("floordiv", ctx.xp, a, b)
        return ctx.xp.floor_divide(a, b)


def add(x, y, name=None):
    return _binary(_Add, x, y, "add")


def subtract(x, y, name=None):
    return _binary(_Sub, x, y, "subtract")


def multiply(x, y, name=None):
    return _binary(_Mul, x, y, "multiply")


def divide(x, y, name=None):
    return _binary(_Div, x, y, "divide")


truediv = divide


def floordiv(x, y, name=None):
    return _binary(_FloorDiv, x, y, "floordiv")


floor_div = floordiv


def mod(x, y, name=None):
    return _binary(_Mod, x, y, "mod")


floormod = mod


def pow(x, y, name=None):  # noqa: A001 - TF name
    return _binary(_Pow, x, y, "pow")


def maximum(x, y, name=None):
    return _binary(_Maximum, x, y, "maximum")


def minimum(x, y, name=None):
    return _binary(_Minimum, x, y, "minimum")


def add_n(inputs, name=None):
    out = inputs[0]
    for t in inputs[1:]:
        out = add(out, t)
    return out


def squared_difference(x, y, name=None):
    return square(subtract(x, y))


# ==================================================================================
# elementwise unary
# ==================================================================================
def _unary(opname, fwd, bwd, float_only=True, differentiable=True, vjp=None):
    """Define a unary elementwise op from ``fwd(xp, x, **kw)`` and ``bwd(xp, x, y, g, **kw)``;
    ``vjp(x, g, **kw)`` is the same gradient written with tensor ops (for higher orders)."""

    class _Op(Function):
        name = opname

        @staticmethod
        def forward(ctx, x, **kw):
            y = fwd(ctx.xp, x, **kw)
            ctx.x, ctx.y, ctx.kw = x, y, kw
            return y

        @staticmethod
        def backward(ctx, g):
            return (bwd(ctx.xp, ctx.x, ctx.y, g, **ctx.kw),)

    _Op.differentiable = differentiable
    if vjp is not None:
        _set_vjp(_Op, vjp)
    _Op.__name__ = _Op.__qualname__ = "_" + opname.title().replace("_", "")

    def op(x, name=None, **kw):
        x = x if isinstance(x, Tensor) else _t(x, opname)
        if float_only and x._data.dtype.kind != "f":
            _need_float(x, opname)
        return _Op.apply(x, **kw)

    op.__name__ = opname
    op.Function = _Op
    return op


def _set_vjp(cls, fn):
    cls.vjp = staticmethod(lambda ctx, g: (fn(ctx.parents[0], g, **ctx.kw),))


def _erf_fwd(xp, x):
    return _backend_of(xp).erf(x)


_SQRT_2_OVER_PI = 2.0 / np.sqrt(np.pi)

def _neg_fwd(xp, x):
    if x.dtype.kind == "i":
        _check_int_unary("negative", xp, x)
    return -x


def _abs_fwd(xp, x):
    if x.dtype.kind == "i":
        _check_int_unary("abs", xp, x)
    return xp.abs(x)


negative = _unary("negative", _neg_fwd, lambda xp, x, y, g: -g, float_only=False)
abs = _unary("abs", _abs_fwd,  # noqa: A001 - TF name
             lambda xp, x, y, g: g * xp.sign(x), float_only=False)
sign = _unary("sign", lambda xp, x: xp.sign(x), None, float_only=False, differentiable=False)
sqrt = _unary("sqrt", lambda xp, x: xp.sqrt(x), lambda xp, x, y, g: g / (y + y))
rsqrt = _unary("rsqrt", lambda xp, x: 1 / xp.sqrt(x), lambda xp, x, y, g: g * -0.5 * y * y * y)
square = _unary("square", lambda xp, x: x * x, lambda xp, x, y, g: g * (x + x),
                float_only=False)
exp = _unary("exp", lambda xp, x: xp.exp(x), lambda xp, x, y, g: g * y)
log = _unary("log", lambda xp, x: xp.log(x), lambda xp, x, y, g: g / x)
log1p = _unary("log1p", lambda xp, x: xp.log1p(x), lambda xp, x, y, g: g / (1 + x))
expm1 = _unary("expm1", lambda xp, x: xp.expm1(x), lambda xp, x, y, g: g * (y + 1))
sin = _unary("sin", lambda xp, x: xp.sin(x), lambda xp, x, y, g: g * xp.cos(x))
cos = _unary("cos", lambda xp, x: xp.cos(x), lambda xp, x, y, g: -g * xp.sin(x))
tanh = _unary("tanh", lambda xp, x: xp.tanh(x), lambda xp, x, y, g: g * (1 - y * y))
# 0.5 * (1 + tanh(x / 2)) is exact and never overflows, unlike 1 / (1 + exp(-x))
sigmoid = _unary("sigmoid", lambda xp, x: 0.5 + 0.5 * xp.tanh(0.5 * x),
                 lambda xp, x, y, g: g * y * (1 - y))
erf = _unary("erf", _erf_fwd,
             lambda xp, x, y, g: g * (_SQRT_2_OVER_PI * xp.exp(-x * x)).astype(x.dtype))
reciprocal = _unary("reciprocal", lambda xp, x: 1 / x, lambda xp, x, y, g: -g * y * y)
floor = _unary("floor", lambda xp, x: xp.floor(x), None, differentiable=False)
ceil = _unary("ceil", lambda xp, x: xp.ceil(x), None, differentiable=False)
round = _unary("round", lambda xp, x: xp.round(x), None, differentiable=False)  # noqa: A001
is_nan = _unary("is_nan", lambda xp, x: xp.isnan(x), None, differentiable=False)
is_finite = _unary("is_finite", lambda xp, x: xp.isfinite(x), None, differentiable=False)
is_inf = _unary("is_inf", lambda xp, x: xp.isinf(x), None, differentiable=False)
tan = _unary("tan", lambda xp, x: xp.tan(x), lambda xp, x, y, g: g * (1 + y * y))
asin = _unary("asin", lambda xp, x: xp.arcsin(x), lambda xp, x, y, g: g / xp.sqrt(1 - x * x))
acos = _unary("acos", lambda xp, x: xp.arccos(x), lambda xp, x, y, g: -g / xp.sqrt(1 - x * x))
atan = _unary("atan", lambda xp, x: xp.arctan(x), lambda xp, x, y, g: g / (1 + x * x))
sinh = _unary("sinh", lambda xp, x: xp.sinh(x), lambda xp, x, y, g: g * xp.cosh(x))
cosh = _unary("cosh", lambda xp, x: xp.cosh(x), lambda xp, x, y, g: g * xp.sinh(x))
asinh = _unary("asinh", lambda xp, x: xp.arcsinh(x),
               lambda xp, x, y, g: g / xp.sqrt(x * x + 1))
acosh = _unary("acosh", lambda xp, x: xp.arccosh(x),
               lambda xp, x, y, g: g / xp.sqrt(x * x - 1))
atanh = _unary("atanh", lambda xp, x: xp.arctanh(x), lambda xp, x, y, g: g / (1 - x * x))
erfc = _unary("erfc", lambda xp, x: 1 - _erf_fwd(xp, x),
              lambda xp, x, y, g: -g * (_SQRT_2_OVER_PI * xp.exp(-x * x)).astype(x.dtype))
lgamma = _unary("lgamma", lambda xp, x: _backend_of(xp).lgamma(x),
                lambda xp, x, y, g: g * _backend_of(xp).polygamma(0, x))
digamma = _unary("digamma", lambda xp, x: _backend_of(xp).polygamma(0, x),
                 lambda xp, x, y, g: g * _backend_of(xp).polygamma(1, x))


def _sigmoid_vjp(x, g):
    s = sigmoid(x)
    return g * s * (1 - s)


# the same gradients as recorded tensor ops, so that they can be differentiated again
for _op, _fn in (
        (negative, lambda x, g: negative(g)),
        (abs, lambda x, g: g * sign(x)),
        (sqrt, lambda x, g: g / (2 * sqrt(x))),
        (rsqrt, lambda x, g: g * -0.5 * pow(rsqrt(x), 3)),
        (square, lambda x, g: g * (x + x)),
        (exp, lambda x, g: g * exp(x)),
        (log, lambda x, g: g / x),
        (log1p, lambda x, g: g / (1 + x)),
        (expm1, lambda x, g: g * exp(x)),
        (sin, lambda x, g: g * cos(x)),
        (cos, lambda x, g: negative(g) * sin(x)),
        (tanh, lambda x, g: g * (1 - square(tanh(x)))),
        (sigmoid, _sigmoid_vjp),
        (erf, lambda x, g: g * (_SQRT_2_OVER_PI * exp(negative(x * x)))),
        (reciprocal, lambda x, g: negative(g) / square(x)),
        (tan, lambda x, g: g * (1 + square(tan(x)))),
        (asin, lambda x, g: g * rsqrt(1 - square(x))),
        (acos, lambda x, g: negative(g) * rsqrt(1 - square(x))),
        (atan, lambda x, g: g / (1 + square(x))),
        (sinh, lambda x, g: g * cosh(x)),
        (cosh, lambda x, g: g * sinh(x)),
        (asinh, lambda x, g: g * rsqrt(square(x) + 1)),
        (acosh, lambda x, g: g * rsqrt(square(x) - 1)),
        (atanh, lambda x, g: g / (1 - square(x))),
        (erfc, lambda x, g: negative(g) * (_SQRT_2_OVER_PI * exp(negative(x * x)))),
        (lgamma, lambda x, g: g * digamma(x))):
    _set_vjp(_op.Function, _fn)


class _Identity(Function):
    name = "identity"

    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return (g,)

    vjp = backward


def identity(x, name=None):
    return _Identity.apply(_t(x, "identity"))


class _Clip(Function):
    name = "clip_by_value"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.x, ctx.lo, ctx.hi = x, lo, hi
        return ctx.xp.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        x = ctx.x
        return (g * ((x >= ctx.lo) & (x <= ctx.hi)),)

    @staticmethod
    def vjp(ctx, g):
        x = ctx.x
        m = _make((x >= ctx.lo) & (x <= ctx.hi), g._dev)
        return (where(m, g, zeros_like(g)),)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    t = _t(t, "clip_by_value")
    lo = _like(clip_value_min, t, "clip_by_value")._data
    hi = _like(clip_value_max, t, "clip_by_value")._data
    try:
        out = _Clip.apply(t, lo=lo, hi=hi)
    except ValueError as exc:
        raise InvalidArgumentError(
            f"clip_by_value: bounds of shapes {shape_str(lo.shape)} and {shape_str(hi.shape)} do "
            f"not broadcast to t of shape {shape_str(t.shape)}; expected scalars or "
            "broadcastable tensors") from exc
    if out.shape != t.shape:
        raise InvalidArgumentError(
            f"clip_by_value: bounds of shapes {shape_str(lo.shape)} and {shape_str(hi.shape)} "
            f"would enlarge t of shape {shape_str(t.shape)}; expected bounds broadcastable to t")
    return out


class _Where(Function):
    name = "where"

    @staticmethod
    def forward(ctx, x, y, cond):
        ctx.cond = cond
        return ctx.xp.where(cond, x, y)

    @staticmethod
    def backward(ctx, g):
        c, xp = ctx.cond, ctx.xp
        zero = xp.zeros((), dtype=g.dtype)
        return (xp.where(c, g, zero) if ctx.needs[0] else None,
                xp.where(c, zero, g) if ctx.needs[1] else None)

    @staticmethod
    def vjp(ctx, g):
        c = _make(ctx.cond, g._dev)
        z = zeros_like(g)
        return (where(c, g, z) if ctx.needs[0] else None,
                where(c, z, g) if ctx.needs[1] else None)


def where(condition, x=None, y=None, name=None):
    """Elementwise select (``x`` where condition else ``y``); with only a condition,
    the int64 coordinates of its true elements, shape (n, rank)."""
    c = _t(condition, "where")
    if c._data.dtype.kind != "b":
        raise InvalidDTypeError(f"where: condition must be bool, got {c.dtype.name} of shape "
                                f"{shape_str(c.shape)}")
    if x is None and y is None:
        xp = c._dev.xp
        return _make(xp.stack(xp.nonzero(c._data), axis=-1).astype(np.int64), c._dev)
    if x is None or y is None:
        raise InvalidArgumentError("where: x and y must both be given or both be None")
    x, y = _pair(x, y, "where")
    try:
        return _Where.apply(x, y, cond=c._data)
    except ValueError as exc:
        raise InvalidArgumentError(
            f"where: shapes are not broadcast-compatible: condition is {shape_str(c.shape)}, x "
            f"is {shape_str(x.shape)}, y is {shape_str(y.shape)}; expected broadcastable shapes"
        ) from exc


# ==================================================================================
# comparisons and logic (not differentiable)
# ==================================================================================
def _nondiff_binary(opname, fn, bool_only=False):
    class _Op(Function):
        name = opname
        differentiable = False

        @staticmethod
        def forward(ctx, a, b):
            return fn(ctx.xp, a, b)

    def op(x, y, name=None):
        if bool_only:
            x, y = _t(x, opname), _t(y, opname)
            for v in (x, y):
                if v._data.dtype.kind != "b":
                    raise InvalidDTypeError(f"{opname}: expected bool tensors, got "
                                            f"{v.dtype.name} of shape {shape_str(v.shape)}")
        return _binary(_Op, x, y, opname)

    op.__name__ = opname
    return op


equal = _nondiff_binary("equal", lambda xp, a, b: a == b)
not_equal = _nondiff_binary("not_equal", lambda xp, a, b: a != b)
less = _nondiff_binary("less", lambda xp, a, b: a < b)
less_equal = _nondiff_binary("less_equal", lambda xp, a, b: a <= b)
greater = _nondiff_binary("greater", lambda xp, a, b: a > b)
greater_equal = _nondiff_binary("greater_equal", lambda xp, a, b: a >= b)
logical_and = _nondiff_binary("logical_and", lambda xp, a, b: a & b, bool_only=True)
logical_or = _nondiff_binary("logical_or", lambda xp, a, b: a | b, bool_only=True)
logical_xor = _nondiff_binary("logical_xor", lambda xp, a, b: a ^ b, bool_only=True)


def logical_not(x, name=None):
    x = _t(x, "logical_not")
    if x._data.dtype.kind != "b":
        raise InvalidDTypeError(f"logical_not: expected a bool tensor, got {x.dtype.name} of "
                                f"shape {shape_str(x.shape)}")
    return _make(~x._data, x._dev)


# ==================================================================================
# reductions
# ==================================================================================
def _keep_shape(shape, axes):
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


class _Sum(Function):
    name = "reduce_sum"

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        ctx.shape, ctx.axes = x.shape, axes
        dt = x.dtype if x.dtype.kind != "b" else np.int32
        r = ctx.xp.sum(x, axis=axes, keepdims=keepdims, dtype=dt)
        if x.dtype.kind in "iu":
            _check_int_sum("reduce_sum", ctx.xp, x, axes, keepdims, r)
        return r

    @staticmethod
    def backward(ctx, g):
        return (ctx.xp.broadcast_to(g.reshape(_keep_shape(ctx.shape, ctx.axes)), ctx.shape),)

    @staticmethod
    def vjp(ctx, g):
        return (broadcast_to(reshape(g, _keep_shape(ctx.shape, ctx.axes)), ctx.shape),)


class _Mean(Function):
    name = "reduce_mean"

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        ctx.shape, ctx.axes = x.shape, axes
        r = ctx.xp.mean(x, axis=axes, keepdims=keepdims)
        ctx.n = (x.size // r.size) if r.size else 1
        return r if r.dtype == x.dtype else r.astype(x.dtype)

    @staticmethod
    def backward(ctx, g):
        g = g.reshape(_keep_shape(ctx.shape, ctx.axes)) * g.dtype.type(1.0 / ctx.n)
        return (ctx.xp.broadcast_to(g, ctx.shape),)

    @staticmethod
    def vjp(ctx, g):
        g = reshape(g, _keep_shape(ctx.shape, ctx.axes)) * (1.0 / ctx.n)
        return (broadcast_to(g, ctx.shape),)


class _MaxMin(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdims, is_max):
        y = (ctx.xp.max if is_max else ctx.xp.min)(x, axis=axes, keepdims=keepdims)
        ctx.x, ctx.y, ctx.axes = x, y, axes
        return y

    @staticmethod
    def backward(ctx, g):
        x, axes = ctx.x, ctx.axes
        ks = _keep_shape(x.shape, axes)
        mask = x == ctx.y.reshape(ks)
        count = mask.sum(axis=axes, keepdims=True)
        return (mask * (g.reshape(ks) / count).astype(g.dtype),)

    @staticmethod
    def vjp(ctx, g):
        x, axes = ctx.x, ctx.axes
        ks = _keep_shape(x.shape, axes)
        mask = x == ctx.y.reshape(ks)
        w = (mask / mask.sum(axis=axes, keepdims=True)).astype(x.dtype)
        return (reshape(g, ks) * _make(w, g._dev),)


class _Prod(Function):
    name = "reduce_prod"

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        ctx.x, ctx.axes = x, axes
        r = ctx.xp.prod(x, axis=axes, keepdims=keepdims, dtype=x.dtype)
        if x.dtype.kind in "iu" and r.size:
            f = ctx.xp.prod(x, axis=axes, keepdims=keepdims, dtype=np.float64)
            info = np.iinfo(x.dtype)
            if bool(ctx.xp.any((f < info.min) | (f > info.max))):
                raise _overflow("reduce_prod", x.dtype)
        return r

    @staticmethod
    def backward(ctx, g):
        # d prod / d x_i = product of the others: exclusive cumprods from both sides,
        # which stays right when some x_i are zero.
        xp, x = ctx.xp, ctx.x
        axes = tuple(builtins.range(x.ndim)) if ctx.axes is None else ctx.axes
        other = [i for i in builtins.range(x.ndim) if i not in axes]
        perm = other + list(axes)
        xt = x.transpose(perm)
        lead = xt.shape[:len(other)]
        flat = xt.reshape(lead + (-1,))
        ones = xp.ones(lead + (1,), dtype=x.dtype)
        left = xp.cumprod(xp.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
        right = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(flat, -1)[..., :-1]], axis=-1),
                                   axis=-1), -1)
        gk = g.reshape(_keep_shape(x.shape, ctx.axes)).transpose(perm).reshape(lead + (1,))
        gx = (left * right * gk).reshape(xt.shape)
        return (gx.transpose(_inverse(perm)),)


class _LogSumExp(Function):
    name = "reduce_logsumexp"

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        xp = ctx.xp
        m = xp.max(x, axis=axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        yk = xp.log(xp.sum(xp.exp(x - m), axis=axes, keepdims=True)) + m
        ctx.x, ctx.yk, ctx.axes = x, yk, axes
        return yk if keepdims else (yk.reshape(()) if axes is None else xp.squeeze(yk, axes))

    @staticmethod
    def backward(ctx, g):
        ks = ctx.yk.shape
        return (g.reshape(ks) * ctx.xp.exp(ctx.x - ctx.yk),)

    @staticmethod
    def vjp(ctx, g):
        x = ctx.parents[0]
        yk = reduce_logsumexp(x, ctx.axes, keepdims=True)
        return (reshape(g, ctx.yk.shape) * exp(x - yk),)


def _reduce(cls, x, axis, keepdims, op, need_float=False, **kw):
    x = _t(x, op)
    if need_float:
        _need_float(x, op)
    axes = _axes(axis, x._data.ndim, op, x.shape)
    return cls.apply(x, axes=axes, keepdims=bool(keepdims), **kw)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_Sum, input_tensor, axis, keepdims, "reduce_sum")


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_Mean, input_tensor, axis, keepdims, "reduce_mean")


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_MaxMin, input_tensor, axis, keepdims, "reduce_max", is_max=True)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_MaxMin, input_tensor, axis, keepdims, "reduce_min", is_max=False)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_Prod, input_tensor, axis, keepdims, "reduce_prod")


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce(_LogSumExp, input_tensor, axis, keepdims, "reduce_logsumexp",
                   need_float=True)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor, "reduce_variance")
    _need_float(x, "reduce_variance")
    m = reduce_mean(x, axis, keepdims=True)
    return reduce_mean(square(x - m), axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    return sqrt(reduce_variance(input_tensor, axis, keepdims))


def _bool_reduce(x, axis, keepdims, op, fn):
    x = _t(x, op)
    if x._data.dtype.kind != "b":
        raise InvalidDTypeError(f"{op}: expected a bool tensor, got {x.dtype.name} of shape "
                                f"{shape_str(x.shape)}")
    axes = _axes(axis, x._data.ndim, op, x.shape)
    return _make(fn(x._data, axis=axes, keepdims=bool(keepdims)), x._dev)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    return _bool_reduce(input_tensor, axis, keepdims, "reduce_any",
                        _t(input_tensor)._dev.xp.any)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    return _bool_reduce(input_tensor, axis, keepdims, "reduce_all",
                        _t(input_tensor)._dev.xp.all)


def _arg(x, axis, output_type, op, fn):
    x = _t(x, op)
    if x._data.ndim == 0:
        raise InvalidArgumentError(f"{op}: expected a tensor of rank >= 1, got shape ()")
    a = _axis(0 if axis is None else axis, x._data.ndim, op, x.shape)
    return _make(fn(x._data, axis=a).astype(dtypes.as_dtype(output_type).np), x._dev)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    return _arg(input, axis, output_type, "argmax", _t(input)._dev.xp.argmax)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    return _arg(input, axis, output_type, "argmin", _t(input)._dev.xp.argmin)


class _Cumsum(Function):
    name = "cumsum"

    @staticmethod
    def forward(ctx, x, axis, exclusive, reverse):
        ctx.args = (axis, exclusive, reverse)
        return _cumsum(ctx.xp, x, axis, exclusive, reverse)

    @staticmethod
    def backward(ctx, g):
        axis, exclusive, reverse = ctx.args
        return (_cumsum(ctx.xp, g, axis, exclusive, not reverse),)

    @staticmethod
    def vjp(ctx, g):
        axis, exclusive, reverse = ctx.args
        return (cumsum(g, axis, exclusive, not reverse),)


def _cumsum(xp, x, axis, exclusive, reverse):
    if reverse:
        x = xp.flip(x, axis)
    y = xp.cumsum(x, axis=axis, dtype=x.dtype)
    if x.dtype.kind in "iu" and y.size:
        f = xp.cumsum(x, axis=axis, dtype=np.float64)
        if x.dtype.itemsize < 8:
            ok = _fits(xp, f, x.dtype)
        else:
            ok = not bool(xp.any(xp.abs(f - y.astype(np.float64)) > 2.0 ** 62))
        if not ok:
            raise _overflow("cumsum", x.dtype)
    if exclusive:
        y = xp.roll(y, 1, axis=axis)
        idx = [slice(None)] * x.ndim
        idx[axis] = 0
        y[tuple(idx)] = 0
    if reverse:
        y = xp.flip(y, axis)
    return y


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    x = _t(x, "cumsum")
    a = _axis(axis, x._data.ndim, "cumsum", x.shape)
    return _Cumsum.apply(x, axis=a, exclusive=bool(exclusive), reverse=bool(reverse))



def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along ``axis``: a composition of slices and multiplies, so the
    gradient is exact also where ``x`` has zeros."""
    x = _t(x, "cumprod")
    a = _axis(axis, x._data.ndim, "cumprod", x.shape)
    parts = unstack(x, axis=a)
    if not parts:
        return x
    if reverse:
        parts = parts[::-1]
    out, run = [], None
    for p in parts:
        if exclusive:
            out.append(ones_like(p) if run is None else run)
            run = p if run is None else run * p
        else:
            run = p if run is None else run * p
            out.append(run)
    if reverse:
        out = out[::-1]
    return stack(out, axis=a)


def reverse(tensor, axis, name=None):
    """``tensor`` with the order of its elements reversed along each axis in ``axis``."""
    x = _t(tensor, "reverse")
    axes = _axes(axis, x._data.ndim, "reverse", x.shape) or ()
    key = tuple(slice(None, None, -1) if i in axes else slice(None)
                for i in builtins.range(x._data.ndim))
    return getitem(x, key) if axes else x


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each element ``repeats`` times along ``axis`` (flattened first when None), as
    ``np.repeat`` with one count: expand, tile, reshape."""
    x = _t(input, "repeat")
    n = int(repeats)
    if n < 0:
        raise InvalidArgumentError(f"repeat: repeats is {n}; expected a count >= 0")
    if axis is None:
        x, a = reshape(x, (-1,)), 0
    else:
        a = _axis(axis, x._data.ndim, "repeat", x.shape)
    shape = list(x.shape)
    y = expand_dims(x, a + 1)
    mult = [1] * (len(shape) + 1)
    mult[a + 1] = n
    y = tile(y, mult)
    shape[a] = shape[a] * n
    return reshape(y, shape)

# ==================================================================================
# linear algebra
# ==================================================================================
class _MatMul(Function):
    name = "matmul"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        return a @ b

    @staticmethod
    def backward(ctx, g):
        n = ctx.needs
        return ((g @ ctx.b.swapaxes(-1, -2)) if n[0] else None,
                (ctx.a.swapaxes(-1, -2) @ g) if n[1] else None)

    @staticmethod
    def vjp(ctx, g):
        a, b = ctx.parents
        n = ctx.needs
        return (matmul(g, b, transpose_b=True) if n[0] else None,
                matmul(a, g, transpose_a=True) if n[1] else None)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           name=None):
    """Batched matrix product with broadcasting batch dimensions (rank >= 2)."""
    a = a if isinstance(a, Tensor) else _t(a, "matmul")
    b = b if isinstance(b, Tensor) else _t(b, "matmul")
    if transpose_a or adjoint_a:
        a = _swap_last(a, "matmul")
    if transpose_b or adjoint_b:
        b = _swap_last(b, "matmul")
    sa, sb = a._data.shape, b._data.shape
    if len(sa) < 2 or len(sb) < 2:
        raise InvalidArgumentError(
            f"matmul: a is {shape_str(sa)}, b is {shape_str(sb)}; expected tensors of rank >= 2 "
            "(use tensordot or expand_dims for vectors)")
    if sa[-1] != sb[-2]:
        raise InvalidArgumentError(
            f"matmul: inner dimensions differ: a is {shape_str(sa)}, b is {shape_str(sb)}; "
            "expected a.shape[-1] == b.shape[-2]")
    if a._data.dtype != b._data.dtype:
        raise InvalidDTypeError(
            f"matmul: dtypes differ: a is {a.dtype.name} {shape_str(sa)}, b is {b.dtype.name} "
            f"{shape_str(sb)}; expected the same dtype")
    try:
        return _MatMul.apply(a, b)
    except InvalidArgumentError:
        raise
    except ValueError as exc:
        raise InvalidArgumentError(
            f"matmul: batch dimensions do not broadcast: a is {shape_str(sa)}, b is "
            f"{shape_str(sb)}; expected broadcastable a.shape[:-2] and b.shape[:-2]") from exc


def _swap_last(x, op):
    if x._data.ndim < 2:
        raise InvalidArgumentError(f"{op}: cannot transpose a tensor of shape "
                                   f"{shape_str(x.shape)}; expected rank >= 2")
    perm = list(builtins.range(x._data.ndim))
    perm[-1], perm[-2] = perm[-2], perm[-1]
    return transpose(x, perm)


def tensordot(a, b, axes, name=None):
    """Sum over the given axes of ``a`` and ``b`` (composition of transpose/reshape/matmul)."""
    a, b = _pair(a, b, "tensordot")
    na, nb = a._data.ndim, b._data.ndim
    if isinstance(axes, (int, np.integer)):
        k = int(axes)
        if k < 0 or k > na or k > nb:
            raise InvalidArgumentError(
                f"tensordot: axes={k} is out of range for a {shape_str(a.shape)} and b "
                f"{shape_str(b.shape)}; expected 0 <= axes <= min(a.ndim, b.ndim)")
        ax_a, ax_b = list(builtins.range(na - k, na)), list(builtins.range(k))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
        ax_a = [_axis(i, na, "tensordot", a.shape) for i in ax_a]
        ax_b = [_axis(i, nb, "tensordot", b.shape) for i in ax_b]
        if len(ax_a) != len(ax_b):
            raise InvalidArgumentError(
                f"tensordot: {len(ax_a)} axes for a but {len(ax_b)} for b; expected equal counts")
    for i, j in zip(ax_a, ax_b):
        if a.shape[i] != b.shape[j]:
            raise InvalidArgumentError(
                f"tensordot: contracted dimensions differ: a is {shape_str(a.shape)} (axis {i}), "
                f"b is {shape_str(b.shape)} (axis {j}); expected a.shape[{i}] == b.shape[{j}]")
    free_a = [i for i in builtins.range(na) if i not in ax_a]
    free_b = [i for i in builtins.range(nb) if i not in ax_b]
    ka = int(np.prod([a.shape[i] for i in ax_a], dtype=np.int64))
    fa = [a.shape[i] for i in free_a]
    fb = [b.shape[i] for i in free_b]
    am = reshape(transpose(a, free_a + ax_a), (-1, ka))
    bm = reshape(transpose(b, ax_b + free_b), (ka, -1))
    return reshape(matmul(am, bm), fa + fb)


# ==================================================================================
# shape ops
# ==================================================================================
class _Reshape(Function):
    name = "reshape"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return (g.reshape(ctx.shape),)

    @staticmethod
    def vjp(ctx, g):
        return (reshape(g, ctx.shape),)


def _shape_arg(shape, op):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        return tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{op}: shape {shape!r} is not a sequence of ints; "
                                   "expected e.g. (2, 3)") from None


def reshape(tensor, shape, name=None):
    x = tensor if isinstance(tensor, Tensor) else _t(tensor, "reshape")
    shape = _shape_arg(shape, "reshape")
    if shape == x._data.shape:
        return x if not (_state.on and x._rg) else _Reshape.apply(x, shape=shape)
    try:
        return _Reshape.apply(x, shape=shape)
    except ValueError:
        n = x._data.size
        known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
        raise InvalidArgumentError(
            f"reshape: cannot reshape a tensor of shape {shape_str(x.shape)} ({n} elements) into "
            f"shape {tuple(shape)} ({'a multiple of ' if -1 in shape else ''}{known} elements); "
            "expected the same number of elements (at most one -1)") from None


class _Transpose(Function):
    name = "transpose"

    @staticmethod
    def forward(ctx, x, perm):
        ctx.perm = perm
        return x.transpose(perm)

    @staticmethod
    def backward(ctx, g):
        return (g.transpose(_inverse(ctx.perm)),)

    @staticmethod
    def vjp(ctx, g):
        return (transpose(g, _inverse(ctx.perm)),)


def transpose(a, perm=None, conjugate=False, name=None):
    x = _t(a, "transpose")
    n = x._data.ndim
    if perm is None:
        perm = tuple(builtins.range(n - 1, -1, -1))
    else:
        perm = tuple(int(p) for p in (perm.numpy() if isinstance(perm, Tensor) else perm))
        if sorted(perm) != list(builtins.range(n)):
            raise InvalidArgumentError(
                f"transpose: perm {perm} is not a permutation of the axes of a tensor of shape "
                f"{shape_str(x.shape)}; expected a permutation of 0..{n - 1}")
    return _Transpose.apply(x, perm=perm)


def expand_dims(input, axis, name=None):  # noqa: A002
    x = _t(input, "expand_dims")
    a = _axis(axis, x._data.ndim, "expand_dims", x.shape, extra=1)
    s = x.shape
    return reshape(x, s[:a] + (1,) + s[a:])


def squeeze(input, axis=None, name=None):  # noqa: A002
    x = _t(input, "squeeze")
    s = x.shape
    if axis is None:
        return reshape(x, tuple(d for d in s if d != 1))
    axes = _axes(axis, x._data.ndim, "squeeze", s)
    for a in axes:
        if s[a] != 1:
            raise InvalidArgumentError(
                f"squeeze: cannot squeeze axis {a} of shape {shape_str(s)} (size {s[a]}); "
                "expected that dimension to be 1")
    return reshape(x, tuple(d for i, d in enumerate(s) if i not in axes))


class _BroadcastTo(Function):
    name = "broadcast_to"

    @staticmethod
    def forward(ctx, x, shape):
        return ctx.xp.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, g):
        return (g,)  # the engine's unbroadcast sums it back to x's shape

    vjp = backward


def broadcast_to(input, shape, name=None):  # noqa: A002
    x = _t(input, "broadcast_to")
    shape = _shape_arg(shape, "broadcast_to")
    try:
        return _BroadcastTo.apply(x, shape=shape)
    except ValueError:
        raise InvalidArgumentError(
            f"broadcast_to: cannot broadcast shape {shape_str(x.shape)} to {shape}; expected "
            "each trailing dimension equal or 1") from None


class _Concat(Function):
    name = "concat"

    @staticmethod
    def forward(ctx, *arrays, axis):
        ctx.axis = axis
        ctx.sizes = [a.shape[axis] for a in arrays]
        return ctx.xp.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, g):
        out, start, axis = [], 0, ctx.axis
        idx = [slice(None)] * g.ndim
        for n in ctx.sizes:
            idx[axis] = slice(start, start + n)
            out.append(g[tuple(idx)])
            start += n
        return out

    vjp = backward  # slicing a tensor g is recorded like slicing an array


def _check_same(values, op):
    ts = [_t(v, op) for v in values]
    if not ts:
        raise InvalidArgumentError(f"{op}: got an empty list; expected at least one tensor")
    d0 = ts[0]._data.dtype
    for t in ts[1:]:
        if t._data.dtype != d0:
            raise InvalidDTypeError(
                f"{op}: dtypes differ: {', '.join(t.dtype.name for t in ts)}; expected one dtype")
    return ts


def concat(values, axis, name=None):
    ts = _check_same(values, "concat")
    r = ts[0]._data.ndim
    if r == 0:
        raise InvalidArgumentError("concat: cannot concatenate 0-d tensors; expected rank >= 1")
    a = _axis(axis, r, "concat", ts[0].shape)
    for t in ts:
        s0, s = ts[0].shape, t.shape
        if len(s) != r or any(s[i] != s0[i] for i in builtins.range(r) if i != a):
            raise InvalidArgumentError(
                f"concat: shapes {', '.join(shape_str(t.shape) for t in ts)} differ outside axis "
                f"{a}; expected equal ranks and equal sizes except along axis {a}")
    if len(ts) == 1:
        return ts[0]
    return _Concat.apply(*ts, axis=a)


class _Stack(Function):
    name = "stack"

    @staticmethod
    def forward(ctx, *arrays, axis):
        ctx.axis, ctx.n = axis, len(arrays)
        return ctx.xp.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, g):
        pre = (slice(None),) * ctx.axis
        return [g[pre + (i,)] for i in builtins.range(ctx.n)]

    vjp = backward


def stack(values, axis=0, name=None):
    ts = _check_same(values, "stack")
    s0 = ts[0].shape
    for t in ts:
        if t.shape != s0:
            raise InvalidArgumentError(
                f"stack: shapes {', '.join(shape_str(t.shape) for t in ts)} differ; expected all "
                "tensors to have the same shape")
    a = _axis(axis, len(s0), "stack", s0, extra=1)
    return _Stack.apply(*ts, axis=a)


def unstack(value, num=None, axis=0, name=None):
    x = _t(value, "unstack")
    a = _axis(axis, x._data.ndim, "unstack", x.shape)
    pre = (slice(None),) * a
    return [x[pre + (i,)] for i in builtins.range(x.shape[a])]


def split(value, num_or_size_splits, axis=0, num=None, name=None):
    """Split along ``axis`` into equal parts (an int) or parts of the given sizes."""
    x = _t(value, "split")
    a = _axis(axis, x._data.ndim, "split", x.shape)
    n = x.shape[a]
    if isinstance(num_or_size_splits, (int, np.integer)):
        k = int(num_or_size_splits)
        if k <= 0 or n % k:
            raise InvalidArgumentError(
                f"split: dimension {a} of shape {shape_str(x.shape)} (size {n}) cannot be split "
                f"into {k} equal parts; expected a divisor of {n}")
        sizes = [n // k] * k
    else:
        sizes = [int(s) for s in (num_or_size_splits.numpy() if isinstance(
            num_or_size_splits, Tensor) else num_or_size_splits)]
        if sizes.count(-1) == 1:
            sizes[sizes.index(-1)] = n - (builtins.sum(sizes) + 1)
        if builtins.sum(sizes) != n or any(s < 0 for s in sizes):
            raise InvalidArgumentError(
                f"split: sizes {sizes} do not add up to dimension {a} of shape "
                f"{shape_str(x.shape)} (size {n}); expected non-negative sizes summing to {n}")
    out, start = [], 0
    pre = (slice(None),) * a
    for s in sizes:
        out.append(x[pre + (slice(start, start + s),)])
        start += s
    return out


class _Tile(Function):
    name = "tile"

    @staticmethod
    def forward(ctx, x, multiples):
        ctx.shape, ctx.m = x.shape, multiples
        return ctx.xp.tile(x, multiples)

    @staticmethod
    def backward(ctx, g):
        inter = []
        for m, s in zip(ctx.m, ctx.shape):
            inter += [m, s]
        return (g.reshape(inter).sum(axis=tuple(builtins.range(0, 2 * len(ctx.m), 2))),)

    @staticmethod
    def vjp(ctx, g):
        inter = []
        for m, s in zip(ctx.m, ctx.shape):
            inter += [m, s]
        return (reduce_sum(reshape(g, inter), tuple(builtins.range(0, 2 * len(ctx.m), 2))),)


def tile(input, multiples, name=None):  # noqa: A002
    x = _t(input, "tile")
    m = _shape_arg(multiples, "tile")
    if len(m) != x._data.ndim or any(v < 0 for v in m):
        raise InvalidArgumentError(
            f"tile: multiples {m} for a tensor of shape {shape_str(x.shape)}; expected "
            f"{x._data.ndim} non-negative multiples (one per dimension)")
    return _Tile.apply(x, multiples=m)


class _Pad(Function):
    name = "pad"

    @staticmethod
    def forward(ctx, x, pads, value):
        ctx.index = tuple(slice(b, b + d) for (b, _), d in zip(pads, x.shape))
        return ctx.xp.pad(x, pads, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, g):
        return (g[ctx.index],)

    vjp = backward


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    x = _t(tensor, "pad")
    p = paddings.numpy() if isinstance(paddings, Tensor) else paddings
    try:
        pads = tuple((int(b), int(e)) for b, e in p)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"pad: paddings {p!r} is not a list of [before, after] "
                                   "pairs; expected shape (rank, 2)") from None
    if len(pads) != x._data.ndim or any(b < 0 or e < 0 for b, e in pads):
        raise InvalidArgumentError(
            f"pad: paddings {pads} for a tensor of shape {shape_str(x.shape)}; expected "
            f"{x._data.ndim} non-negative [before, after] pairs")
    mode = mode.upper()
    if mode == "CONSTANT":
        v = _like(constant_values, x, "pad")._data
        return _Pad.apply(x, pads=pads, value=v)
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise InvalidArgumentError(f"pad: unknown mode {mode!r}; expected CONSTANT, REFLECT or "
                                   "SYMMETRIC")
    out = x
    for ax, (b, e) in enumerate(pads):
        if b == 0 and e == 0:
            continue
        n = x.shape[ax]
        limit = n - 1 if mode == "REFLECT" else n
        if b > limit or e > limit:
            raise InvalidArgumentError(
                f"pad: {mode} padding {(b, e)} on axis {ax} of shape {shape_str(x.shape)}; "
                f"expected at most {limit} per side")
        idx = np.pad(np.arange(n), (b, e), mode=mode.lower())
        out = gather(out, idx, axis=ax)
    return out


class _GetItem(Function):
    name = "getitem"

    @staticmethod
    def forward(ctx, x, key, advanced):
        ctx.shape, ctx.dtype, ctx.key, ctx.adv = x.shape, x.dtype, key, advanced
        return x[key]

    @staticmethod
    def backward(ctx, g):
        gx = ctx.xp.zeros(ctx.shape, dtype=g.dtype)
        if ctx.adv:
            _backend_of(ctx.xp).scatter_add(gx, ctx.key, g)
        else:
            gx[ctx.key] = g
        return (gx,)

    @staticmethod
    def vjp(ctx, g):
        return (_ScatterInto.apply(g, shape=ctx.shape, key=ctx.key, advanced=ctx.adv),)


class _ScatterInto(Function):
    """Zeros of ``shape`` with ``g`` added at ``key`` (the gradient of getitem)."""

    name = "getitem_grad"

    @staticmethod
    def forward(ctx, g, shape, key, advanced):
        ctx.key = key
        gx = ctx.xp.zeros(shape, dtype=g.dtype)
        if advanced:
            _backend_of(ctx.xp).scatter_add(gx, key, g)
        else:
            gx[key] = g
        return gx

    @staticmethod
    def backward(ctx, g):
        return (g[ctx.key],)

    @staticmethod
    def vjp(ctx, g):
        return (getitem(g, ctx.key),)


def _index_key(key, xp, dev):
    """Convert Tensors inside an index to backend arrays; flag integer-array indexing."""
    items = key if isinstance(key, tuple) else (key,)
    out, adv = [], False
    for k in items:
        if isinstance(k, Tensor):
            if k._dev is not dev:
                k = k.to(dev)
            k = k._data
        elif isinstance(k, (list, np.ndarray)):
            k = np.asarray(k)
            if dev is not CPU:
                k = xp.asarray(k)
        if hasattr(k, "dtype") and getattr(k, "ndim", 0) >= 0 and not isinstance(k, np.generic):
            if k.dtype.kind in "iu":
                adv = True
        out.append(k)
    return tuple(out), adv


def getitem(x, key):
    """numpy-style indexing: ints, slices with steps, None, Ellipsis, int/bool arrays."""
    x = _t(x, "getitem")
    if type(key) is int or type(key) is slice:
        k, adv = (key,), False
    else:
        k, adv = _index_key(key, x._dev.xp, x._dev)
    try:
        return _GetItem.apply(x, key=k, advanced=adv)
    except IndexError as exc:
        raise OutOfRangeError(
            f"getitem: {exc} (tensor shape {shape_str(x.shape)}, key {key!r}); expected indices "
            f"within the shape, i.e. -n <= index < n on each axis") from None


def strided_slice(input_, begin, end, strides=None, name=None):
    """``input_[begin[0]:end[0]:strides[0], ...]`` over the leading axes."""
    strides = strides or [1] * len(begin)
    return getitem(input_, tuple(slice(int(b), int(e), int(s))
                                 for b, e, s in zip(begin, end, strides)))


class _Gather(Function):
    name = "gather"

    @staticmethod
    def forward(ctx, x, idx, axis):
        ctx.shape, ctx.idx, ctx.axis = x.shape, idx, axis
        return ctx.xp.take(x, idx, axis=axis)

    @staticmethod
    def backward(ctx, g):
        xp, axis, shape, idx = ctx.xp, ctx.axis, ctx.shape, ctx.idx
        rest = shape[:axis] + shape[axis + 1:]
        gm = g.reshape(shape[:axis] + (idx.size,) + shape[axis + 1:])
        gm = xp.moveaxis(gm, axis, 0)
        gx = xp.zeros((shape[axis],) + rest, dtype=g.dtype)
        _backend_of(xp).scatter_add(gx, idx.reshape(-1), gm)
        return (xp.moveaxis(gx, 0, axis),)

    @staticmethod
    def vjp(ctx, g):
        shape, axis, idx = ctx.shape, ctx.axis, ctx.idx
        gm = reshape(g, shape[:axis] + (idx.size,) + shape[axis + 1:])
        key = (slice(None),) * axis + (idx.reshape(-1),)
        return (_ScatterInto.apply(gm, shape=shape, key=key, advanced=True),)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of ``params`` along ``axis`` at ``indices`` (any shape of ints)."""
    x = _t(params, "gather")
    if batch_dims:
        from .errors import UnimplementedError

        raise UnimplementedError("gather: batch_dims != 0 is not implemented; expected 0")
    a = _axis(0 if axis is None else axis, x._data.ndim, "gather", x.shape)
    if isinstance(indices, Tensor):
        idx = indices.to(x._dev)._data
    else:
        idx = np.asarray(indices)
        if x._dev is not CPU:
            idx = x._dev.xp.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise InvalidDTypeError(f"gather: indices must be integers, got {idx.dtype.name} of "
                                f"shape {shape_str(idx.shape)}")
    n = x.shape[a]
    if x._dev is CPU and idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)].reshape(-1)[0]
        raise OutOfRangeError(
            f"gather: index {int(bad)} is out of range for params of shape {shape_str(x.shape)} "
            f"along axis {a}; expected 0 <= index < {n}")
    return _Gather.apply(x, idx=idx, axis=a)


class _SortAlong(Function):
    """Values sorted along ``axis``; the gradient goes back to each value's position."""

    name = "sort"

    @staticmethod
    def forward(ctx, x, axis, idx):
        xp = ctx.xp
        ctx.axis = axis
        ctx.inverse = xp.argsort(idx, axis=axis)
        return xp.take_along_axis(x, idx, axis=axis)

    @staticmethod
    def backward(ctx, g):
        return (ctx.xp.take_along_axis(g, ctx.inverse, axis=ctx.axis),)


def _sort_order(x, axis, direction, what):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise InvalidArgumentError(
            f"{what}: direction must be 'ASCENDING' or 'DESCENDING', not {direction!r}")
    xp = x._dev.xp
    a = _axis(axis, x._data.ndim, what, x.shape)
    data = x._data
    if direction == "DESCENDING":
        # stable descending order: ascending order of the reversed axis, mapped back
        n = data.shape[a]
        flipped = xp.flip(data, axis=a)
        idx = n - 1 - xp.flip(xp.argsort(flipped, axis=a, kind="stable"), axis=a)
    else:
        idx = xp.argsort(data, axis=a, kind="stable")
    return a, idx


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort``: the values in order along ``axis`` (differentiable)."""
    x = _t(values, "sort")
    if x._data.ndim == 0:
        raise InvalidArgumentError("sort: values must have at least one dimension, not a "
                                   "scalar")
    a, idx = _sort_order(x, axis, direction, "sort")
    return _SortAlong.apply(x, axis=a, idx=idx)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort``: the int32 positions that sort ``values`` along ``axis`` (ties keep
    their order)."""
    x = _t(values, "argsort")
    if x._data.ndim == 0:
        raise InvalidArgumentError("argsort: values must have at least one dimension, not a "
                                   "scalar")
    _, idx = _sort_order(x, axis, direction, "argsort")
    return _make(idx.astype(np.int32), x._dev)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    idx = _t(indices, "one_hot")
    if idx._data.dtype.kind not in "iu":
        raise InvalidDTypeError(f"one_hot: indices must be integers, got {idx.dtype.name} of "
                                f"shape {shape_str(idx.shape)}")
    xp = idx._dev.xp
    d = dtypes.as_dtype(dtype or dtypes.float32)
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    hot = idx._data[..., None] == xp.arange(int(depth))
    out = xp.where(hot, xp.asarray(on, dtype=d.np), xp.asarray(off, dtype=d.np))
    if axis is not None and axis != -1:
        out = xp.moveaxis(out, -1, _axis(axis, idx._data.ndim, "one_hot", idx.shape, extra=1))
    return _make(out, idx._dev)


class _Cast(Function):
    name = "cast"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.src = x.dtype
        if dtype.kind in "iu" and x.dtype.kind in "fiu" and x.size and ctx.xp is np:
            _check_int_range(x, dtype, "cast")
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        if ctx.src.kind != "f" or g.dtype.kind != "f":
            return (None,)
        return (g.astype(ctx.src),)

    @staticmethod
    def vjp(ctx, g):
        if ctx.src.kind != "f" or g._data.dtype.kind != "f":
            return (None,)
        return (cast(g, ctx.src),)


def cast(x, dtype, name=None):
    x = _t(x, "cast")
    d = dtypes.as_dtype(dtype).np
    if x._data.dtype == d:
        return x
    return _Cast.apply(x, dtype=d)


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    x = _t(input, "shape")
    return _make(np.asarray(x.shape, dtype=dtypes.as_dtype(out_type).np), CPU)


def rank(input, name=None):  # noqa: A002
    return _make(np.asarray(_t(input).ndim, dtype=np.int32), CPU)


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return _make(np.asarray(_t(input)._data.size, dtype=dtypes.as_dtype(out_type).np), CPU)


# ==================================================================================
# creation
# ==================================================================================
def constant(value, dtype=None, shape=None, name=None):
    """A tensor from ``value``; a numpy array of the same dtype is wrapped, not copied."""
    t = convert_to_tensor(value, dtype=dtype)
    if shape is not None:
        shape = _shape_arg(shape, "constant")
        if t.shape != shape:
            if t._data.size == int(np.prod(shape, dtype=np.int64)):
                t = reshape(t, shape)
            elif t._data.size == 1:
                t = _make(t._dev.xp.full(shape, t._data.reshape(()), dtype=t._data.dtype), t._dev)
            else:
                raise InvalidArgumentError(
                    f"constant: value of shape {shape_str(t.shape)} cannot fill shape {shape}; "
                    "expected a scalar or the same number of elements")
    return t


def _dev_dtype(dtype, device):
    return (dtypes.as_dtype(dtype).np,
            current_device() if device is None else get_device(device))


def zeros(shape, dtype=dtypes.float32, name=None, device=None):
    d, dev = _dev_dtype(dtype, device)
    return _make(dev.xp.zeros(_shape_arg(shape, "zeros"), dtype=d), dev)


def ones(shape, dtype=dtypes.float32, name=None, device=None):
    d, dev = _dev_dtype(dtype, device)
    return _make(dev.xp.ones(_shape_arg(shape, "ones"), dtype=d), dev)


def fill(dims, value, name=None, device=None):
    v = convert_to_tensor(value, device=device)
    dev = v._dev
    return _make(dev.xp.full(_shape_arg(dims, "fill"), v._data, dtype=v._data.dtype), dev)


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    x = _t(input, "zeros_like")
    d = x._data.dtype if dtype is None else dtypes.as_dtype(dtype).np
    return _make(x._dev.xp.zeros(x.shape, dtype=d), x._dev)


def ones_like(input, dtype=None, name=None):  # noqa: A002
    x = _t(input, "ones_like")
    d = x._data.dtype if dtype is None else dtypes.as_dtype(dtype).np
    return _make(x._dev.xp.ones(x.shape, dtype=d), x._dev)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None,
        device=None):
    d, dev = _dev_dtype(dtype, device)
    e = dev.xp.eye(int(num_rows), None if num_columns is None else int(num_columns), dtype=d)
    if batch_shape:
        bs = _shape_arg(batch_shape, "eye")
        e = dev.xp.broadcast_to(e, bs + e.shape).copy()
    return _make(e, dev)


def range(start, limit=None, delta=1, dtype=None, name=None, device=None):  # noqa: A001
    """``[start, limit)`` in steps of ``delta``; int32 for ints, float32 for floats."""
    if limit is None:
        start, limit = 0, start
    vals = [start, limit, delta]
    vals = [v.numpy().item() if isinstance(v, Tensor) else v for v in vals]
    if delta == 0:
        raise InvalidArgumentError("range: delta is 0; expected a non-zero step")
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) or (isinstance(v, np.generic) and
                                np.asarray(v).dtype.kind == "f") for v in vals)
        dtype = dtypes.float32 if is_float else dtypes.int32
    d, dev = _dev_dtype(dtype, device)
    return _make(dev.xp.arange(vals[0], vals[1], vals[2], dtype=d), dev)


# ==================================================================================
# Tensor operators and methods
# ==================================================================================
def _rev(fn):
    return lambda self, other: fn(other, self)


def _eq(self, other):
    try:
        return equal(self, other)
    except (InvalidArgumentError, TypeError):
        return NotImplemented


def _ne(self, other):
    try:
        return not_equal(self, other)
    except (InvalidArgumentError, TypeError):
        return NotImplemented


def _invert(self):
    if self._data.dtype.kind == "b":
        return logical_not(self)
    return _make(~self._data, self._dev)


for _name, _fn in {
    "__add__": add, "__radd__": _rev(add), "__sub__": subtract, "__rsub__": _rev(subtract),
    "__mul__": multiply, "__rmul__": _rev(multiply), "__truediv__": divide,
    "__rtruediv__": _rev(divide), "__floordiv__": floordiv, "__rfloordiv__": _rev(floordiv),
    "__mod__": mod, "__rmod__": _rev(mod), "__pow__": pow, "__rpow__": _rev(pow),
    "__matmul__": matmul, "__rmatmul__": _rev(matmul),
    "__neg__": negative, "__abs__": abs, "__pos__": lambda self: self, "__invert__": _invert,
    "__lt__": less, "__le__": less_equal, "__gt__": greater, "__ge__": greater_equal,
    "__eq__": _eq, "__ne__": _ne, "__and__": logical_and, "__or__": logical_or,
    "__xor__": logical_xor, "__rand__": _rev(logical_and), "__ror__": _rev(logical_or),
    "__getitem__": getitem,
    "reshape": reshape, "transpose": transpose,
}.items():
    setattr(Tensor, _name, _fn)
Tensor.T = property(lambda self: transpose(self))
