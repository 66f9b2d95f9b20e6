"""Datasets: Debian's Fashion-MNIST offline; download from a local HTTP server; pinned
checksums; hostile cache files refused without running anything."""

import gzip
import hashlib
import http.server
import io
import os
import pickle
import tarfile
import threading

import numpy as np
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras.datasets import _loader, cifar10, cifar100, fashion_mnist, imdb

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
    # the pins are those of the real files; these stand-ins get their own
    monkeypatch.setattr(fashion_mnist, "PINS", {
        name: _loader.Pin("sha256", hashlib.sha256(body).hexdigest())
        for name, body in files.items()})
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


# -- pinned checksums and hostile cache files ---------------------------------------------------
def test_every_loader_pins_the_published_checksum():
    d = keras.datasets
    assert d.mnist.PIN.digest == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
    assert d.cifar100.PIN.digest == (
        "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7")
    assert d.imdb.WORD_INDEX_PIN == ("md5", "bfafd718b763782e994055a2d397834f")
    assert d.reuters.WORD_INDEX_PIN == ("md5", "4d44cc38712099c9e383dc6e5f11a921")
    pins = [d.mnist.PIN, d.cifar10.PIN, d.cifar100.PIN, d.imdb.PIN, d.reuters.PIN,
            d.boston_housing.PIN, *d.fashion_mnist.PINS.values()]
    assert all(p.algorithm == "sha256" and len(p.digest) == 64 for p in pins)
    assert len(d.fashion_mnist.PINS) == 4


class _RunsCode:
    """A pickle that, when loaded by a plain unpickler, runs a shell command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _cifar_archive(members, top="cifar-10-batches-py"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return buf.getvalue()


def test_planted_cifar_archive_is_refused_and_runs_nothing(keras_home, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    evil = pickle.dumps({b"data": _RunsCode(marker), b"labels": [0]})
    keras_home.mkdir(parents=True)
    body = _cifar_archive({f"data_batch_{i}": evil for i in range(1, 6)} | {"test_batch": evil})
    (keras_home / "cifar-10-python.tar.gz").write_bytes(body)
    found = hashlib.sha256(body).hexdigest()
    with pytest.raises(ValueError, match=(
            r"the cached file .*cifar-10-python\.tar\.gz does not match the published SHA-256 "
            r"checksum of cifar-10-python\.tar\.gz \(expected 6d958be074577803d12ecdefd02955f3"
            rf"9262c83c16fe9348329d7fe0b5c001ce, found {found}\): the file is damaged or was "
            r"replaced, and nothing in it was read\. Delete it and call the loader again")):
        keras.datasets.cifar10.load_data()
    assert not marker.exists()
    # even a file that matched its pin could not run code: the unpickler refuses the global
    monkeypatch.setattr(cifar10, "PIN", _loader.Pin("sha256", found))
    with pytest.raises(ValueError, match=r"cifar-10-python.tar.gz is not a readable CIFAR archive "
                                         r"\(refusing to load (posix|os|nt)\.system"):
        keras.datasets.cifar10.load_data()
    assert not marker.exists()
    pickle.loads(evil)  # while a plain unpickler does run it

    assert marker.exists()


def test_safe_unpickler_reads_a_genuine_cifar_batch(keras_home, monkeypatch):
    rng = np.random.default_rng(3)
    data = {n: rng.integers(0, 256, (k, 3072), dtype=np.uint8) for n, k in (("train", 4),
                                                                          ("test", 2))}
    fine = {n: rng.integers(0, 100, len(d)).tolist() for n, d in data.items()}
    coarse = {n: rng.integers(0, 20, len(d)).tolist() for n, d in data.items()}

    def batch(n):  # CIFAR's layout: bytes keys, a uint8 array, lists of labels and file names
        # (Python 2 wrote the real ones; protocol 3 stores bytes as they read back, with the
        # same numpy globals)
        return pickle.dumps({b"filenames": [b"img%d.png" % i for i in range(len(data[n]))],
                             b"batch_label": b"batch", b"fine_labels": fine[n],
                             b"coarse_labels": coarse[n], b"data": data[n]}, protocol=3)

    body = _cifar_archive({"train": batch("train"), "test": batch("test"), "meta": b""},
                          top="cifar-100-python")
    keras_home.mkdir(parents=True)
    (keras_home / "cifar-100-python.tar.gz").write_bytes(body)
    monkeypatch.setattr(cifar100, "PIN", _loader.Pin("sha256", hashlib.sha256(body).hexdigest()))
    (x, y), (xt, yt) = keras.datasets.cifar100.load_data("coarse")
    assert x.shape == (4, 32, 32, 3) and x.dtype == np.uint8 and y.shape == (4, 1)
    for i, r, c, ch in [(0, 0, 0, 0), (1, 5, 7, 2), (3, 31, 31, 1), (2, 10, 0, 1)]:
        assert x[i, r, c, ch] == data["train"][i, ch * 1024 + r * 32 + c]  # CIFAR's layout
    assert y[:, 0].tolist() == coarse["train"] and yt[:, 0].tolist() == coarse["test"]
    (_, y), _ = keras.datasets.cifar100.load_data("fine")
    assert y[:, 0].tolist() == fine["train"]


def _imdb_npz(x_train, x_test):
    buf = io.BytesIO()
    obj = np.empty(len(x_train), dtype=object)
    obj[:] = x_train
    obj_t = np.empty(len(x_test), dtype=object)
    obj_t[:] = x_test
    np.savez(buf, x_train=obj, y_train=np.arange(len(x_train)) % 2, x_test=obj_t,
             y_test=np.arange(len(x_test)) % 2)
    return buf.getvalue()


def test_imdb_object_arrays_read_safely(keras_home, tmp_path, monkeypatch):
    seqs = [[1, 14, 22, 16], [1, 194, 1153], [1, 4, 2, 2, 9]]
    body = _imdb_npz(seqs, seqs[:2])
    keras_home.mkdir(parents=True)
    (keras_home / "imdb.npz").write_bytes(body)
    monkeypatch.setattr(imdb, "PIN", _loader.Pin("sha256", hashlib.sha256(body).hexdigest()))
    (x, y), (xt, yt) = keras.datasets.imdb.load_data(start_char=None, index_from=0, seed=1)
    # numpy's own pickle-enabled reader of this (trusted, test-made) file, shuffled as keras does
    with np.load(io.BytesIO(body), allow_pickle=True) as ref:
        idx = np.arange(3)
        np.random.RandomState(1).shuffle(idx)
        assert [list(s) for s in x] == [list(ref["x_train"][i]) for i in idx]
        assert y.tolist() == ref["y_train"][idx].tolist()
    # an object array whose pickle would run code is refused, nothing runs
    marker = tmp_path / "pwned"
    bad = _imdb_npz([_RunsCode(marker)], [[1]])
    (keras_home / "imdb.npz").write_bytes(bad)
    monkeypatch.setattr(imdb, "PIN", _loader.Pin("sha256", hashlib.sha256(bad).hexdigest()))
    with pytest.raises(ValueError, match=r"imdb.npz is not a readable .npz file \(refusing to "
                                         r"load (posix|os|nt)\.system"):
        keras.datasets.imdb.load_data()
    assert not marker.exists()


def test_word_index_md5_pin(keras_home):
    keras_home.mkdir(parents=True)
    (keras_home / "reuters_word_index.json").write_text('{"the": 1}')
    found = hashlib.md5(b'{"the": 1}').hexdigest()
    with pytest.raises(ValueError, match=rf"does not match the published MD5 checksum of "
                                         rf"reuters_word_index.json \(expected "
                                         rf"4d44cc38712099c9e383dc6e5f11a921, found {found}\)"):
        keras.datasets.reuters.get_word_index()


def test_unusable_cache_never_falls_back_to_a_shared_directory(tmp_path, monkeypatch):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(shared))
    monkeypatch.setenv("TMPDIR", str(shared))
    (tmp_path / "afile").write_text("not a directory")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "afile"))
    with pytest.raises(OSError, match=r"keras' dataset cache directory .*afile/datasets is not "
                                      r"usable \(.*\); set the environment variable KERAS_HOME "
                                      r"to a directory you can write"):
        keras.datasets.mnist.load_data()
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)  # no home directory at all
    with pytest.raises(OSError, match=r"is not an absolute path \(no home directory\?\); set "
                                      r"the environment variable KERAS_HOME"):
        keras.datasets.boston_housing.load_data()
    assert os.listdir(shared) == []
