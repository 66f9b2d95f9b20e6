"""Images for keras (keras 2 semantics): loading and saving with Pillow, arrays, keras 2's
``ImageDataGenerator`` with its augmentations and ``flow*`` iterators, and the folder
datasets ``image_dataset_from_directory`` / ``text_dataset_from_directory`` /
``timeseries_dataset_from_array`` built on ``tensorbridge.engine.data.Dataset``.

Images are decoded by Pillow (PNG, JPEG, BMP, GIF, TIFF ...), never by hand; the folder
readers decode 8-bit PNG files already in the asked colour mode with libspng (pyspng), several
times faster than Pillow on small files and, PNG being lossless, the same pixels. Folder
datasets of ``_PROCESS_MIN_FILES`` files or more decode in worker processes
(``engine/_workers.py``), several batches at once. Arrays are (height, width, channels) with
``data_format="channels_last"`` (keras' default).

The ``flow*`` iterators are keras 2 ``Sequence``-like: ``len(it)`` batches per epoch,
``it[i]`` the i-th batch ``(x, y)`` (or ``x``, or ``(x, y, sample_weight)``),
``on_epoch_end()`` reshuffles; iterating them loops forever, as keras 2's iterators do.
Their randomness (shuffle order, augmentation) comes from ``seed``, the epoch and the batch
index, so ``it[i]`` gives the same batch whenever it is asked for within an epoch.

The affine augmentations (rotation, shift, shear, zoom) follow keras 2's
``apply_affine_transform`` (a transform about the image centre, sampled with bilinear
interpolation, points outside filled by ``fill_mode``), implemented with numpy.
"""

import os
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._env import getenv
from .._workers import shared_pool
from ..image import resize_array as _tf_resize

__all__ = [
    "load_img", "img_to_array", "array_to_img", "save_img", "resize_array",
    "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "DirectoryIterator",
    "DataFrameIterator", "apply_affine_transform", "image_dataset_from_directory",
    "text_dataset_from_directory", "timeseries_dataset_from_array",
]

# keras 2: flow_from_directory's formats; image_dataset_from_directory's formats
WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")
DATASET_IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")

_POOL = None
# Folder datasets of at least this many files decode in worker processes (Python's GIL
# lets a thread decode only one small file at a time, and holds it while R code runs).
_PROCESS_MIN_FILES = 2000


def _decode_workers():
    """How many processes decode folder images: TENSORBRIDGE_IMAGE_WORKERS if set (0: decode
    in a thread of this process), else the number of cores, at most 4; 0 on one core."""
    env = getenv("TENSORBRIDGE_IMAGE_WORKERS", "").strip()
    if env:
        try:
            n = int(env)
        except ValueError:
            raise ValueError(f"TENSORBRIDGE_IMAGE_WORKERS must be a whole number of processes "
                             f"(0 decodes in this process), not {env!r}") from None
        return max(0, n)
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(4, cores)


def _decode_files(paths, color_mode, size, interpolation, crop):
    """The (n, height, width, channels) images of ``paths`` in the files' own type (uint8
    for 8-bit files not resized: a quarter of float32's bytes to send back from a worker
    process), float32 when resized."""
    return np.stack([_decode_image(p, color_mode, size, interpolation, crop) for p in paths])


def _pool():
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max(1, min(8, os.cpu_count() or 1)),
                                   thread_name_prefix="tb-image")
    return _POOL


def _map_files(fn, paths):
    """``[fn(p) for p in paths]``, in threads when the files are large enough for decoding
    (which releases the GIL) to outweigh the threads' overhead: small images (28 x 28 PNGs)
    decode faster in one thread."""
    if len(paths) > 1:
        try:
            big = os.path.getsize(paths[0]) > 32 * 1024
        except OSError:
            big = False
        if big:
            return list(_pool().map(fn, paths))
    return [fn(p) for p in paths]


def _pil():
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - pillow is a dependency
        raise ImportError("reading and writing images needs the Python package Pillow: "
                          "install it with `pip install pillow` (install_tensorbridge() "
                          "does)") from None
    return Image


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types (IHDR byte 25) whose 8-bit samples are already in a colour mode
_PNG_COLOUR_TYPE = {"grayscale": 0, "rgb": 2, "rgba": 6}
_PNG_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_SPNG = []


def _spng():
    if not _SPNG:
        try:
            import pyspng
        except ImportError:  # pragma: no cover - pyspng is a dependency; Pillow still reads
            pyspng = None
        _SPNG.append(pyspng)
    return _SPNG[0]


def _png_pixels(path, color_mode):
    """The (height, width, channels) uint8 pixels of an 8-bit PNG file whose colour type
    is ``color_mode``, decoded by libspng; None for any other file (other formats, bit
    depths or colour types, or one libspng refuses), which then goes through Pillow."""
    spng = _spng()
    if spng is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None  # Pillow's path gives the error that names the file
    if (len(data) < 33 or data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR"
            or data[24] != 8 or data[25] != _PNG_COLOUR_TYPE[color_mode]):
        return None
    try:
        x = spng.load(data)
    except Exception:  # noqa: BLE001 - a damaged file: Pillow's error names it
        return None
    if x.ndim == 2:
        x = x[:, :, None]
    if x.dtype != np.uint8 or x.shape[2] != _PNG_CHANNELS[color_mode]:
        return None  # e.g. a transparency chunk that made libspng add alpha
    return x


def _filters():
    Image = _pil()
    r = getattr(Image, "Resampling", Image)
    return {"nearest": r.NEAREST, "bilinear": r.BILINEAR, "bicubic": r.BICUBIC,
            "lanczos": r.LANCZOS, "box": r.BOX, "hamming": r.HAMMING}


# tf.image.resize's methods: image_dataset_from_directory's interpolation names
_DATASET_INTERP = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                   "gaussian", "mitchellcubic")


def _check_color_mode(color_mode, allowed=("grayscale", "rgb", "rgba")):
    if color_mode not in allowed:
        raise ValueError(f"color_mode must be one of {', '.join(map(repr, allowed))}, got "
                         f"{color_mode!r}")


def _size(target_size, what="target_size"):
    if target_size is None:
        return None
    ts = [int(v) for v in np.asarray(target_size).reshape(-1)]
    if len(ts) != 2 or min(ts) < 1:
        raise ValueError(f"{what} must be two positive whole numbers (height, width), got "
                         f"{target_size!r}")
    return ts[0], ts[1]


def _open(path, color_mode):
    """The decoded Pillow image of ``path`` in ``color_mode``; an error naming the file."""
    Image = _pil()
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            img = Image.open(f)
            img.load()
    except FileNotFoundError:
        raise FileNotFoundError(f"the image file {path!r} does not exist") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad files
        raise ValueError(f"cannot read the image file {path!r}: {type(exc).__name__}: "
                         f"{exc}") from None
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _crop_box(width, height, target_w, target_h):
    """The centred box of the largest window with the target's aspect ratio."""
    crop_w = min(width, height * target_w // target_h)
    crop_h = min(height, width * target_h // target_w)
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """A Pillow image of the file ``path`` (keras' ``load_img``), converted to
    ``color_mode`` and resized to ``target_size`` (height, width) if given."""
    if grayscale:
        color_mode = "grayscale"
    _check_color_mode(color_mode)
    filters = _filters()
    if interpolation not in filters:
        raise ValueError(f"interpolation must be one of {', '.join(map(repr, filters))}, got "
                         f"{interpolation!r}")
    img = _open(path, color_mode)
    size = _size(target_size)
    if size is not None:
        h, w = size
        if img.size != (w, h):
            box = _crop_box(img.size[0], img.size[1], w, h) if keep_aspect_ratio else None
            img = img.resize((w, h), filters[interpolation], box=box)
    return img


def img_to_array(img, data_format="channels_last", dtype="float32"):
    """A (height, width, channels) array of a Pillow image (channels first if asked)."""
    if data_format is None:
        data_format = "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got "
                         f"{data_format!r}")
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"an image must have 2 or 3 dimensions, this one has shape {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    return np.ascontiguousarray(x)


def array_to_img(x, data_format="channels_last", scale=True, dtype="float32"):
    """A Pillow image of a 3-d array (1, 3 or 4 channels); with ``scale`` the values are
    first mapped linearly onto 0..255 (minimum to 0, maximum to 255), as keras does."""
    Image = _pil()
    x = np.asarray(x, dtype=dtype)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3:
        raise ValueError(f"an image array must have 3 dimensions (height, width, channels), "
                         f"got shape {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if not np.all(np.isfinite(x)):
        raise ValueError("an image array must not hold NA, NaN or infinite values")
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        if np.min(x) < 0 or np.max(x) > 255:
            raise ValueError("the values of an RGB(A) image must lie in 0..255 (or use "
                             "scale = TRUE)")
        return Image.fromarray(np.round(x).astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(np.round(x[:, :, 0]).astype("int32"), "I")
        if np.min(x) < 0:
            raise ValueError("the values of a grayscale image must be >= 0")
        return Image.fromarray(np.round(x[:, :, 0]).astype("uint8"), "L")
    raise ValueError(f"an image must have 1, 3 or 4 channels, this array has {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Write the image array ``x`` to ``path`` (the format from ``file_format`` or the file
    name's extension)."""
    img = array_to_img(x, data_format=data_format or "channels_last", scale=scale)
    fmt = file_format or os.path.splitext(os.fspath(path))[1].lstrip(".") or None
    if img.mode == "RGBA" and fmt and fmt.lower() in ("jpg", "jpeg"):
        img = img.convert("RGB")
    if fmt and fmt.lower() == "jpg":
        fmt = "jpeg"
    try:
        img.save(os.fspath(path), format=fmt, **kwargs)
    except (KeyError, ValueError, OSError) as exc:
        raise ValueError(f"cannot write the image file {os.fspath(path)!r}: {exc}") from None
    return None


def _linear_axis(x, axis, out):
    """Linear interpolation of ``x`` along ``axis`` onto ``out`` points with the first and
    last points kept (the grid of scipy.ndimage.zoom(order=1))."""
    n = x.shape[axis]
    if out == n:
        return x
    pos = np.zeros(out) if out == 1 or n == 1 else np.arange(out) * ((n - 1) / (out - 1))
    lo = np.floor(pos).astype(int)
    lo = np.clip(lo, 0, n - 1)
    hi = np.minimum(lo + 1, n - 1)
    frac = pos - lo
    shape = [1] * x.ndim
    shape[axis] = out
    frac = frac.reshape(shape)
    return np.take(x, lo, axis=axis) * (1 - frac) + np.take(x, hi, axis=axis) * frac


def resize_array(img, height, width, data_format="channels_last"):
    """The image array resized to (height, width) with linear interpolation that keeps the
    corner pixels (keras R's ``image_array_resize``, scipy's ``zoom(order=1)``); a 4-d
    array with one image keeps its leading 1."""
    x = np.array(img, dtype=np.float64)
    four = x.ndim == 4 and x.shape[0] == 1
    if four:
        x = x[0]
    if x.ndim != 3:
        raise ValueError(f"img must be a 3-d image array (or 4-d with one image), got shape "
                         f"{np.shape(img)}")
    rows, cols = (0, 1) if data_format != "channels_first" else (1, 2)
    x = _linear_axis(_linear_axis(x, rows, int(height)), cols, int(width))
    return x[None] if four else x


# -- affine transforms (keras 2's apply_affine_transform, with numpy) ------------------------
def _sample(channel, coords_r, coords_c, fill_mode, cval):
    """Bilinear samples of the 2-d ``channel`` at real coordinates, outside points by
    fill_mode: constant (cval), nearest (edge), reflect (d c b a | a b c d | d c b a),
    wrap (a b c d | a b c d | a b c d)."""
    h, w = channel.shape
    r0 = np.floor(coords_r)
    c0 = np.floor(coords_c)
    fr = coords_r - r0
    fc = coords_c - c0
    r0 = r0.astype(np.int64)
    c0 = c0.astype(np.int64)
    out = np.zeros(coords_r.shape, dtype=np.float64)
    for dr, wr in ((0, 1 - fr), (1, fr)):
        for dc, wc in ((0, 1 - fc), (1, fc)):
            rr, cc = r0 + dr, c0 + dc
            weight = wr * wc
            if fill_mode == "constant":
                inside = (rr >= 0) & (rr < h) & (cc >= 0) & (cc < w)
                vals = np.where(inside, channel[np.clip(rr, 0, h - 1), np.clip(cc, 0, w - 1)],
                                cval)
            else:
                vals = channel[_fold(rr, h, fill_mode), _fold(cc, w, fill_mode)]
            out += weight * vals
    return out


def _fold(i, n, mode):
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    # reflect, the edge repeated: period 2n
    m = np.mod(i, 2 * n)
    return np.where(m < n, m, 2 * n - 1 - m)


FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=0,
                           col_axis=1, channel_axis=2, fill_mode="nearest", cval=0.0, order=1):
    """keras 2's affine transform of one image about its centre: rotation ``theta``
    (degrees), shift ``tx`` rows / ``ty`` columns (output[r, c] = input[r + tx, c + ty]),
    shear (degrees), zoom ``zx`` (rows) / ``zy`` (columns)."""
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {', '.join(map(repr, FILL_MODES))}, got "
                         f"{fill_mode!r}")
    if order not in (0, 1):
        raise ValueError("order (interpolation order) must be 0 or 1")
    m = np.eye(3)
    if theta:
        t = np.deg2rad(theta)
        m = m @ np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    if tx or ty:
        m = m @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear:
        s = np.deg2rad(shear)
        m = m @ np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        m = m @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    if np.allclose(m, np.eye(3)):
        return x
    h, w = x.shape[row_axis], x.shape[col_axis]
    o_r, o_c = h / 2 - 0.5, w / 2 - 0.5
    offset = np.array([[1, 0, o_r], [0, 1, o_c], [0, 0, 1]])
    reset = np.array([[1, 0, -o_r], [0, 1, -o_c], [0, 0, 1]])
    m = offset @ m @ reset
    rr, cc = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")
    src_r = m[0, 0] * rr + m[0, 1] * cc + m[0, 2]
    src_c = m[1, 0] * rr + m[1, 1] * cc + m[1, 2]
    # snap coordinates that are whole numbers up to rounding (exact rotations by 90 degrees)
    for a in (src_r, src_c):
        near = np.abs(a - np.round(a)) < 1e-9
        a[near] = np.round(a[near])
    if order == 0:
        src_r, src_c = np.round(src_r), np.round(src_c)
    xc = np.moveaxis(np.asarray(x), channel_axis, -1)  # rows, columns, channels
    out = np.stack([_sample(xc[:, :, k].astype(np.float64), src_r, src_c, fill_mode, cval)
                    for k in range(xc.shape[-1])], axis=-1)
    out = np.moveaxis(out, -1, channel_axis)
    return out.astype(np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float32)


def _flip(x, axis):
    return np.flip(x, axis=axis)


def _brightness(x, brightness, scale=False):
    """keras 2's brightness shift, through Pillow's ImageEnhance.Brightness: values outside
    0..255 are mapped onto 0..255 and back."""
    from PIL import ImageEnhance

    lo, hi = float(np.min(x)), float(np.max(x))
    local = lo < 0 or hi > 255
    img = array_to_img(x, scale=local or scale)
    out = img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if not scale and local:
        out = out / 255 * (hi - lo) + lo
    return out


class ImageDataGenerator:
    """keras 2's ImageDataGenerator: random augmentation and normalization of images."""

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0,
                 horizontal_flip=False, vertical_flip=False, rescale=None,
                 preprocessing_function=None, data_format=None, validation_split=0.0,
                 interpolation_order=1, dtype="float32"):
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got "
                             f"{data_format!r}")
        if fill_mode not in FILL_MODES:
            raise ValueError(f"fill_mode must be one of {', '.join(map(repr, FILL_MODES))}, "
                             f"got {fill_mode!r}")
        if not 0 <= float(validation_split) < 1:
            raise ValueError(f"validation_split must be >= 0 and < 1, got {validation_split}")
        if np.isscalar(zoom_range):
            zoom_range = [1 - float(zoom_range), 1 + float(zoom_range)]
        else:
            zoom_range = [float(v) for v in np.asarray(zoom_range).reshape(-1)]
            if len(zoom_range) != 2:
                raise ValueError(f"zoom_range must be one number or two (lower, upper), got "
                                 f"{zoom_range}")
        if brightness_range is not None:
            brightness_range = [float(v) for v in np.asarray(brightness_range).reshape(-1)]
            if len(brightness_range) != 2:
                raise ValueError("brightness_range must be two numbers (lower, upper)")
        self.featurewise_center = bool(featurewise_center)
        self.samplewise_center = bool(samplewise_center)
        self.featurewise_std_normalization = bool(featurewise_std_normalization)
        self.samplewise_std_normalization = bool(samplewise_std_normalization)
        self.zca_whitening = bool(zca_whitening)
        self.zca_epsilon = float(zca_epsilon)
        if self.zca_whitening:  # keras 2: whitening centres, and replaces std normalization
            if not self.featurewise_center:
                self.featurewise_center = True
                warnings.warn("zca_whitening = TRUE sets featurewise_center = TRUE",
                              UserWarning, stacklevel=2)
            if self.featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn("zca_whitening = TRUE replaces featurewise_std_normalization, "
                              "which is turned off", UserWarning, stacklevel=2)
        self.rotation_range = float(rotation_range)
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.brightness_range = brightness_range
        self.shear_range = float(shear_range)
        self.zoom_range = zoom_range
        self.channel_shift_range = float(channel_shift_range)
        self.fill_mode = fill_mode
        self.cval = float(cval)
        self.horizontal_flip = bool(horizontal_flip)
        self.vertical_flip = bool(vertical_flip)
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format
        self.validation_split = float(validation_split)
        self.interpolation_order = int(interpolation_order)
        self.dtype = dtype
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        self.mean = self.std = self.zca_whitening_matrix = None

    # -- normalization
    def standardize(self, x):
        """keras 2's order: preprocessing_function, rescale, sample-wise then feature-wise
        centring / scaling, ZCA whitening. ``x`` is one image or a batch."""
        if self.preprocessing_function is not None:
            x = np.asarray(self.preprocessing_function(x), dtype=self.dtype)
        x = np.asarray(x, dtype=self.dtype)
        if self.rescale:
            x = x * np.asarray(self.rescale, dtype=self.dtype)
        if self.samplewise_center:
            x = x - np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, keepdims=True) + 1e-6)
        if self.featurewise_center:
            if self.mean is None:
                raise ValueError("this generator has featurewise_center = TRUE but was not "
                                 "fit on any data: call fit_image_data_generator() first")
            x = x - self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                raise ValueError("this generator has featurewise_std_normalization = TRUE but "
                                 "was not fit on any data: call fit_image_data_generator() "
                                 "first")
            x = x / (self.std + 1e-6)
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                raise ValueError("this generator has zca_whitening = TRUE but was not fit on "
                                 "any data: call fit_image_data_generator() first")
            flat = x.reshape(-1, int(np.prod(x.shape[-3:])))
            x = (flat @ self.zca_whitening_matrix).reshape(x.shape)
        return np.asarray(x, dtype=self.dtype)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Feature-wise statistics of the images ``x`` (rank 4), for featurewise_center,
        featurewise_std_normalization and zca_whitening."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"x must have rank 4 (images, height, width, channels), got shape "
                             f"{x.shape}")
        if x.shape[self.channel_axis] not in {1, 3, 4}:
            raise ValueError(f"x must have 1, 3 or 4 channels on axis {self.channel_axis}, got "
                             f"{x.shape[self.channel_axis]}")
        rng = np.random.default_rng(seed)
        if augment:
            rounds = int(rounds)
            ax = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    ax[i + r * x.shape[0]] = self.random_transform(x[i], rng=rng)
            x = ax
        if self.rescale:
            x = x * self.rescale
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.mean(x, axis=axes, keepdims=True)[0]
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=axes, keepdims=True)[0]
            x = x / (self.std + 1e-6)
        if self.zca_whitening:
            # keras 2.13's matrix: from the singular values s of the centred data (n x d),
            # whose covariance has eigenvalues s^2 / n
            n = x.shape[0]
            flat = x.reshape(n, -1).astype(np.float64)
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            self.zca_whitening_matrix = ((u * (np.sqrt(n) / (s + self.zca_epsilon))) @ u.T
                                         ).astype(self.dtype)
        return None

    # -- random transforms
    def _shift(self, value, size, rng):
        if not value:
            return 0.0
        arr = np.asarray(value)
        if arr.ndim > 0:  # a set of shifts: one of them, either sign
            t = float(rng.choice(arr.reshape(-1))) * float(rng.choice([-1, 1]))
        elif arr.dtype.kind in "iu":  # whole pixels in (-k, k)
            t = float(rng.integers(0, int(arr.reshape(-1)[0]))) * float(rng.choice([-1, 1]))
        else:
            v = float(arr.reshape(-1)[0])
            t = float(rng.uniform(-v, v))
        if np.max(arr) < 1:
            t *= size
        return t

    def get_random_transform(self, img_shape, seed=None, rng=None):
        """The random parameters of one transform (keras 2's names)."""
        rng = rng if rng is not None else np.random.default_rng(seed)
        r, c = self.row_axis - 1, self.col_axis - 1
        theta = float(rng.uniform(-self.rotation_range, self.rotation_range)) \
            if self.rotation_range else 0.0
        tx = self._shift(self.height_shift_range, img_shape[r], rng)
        ty = self._shift(self.width_shift_range, img_shape[c], rng)
        shear = float(rng.uniform(-self.shear_range, self.shear_range)) \
            if self.shear_range else 0.0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx = zy = 1.0
        else:
            zx, zy = (float(v) for v in rng.uniform(self.zoom_range[0], self.zoom_range[1], 2))
        flip_h = bool(self.horizontal_flip and rng.random() < 0.5)
        flip_v = bool(self.vertical_flip and rng.random() < 0.5)
        channel_shift = float(rng.uniform(-self.channel_shift_range, self.channel_shift_range)) \
            if self.channel_shift_range else None
        brightness = float(rng.uniform(*self.brightness_range)) \
            if self.brightness_range is not None else None
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_h, "flip_vertical": flip_v,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """One image transformed by the given parameters (keras 2's order: affine, channel
        shift, flips, brightness)."""
        p = transform_parameters
        r, c, ch = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = np.asarray(x, dtype=self.dtype)
        x = apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                   p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
                                   row_axis=r, col_axis=c, channel_axis=ch,
                                   fill_mode=self.fill_mode, cval=self.cval,
                                   order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            xc = np.moveaxis(x, ch, 0)
            lo, hi = np.min(x), np.max(x)
            xc = np.clip(xc + p["channel_shift_intensity"], lo, hi)
            x = np.moveaxis(xc, 0, ch)
        if p.get("flip_horizontal"):
            x = _flip(x, c)
        if p.get("flip_vertical"):
            x = _flip(x, r)
        if p.get("brightness") is not None:
            x = _brightness(x if ch == 2 else np.moveaxis(x, ch, 2), p["brightness"])
            if ch != 2:
                x = np.moveaxis(x, 2, ch)
        return np.ascontiguousarray(x, dtype=self.dtype)

    def random_transform(self, x, seed=None, rng=None):
        params = self.get_random_transform(np.shape(x), seed=seed, rng=rng)
        return self.apply_transform(x, params)

    # -- iterators
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  save_to_dir=save_to_dir, save_prefix=save_prefix,
                                  save_format=save_format, subset=subset)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            follow_links=False, subset=None, interpolation="nearest",
                            keep_aspect_ratio=False):
        return DirectoryIterator(directory, self, target_size=target_size,
                                 color_mode=color_mode, classes=classes, class_mode=class_mode,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links,
                                 subset=subset, interpolation=interpolation,
                                 keep_aspect_ratio=keep_aspect_ratio)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            subset=None, interpolation="nearest", validate_filenames=True):
        return DataFrameIterator(dataframe, directory, self, x_col=x_col, y_col=y_col,
                                 weight_col=weight_col, target_size=target_size,
                                 color_mode=color_mode, classes=classes, class_mode=class_mode,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, subset=subset,
                                 interpolation=interpolation,
                                 validate_filenames=validate_filenames)


class Iterator:
    """keras 2 Sequence-like iterator over batches: ``len()``, ``[i]``, ``on_epoch_end()``;
    ``next()`` loops over the batches forever, reshuffling after each epoch."""

    def __init__(self, n, batch_size, shuffle, seed):
        batch_size = int(batch_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive whole number, got {batch_size}")
        self.n, self.batch_size, self.shuffle = int(n), batch_size, bool(shuffle)
        self.seed = int(seed) if seed is not None else int(np.random.randint(0, 2**31 - 1))
        self.epoch = 0
        self.batch_index = 0
        self.total_batches_seen = 0
        self.index_array = None

    def _set_index_array(self):
        if self.shuffle:
            self.index_array = np.random.default_rng([self.seed, self.epoch]).permutation(self.n)
        else:
            self.index_array = np.arange(self.n)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, idx):
        idx = int(idx)
        if idx < 0:
            idx += len(self)
        if not 0 <= idx < len(self):
            raise IndexError(f"batch index {idx} out of range: this iterator has {len(self)} "
                             "batches per epoch")
        if self.index_array is None:
            self._set_index_array()
        index = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        rng = np.random.default_rng([self.seed, self.epoch, idx, 1])
        return self._get_batch(index, rng)

    def on_epoch_end(self):
        self.epoch += 1
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        if self.batch_index >= len(self):
            self.on_epoch_end()
            self.batch_index = 0
        batch = self[self.batch_index]
        self.batch_index += 1
        self.total_batches_seen += 1
        return batch

    next = __next__

    def _transform(self, x, rng):
        g = self.image_data_generator
        if g is None:
            return np.asarray(x, dtype=self.dtype)
        x = g.apply_transform(x, g.get_random_transform(x.shape, rng=rng))
        return g.standardize(x)

    def _save(self, batch_x, index, rng):
        if self.save_to_dir is None:
            return
        for i, j in enumerate(index):
            name = f"{self.save_prefix}_{int(j)}_{int(rng.integers(0, 10**4))}." \
                   f"{self.save_format}"
            save_img(os.path.join(self.save_to_dir, name), batch_x[i],
                     data_format=self.data_format, scale=True)


def _split(n, validation_split, subset):
    """(start, stop) of ``subset`` (keras 2: the validation part comes first)."""
    if subset is None:
        return 0, n
    if subset not in ("training", "validation"):
        raise ValueError(f"subset must be 'training' or 'validation', got {subset!r}")
    cut = int(validation_split * n)
    return (0, cut) if subset == "validation" else (cut, n)


class NumpyArrayIterator(Iterator):
    """Batches of in-memory images ``x`` (rank 4) and optional labels ``y``."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, dtype=None):
        g = image_data_generator
        self.image_data_generator = g
        self.data_format = data_format or (g.data_format if g else "channels_last")
        self.dtype = dtype or (g.dtype if g else "float32")
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError(f"x must have rank 4 (images, height, width, channels), got shape "
                             f"{x.shape}")
        if y is not None:
            y = np.asarray(y)
            if len(y) != len(x):
                raise ValueError(f"x and y must have the same number of samples: x has "
                                 f"{len(x)}, y has {len(y)}")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            if len(sample_weight) != len(x):
                raise ValueError(f"x and sample_weight must have the same number of samples: "
                                 f"x has {len(x)}, sample_weight has {len(sample_weight)}")
        if subset is not None:
            split = g.validation_split if g else 0.0
            if not split:
                raise ValueError("subset needs validation_split > 0 in image_data_generator()")
            lo, hi = _split(len(x), split, subset)
            x = x[lo:hi]
            y = y[lo:hi] if y is not None else None
            sample_weight = sample_weight[lo:hi] if sample_weight is not None else None
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format
        super().__init__(len(x), batch_size, shuffle, seed)

    def _get_batch(self, index, rng):
        batch_x = np.stack([self._transform(self.x[j].astype(self.dtype), rng)
                            for j in index]) if len(index) else \
            np.zeros((0,) + self.x.shape[1:], self.dtype)
        self._save(batch_x, index, rng)
        if self.y is None:
            return batch_x
        out = (batch_x, self.y[index])
        if self.sample_weight is not None:
            out += (self.sample_weight[index],)
        return out


def _list_files(folder, formats, follow_links):
    """Image files below ``folder`` (recursively), sorted as os.walk with sorted names."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=follow_links):
        dirs.sort()
        for f in sorted(files):
            if f.lower().endswith(formats):
                found.append(os.path.join(root, f))
    return found


def _class_dirs(directory, classes, what="directory"):
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"the {what} {directory!r} does not exist or is not a folder")
    subdirs = sorted(d for d in os.listdir(directory)
                     if os.path.isdir(os.path.join(directory, d)))
    if classes is None:
        return subdirs
    classes = [str(c) for c in ([classes] if isinstance(classes, str) else classes)]
    missing = [c for c in classes if c not in subdirs]
    if missing:
        raise ValueError(f"class folder(s) {', '.join(map(repr, missing))} not found in "
                         f"{directory!r} (its subfolders: {', '.join(subdirs) or 'none'})")
    return classes


class _FileIterator(Iterator):
    """Shared by the directory and data-frame iterators: images read from files."""

    def _init_files(self, g, target_size, color_mode, class_mode, interpolation,
                    keep_aspect_ratio, data_format, save_to_dir, save_prefix, save_format,
                    dtype):
        self.image_data_generator = g
        self.target_size = _size(target_size)
        _check_color_mode(color_mode)
        self.color_mode = color_mode
        self.data_format = data_format or (g.data_format if g else "channels_last")
        self.dtype = dtype or (g.dtype if g else "float32")
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = (self.target_size + (channels,)
                            if self.data_format == "channels_last"
                            else (channels,) + self.target_size)
        if interpolation not in _filters():
            raise ValueError(f"interpolation must be one of {', '.join(map(repr, _filters()))},"
                             f" got {interpolation!r}")
        self.interpolation = interpolation
        self.keep_aspect_ratio = bool(keep_aspect_ratio)
        self.class_mode = class_mode
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format

    def _load(self, path):
        x = _png_pixels(path, self.color_mode)
        if x is not None and (self.target_size is None
                              or x.shape[:2] == tuple(self.target_size)):
            x = x.astype(self.dtype)
            return np.ascontiguousarray(x.transpose(2, 0, 1)) \
                if self.data_format == "channels_first" else x
        img = load_img(path, color_mode=self.color_mode, target_size=self.target_size,
                       interpolation=self.interpolation,
                       keep_aspect_ratio=self.keep_aspect_ratio)
        return img_to_array(img, data_format=self.data_format, dtype=self.dtype)

    def _get_batch(self, index, rng):
        paths = [self.filepaths[j] for j in index]
        arrays = _map_files(self._load, paths)
        # augmentation draws from rng in batch order, so results do not depend on threads
        batch_x = np.stack([self._transform(a, rng) for a in arrays]) if arrays else \
            np.zeros((0,) + self.image_shape, self.dtype)
        self._save(batch_x, index, rng)
        mode = self.class_mode
        if mode is None:
            return batch_x
        if mode == "input":
            y = batch_x.copy()
        elif mode == "sparse":
            y = self.classes[index].astype(self.dtype)
        elif mode == "binary":
            y = self.classes[index].astype(self.dtype)
        elif mode == "categorical":
            y = np.zeros((len(index), len(self.class_indices)), dtype=self.dtype)
            for i, j in enumerate(index):
                labels = self.classes[j]
                y[i, labels] = 1.0
        else:  # "other", "raw"
            y = self._other[index]
        if getattr(self, "_weights", None) is not None:
            return batch_x, y, self._weights[index]
        return batch_x, y


class DirectoryIterator(_FileIterator):
    """Batches of the images in ``directory``/<class>/ (keras 2's flow_from_directory)."""

    CLASS_MODES = ("categorical", "binary", "sparse", "input", None)

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        if class_mode not in self.CLASS_MODES:
            raise ValueError(f"class_mode must be one of 'categorical', 'binary', 'sparse', "
                             f"'input' or None, got {class_mode!r}")
        g = image_data_generator
        self._init_files(g, target_size, color_mode, class_mode, interpolation,
                         keep_aspect_ratio, data_format, save_to_dir, save_prefix, save_format,
                         dtype)
        directory = os.fspath(directory)
        self.directory = directory
        split = g.validation_split if g else 0.0
        if subset is not None and not split:
            raise ValueError("subset needs validation_split > 0 in image_data_generator()")
        class_names = _class_dirs(directory, classes)
        self.class_indices = {c: i for i, c in enumerate(class_names)}
        self.num_classes = len(class_names)
        if class_mode == "binary" and self.num_classes != 2:
            raise ValueError(f"class_mode 'binary' needs exactly 2 classes, {directory!r} has "
                             f"{self.num_classes}")
        formats = tuple("." + f for f in WHITE_LIST_FORMATS)
        files, labels = [], []
        for c in class_names:
            found = _list_files(os.path.join(directory, c), formats, follow_links)
            lo, hi = _split(len(found), split, subset)
            files += found[lo:hi]
            labels += [self.class_indices[c]] * (hi - lo)
        if not files:
            where = "its class subfolders" if class_names else "class subfolders; it has none"
            raise ValueError(f"no images found in the folder {directory!r} (looked for "
                             f"{', '.join(WHITE_LIST_FORMATS)} files in {where})")
        self.filepaths = files
        self.filenames = [os.path.relpath(f, directory) for f in files]
        self.classes = np.asarray(labels, dtype=np.int32)
        self.samples = len(files)
        super().__init__(self.samples, batch_size, shuffle, seed)


class DataFrameIterator(_FileIterator):
    """Batches of the images named in a data frame (keras 2's flow_from_dataframe)."""

    CLASS_MODES = ("categorical", "binary", "sparse", "input", "other", "raw",
                   "multi_output", None)

    def __init__(self, dataframe, directory=None, image_data_generator=None, x_col="filename",
                 y_col="class", weight_col=None, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 subset=None, interpolation="nearest", validate_filenames=True, dtype=None):
        if class_mode not in self.CLASS_MODES:
            raise ValueError(f"class_mode must be one of 'categorical', 'binary', 'sparse', "
                             f"'input', 'other', 'multi_output' or None, got {class_mode!r}")
        g = image_data_generator
        self._init_files(g, target_size, color_mode, class_mode, interpolation, False,
                         data_format, save_to_dir, save_prefix, save_format, dtype)
        df = dataframe
        if x_col not in df.columns:
            raise ValueError(f"x_col {x_col!r} is not a column of the data frame (columns: "
                             f"{', '.join(map(str, df.columns))})")
        ycols = [y_col] if isinstance(y_col, str) else list(y_col)
        if class_mode not in ("input", None):
            for col in ycols:
                if col not in df.columns:
                    raise ValueError(f"y_col {col!r} is not a column of the data frame "
                                     f"(columns: {', '.join(map(str, df.columns))})")
        if weight_col is not None and weight_col not in df.columns:
            raise ValueError(f"weight_col {weight_col!r} is not a column of the data frame")
        df = df.reset_index(drop=True)
        names = [str(v) for v in df[x_col]]
        paths = [os.path.join(os.fspath(directory), n) if directory is not None else n
                 for n in names]
        keep = np.ones(len(df), dtype=bool)
        if validate_filenames:
            formats = tuple("." + f for f in WHITE_LIST_FORMATS)
            for i, p in enumerate(paths):
                keep[i] = p.lower().endswith(formats) and os.path.isfile(p)
            if not keep.all():
                import warnings

                warnings.warn(f"flow_images_from_dataframe: {int((~keep).sum())} file name(s) "
                              "are not image files that exist; they are left out",
                              stacklevel=2)
        df = df[keep].reset_index(drop=True)
        paths = [p for p, k in zip(paths, keep) if k]
        split = g.validation_split if g else 0.0
        if subset is not None and not split:
            raise ValueError("subset needs validation_split > 0 in image_data_generator()")
        lo, hi = _split(len(df), split, subset)
        df = df.iloc[lo:hi].reset_index(drop=True)
        paths = paths[lo:hi]
        if not paths:
            raise ValueError("no images to read: the data frame names no existing image file"
                             + (f" in the folder {os.fspath(directory)!r}" if directory else ""))
        self.filepaths = paths
        self.filenames = [str(v) for v in df[x_col]]
        self._weights = df[weight_col].to_numpy(dtype=self.dtype) if weight_col else None
        if class_mode in ("categorical", "binary", "sparse"):
            col = df[ycols[0]]
            values = [v if isinstance(v, (list, tuple)) else [v] for v in col]
            if classes is None:
                classes = sorted({str(c) for v in values for c in v})
            else:
                classes = [str(c) for c in ([classes] if isinstance(classes, str) else classes)]
            self.class_indices = {c: i for i, c in enumerate(classes)}
            if class_mode == "binary" and len(classes) != 2:
                raise ValueError(f"class_mode 'binary' needs exactly 2 classes, got "
                                 f"{len(classes)}: {classes}")
            unknown = sorted({str(c) for v in values for c in v} - set(classes))
            if unknown:
                raise ValueError(f"labels {unknown} of column {ycols[0]!r} are not among the "
                                 f"classes {classes}")
            if class_mode == "categorical":
                self.classes = np.empty(len(values), dtype=object)
                for i, v in enumerate(values):
                    self.classes[i] = [self.class_indices[str(c)] for c in v]
            else:
                self.classes = np.asarray([self.class_indices[str(v[0])] for v in values],
                                          dtype=np.int32)
        else:
            self.class_indices = {}
            self.classes = None
            if class_mode in ("other", "raw"):
                self._other = df[ycols[0] if len(ycols) == 1 else ycols].to_numpy()
                if self._other.dtype == object:
                    self._other = self._other.astype(self.dtype)
            elif class_mode == "multi_output":
                self._other = None
                self._multi = [df[c].to_numpy() for c in ycols]
        self.num_classes = len(self.class_indices)
        self.samples = len(paths)
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _get_batch(self, index, rng):
        if self.class_mode == "multi_output":
            saved, self.class_mode = self.class_mode, None
            try:
                x = super()._get_batch(index, rng)
            finally:
                self.class_mode = saved
            return x, [m[index] for m in self._multi]
        return super()._get_batch(index, rng)


# -- datasets from folders and arrays (tensorbridge.engine.data.Dataset) --------------------
def _Dataset():
    from ..data import Dataset

    return Dataset


def _as_index(t):
    """The integer array of a map() argument (an engine Tensor or a numpy array)."""
    if hasattr(t, "numpy"):
        t = t.numpy()
    return np.asarray(t).astype(np.int64).reshape(-1)


def _index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links):
    """(file paths, labels, class names) as keras' dataset utilities index a folder."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"the folder {directory!r} does not exist or is not a folder")
    if labels == "inferred":
        subdirs = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)))
        if class_names is not None:
            class_names = [str(c) for c in class_names]
            if sorted(class_names) != subdirs and set(class_names) != set(subdirs):
                raise ValueError(f"class_names {class_names} do not match the subfolders of "
                                 f"{directory!r}: {subdirs}")
        else:
            class_names = subdirs
        paths, labs = [], []
        for i, c in enumerate(class_names):
            found = _list_files(os.path.join(directory, c), formats, follow_links)
            paths += found
            labs += [i] * len(found)
        labs = np.asarray(labs, dtype=np.int32)
    else:
        paths = _list_files(directory, formats, follow_links)
        labs = None
        if labels is not None:
            labs = np.asarray(labels).astype(np.int32).reshape(-1)
            if len(labs) != len(paths):
                raise ValueError(f"labels has {len(labs)} values but {directory!r} holds "
                                 f"{len(paths)} files")
        class_names = None
    if not paths:
        raise ValueError(f"no files found in the folder {directory!r} (looked for "
                         f"{', '.join(formats)} files"
                         + (" in its class subfolders" if labels == "inferred" else "") + ")")
    if shuffle:
        seed = seed if seed is not None else int(np.random.randint(0, 10**6))
        order = np.random.RandomState(seed).permutation(len(paths))
        paths = [paths[i] for i in order]
        if labs is not None:
            labs = labs[order]
    return paths, labs, class_names


def _check_split(validation_split, subset, shuffle, seed):
    if validation_split is not None and not 0 < float(validation_split) < 1:
        raise ValueError(f"validation_split must be > 0 and < 1, got {validation_split}")
    if subset is not None and subset not in ("training", "validation", "both"):
        raise ValueError(f"subset must be 'training', 'validation' or 'both', got {subset!r}")
    if validation_split and subset is None:
        raise ValueError("validation_split is set: give subset ('training', 'validation' or "
                         "'both')")
    if subset is not None and not validation_split:
        raise ValueError("subset is set: give validation_split as well")
    if validation_split and shuffle and seed is None:
        raise ValueError("with validation_split and shuffle = TRUE, give a seed, so that the "
                         "training and validation subsets do not overlap")


def _subsets(n, validation_split, subset):
    if not validation_split:
        return [(0, n)]
    nval = int(float(validation_split) * n)
    parts = {"training": (0, n - nval), "validation": (n - nval, n)}
    return [parts["training"], parts["validation"]] if subset == "both" else [parts[subset]]


def _label_array(labs, label_mode, num_classes):
    if label_mode == "int":
        return labs.astype(np.int32)
    if label_mode == "binary":
        return labs.astype(np.float32).reshape(-1, 1)
    out = np.zeros((len(labs), num_classes), dtype=np.float32)
    out[np.arange(len(labs)), labs] = 1
    return out


def _check_label_mode(label_mode, labels, class_names, directory):
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"label_mode must be 'int', 'categorical', 'binary' or None, got "
                         f"{label_mode!r}")
    if labels is None or label_mode is None:
        return
    n = len(class_names) if class_names is not None else None
    if label_mode == "binary" and n is not None and n != 2:
        raise ValueError(f"label_mode 'binary' needs exactly 2 classes, {directory!r} has {n}: "
                         f"{class_names}")


def _files_dataset(paths, labs, label_mode, num_classes, batch_size, shuffle, seed, decode,
                   parallel=1):
    """from_tensor_slices(indices) -> shuffle -> batch -> map(decode the batch's files,
    ``parallel`` batches at a time) -> prefetch: decoding happens Python-side, ahead of
    training."""
    Dataset = _Dataset()
    n = len(paths)
    paths = [str(p) for p in paths]  # plain strings: cheap to send to a worker process
    labels = None if labs is None or label_mode is None else \
        _label_array(labs, label_mode, num_classes)

    def load_batch(idx):
        idx = _as_index(idx)
        x = decode([paths[i] for i in idx])
        return x if labels is None else (x, labels[idx])

    ds = Dataset.from_tensor_slices(np.arange(n, dtype=np.int64))
    if shuffle:
        ds = ds.shuffle(buffer_size=n, seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(int(batch_size)) if batch_size is not None else ds
    if batch_size is None:
        def load_one(i):
            out = load_batch(i)
            return out[0] if labels is None else (out[0][0], out[1][0])
        ds = ds.map(load_one)
    else:
        ds = ds.map(load_batch, num_parallel_calls=parallel if parallel > 1 else None)
    ds = ds.prefetch(max(2, parallel))
    return ds


def _decode_image(path, color_mode, size, interpolation, crop):
    """The pixels of one file at ``size`` (height, width): as they are when the file has
    that size (in its own type), else resized as TensorFlow's ``tf.image.resize`` does
    (float32; with ``crop``, the centred window of the target's aspect ratio first, as
    keras' ``smart_resize``)."""
    x = _png_pixels(path, color_mode)
    if x is None:
        x = np.asarray(_open(path, color_mode))
        if x.ndim == 2:
            x = x[:, :, None]
    h, w = size
    if x.shape[:2] == (h, w):
        return x
    if crop:
        left, top, right, bottom = _crop_box(x.shape[1], x.shape[0], w, h)
        x = x[top:bottom, left:right]
    return _tf_resize(x, (h, w), interpolation)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False):
    """A Dataset of batches (images, labels) of the image files in ``directory``'s class
    subfolders (keras' image_dataset_from_directory): float32 images (batch, height,
    width, channels) with values 0-255; labels int32, one-hot float32 ('categorical') or
    float32 (n, 1) ('binary'). With subset 'both', a list of the two datasets."""
    _check_color_mode(color_mode)
    if interpolation not in _DATASET_INTERP:
        raise ValueError(f"interpolation must be one of {', '.join(map(repr, _DATASET_INTERP))}"
                         f", got {interpolation!r}")
    size = _size(image_size, "image_size")
    if labels not in ("inferred", None) and isinstance(labels, str):
        raise ValueError(f"labels must be 'inferred', None or integer labels, got {labels!r}")
    if class_names is not None and labels != "inferred":
        raise ValueError("class_names is only used with labels = 'inferred'")
    _check_split(validation_split, subset, shuffle, seed)
    if shuffle and seed is None:
        seed = int(np.random.randint(0, 10**6))
    paths, labs, class_names = _index_directory(directory, labels, DATASET_IMAGE_FORMATS,
                                                class_names, shuffle, seed, follow_links)
    if labels is None:
        label_mode = None
    _check_label_mode(label_mode, labels, class_names, directory)
    num_classes = len(class_names) if class_names is not None else \
        (int(labs.max()) + 1 if labs is not None and len(labs) else 0)

    workers = _decode_workers() if len(paths) >= _PROCESS_MIN_FILES and batch_size else 0
    args = (color_mode, size, interpolation, crop_to_aspect_ratio)

    def decode(ps):
        if workers:
            # threads of the dataset's map wait here, a batch each, without the GIL
            x = shared_pool(workers).call(_decode_files, ps, *args)
        else:
            x = np.stack(_map_files(lambda p: _decode_image(p, *args), ps))
        return x.astype(np.float32, copy=False)

    out = []
    for lo, hi in _subsets(len(paths), validation_split, subset):
        ds = _files_dataset(paths[lo:hi], None if labs is None else labs[lo:hi], label_mode,
                            num_classes, batch_size, shuffle, seed, decode,
                            parallel=2 * workers)
        _attach(ds, class_names, paths[lo:hi])
        out.append(ds)
    return out if subset == "both" else out[0]


def _attach(ds, class_names, paths):
    try:
        # numpy arrays of strings: R sees character vectors
        ds.class_names = None if class_names is None else np.asarray(class_names, dtype=str)
        ds.file_paths = np.asarray(paths, dtype=str)
    except AttributeError:  # pragma: no cover - a Dataset with __slots__
        pass


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False):
    """A Dataset of batches (texts, labels) of the .txt files in ``directory``'s class
    subfolders (keras' text_dataset_from_directory): texts as strings (cut to
    ``max_length`` characters if given)."""
    if labels not in ("inferred", None) and isinstance(labels, str):
        raise ValueError(f"labels must be 'inferred', None or integer labels, got {labels!r}")
    if class_names is not None and labels != "inferred":
        raise ValueError("class_names is only used with labels = 'inferred'")
    if max_length is not None and int(max_length) < 1:
        raise ValueError(f"max_length must be a positive whole number, got {max_length}")
    _check_split(validation_split, subset, shuffle, seed)
    if shuffle and seed is None:
        seed = int(np.random.randint(0, 10**6))
    paths, labs, class_names = _index_directory(directory, labels, (".txt",), class_names,
                                                shuffle, seed, follow_links)
    if labels is None:
        label_mode = None
    _check_label_mode(label_mode, labels, class_names, directory)
    num_classes = len(class_names) if class_names is not None else \
        (int(labs.max()) + 1 if labs is not None and len(labs) else 0)

    def read(p):
        try:
            with open(p, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the text file {p!r}: {exc}") from None
        return text[:int(max_length)] if max_length is not None else text

    def decode(ps):
        return np.asarray([read(p) for p in ps], dtype=object).astype(str) if ps else \
            np.asarray([], dtype=str)

    out = []
    for lo, hi in _subsets(len(paths), validation_split, subset):
        ds = _files_dataset(paths[lo:hi], None if labs is None else labs[lo:hi], label_mode,
                            num_classes, batch_size, shuffle, seed, decode)
        _attach(ds, class_names, paths[lo:hi])
        out.append(ds)
    return out if subset == "both" else out[0]


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """A Dataset of windows over ``data`` (time on the first axis) and, if ``targets`` is
    given, the target of each window's start: window i starts at ``start_index + p_i`` with
    ``p_i = i * sequence_stride`` and takes ``sequence_length`` steps ``sampling_rate``
    apart (keras' timeseries_dataset_from_array; indices 0-based, end exclusive)."""
    data = np.asarray(data)
    if data.ndim == 0:
        raise ValueError("data must have a time axis (a vector, matrix or array)")
    for name, v in (("sequence_length", sequence_length), ("sequence_stride", sequence_stride),
                    ("sampling_rate", sampling_rate)):
        if int(v) < 1:
            raise ValueError(f"{name} must be a positive whole number, got {v}")
    sequence_length, sequence_stride, sampling_rate = \
        int(sequence_length), int(sequence_stride), int(sampling_rate)
    n = len(data)
    start_index = 0 if start_index is None else int(start_index)
    end_index = n if end_index is None else int(end_index)
    if not 0 <= start_index < n:
        raise ValueError(f"start_index must be within the data's {n} time steps, got "
                         f"{start_index}")
    if not start_index < end_index <= n:
        raise ValueError(f"end_index must be after start_index and at most the data's {n} "
                         f"time steps, got {end_index}")
    if targets is not None:
        targets = np.asarray(targets)
        if len(targets) != n:
            raise ValueError(f"data and targets must have the same length: data has {n} time "
                             f"steps, targets {len(targets)}")
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    if num_seqs <= 0:
        raise ValueError(f"no window of {sequence_length} steps (sampling_rate "
                         f"{sampling_rate}) fits in the {end_index - start_index} time steps "
                         f"from start_index to end_index")
    starts = np.arange(0, num_seqs, sequence_stride, dtype=np.int64)
    if shuffle:
        seed = seed if seed is not None else int(np.random.randint(0, 10**6))
        np.random.RandomState(seed).shuffle(starts)
    window = np.arange(sequence_length, dtype=np.int64) * sampling_rate
    seg = data[start_index:end_index]
    tseg = targets[start_index:end_index] if targets is not None else None

    Dataset = _Dataset()

    def gather(pos):
        pos = _as_index(pos)
        x = seg[pos[:, None] + window[None, :]]
        return x if tseg is None else (x, tseg[pos])

    ds = Dataset.from_tensor_slices(starts)
    if batch_size is None:
        def gather_one(p):
            out = gather(p)
            return out[0] if tseg is None else (out[0][0], out[1][0])
        return ds.map(gather_one).prefetch(2)
    return ds.batch(int(batch_size)).map(gather).prefetch(2)


def collect(dataset):
    """Every element of a dataset, in a list (for tests and small datasets)."""
    return list(dataset)
