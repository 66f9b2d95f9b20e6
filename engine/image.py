"""Image operations with TensorFlow's semantics (``tf.image``): ``resize``.

Every method resamples each spatial axis with a weight matrix (output pixels x input
pixels), so an image is ``W_h @ image @ W_w^T`` per channel, the weights being those of
TensorFlow's kernels:

* without antialiasing, ``bilinear``, ``nearest`` and ``bicubic`` sample at half-pixel
  centres (``in = (out + 0.5) * in_size / out_size - 0.5``; TF 2's ``ResizeBilinear`` /
  ``ResizeNearestNeighbor`` / ``ResizeBicubic`` with ``half_pixel_centers``), bicubic with
  Keys' kernel (a = -0.5), taps outside the image dropped and the rest renormalized;
  ``area`` averages the input pixels each output pixel covers, weighted by the overlap;
* ``lanczos3``, ``lanczos5``, ``gaussian``, ``mitchellcubic``, and any method with
  ``antialias=True``, use TF's ``scale_and_translate``: the kernel centred on each output
  pixel, widened by the downscaling factor when antialiasing, the weights of the input
  pixels inside the image normalized to sum 1.
"""

import math

import numpy as np

from .errors import InvalidArgumentError

__all__ = ["resize", "resize_array", "ResizeMethod", "flip_left_right", "flip_up_down", "rot90",
           "rgb_to_grayscale", "grayscale_to_rgb", "convert_image_dtype", "adjust_brightness",
           "adjust_contrast", "per_image_standardization", "crop_to_bounding_box",
           "central_crop", "pad_to_bounding_box"]


class ResizeMethod:
    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _lanczos(radius):
    def k(x):
        x = np.abs(x)
        out = np.zeros_like(x)
        inside = x < radius
        xi = np.where(x == 0, 1.0, x)
        val = radius * np.sin(np.pi * xi) * np.sin(np.pi * xi / radius) / (np.pi * xi) ** 2
        out[inside] = np.where(x[inside] == 0, 1.0, val[inside])
        return out
    return k, float(radius)


def _gaussian(x):
    x = np.abs(x)
    sigma = 1.5 / 3.0
    return np.where(x < 1.5, np.exp(-x * x / (2 * sigma * sigma)), 0.0)


def _box(x):
    x = np.abs(x)
    return np.where(x < 0.5, 1.0, np.where(x == 0.5, 0.5, 0.0))


def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    x = np.abs(x)
    return np.where(x < 1, ((1.5 * x - 2.5) * x) * x + 1,
                    np.where(x < 2, ((-0.5 * x + 2.5) * x - 4) * x + 2, 0.0))


def _mitchell(x):
    x = np.abs(x)
    return np.where(x < 1, (7 / 6) * x ** 3 - 2 * x ** 2 + 8 / 9,
                    np.where(x < 2, -(7 / 18) * x ** 3 + 2 * x ** 2 - (10 / 3) * x + 16 / 9,
                             0.0))


_KERNELS = {
    "lanczos3": _lanczos(3), "lanczos5": _lanczos(5), "gaussian": (_gaussian, 1.5),
    "area": (_box, 1.0), "bilinear": (_triangle, 1.0), "bicubic": (_keys_cubic, 2.0),
    "mitchellcubic": (_mitchell, 2.0),
}
def _f32_scale(n_in, n_out):
    """TensorFlow's float32 scale in / out (sample positions are float32 there, which
    decides the taps that fall exactly on a kernel's edge)."""
    return np.float32(n_in) / np.float32(n_out)


_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
            "mitchellcubic")


def _scale_and_translate(n_in, n_out, method, antialias):
    kernel, radius = _KERNELS[method]
    inv_scale = np.float32(1) / (np.float32(n_out) / np.float32(n_in))
    kscale = max(float(inv_scale), 1.0) if antialias else 1.0
    radius = radius * kscale
    w = np.zeros((n_out, n_in))
    for o in range(n_out):
        centre = np.float32(o + 0.5) * inv_scale
        if centre < 0 or centre > n_in:
            continue
        lo = max(0, int(math.ceil(centre - radius - 0.5)))
        hi = min(n_in, int(math.floor(centre + radius - 0.5)) + 1)
        idx = np.arange(lo, hi)
        pos = (idx.astype(np.float32) + np.float32(0.5) - centre).astype(np.float64)
        vals = kernel(np.abs(pos) / kscale)
        total = vals.sum()
        if abs(total) >= 1000 * np.finfo(np.float32).tiny:
            w[o, lo:hi] = vals / total
    return w


def _half_pixel(n_in, n_out):
    pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * _f32_scale(n_in, n_out)
    return (pos - np.float32(0.5)).astype(np.float64)


def _bilinear(n_in, n_out):
    pos = _half_pixel(n_in, n_out)
    floor = np.floor(pos)
    lo = np.clip(floor, 0, n_in - 1).astype(int)
    hi = np.clip(np.ceil(pos), 0, n_in - 1).astype(int)
    frac = pos - floor
    w = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(w, (rows, lo), 1 - frac)
    np.add.at(w, (rows, hi), frac)
    return w


def _nearest(n_in, n_out):
    pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * _f32_scale(n_in, n_out)
    idx = np.minimum(np.floor(pos), n_in - 1)
    w = np.zeros((n_out, n_in))
    w[np.arange(n_out), np.maximum(idx, 0).astype(int)] = 1.0
    return w


def _bicubic(n_in, n_out):
    pos = _half_pixel(n_in, n_out)
    w = np.zeros((n_out, n_in))
    for o, p in enumerate(pos):
        base = int(math.floor(p))
        # TF reads the weights from a table of 1024 steps of the fraction
        t = np.rint((p - base) * 1024) / 1024
        taps = np.arange(base - 1, base + 3)
        vals = _keys_cubic(np.array([1 + t, t, 1 - t, 2 - t]))
        inside = (taps >= 0) & (taps < n_in)
        vals = np.where(inside, vals, 0.0)
        total = vals.sum()
        if abs(total) >= 1000 * np.finfo(np.float32).eps:
            vals = vals / total
        for tap, v in zip(np.clip(taps, 0, n_in - 1), vals):
            w[o, tap] += v
    return w


def _area(n_in, n_out):
    scale = _f32_scale(n_in, n_out)
    w = np.zeros((n_out, n_in))
    for o in range(n_out):
        start, end = float(np.float32(o) * scale), float(np.float32(o + 1) * scale)
        for i in range(int(math.floor(start)), int(math.ceil(end))):
            overlap = min(i + 1, end) - max(i, start)
            if overlap > 0:
                w[o, min(i, n_in - 1)] += overlap / float(scale)
    return w


def _weights(n_in, n_out, method, antialias):
    """(n_out, n_in) weights; ``antialias`` matters to bilinear and bicubic (and the
    scale-and-translate kernels), not to nearest and area, as in TensorFlow."""
    if antialias and method in ("bilinear", "bicubic") or method in (
            "lanczos3", "lanczos5", "gaussian", "mitchellcubic"):
        return _scale_and_translate(n_in, n_out, method, antialias)
    return {"bilinear": _bilinear, "nearest": _nearest, "bicubic": _bicubic,
            "area": _area}[method](n_in, n_out)


def _target(height, width, size, preserve_aspect_ratio):
    try:
        new_h, new_w = (int(s) for s in size)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"resize: size must be two whole numbers (height, width), "
                                   f"not {size!r}") from None
    if new_h < 1 or new_w < 1:
        raise InvalidArgumentError(f"resize: size must be positive, not {size!r}")
    if preserve_aspect_ratio:
        factor = min(new_h / height, new_w / width)
        new_h = max(1, int(round(height * factor)))
        new_w = max(1, int(round(width * factor)))
    return new_h, new_w


def resize_array(images, size, method="bilinear", antialias=False,
                 preserve_aspect_ratio=False):
    """``resize`` on a numpy array (height, width, channels) or (batch, height, width,
    channels); float32, except that ``nearest`` keeps the input's type."""
    if method not in _METHODS:
        raise InvalidArgumentError(f"resize: method must be one of {', '.join(_METHODS)}, "
                                   f"not {method!r}")
    x = np.asarray(images)
    if x.ndim not in (3, 4):
        raise InvalidArgumentError(f"resize: images must be 3-d (height, width, channels) or "
                                   f"4-d (batch, height, width, channels), not shape "
                                   f"{x.shape}")
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    h, w = x.shape[1:3]
    if h == 0 or w == 0:
        raise InvalidArgumentError(f"resize: the images are empty (shape {np.shape(images)})")
    new_h, new_w = _target(h, w, size, preserve_aspect_ratio)
    wh = _weights(h, new_h, method, antialias)
    ww = _weights(w, new_w, method, antialias)
    out = np.einsum("oh,nhwc->nowc", wh, x.astype(np.float64))
    out = np.einsum("pw,nowc->nopc", ww, out)
    out = out.astype(x.dtype if method == "nearest" else np.float32)
    return out if batched else out[0]


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False,
           name=None):
    """``tf.image.resize``: images (height, width, channels) or a batch of them resized to
    ``size`` (height, width) with ``method`` (see the module's notes); a Tensor."""
    from .tensor import Tensor, convert_to_tensor

    data = images.numpy() if isinstance(images, Tensor) else images
    method = getattr(method, "value", method)
    return convert_to_tensor(resize_array(data, size, str(method), bool(antialias),
                                          bool(preserve_aspect_ratio)))


# -- flips, crops, colour and dtype (compositions of recorded ops: differentiable) --------
def _image(x, what):
    from .ops import _t

    t = _t(x, what)
    if t._data.ndim not in (3, 4):
        raise InvalidArgumentError(f"{what}: expected an image (height, width, channels) or a "
                                   f"batch of them, not shape {tuple(t.shape)}")
    return t


def flip_left_right(image):
    """``tf.image.flip_left_right``: the width axis reversed."""
    from .ops import reverse

    return reverse(_image(image, "image.flip_left_right"), [-2])


def flip_up_down(image):
    """``tf.image.flip_up_down``: the height axis reversed."""
    from .ops import reverse

    return reverse(_image(image, "image.flip_up_down"), [-3])


def rot90(image, k=1, name=None):
    """``tf.image.rot90``: rotated by 90 degrees counter-clockwise ``k`` times."""
    from .ops import reverse, transpose

    x = _image(image, "image.rot90")
    k = int(k) % 4
    nd = x._data.ndim
    perm = list(range(nd))
    perm[-3], perm[-2] = perm[-2], perm[-3]
    for _ in range(k):  # counter-clockwise: flip left-right, then swap the axes
        x = transpose(reverse(x, [-2]), perm)
    return x


def rgb_to_grayscale(images, name=None):
    """``tf.image.rgb_to_grayscale``: the ITU-R 601 luma 0.2989 R + 0.5870 G + 0.1140 B, one
    channel kept (in the input's dtype)."""
    from .ops import cast, expand_dims, tensordot

    x = _image(images, "image.rgb_to_grayscale")
    if x.shape[-1] != 3:
        raise InvalidArgumentError(f"image.rgb_to_grayscale: expected 3 channels, not "
                                   f"{x.shape[-1]}")
    f = convert_image_dtype(x, "float32")
    gray = expand_dims(tensordot(f, np.array([0.2989, 0.5870, 0.1140], np.float32),
                                 [[-1], [-1]]), -1)
    return convert_image_dtype(gray, x.dtype.name) if not x.dtype.is_floating else \
        cast(gray, x.dtype)


def grayscale_to_rgb(images, name=None):
    from .ops import tile

    x = _image(images, "image.grayscale_to_rgb")
    if x.shape[-1] != 1:
        raise InvalidArgumentError(f"image.grayscale_to_rgb: expected 1 channel, not "
                                   f"{x.shape[-1]}")
    return tile(x, [1] * (x._data.ndim - 1) + [3])


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``tf.image.convert_image_dtype``: integers are fractions of their type's maximum
    (uint8 255 is 1.0); floats to integers scale by (max + 0.5) and truncate; floats to
    floats only cast."""
    from . import dtypes as _dtypes
    from .ops import _t, cast, clip_by_value

    x = _t(image, "image.convert_image_dtype")
    src, dst = x.dtype, _dtypes.as_dtype(dtype)
    if src == dst:
        return x
    if src.is_floating and dst.is_floating:
        return cast(x, dst)
    if src.is_integer and dst.is_floating:
        return cast(x, dst) * (1.0 / float(np.iinfo(src.np).max))
    if src.is_floating and dst.is_integer:
        top = float(np.iinfo(dst.np).max)
        scaled = x * (top + 0.5)
        if saturate:
            scaled = clip_by_value(scaled, float(np.iinfo(dst.np).min), top)
        return cast(scaled, dst)
    # integer to integer: by the ratio of the maxima
    ratio = (float(np.iinfo(dst.np).max) + 1) / (float(np.iinfo(src.np).max) + 1)
    return cast(cast(x, "float64") * ratio, dst)


def adjust_brightness(image, delta):
    """``tf.image.adjust_brightness``: ``delta`` added to the image in [0, 1] floats (an
    integer image converted there and back)."""
    x = _image(image, "image.adjust_brightness")
    f = convert_image_dtype(x, "float32") if not x.dtype.is_floating else x
    out = f + delta
    return out if x.dtype.is_floating else convert_image_dtype(out, x.dtype.name,
                                                              saturate=True)


def adjust_contrast(images, contrast_factor):
    """``tf.image.adjust_contrast``: each channel's values moved away from (factor > 1) or
    towards its mean over the image: ``(x - mean) * factor + mean``."""
    from .ops import reduce_mean

    x = _image(images, "image.adjust_contrast")
    f = convert_image_dtype(x, "float32") if not x.dtype.is_floating else x
    mean = reduce_mean(f, axis=[-3, -2], keepdims=True)
    out = (f - mean) * contrast_factor + mean
    return out if x.dtype.is_floating else convert_image_dtype(out, x.dtype.name,
                                                              saturate=True)


def per_image_standardization(image):
    """``tf.image.per_image_standardization``: each image to mean 0 and standard deviation
    1, dividing by at least 1 / sqrt(number of values)."""
    from .ops import maximum, reduce_mean, reduce_std

    x = _image(image, "image.per_image_standardization")
    f = convert_image_dtype(x, "float32") if not x.dtype.is_floating else x
    n = int(np.prod(f.shape[-3:]))
    mean = reduce_mean(f, axis=[-3, -2, -1], keepdims=True)
    std = reduce_std(f, axis=[-3, -2, -1], keepdims=True)
    return (f - mean) / maximum(std, 1.0 / np.sqrt(n))


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.crop_to_bounding_box``: the window starting at (offset_height,
    offset_width), 0-based, of the target size."""
    x = _image(image, "image.crop_to_bounding_box")
    h, w = x.shape[-3], x.shape[-2]
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                        target_width))
    if min(oh, ow) < 0 or min(th, tw) < 1 or oh + th > h or ow + tw > w:
        raise InvalidArgumentError(
            f"image.crop_to_bounding_box: the window {th} x {tw} at ({oh}, {ow}) does not "
            f"fit in an image of {h} x {w}")
    return x[..., oh:oh + th, ow:ow + tw, :]


def central_crop(image, central_fraction):
    """``tf.image.central_crop``: the centred window with ``central_fraction`` of each side
    (TF's rounding)."""
    x = _image(image, "image.central_crop")
    frac = float(central_fraction)
    if not 0 < frac <= 1:
        raise InvalidArgumentError(f"image.central_crop: central_fraction must be in (0, 1], "
                                   f"not {frac}")
    h, w = x.shape[-3], x.shape[-2]
    top = int((h - h * frac) / 2)
    left = int((w - w * frac) / 2)
    return x[..., top:h - top, left:w - left, :]


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.pad_to_bounding_box``: the image placed at (offset_height, offset_width)
    in a zero image of the target size."""
    from .ops import pad

    x = _image(image, "image.pad_to_bounding_box")
    h, w = x.shape[-3], x.shape[-2]
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                        target_width))
    after_h, after_w = th - oh - h, tw - ow - w
    if min(oh, ow, after_h, after_w) < 0:
        raise InvalidArgumentError(
            f"image.pad_to_bounding_box: an image of {h} x {w} at ({oh}, {ow}) does not fit "
            f"in {th} x {tw}")
    lead = [[0, 0]] * (x._data.ndim - 3)
    return pad(x, lead + [[oh, after_h], [ow, after_w], [0, 0]])
