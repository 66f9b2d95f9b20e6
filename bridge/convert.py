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
from rpy2.rinterface_lib import _rinterface_capi, openrlib
from rpy2.rinterface_lib import conversion as rpy2_conversion
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
    classes = _rclasses(x)
    for rclass, rule in _R_TO_PY_BY_CLASS:
        if rclass in classes:
            return rule(x)
    rule = _R_TO_PY_BY_TYPE.get(x.typeof)
    if rule is None:
        raise ConversionError(
            f"cannot convert an R object of type '{ri.RTYPES(x.typeof).name}' to Python"
        )
    return rule(x)


_rlib = openrlib.rlib
_TYPEOF = _rinterface_capi._TYPEOF


def _char_to_str(charsxp) -> str:
    encoding = rpy2_conversion._R_ENC_PY[_rlib.Rf_getCharCE(charsxp)]
    return rpy2_conversion._cchar_to_str(_rlib.R_CHAR(charsxp), encoding)


def symbol_name(symbol) -> str:
    """The name of an R symbol (an argument tag), from its C pointer."""
    return _char_to_str(_rlib.PRINTNAME(symbol))


def r_to_py_cdata(cdata):
    """:func:`r_to_py` for a bare C ``SEXP``, with a fast path for the plain
    length-one vectors that most calls pass (names, flags, sizes)."""
    rtype = _TYPEOF(cdata)
    if rtype == ri.RTYPES.NILSXP:
        return None
    if _rlib.ATTRIB(cdata) == _rlib.R_NilValue and _rlib.Rf_xlength(cdata) == 1:
        if rtype == ri.RTYPES.REALSXP:
            return _rlib.REAL(cdata)[0]
        if rtype == ri.RTYPES.STRSXP:
            charsxp = _rlib.STRING_ELT(cdata, 0)
            return None if charsxp == _rlib.R_NaString else _char_to_str(charsxp)
        if rtype in (ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP):
            value = (_rlib.INTEGER if rtype == ri.RTYPES.INTSXP else _rlib.LOGICAL)(cdata)[0]
            if value != INT_NA:
                return value if rtype == ri.RTYPES.INTSXP else bool(value)
    if rtype in _NUMERIC_DTYPES and (
        _rlib.Rf_getAttrib(cdata, _rlib.R_ClassSymbol) == _rlib.R_NilValue
    ):
        return _numeric_to_py(cdata, rtype, _dims(cdata))
    return r_to_py(rpy2_conversion._cdata_to_rinterface(cdata))


def py_to_r_cdata(obj):
    """:func:`py_to_r` returning a bare C ``SEXP`` for R to take over, with a
    fast path for Python scalars and ``None``.

    Only for values handed straight back to R: an unprotected fresh scalar
    must not meet another R allocation before R holds it."""
    kind = type(obj)
    if obj is None:
        return _rlib.R_NilValue
    if kind is float:
        return _rlib.Rf_ScalarReal(obj)
    if kind is bool:
        return _rlib.Rf_ScalarLogical(int(obj))
    if kind is int and INT_NA < obj < 2**31:
        return _rlib.Rf_ScalarInteger(obj)
    if kind is np.ndarray and obj.dtype.kind in _NUMPY_R_TYPES:
        return _ndarray_to_cdata(obj)
    return py_to_r(obj).__sexp__._cdata


class _RMemory:
    """Exposes an R vector's data to numpy (``__array_interface__``) and keeps
    the R vector alive for as long as any numpy view of it lives: numpy makes
    this object the views' ``base``, and its capsule protects the R object
    from R's garbage collector.

    The view is read-only, so nothing on the Python side can change an R
    value behind R's back (R values are immutable to their users).
    (rpy2's own ``memoryview()`` is not used: in rpy2 3.5 each call drops a
    reference to ``None``, which eventually crashes the interpreter.)
    """

    __slots__ = ("capsule", "__array_interface__")

    def __init__(self, cdata, typestr: str, length: int):
        self.capsule = _rinterface_capi.SexpCapsule(cdata)
        address = int(ffi.cast("uintptr_t", _rlib.DATAPTR(cdata)))
        self.__array_interface__ = {
            "shape": (length,),
            "typestr": typestr,
            "data": (address, True),
            "version": 3,
        }


_NUMERIC_DTYPES = {
    ri.RTYPES.REALSXP: np.dtype(np.float64),
    ri.RTYPES.INTSXP: np.dtype(np.int32),
    ri.RTYPES.LGLSXP: np.dtype(np.int32),
}


def _numeric_to_py(cdata, rtype, dims):
    """R double/integer/logical data without a class, from its C pointer."""
    length = _rlib.Rf_xlength(cdata)
    dtype = _NUMERIC_DTYPES[rtype]
    if length == 0:
        array = np.empty(0, dtype=dtype)
    else:
        array = np.asarray(_RMemory(cdata, dtype.str, length))
    if rtype != ri.RTYPES.REALSXP and length and (array == INT_NA).any():
        where = int(np.flatnonzero(array == INT_NA)[0]) + 1
        kind = "integer" if rtype == ri.RTYPES.INTSXP else "logical"
        advice = ("use a double vector (NA becomes NaN) or remove the NA"
                  if kind == "integer" else "remove the NA or convert to double first")
        raise ConversionError(
            f"{kind} NA at position {where}: Python has no {kind} NA; {advice}")
    if rtype == ri.RTYPES.LGLSXP:
        array = array != 0
    if dims is None:  # a vector: length one is a scalar (as in reticulate)
        return array[0].item() if length == 1 else array
    return array.reshape(dims, order="F")


def _dims(cdata):
    dim = _rlib.Rf_getAttrib(cdata, _rlib.R_DimSymbol)
    if dim == _rlib.R_NilValue:
        return None
    return tuple(ffi.unpack(_rlib.INTEGER(dim), _rlib.Rf_xlength(dim)))


@r_type_rule(ri.RTYPES.REALSXP, ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP)
def _numeric_sexp_to_py(x):
    # A view of R's memory, no copy. NA_real_ is a NaN payload, so it arrives
    # as NaN (and goes back as NA); integer and logical NA have no counterpart.
    cdata = x.__sexp__._cdata
    return _numeric_to_py(cdata, x.typeof, _dims(cdata))


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


@r_type_rule(ri.RTYPES.RAWSXP)
def _raw_to_py(x):
    cdata = x.__sexp__._cdata
    length = _rlib.Rf_xlength(cdata)
    return bytes(ffi.buffer(_rlib.DATAPTR(cdata), length)) if length else b""


@r_class_rule("tensorbridge_object")
def _handle_to_py(x):
    return handles.lookup(int(x.do_slot("tb_key")[0]))


@r_class_rule("factor")
def _factor_to_py(x):
    import pandas as pd

    codes = np.array(x, dtype=np.int64) - 1  # NA (INT_MIN) -> negative
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


@py_rule(bytes, bytearray)
def _bytes_to_r(value):
    return ri.ByteSexpVector(bytes(value))


# numpy kind -> R vector type; integers that do not fit R's int32 become double.
# numpy kind -> (R type, numpy dtype of R's storage); integers that do not
# fit R's int32 become double.
_NUMPY_R_TYPES = {
    "f": (ri.RTYPES.REALSXP, np.float64),
    "i": (ri.RTYPES.INTSXP, np.int32),
    "u": (ri.RTYPES.INTSXP, np.int32),
    "b": (ri.RTYPES.LGLSXP, np.int32),
}


def _ndarray_to_cdata(array: np.ndarray):
    """A new R vector (C ``SEXP``, not protected) holding ``array``'s values
    in column-major order, with ``dim`` unless the array is 1-d. The caller
    protects it (or hands it to R) before anything else allocates in R."""
    kind = array.dtype.kind
    if kind not in _NUMPY_R_TYPES:
        raise ConversionError(f"cannot convert a numpy array of dtype {array.dtype} to R")
    rtype, storage = _NUMPY_R_TYPES[kind]
    if kind in "iu" and array.size and (
        array.max() > np.iinfo(np.int32).max or array.min() <= INT_NA
    ):
        rtype, storage = ri.RTYPES.REALSXP, np.float64
    out = _rlib.Rf_protect(_rlib.Rf_allocVector(rtype, array.size))
    protected = 1
    try:
        if array.size:
            nbytes = array.size * np.dtype(storage).itemsize
            if array.dtype == storage and array.flags.f_contiguous:
                # (the transpose of a Fortran-ordered array is C-ordered: same bytes)
                ffi.memmove(_rlib.DATAPTR(out), ffi.from_buffer(array.T), nbytes)
            else:  # one pass: numpy casts and reorders into R's column-major memory
                target = np.frombuffer(ffi.buffer(_rlib.DATAPTR(out), nbytes), dtype=storage)
                np.copyto(target.reshape(array.shape, order="F"), array, casting="unsafe")
        if array.ndim != 1:
            dim = _rlib.Rf_protect(_rlib.Rf_allocVector(ri.RTYPES.INTSXP, array.ndim))
            protected += 1
            values = _rlib.INTEGER(dim)
            for i, extent in enumerate(array.shape):
                values[i] = extent
            _rlib.Rf_setAttrib(out, _rlib.R_DimSymbol, dim)
    finally:
        _rlib.Rf_unprotect(protected)
    return out


@py_rule(np.ndarray)
def _ndarray_to_r(array: np.ndarray):
    if array.dtype.kind == "O" and not all(v is None or isinstance(v, str) for v in array.flat):
        # e.g. sequences of different lengths (a ragged dataset): an R list
        out = ri.ListSexpVector([py_to_r(v) for v in array.ravel(order="F")])
        if array.ndim != 1:
            out.do_slot_assign("dim", ri.IntSexpVector(list(array.shape)))
        return out
    if array.dtype.kind in ("U", "S", "O"):
        flat = [None if v is None else str(v) for v in array.ravel(order="F")]
        out = ri.StrSexpVector([ri.NA_Character if v is None else v for v in flat])
        if array.ndim != 1:
            out.do_slot_assign("dim", ri.IntSexpVector(list(array.shape)))
        return out
    # wrapped (and so protected) before R allocates anything else
    return ri.Sexp(_rinterface_capi.SexpCapsule(_ndarray_to_cdata(array)))


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
    return handles.to_r(obj)
