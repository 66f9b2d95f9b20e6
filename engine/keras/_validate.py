"""Hyper-parameter checks shared by layers, optimizers, ``fit()`` and the estimators.

Each check returns the value normalised (an ``int``, a ``float``, a ``bool``, a
shape tuple) or raises ``ValueError`` with one message form:
``"Dense: units must be a positive integer, got 2.5"`` — who, which argument,
what is expected, what was given.  Bad values fail when the object is made,
not many calls later.
"""

import math
import numbers

import numpy as np


def show(value):
    """A value as the message prints it (numpy scalars as plain numbers)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)) and len(value) > 8:
        return f"{type(value).__name__} of length {len(value)}"
    if isinstance(value, (int, float, bool, type(None), list, tuple, dict)):
        return repr(value)
    return f"a {type(value).__name__}"


def _fail(owner, name, expected, value):
    raise ValueError(f"{owner}: {name} must be {expected}, got {show(value)}")


def _as_int(value):
    """``value`` as an int if it is a whole number (Python/numpy int or integral float)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isfinite(v) and v == int(v):
            return int(v)
    return None


def integer(owner, name, value, minimum=None, none_ok=False):
    """A whole number >= ``minimum`` (a float like 3.0 is accepted: R numbers are doubles)."""
    if value is None and none_ok:
        return None
    v = _as_int(value)
    if minimum == 1:
        expected = "a positive integer"
    elif minimum == 0:
        expected = "a non-negative integer"
    elif minimum is not None:
        expected = f"an integer >= {minimum}"
    else:
        expected = "an integer"
    if none_ok:
        expected += " or None"
    if v is None or (minimum is not None and v < minimum):
        _fail(owner, name, expected, value)
    return v


def positive_int(owner, name, value, none_ok=False):
    return integer(owner, name, value, 1, none_ok)


def non_negative_int(owner, name, value, none_ok=False):
    return integer(owner, name, value, 0, none_ok)


def number(owner, name, value, low=None, high=None, low_open=False, high_open=False,
           none_ok=False, expected=None):
    """A finite real number in the interval given by ``low``/``high`` (open ends optional)."""
    if value is None and none_ok:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    v = float(value) if ok else math.nan
    if ok and not math.isfinite(v):
        ok = False
    if ok and low is not None and (v < low or (low_open and v == low)):
        ok = False
    if ok and high is not None and (v > high or (high_open and v == high)):
        ok = False
    if not ok:
        if expected is None:
            if low is not None and high is not None:
                expected = (f"a number in {'(' if low_open else '['}{low:g}, {high:g}"
                            f"{')' if high_open else ']'}")
            elif low == 0 and not low_open:
                expected = "a non-negative number"
            elif low == 0:
                expected = "a positive number"
            elif low is not None:
                expected = f"a number {'>' if low_open else '>='} {low:g}"
            else:
                expected = "a finite number"
            if none_ok:
                expected += " or None"
        _fail(owner, name, expected, value)
    return v


def rate(owner, name, value):
    """A fraction in [0, 1) (dropout rates, validation_split)."""
    return number(owner, name, value, 0.0, 1.0, high_open=True)


def unit_interval_open(owner, name, value):
    """A decay factor in [0, 1) (rho, beta_1, beta_2)."""
    return number(owner, name, value, 0.0, 1.0, high_open=True)


def non_negative(owner, name, value, none_ok=False):
    return number(owner, name, value, 0.0, none_ok=none_ok)


def positive(owner, name, value, none_ok=False):
    return number(owner, name, value, 0.0, low_open=True, none_ok=none_ok)


def boolean(owner, name, value):
    """``True`` or ``False`` (numpy bools too); 0/1 or strings are refused."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    _fail(owner, name, "a boolean (True or False)", value)


def one_of(owner, name, value, options):
    if not isinstance(value, (int, str)) or isinstance(value, bool) or value not in options:
        _fail(owner, name, "one of " + ", ".join(map(repr, options)), value)
    return value


def shape(owner, name, value, none_ok=True, allow_unknown=True):
    """A shape: a positive int or a sequence of positive ints (None for an unknown size)."""
    if value is None and none_ok:
        return None
    expected = ("a positive integer or a sequence of positive integers"
                + (" (None for a size not known in advance)" if allow_unknown else ""))
    if isinstance(value, (str, bytes, dict)) or isinstance(value, (bool, np.bool_)):
        _fail(owner, name, expected, value)
    if _as_int(value) is not None:
        items = [value]
    else:
        try:
            items = list(value)
        except TypeError:
            _fail(owner, name, expected, value)
    out = []
    for d in items:
        if d is None and allow_unknown:
            out.append(None)
            continue
        v = _as_int(d)
        if v is None or v < 1:
            _fail(owner, name, expected, value)
        out.append(v)
    return tuple(out)


def activation(owner, value, name="activation"):
    """``None``, a callable or an activation name, resolved with ``activations.get``."""
    from . import activations

    if value is None or callable(value):
        return activations.get(value)
    if not isinstance(value, (str, dict)):
        _fail(owner, name, "an activation name (e.g. 'relu'), a function or None", value)
    try:
        return activations.get(value)
    except ValueError as exc:
        raise ValueError(f"{owner}: {exc}") from None


def verbose(owner, value):
    """keras' ``verbose``: "auto" (= 1), 0 (silent), 1 (progress bar) or 2 (one line per epoch)."""
    if value == "auto" and isinstance(value, str):
        return 1
    v = _as_int(value)
    if v not in (0, 1, 2):
        _fail(owner, "verbose", "0 (silent), 1 (progress bar), 2 (one line per epoch) or 'auto'",
              value)
    return v


def steps(owner, name, value):
    """A number of steps: a positive integer or None (all the data)."""
    return positive_int(owner, name, value, none_ok=True)
