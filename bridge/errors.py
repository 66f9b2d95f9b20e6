"""Python exceptions as R error messages: the one table that decides.

Every exception that reaches R is shown by :func:`describe`:

* exceptions of known kinds with a known foreign message (numpy's
  ``could not convert string to float``) get a message in R's words, from
  the table :data:`_EXTERNAL`;
* errors that tensorbridge raises on purpose keep the contract's
  ``"<ExceptionType>: <message>"``: the engine's ``TensorBridgeError``
  hierarchy, the bridge's ``ConversionError``, ``ValueError`` and
  ``TypeError`` raised in tensorbridge's own code, and any exception a
  ``raise`` statement of tensorbridge's own code raises;
* anything else is an internal error: the message says so, names the
  operation and keeps the original text; ``tb_last_error()`` shows the
  traceback.

Whatever the rule, Python's own spellings of values and types (``np.str_('a')``,
``ENVSXP``) are rewritten in R's (``"a"``, ``an environment``).
"""

from __future__ import annotations

import linecache
import os
import re
import traceback

from .convert import R_TYPE_NAMES, ConversionError


def _package_dirs() -> tuple[str, ...]:
    import tensorbridge.bridge
    import tensorbridge.engine
    import tensorbridge.estimators

    return tuple(os.path.dirname(os.path.abspath(m.__file__)) + os.sep
                 for m in (tensorbridge.engine, tensorbridge.bridge, tensorbridge.estimators))


_dirs: list[tuple[str, ...]] = []


def _ours(filename: str) -> bool:
    if not _dirs:
        _dirs.append(_package_dirs())
    return os.path.abspath(filename).startswith(_dirs[0])


def _innermost(err: BaseException):
    tb = err.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def _deliberate(err: BaseException) -> bool:
    """Raised on purpose by tensorbridge's own code."""
    try:
        from tensorbridge.engine.errors import TensorBridgeError
    except ImportError:  # pragma: no cover - the engine is part of the package
        TensorBridgeError = ()  # noqa: N806
    if isinstance(err, (TensorBridgeError, ConversionError)):
        return True
    tb = _innermost(err)
    if tb is None or not _ours(tb.tb_frame.f_code.co_filename):
        return False
    if type(err) in (ValueError, TypeError):
        return True
    line = linecache.getline(tb.tb_frame.f_code.co_filename, tb.tb_lineno).strip()
    return line.startswith("raise ")


# ---------------------------------------------------------------------------
# Python's spellings -> R's
# ---------------------------------------------------------------------------

_NUMPY_SCALAR = re.compile(r"np\.(?:str_|bytes_)\((['\"])(.*?)\1\)")
_NUMPY_NUMBER = re.compile(r"np\.(?:float|int|uint|complex)\d*\(([^()]*)\)")
_NUMPY_BOOL = re.compile(r"np\.(?:bool_|True_|False_)\(?(True|False)\)?")
_SXP = re.compile(r"'?\b([A-Z]+SXP)\b'?")


def r_terms(text: str) -> str:
    """``np.str_('a')`` -> ``"a"``, ``np.float64(1.5)`` -> ``1.5``,
    ``'ENVSXP'`` -> ``an environment``."""
    text = _NUMPY_SCALAR.sub(lambda m: '"' + m.group(2) + '"', text)
    text = _NUMPY_NUMBER.sub(lambda m: m.group(1), text)
    text = _NUMPY_BOOL.sub(lambda m: "TRUE" if m.group(1) == "True" else "FALSE", text)
    text = _SXP.sub(lambda m: R_TYPE_NAMES.get(m.group(1), "an R object"), text)
    return text.replace("numpy.", "").replace("np.", "")


# ---------------------------------------------------------------------------
# Known kinds of foreign exceptions: (type, pattern) -> message in R's words
# ---------------------------------------------------------------------------

_EXTERNAL: list[tuple[type, re.Pattern, str]] = [
    (ValueError, re.compile(r"could not convert string to float: (.*)"),
     "the character value {0} is not a number; give numbers (as.numeric() converts "
     "text that holds numbers)"),
    (ValueError, re.compile(r"invalid literal for int\(\) with base 10: (.*)"),
     "the character value {0} is not a whole number"),
    (TypeError, re.compile(r"cannot convert an R object of type (.*?) to Python"),
     "{0} cannot be passed to Python"),
    (OverflowError, re.compile(r"(.*)"),
     "a number is too large for the type it must become ({0})"),
    (MemoryError, re.compile(r"(.*)"),
     "not enough memory ({0}); use smaller batches or inputs"),
    (ZeroDivisionError, re.compile(r"(.*)"), "division by zero ({0})"),
]


def _double_quoted(text: str) -> str:
    """``'a'`` (Python's repr of a string) -> ``"a"`` (R's)."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return '"' + text[1:-1] + '"'
    return text


def describe(err: BaseException, operation: str | None) -> dict:
    """What R shows for ``err``: ``type`` (the Python class name, for the
    condition class), ``message`` (Python's text), ``display`` (the R error
    message) and ``traceback``."""
    kind = type(err).__name__
    message = str(err)
    if isinstance(err, KeyError) and len(err.args) == 1:
        message = repr(err.args[0])
    where = f" in {operation}" if operation else ""
    display = None
    for klass, pattern, template in _EXTERNAL:  # known foreign messages first
        found = pattern.fullmatch(message) if isinstance(err, klass) else None
        if found:
            values = (_double_quoted(g) for g in found.groups())
            display = f"{kind}: " + r_terms(template.format(*values))
            break
    if display is None and _deliberate(err):
        display = f"{kind}: {r_terms(message)}"
    if display is None:
        display = (f"internal error of tensorbridge{where} ({kind}: {r_terms(message)}); "
                   "tb_last_error() shows the Python traceback")
    return {
        "type": kind,
        "message": message,
        "display": display,
        "traceback": "".join(traceback.format_exception(type(err), err, err.__traceback__)),
    }
