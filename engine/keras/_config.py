"""Settings every part of the keras layer reads at call time (keras'
``keras.backend`` config): the fuzz factor ``epsilon``.  A module of its own so
that losses and metrics read it without importing the backend functions."""

import math

_EPSILON = [1e-7]


def epsilon() -> float:
    """The fuzz factor (1e-7 unless ``set_epsilon()`` changed it)."""
    return _EPSILON[0]


def set_epsilon(value) -> None:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"set_epsilon: {value}; expected a positive finite number")
    _EPSILON[0] = value
