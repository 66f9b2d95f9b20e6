"""Model files built to hurt: zip bombs, planted symbolic links, stale temp files, permissions."""

import io
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest
from tensorbridge.engine import _files, keras
from tensorbridge.engine.keras import layers, saving

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file semantics")


def _model():
    m = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    m.compile(optimizer="adam", loss="mse")
    return m


def _rebuild(src, dst, replace):
    """Copy the zip ``src`` to ``dst``, writing ``replace[name](zipfile_out)`` instead of
    the member ``name``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in replace:
                replace[info.filename](zout)
            else:
                zout.writestr(info, zin.read(info))


def _bomb(src, dst, nbytes):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED,
                                                      compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename == "weights.npz":
                with zout.open("weights.npz", "w", force_zip64=True) as f:
                    chunk = bytes(1 << 24)
                    for _ in range(nbytes // len(chunk)):
                        f.write(chunk)
            else:
                zout.writestr(info.filename, zin.read(info))


BOMB = 512 << 20


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_zip_bomb_is_refused_before_inflating(tmp_path):
    good = tmp_path / "good.tbm"
    _model().save(good)
    bomb = tmp_path / "bomb.tbm"
    _bomb(good, bomb, BOMB)
    with zipfile.ZipFile(bomb) as z:  # the archive is small but declares 512 MB
        assert z.getinfo("weights.npz").file_size == BOMB
    assert bomb.stat().st_size < 8 << 20
    # in a fresh process, so that its peak memory is the load's alone: the kernel's high-water
    # mark of the process' own memory (VmHWM; ru_maxrss would carry over the forking parent's)
    script = textwrap.dedent(f"""
        from tensorbridge.engine import keras
        try:
            keras.models.load_model({str(bomb)!r})
        except ValueError as exc:
            print("REFUSED", exc)
        hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
        print("PEAK_MB", int(hwm.split()[1]) / 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    assert "REFUSED" in out, out
    assert "weights.npz declares 536870912 bytes unpacked, more than the" in out
    peak = float(out.split("PEAK_MB")[1])
    assert peak < 200, f"peak memory {peak:.0f} MB while refusing a {BOMB >> 20} MB bomb"


def test_inner_array_declaring_more_than_the_model_needs_is_refused(tmp_path):
    m = _model()
    good = tmp_path / "good.tbm"
    m.save(good)
    weights = [w.copy() for w in m.get_weights()]

    def lying_npz(z):  # the first array's header says (3, 4), its zip entry claims more
        buf = io.BytesIO()
        np.savez(buf, **{f"a{i:05d}": w for i, w in enumerate(weights)})
        out = io.BytesIO()
        with zipfile.ZipFile(buf) as inner, zipfile.ZipFile(out, "w") as zo:
            for info in inner.infolist():
                data = inner.read(info)
                if info.filename == "a00000.npy":
                    data += bytes(4096)
                zo.writestr(info.filename, data)
        z.writestr("weights.npz", out.getvalue())

    bad = tmp_path / "bad.tbm"
    _rebuild(good, bad, {"weights.npz": lying_npz})
    size = 128 + 3 * 4 * 4  # numpy's 128-byte header, then the (3, 4) float32 kernel
    with pytest.raises(ValueError, match=rf"bad.tbm is not a tensorbridge model file \(weights.npz "
                                         rf"is damaged: a00000.npy declares {size + 4096} bytes "
                                         rf"but its header says {size}\)"):
        keras.models.load_model(bad)

    def object_npz(z):  # a pickled object array instead of numbers
        buf = io.BytesIO()
        arrays = {f"a{i:05d}": w for i, w in enumerate(weights)}
        arrays["a00000"] = np.array([[None] * 4] * 3, dtype=object)
        np.savez(buf, **arrays)
        z.writestr("weights.npz", buf.getvalue())

    _rebuild(good, bad, {"weights.npz": object_npz})
    with pytest.raises(ValueError, match=r"weights.npz is damaged: array of dtype object"):
        keras.models.load_model(bad)


def test_saved_files_honour_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        _model().save(tmp_path / "m.tbm")
        _model().save_weights(tmp_path / "w.tbw")
    finally:
        os.umask(old)
    for name in ("m.tbm", "w.tbw"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~0o027
    old = os.umask(0o002)
    try:
        _model().save(tmp_path / "m.tbm")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "m.tbm").stat().st_mode) == 0o664


def test_planted_symlinks_do_not_redirect_the_write(tmp_path, monkeypatch):
    inside, outside = tmp_path / "models", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("precious")
    # a symlink at the target name: the link is replaced, the file it pointed to is untouched
    (inside / "m.tbm").symlink_to(victim)
    _model().save(inside / "m.tbm")
    assert not (inside / "m.tbm").is_symlink()
    assert zipfile.is_zipfile(inside / "m.tbm")
    assert victim.read_text() == "precious"
    # a symlink at the temp name the saver will pick first: never written through
    names = iter([".m.tbm." + _files.TAG + "-planted-1-0000beef"])
    real = _files.temp_name
    monkeypatch.setattr(_files, "temp_name",
                        lambda target: next(names, None) or real(target))
    (inside / (".m.tbm." + _files.TAG + "-planted-1-0000beef")).symlink_to(victim)
    _model().save(inside / "m.tbm")
    assert victim.read_text() == "precious"
    assert zipfile.is_zipfile(inside / "m.tbm")
    assert sorted(os.listdir(outside)) == ["victim.txt"]


def test_next_save_removes_only_dead_writers_temp_files(tmp_path):
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        host = _files._host()
        stale = tmp_path / f".m.tbm.{_files.TAG}-{host}-{dead.pid}-0123abcd"
        busy = tmp_path / f".m.tbm.{_files.TAG}-{host}-{live.pid}-0123abcd"
        remote = tmp_path / f".m.tbm.{_files.TAG}-otherhost-{dead.pid}-0123abcd"
        old_remote = tmp_path / f".x.tbm.{_files.TAG}-otherhost-{dead.pid}-4567abcd"
        foreign = tmp_path / ".m.tbm.abc123.tmp"  # not our pattern: somebody else's file
        for p in (stale, busy, remote, old_remote, foreign):
            p.write_bytes(b"partial")
        week = time.time() - 7 * 24 * 3600
        os.utime(old_remote, (week, week))
        _model().save(tmp_path / "m.tbm")
        assert sorted(os.listdir(tmp_path)) == sorted(["m.tbm", busy.name, remote.name,
                                                       foreign.name])
    finally:
        live.kill()
        live.wait()


# -- configs that declare more than the file holds -----------------------------------------------
def _with_members(src, dst, **members):
    """Copy the model file ``src`` to ``dst`` with the named members (``config_json=...``
    for config.json) replaced by the given text or bytes."""
    replace = {name.replace("_json", ".json").replace("_npz", ".npz"): data
               for name, data in members.items()}
    _rebuild(src, dst, {name: (lambda z, name=name, data=data: z.writestr(name, data))
                        for name, data in replace.items()})


def _sequential_config(layer, input_shape):
    return json.dumps({"class_name": "Sequential", "format_version": 1,
                       "config": {"name": "hostile", "layers": [layer],
                                  "build_input_shape": [None, *input_shape]}})


# each: a layer config, the input shape, the first weight past the file, its value count
HUGE = {
    "dense": ({"class_name": "Dense", "config": {"name": "d", "units": 2_000_000_000}},
              [1000], "d/kernel of shape 1000 x 2000000000", 1000 * 2_000_000_000),
    "embedding": ({"class_name": "Embedding",
                   "config": {"name": "e", "input_dim": 10 ** 9, "output_dim": 1000}},
                  [10], "e/embeddings of shape 1000000000 x 1000", 10 ** 12),
    "conv2d": ({"class_name": "Conv2D",
                "config": {"name": "c", "filters": 10 ** 6, "kernel_size": 3}},
               [32, 32, 3], "c/kernel of shape 3 x 3 x 3 x 1000000", 27 * 10 ** 6),
    "lstm": ({"class_name": "LSTM", "config": {"name": "r", "units": 10 ** 5}},
             [10, 8], "r/kernel of shape 8 x 400000", 8 * 4 * 10 ** 5),
}


def _npz_bytes_held(path):
    """What the file's weights.npz holds: the sizes of the arrays inside it (all stored)."""
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(io.BytesIO(z.read("weights.npz"))) as n:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in n.infolist())
        return sum(i.file_size for i in n.infolist())


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_configs_declaring_huge_layers_are_refused_before_allocating(tmp_path):
    good = tmp_path / "good.tbm"
    _model().save(good)
    held = _npz_bytes_held(good)
    expected = {}
    for kind, (layer, shape, first, values) in HUGE.items():
        path = tmp_path / f"{kind}.tbm"
        _with_members(good, path, config_json=_sequential_config(layer, shape))
        assert path.stat().st_size < 8 << 10
        expected[str(path)] = (
            f"{path}: the model file declares weights of at least {values} bytes but holds "
            f"only {held} bytes of weights (the first weight past that is {first}); the file "
            "is damaged or not a tensorbridge model, and those weights were not allocated")
    # weights.npz padded with 64 MB of zeros that deflate to a few kilobytes: what the file
    # holds is capped by what its stored bytes can expand to (deflate: at most 1032-fold)
    padded = tmp_path / "padded.tbm"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "config.json":
                data = _sequential_config(HUGE["dense"][0], [1000])
            elif info.filename == "weights.npz":
                data += bytes(64 << 20)
            zout.writestr(info.filename, data)
    with zipfile.ZipFile(padded) as z:
        info = z.getinfo("weights.npz")
        assert info.file_size > 64 << 20 and padded.stat().st_size < 160 << 10
        bound = min(info.file_size, info.compress_size * 1032)
    expected[str(padded)] = (
        f"{padded}: the model file declares weights of at least {1000 * 2_000_000_000} bytes "
        f"but holds only {bound} bytes of weights")
    script = textwrap.dedent(f"""
        from tensorbridge.engine import keras
        for path in {sorted(expected)!r}:
            try:
                keras.models.load_model(path)
                print("LOADED", path)
            except ValueError as exc:
                print("REFUSED", exc)
        hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
        print("PEAK_MB", int(hwm.split()[1]) / 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    refused = [line[len("REFUSED "):] for line in out.splitlines() if line.startswith("REFUSED")]
    assert len(refused) == len(expected), out
    for line, path in zip(refused, sorted(expected)):
        assert line.startswith(expected[path]), (line, expected[path])
    peak = float(out.split("PEAK_MB")[1])
    assert peak < 200, f"peak memory {peak:.0f} MB while refusing huge declared layers"


def test_a_member_declaring_more_stored_bytes_than_the_archive_has_is_refused(tmp_path):
    good = tmp_path / "good.tbm"
    _model().save(good)
    data = bytearray(good.read_bytes())
    # the central directory entry of weights.npz claims 2 GB stored (and unpacked)
    entry = data.index(b"PK\x01\x02")
    while not data[entry + 46:].startswith(b"weights.npz"):
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 20:entry + 28] = (2 ** 31).to_bytes(4, "little") * 2
    bad = tmp_path / "bad.tbm"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=rf"bad.tbm is not a tensorbridge model file \(weights.npz "
                                         rf"declares {2 ** 31} bytes stored, but the archive has "
                                         rf"only {len(data)} bytes\)"):
        keras.models.load_model(bad)


def test_deeply_nested_or_oversized_json_is_a_clear_error(tmp_path):
    good = tmp_path / "good.tbm"
    _model().save(good)
    bad = tmp_path / "bad.tbm"
    deep = "[" * 100_000 + "]" * 100_000
    nested = "nested more than 100 levels deep (a model's configuration needs a few dozen)"
    for member in ("config.json", "compile.json", "tensorbridge.json"):
        _rebuild(good, bad, {member: lambda z, member=member: z.writestr(member, deep)})
        with pytest.raises(ValueError, match=re.escape(
                f"bad.tbm is not a tensorbridge model file ({member} is {nested})")):
            keras.models.load_model(bad)
    # just past the limit, parsed fine by json but refused before anything recurses on it
    _with_members(good, bad, config_json="[" * 101 + "]" * 101)
    with pytest.raises(ValueError, match=re.escape(f"(config.json is {nested})")):
        keras.models.load_model(bad)
    with pytest.raises(ValueError, match=re.escape(f"model_from_json: the text is {nested}")):
        keras.models.model_from_json(deep)
    # 10 001 layers (a few hundred kilobytes), or 2 000 001 empty lists in a list (6 MB)
    many = json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Activation", "config": {"activation": "relu"}}] * 10_001}})
    _with_members(good, bad, config_json=many)
    with pytest.raises(ValueError, match=re.escape(
            "(config.json describes 10001 layers, more than the 10000 a tensorbridge model "
            "may have)")):
        keras.models.load_model(bad)
    _with_members(good, bad, config_json="[" + "[]," * 2_000_000 + "[]]")
    with pytest.raises(ValueError, match=re.escape(
            "(config.json holds about 2000002 values, more than the 2000000 a model's "
            "configuration may have (a layer needs about 50))")):
        keras.models.load_model(bad)


def test_configs_that_do_not_describe_a_model_are_clear_errors(tmp_path):
    good = tmp_path / "good.tbm"
    _model().save(good)
    bad = tmp_path / "bad.tbm"
    prefix = f"{bad}: its config.json does not describe a model that tensorbridge can build ("

    def refused(config):
        _with_members(good, bad, config_json=json.dumps(config))
        with pytest.raises(ValueError) as err:
            keras.models.load_model(bad)
        assert str(err.value).startswith(prefix), str(err.value)
        return str(err.value)[len(prefix):]

    seq = {"class_name": "Sequential", "config": {"name": "s", "build_input_shape": [None, 3]}}
    # a layer class the engine does not define is named before anything is built
    _with_members(good, bad, config_json=json.dumps({**seq, "config": {**seq["config"], "layers": [
        {"class_name": "EvilLayer", "config": {}}]}}))
    with pytest.raises(saving.UnknownClassesError) as err:
        keras.models.load_model(bad)
    assert str(err.value) == (f"{bad} uses the custom layer class(es) 'EvilLayer', which "
                              "tensorbridge does not define; pass them in custom_objects when "
                              "loading")
    assert refused({"class_name": "Evil", "config": {}}) == (
        "unknown model class 'Evil'; pass it in custom_objects={'Evil': TheClass})")
    assert refused({**seq, "config": {**seq["config"], "layers": [{"config": {}}]}}) == (
        "an entry lacks the field 'class_name')")
    assert refused({**seq, "config": {**seq["config"], "layers": [7]}}).startswith(
        "an entry is not what was expected: ")
    assert refused([1, 2]).startswith("an entry is not what was expected: ")
    assert refused({**seq, "config": {**seq["config"], "layers": [
        {"class_name": "Dense", "config": {"units": 0}}]}}) == (
        "Dense: units must be a positive integer, got 0)")


def test_loading_runs_no_code_from_the_file(tmp_path):
    """Names in a file are looked up in the engine's tables, never imported or evaluated;
    a class of the user's own is used only when the caller passes it in custom_objects."""
    good = tmp_path / "good.tbm"
    _model().save(good)
    bad = tmp_path / "bad.tbm"
    sentinel = tmp_path / "ran"
    popen = {"class_name": "subprocess.Popen", "config": {"args": ["touch", str(sentinel)]}}
    for evil in ({"class_name": "os.system", "config": {"command": f"touch {sentinel}"}},
                 {"class_name": "Dense", "config": {"units": 2, "kernel_initializer": popen}},
                 {"class_name": "Dense", "config": {"units": 2, "activation": "eval"}}):
        _with_members(good, bad, config_json=_sequential_config(evil, [3]))
        # an unknown layer class is named as such; a bad name inside a known
        # layer's config makes the config one tensorbridge cannot build
        with pytest.raises(ValueError, match="does not describe a model|which tensorbridge "
                                             "does not define"):
            keras.models.load_model(bad)
    assert not sentinel.exists()

    class Doubler(layers.Layer):
        def call(self, x):
            return x * 2.0

        def compute_output_shape(self, input_shape):
            return input_shape

    _with_members(good, bad, config_json=_sequential_config(
        {"class_name": "Doubler", "config": {"name": "doubler"}}, [3]),
        weights_npz=saving._npz_bytes([]))
    with pytest.raises(saving.UnknownClassesError, match=r"custom layer class\(es\) 'Doubler'"):
        keras.models.load_model(bad, compile=False)
    m = keras.models.load_model(bad, custom_objects={"Doubler": Doubler}, compile=False)
    np.testing.assert_array_equal(m.predict(np.ones((2, 3), np.float32), verbose=0),
                                  np.full((2, 3), 2.0, np.float32))


def test_optimizer_order_must_name_distinct_weights(tmp_path):
    m = _model()
    m.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
    good = tmp_path / "good.tbm"
    m.save(good)
    bad = tmp_path / "bad.tbm"
    # a slot for weight 0 a million times over would allocate a million copies of it
    for order in ([0] * 1_000_000, [0, 1, 2, 3, 4], [-1, 0, 1, 2], "0123", [0.0, 1, 2, 3]):
        _with_members(good, bad, optimizer_json=json.dumps({"var_order": order}))
        with pytest.raises(ValueError, match=re.escape(
                "bad.tbm is not a tensorbridge model file (optimizer.json does not list "
                "distinct weights of the model)")):
            keras.models.load_model(bad)
    assert keras.models.load_model(bad, compile=False).count_params() == m.count_params()


def test_building_a_long_model_computes_each_layer_shape_once(monkeypatch):
    # a file may declare thousands of layers: adding them one by one (as
    # loading does) must not rebuild every earlier layer on each add
    calls = []
    original = keras.layers.Dense.compute_output_shape

    def counted(self, input_shape):
        calls.append(self.name)
        return original(self, input_shape)

    monkeypatch.setattr(keras.layers.Dense, "compute_output_shape", counted)
    n = 200
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(3,))] +
                             [keras.layers.Dense(3) for _ in range(n - 1)])
    assert model.output_shape == (None, 3)
    assert len(calls) == n and len(set(calls)) == n
    calls.clear()
    rebuilt = keras.Sequential.from_config(model.get_config())
    assert len(calls) == n and rebuilt.output_shape == (None, 3)
