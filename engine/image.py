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

__all__ = ["resize", "resize_array", "ResizeMethod"]


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
