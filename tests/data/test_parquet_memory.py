"""A Parquet data set larger than the memory it may use trains: fit() streams it.

A child process writes a Parquet file (in chunks, never holding it whole);
a second child trains one epoch on it through ``parquet_dataset() -> map ->
fit()`` while a thread samples its resident memory every few milliseconds.
The test requires the file to be at least three times the cap and the peak
resident memory during the epoch, above what the process held before it, to
stay under the cap.  ``make test`` uses a 40 MB cap (a 120 MB file);
``TENSORBRIDGE_TEST_FULL=1`` a 100 MB cap (a 300 MB file).
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("pyarrow")

FULL = os.environ.get("TENSORBRIDGE_TEST_FULL") == "1"
CAP_MB = 100 if FULL else 40
COLUMNS = 128

WRITE = textwrap.dedent("""
    import sys
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    path, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(0)
    names = [f"x{i}" for i in range(columns)] + ["y"]
    schema = pa.schema([(n, pa.float32()) for n in names])
    chunk = 8192
    with pq.ParquetWriter(path, schema, compression="none") as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            x = rng.standard_normal((n, columns), dtype=np.float32)
            y = (x[:, :4].sum(axis=1) > 0).astype(np.float32)
            cols = [pa.array(x[:, i]) for i in range(columns)] + [pa.array(y)]
            writer.write_table(pa.Table.from_arrays(cols, schema=schema), row_group_size=chunk)
""")

TRAIN = textwrap.dedent("""
    import json, sys, threading, time
    from tensorbridge import engine
    from tensorbridge.engine import data, keras
    path, columns = sys.argv[1], int(sys.argv[2])
    names = [f"x{i}" for i in range(columns)]

    def rss_mb():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def to_xy(record):
        return engine.stack([record[n] for n in names], axis=1), record["y"]

    ds = data.parquet_dataset(path, batch_size=1024).map(to_xy).prefetch(2)
    model = keras.Sequential([keras.Input((columns,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(data.Dataset.from_tensor_slices(next(iter(ds))).batch(1024), epochs=1, verbose=0)
    base = rss_mb()
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.002)

    t = threading.Thread(target=sample)
    t.start()
    history = model.fit(ds, epochs=1, verbose=0)
    done.set()
    t.join()
    print(json.dumps({"base": base, "peak": peak[0],
                      "accuracy": history.history["accuracy"][-1]}))
""")


def _run(script, *args):
    # a clean child: R started in this process (the bridge tests) put its
    # library path in LD_LIBRARY_PATH, where another libpython may come first
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True,
                         text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_a_parquet_file_three_times_the_memory_cap_trains(tmp_path):
    path = tmp_path / "big.parquet"
    rows = int(3.2 * CAP_MB * 2**20 / (4 * (COLUMNS + 1)))
    _run(WRITE, path, rows, COLUMNS)
    size_mb = path.stat().st_size / 2**20
    assert size_mb >= 3 * CAP_MB
    result = json.loads(_run(TRAIN, path, COLUMNS).strip().splitlines()[-1])
    grew = result["peak"] - result["base"]
    print(f"grew {grew:.1f} MB, accuracy {result['accuracy']:.3f}")
    assert grew < CAP_MB, (f"fit() on a {size_mb:.0f} MB Parquet file grew resident memory by "
                           f"{grew:.0f} MB (cap {CAP_MB} MB)")
    # it learned: the label is a linear function of the first four columns
    assert result["accuracy"] > 0.8
