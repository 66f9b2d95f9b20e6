"""Small Python functions behind the R package's runtime helpers.

R calls them by name through :func:`tensorbridge.bridge.runtime.call`, e.g.
``bridge.api.config``.
"""

from __future__ import annotations

import platform
import sys

import numpy as np


def as_tensor(x, dtype=None):
    """An R array (already a numpy view of R's memory) as an engine tensor.

    Without ``dtype`` the data is wrapped as it is: no copy, no cast.
    """
    from tensorbridge import engine

    # A vector of length one arrives as a Python scalar; it keeps R's type
    # (an R integer is int32 whatever its length).
    kind = type(x)
    array = np.asarray(x, dtype=_SCALAR_DTYPES[kind]) if kind in _SCALAR_DTYPES else np.asarray(x)
    if dtype is None:
        return engine.convert_to_tensor(array)
    return engine.convert_to_tensor(array, dtype=dtype)


_SCALAR_DTYPES = {bool: np.bool_, int: np.int32, float: np.float64}


def to_array(x):
    """A tensor (or anything numpy understands) as a numpy array for R."""
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def shape(x) -> list[int]:
    return [int(d) for d in (x.shape if hasattr(x, "shape") else np.shape(x))]


def set_attr(obj, name: str, value) -> None:
    """``obj.name = value`` (R has no syntax for Python attribute assignment)."""
    setattr(obj, name, value)


def assign_attr(obj, name, value) -> None:
    """R's ``x$name <- value``: sets an attribute the object has; a new
    name is an error (a typo must not pass silently), as is a read-only
    attribute -- except on objects of layer classes written in R, which
    take new attributes (``self$units <- units`` in ``initialize``)."""
    what = type(obj).__name__
    # objects of classes written in R (bridge.rclasses) take new attributes,
    # as R6 and keras' own layers do
    new_ok = getattr(type(obj), "accepts_new_attributes", False) is True
    if not isinstance(name, str) or name.startswith("_") or not (new_ok or hasattr(obj, name)):
        raise AttributeError(
            f"a {what} has no attribute '{name}' to set (check the spelling: completion "
            "after `x$` lists its attributes)")
    try:
        setattr(obj, name, value)
    except AttributeError:
        raise AttributeError(f"the attribute '{name}' of a {what} cannot be set "
                             "(it is read-only)") from None


def element(x, *index):
    """One element of an array or tensor, by zero-based index (Python's view)."""
    return to_array(x)[tuple(int(i) for i in index)].item()


def describe(x) -> str:
    """The text ``print()`` shows in R for a handle."""
    return repr(x)


def buffer_address(x) -> float:
    """Address of the first element of an array's data (to prove zero-copy)."""
    array = x.numpy() if hasattr(x, "numpy") else np.asarray(x)
    return float(array.__array_interface__["data"][0])


def config() -> dict:
    """What ``tb_config()`` shows: interpreter, versions, devices, BLAS threads."""
    import rpy2

    info = {
        "python": sys.executable,
        "python_version": platform.python_version(),
        "numpy": np.__version__,
        "rpy2": rpy2.__version__,
        "cupy": None,
        "devices": ["cpu"],
        "blas_threads": None,
    }
    try:
        from tensorbridge import engine

        devices = getattr(engine, "list_devices", None)
        if devices is not None:
            info["devices"] = [str(d) for d in devices()]
    except ImportError:
        pass
    try:
        import importlib.metadata as md

        info["cupy"] = next(
            (md.version(d) for d in ("cupy", "cupy-cuda12x", "cupy-cuda11x") if _has_dist(md, d)),
            None,
        )
    except Exception:  # noqa: BLE001 - metadata is best effort
        pass
    try:
        from threadpoolctl import threadpool_info

        info["blas_threads"] = sum(p["num_threads"] for p in threadpool_info()
                                   if p.get("user_api") == "blas") or None
    except ImportError:
        pass
    return info


def _has_dist(md, name: str) -> bool:
    try:
        md.version(name)
        return True
    except md.PackageNotFoundError:
        return False
