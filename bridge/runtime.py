"""Attaching the bridge to the R package, and the dispatch that R calls.

The R package calls :func:`attach` once per session, in whichever process
layout it finds itself:

* R hosts: reticulate started this interpreter inside the R process; rpy2 is
  told that R is already running (``initr_simple``), and Python's console is
  routed to R's.
* Python hosts: rpy2 embedded R in this interpreter; R's console already goes
  to Python's, so nothing is rerouted.

:func:`attach` stores a few rternalized functions in the package's private
environment ``.tb_state``. Every later R -> Python call goes through one of
them, never through reticulate's converters. rternalize (rpy2 3.5) swallows
exceptions, so each entry point catches everything itself and returns an
error value that the R side turns into a proper R condition.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import sys
import traceback
import warnings

import rpy2.rinterface as ri
from rpy2.rinterface_lib import _rinterface_capi, embedded, openrlib

from . import handles
from .convert import RError, py_to_r, r_to_py

R_PACKAGE = "tensorbridge"

_helpers: dict[str, ri.Sexp] = {}
# The rternalized closures must outlive the call that made them: R holds only
# an ffi handle to each Python function, which dies with its Python wrapper.
_entry_points: dict[str, ri.Sexp] = {}
_targets: dict[str, object] = {}
_state = {"r_hosts": False, "attached": False}


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
    parts = target.split(".")
    obj = None
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("tensorbridge." + ".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        break
    if obj is None:
        raise AttributeError(f"tensorbridge has no function '{target}'")
    _targets[target] = obj
    return obj


def _guard(fn):
    """Run ``fn`` and hand R either its converted result or an error value."""

    def entry(*args, **kwargs):
        try:
            value = py_to_r(fn(*args, **kwargs))
            if _pending_warnings:
                return _error_value("tensorbridge_with_warnings", value)
            # rternalize hands R only values it owns: R's NULL needs a capsule
            return _r_null() if value is ri.NULL else value
        except RError as err:
            return _error_value("tensorbridge_r_error", err.condition)
        except KeyboardInterrupt:
            return _error_value("tensorbridge_interrupt", ri.NULL)
        except BaseException as err:  # noqa: BLE001 - every error must reach R
            return _python_error(err)

    entry.__name__ = fn.__name__
    return entry


def _r_null():
    null = _helpers.get("__NULL__")
    if null is None:
        capsule = _rinterface_capi.SexpCapsule(openrlib.rlib.R_NilValue)
        null = _helpers["__NULL__"] = ri.Sexp(capsule)
    return null


def _error_value(rclass: str, payload):
    """``list(payload, warnings)`` of class ``rclass``; R signals the Python
    warnings raised during the call, then returns or raises."""
    value = ri.ListSexpVector([payload, ri.StrSexpVector(_pending_warnings)])
    _pending_warnings.clear()
    value.do_slot_assign("class", ri.StrSexpVector([rclass]))
    return value


def _python_error(err: BaseException):
    detail = {
        "type": type(err).__name__,
        "message": str(err),
        "traceback": "".join(traceback.format_exception(type(err), err, err.__traceback__)),
    }
    return _error_value("tensorbridge_py_error", py_to_r(detail))


def _args(rargs, rkwargs):
    return [r_to_py(a) for a in rargs], {k: r_to_py(v) for k, v in rkwargs.items()}


@_guard
def call(target, *rargs, **rkwargs):
    args, kwargs = _args(rargs, rkwargs)
    return resolve(r_to_py(target))(*args, **kwargs)


@_guard
def call_method(obj, name, *rargs, **rkwargs):
    args, kwargs = _args(rargs, rkwargs)
    return getattr(r_to_py(obj), r_to_py(name))(*args, **kwargs)


@_guard
def get_attr(obj, name):
    return getattr(r_to_py(obj), r_to_py(name))


@_guard
def release(key):
    handles.release(int(r_to_py(key)))


# ---------------------------------------------------------------------------
# Console: while R hosts, Python's output goes to R's console.
# ---------------------------------------------------------------------------


class RConsole:
    """A text stream whose writes go to R's console (``cat``), so RStudio,
    knitr and ``capture.output()`` see what Python prints."""

    def __init__(self, stderr: bool):
        self._stderr = stderr

    def write(self, text: str) -> int:
        if text:
            _helpers["console_write"](
                ri.StrSexpVector([text]), ri.BoolSexpVector([self._stderr])
            )
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

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


def attach(r_hosts: bool) -> None:
    """Install the entry points into the R package's ``.tb_state``."""
    if r_hosts:
        _start_rpy2_inside_r()
    namespace = ri.baseenv["asNamespace"](ri.StrSexpVector([R_PACKAGE]))
    state = namespace.find(".tb_state")
    helpers = namespace.find(".tb_helpers")
    for name, fn in zip(helpers.names, helpers):
        _helpers[str(name)] = fn
    for fn in (call, call_method, get_attr, release):
        if fn.__name__ not in _entry_points:
            _entry_points[fn.__name__] = ri.rternalize(fn)
        state[fn.__name__] = _entry_points[fn.__name__]
    if r_hosts and not _state["attached"]:
        sys.stdout = RConsole(stderr=False)
        sys.stderr = RConsole(stderr=True)
        warnings.showwarning = _show_warning
    _state.update(r_hosts=r_hosts, attached=True)
