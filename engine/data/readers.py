"""File readers: text lines, CSV files (``make_csv_dataset``), Parquet files.

``TextLineDataset(filenames)`` streams one line at a time.
``make_csv_dataset(...)`` follows ``tf.data.experimental.make_csv_dataset``:
batches of ``(features, label)`` (or of features alone) with the column types
inferred from the first rows; the files are streamed once, row by row, into typed
columns (a chunk of rows at a time, so memory holds the typed data, not text), which are
then shuffled and batched by the vectorized index pipeline. ``decode_csv`` and
``delimited_dataset`` read delimited records line by line (tfdatasets' record specs).
``parquet_dataset(filenames, columns, batch_size)`` streams record batches with
pyarrow one row group at a time, so files larger than memory can be read.
"""

from __future__ import annotations

import bz2
import csv
import glob
import gzip
import io
import os
import zlib

import numpy as np

from ..errors import InvalidArgumentError
from .dataset import Dataset, TensorSpec, _positive

_COMPRESSION = {None: None, "": None, "GZIP": "gzip", "ZLIB": "zlib", "BZ2": "bz2"}


def _filenames(filenames, what):
    if isinstance(filenames, (str, os.PathLike)):
        filenames = [filenames]
    if isinstance(filenames, np.ndarray):
        filenames = filenames.reshape(-1).tolist()
    names = [os.fspath(f) for f in filenames]
    if not names:
        raise InvalidArgumentError(f"{what}: no file names given")
    return names


def _compression(value, what):
    key = value.upper() if isinstance(value, str) else value
    if key not in _COMPRESSION:
        raise InvalidArgumentError(
            f"{what}: compression_type must be \"\", \"GZIP\", \"ZLIB\" or \"BZ2\", "
            f"not {value!r}")
    return _COMPRESSION[key]


def _open_binary(path, compression):
    if not os.path.exists(path):
        raise InvalidArgumentError(f"the file {path} does not exist")
    if compression == "gzip":
        return gzip.open(path, "rb")
    if compression == "bz2":
        return bz2.open(path, "rb")
    if compression == "zlib":
        with open(path, "rb") as f:
            return io.BytesIO(zlib.decompress(f.read()))
    return open(path, "rb")


# -- text lines ------------------------------------------------------------------------------
class _TextLines(Dataset):
    def __init__(self, filenames, compression, skip=0):
        self._files = filenames
        self._compression = compression
        self._skip = skip  # lines skipped at the start of each file (a header)

    def _iterator(self):
        for path in self._files:
            with _open_binary(path, self._compression) as f:
                for k, raw in enumerate(f):
                    if k < self._skip:
                        continue
                    line = raw.decode("utf-8")
                    if line.endswith("\n"):
                        line = line[:-1]
                        if line.endswith("\r"):
                            line = line[:-1]
                    yield np.asarray(line)


def _text_lines(filenames, compression_type, what, skip=0):
    names = _filenames(filenames, what)
    comp = _compression(compression_type, what)
    for path in names:
        if not os.path.exists(path):
            raise InvalidArgumentError(f"{what}: the file {path} does not exist")
    return _TextLines(names, comp, skip)


def TextLineDataset(filenames, compression_type=None, buffer_size=None,
                    num_parallel_reads=None, name=None):
    """The lines of ``filenames`` (without their line endings), one string per element."""
    return _text_lines(filenames, compression_type, "TextLineDataset")


# -- CSV ----------------------------------------------------------------------------------------
def _default_dtype(default):
    """``(dtype, value)`` of a ``decode_csv`` column default (or ``[default]``): a Python
    int gives int32, a float float32, a string a string column (TensorFlow's rule); a numpy
    value or a tensor keeps its own type."""
    if isinstance(default, (list, tuple)):
        if len(default) != 1:
            raise InvalidArgumentError(
                "decode_csv: a column default is one value (or a list of one value); a "
                "required column still needs a value to give its type")
        default = default[0]
    if isinstance(default, (bool, np.bool_)):
        raise InvalidArgumentError("decode_csv: a column default cannot be a boolean")
    if isinstance(default, (int, float)) and not isinstance(default, np.generic):
        return (np.dtype(np.int32), default) if isinstance(default, int) else \
            (np.dtype(np.float32), default)
    if isinstance(default, (str, bytes)):
        return np.dtype(str), default if isinstance(default, str) else default.decode()
    a = np.asarray(default.numpy() if hasattr(default, "numpy") else default)
    if a.size != 1 or a.dtype.kind not in "iufUS":
        raise InvalidArgumentError(
            f"decode_csv: column defaults must be numbers or strings, not {default!r}")
    a = a.reshape(())
    if a.dtype.kind in "US":
        return np.dtype(str), str(a.item() if a.dtype.kind == "U" else a.item().decode())
    return a.dtype, a.item()


def _parse_field(text, dtype, default, na_value, column):
    if text == na_value or text == "":
        return default
    try:
        if dtype.kind in "iu":
            return int(text)
        if dtype.kind == "f":
            return float(text)
    except ValueError:
        raise InvalidArgumentError(
            f"decode_csv: field {column}: {text!r} is not a number ({dtype.name})") from None
    return text


def _check_delim(delim, what, arg="field_delim"):
    if len(delim) != 1:
        raise InvalidArgumentError(f"{what}: {arg} must be one character, not {delim!r}")


def _decode_records(records, specs, field_delim, use_quote_delim, na_value, select_cols):
    """The typed columns of the delimited strings ``records`` (``specs``: (dtype, default)
    per column, from :func:`_default_dtype`)."""
    recs = np.asarray(records.numpy() if hasattr(records, "numpy") else records)
    if recs.dtype.kind == "S":
        recs = np.char.decode(recs, "utf-8")
    if recs.dtype.kind != "U":
        raise InvalidArgumentError(
            f"decode_csv: records must be strings, not {recs.dtype.name}")
    cols = list(range(len(specs))) if select_cols is None else [int(c) for c in select_cols]
    n_fields = len(specs) if select_cols is None else max(cols) + 1
    out = [[] for _ in specs]
    reader_opts = {"delimiter": field_delim,
                   "quoting": csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE}
    for rec in recs.reshape(-1):
        fields = next(csv.reader([rec], **reader_opts), [])
        if select_cols is None and len(fields) != n_fields or len(fields) < n_fields:
            raise InvalidArgumentError(
                f"decode_csv: expected {n_fields} fields but the record has {len(fields)}: "
                f"{rec[:80]!r}")
        for k, (c, (dtype, default)) in enumerate(zip(cols, specs)):
            out[k].append(_parse_field(fields[c], dtype, default, na_value, c))
    return [np.asarray(v, dtype=dtype).reshape(recs.shape)
            for v, (dtype, _) in zip(out, specs)]


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None):
    """TensorFlow's ``tf.io.decode_csv``: each string of ``records`` split into its fields,
    one array per column (shaped as ``records``), typed by ``record_defaults`` (one value,
    or a list of one value, per column); an empty field or ``na_value`` takes the
    default."""
    _check_delim(field_delim, "decode_csv")
    specs = [_default_dtype(d) for d in record_defaults]
    return _decode_records(records, specs, field_delim, use_quote_delim, na_value,
                           select_cols)


def _typed(default, dtype):
    value = default[0] if isinstance(default, (list, tuple)) and len(default) == 1 \
        else default
    dt = np.dtype(str) if dtype in ("string", "str") else np.dtype(dtype)
    try:
        return np.str_(value) if dt.kind == "U" else dt.type(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"the default {value!r} is not a value of the column's type {dtype}") from None


def decode_delim(dataset, names, defaults, delim=",", dtypes=None, num_parallel_calls=None):
    """Each element of ``dataset`` (a line of text) decoded as a delimited record: a dict of
    its named fields, typed by ``defaults`` (as :func:`decode_csv`) or by ``dtypes``
    (e.g. "int32", "float32", "string") when given."""
    names = [str(n) for n in names]
    defaults = list(defaults)
    if len(names) != len(defaults):
        raise InvalidArgumentError(
            f"the record specification has {len(names)} names but {len(defaults)} defaults")
    if dtypes is not None:
        if len(dtypes) != len(defaults):
            raise InvalidArgumentError(
                f"the record specification has {len(dtypes)} types but {len(defaults)} "
                "defaults")
        defaults = [_typed(d, t) for d, t in zip(defaults, dtypes)]
    specs = [_default_dtype(d) for d in defaults]  # once, not per line
    _check_delim(delim, "decode_delim", "delim")

    def decode(line):
        return dict(zip(names, _decode_records(line, specs, delim, True, "", None)))

    out = dataset.map(decode, num_parallel_calls=num_parallel_calls)
    out._spec_cache = {n: TensorSpec((), t) for n, (t, _) in zip(names, specs)}
    return out


def delimited_dataset(filenames, names, defaults, delim=",", skip=0, compression_type=None,
                      dtypes=None, num_parallel_calls=None):
    """The records of delimited text files as a dataset of named scalars (tfdatasets'
    ``text_line_dataset(record_spec =)``): ``skip`` lines skipped at the start of each
    file, blank lines skipped, the rest decoded by :func:`decode_delim`."""
    lines = _text_lines(filenames, compression_type, "text_line_dataset",
                        _positive("skip", skip) if skip else 0)
    lines = lines.filter(lambda line: np.asarray(str(line) != ""))
    return decode_delim(lines, names, defaults, delim, dtypes, num_parallel_calls)


def _infer_kind(values):
    """TF's inference over the first rows: int32, then float32, else string."""
    kind = "int"
    for v in values:
        if v == "" or v is None:
            continue
        if kind == "int":
            try:
                i = int(v)
                if not -(2**31) <= i < 2**31:
                    kind = "int64"
                continue
            except ValueError:
                kind = "float"
        if kind == "int64":
            try:
                int(v)
                continue
            except ValueError:
                kind = "float"
        if kind == "float":
            try:
                float(v)
                continue
            except ValueError:
                return "str"
    return kind


_KIND_DTYPE = {"int": np.int32, "int64": np.int64, "float": np.float32, "str": np.str_}


def _default_kind(default):
    if isinstance(default, (bool, np.bool_)):
        raise InvalidArgumentError("make_csv_dataset: a column default cannot be a boolean")
    if isinstance(default, (int, np.integer)):
        return "int"
    if isinstance(default, (float, np.floating)):
        return "float"
    if isinstance(default, str):
        return "str"
    if isinstance(default, np.ndarray) and default.size == 0:
        return None
    if isinstance(default, (list, tuple)) and len(default) == 0:
        return None
    raise InvalidArgumentError(
        f"make_csv_dataset: column defaults must be numbers or strings, not {default!r}")


def _csv_names(paths, header, column_names, delim, quote, compression):
    """The column names: ``column_names``, else the first file's header."""
    if column_names is not None:
        return list(column_names)
    if not header:
        raise InvalidArgumentError(
            "make_csv_dataset: column_names is required when the files have no header")
    for _, row in _csv_rows(paths[:1], header, None, delim, quote, compression,
                            header_only=True):
        return [c.strip() for c in row]
    raise InvalidArgumentError(f"make_csv_dataset: {paths[0]} is empty: no header to read "
                               "the column names from")


def _csv_rows(paths, header, names, delim, quote, compression, header_only=False):
    """``(path, row)`` for each non-empty row of ``paths``, streamed (a header line is
    checked against ``names`` and skipped); with ``header_only``, the first header."""
    for path in paths:
        with _open_binary(path, compression) as fb:
            text = io.TextIOWrapper(fb, encoding="utf-8", newline="")
            reader = csv.reader(text, delimiter=delim,
                                quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
            first = True
            for row in reader:
                if first and header:
                    first = False
                    if header_only:
                        yield path, row
                        return
                    if names is not None and len(row) != len(names):
                        raise InvalidArgumentError(
                            f"make_csv_dataset: {path} has {len(row)} columns, "
                            f"column_names gives {len(names)}")
                    continue
                first = False
                if row:
                    yield path, row


_CSV_CHUNK = 65536  # rows converted to typed columns at a time


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",",
                     use_quote_delim=True, na_value="", header=True, num_epochs=None,
                     shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False,
                     num_rows_for_inference=100, compression_type=None, ignore_errors=False,
                     encoding="utf-8"):
    """Batches of ``(features, label)`` read from CSV files, as TF's function."""
    batch_size = _positive("batch_size", batch_size)
    patterns = _filenames(file_pattern, "make_csv_dataset")
    paths = []
    for p in patterns:
        hits = sorted(glob.glob(p))
        if not hits:
            raise InvalidArgumentError(f"make_csv_dataset: no files match {p}")
        paths += hits
    _check_delim(field_delim, "make_csv_dataset")
    comp = _compression(compression_type, "make_csv_dataset")
    names = _csv_names(paths, header, column_names, field_delim, use_quote_delim, comp)
    n_cols = len(names)

    def rows():
        """The well-formed rows (a malformed one is an error, or skipped with
        ignore_errors, as in TF), streamed: the files are never held as text rows."""
        for path, row in _csv_rows(paths, header, names, field_delim, use_quote_delim,
                                   comp):
            if len(row) == n_cols:
                yield row
            elif not ignore_errors:
                raise InvalidArgumentError(
                    f"make_csv_dataset: a row of {path} has {len(row)} fields, expected "
                    f"{n_cols}; fix the file, or give ignore_errors = TRUE to skip such rows")

    # columns kept, in the file's order (TF keeps select_columns in file order)
    if select_columns is not None:
        sel = list(select_columns)
        idx = []
        for s in sel:
            if isinstance(s, (int, np.integer)):
                if not 0 <= s < n_cols:
                    raise InvalidArgumentError(
                        f"make_csv_dataset: select_columns index {s} is out of range")
                idx.append(int(s))
            elif s in names:
                idx.append(names.index(s))
            else:
                raise InvalidArgumentError(
                    f"make_csv_dataset: select_columns names a column {s!r} that is not in "
                    f"the file; columns: {', '.join(names)}")
        keep = sorted(set(idx))
    else:
        keep = list(range(n_cols))
    if column_defaults is not None:
        defaults = list(column_defaults)
        if len(defaults) != len(keep):
            raise InvalidArgumentError(
                f"make_csv_dataset: column_defaults has {len(defaults)} values for "
                f"{len(keep)} columns")
    else:
        defaults = [None] * len(keep)
    if label_name is not None and label_name not in [names[j] for j in keep]:
        raise InvalidArgumentError(
            f"make_csv_dataset: label_name {label_name!r} is not one of the columns "
            f"({', '.join(names[j] for j in keep)})")

    # types: from the defaults, else inferred from the first rows (all rows with 0)
    kinds = {j: _default_kind(d) if d is not None else None for j, d in zip(keep, defaults)}
    infer = [j for j in keep if kinds[j] is None]
    if infer:
        n_infer = None if num_rows_for_inference in (None, 0) else \
            int(num_rows_for_inference)
        seen = {j: [] for j in infer}
        for k, row in enumerate(rows()):
            if n_infer is not None and k >= n_infer:
                break
            for j in infer:
                if row[j] != na_value:
                    seen[j].append(row[j])
        for j in infer:
            kinds[j] = _infer_kind(seen[j])
        del seen

    # one streamed pass converts the rows to typed columns, a chunk at a time
    fills = {}
    for j, default in zip(keep, defaults):
        required = isinstance(default, (list, tuple, np.ndarray)) and np.size(default) == 0
        fills[j] = None if required else (
            default if default is not None else ("" if kinds[j] == "str" else 0))
    parts = {j: [] for j in keep}
    buffers = {j: [] for j in keep}
    row_number = 0

    def flush():
        for j in keep:
            dtype = _KIND_DTYPE[kinds[j]]
            try:
                parts[j].append(np.asarray(buffers[j],
                                           dtype=str if kinds[j] == "str" else dtype))
            except OverflowError:
                raise InvalidArgumentError(
                    f"make_csv_dataset: column {names[j]!r} has values beyond "
                    f"{np.dtype(dtype).name}; give a column default of a wider type"
                    ) from None
            buffers[j] = []

    for row in rows():
        row_number += 1
        values = []
        bad = False
        for j in keep:
            v = row[j]
            if v == na_value:
                if fills[j] is None:
                    raise InvalidArgumentError(
                        f"make_csv_dataset: column {names[j]!r} is required but row "
                        f"{row_number} has no value")
                values.append(fills[j])
                continue
            kind = kinds[j]
            try:
                values.append(v if kind == "str" else
                              int(v) if kind in ("int", "int64") else float(v))
            except ValueError as exc:
                if ignore_errors:  # ... and so is a value that does not fit its type
                    bad = True
                    break
                raise InvalidArgumentError(
                    f"make_csv_dataset: column {names[j]!r} was inferred as "
                    f"{np.dtype(_KIND_DTYPE[kind]).name} from its first rows but a later "
                    f"value is not: {exc}; give column_defaults with its type, or "
                    "ignore_errors = TRUE to skip such rows") from None
        if bad:
            continue
        for j, v in zip(keep, values):
            buffers[j].append(v)
        if len(buffers[keep[0]]) >= _CSV_CHUNK:
            flush()
    flush()
    columns = {}
    for j in keep:
        columns[names[j]] = np.concatenate(parts[j]) if len(parts[j]) > 1 else parts[j][0]
        parts[j] = None
    if label_name is not None:
        label = columns.pop(label_name)
        ds = Dataset.from_tensor_slices((columns, label))
    else:
        ds = Dataset.from_tensor_slices(columns)
    if num_epochs is not None:
        num_epochs = int(num_epochs)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    ds = ds.repeat(num_epochs)
    ds = ds.batch(batch_size, drop_remainder=num_epochs is None)
    if prefetch_buffer_size not in (None, 0):
        ds = ds.prefetch(prefetch_buffer_size)
    return ds


# -- Parquet ---------------------------------------------------------------------------------
def _pyarrow():
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InvalidArgumentError(
            "parquet_dataset needs the Python package pyarrow; install it with pip") from exc
    return pq


def _column_to_numpy(col):
    import pyarrow as pa

    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return np.asarray(col.to_pylist(), dtype=str) if col.null_count == 0 else \
            np.asarray(["" if v is None else v for v in col.to_pylist()], dtype=str)
    if pa.types.is_dictionary(col.type):
        return _column_to_numpy(col.dictionary_decode())
    return np.asarray(col.to_numpy(zero_copy_only=False))


class _Parquet(Dataset):
    def __init__(self, files, columns, batch_size):
        pq = _pyarrow()
        self._files = files
        self._columns = columns
        self._b = batch_size
        rows = 0
        names = None
        for f in files:
            if not os.path.exists(f):
                raise InvalidArgumentError(f"parquet_dataset: the file {f} does not exist")
            meta = pq.ParquetFile(f)
            rows += meta.metadata.num_rows
            fnames = meta.schema_arrow.names
            if columns is not None:
                missing = [c for c in columns if c not in fnames]
                if missing:
                    raise InvalidArgumentError(
                        f"parquet_dataset: {f} has no column {missing[0]!r}; its columns: "
                        f"{', '.join(fnames)}")
            names = names or fnames
        self._rows = rows

    def _record_batches(self):
        """One row group at a time (pyarrow's own batch iterator reads ahead)."""
        pq = _pyarrow()
        for f in self._files:
            pf = pq.ParquetFile(f, pre_buffer=False)
            try:
                for g in range(pf.num_row_groups):
                    table = pf.read_row_group(g, columns=self._columns, use_threads=False)
                    yield from table.to_batches(max_chunksize=self._b)
                    del table
            finally:
                pf.close()

    def _iterator(self):
        pending = None  # a dict of arrays shorter than a batch, carried across files
        b = self._b
        for rb in self._record_batches():
            cols = {name: _column_to_numpy(rb.column(k)) for k, name in
                    enumerate(rb.schema.names)}
            if pending is not None:
                cols = {k: np.concatenate([pending[k], v]) for k, v in cols.items()}
                pending = None
            n = len(next(iter(cols.values()))) if cols else 0
            start = 0
            while n - start >= b:
                yield {k: v[start:start + b] for k, v in cols.items()}
                start += b
            if start < n:
                pending = {k: v[start:] for k, v in cols.items()}
        if pending is not None:
            yield pending

    def _cardinality(self):
        return -(-self._rows // self._b)


def parquet_dataset(filenames, columns=None, batch_size=1024):
    """Batches of ``batch_size`` rows (a dict of columns) read from Parquet files,
    one row group at a time; ``batch_size=None`` gives one row per element."""
    names = _filenames(filenames, "parquet_dataset")
    if columns is not None:
        columns = [columns] if isinstance(columns, str) else [str(c) for c in columns]
    if batch_size is None:
        return _Parquet(names, columns, 1024).unbatch()
    return _Parquet(names, columns, _positive("batch_size", batch_size))


def write_parquet(data, path, row_group_size=None):
    """Write ``data`` (a pandas DataFrame or a dict of equal-length columns) to the
    Parquet file ``path`` (atomically), in row groups of ``row_group_size`` rows."""
    import pyarrow as pa

    from .._files import atomic_write

    pq = _pyarrow()
    try:
        import pandas as pd

        if isinstance(data, pd.DataFrame):
            table = pa.Table.from_pandas(data, preserve_index=False)
        else:
            table = pa.table({str(k): np.asarray(v) for k, v in dict(data).items()})
    except ImportError:  # pragma: no cover
        table = pa.table({str(k): np.asarray(v) for k, v in dict(data).items()})
    atomic_write(os.fspath(path), lambda f: pq.write_table(
        table, f, row_group_size=None if row_group_size is None else int(row_group_size)))


__all__ = ["TextLineDataset", "make_csv_dataset", "parquet_dataset", "write_parquet"]
