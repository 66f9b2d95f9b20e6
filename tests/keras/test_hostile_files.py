"""Model files built to hurt: zip bombs, planted symbolic links, stale temp files, permissions."""

import io
import os
import stat
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest
from tensorbridge.engine import _files, keras
from tensorbridge.engine.keras import layers

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
