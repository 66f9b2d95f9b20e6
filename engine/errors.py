"""Engine exception hierarchy (mirrors ``tf.errors``).

Every engine error derives from :class:`TensorBridgeError`; argument errors are
also ``ValueError`` (and ``IndexError`` / ``TypeError`` where Python code
expects those), so ordinary ``except ValueError`` keeps working.
"""


class TensorBridgeError(Exception):
    """Base class of every error raised by the engine."""


class InvalidArgumentError(TensorBridgeError, ValueError):
    """An op received an argument with a bad shape, value or axis."""


class OutOfRangeError(InvalidArgumentError, IndexError):
    """An index or axis lies outside the tensor."""


class InvalidDTypeError(InvalidArgumentError, TypeError):
    """An op received a tensor of a dtype it does not accept."""


class UnavailableError(TensorBridgeError, RuntimeError):
    """A requested device or backend is not available (e.g. no cupy / GPU)."""


class UnimplementedError(TensorBridgeError, NotImplementedError):
    """The op exists but the requested variant is not implemented."""


def shape_str(shape):
    """Format a shape the way error messages print it: ``(2, 3)``."""
    return str(tuple(int(d) for d in shape))
