"""tf.data-style datasets against the same computation done directly in numpy/Python."""

import csv
import gzip
import os
import threading
import time

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine.data import Dataset
from tensorbridge.engine.errors import InvalidArgumentError


def rows(ds):
    return list(ds.as_numpy_iterator())


def scalars(ds):
    return [int(e) for e in ds]


def generic(ds):
    """The same elements through the element-by-element path (a map that changes
    nothing takes the pipeline off the index path)."""
    return ds.map(lambda *a: a if len(a) > 1 else a[0])


# -- sources ---------------------------------------------------------------------------------
def test_slices_of_a_tuple_and_a_dict_are_the_rows():
    x = np.arange(12.0).reshape(4, 3)
    y = np.array([1, 0, 1, 1])
    for k, (a, b) in enumerate(Dataset.from_tensor_slices((x, y))):
        np.testing.assert_array_equal(a, x[k])
        assert b == y[k] and b.shape == ()
    got = rows(Dataset.from_tensor_slices({"x": x, "y": y}))
    assert [list(e) for e in got] == [["x", "y"]] * 4
    np.testing.assert_array_equal(np.stack([e["x"] for e in got]), x)


def test_slices_need_the_same_first_dimension():
    with pytest.raises(InvalidArgumentError, match="same size in their first dimension"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_from_tensors_is_one_element_and_range_is_pythons():
    ds = Dataset.from_tensors((np.arange(3), np.ones((2, 2))))
    assert ds.cardinality() == 1
    a, b = next(iter(ds))
    np.testing.assert_array_equal(a, np.arange(3))
    assert scalars(Dataset.range(2, 11, 3)) == list(range(2, 11, 3))
    assert scalars(Dataset.range(5, 0, -2)) == list(range(5, 0, -2))


def test_from_generator_calls_the_callable_each_iteration():
    calls = []

    def gen():
        calls.append(1)
        yield from ((i, float(i) / 2) for i in range(3))

    ds = Dataset.from_generator(gen)
    assert [(int(a), float(b)) for a, b in ds] == [(0, 0.0), (1, 0.5), (2, 1.0)]
    assert len(rows(ds)) == 3 and len(calls) == 2


# -- batching --------------------------------------------------------------------------------
@pytest.mark.parametrize("n,b,drop", [(10, 3, False), (10, 3, True), (9, 3, False), (2, 5, False),
                                      (2, 5, True)])
def test_batch_sizes_and_remainder_match_numpy(n, b, drop):
    x = np.arange(n * 2.0).reshape(n, 2)
    expect = [x[i:i + b] for i in range(0, n, b)]
    if drop:
        expect = [e for e in expect if len(e) == b]
    for ds in (Dataset.from_tensor_slices(x), generic(Dataset.from_tensor_slices(x))):
        got = rows(ds.batch(b, drop_remainder=drop))
        assert len(got) == len(expect) == ds.batch(b, drop_remainder=drop).cardinality()
        for g, e in zip(got, expect):
            np.testing.assert_array_equal(g, e)


def test_batch_of_different_shapes_is_an_error():
    ds = Dataset.from_generator(lambda: iter([np.zeros(2), np.zeros(3)]))
    with pytest.raises(InvalidArgumentError, match="different shapes"):
        rows(ds.batch(2))


def test_padded_batch_pads_to_the_longest_and_to_given_shapes():
    seqs = [np.arange(1, k + 1) for k in (3, 1, 2)]
    ds = Dataset.from_generator(lambda: iter(seqs))
    (b1, b2) = rows(ds.padded_batch(2))
    np.testing.assert_array_equal(b1, [[1, 2, 3], [1, 0, 0]])
    np.testing.assert_array_equal(b2, [[1, 2]])
    (b,) = rows(ds.padded_batch(3, padded_shapes=[5], padding_values=-1))
    expect = np.full((3, 5), -1)
    for i, s in enumerate(seqs):
        expect[i, :len(s)] = s
    np.testing.assert_array_equal(b, expect)
    with pytest.raises(InvalidArgumentError, match="larger than the padded shape"):
        rows(ds.padded_batch(3, padded_shapes=[2]))


def test_unbatch_undoes_batch():
    x = np.arange(14).reshape(7, 2)
    got = np.stack(rows(Dataset.from_tensor_slices(x).batch(3).unbatch()))
    np.testing.assert_array_equal(got, x)


# -- order: shuffle, take, skip, repeat, shard --------------------------------------------------
def test_shuffle_with_a_seed_is_a_reproducible_permutation():
    n = 50
    ds = Dataset.from_tensor_slices(np.arange(n))
    a = scalars(ds.shuffle(n, seed=3))
    assert sorted(a) == list(range(n)) and a != list(range(n))
    assert scalars(ds.shuffle(n, seed=3)) == a
    # reshuffled each iteration, unless told not to
    s = ds.shuffle(n, seed=3)
    assert scalars(s) != scalars(s)
    f = ds.shuffle(n, seed=3, reshuffle_each_iteration=False)
    assert scalars(f) == scalars(f)


@pytest.mark.parametrize("buffer", [1, 5, 30])
def test_a_small_shuffle_buffer_is_still_a_permutation(buffer):
    n = 40
    for ds in (Dataset.from_tensor_slices(np.arange(n)),
               generic(Dataset.from_tensor_slices(np.arange(n)))):
        got = scalars(ds.shuffle(buffer, seed=1))
        assert sorted(got) == list(range(n))
        if buffer == 1:
            assert got == list(range(n))  # a one-element buffer keeps the order
        # an element cannot come out before the buffer has reached it
        assert all(v <= i + buffer - 1 for i, v in enumerate(got))


def test_shuffled_batches_are_the_rows_of_a_permutation():
    x = np.arange(20.0).reshape(10, 2)
    batches = rows(Dataset.from_tensor_slices((x, np.arange(10))).shuffle(10, seed=0).batch(4))
    xs = np.concatenate([b[0] for b in batches])
    idx = np.concatenate([b[1] for b in batches])
    assert sorted(idx) == list(range(10))
    np.testing.assert_array_equal(xs, x[idx])


def test_take_skip_repeat_shard_match_list_slicing():
    base = list(range(10))
    for ds in (Dataset.range(10), generic(Dataset.range(10))):
        assert scalars(ds.take(3)) == base[:3]
        assert scalars(ds.take(-1)) == base
        assert scalars(ds.skip(7)) == base[7:]
        assert scalars(ds.skip(-1)) == []
        assert scalars(ds.repeat(3)) == base * 3
        assert scalars(ds.repeat().take(25)) == (base * 3)[:25]
        assert scalars(ds.shard(3, 1)) == base[1::3]
        assert scalars(ds.repeat(2).shard(4, 3)) == (base * 2)[3::4]
        assert scalars(ds.skip(2).take(5).repeat(2).skip(3)) == (base[2:7] * 2)[3:]


def test_cardinality_follows_tf():
    ds = Dataset.range(10)
    assert ds.cardinality() == 10
    assert ds.repeat().cardinality() == tf.data.INFINITE_CARDINALITY == -1
    assert ds.repeat().take(4).cardinality() == 4
    assert ds.filter(lambda x: x > 2).cardinality() == tf.data.UNKNOWN_CARDINALITY == -2
    assert ds.shard(3, 0).cardinality() == len(range(10)[0::3])
    assert ds.shard(3, 2).cardinality() == len(range(10)[2::3])
    assert ds.skip(4).batch(4).cardinality() == 2
    assert ds.concatenate(Dataset.range(3)).cardinality() == 13
    assert Dataset.zip((ds, Dataset.range(4))).cardinality() == 4


# -- element-wise ------------------------------------------------------------------------------
def test_map_gets_tensors_unpacked_for_tuples_and_a_dict_for_dicts():
    x = np.arange(6.0).reshape(3, 2)
    y = np.array([1.0, 2.0, 3.0])
    seen = []

    def f(a, b):
        seen.append((type(a), type(b)))
        return a * b[None], b + 1

    got = rows(Dataset.from_tensor_slices((x, y)).map(f))
    assert seen[0] == (tf.Tensor, tf.Tensor)
    np.testing.assert_allclose(np.stack([g[0] for g in got]), x * y[:, None])
    np.testing.assert_allclose([g[1] for g in got], y + 1)
    d = rows(Dataset.from_tensor_slices({"a": y}).map(lambda r: {"b": r["a"] * 2}))
    np.testing.assert_allclose([e["b"] for e in d], y * 2)


def test_parallel_map_keeps_the_order():
    def slow(x):
        time.sleep(0.001 * (int(x) % 3))
        return x * 2

    got = scalars(Dataset.range(30).map(slow, num_parallel_calls=4))
    assert got == [2 * i for i in range(30)]
    got = scalars(Dataset.range(30).map(slow, num_parallel_calls=tf.data.AUTOTUNE))
    assert got == [2 * i for i in range(30)]


def test_filter_zip_enumerate_concatenate():
    base = list(range(12))
    kept = scalars(Dataset.range(12).filter(lambda x: x % 3 == 0))
    assert kept == [v for v in base if v % 3 == 0]
    z = [(int(a), int(b)) for a, b in Dataset.zip(Dataset.range(5), Dataset.range(10, 13))]
    assert z == list(zip(range(5), range(10, 13)))
    zd = rows(Dataset.zip({"a": Dataset.range(2), "b": Dataset.range(5, 7)}))
    assert [(int(e["a"]), int(e["b"])) for e in zd] == [(0, 5), (1, 6)]
    en = [(int(i), int(v)) for i, v in Dataset.range(3, 6).enumerate(start=10)]
    assert en == list(enumerate(range(3, 6), start=10))
    assert scalars(Dataset.range(3).concatenate(Dataset.range(7, 9))) == [0, 1, 2, 7, 8]
    with pytest.raises(InvalidArgumentError, match="scalar boolean"):
        rows(Dataset.range(3).filter(lambda x: x * 2))


# -- cache -----------------------------------------------------------------------------------
def test_memory_cache_runs_the_pipeline_once():
    calls = []

    def f(x):
        calls.append(int(x))
        return x * 3

    ds = Dataset.range(5).map(f).cache()
    assert scalars(ds) == scalars(ds) == [0, 3, 6, 9, 12]
    assert calls == list(range(5))


def test_file_cache_is_reused_by_a_later_dataset(tmp_path):
    prefix = str(tmp_path / "c")
    x = np.arange(3000.0).reshape(1500, 2)
    first = rows(Dataset.from_tensor_slices(x).map(lambda a: a + 1).cache(prefix))
    np.testing.assert_array_equal(np.stack(first), x + 1)
    assert os.path.exists(prefix + ".index")
    # another upstream, same file: the cached elements come back (as TF does)
    again = rows(Dataset.from_tensor_slices(np.zeros((5, 2))).map(lambda a: a).cache(prefix))
    np.testing.assert_array_equal(np.stack(again), x + 1)


def test_an_unfinished_file_cache_is_not_used(tmp_path):
    prefix = str(tmp_path / "c")
    ds = Dataset.range(2000).map(lambda v: v).cache(prefix)
    it = iter(ds)
    for _ in range(1500):
        next(it)
    it.close()
    assert not os.path.exists(prefix + ".index")
    other = Dataset.range(5, 8).map(lambda v: v).cache(prefix)
    assert scalars(other) == [5, 6, 7]


# -- prefetch ----------------------------------------------------------------------------------
def test_prefetch_runs_python_work_ahead_in_a_thread():
    delay, n = 0.05, 8
    spans, threads = [], set()

    def slow(x):
        threads.add(threading.get_ident())
        t0 = time.perf_counter()
        time.sleep(delay)
        spans.append((t0, time.perf_counter()))
        return x

    ds = Dataset.range(n).map(slow).prefetch(2)
    consumer = []
    start = time.perf_counter()
    for _ in ds:
        t0 = time.perf_counter()
        time.sleep(delay)
        consumer.append((t0, time.perf_counter()))
    total = time.perf_counter() - start
    assert threads and threading.get_ident() not in threads
    # some map call ran while the consumer was busy, and the whole took less
    # than producing and consuming one after the other
    assert any(a0 < c1 and c0 < a1 for a0, a1 in spans for c0, c1 in consumer)
    assert total < 2 * n * delay * 0.85


def test_prefetch_stays_in_the_callers_thread_when_the_pipeline_calls_r():
    threads = []

    def r_like(x):
        threads.append(threading.get_ident())
        return x

    r_like._tb_calls_r = True
    ds = Dataset.range(4).map(r_like).batch(2).prefetch(2)
    assert [list(b) for b in ds] == [[0, 1], [2, 3]]
    assert set(threads) == {threading.get_ident()}
    def r_gen():
        return iter(range(3))

    r_gen._tb_calls_r = True
    gen = Dataset.from_generator(r_gen).prefetch(1)
    assert scalars(gen) == [0, 1, 2] and gen._has_r
    assert not Dataset.from_generator(lambda: iter(range(3))).prefetch(1)._has_r


def test_prefetch_passes_errors_on_and_stops_its_thread():
    def bad(x):
        if int(x) == 3:
            raise ValueError("element 3")
        return x

    with pytest.raises(ValueError, match="element 3"):
        rows(Dataset.range(6).map(bad).prefetch(2))
    it = iter(Dataset.range(10 ** 6).prefetch(4))
    next(it)
    it.close()
    time.sleep(0.3)
    assert not [t for t in threading.enumerate() if t.name == "tensorbridge-prefetch"]


# -- files -------------------------------------------------------------------------------------
def test_text_lines_are_the_files_lines(tmp_path):
    p1, p2 = tmp_path / "a.txt", tmp_path / "b.txt.gz"
    p1.write_bytes(b"first\r\nsecond\n\nlast line")
    with gzip.open(p2, "wb") as f:
        f.write("caf\u00e9\nx\n".encode())
    got = [str(s) for s in tf.data.TextLineDataset([str(p1)])]
    assert got == p1.read_text().splitlines()
    got = [str(s) for s in tf.data.TextLineDataset(str(p2), compression_type="GZIP")]
    assert got == ["caf\u00e9", "x"]


def test_make_csv_dataset_matches_the_csv_module(tmp_path):
    path = tmp_path / "d.csv"
    data = [["id", "score", "name", "label"]] + [
        [str(i), f"{i * 0.5}", f"n{i}" if i != 3 else "", str(i % 2)] for i in range(7)]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(data)
    ds = tf.data.experimental.make_csv_dataset(str(path), batch_size=3, label_name="label",
                                               num_epochs=1, shuffle=False)
    batches = rows(ds)
    assert [len(b[1]) for b in batches] == [3, 3, 1]
    feats = {k: np.concatenate([b[0][k] for b in batches]) for k in batches[0][0]}
    label = np.concatenate([b[1] for b in batches])
    body = data[1:]
    assert list(feats) == ["id", "score", "name"]
    assert feats["id"].dtype == np.int32 and feats["score"].dtype == np.float32
    np.testing.assert_array_equal(feats["id"], [int(r[0]) for r in body])
    np.testing.assert_allclose(feats["score"], [float(r[1]) for r in body])
    assert list(feats["name"]) == [r[2] for r in body]
    np.testing.assert_array_equal(label, [int(r[3]) for r in body])
    # num_epochs = None repeats forever, dropping the partial batch
    inf = tf.data.experimental.make_csv_dataset(str(path), batch_size=3, shuffle=True,
                                                shuffle_seed=1, select_columns=["id"])
    assert inf.cardinality() == -1
    ids = np.concatenate([b["id"] for b in inf.take(7)])
    assert len(ids) == 21 and sorted(ids[:7]) == list(range(7))


def test_parquet_batches_match_pyarrow(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = np.random.default_rng(0)
    files = []
    for k, n in enumerate((23, 9)):
        t = pa.table({"x": rng.normal(size=n), "k": np.arange(n, dtype=np.int64),
                      "s": [f"r{k}-{i}" for i in range(n)]})
        files.append(str(tmp_path / f"p{k}.parquet"))
        pq.write_table(t, files[-1], row_group_size=5)
    whole = pa.concat_tables([pq.read_table(f) for f in files])
    ds = tf.data.parquet_dataset(files, columns=["x", "s"], batch_size=8)
    batches = rows(ds)
    assert [len(b["x"]) for b in batches] == [8, 8, 8, 8] and ds.cardinality() == 4
    np.testing.assert_array_equal(np.concatenate([b["x"] for b in batches]),
                                  whole.column("x").to_numpy())
    assert list(np.concatenate([b["s"] for b in batches])) == whole.column("s").to_pylist()
    assert list(batches[0]) == ["x", "s"]
    with pytest.raises(InvalidArgumentError, match="no column 'nope'"):
        tf.data.parquet_dataset(files, columns=["nope"])


def test_parquet_reads_one_row_group_at_a_time(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    groups, per_group = 20, 20000
    n = groups * per_group
    path = str(tmp_path / "big.parquet")
    cols = {f"c{j}": np.arange(n, dtype=np.float64) + j for j in range(4)}
    pq.write_table(pa.table(cols), path, row_group_size=per_group)
    data_bytes = sum(c.nbytes for c in cols.values())
    del cols
    base = pa.total_allocated_bytes()
    peak, total, first = 0, 0, None
    for batch in tf.data.parquet_dataset(path, batch_size=5000):
        peak = max(peak, pa.total_allocated_bytes() - base)
        total += len(batch["c0"])
        first = batch["c3"][0] if first is None else first
        del batch
    assert total == n and first == 3.0
    # what arrow holds at once is a row group or two, not the file's data
    assert peak < 0.2 * data_bytes, (peak, data_bytes)
