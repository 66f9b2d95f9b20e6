"""A save killed with SIGKILL midway leaves the previous file loadable."""

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
