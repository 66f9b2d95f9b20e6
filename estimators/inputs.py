"""Input functions: where an estimator's batches come from.

An input function is a callable that returns an iterator of
``(features, labels)`` batches, ``features`` a dict of arrays keyed by
feature name (as ``tf.estimator`` input functions return). Those made here
also take the estimator's mode, so that "auto" shuffling and endless
training input do the right thing in evaluation and prediction.
"""

from __future__ import annotations

import numpy as np

ROW_NUMBERS = "__row_numbers__"  # a batch's rows in the input data, counted from 1


def _columns(x) -> dict:
    """A dict of 1-d (or row-major n-d) numpy arrays from a dict or a DataFrame."""
    if hasattr(x, "columns") and hasattr(x, "dtypes"):  # a pandas DataFrame
        out = {}
        for name in x.columns:
            column = x[name]
            if str(column.dtype) == "category":
                out[str(name)] = np.array([None if v != v else str(v) for v in column],
                                          dtype=object)
            else:
                out[str(name)] = column.to_numpy()
        return out
    if isinstance(x, dict):
        # a scalar is one row (R hands a length-one vector over as a scalar)
        return {str(k): np.atleast_1d(np.asarray(v)) for k, v in x.items()}
    raise TypeError("the features must be a dict of arrays or a data frame, got "
                    f"{type(x).__name__}")


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=True, seed=None):
    """An input function over in-memory data: ``x`` a dict of arrays (or a data
    frame), ``y`` the labels (or None, for prediction). ``num_epochs=None``
    repeats forever when training (train with ``steps``); evaluation and
    prediction read it once. ``shuffle="auto"`` shuffles for training only.

    The estimator calls the input function with its mode (``"train"``,
    ``"eval"`` or ``"infer"``)."""
    features = _columns(x)
    if not features:
        raise ValueError("the input has no feature columns")
    rows = {k: len(v) for k, v in features.items()}
    n = next(iter(rows.values()))
    if any(r != n for r in rows.values()):
        raise ValueError(f"the features have different numbers of rows: {rows}")
    labels = None if y is None else np.atleast_1d(np.asarray(y))
    if labels is not None and len(labels) != n:
        raise ValueError(f"the features have {n} rows but the response has {len(labels)}")
    batch_size = int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size}")
    if num_epochs is not None and int(num_epochs) < 1:
        raise ValueError(f"epochs must be a positive whole number or NULL, got {num_epochs}")

    if shuffle not in (True, False, "auto"):
        raise ValueError(f"shuffle must be TRUE, FALSE or \"auto\", got {shuffle!r}")

    def input_fn(mode="train"):
        rng = np.random.default_rng(seed)
        training = mode == "train"
        epochs = num_epochs if (training or num_epochs is not None) else 1
        mix = training if shuffle == "auto" else shuffle
        epoch = 0
        while epochs is None or epoch < int(epochs):
            order = rng.permutation(n) if mix else np.arange(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                batch = {k: v[idx] for k, v in features.items()}
                batch[ROW_NUMBERS] = idx + 1  # for error messages about the user's rows
                yield batch, None if labels is None else labels[idx]
            epoch += 1

    input_fn.num_rows = n
    input_fn.takes_mode = True
    return input_fn


pandas_input_fn = numpy_input_fn
