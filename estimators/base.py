"""What every estimator here is: something to ``train``, ``evaluate`` and
``predict`` with input functions (the R package's methods dispatch on it)."""


class BaseEstimator:
    """The estimator interface: ``train(input_fn, steps=None,
    max_steps=None)``, ``evaluate(input_fn, steps=None)`` -> dict of metrics,
    ``predict(input_fn, predict_keys=None)`` -> dict of arrays, and a
    ``global_step``."""

    global_step = 0
