"""Shared fixture of the engine tests: the device parametrization (the
finite-difference gradient checker is in gradcheck.py)."""

import pytest
import tensorbridge.engine as tf


def _cuda_reason():
    try:
        import cupy  # noqa: F401
    except Exception as exc:  # ImportError or a broken CUDA install
        return f"cupy is not importable ({type(exc).__name__}: {exc})"
    if not tf.cuda_is_available():
        return "cupy imports but no GPU is present"
    return None


_CUDA_SKIP = _cuda_reason()

DEVICES = [
    "cpu",
    pytest.param("cuda", marks=pytest.mark.skipif(_CUDA_SKIP is not None,
                                                  reason=f"cuda: {_CUDA_SKIP}")),
]


@pytest.fixture(params=DEVICES)
def dev(request):
    """Run the test on each available device, with new tensors created there."""
    with tf.device(request.param) as d:
        yield d.name
