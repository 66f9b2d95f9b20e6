"""Images, text and time series from files and arrays (keras 2 semantics), checked against
Pillow decoding the same files, numpy indexing and closed forms of the transforms."""

import hashlib
import os
import zipfile

import numpy as np
import pytest
from PIL import Image
from tensorbridge.engine.keras import data_utils
from tensorbridge.engine.keras import image as kimage


@pytest.fixture
def folder(tmp_path):
    """Two class folders ("b_dog" listed after "a_cat") of PNG and JPEG images, 8 x 9."""
    rng = np.random.default_rng(0)
    files = {}
    for c in ("b_dog", "a_cat"):
        os.makedirs(tmp_path / c)
        for i in range(5):
            a = rng.integers(0, 256, (8, 9, 3), dtype=np.uint8)
            ext = "png" if i % 2 == 0 else "jpg"
            p = str(tmp_path / c / f"img{i}.{ext}")
            Image.fromarray(a).save(p)
            files[p] = c
    (tmp_path / "a_cat" / "notes.txt").write_text("not an image")
    return tmp_path, files


def pillow(path, mode="RGB"):
    a = np.asarray(Image.open(path).convert(mode), dtype=np.float32)
    return a[:, :, None] if a.ndim == 2 else a


def collect(ds):
    xs, ys = zip(*list(ds))
    return np.concatenate(xs), np.concatenate(ys)


def test_folder_decodes_as_pillow_with_alphabetical_labels(folder):
    root, files = folder
    ds = kimage.image_dataset_from_directory(root, image_size=(8, 9), batch_size=3,
                                             shuffle=False)
    assert list(ds.class_names) == ["a_cat", "b_dog"]
    x, y = collect(ds)
    order = sorted(files, key=lambda p: (files[p], p))
    assert list(ds.file_paths) == order
    np.testing.assert_array_equal(x, np.stack([pillow(p) for p in order]))
    np.testing.assert_array_equal(y, [0] * 5 + [1] * 5)
    assert x.dtype == np.float32 and y.dtype == np.int32
    assert [b[0].shape[0] for b in ds] == [3, 3, 3, 1]


def test_shuffled_folder_keeps_image_label_pairs_and_grayscale(folder):
    root, files = folder
    ds = kimage.image_dataset_from_directory(root, image_size=(8, 9), batch_size=4,
                                             seed=5, color_mode="grayscale",
                                             label_mode="categorical")
    x, y = collect(ds)
    expect = {p: pillow(p, "L") for p in files}
    assert x.shape == (10, 8, 9, 1)
    for xi, yi in zip(x, y):
        hits = [p for p, e in expect.items() if np.array_equal(e, xi)]
        assert len(hits) == 1
        assert yi.tolist() == ([1, 0] if files[hits[0]] == "a_cat" else [0, 1])


def test_validation_split_subsets_are_disjoint_and_cover_the_folder(folder):
    root, files = folder
    tr, va = kimage.image_dataset_from_directory(root, image_size=(4, 4), seed=3,
                                                 validation_split=0.3, subset="both")
    assert len(va.file_paths) == int(0.3 * 10) and len(tr.file_paths) == 7
    assert sorted(list(tr.file_paths) + list(va.file_paths)) == sorted(files)
    va2 = kimage.image_dataset_from_directory(root, image_size=(4, 4), seed=3,
                                              validation_split=0.3, subset="validation")
    assert list(va2.file_paths) == list(va.file_paths)
    with pytest.raises(ValueError, match="seed"):
        kimage.image_dataset_from_directory(root, validation_split=0.3, subset="training")


def test_resize_and_binary_labels(folder):
    root, files = folder
    ds = kimage.image_dataset_from_directory(root, image_size=(4, 6), label_mode="binary",
                                             shuffle=False, batch_size=20)
    x, y = collect(ds)
    assert x.shape == (10, 4, 6, 3) and y.shape == (10, 1) and y.dtype == np.float32
    assert y[:, 0].tolist() == [0.0] * 5 + [1.0] * 5
    assert 0 <= x.min() and x.max() <= 255
    # the pixels Pillow decodes, resized as tf.image.resize (tests/engine/test_image_resize.py)
    from tensorbridge.engine.image import resize_array

    order = sorted(files, key=lambda p: (files[p], p))
    for method in ("bilinear", "area", "nearest"):
        ds = kimage.image_dataset_from_directory(root, image_size=(4, 6), shuffle=False,
                                                 batch_size=20, interpolation=method)
        x, _ = collect(ds)
        np.testing.assert_allclose(x, np.stack([resize_array(pillow(p), (4, 6), method)
                                                for p in order]), rtol=1e-6)
    ds = kimage.image_dataset_from_directory(root, image_size=(2, 6), shuffle=False,
                                             batch_size=20, crop_to_aspect_ratio=True)
    x, _ = collect(ds)
    # 8 x 9 at aspect 2:6 -> a window 9 * 2 // 6 = 3 rows high, rows (8 - 3) // 2 = 2 to 5
    np.testing.assert_allclose(x, np.stack([resize_array(pillow(p)[2:5], (2, 6))
                                            for p in order]), rtol=1e-6)


def test_empty_and_unreadable(tmp_path):
    (tmp_path / "empty" / "cls").mkdir(parents=True)
    with pytest.raises(ValueError, match="empty"):
        kimage.image_dataset_from_directory(tmp_path / "empty")
    bad = tmp_path / "bad" / "cls"
    bad.mkdir(parents=True)
    (bad / "broken.png").write_bytes(b"\x89PNG not really")
    ds = kimage.image_dataset_from_directory(tmp_path / "bad", image_size=(2, 2))
    with pytest.raises(ValueError, match="broken.png"):
        list(ds)
    with pytest.raises(ValueError, match="broken.png"):
        kimage.load_img(str(bad / "broken.png"))
    with pytest.raises(FileNotFoundError, match="nothere"):
        kimage.image_dataset_from_directory(tmp_path / "nothere")


def test_load_img_array_and_save_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (5, 7, 3)).astype(np.float32)
    a[0, 0] = 0
    a[0, 1] = 255
    p = str(tmp_path / "x.png")
    kimage.save_img(p, a, scale=False)
    np.testing.assert_array_equal(kimage.img_to_array(kimage.load_img(p)), a)
    # scale = TRUE maps min..max onto 0..255
    kimage.save_img(p, a / 255.0 * 2 - 1)
    np.testing.assert_allclose(kimage.img_to_array(kimage.load_img(p)), a, atol=1)
    small = kimage.img_to_array(kimage.load_img(p, target_size=(3, 4)))
    assert small.shape == (3, 4, 3)
    g = kimage.img_to_array(kimage.load_img(p, color_mode="grayscale"))
    np.testing.assert_array_equal(g, pillow(p, "L"))


def test_resize_array_is_linear_with_corners_kept():
    ramp = np.arange(5.0)[:, None, None] * np.ones((1, 4, 1))
    out = kimage.resize_array(ramp, 9, 2)
    np.testing.assert_allclose(out[:, 0, 0], np.linspace(0, 4, 9))
    assert out.shape == (9, 2, 1)


def gen(**kw):
    return kimage.ImageDataGenerator(**kw)


def test_flip_shift_rotation_rescale_closed_forms():
    x = np.arange(4 * 5 * 2, dtype=np.float32).reshape(4, 5, 2)
    g = gen(fill_mode="constant", cval=-1)
    np.testing.assert_array_equal(g.apply_transform(x, {"flip_horizontal": True}),
                                  x[:, ::-1, :])
    np.testing.assert_array_equal(g.apply_transform(x, {"flip_vertical": True}), x[::-1])
    # a shift of 2 columns (ty = 2): output[:, c] = input[:, c + 2], filled with cval
    shifted = np.full_like(x, -1)
    shifted[:, :3] = x[:, 2:]
    np.testing.assert_array_equal(g.apply_transform(x, {"ty": 2}), shifted)
    down = np.full_like(x, -1)
    down[1:] = x[:-1]
    np.testing.assert_array_equal(g.apply_transform(x, {"tx": -1}), down)
    near = gen(fill_mode="nearest").apply_transform(x, {"ty": 2})
    np.testing.assert_array_equal(near[:, 3:], np.repeat(x[:, 4:5], 2, axis=1))
    wrap = gen(fill_mode="wrap").apply_transform(x, {"ty": 2})
    np.testing.assert_array_equal(wrap, np.roll(x, -2, axis=1))
    sq = np.arange(5 * 5, dtype=np.float32).reshape(5, 5, 1)
    rot = gen().apply_transform(sq, {"theta": 90})
    np.testing.assert_allclose(rot[:, :, 0], np.rot90(sq[:, :, 0], -1), atol=1e-5)
    r = gen(rescale=1 / 255).standardize(x.copy())
    np.testing.assert_allclose(r, x / 255, rtol=1e-6)


def test_random_flip_and_shift_draws_are_their_closed_forms():
    x = np.arange(6 * 6, dtype=np.float32).reshape(6, 6, 1)
    g = gen(horizontal_flip=True, width_shift_range=[2], fill_mode="constant")
    seen = set()
    for s in range(30):
        out = g.random_transform(x, seed=s)
        for flip in (False, True):
            for k in (2, -2):
                e = np.zeros_like(x)
                if k > 0:
                    e[:, :6 - k] = x[:, k:]
                else:
                    e[:, -k:] = x[:, :6 + k]
                if flip:
                    e = e[:, ::-1]
                if np.array_equal(out, e):
                    seen.add((flip, k))
    assert seen == {(False, 2), (False, -2), (True, 2), (True, -2)}


def test_featurewise_statistics_are_numpy_s():
    rng = np.random.default_rng(2)
    x = rng.normal(3, 2, (20, 4, 4, 3)).astype(np.float32)
    g = gen(featurewise_center=True, featurewise_std_normalization=True)
    g.fit(x)
    np.testing.assert_allclose(g.mean.reshape(-1), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(g.std.reshape(-1), x.std(axis=(0, 1, 2)), rtol=1e-4)
    out = g.standardize(x[0])
    np.testing.assert_allclose(out, (x[0] - x.mean(axis=(0, 1, 2))) /
                               (x.std(axis=(0, 1, 2)) + 1e-6), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="fit"):
        gen(featurewise_center=True).standardize(x[0])


def test_flow_is_a_sequence_whose_epoch_covers_every_sample_once():
    x = np.arange(10 * 2 * 2 * 1, dtype=np.float32).reshape(10, 2, 2, 1)
    y = np.arange(10)
    it = gen().flow(x, y, batch_size=4, seed=7)
    assert len(it) == 3
    ys = np.concatenate([it[i][1] for i in range(len(it))])
    assert sorted(ys.tolist()) == list(range(10))
    for i in range(len(it)):
        bx, by = it[i]
        np.testing.assert_array_equal(bx, x[by])
        np.testing.assert_array_equal(it[i][1], by)  # same batch when asked again
    first = ys.copy()
    it.on_epoch_end()
    again = np.concatenate([it[i][1] for i in range(len(it))])
    assert sorted(again.tolist()) == list(range(10)) and again.tolist() != first.tolist()
    # iterating loops over epochs forever
    looped = [next(it)[1] for _ in range(7)]
    assert sum(len(b) for b in looped[:3]) == 10 and len(looped) == 7
    with pytest.raises(IndexError):
        it[3]
    va = gen(validation_split=0.3).flow(x, y, batch_size=10, subset="validation",
                                        shuffle=False)
    np.testing.assert_array_equal(va[0][1], y[:3])


def test_flow_from_directory_and_dataframe(folder):
    import pandas as pd

    root, files = folder
    it = gen(rescale=1 / 255).flow_from_directory(root, target_size=(8, 9), batch_size=4,
                                                  shuffle=False, class_mode="sparse")
    assert it.class_indices == {"a_cat": 0, "b_dog": 1} and it.samples == 10
    bx, by = it[0]
    order = sorted(files, key=lambda p: (files[p], p))
    np.testing.assert_allclose(bx, np.stack([pillow(p) for p in order[:4]]) / 255,
                               rtol=1e-6)
    np.testing.assert_array_equal(by, [0, 0, 0, 0])
    df = pd.DataFrame({"filename": [os.path.relpath(p, root) for p in order],
                       "class": [files[p] for p in order]})
    it = gen().flow_from_dataframe(df, str(root), target_size=(8, 9), batch_size=10,
                                   shuffle=False)
    bx, by = it[0]
    np.testing.assert_array_equal(bx, np.stack([pillow(p) for p in order]))
    np.testing.assert_array_equal(by.argmax(1), [0] * 5 + [1] * 5)
    with pytest.raises(ValueError, match="no images"):
        gen().flow_from_directory(root / "a_cat")


def test_text_folder_is_the_files_text(tmp_path):
    texts = {}
    for c in ("neg", "pos"):
        (tmp_path / c).mkdir()
        for i in range(3):
            p = tmp_path / c / f"t{i}.txt"
            p.write_text(f"{c} review number {i}\nsecond line")
            texts[str(p)] = c
    ds = kimage.text_dataset_from_directory(tmp_path, batch_size=4, shuffle=False)
    x, y = collect(ds)
    order = sorted(texts, key=lambda p: (texts[p], p))
    assert x.tolist() == [open(p).read() for p in order]
    assert y.tolist() == [0, 0, 0, 1, 1, 1]
    ds = kimage.text_dataset_from_directory(tmp_path, batch_size=4, max_length=5, seed=1)
    x, _ = collect(ds)
    assert sorted(x.tolist()) == sorted(open(p).read()[:5] for p in order)


def test_timeseries_windows_are_numpy_indexing():
    data = np.arange(100.0).reshape(50, 2)
    targets = np.arange(50) * 10
    ds = kimage.timeseries_dataset_from_array(data, targets, sequence_length=4,
                                              sequence_stride=3, sampling_rate=2,
                                              batch_size=5, start_index=2, end_index=40)
    x, y = collect(ds)
    starts = list(range(0, 38 - 3 * 2, 3))
    expect = np.stack([data[2 + s + np.arange(4) * 2] for s in starts])
    np.testing.assert_array_equal(x, expect)
    np.testing.assert_array_equal(y, targets[[2 + s for s in starts]])
    sh = kimage.timeseries_dataset_from_array(data, targets, sequence_length=4, shuffle=True,
                                              seed=2, batch_size=7)
    x, y = collect(sh)
    for xi, yi in zip(x, y):
        s = yi // 10
        np.testing.assert_array_equal(xi, data[s:s + 4])
    assert sorted((y // 10).tolist()) == list(range(47))
    with pytest.raises(ValueError, match="no window"):
        kimage.timeseries_dataset_from_array(data, None, sequence_length=60)


# -- get_file ----------------------------------------------------------------------------
def test_get_file_downloads_checks_caches_and_extracts(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    payload = src / "words.zip"
    with zipfile.ZipFile(payload, "w") as z:
        z.writestr("inner/a.txt", "hello")
    sha = hashlib.sha256(payload.read_bytes()).hexdigest()
    cache = tmp_path / "cache"
    origin = payload.as_uri()  # a local file: nothing leaves the machine
    path = data_utils.get_file("words.zip", origin, file_hash=sha, cache_dir=str(cache),
                               extract=True)
    assert path == str(cache / "datasets" / "words.zip")
    assert (cache / "datasets" / "inner" / "a.txt").read_text() == "hello"
    payload.unlink()  # now only the cache has it
    assert data_utils.get_file("words.zip", origin, file_hash=sha,
                               cache_dir=str(cache)) == path
    md5 = hashlib.md5((cache / "datasets" / "words.zip").read_bytes()).hexdigest()
    assert data_utils.get_file("words.zip", origin, file_hash=md5, cache_dir=str(cache),
                               hash_algorithm="md5") == path
    with pytest.raises(OSError, match=r"words\.zip.*put it at .*datasets"):
        data_utils.get_file("words.zip", origin, file_hash="0" * 64, cache_dir=str(cache))
    with pytest.raises(OSError, match=r"other\.bin.*not cached.*put it at"):
        data_utils.get_file("other.bin", "http://127.0.0.1:9/other.bin",
                            cache_dir=str(cache))
    assert not (cache / "datasets" / "other.bin").exists()


def test_get_file_refuses_a_bad_download_and_a_path_escaping_archive(tmp_path):
    src = tmp_path / "f.bin"
    src.write_bytes(b"abc")
    with pytest.raises(ValueError, match="does not match"):
        data_utils.get_file("f.bin", src.as_uri(), file_hash="1" * 32,
                            cache_dir=str(tmp_path / "c"))
    assert not (tmp_path / "c" / "datasets" / "f.bin").exists()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escaped.txt", "x")
    with pytest.raises(ValueError, match="outside"):
        data_utils.get_file("evil.zip", evil.as_uri(), cache_dir=str(tmp_path / "c"),
                            extract=True)
    assert not (tmp_path / "c" / "escaped.txt").exists()


def test_fit_on_a_folder_iterator_equals_fit_on_the_decoded_arrays(folder):
    from tensorbridge.engine import keras

    root, files = folder
    order = sorted(files, key=lambda p: (files[p], p))
    x = np.stack([pillow(p, "L") for p in order]) / 255
    y = np.asarray([0] * 5 + [1] * 5)

    def model():
        m = keras.Sequential([keras.layers.Flatten(input_shape=(8, 9, 1)),
                              keras.layers.Dense(2, activation="softmax",
                                                 kernel_initializer="zeros")])
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        return m

    it = gen(rescale=1 / 255).flow_from_directory(root, target_size=(8, 9),
                                                  color_mode="grayscale", batch_size=4,
                                                  shuffle=False, class_mode="sparse")
    a, b = model(), model()
    a.fit(it, epochs=2, shuffle=False, verbose=0)  # keras shuffles the batch order otherwise
    b.fit(x.astype(np.float32), y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
    ds = kimage.image_dataset_from_directory(root, image_size=(8, 9), batch_size=4,
                                             color_mode="grayscale", shuffle=False)
    c = model()
    c.fit(ds.map(lambda xb, yb: (xb / 255, yb)), epochs=2, verbose=0)
    for wa, wc in zip(a.get_weights(), c.get_weights()):
        np.testing.assert_allclose(wa, wc, rtol=1e-5, atol=1e-6)


def test_zoom_channel_shift_brightness_and_samplewise_closed_forms():
    # zoom 0.5 about the centre of a ramp image: output[r] = o + 0.5 (r - o), o = h/2 - 0.5
    ramp = np.repeat(np.arange(6.0)[:, None], 4, axis=1)[:, :, None].astype(np.float32)
    out = gen().apply_transform(ramp, {"zx": 0.5, "zy": 0.5})
    o = 6 / 2 - 0.5
    np.testing.assert_allclose(out[:, :, 0], np.repeat((o + 0.5 * (np.arange(6) - o))[:, None],
                                                       4, axis=1), atol=1e-6)
    x = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)
    shifted = gen().apply_transform(x, {"channel_shift_intensity": 4.0})
    np.testing.assert_array_equal(shifted, np.clip(x + 4, x.min(), x.max()))
    img = np.random.default_rng(3).integers(0, 256, (4, 4, 3)).astype(np.float32)
    np.testing.assert_array_equal(gen().apply_transform(img, {"brightness": 1.0}), img)
    np.testing.assert_array_equal(gen().apply_transform(img, {"brightness": 0.0}),
                                  np.zeros_like(img))
    s = gen(samplewise_center=True, samplewise_std_normalization=True).standardize(img)
    np.testing.assert_allclose(s, (img - img.mean()) / (img.std() + 1e-6), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("workers", ["0", "2"])
def test_png_files_decode_as_pillow_by_every_path(tmp_path, monkeypatch, workers):
    """8-bit PNGs in the asked colour mode go through libspng, the rest (16-bit, palette,
    a colour type to convert, a damaged file) through Pillow: every file gives Pillow's
    pixels, in both folder readers, decoded in this process or in worker processes."""
    monkeypatch.setenv("TENSORBRIDGE_IMAGE_WORKERS", workers)
    monkeypatch.setattr(kimage, "_PROCESS_MIN_FILES", 1)
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    images = {
        "gray": Image.fromarray(rgb[:, :, 0]),
        "rgb": Image.fromarray(rgb),
        "rgba": Image.fromarray(np.dstack([rgb, rgb[:, :, :1]])),
        "gray16": Image.fromarray(rgb[:, :, 0].astype(np.uint16) * 257),
        "palette": Image.fromarray(rgb).quantize(16),
        "gray_with_transparency": Image.fromarray(rgb[:, :, 0]),
    }
    os.makedirs(tmp_path / "c")
    paths = {}
    for name, img in images.items():
        paths[name] = str(tmp_path / "c" / f"{name}.png")
        extra = {"transparency": 7} if name == "gray_with_transparency" else {}
        img.save(paths[name], **extra)
    fast = {"gray": "grayscale", "gray_with_transparency": "grayscale", "rgb": "rgb",
            "rgba": "rgba"}
    for name, p in paths.items():
        for mode, pil_mode in (("grayscale", "L"), ("rgb", "RGB"), ("rgba", "RGBA")):
            x = kimage._png_pixels(p, mode)
            assert (x is not None) == (fast.get(name) == mode), (name, mode)
            if x is not None:
                np.testing.assert_array_equal(x, pillow(p, pil_mode))
    for mode, pil_mode in (("grayscale", "L"), ("rgb", "RGB"), ("rgba", "RGBA")):
        ds = kimage.image_dataset_from_directory(tmp_path, image_size=(6, 7), batch_size=2,
                                                 shuffle=False, color_mode=mode)
        got = np.concatenate([x for x, _ in ds])
        assert got.dtype == np.float32
        want = [pillow(p, pil_mode) if name != "gray16" or mode != "grayscale" else
                np.asarray(Image.open(p), dtype=np.float32)[:, :, None]
                for p, name in sorted((p, n) for n, p in paths.items())]
        np.testing.assert_array_equal(got, np.stack(want))
        it = kimage.ImageDataGenerator().flow_from_directory(
            str(tmp_path), target_size=(6, 7), color_mode=mode, class_mode=None,
            shuffle=False, batch_size=len(paths))
        np.testing.assert_array_equal(it[0], np.stack(want))
    from tensorbridge.engine import _workers
    assert ((os.getpid(), 2) in _workers._POOLS) == (workers == "2")
    damaged = tmp_path / "c" / "rgb.png"
    damaged.write_bytes(damaged.read_bytes()[:60])
    assert kimage._png_pixels(str(damaged), "rgb") is None
    with pytest.raises(ValueError, match="cannot read the image file .*rgb.png"):
        list(kimage.image_dataset_from_directory(tmp_path, image_size=(6, 7), shuffle=False))


def test_image_workers_setting_is_checked(folder, monkeypatch):
    root, _ = folder
    monkeypatch.setattr(kimage, "_PROCESS_MIN_FILES", 1)
    monkeypatch.setenv("TENSORBRIDGE_IMAGE_WORKERS", "two")
    with pytest.raises(ValueError, match="TENSORBRIDGE_IMAGE_WORKERS must be a whole number"):
        kimage.image_dataset_from_directory(root, image_size=(8, 9))


def test_zca_whitening_is_keras_2_13s_and_whitens():
    """The whitening matrix from the centred data's SVD (keras 2.13); whitened data have
    (nearly) the identity as covariance when there are more images than pixels."""
    rng = np.random.default_rng(4)
    mix = rng.normal(size=(12, 12))
    x = (rng.normal(size=(400, 12)) @ mix + 3.0).reshape(400, 2, 2, 3)
    with pytest.warns(UserWarning, match="featurewise_center"):
        g = gen(zca_whitening=True, zca_epsilon=1e-9)
    g.fit(x)
    assert g.featurewise_center
    # keras centres per channel (featurewise_center), then whitens with Sigma^(-1/2),
    # Sigma the second moments of the centred pixels
    flat = (x - x.mean(axis=(0, 1, 2))).reshape(400, -1)
    vals, vecs = np.linalg.eigh(flat.T @ flat / 400)
    want = vecs @ np.diag(1 / np.sqrt(vals)) @ vecs.T
    np.testing.assert_allclose(g.zca_whitening_matrix, want, rtol=2e-3, atol=1e-5)
    white = np.stack([g.standardize(xi.astype(np.float32)) for xi in x]).reshape(400, -1)
    np.testing.assert_allclose(white.T @ white / 400, np.eye(12), atol=2e-3)
    with pytest.warns(UserWarning, match="replaces featurewise_std_normalization"):
        unfit = gen(zca_whitening=True, featurewise_center=True,
                    featurewise_std_normalization=True)
    assert not unfit.featurewise_std_normalization
    with pytest.raises(ValueError, match="not fit"):
        unfit.standardize(x[0])


def test_save_to_dir_writes_each_augmented_image(tmp_path):
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 255, (5, 6, 7, 3)).astype(np.float32)
    out = tmp_path / "aug"
    out.mkdir()
    it = gen(horizontal_flip=True).flow(x, batch_size=5, shuffle=False, seed=2,
                                        save_to_dir=str(out), save_prefix="aug",
                                        save_format="png")
    batch = it[0]
    saved = sorted(out.iterdir())
    assert len(saved) == 5 and all(p.name.startswith("aug_") for p in saved)
    # each file is its image scaled to 0-255 (keras saves with scale = TRUE)
    by_index = {int(p.name.split("_")[1]): p for p in saved}
    for i in range(5):
        got = np.asarray(Image.open(by_index[i]), dtype=np.float64)
        b = batch[i].astype(np.float64)
        want = (b - b.min()) / (b.max() - b.min()) * 255
        np.testing.assert_allclose(got, want, atol=1.0)


def test_dataframe_class_modes_raw_and_multi_output(folder):
    import pandas as pd

    root, files = folder
    order = sorted(files, key=lambda p: (files[p], p))
    df = pd.DataFrame({"filename": order, "w": np.arange(10) * 0.5,
                       "h": np.arange(10)[::-1].astype(float)})
    it = gen().flow_from_dataframe(df, y_col="w", class_mode="raw", target_size=(8, 9),
                                   batch_size=10, shuffle=False)
    bx, by = it[0]
    np.testing.assert_array_equal(by, df["w"].to_numpy())
    np.testing.assert_array_equal(bx, np.stack([pillow(p) for p in order]))
    it = gen().flow_from_dataframe(df, y_col=["w", "h"], class_mode="raw",
                                   target_size=(8, 9), batch_size=4, shuffle=False)
    np.testing.assert_array_equal(it[1][1], df[["w", "h"]].to_numpy()[4:8])
    it = gen().flow_from_dataframe(df, y_col=["w", "h"], class_mode="multi_output",
                                   target_size=(8, 9), batch_size=4, shuffle=False)
    _, ys = it[2]
    assert len(ys) == 2
    np.testing.assert_array_equal(ys[0], df["w"].to_numpy()[8:])
    np.testing.assert_array_equal(ys[1], df["h"].to_numpy()[8:])
