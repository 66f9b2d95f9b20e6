"""Turning user data (arrays, DataFrames, lists, dicts) into float32 arrays, with the
checks whose messages R users see: they speak of rows and columns and say what to do."""

import math

import numpy as np

FLOATX = np.float32


def _is_frame(x):
    return type(x).__name__ == "DataFrame" and hasattr(x, "dtypes")


def _is_series(x):
    return type(x).__name__ == "Series" and hasattr(x, "dtype")


def _frame_to_array(df, what):
    bad = []
    for col, dt in zip(df.columns, df.dtypes):
        kind = getattr(dt, "kind", "O")
        if kind not in "biuf":
            bad.append(f"{col!r} ({dt})")
    if bad:
        raise ValueError(
            f"{what} has non-numeric column(s) {', '.join(bad)}; every column must be numeric. "
            "Convert them to numbers (e.g. one-hot encode a factor or character column) or "
            "drop them before fitting.")
    return df.to_numpy(dtype=FLOATX)


def to_array(x, what, dtype=FLOATX):
    """One input (array-like) as a numeric numpy array with at least one dimension.

    A numeric numpy array is returned as it is (no copy: the R side hands a zero-copy
    view of R's memory); :func:`rows` casts each batch to float32 when it is used, so
    training and prediction need about one batch of extra memory, not a copy of the
    whole input.  Other inputs (data frames, lists) are converted once."""
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf" and x.ndim > 0 \
            and x.dtype != object:
        return x
    if _is_frame(x):
        a = _frame_to_array(x, what)
    elif _is_series(x):
        if x.dtype.kind not in "biuf":
            raise ValueError(f"{what} is not numeric ({x.dtype}); give numbers")
        a = x.to_numpy(dtype=FLOATX)
    else:
        if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
            x = x.numpy()
        _check_not_ragged(x, what)
        a = np.asarray(x)
        if a.dtype.kind not in "biuf":
            raise ValueError(
                f"{what} is not numeric (its type is {a.dtype}); give a numeric matrix or "
                "array (convert characters or factors to numbers first)")
    if a.ndim == 0:
        raise ValueError(f"{what} is a single number; give one row per sample")
    if a.dtype != dtype and a.dtype.kind not in "biuf":
        a = a.astype(dtype)
    return a


def rows(a, sel, dtype=FLOATX):
    """The rows ``sel`` (a slice or an index array) of ``a`` as a C-contiguous float32 array."""
    if a is None:
        return None
    b = a[sel]
    if b.dtype == dtype and b.flags.c_contiguous:
        return b
    # R's NA is a signalling NaN: casting it sets the "invalid" flag, which
    # is no news here (check_finite reports missing values by row).
    with np.errstate(invalid="ignore"):
        return np.ascontiguousarray(b, dtype=dtype)


_CHUNK = 1 << 20  # elements per block in the whole-input scans


def _check_not_ragged(x, what):
    """Sequences of different lengths (a list of word-index vectors, say)
    are not an array: say so, and how to make one."""
    if isinstance(x, np.ndarray):
        if x.dtype != object or x.ndim != 1:
            return
    elif not isinstance(x, (list, tuple)):
        return
    lengths = [len(v) if isinstance(v, (list, tuple, np.ndarray)) and np.ndim(v) > 0 else 1
               for v in x]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"{what} is a list of {len(lengths)} sequences of different lengths (from "
            f"{min(lengths)} to {max(lengths)}); a model needs one rectangular array. Pad or "
            "truncate the sequences to one length first with pad_sequences(), e.g. "
            "pad_sequences(x, maxlen = 100)")


def check_finite(a, what):
    """ValueError naming the rows with NaN/Inf; scans in blocks (no whole-size temporaries)."""
    if not a.size or a.dtype.kind not in "fc":
        return
    step = max(1, _CHUNK // max(1, a.size // len(a)))
    bad_rows, has_nan = [], False
    for s in range(0, len(a), step):
        blk = a[s:s + step]
        if np.isfinite(blk).all():
            continue
        fin = np.isfinite(blk.reshape(len(blk), -1)).all(axis=1)
        bad_rows.append(np.flatnonzero(~fin) + s)
        has_nan = has_nan or bool(np.isnan(blk).any())
    if bad_rows:
        bad = np.concatenate(bad_rows)
        kind = "missing values (NA/NaN)" if has_nan else "infinite values"
        raise ValueError(
            f"{what} has {kind} in {bad.size} row(s) (the first is row {bad[0] + 1}, "
            "counting from 1); remove or impute those rows before fitting")


def inputs_to_arrays(x, names, what="x"):
    """``x`` as a list of arrays aligned with the model inputs ``names``."""
    if x is None:
        raise ValueError(f"{what} is missing; give the input data")
    n = len(names)
    if isinstance(x, dict):
        missing = [k for k in names if k not in x]
        if missing:
            raise ValueError(f"{what} is a dict without entries for the model input(s) "
                             f"{missing}; its keys are {sorted(x)}")
        items = [(f"{what}[{k!r}]", x[k]) for k in names]
    elif isinstance(x, (list, tuple)) and n > 1:
        if len(x) != n:
            raise ValueError(f"the model has {n} inputs ({', '.join(names)}) but {what} is a "
                             f"list of {len(x)}; give one array per input")
        items = [(f"{what}[{i}]", v) for i, v in enumerate(x)]
    else:
        if isinstance(x, (list, tuple)) and len(x) == 1 and hasattr(x[0], "shape"):
            x = x[0]
        items = [(what, x)]
        if n > 1:
            raise ValueError(f"the model has {n} inputs ({', '.join(names)}) but {what} is a "
                             "single array; give a list (or a dict by input name) of arrays")
    return [to_array(v, w) for w, v in items]


def targets_to_arrays(y, names, what="y"):
    if y is None:
        return None
    n = len(names)
    if isinstance(y, dict):
        missing = [k for k in names if k not in y]
        if missing:
            raise ValueError(f"{what} is a dict without entries for the model output(s) "
                             f"{missing}; its keys are {sorted(y)}")
        return [to_array(y[k], f"{what}[{k!r}]") for k in names]
    if isinstance(y, (list, tuple)) and n > 1:
        if len(y) != n:
            raise ValueError(f"the model has {n} outputs ({', '.join(names)}) but {what} is a "
                             f"list of {len(y)}; give one array per output")
        return [to_array(v, f"{what}[{i}]") for i, v in enumerate(y)]
    if n > 1:
        raise ValueError(f"the model has {n} outputs ({', '.join(names)}) but {what} is a "
                         "single array; give a list (or a dict by output name) of arrays")
    return [to_array(y, what)]


def weights_to_arrays(sw, n_outputs, names):
    if sw is None:
        return [None] * n_outputs
    if isinstance(sw, dict):
        return [None if sw.get(k) is None else to_array(sw[k], "sample_weight") for k in names]
    if isinstance(sw, (list, tuple)) and n_outputs > 1:
        return [None if v is None else to_array(v, "sample_weight") for v in sw]
    a = to_array(sw, "sample_weight")
    if a.ndim != 1 and not (a.ndim == 2 and a.shape[1] == 1):
        raise ValueError(f"sample_weight has shape {a.shape}; give one weight per row (a "
                         "vector)")
    return [a.reshape(-1)] * n_outputs


def check_rows(arrays, labels):
    """All arrays must have the same number of rows."""
    rows = [(lab, len(a)) for lab, a in zip(labels, arrays) if a is not None]
    if not rows:
        return 0
    first = rows[0]
    for lab, r in rows[1:]:
        if r != first[1]:
            raise ValueError(
                f"{first[0]} has {first[1]} rows but {lab} has {r} rows; they must have the "
                "same number of rows (one row per sample)")
    return first[1]


def check_input_shape(a, expected, what, input_name):
    """``a`` (rows, ...) against the model input shape ``expected`` (None, ...)."""
    got = a.shape[1:]
    exp = tuple(expected[1:])
    ok = len(got) == len(exp) and all(e is None or e == g for g, e in zip(got, exp))
    if ok:
        return
    if len(exp) == 1 and len(got) == 1:
        raise ValueError(
            f"{what} has {got[0]} columns but the model input {input_name!r} expects {exp[0]} "
            f"(input shape {_shape(expected)}); give {what} {exp[0]} columns, in the order used "
            "to build the model")
    raise ValueError(
        f"{what} has shape {_shape((None,) + got)} (rows first) but the model input "
        f"{input_name!r} expects {_shape(expected)}; reshape {what} so each row has shape "
        f"{_shape(exp)}")


def _shape(s):
    return "(" + ", ".join("None" if d is None else str(d) for d in s) + \
        ("," if len(s) == 1 else "") + ")"


def check_batch_size(batch_size, none_ok=False):
    if batch_size is None:
        return None if none_ok else 32
    ok = isinstance(batch_size, (int, float, np.integer, np.floating)) and \
        not isinstance(batch_size, bool) and math.isfinite(batch_size)
    if not ok or not float(batch_size).is_integer() or batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number (e.g. 32), got "
                         f"{batch_size!r}")
    return int(batch_size)


def check_validation_split(v):
    ok = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
    v = float(v) if ok else math.nan
    if not 0.0 <= v < 1.0 or math.isnan(v):
        raise ValueError(f"validation_split must be a fraction in [0, 1), e.g. 0.2 to hold out "
                         f"the last 20% of the rows, got {v}")
    return v


def class_weight_to_sample_weight(y, class_weight):
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = y.argmax(axis=-1)
    else:
        classes = np.rint(y.reshape(len(y))).astype(np.int64)
    cw = {int(k): float(v) for k, v in class_weight.items()}
    missing = set(np.unique(classes).tolist()) - set(cw)
    if missing:
        raise ValueError(f"class_weight has no weight for class(es) {sorted(missing)} found in "
                         "y; give a weight for every class")
    lut = np.zeros(max(max(cw), int(classes.max(initial=0))) + 1, FLOATX)
    for k, v in cw.items():
        if k >= 0:
            lut[k] = v
    return lut[classes]
