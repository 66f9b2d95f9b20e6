"""Backends: the small set of primitive kernels the engine runs on.

A backend exposes ``xp`` — a numpy-compatible array namespace used for the
elementwise, reduction and matmul kernels (numpy on the CPU, cupy on CUDA) —
plus the handful of primitives whose spelling differs between the two:
host transfer, scatter-add, erf, windowed views for conv/pool (im2col /
col2im) and random streams.  ``cpu`` is always available; ``cuda`` imports
cupy lazily, on first use.
"""

from . import cpu

_CUDA = None


def get_cuda():
    """Return the cuda backend module, importing cupy on first call."""
    global _CUDA
    if _CUDA is None:
        from . import cuda

        cuda.load()  # raises UnavailableError without cupy / a GPU
        _CUDA = cuda
    return _CUDA


def cuda_available():
    try:
        get_cuda()
    except Exception:
        return False
    return True


__all__ = ["cpu", "get_cuda", "cuda_available"]
