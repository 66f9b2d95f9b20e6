"""Delimited records (tf.io.decode_csv, tfdatasets' record_spec datasets), named columns
made (x, y) (tfdatasets' dataset_prepare) and make_csv_dataset's ignore_errors, checked
against Python's csv module and numpy."""

import csv
import io

import numpy as np
import pytest
from tensorbridge.engine import data, keras
from tensorbridge.engine.errors import InvalidArgumentError

ROWS = [["mpg", "cyl", "name"], ["21.0", "6", "Mazda RX4"], ["22.8", "4", "Datsun, 710"],
        ["", "8", "Hornet"], ["18.1", "6", ""]]


def _write(path, rows, delim=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue())
    return str(path)


def test_decode_csv_types_defaults_quotes_and_shape():
    lines = [buf.strip() for buf in (",".join(r) if "," not in r[2] else
                                     f'{r[0]},{r[1]},"{r[2]}"' for r in ROWS[1:])]
    got = data.decode_csv(np.array(lines).reshape(2, 2), [-1.0, 0, "?"])
    want = list(zip(*csv.reader(lines)))
    assert [g.dtype for g in got] == [np.float32, np.int32, np.dtype("<U11")]
    assert all(g.shape == (2, 2) for g in got)
    np.testing.assert_allclose(got[0].ravel(), [float(v) if v else -1.0 for v in want[0]])
    np.testing.assert_array_equal(got[1].ravel(), [int(v) for v in want[1]])
    assert list(got[2].ravel()) == [v or "?" for v in want[2]]
    # a numpy default keeps its type; a tab delimiter; select_cols picks columns
    got = data.decode_csv(["1\t2\t3"], [np.float64(0), "x"], field_delim="\t",
                          select_cols=[0, 2])
    assert got[0].dtype == np.float64 and got[0][0] == 1.0 and got[1][0] == "3"


def test_decode_csv_errors_say_what_is_wrong():
    with pytest.raises(InvalidArgumentError, match="expected 3 fields but the record has 2"):
        data.decode_csv(["1,2"], [0, 0, 0])
    with pytest.raises(InvalidArgumentError, match="'abc' is not a number"):
        data.decode_csv(["abc"], [0.0])
    with pytest.raises(InvalidArgumentError, match="boolean"):
        data.decode_csv(["1"], [True])


def test_delimited_files_skip_each_header_and_decode_as_csv(tmp_path):
    a = _write(tmp_path / "a.csv", ROWS)
    b = _write(tmp_path / "b.csv", ROWS[:1] + ROWS[1:3])
    ds = data.delimited_dataset([a, b], ["mpg", "cyl", "name"], [0.0, 0, ""], skip=1)
    assert set(ds.element_spec) == {"mpg", "cyl", "name"}
    got = list(ds)
    want = [r for r in ROWS[1:]] + [r for r in ROWS[1:3]]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g["mpg"] == pytest.approx(float(w[0]) if w[0] else 0.0)
        assert g["mpg"].dtype == np.float32 and g["cyl"].dtype == np.int32
        assert int(g["cyl"]) == int(w[1]) and str(g["name"]) == w[2]


def test_prepare_stacks_features_and_names_x_y(tmp_path):
    f = _write(tmp_path / "a.csv", ROWS)
    ds = data.delimited_dataset(f, ["mpg", "cyl", "name"], [0.0, 0, ""], skip=1)
    rows = np.array([[float(r[0] or 0), float(r[1])] for r in ROWS[1:]], dtype=np.float32)
    # named x / y, stacked along a new last axis; mixed int/float become float32
    el = next(iter(data.prepare(ds, ["mpg", "cyl"], "name")))
    assert set(el) == {"x", "y"} and el["x"].dtype == np.float32
    np.testing.assert_array_equal(el["x"], rows[0])
    # batched: (batch, features)
    b = list(data.prepare(ds, ["mpg", "cyl"], "cyl", named=False, batch_size=3))
    np.testing.assert_array_equal(np.concatenate([x for x, _ in b]), rows)
    np.testing.assert_array_equal(np.concatenate([y for _, y in b]), [6, 4, 8, 6])
    # named features, no response
    el = next(iter(data.prepare(ds, ["name", "mpg"], named_features=True, named=False)))
    assert isinstance(el, tuple) and set(el[0]) == {"name", "mpg"}
    with pytest.raises(InvalidArgumentError, match="no column 'disp'"):
        data.prepare(ds, ["disp"], "cyl")
    with pytest.raises(InvalidArgumentError, match="cannot be stacked"):
        data.prepare(ds, ["name", "mpg"])
    with pytest.raises(InvalidArgumentError, match="not named columns"):
        data.prepare(data.Dataset.range(3), ["a"])


def test_fit_reads_x_y_named_elements_as_x_and_y(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype(np.float32)
    y = (x @ np.array([1.0, -1.0]) + 0.5).astype(np.float32)
    named = data.Dataset.from_tensor_slices({"x": x, "y": y}).batch(8)
    plain = data.Dataset.from_tensor_slices((x, y)).batch(8)
    weights = []
    for ds in (named, plain):
        m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,),
                                                 kernel_initializer="zeros")])
        m.compile(optimizer="sgd", loss="mse")
        m.fit(ds, epochs=2, verbose=0, shuffle=False)
        weights.append(m.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


def test_make_csv_dataset_ignore_errors_skips_malformed_rows(tmp_path):
    rows = [["a", "b"], ["1", "2.5"], ["2", "x"], ["3"], ["4", "1e3"], ["5", "6", "7"]]
    f = _write(tmp_path / "bad.csv", rows)
    with pytest.raises(InvalidArgumentError, match="ignore_errors = TRUE"):
        data.make_csv_dataset(f, 10, num_epochs=1, shuffle=False)
    ds = data.make_csv_dataset(f, 10, num_epochs=1, shuffle=False, ignore_errors=True,
                               column_defaults=[0, 0.0])
    (batch,) = list(ds)
    good = [r for r in rows[1:] if len(r) == 2 and r[1].replace(".", "").replace("e", "")
            .isdigit()]
    np.testing.assert_array_equal(batch["a"], [int(r[0]) for r in good])
    np.testing.assert_allclose(batch["b"], [float(r[1]) for r in good])


def test_make_csv_dataset_streams_the_rows_into_typed_columns(tmp_path, monkeypatch):
    """The files are read row by row into typed columns a chunk at a time: Python's peak
    allocation stays within 3 times the typed columns (reading all rows as lists of strings
    first took about 27 times), and the columns are the csv module's values."""
    import tracemalloc

    from tensorbridge.engine.data import readers

    monkeypatch.setattr(readers, "_CSV_CHUNK", 2000)
    rng = np.random.default_rng(3)
    n = 40000
    x = rng.normal(size=(n, 4)).round(4)
    lab = rng.integers(0, 10, n)
    path = tmp_path / "big.csv"
    with open(path, "w") as f:
        f.write("a,b,c,d,label\n")
        for i in range(n):
            f.write(f"{x[i, 0]},{x[i, 1]},{x[i, 2]},{x[i, 3]},{lab[i]}\n")
    typed = n * 5 * 4
    small = _write(tmp_path / "small.csv", [["a"], ["1"]])
    data.make_csv_dataset(small, 1, num_epochs=1)  # the imports it needs, before measuring
    tracemalloc.start()
    try:
        ds = data.make_csv_dataset(str(path), 1000, label_name="label", num_epochs=1,
                                   shuffle=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * typed, f"peak {peak / 1e6:.1f} MB for {typed / 1e6:.1f} MB of columns"
    feats, labels = zip(*list(ds))
    with open(path, newline="") as f:
        ref = list(csv.reader(f))[1:]
    np.testing.assert_allclose(np.concatenate([b["c"] for b in feats]),
                               [float(r[2]) for r in ref], rtol=1e-6)
    np.testing.assert_array_equal(np.concatenate(labels), [int(r[4]) for r in ref])
