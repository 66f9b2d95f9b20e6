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

Python's GIL: cffi releases it around every C call into R. Allocating there
is safe, since R runs finalizers (reticulate's call Python without taking
the GIL) only where it evaluates R code, never inside an allocation. R code
itself runs only through ``call_helper`` (``tb_c_eval`` holds the GIL), never
through rpy2's evaluating calls (calling an R function, ``x.names``).
"""

from __future__ import annotations

import sys
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


# R's types in the words of R's documentation (typeof() and ?vector), for
# messages: a user never sees "ENVSXP".
R_TYPE_NAMES = {
    "NILSXP": "NULL", "SYMSXP": "a symbol (a name)", "LISTSXP": "a pairlist",
    "CLOSXP": "a function", "ENVSXP": "an environment", "PROMSXP": "a promise",
    "LANGSXP": "a call (an unevaluated expression)", "SPECIALSXP": "a primitive function",
    "BUILTINSXP": "a primitive function", "CHARSXP": "a string", "LGLSXP": "a logical vector",
    "INTSXP": "an integer vector", "REALSXP": "a double vector",
    "CPLXSXP": "a complex vector", "STRSXP": "a character vector",
    "DOTSXP": "a ... argument list", "VECSXP": "a list", "EXPRSXP": "an expression vector",
    "BCODESXP": "byte code", "EXTPTRSXP": "an external pointer", "WEAKREFSXP": "a weak reference",
    "RAWSXP": "a raw vector", "S4SXP": "an S4 object",
}


def r_type_name(typeof: int) -> str:
    """``ri.RTYPES.ENVSXP`` -> ``"an environment"``."""
    try:
        code = ri.RTYPES(typeof).name
    except ValueError:
        return f"an R object of internal type {typeof}"
    return R_TYPE_NAMES.get(code, code)


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
        what = r_type_name(x.typeof)
        if classes:
            what += f" of class {_class_text(classes)}"
        raise ConversionError(
            f"{what} cannot be passed to Python: give numbers, logicals, strings, "
            "factors, data frames, lists, functions or tensorbridge objects"
        )
    return rule(x)


def _class_text(classes) -> str:
    shown = ", ".join(f'"{c}"' for c in classes[:3])
    return f"c({shown})" if len(classes) > 1 else shown


class RObject:
    """An R value that has no Python counterpart (an environment, an R6
    object, an S4 object ...), held as it is. Python code cannot look
    inside; given back to R it is the very same R value."""

    __slots__ = ("sexp",)

    def __init__(self, sexp):
        self.sexp = sexp

    def __repr__(self):
        return f"<R object: {r_type_name(self.sexp.typeof)}>"


def r_to_py_lenient(x):
    """:func:`r_to_py`, except that a value without a conversion rule becomes
    an :class:`RObject` instead of an error (results of R callbacks: a
    progress bar's tick returns an environment, and Python ignores it)."""
    try:
        return r_to_py(x)
    except ConversionError:
        return RObject(x)


_rlib = openrlib.rlib
_TYPEOF = _rinterface_capi._TYPEOF

_NILSXP, _REALSXP, _INTSXP, _LGLSXP, _STRSXP, _RAWSXP, _VECSXP, _EXTPTRSXP, _CLOSXP = (
    int(t) for t in (ri.RTYPES.NILSXP, ri.RTYPES.REALSXP, ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP,
                     ri.RTYPES.STRSXP, ri.RTYPES.RAWSXP, ri.RTYPES.VECSXP,
                     ri.RTYPES.EXTPTRSXP, ri.RTYPES.CLOSXP))


# C functions of the R package (rpkg/src/bridge.c), set by set_natives().
_native = {}
_MAX_DIMS = 32
_info = ffi.new("int64_t[]", _MAX_DIMS + 5)


def set_natives(inspect_address: int, new_array_address: int, eval_address: int) -> None:
    """Addresses of ``tb_c_inspect``, ``tb_c_new_array`` and ``tb_c_eval``
    (the bridge's ``attach`` passes them on from the R package)."""
    _native["inspect"] = ffi.cast("void *(*)(SEXP, int64_t *, int)", inspect_address)
    _native["new_array"] = ffi.cast("SEXP (*)(int, void *, double, int, int *)",
                                    new_array_address)
    _native["eval"] = ffi.cast("SEXP (*)(SEXP, SEXP, int *)", eval_address)
    _native["names"] = _rlib.Rf_install(b"names")  # R never frees symbols
    _native["tb_key"] = _rlib.Rf_install(b"tb_key")


def _char_to_str(charsxp) -> str:
    encoding = rpy2_conversion._R_ENC_PY[_rlib.Rf_getCharCE(charsxp)]
    return rpy2_conversion._cchar_to_str(_rlib.R_CHAR(charsxp), encoding)


_symbol_names: dict = {}


def symbol_name(symbol) -> str:
    """The name of an R symbol (an argument tag), from its C pointer. R never
    frees symbols, so names are cached by address."""
    name = _symbol_names.get(symbol)
    if name is None:
        name = _symbol_names[symbol] = _char_to_str(_rlib.PRINTNAME(symbol))
    return name


class _ProtectedSlots:
    """R objects that Python keeps alive, each in a slot of one R list that
    R protects. (R's own ``R_PreserveObject`` list is searched from its head
    on every release: costly once thousands of objects are kept.)"""

    def __init__(self):
        self._list = None
        self._size = 0
        self._free: list[int] = []

    def add(self, cdata) -> int:
        if not self._free:
            self._grow()
        slot = self._free.pop()
        _rlib.SET_VECTOR_ELT(self._list, slot, cdata)
        return slot

    def remove(self, slot: int) -> None:
        _rlib.SET_VECTOR_ELT(self._list, slot, _rlib.R_NilValue)
        self._free.append(slot)

    def _grow(self) -> None:
        size = max(256, 2 * self._size)
        bigger = _rlib.Rf_allocVector(ri.RTYPES.VECSXP, size)  # the old list still protects
        _rlib.R_PreserveObject(bigger)
        if self._list is not None:
            for slot in range(self._size):
                _rlib.SET_VECTOR_ELT(bigger, slot, _rlib.VECTOR_ELT(self._list, slot))
            _rlib.R_ReleaseObject(self._list)
        self._free.extend(range(size - 1, self._size - 1, -1))
        self._list, self._size = bigger, size


_protected = _ProtectedSlots()


class _PinnedStrings:
    """Python strings for short R strings, cached by the address of R's string
    (a CHARSXP: R keeps one per distinct string). Cached strings are pinned
    (kept alive) so that R never frees them and their address is never
    reused for another string. Calls name their operation, target and
    method with the same few strings, so this saves decoding them per call."""

    CAPACITY = 4096
    MAX_BYTES = 256

    def __init__(self):
        self._strings: dict = {}

    def get(self, charsxp) -> str:
        found = self._strings.get(charsxp)
        if found is not None:
            return found
        text = _char_to_str(charsxp)
        if len(self._strings) < self.CAPACITY and _rlib.Rf_xlength(charsxp) <= self.MAX_BYTES:
            _protected.add(charsxp)
            self._strings[charsxp] = text
        return text


_pinned_strings = _PinnedStrings()


def r_to_py_cdata(cdata, views: list | None = None):
    """:func:`r_to_py` for a bare C ``SEXP``, with fast paths for the plain
    length-one vectors that most calls pass (names, flags, sizes) and for
    numeric arrays.

    ``views``: numeric data becomes a numpy view of R's memory, which must
    keep the R object alive. When the caller knows the R object lives for
    the duration of a call (an argument of ``.External``), it passes a list
    that collects the views' keepers and settles them when the call ends
    (:func:`settle_views`); otherwise each view protects its R object at
    once."""
    rtype = _TYPEOF(cdata)
    if rtype == _NILSXP:
        return None
    if rtype == _STRSXP:
        if _rlib.ATTRIB(cdata) == _rlib.R_NilValue and _rlib.Rf_xlength(cdata) == 1:
            charsxp = _rlib.STRING_ELT(cdata, 0)
            return None if charsxp == _rlib.R_NaString else _pinned_strings.get(charsxp)
        if _rlib.Rf_getAttrib(cdata, _rlib.R_ClassSymbol) == _rlib.R_NilValue:
            return _strings_to_py(cdata)
    elif rtype in _NUMERIC_DTYPES:
        info = _info
        data = _native["inspect"](cdata, info, _MAX_DIMS + 5)
        if info[1] != 2 and info[4] != -2:
            return _numeric_to_py(cdata, data, info, views)
    elif rtype == _VECSXP:
        if _rlib.Rf_getAttrib(cdata, _rlib.R_ClassSymbol) == _rlib.R_NilValue:
            return _list_cdata_to_py(cdata, views)
    if rtype == _EXTPTRSXP or rtype == _CLOSXP:
        key = _rlib.Rf_getAttrib(cdata, _native["tb_key"])
        if key != _rlib.R_NilValue and _TYPEOF(key) == _REALSXP:
            return handles.lookup(int(_rlib.REAL(key)[0]))
    return r_to_py(rpy2_conversion._cdata_to_rinterface(cdata))


def _list_cdata_to_py(cdata, views=None):
    """An R list: a dict when every element has a name, else a list."""
    items = [r_to_py_cdata(_rlib.VECTOR_ELT(cdata, i), views)
             for i in range(_rlib.Rf_xlength(cdata))]
    names = _rlib.Rf_getAttrib(cdata, _native["names"])
    if names == _rlib.R_NilValue:
        return items
    keys = _strings_to_list(names)
    if all(keys):  # no "" nor NA among the names
        return dict(zip(keys, items))
    return items


def _strings_to_list(cdata) -> list:
    """An R character vector's elements; NA becomes None."""
    na = _rlib.R_NaString
    out = []
    for i in range(_rlib.Rf_xlength(cdata)):
        charsxp = _rlib.STRING_ELT(cdata, i)
        out.append(None if charsxp == na else _char_to_str(charsxp))
    return out


def _strings_to_py(cdata):
    """A character vector without a class: a string when it has length one
    and no dim, otherwise a numpy array of objects (F-ordered dims)."""
    values = _strings_to_list(cdata)
    dims = _rlib.Rf_getAttrib(cdata, _rlib.R_DimSymbol)
    if dims == _rlib.R_NilValue and len(values) == 1:
        return values[0]
    array = np.empty(len(values), dtype=object)
    array[:] = values
    if dims == _rlib.R_NilValue:
        return array
    shape = tuple(ffi.unpack(_rlib.INTEGER(dims), _rlib.Rf_xlength(dims)))
    return array.reshape(shape, order="F")


def py_to_r_cdata(obj):
    """:func:`py_to_r` returning a bare C ``SEXP``, with fast paths for the
    values most calls return: scalars, strings, ``None``, numeric arrays,
    lists, dicts and handles.

    Not protected: the caller hands the value to R, or protects it, before
    anything else allocates in R."""
    kind = type(obj)
    if obj is None:
        return _rlib.R_NilValue
    if kind is float:
        return _rlib.Rf_ScalarReal(obj)
    if kind is bool:
        return _rlib.Rf_ScalarLogical(int(obj))
    if kind is int:
        return _rlib.Rf_ScalarInteger(obj) if INT_NA < obj < 2**31 else _rlib.Rf_ScalarReal(obj)
    if kind is str:
        return _rlib.Rf_ScalarString(_mkchar(obj))
    if kind is np.ndarray and obj.dtype.kind in _NUMPY_R_TYPES:
        return _ndarray_to_cdata(obj)
    if kind is list or kind is tuple:
        return _list_to_cdata(obj)
    if kind is dict:
        return _list_to_cdata(list(obj.values()), [str(k) for k in obj])
    if isinstance(obj, ri.Sexp):  # already an R value (the caller keeps it alive)
        return obj.__sexp__._cdata
    if isinstance(obj, tuple) and isinstance(getattr(kind, "_fields", None), tuple):
        return _list_to_cdata(list(obj), [str(f) for f in kind._fields])  # a namedtuple
    for klass in kind.__mro__:
        rule = _PY_TO_R.get(klass)
        if rule is not None:
            return rule(obj).__sexp__._cdata
    return handles.to_r_cdata(obj)


_CE_UTF8 = 1


def _mkchar(text: str):
    """An R string (CHARSXP) from a Python string."""
    data = text.encode("utf-8")
    if b"\0" in data:
        raise ConversionError("R strings cannot hold NUL characters ('\\0')")
    return _rlib.Rf_mkCharLenCE(data, len(data), _CE_UTF8)


def _list_to_cdata(values, names=None):
    """An R list (unprotected ``SEXP``) of the converted ``values``, named
    when ``names`` is given."""
    out = _rlib.Rf_protect(_rlib.Rf_allocVector(ri.RTYPES.VECSXP, len(values)))
    try:
        for i, value in enumerate(values):
            _rlib.SET_VECTOR_ELT(out, i, py_to_r_cdata(value))
        if names is not None and values:
            rnames = _rlib.Rf_protect(_rlib.Rf_allocVector(ri.RTYPES.STRSXP, len(names)))
            try:
                for i, name in enumerate(names):
                    _rlib.SET_STRING_ELT(rnames, i, _mkchar(name))
                _rlib.Rf_setAttrib(out, _native["names"], rnames)
            finally:
                _rlib.Rf_unprotect(1)
    finally:
        _rlib.Rf_unprotect(1)
    return out


def _wrap(cdata):
    """An rpy2 object (which protects the R value) for a fresh ``SEXP``."""
    return ri.Sexp(_rinterface_capi.SexpCapsule(cdata))


class _RMemory:
    """Exposes an R vector's data to numpy (``__array_interface__``) and keeps
    the R vector alive for as long as any numpy view of it lives: numpy makes
    this object the views' ``base``.

    The view is read-only, so nothing on the Python side can change an R
    value behind R's back (R values are immutable to their users).
    (rpy2's own ``memoryview()`` is not used: in rpy2 3.5 each call drops a
    reference to ``None``, which eventually crashes the interpreter.)
    """

    __slots__ = ("__array_interface__", "_cdata", "_slot")
    kept = 0  # how many protect their R object now (diagnostics.kept_views)

    def __init__(self, cdata, interface: dict):
        self.__array_interface__ = interface
        self._cdata = cdata
        self._slot = None

    def keep(self) -> None:
        """Protect the R object from R's garbage collector until this dies."""
        if self._slot is None:
            self._slot = _protected.add(self._cdata)
            _RMemory.kept += 1

    def __del__(self):
        if self._slot is not None:
            _protected.remove(self._slot)
            _RMemory.kept -= 1


def settle_views(views: list) -> None:
    """End of a call: R will stop protecting the call's arguments, so a view
    of one that something still references (a tensor the call kept, say)
    protects its R object from now on. Most views died with the call and
    cost nothing. ``sys.getrefcount`` is exact: a keeper that only ``views``
    and this loop reference has no numpy array left on it."""
    for memory in views:
        if sys.getrefcount(memory) > 3:  # views, `memory`, getrefcount's argument
            memory.keep()
    views.clear()


_NUMERIC_DTYPES = {
    _REALSXP: np.dtype(np.float64),
    _INTSXP: np.dtype(np.int32),
    _LGLSXP: np.dtype(np.int32),
}
_TYPESTRS = {t: d.str for t, d in _NUMERIC_DTYPES.items()}


def _numeric_to_py(cdata, data, info, views):
    """R double/integer/logical data without a class (``info`` and ``data``
    from ``tb_c_inspect``): a view of R's memory, or a scalar."""
    rtype, length, na_at, ndim = info[0], info[2], info[3], info[4]
    if na_at:
        kind = "integer" if rtype == _INTSXP else "logical"
        advice = ("use a double vector (NA becomes NaN) or remove the NA"
                  if kind == "integer" else "remove the NA or convert to double first")
        raise ConversionError(
            f"{kind} NA at position {na_at}: Python has no {kind} NA; {advice}")
    if ndim < 0 and length == 1:  # a vector of length one is a scalar (as in reticulate)
        if rtype == _REALSXP:
            return ffi.cast("double *", data)[0]
        value = ffi.cast("int *", data)[0]
        return value if rtype == _INTSXP else bool(value)
    shape = (length,) if ndim < 0 else tuple(info[5:5 + ndim])
    if length == 0:
        array = np.empty(shape, dtype=_NUMERIC_DTYPES[rtype])
    else:
        itemsize = 8 if rtype == _REALSXP else 4
        strides = [itemsize]
        for extent in shape[:-1]:
            strides.append(strides[-1] * extent)
        memory = _RMemory(cdata, {
            "shape": shape, "strides": tuple(strides), "typestr": _TYPESTRS[rtype],
            "data": (int(ffi.cast("uintptr_t", data)), True), "version": 3,
        })
        if views is None:
            memory.keep()
        else:
            views.append(memory)
        array = np.asarray(memory)
    return array != 0 if rtype == _LGLSXP else array


@r_type_rule(ri.RTYPES.REALSXP, ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP)
def _numeric_sexp_to_py(x):
    # A view of R's memory, no copy. NA_real_ is a NaN payload, so it arrives
    # as NaN (and goes back as NA); integer and logical NA have no counterpart.
    cdata = x.__sexp__._cdata
    info = ffi.new("int64_t[]", _MAX_DIMS + 5)
    data = _native["inspect"](cdata, info, _MAX_DIMS + 5)
    if info[4] == -2:
        raise ConversionError(f"R arrays with more than {_MAX_DIMS} dimensions are not supported")
    return _numeric_to_py(cdata, data, info, None)


@r_type_rule(ri.RTYPES.STRSXP)
def _character_to_py(x):
    return _strings_to_py(x.__sexp__._cdata)


@r_type_rule(ri.RTYPES.VECSXP)
def _list_to_py(x):
    return _list_cdata_to_py(x.__sexp__._cdata)


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
    key = x.do_slot("tb_key") if "tb_key" in x.list_attrs() else None
    if key is None or key.typeof != ri.RTYPES.REALSXP or len(key) != 1:
        raise ValueError(handles.STALE)  # a class without a handle behind it
    return handles.lookup(int(key[0]))


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

    # (names from the attribute, not rpy2's ``x.names``: that evaluates R's
    # names(), and R code run through rpy2 runs without Python's GIL)
    names = _rlib.Rf_getAttrib(x.__sexp__._cdata, _native["names"])
    names = _strings_to_list(names) if names != _rlib.R_NilValue else []
    columns = {}
    for name, column in zip(names, x):
        value = r_to_py(column)
        if np.isscalar(value) or value is None:
            value = [value]
        columns["NA" if name is None else name] = value
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
        rargs = _list_to_r(args)
        rkwargs = _named_list(kwargs)
        result = call_helper("call_r", self._fn, rargs, rkwargs)
        classes = _rclasses(result)
        if "tensorbridge_r_interrupt" in classes:
            raise KeyboardInterrupt
        if "tensorbridge_r_error" in classes:
            raise RError(result[0])
        return r_to_py_lenient(result[0])

    @property
    def __name__(self):
        """The R function's name: its ``py_function_name`` attribute (as keras R
        sets it, e.g. for the name a loss or metric shows in the logs), else
        ``"r_function"``. Read from R's attribute list without evaluating R."""
        try:
            name = self._fn.do_slot("py_function_name")
        except LookupError:
            return "r_function"
        if name.typeof != ri.RTYPES.STRSXP or len(name) != 1:
            return "r_function"
        return str(name[0])

    def __repr__(self):
        return "<R function>"


_LANG = {0: "Rf_lang1", 1: "Rf_lang2", 2: "Rf_lang3", 3: "Rf_lang4", 4: "Rf_lang5"}


def call_helper(name: str, *args):
    """Calls the R function ``name`` of the package's ``.tb_helpers`` with
    ``args`` (rpy2 objects, which keep them alive) and returns its result
    (an rpy2 object).

    R evaluates through ``tb_c_eval`` (rpkg/src/bridge.c), which holds
    Python's GIL meanwhile: a garbage collection inside the R code may run
    finalizers that call Python (reticulate's objects). R evaluation cut
    short by a jump to the top level (an interrupt that reached no handler)
    is a ``KeyboardInterrupt``."""
    from .runtime import r_helper

    cdata = [r_helper(name).__sexp__._cdata] + [a.__sexp__._cdata for a in args]
    call = _rlib.Rf_protect(getattr(_rlib, _LANG[len(args)])(*cdata))
    failed = ffi.new("int *")
    try:
        result = _native["eval"](call, _rlib.R_BaseEnv, failed)
        if failed[0]:
            raise KeyboardInterrupt
        return rpy2_conversion._cdata_to_rinterface(result)
    finally:
        _rlib.Rf_unprotect(1)


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
    return _wrap(_rlib.Rf_ScalarString(_mkchar(str(value))))


@py_rule(bytes, bytearray)
def _bytes_to_r(value):
    return ri.ByteSexpVector(bytes(value))


# numpy kind -> (R type, numpy dtype of R's storage); integers that do not
# fit R's int32 become double.
_NUMPY_R_TYPES = {
    "f": (_REALSXP, np.dtype(np.float64)),
    "i": (_INTSXP, np.dtype(np.int32)),
    "u": (_INTSXP, np.dtype(np.int32)),
    "b": (_LGLSXP, np.dtype(np.int32)),
}
_INT32_MAX = np.iinfo(np.int32).max
_dims_buffer = ffi.new("int[]", _MAX_DIMS)


def _ndarray_to_cdata(array: np.ndarray):
    """A new R vector (C ``SEXP``, not protected) holding ``array``'s values
    in column-major order, with ``dim`` unless the array is 1-d. The caller
    hands it to R (or protects it) before anything else allocates in R."""
    kind = array.dtype.kind
    if kind not in _NUMPY_R_TYPES:
        raise ConversionError(f"cannot convert a numpy array of dtype {array.dtype} to R")
    rtype, storage = _NUMPY_R_TYPES[kind]
    if kind in "iu" and array.size and (array.max() > _INT32_MAX or array.min() <= INT_NA):
        rtype, storage = _REALSXP, np.dtype(np.float64)
    ndim = array.ndim
    if ndim > _MAX_DIMS:
        raise ConversionError(f"arrays with more than {_MAX_DIMS} dimensions cannot go to R")
    dims = _dims_buffer
    for i, extent in enumerate(array.shape):
        if extent > _INT32_MAX:
            raise ConversionError(f"R arrays cannot have a dimension of {extent}")
        dims[i] = extent
    size = array.size
    if size and array.dtype == storage and array.flags.f_contiguous:
        # (the transpose of a Fortran-ordered array is C-ordered: same bytes)
        return _native["new_array"](rtype, ffi.from_buffer(array.T), size, ndim, dims)
    out = _native["new_array"](rtype, ffi.NULL, size, ndim, dims)
    if size:  # one pass: numpy casts and reorders into R's column-major memory
        target = np.frombuffer(ffi.buffer(_rlib.DATAPTR(out), size * storage.itemsize),
                               dtype=storage)
        np.copyto(target.reshape(array.shape, order="F"), array, casting="unsafe")
    return out


@py_rule(np.ndarray)
def _ndarray_to_r(array: np.ndarray):
    if array.dtype.kind == "O" and not all(v is None or isinstance(v, str) for v in array.flat):
        # e.g. sequences of different lengths (a ragged dataset): an R list
        out = ri.ListSexpVector([py_to_r(v) for v in array.ravel(order="F")])
        if array.ndim > 1:  # (a 0-d array is one value: R has no empty dim)
            out.do_slot_assign("dim", ri.IntSexpVector(list(array.shape)))
        return out
    if array.dtype.kind in ("U", "S", "O"):
        flat = [None if v is None else
                v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                for v in array.ravel(order="F")]
        out = ri.StrSexpVector([ri.NA_Character if v is None else v for v in flat])
        if array.ndim > 1:
            out.do_slot_assign("dim", ri.IntSexpVector(list(array.shape)))
        return out
    # wrapped (and so protected) before R allocates anything else
    return _wrap(_ndarray_to_cdata(array))


@py_rule(np.generic)
def _numpy_scalar_to_r(value):
    return py_to_r(value.item())


@py_rule(list, tuple)
def _list_to_r(values):
    return _wrap(_list_to_cdata(list(values)))


def _named_list(mapping: Mapping):
    return _wrap(_list_to_cdata(list(mapping.values()), [str(k) for k in mapping]))


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
        codes = np.asarray(cat.codes, dtype=np.int32) + 1
        codes[codes == 0] = INT_NA
        return call_helper(
            "make_factor",
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
        columns = {str(k): _series_to_r(frame[k]) for k in frame.columns}
        return call_helper("make_data_frame", _named_list(columns),
                           ri.IntSexpVector([len(frame)]))


_register_pandas_rules()


@py_rule(RObject)
def _r_object_to_r(obj):
    return obj.sexp


@py_rule(RCallable)
def _r_callable_to_r(fn):
    """An R function that went to Python comes back as the same R function."""
    return fn._fn


def _object_to_r(obj):
    """Anything without a rule crosses as a handle (an R external pointer)."""
    return _wrap(handles.to_r_cdata(obj))
