"""A save killed with SIGKILL midway leaves the previous file loadable, and the next save
removes the temp file it left."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
from tensorbridge.engine import keras


def big_model():
    return keras.Sequential([keras.layers.Dense(2048, input_shape=(2048,)),
                             keras.layers.Dense(2048), keras.layers.Dense(1)])


def _temps(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".model.tbm.")]


def test_sigkill_during_save_keeps_the_previous_file(tmp_path):
    path = tmp_path / "model.tbm"
    model = big_model()
    model.compile(optimizer="adam", loss="mse")
    model.save(str(path))
    x = np.random.default_rng(0).random((2, 2048), dtype=np.float32)
    expected = model.predict(x, verbose=0)

    # a second process saves a different model to the same path over and over;
    # it is killed at an arbitrary moment, most likely in the middle of a save
    marker = tmp_path / "saving"
    script = tmp_path / "saver.py"
    script.write_text(textwrap.dedent(f"""
        import pathlib
        from tensorbridge.engine import keras
        model = keras.Sequential([keras.layers.Dense(2048, input_shape=(2048,)),
                                  keras.layers.Dense(2048), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        pathlib.Path({str(marker)!r}).touch()
        while True:
            model.save({str(path)!r})
    """))
    proc = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.7)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    loaded = keras.models.load_model(str(path))  # old or new, but whole
    prediction = loaded.predict(x, verbose=0)
    assert prediction.shape == expected.shape and np.isfinite(prediction).all()


def test_next_save_removes_the_temp_file_of_a_killed_save(tmp_path):
    path = tmp_path / "model.tbm"
    model = keras.Sequential([keras.layers.Dense(8, input_shape=(4,))])
    x = np.random.default_rng(0).random((2, 4), dtype=np.float32)
    # the saver writes half its archive, says so, and waits to be killed
    midway = tmp_path / "midway"
    script = tmp_path / "saver.py"
    script.write_text(textwrap.dedent(f"""
        import pathlib, time
        from tensorbridge.engine import keras
        from tensorbridge.engine.keras import saving

        def stalls(f, model, include_optimizer=True):
            f.write(b"PK" + bytes(1 << 20))
            f.flush()
            pathlib.Path({str(midway)!r}).touch()
            time.sleep(120)

        saving._write_archive = stalls
        keras.Sequential([keras.layers.Dense(8, input_shape=(4,))]).save({str(path)!r})
    """))
    proc = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 60
        while not midway.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    left = _temps(tmp_path)
    assert len(left) == 1 and os.path.getsize(tmp_path / left[0]) > 1 << 20
    assert not path.exists()

    model.save(str(path))  # the next save to that directory removes it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["midway", "model.tbm", "saver.py"]
    np.testing.assert_array_equal(keras.models.load_model(str(path)).predict(x, verbose=0),
                                  model.predict(x, verbose=0))
