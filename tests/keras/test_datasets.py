"""Datasets: Debian's Fashion-MNIST offline; download from a local HTTP server; checksums."""

import gzip
import hashlib
import http.server
import io
import os
import threading

import numpy as np
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras.datasets import _loader, fashion_mnist

DEBIAN = "/usr/share/datasets/fashion-mnist"


@pytest.mark.skipif(not os.path.exists(os.path.join(DEBIAN, "train-images-idx3-ubyte.gz")),
                    reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_debian_files():
    (x, y), (xt, yt) = keras.datasets.fashion_mnist.load_data()
    assert x.shape == (60000, 28, 28) and x.dtype == np.uint8
    assert xt.shape == (10000, 28, 28) and y.shape == (60000,) and yt.shape == (10000,)
    assert y.dtype == np.uint8 and set(np.unique(y)) == set(range(10))
    assert np.bincount(y).tolist() == [6000] * 10


def _idx(arr, magic):
    head = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in arr.shape)
    return gzip.compress(head + arr.astype(np.uint8).tobytes())


@pytest.fixture
def server(tmp_path):
    files = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path.lstrip("/"))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield files, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    return tmp_path / "kh" / "datasets"


def test_fashion_mnist_downloads_and_caches(server, keras_home, monkeypatch):
    files, url = server
    rng = np.random.default_rng(0)
    xs, ys = rng.integers(0, 256, (5, 28, 28)), rng.integers(0, 10, 5)
    files.update({"train-images-idx3-ubyte.gz": _idx(xs, 2051),
                  "train-labels-idx1-ubyte.gz": _idx(ys, 2049),
                  "t10k-images-idx3-ubyte.gz": _idx(xs[:2], 2051),
                  "t10k-labels-idx1-ubyte.gz": _idx(ys[:2], 2049)})
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", str(keras_home / "nowhere"))
    monkeypatch.setattr(_loader, "BASE_URL", url)
    (x, y), (xt, yt) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x, xs)
    np.testing.assert_array_equal(yt, ys[:2])
    assert (keras_home / "fashion-mnist" / "train-images-idx3-ubyte.gz").exists()
    files.clear()  # now served from the cache only
    (x2, _), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(x2, xs)


def test_checksum_verified_download(server, keras_home, monkeypatch):
    files, url = server
    buf = io.BytesIO()
    np.savez(buf, x_train=np.zeros((2, 28, 28), np.uint8), y_train=np.array([1, 2], np.uint8),
             x_test=np.ones((1, 28, 28), np.uint8), y_test=np.array([3], np.uint8))
    files["mnist.npz"] = buf.getvalue()
    monkeypatch.setattr(_loader, "BASE_URL", url)
    good = hashlib.sha256(files["mnist.npz"]).hexdigest()
    path = _loader.get_file("mnist.npz", "unused", good)
    assert open(path, "rb").read() == files["mnist.npz"]
    os.remove(path)
    # keras' published hash of the real mnist.npz does not match the fake file
    with pytest.raises(ValueError, match=r"mnist.npz downloaded from .* failed its checksum"):
        keras.datasets.mnist.load_data()
    assert os.listdir(keras_home) == []  # nothing half-written is left behind


def test_missing_file_error_names_url_and_place(server, keras_home, monkeypatch):
    _, url = server
    monkeypatch.setattr(_loader, "BASE_URL", url)
    with pytest.raises(OSError, match=r"could not be downloaded from http://127\.0\.0\.1:\d+/"
                                      r"boston_housing\.npz .* put it at .*boston_housing\.npz"):
        keras.datasets.boston_housing.load_data()


def test_utils():
    np.testing.assert_array_equal(keras.utils.to_categorical([0, 2, 1]),
                                  [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert keras.utils.to_categorical(np.array([[1], [0]]), 3).shape == (2, 3)
    n = keras.utils.normalize(np.array([[3.0, 4.0]]))
    np.testing.assert_allclose(n, [[0.6, 0.8]])
