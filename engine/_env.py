"""Environment variables as the process has them now.

``os.environ`` is a copy taken when Python starts. When R hosts Python, R's
``Sys.setenv()`` changes the process environment after that, and ``os.environ`` never sees
it; :func:`getenv` reads the process environment itself (where the C library offers it), so
a setting made in R before a call reaches that call.
"""

import ctypes
import os

try:
    _libc = ctypes.CDLL(None)
    _libc.getenv.restype = ctypes.c_char_p
    _libc.getenv.argtypes = [ctypes.c_char_p]
except (OSError, AttributeError, TypeError):  # pragma: no cover - no C library to ask
    _libc = None


def getenv(name, default=None):
    """The current value of the environment variable ``name``, or ``default`` if unset."""
    if _libc is None:  # pragma: no cover
        return os.environ.get(name, default)
    value = _libc.getenv(os.fsencode(name))
    return default if value is None else os.fsdecode(value)
