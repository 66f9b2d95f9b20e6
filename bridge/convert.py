"""Conversions between R objects (rpy2 ``Sexp``) and Python objects.

Conversions are a table of rules, one function per type pair, in the manner of
rpy2's own converters: adding a type is adding a rule.

R -> Python rules are looked up by the R object's type (``typeof``) after the
class-based rules (factor, data.frame, tensorbridge handles) had their say.
Python -> R rules are looked up along the Python object's MRO.

Numeric data crosses R -> Python without a copy whenever the dtype and layout
allow it: an R double array becomes a float64 numpy array that *views* R's
memory (Fortran order, so ``x[i, j, k]`` in R is ``a[i-1, j-1, k-1]``).
Python -> R always copies, because R vectors must live in R's heap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import rpy2.rinterface as ri
from rpy2.rinterface_lib import _rinterface_capi, memorymanagement, openrlib
from rpy2.rinterface_lib.openrlib import ffi

from . import handles

INT_NA = np.iinfo(np.int32).min


class ConversionError(TypeError):
    """An R value that has no faithful Python counterpart, or the reverse."""


# ---------------------------------------------------------------------------
# R -> Python
# ---------------------------------------------------------------------------

_R_TO_PY_BY_TYPE: dict[int, Callable] = {}
_R_TO_PY_BY_CLASS: list[tuple[str, Callable]] = []


def r_type_rule(*typeofs: int):
    def register(fn):
        for t in typeofs:
            _R_TO_PY_BY_TYPE[t] = fn
        return fn

    return register


def r_class_rule(rclass: str):
    def register(fn):
        _R_TO_PY_BY_CLASS.append((rclass, fn))
        return fn

    return register


def _rclasses(x) -> tuple[str, ...]:
    attr = x.do_slot("class") if "class" in x.list_attrs() else None
    return tuple(attr) if attr is not None else ()


def _dim(x):
    if "dim" in x.list_attrs():
        return tuple(int(d) for d in x.do_slot("dim"))
    return None


def r_to_py(x):
    """Convert an rpy2 ``Sexp`` to the Python object the contract names."""
    if x is ri.NULL or x.typeof == ri.RTYPES.NILSXP:
        return None
    classes = _rclasses(x) if x.typeof != ri.RTYPES.CLOSXP else ()
    for rclass, rule in _R_TO_PY_BY_CLASS:
        if rclass in classes:
            return rule(x)
    rule = _R_TO_PY_BY_TYPE.get(x.typeof)
    if rule is None:
        raise ConversionError(
            f"cannot convert an R object of type '{ri.RTYPES(x.typeof).name}' to Python"
        )
    return rule(x)


def _shape_or_scalar(x, array: np.ndarray):
    """A vector without ``dim`` of length one is a scalar (as in reticulate);
    otherwise the array keeps R's ``dim`` (1-d when there is none)."""
    dim = _dim(x)
    if dim is None:
        if array.shape[0] == 1:
            return array[0].item()
        return array
    return array.reshape(dim, order="F")


class _RMemory:
    """Exposes an R vector's data to numpy (``__array_interface__``) and keeps
    the R vector alive for as long as any numpy view of it lives: numpy makes
    this object the views' ``base``, and its rpy2 ``Sexp`` protects the R
    object from R's garbage collector.

    The view is read-only, so nothing on the Python side can change an R
    value behind R's back (R values are immutable to their users).
    (rpy2's own ``memoryview()`` is not used: in rpy2 3.5 each call drops a
    reference to ``None``, which eventually crashes the interpreter.)
    """

    __slots__ = ("sexp", "__array_interface__")

    def __init__(self, sexp, dtype):
        self.sexp = sexp
        address = int(ffi.cast("uintptr_t", sexp._R_GET_PTR(sexp.__sexp__._cdata)))
        self.__array_interface__ = {
            "shape": (len(sexp),),
            "typestr": np.dtype(dtype).str,
            "data": (address, True),
            "version": 3,
        }


def _view(x, dtype) -> np.ndarray:
    """A flat, read-only numpy view of an R vector's memory (no copy)."""
    if len(x) == 0:
        return np.empty(0, dtype=dtype)
    return np.asarray(_RMemory(x, dtype))


@r_type_rule(ri.RTYPES.REALSXP)
def _double_to_py(x):
    # NA_real_ is a NaN payload, so it arrives as NaN (and goes back as NA).
    return _shape_or_scalar(x, _view(x, np.float64))


@r_type_rule(ri.RTYPES.INTSXP)
def _integer_to_py(x):
    array = _view(x, np.int32)
    if array.size and (array == INT_NA).any():
        where = int(np.flatnonzero(array == INT_NA)[0]) + 1
        raise ConversionError(
            f"integer NA at position {where}: Python integers have no NA; "
            "use a double vector (NA becomes NaN) or remove the NA"
        )
    return _shape_or_scalar(x, array)


@r_type_rule(ri.RTYPES.LGLSXP)
def _logical_to_py(x):
    raw = _view(x, np.int32)
    if raw.size and (raw == INT_NA).any():
        where = int(np.flatnonzero(raw == INT_NA)[0]) + 1
        raise ConversionError(
            f"logical NA at position {where}: Python booleans have no NA; "
            "remove the NA or convert to double first"
        )
    return _shape_or_scalar(x, raw != 0)


@r_type_rule(ri.RTYPES.STRSXP)
def _character_to_py(x):
    values = [None if s is ri.NA_Character else str(s) for s in x]
    dim = _dim(x)
    if dim is None and len(values) == 1:
        return values[0]
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array if dim is None else array.reshape(dim, order="F")


@r_type_rule(ri.RTYPES.VECSXP)
def _list_to_py(x):
    items = [r_to_py(v) for v in x]
    names = x.names
    if names is not ri.NULL and all(n not in ("", ri.NA_Character) for n in names):
        return dict(zip((str(n) for n in names), items))
    return items


@r_type_rule(ri.RTYPES.CLOSXP, ri.RTYPES.BUILTINSXP, ri.RTYPES.SPECIALSXP)
def _function_to_py(x):
    return RCallable(x)


@r_class_rule("tensorbridge_object")
def _handle_to_py(x):
    return handles.lookup(int(x.do_slot("tb_key")[0]))


@r_class_rule("factor")
def _factor_to_py(x):
    import pandas as pd

    codes = _view(x, np.int32).astype(np.int64) - 1  # NA (INT_MIN) -> negative
    codes[codes < -1] = -1
    levels = [str(s) for s in x.do_slot("levels")]
    ordered = "ordered" in _rclasses(x)
    return pd.Categorical.from_codes(codes, categories=levels, ordered=ordered)


@r_class_rule("data.frame")
def _data_frame_to_py(x):
    import pandas as pd

    columns = {}
    for name, column in zip(x.names, x):
        value = r_to_py(column)
        if np.isscalar(value) or value is None:
            value = [value]
        columns[str(name)] = value
    row_names = x.do_slot("row.names")
    index = None
    if row_names.typeof == ri.RTYPES.STRSXP:
        index = [str(s) for s in row_names]
    return pd.DataFrame(columns, index=index)


class RCallable:
    """A Python callable that calls an R function.

    An R error raised by the function comes back to Python as ``RError``,
    which carries the original R condition so that the bridge can re-signal
    that very condition when control returns to R.
    """

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, *args, **kwargs):
        from .runtime import r_helper

        rargs = [py_to_r(a) for a in args]
        rkwargs = {k: py_to_r(v) for k, v in kwargs.items()}
        result = r_helper("call_r")(self._fn, ri.ListSexpVector(rargs), _named_list(rkwargs))
        if _rclasses(result) and "tensorbridge_r_error" in _rclasses(result):
            raise RError(result[0])
        return r_to_py(result[0])

    def __repr__(self):
        return "<R function>"


class RError(Exception):
    """An R condition signalled inside an R function that Python called."""

    def __init__(self, condition):
        self.condition = condition
        message = condition[0][0] if len(condition) else "R error"
        super().__init__(str(message))


# ---------------------------------------------------------------------------
# Python -> R
# ---------------------------------------------------------------------------

_PY_TO_R: dict[type, Callable] = {}


def py_rule(*types: type):
    def register(fn):
        for t in types:
            _PY_TO_R[t] = fn
        return fn

    return register


def py_to_r(obj):
    """Convert a Python object to an rpy2 ``Sexp`` that R can hold."""
    if isinstance(obj, ri.Sexp):
        return obj
    for klass in type(obj).__mro__:
        rule = _PY_TO_R.get(klass)
        if rule is not None:
            return rule(obj)
    return _object_to_r(obj)


@py_rule(type(None))
def _none_to_r(_):
    return ri.NULL


@py_rule(bool, np.bool_)
def _bool_to_r(value):
    return ri.BoolSexpVector([bool(value)])


@py_rule(int)
def _int_to_r(value):
    value = int(value)
    if -(2**31) < value < 2**31:
        return ri.IntSexpVector([value])
    return ri.FloatSexpVector([float(value)])


@py_rule(float)
def _float_to_r(value):
    return ri.FloatSexpVector([float(value)])


@py_rule(str)
def _str_to_r(value):
    return ri.StrSexpVector([value])


# numpy kind -> R vector type; integers that do not fit R's int32 become double.
_NUMPY_R_TYPES = {
    "f": ri.FloatSexpVector,
    "i": ri.IntSexpVector,
    "u": ri.IntSexpVector,
    "b": ri.BoolSexpVector,
}


def _writable_view(vector) -> np.ndarray:
    """A writable numpy view of an R vector this module just allocated."""
    dtype = np.float64 if vector.typeof == ri.RTYPES.REALSXP else np.int32
    size = len(vector) * np.dtype(dtype).itemsize
    buffer = ffi.buffer(vector._R_GET_PTR(vector.__sexp__._cdata), size)
    return np.frombuffer(buffer, dtype=dtype)


def _alloc(vector_class, n: int):
    with memorymanagement.rmemory() as rmemory:
        cdata = rmemory.protect(openrlib.rlib.Rf_allocVector(vector_class._R_TYPE, n))
        return vector_class(_rinterface_capi.SexpCapsule(cdata))


@py_rule(np.ndarray)
def _ndarray_to_r(array: np.ndarray):
    kind = array.dtype.kind
    if kind in ("U", "S", "O"):
        flat = [None if v is None else str(v) for v in array.ravel(order="F")]
        out = ri.StrSexpVector([ri.NA_Character if v is None else v for v in flat])
    else:
        if kind not in _NUMPY_R_TYPES:
            raise ConversionError(f"cannot convert a numpy array of dtype {array.dtype} to R")
        vector_class = _NUMPY_R_TYPES[kind]
        if kind in "iu" and array.size and (
            array.max() > np.iinfo(np.int32).max or array.min() <= INT_NA
        ):
            vector_class = ri.FloatSexpVector
        out = _alloc(vector_class, array.size)
        if array.size:
            # One pass: numpy writes into R's fresh vector, in column-major order.
            target = _writable_view(out).reshape(array.shape, order="F")
            np.copyto(target, array, casting="unsafe")
    if array.ndim != 1:
        out.do_slot_assign("dim", ri.IntSexpVector(list(array.shape)))
    return out


@py_rule(np.generic)
def _numpy_scalar_to_r(value):
    return py_to_r(value.item())


@py_rule(list, tuple)
def _list_to_r(values):
    return ri.ListSexpVector([py_to_r(v) for v in values])


def _named_list(mapping: Mapping):
    out = ri.ListSexpVector([py_to_r(v) for v in mapping.values()])
    if mapping:
        out.do_slot_assign("names", ri.StrSexpVector([str(k) for k in mapping]))
    return out


@py_rule(dict)
def _dict_to_r(mapping):
    return _named_list(mapping)


def _register_pandas_rules():
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return

    @py_rule(pd.Categorical)
    def _categorical_to_r(cat):
        from .runtime import r_helper

        codes = np.asarray(cat.codes, dtype=np.int32) + 1
        codes[codes == 0] = INT_NA
        return r_helper("make_factor")(
            ri.IntSexpVector(codes.tolist()),
            ri.StrSexpVector([str(c) for c in cat.categories]),
            ri.BoolSexpVector([bool(cat.ordered)]),
        )

    @py_rule(pd.Series)
    def _series_to_r(series):
        if isinstance(series.dtype, pd.CategoricalDtype):
            return _categorical_to_r(series.array)
        values = series.to_numpy()
        if values.dtype.kind == "O":
            values = np.array([None if pd.isna(v) else str(v) for v in values], dtype=object)
        return _ndarray_to_r(values)

    @py_rule(pd.DataFrame)
    def _data_frame_to_r(frame):
        from .runtime import r_helper

        columns = {str(k): _series_to_r(frame[k]) for k in frame.columns}
        return r_helper("make_data_frame")(_named_list(columns), ri.IntSexpVector([len(frame)]))


_register_pandas_rules()


def _object_to_r(obj):
    """Anything without a rule crosses as a handle (an R external pointer)."""
    from .runtime import r_helper

    key = handles.register(obj)
    classes = handles.r_classes(obj)
    return r_helper("make_handle")(ri.FloatSexpVector([key]), ri.StrSexpVector(classes))
