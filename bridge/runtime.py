"""Attaching the bridge to the R package, and the dispatch that R calls.

The R package calls :func:`attach` once per session, in whichever process
layout it finds itself:

* R hosts: reticulate started this interpreter inside the R process; rpy2 is
  told that R is already running (``initr_simple``), and Python's console is
  routed to R's.
* Python hosts: rpy2 embedded R in this interpreter; R's console already goes
  to Python's, so nothing is rerouted.

:func:`attach` gives the R package (its private environment ``.tb_state``)
the address of one C-callable function, :func:`_dispatch`, made with cffi.
Every later R -> Python call is ``.External(tb_c_dispatch, op, ...)``, which
lands there: never in reticulate's converters, and not in rpy2's
``rternalize`` either (it inspects the Python signature on every call and
swallows exceptions). :func:`_dispatch` catches everything itself and returns
an error value that the R side turns into a proper R condition.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
import logging
import sys
import warnings
import zlib

import rpy2.rinterface as ri
from rpy2.rinterface_lib import _rinterface_capi, embedded, openrlib
from rpy2.rinterface_lib.openrlib import ffi

from . import errors, handles
from .convert import (
    RError,
    call_helper,
    py_to_r,
    py_to_r_cdata,
    r_to_py_cdata,
    set_natives,
    settle_views,
    symbol_name,
)

_rlib = openrlib.rlib

R_PACKAGE = "tensorbridge"

_helpers: dict[str, ri.Sexp] = {}
_callbacks: dict[str, object] = {}
_targets: dict[str, object] = {}
_state = {"r_hosts": False, "attached": False}
_MISSING = object()


def r_helper(name: str):
    """An R function of the package's ``.tb_helpers`` list (see rpkg/R/bridge.R)."""
    return _helpers[name]


# ---------------------------------------------------------------------------
# Entry points R calls
# ---------------------------------------------------------------------------


def resolve(target: str):
    """``"engine.constant"`` -> ``tensorbridge.engine.constant`` (cached)."""
    found = _targets.get(target)
    if found is not None:
        return found
    if not isinstance(target, str) or not target:
        raise TypeError("the function to call must be one string naming it below the "
                        "Python package, such as \"engine.constant\"")
    parts = target.split(".")
    obj = None
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("tensorbridge." + ".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr, _MISSING)
        break
    if obj is None or obj is _MISSING:
        raise AttributeError(f"tensorbridge has no function '{target}'")
    _targets[target] = obj
    return obj


def _dispatch(rargs):
    """The C-callable entry point (see ``tb_c_dispatch`` in rpkg/src/bridge.c).

    ``rargs`` is the argument list of ``.External(tb_c_dispatch, op, ...)``.
    Returns R's result: the converted value, or an error value that the R
    side turns into a condition. Nothing may escape: an exception here would
    hand R a NULL pointer.
    """
    views = []  # numpy views of the arguments (see convert.settle_views)
    operation = []  # what was called, for error messages
    try:
        value = _run(rargs, views, operation)
    except RError as err:
        value = _error_value("tensorbridge_r_error", err.condition).__sexp__._cdata
    except KeyboardInterrupt:
        value = _error_value("tensorbridge_interrupt", ri.NULL).__sexp__._cdata
    except BaseException as err:  # noqa: BLE001 - every error must reach R
        try:
            value = _python_error(err, operation[0] if operation else None).__sexp__._cdata
        except BaseException:  # noqa: BLE001 - last resort: never crash R
            value = _rlib.R_NilValue
    if views:
        # settling may allocate in R: the result is protected meanwhile
        _rlib.Rf_protect(value)
        for _ in range(3):  # a Ctrl-C that lands here must not skip a view that lives on
            try:
                settle_views(views)
                break
            except BaseException:  # noqa: BLE001, S112 - never crash R; settle again
                continue
        _rlib.Rf_unprotect(1)
    return value


def _run(rargs, views, operation):
    """Convert the arguments, run the operation, convert its result."""
    rargs = _rlib.CDR(rargs)  # skip the routine itself
    op = r_to_py_cdata(_rlib.CAR(rargs))
    rargs = _rlib.CDR(rargs)
    if op in _OPERATIONS and rargs != _rlib.R_NilValue:
        operation.append((op, _rlib.CAR(rargs), _rlib.CDR(rargs)))
    positional, named = [], {}
    nil = _rlib.R_NilValue
    while rargs != nil:
        tag = _rlib.TAG(rargs)
        if tag == nil:
            positional.append(r_to_py_cdata(_rlib.CAR(rargs), views))
        else:
            named[symbol_name(tag)] = r_to_py_cdata(_rlib.CAR(rargs), views)
        rargs = _rlib.CDR(rargs)
    result = _OPERATIONS[op](*positional, **named)
    if _pending_warnings:
        return _error_value("tensorbridge_with_warnings", py_to_r(result)).__sexp__._cdata
    return py_to_r_cdata(result)


def _error_value(rclass: str, payload):
    """``list(payload, warnings)`` of class ``rclass``; R signals the Python
    warnings raised during the call, then returns or raises."""
    value = ri.ListSexpVector([payload, ri.StrSexpVector(_pending_warnings)])
    _pending_warnings.clear()
    value.do_slot_assign("class", ri.StrSexpVector([rclass]))
    return value


def _operation_name(op, first, rest) -> str | None:
    """``engine.constant``, ``Sequential.fit``, ``Dense$units``: what R
    called (named from the R arguments, which R still protects)."""
    try:
        target = r_to_py_cdata(first)
        if op == "call":
            return str(target)
        name = r_to_py_cdata(_rlib.CAR(rest)) if rest != _rlib.R_NilValue else "?"
        sep = "." if op == "call_method" else "$"
        return f"{type(target).__name__}{sep}{name}"
    except Exception:  # noqa: BLE001 - a name for a message only
        return None


def _python_error(err: BaseException, operation=None):
    name = _operation_name(*operation) if operation else None
    return _error_value("tensorbridge_py_error", py_to_r(errors.describe(err, name)))


def _call(target, /, *args, **kwargs):
    fn = resolve(target)
    if not callable(fn):
        raise TypeError(f"tensorbridge's '{target}' is not a function")
    return fn(*args, **kwargs)


def _call_method(obj, name, /, *args, **kwargs):
    if name == "__call__" and callable(obj):
        # calling the object itself: for a class (keras$layers$Dense) this
        # constructs it, where getattr(cls, "__call__") is the unbound method
        return obj(*args, **kwargs)
    method = getattr(obj, name, None) if isinstance(name, str) else None
    if method is None or not callable(method):
        raise AttributeError(f"a {type(obj).__name__} has no method '{name}'")
    return method(*args, **kwargs)


def _get_attr(obj, name):
    value = getattr(obj, name, _MISSING) if isinstance(name, str) else _MISSING
    if value is _MISSING:
        raise AttributeError(f"a {type(obj).__name__} has no attribute '{name}' (check the "
                             "spelling: completion after `x$` lists its attributes)")
    return value


def _release_from_finalizer(key: float) -> None:
    """Called by a handle's C finalizer during R's garbage collection."""
    try:
        handles.release(int(key))
    except BaseException:  # noqa: BLE001 - nothing may escape into R's GC
        pass


_OPERATIONS = {
    "call": _call,
    "call_method": _call_method,
    "get_attr": _get_attr,
}


# ---------------------------------------------------------------------------
# Console: while R hosts, Python's output goes to R's console.
# ---------------------------------------------------------------------------


class RConsole:
    """A text stream whose writes go to R's console (``cat``), so RStudio,
    knitr and ``capture.output()`` see what Python prints."""

    def __init__(self, stderr: bool, interactive: bool):
        self._stderr = stderr
        self._interactive = interactive
        # reticulate flushes sys.stdout and sys.stderr after every top-level R
        # call and leaves the method it looked up to R's garbage collector,
        # whose finalizer drops it without taking Python's GIL: it must never
        # be the last reference, so these bound methods are made once.
        self.write = self._write
        self.flush = self._flush

    def _write(self, text: str) -> int:
        if text:
            call_helper("console_write", ri.StrSexpVector([text]),
                        ri.BoolSexpVector([self._stderr]))
        return len(text)

    def _flush(self) -> None:
        pass

    def isatty(self) -> bool:
        # An interactive R console redraws lines (progress bars use "\r");
        # Rscript output and knitr documents do not.
        return self._interactive

    @property
    def encoding(self) -> str:
        return "utf-8"


# Warnings are collected during a call and signalled by R once the call has
# returned, so an R handler that exits (tryCatch) never unwinds Python frames.
_pending_warnings: list[str] = []


def _show_warning(message, category, filename, lineno, file=None, line=None):
    _pending_warnings.append(f"{category.__name__}: {message}")


# ---------------------------------------------------------------------------
# attach
# ---------------------------------------------------------------------------


def _start_rpy2_inside_r() -> None:
    """rpy2 must be told that R already runs in this process."""
    if embedded.isinitialized():
        return
    log = logging.getLogger(embedded.__name__)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="R was initialized outside of rpy2")
            ri.initr_simple()
    finally:
        log.setLevel(level)
    # R owns the process: R, not Python's exit, decides when R ends.
    atexit.unregister(ri.endr)


def _collect_garbage_with_gil() -> None:
    """A full R garbage collection, run with Python's GIL held.

    R runs finalizers only where it evaluates R code (an allocation that
    collects garbage leaves them pending), and every R evaluation inside a
    bridge call goes through ``tb_c_eval``, which holds the GIL. rpy2 holds
    no GIL while R evaluates, and attaching evaluates a few R functions
    through rpy2 (``l10n_info()``, ``asNamespace()``, ``interactive()``): a
    pending finalizer of reticulate's Python objects, which calls Python
    without taking the GIL, would crash there. So attaching first collects
    and finalizes all garbage while the GIL is held: ctypes' "Python API"
    function type, unlike cffi, keeps the GIL during the call. After it, only
    R code of base R runs until the bridge is attached, and that frees no
    reticulate object."""
    try:
        address = ffi.addressof(_rlib, "R_gc")
    except (AttributeError, TypeError, ffi.error):  # cffi's ABI mode
        address = _rlib.R_gc
    ctypes.PYFUNCTYPE(None)(int(ffi.cast("uintptr_t", address)))()


_SEED_SYMBOL = []
_TYPEOF = _rinterface_capi._TYPEOF


def _r_state_digest():
    """A checksum of R's ``.Random.seed`` (read in place, nothing allocated), or None."""
    if not _SEED_SYMBOL:
        _SEED_SYMBOL.append(_rlib.Rf_install(b".Random.seed"))
    seed = _rlib.Rf_findVarInFrame(_rlib.R_GlobalEnv, _SEED_SYMBOL[0])
    if seed == _rlib.R_UnboundValue or _TYPEOF(seed) != ri.RTYPES.INTSXP:
        return None
    n = _rlib.Rf_xlength(seed)
    return zlib.crc32(ffi.buffer(_rlib.INTEGER(seed), 4 * n))


_R_STATE = [None, None, 0]  # R's state as the last draw left it, the seed, draws so far


def _r_random_state():
    """``(draw, seed)`` for the engine's streams from R's generator: while R's state is
    the one the last draw left, the same; once it changed (set.seed(), R's own draws), a
    new seed drawn from R (which moves R's state on). None before R has a random state."""
    digest = _r_state_digest()
    if digest is None:
        return None
    if digest != _R_STATE[0]:
        seed = int(call_helper("draw_seed")[0])
        _R_STATE[:] = [_r_state_digest(), seed, _R_STATE[2] + 1]
    return (_R_STATE[2], _R_STATE[1])


def attach(r_hosts: bool) -> None:
    """Install the entry points into the R package's ``.tb_state``."""
    _collect_garbage_with_gil()
    if r_hosts:
        _start_rpy2_inside_r()
    namespace = ri.baseenv["asNamespace"](ri.StrSexpVector([R_PACKAGE]))
    state = namespace.find(".tb_state")
    helpers = namespace.find(".tb_helpers")
    for name, fn in zip(helpers.names, helpers):
        _helpers[str(name)] = fn
    if not _callbacks:
        # Kept here for the life of the process: R holds only their addresses.
        _callbacks["dispatch"] = ffi.callback("SEXP(SEXP)", _dispatch)
        _callbacks["release"] = ffi.callback("void(double)", _release_from_finalizer)
    for name, callback in _callbacks.items():
        address = float(int(ffi.cast("uintptr_t", callback)))
        state[f"{name}_address"] = ri.FloatSexpVector([address])
    make_handle, inspect, new_array, evaluate = (
        int(a) for a in state.find("native_addresses"))
    handles.set_maker(ffi.cast("SEXP(*)(double, SEXP, int)", make_handle))
    set_natives(inspect, new_array, evaluate)
    if r_hosts:
        # R's set.seed() seeds the engine's streams when the engine has no seed of its own
        from tensorbridge.engine import random as engine_random

        engine_random.set_host_seed_source(_r_random_state)
    if r_hosts and not _state["attached"]:
        interactive = bool(ri.baseenv["interactive"]()[0])
        sys.stdout = RConsole(stderr=False, interactive=interactive)
        sys.stderr = RConsole(stderr=True, interactive=interactive)
        warnings.showwarning = _show_warning
    _state.update(r_hosts=r_hosts, attached=True)
