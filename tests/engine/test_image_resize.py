"""tf.image.resize (engine/image.py) against closed forms of TensorFlow's kernels.

(Every method, with and without antialias, also agreed with TensorFlow 2.21's own
tf.image.resize to within float32 rounding on 160 shape pairs, checked in the
benchmark's environment, which has TensorFlow; the tests here need no TensorFlow.)"""

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine.errors import InvalidArgumentError
from tensorbridge.engine.image import resize_array


def col(values):
    """A (n, 1, 1) image: one column of pixels."""
    return np.asarray(values, dtype=np.float64).reshape(-1, 1, 1)


def out(x):
    return np.asarray(x).reshape(-1)


def test_bilinear_samples_at_half_pixel_centres():
    a, b = 10.0, 30.0
    np.testing.assert_allclose(out(resize_array(col([a, b]), (4, 1))),
                               [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b], rtol=1e-6)
    x = np.arange(8.0) ** 2
    np.testing.assert_allclose(out(resize_array(col(x), (4, 1))),
                               (x[0::2] + x[1::2]) / 2, rtol=1e-6)
    # with antialias, halving is the triangle filter 1/8, 3/8, 3/8, 1/8 (edges renormalized)
    got = out(resize_array(col(x), (4, 1), antialias=True))
    i = 1
    np.testing.assert_allclose(got[i], np.dot([1, 3, 3, 1], x[2 * i - 1:2 * i + 3]) / 8,
                               rtol=1e-6)
    np.testing.assert_allclose(got[0], np.dot([3, 3, 1], x[0:3]) / 7, rtol=1e-6)


def test_nearest_area_and_bicubic_closed_forms():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0])
    np.testing.assert_array_equal(out(resize_array(col(x), (3, 1), "nearest")), x[1::2])
    np.testing.assert_array_equal(out(resize_array(col(x[:3]), (6, 1), "nearest")),
                                  np.repeat(x[:3], 2))
    ints = np.arange(6, dtype=np.uint8).reshape(6, 1, 1)
    assert resize_array(ints, (3, 1), "nearest").dtype == np.uint8
    np.testing.assert_allclose(out(resize_array(col(x), (2, 1), "area")),
                               [x[:3].mean(), x[3:].mean()], rtol=1e-6)
    # 3 -> 2: the first output covers pixel 0 and half of pixel 1
    np.testing.assert_allclose(out(resize_array(col(x[:3]), (2, 1), "area")),
                               [(x[0] + 0.5 * x[1]) / 1.5, (0.5 * x[1] + x[2]) / 1.5],
                               rtol=1e-6)
    # Keys' cubic reproduces a straight line away from the edges, and constants everywhere
    ramp = np.arange(10.0) * 2 + 1
    got = out(resize_array(col(ramp), (20, 1), "bicubic"))
    pos = (np.arange(20) + 0.5) / 2 - 0.5
    inner = (pos >= 1) & (pos <= 8)
    np.testing.assert_allclose(got[inner], pos[inner] * 2 + 1, atol=2e-3)
    for method in ("bicubic", "lanczos3", "lanczos5", "gaussian", "mitchellcubic", "area"):
        np.testing.assert_allclose(resize_array(np.full((5, 7, 2), 42.0), (9, 3), method),
                                   42.0, rtol=1e-6, err_msg=method)


def test_kernels_at_the_same_size():
    x = np.array([0.0, 10.0, 0.0, 20.0, 5.0])
    # lanczos at integer offsets is the identity; the gaussian (sigma 0.5) blurs its
    # neighbours with weights exp(-d^2 / 0.5)
    np.testing.assert_allclose(out(resize_array(col(x), (5, 1), "lanczos3")), x, atol=1e-5)
    w = np.exp(-np.array([1.0, 0.0, 1.0]) ** 2 / 0.5)
    np.testing.assert_allclose(out(resize_array(col(x), (5, 1), "gaussian"))[2],
                               np.dot(w, x[1:4]) / w.sum(), rtol=1e-6)


def test_batches_shapes_and_the_tensor_api():
    rng = np.random.default_rng(0)
    imgs = rng.uniform(size=(2, 6, 8, 3))
    one = resize_array(imgs[1], (3, 5))
    np.testing.assert_allclose(resize_array(imgs, (3, 5))[1], one, rtol=1e-6)
    t = tf.image.resize(tf.constant(imgs), (3, 5))
    assert tuple(t.shape) == (2, 3, 5, 3) and t.dtype == tf.float32
    assert resize_array(imgs[0], (4, 4), preserve_aspect_ratio=True).shape == (3, 4, 3)
    with pytest.raises(InvalidArgumentError, match="method must be one of"):
        resize_array(imgs, (2, 2), "cubic")
    with pytest.raises(InvalidArgumentError, match="3-d .* or 4-d"):
        resize_array(np.zeros((4, 4)), (2, 2))
    with pytest.raises(InvalidArgumentError, match="size must be positive"):
        resize_array(imgs, (0, 2))


def test_flips_rotations_crops_and_pads_are_numpy_indexing():
    rng = np.random.default_rng(1)
    img = rng.uniform(size=(2, 5, 6, 3))
    t = tf.constant(img)
    np.testing.assert_array_equal(tf.image.flip_left_right(t).numpy(), img[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(t).numpy(), img[:, ::-1])
    for k in range(4):
        np.testing.assert_array_equal(tf.image.rot90(t, k).numpy(),
                                      np.rot90(img, k, axes=(1, 2)))
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(t, 1, 2, 3, 2).numpy(),
                                  img[:, 1:4, 2:4])
    np.testing.assert_array_equal(tf.image.central_crop(t, 0.5).numpy(), img[:, 1:4, 1:5])
    padded = tf.image.pad_to_bounding_box(t, 1, 2, 8, 9).numpy()
    assert padded.shape == (2, 8, 9, 3)
    np.testing.assert_array_equal(padded[:, 1:6, 2:8], img)
    assert padded.sum() == pytest.approx(img.sum())
    with pytest.raises(InvalidArgumentError, match="does not fit"):
        tf.image.crop_to_bounding_box(t, 3, 0, 3, 2)


def test_colour_and_dtype_conversions():
    rng = np.random.default_rng(2)
    u8 = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    f = tf.image.convert_image_dtype(tf.constant(u8), tf.float32).numpy()
    np.testing.assert_allclose(f, u8 / 255.0, rtol=1e-6)
    back = tf.image.convert_image_dtype(tf.constant(f), tf.uint8).numpy()
    np.testing.assert_array_equal(back, (f * 255.5).astype(np.uint8))
    gray = tf.image.rgb_to_grayscale(tf.constant(u8.astype(np.float32))).numpy()
    np.testing.assert_allclose(gray[..., 0], u8 @ np.array([0.2989, 0.5870, 0.1140]),
                               rtol=1e-5)
    assert tf.image.rgb_to_grayscale(tf.constant(u8)).dtype == tf.uint8
    rgb = tf.image.grayscale_to_rgb(tf.constant(gray)).numpy()
    np.testing.assert_array_equal(rgb, np.repeat(gray, 3, axis=-1))
    x = rng.uniform(size=(4, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(tf.image.adjust_brightness(tf.constant(x), 0.1).numpy(),
                               x + 0.1, rtol=1e-6)
    mean = x.mean(axis=(0, 1))
    np.testing.assert_allclose(tf.image.adjust_contrast(tf.constant(x), 2.0).numpy(),
                               (x - mean) * 2 + mean, rtol=1e-5)
    std = tf.image.per_image_standardization(tf.constant(x)).numpy()
    np.testing.assert_allclose(std, (x - x.mean()) / max(x.std(), 1 / np.sqrt(x.size)),
                               rtol=1e-4, atol=1e-6)
    brighter = tf.image.adjust_brightness(tf.constant(u8), 0.5).numpy()
    assert brighter.dtype == np.uint8 and brighter.max() == 255
