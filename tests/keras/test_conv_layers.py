"""Convolution, pooling and spatial layers against direct numpy loops (and PyTorch when
installed); finite-difference gradients; error messages; save / load round trips."""

import numpy as np
import pytest
import tensorbridge.engine as tf
from kgradcheck import check_layer_grads
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers

rng = np.random.default_rng(7)


# -- independent references: loops over output pixels ------------------------------------
def same_pads(size, k, s, d):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def naive_conv2d(x, w, b, strides=(1, 1), padding="valid", dilation=(1, 1)):
    """x (N, H, W, C), w (KH, KW, C, F): cross-correlation, one output pixel at a time."""
    kh, kw, _, f = w.shape
    sh, sw = strides
    dh, dw = dilation
    if padding == "same":
        pt, pb = same_pads(x.shape[1], kh, sh, dh)
        pl, pr = same_pads(x.shape[2], kw, sw, dw)
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    n, h, wd, _ = x.shape
    oh = (h - (kh - 1) * dh - 1) // sh + 1
    ow = (wd - (kw - 1) * dw - 1) // sw + 1
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * sh:i * sh + (kh - 1) * dh + 1:dh, j * sw:j * sw + (kw - 1) * dw + 1:dw]
            y[:, i, j] = np.einsum("nabc,abcf->nf", patch, w)
    return y + (0 if b is None else b)


def naive_conv_transpose2d(x, w, b, strides, padding):
    """x (N, H, W, C), w (KH, KW, F, C): scatter each input pixel times the kernel."""
    n, h, wd, _ = x.shape
    kh, kw, f, _ = w.shape
    sh, sw = strides
    full = np.zeros((n, (h - 1) * sh + kh, (wd - 1) * sw + kw, f))
    for i in range(h):
        for j in range(wd):
            full[:, i * sh:i * sh + kh, j * sw:j * sw + kw] += np.einsum("nc,abfc->nabf",
                                                                          x[:, i, j], w)
    if padding == "same":
        oh, ow = h * sh, wd * sw
        pt = max(kh - sh, 0) // 2
        pl = max(kw - sw, 0) // 2
        full = np.pad(full, ((0, 0), (0, max(0, oh + pt - full.shape[1])),
                             (0, max(0, ow + pl - full.shape[2])), (0, 0)))
        full = full[:, pt:pt + oh, pl:pl + ow]
    else:
        oh = h * sh + max(kh - sh, 0)
        ow = wd * sw + max(kw - sw, 0)
        full = np.pad(full, ((0, 0), (0, oh - full.shape[1]), (0, ow - full.shape[2]), (0, 0)))
    return full + b


def naive_pool2d(x, k, s, padding, is_max):
    if padding == "same":
        pt, pb = same_pads(x.shape[1], k[0], s[0], 1)
        pl, pr = same_pads(x.shape[2], k[1], s[1], 1)
        fill = -np.inf if is_max else np.nan
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)
    n, h, w, c = x.shape
    oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
            y[:, i, j] = win.max(axis=(1, 2)) if is_max else np.nanmean(win, axis=(1, 2))
    return y


def _x(*shape):
    return rng.normal(size=shape).astype(np.float32)


def _bias(layer):
    if layer.bias is not None:
        layer.bias.assign(rng.normal(size=layer.bias.shape).astype(np.float32))


# -- Conv2D / Conv1D forward -------------------------------------------------------------------
@pytest.mark.parametrize("strides,padding,dilation", [
    ((1, 1), "valid", (1, 1)), ((2, 2), "valid", (1, 1)), ((1, 1), "same", (1, 1)),
    ((2, 1), "same", (1, 1)), ((1, 1), "valid", (2, 2)), ((1, 1), "same", (2, 1)),
])
def test_conv2d_matches_a_loop_over_output_pixels(strides, padding, dilation):
    x = _x(2, 7, 6, 3)
    layer = layers.Conv2D(4, (3, 2), strides=strides, padding=padding, dilation_rate=dilation,
                          activation="relu")
    y = layer(x).numpy()
    _bias(layer)
    y = layer(x).numpy()
    w, b = layer.get_weights()
    want = np.maximum(naive_conv2d(x.astype(np.float64), w, b, strides, padding, dilation), 0)
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape((None, 7, 6, 3)) == (None,) + want.shape[1:]


def test_conv2d_channels_first_is_the_transposed_channels_last():
    x = _x(2, 3, 6, 5)  # (N, C, H, W)
    cf = layers.Conv2D(4, 3, padding="same", data_format="channels_first")
    y = cf(x).numpy()
    w, b = cf.get_weights()
    want = naive_conv2d(x.transpose(0, 2, 3, 1).astype(np.float64), w, b, padding="same")
    np.testing.assert_allclose(y, want.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-5)
    assert cf.compute_output_shape((None, 3, 6, 5)) == (None, 4, 6, 5)


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_conv1d_matches_a_loop(padding):
    x = _x(2, 9, 3)
    layer = layers.Conv1D(5, 3, strides=1, padding=padding, dilation_rate=2, activation="tanh")
    layer(x)
    _bias(layer)
    y = layer(x).numpy()
    w, b = layer.get_weights()
    xx = x.astype(np.float64)
    if padding == "causal":
        xx = np.pad(xx, ((0, 0), (4, 0), (0, 0)))
        padding = "valid"
    want = np.tanh(naive_conv2d(xx[:, None], w[None], b, (1, 1), padding, (1, 2))[:, 0])
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)
    if padding == "causal":  # output t depends on inputs <= t only
        x2 = x.copy()
        x2[:, 5:] += 1
        np.testing.assert_allclose(layer(x2).numpy()[:, :5], y[:, :5], rtol=1e-6)


def test_conv2d_transpose_matches_a_scatter_loop():
    x = _x(2, 4, 3, 3)
    for strides, padding in [((1, 1), "valid"), ((2, 2), "valid"), ((2, 2), "same"),
                             ((3, 2), "same"), ((2, 3), "valid")]:
        layer = layers.Conv2DTranspose(2, (3, 2), strides=strides, padding=padding)
        layer(x)
        _bias(layer)
        y = layer(x).numpy()
        w, b = layer.get_weights()
        want = naive_conv_transpose2d(x.astype(np.float64), w, b, strides, padding)
        assert y.shape == want.shape, (strides, padding)
        np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)
        assert layer.compute_output_shape((None, 4, 3, 3)) == (None,) + want.shape[1:]


def test_depthwise_and_separable_conv_match_loops():
    x = _x(2, 6, 5, 3)
    dw = layers.DepthwiseConv2D((3, 3), depth_multiplier=2, padding="same", strides=2)
    y = dw(x).numpy()
    k, b = dw.get_weights()
    want = np.zeros(y.shape)
    for c in range(3):
        for m in range(2):
            want[..., c * 2 + m] = naive_conv2d(x[..., c:c + 1].astype(np.float64),
                                                k[:, :, c:c + 1, m:m + 1], None, (2, 2),
                                                "same")[..., 0]
    np.testing.assert_allclose(y, want + b, rtol=1e-4, atol=1e-5)

    sep = layers.SeparableConv2D(4, (2, 3), depth_multiplier=2, activation="relu")
    y = sep(x).numpy()
    dk, pk, b = sep.get_weights()
    mid = np.zeros(y.shape[:3] + (6,))
    for c in range(3):
        for m in range(2):
            mid[..., c * 2 + m] = naive_conv2d(x[..., c:c + 1].astype(np.float64),
                                               dk[:, :, c:c + 1, m:m + 1], None)[..., 0]
    np.testing.assert_allclose(y, np.maximum(mid @ pk[0, 0] + b, 0), rtol=1e-4, atol=1e-5)


def test_conv_layers_match_torch():
    torch = pytest.importorskip("torch")
    x = _x(2, 8, 7, 3)
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy()).double()
    c = layers.Conv2D(5, 3, strides=2, padding="valid", dilation_rate=1)
    y = c(x).numpy()
    w, b = c.get_weights()
    ref = torch.nn.functional.conv2d(xt, torch.from_numpy(w.transpose(3, 2, 0, 1)).double(),
                                     torch.from_numpy(b).double(), stride=2)
    np.testing.assert_allclose(y, ref.numpy().transpose(0, 2, 3, 1), rtol=1e-4, atol=1e-5)
    ct = layers.Conv2DTranspose(4, 3, strides=2, padding="valid")
    y = ct(x).numpy()
    w, b = ct.get_weights()  # (KH, KW, F, C) -> torch (C, F, KH, KW)
    ref = torch.nn.functional.conv_transpose2d(
        xt, torch.from_numpy(w.transpose(3, 2, 0, 1)).double(), torch.from_numpy(b).double(),
        stride=2)
    np.testing.assert_allclose(y, ref.numpy().transpose(0, 2, 3, 1), rtol=1e-4, atol=1e-5)
    y = layers.MaxPooling2D(3, strides=2)(x).numpy()
    ref = torch.nn.functional.max_pool2d(xt, 3, 2)
    np.testing.assert_allclose(y, ref.numpy().transpose(0, 2, 3, 1), rtol=1e-6)


# -- pooling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls,is_max", [(layers.MaxPooling2D, True),
                                        (layers.AveragePooling2D, False)])
@pytest.mark.parametrize("pool,strides,padding", [((2, 2), None, "valid"),
                                                  ((3, 2), (2, 1), "valid"),
                                                  ((3, 3), (2, 2), "same")])
def test_pooling_2d_matches_a_loop(cls, is_max, pool, strides, padding):
    x = _x(2, 7, 6, 3)
    layer = cls(pool, strides=strides, padding=padding)
    y = layer(x).numpy()
    want = naive_pool2d(x.astype(np.float64), pool, strides or pool, padding, is_max)
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, 7, 6, 3)) == (None,) + want.shape[1:]


def test_pooling_1d_global_pooling_and_channels_first():
    x = _x(2, 7, 3)
    want = naive_pool2d(x[:, None].astype(np.float64), (1, 3), (1, 2), "valid", True)[:, 0]
    np.testing.assert_allclose(layers.MaxPooling1D(3, strides=2)(x).numpy(), want, rtol=1e-6)
    want = naive_pool2d(x[:, None].astype(np.float64), (1, 2), (1, 2), "same", False)[:, 0]
    np.testing.assert_allclose(layers.AveragePooling1D(2, padding="same")(x).numpy(), want,
                               rtol=1e-5)
    np.testing.assert_allclose(layers.GlobalMaxPooling1D()(x).numpy(), x.max(1), rtol=1e-6)
    np.testing.assert_allclose(layers.GlobalAveragePooling1D()(x).numpy(), x.mean(1),
                               rtol=1e-5)
    x4 = _x(2, 4, 5, 3)
    np.testing.assert_allclose(layers.GlobalAveragePooling2D()(x4).numpy(), x4.mean((1, 2)),
                               rtol=1e-5)
    np.testing.assert_allclose(layers.GlobalMaxPooling2D(keepdims=True)(x4).numpy(),
                               x4.max((1, 2), keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(
        layers.GlobalMaxPooling2D(data_format="channels_first")(x4).numpy(), x4.max((2, 3)),
        rtol=1e-6)
    y = layers.MaxPooling2D(2, data_format="channels_first")(x4).numpy()
    want = naive_pool2d(x4.transpose(0, 2, 3, 1).astype(np.float64), (2, 2), (2, 2), "valid",
                        True)
    np.testing.assert_allclose(y, want.transpose(0, 3, 1, 2), rtol=1e-6)


def test_global_average_pooling_1d_averages_unmasked_steps_only():
    ids = np.array([[0, 0, 3, 4], [5, 6, 7, 0]])
    emb = layers.Embedding(10, 3, mask_zero=True)
    pooled = layers.GlobalAveragePooling1D()(emb(ids)).numpy()
    e = emb.get_weights()[0]
    np.testing.assert_allclose(pooled[0], e[[3, 4]].mean(0), rtol=1e-5)
    np.testing.assert_allclose(pooled[1], e[[5, 6, 7]].mean(0), rtol=1e-5)


# -- padding, cropping, upsampling, spatial dropout --------------------------------------------
def test_padding_cropping_upsampling_match_numpy():
    x = _x(2, 5, 3)
    np.testing.assert_array_equal(layers.ZeroPadding1D((1, 2))(x).numpy(),
                                  np.pad(x, ((0, 0), (1, 2), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping1D((1, 2))(x).numpy(), x[:, 1:3])
    np.testing.assert_array_equal(layers.UpSampling1D(3)(x).numpy(), np.repeat(x, 3, axis=1))
    x4 = _x(2, 5, 4, 3)
    np.testing.assert_array_equal(layers.ZeroPadding2D(((1, 0), (2, 3)))(x4).numpy(),
                                  np.pad(x4, ((0, 0), (1, 0), (2, 3), (0, 0))))
    np.testing.assert_array_equal(layers.ZeroPadding2D(1)(x4).numpy(),
                                  np.pad(x4, ((0, 0), (1, 1), (1, 1), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping2D(((1, 2), (0, 1)))(x4).numpy(),
                                  x4[:, 1:3, 0:3])
    np.testing.assert_array_equal(layers.UpSampling2D((2, 3))(x4).numpy(),
                                  np.repeat(np.repeat(x4, 2, axis=1), 3, axis=2))
    np.testing.assert_array_equal(
        layers.UpSampling2D(2, data_format="channels_first")(x4).numpy(),
        np.repeat(np.repeat(x4, 2, axis=2), 2, axis=3))
    for layer, shape in [(layers.ZeroPadding2D(((1, 0), (2, 3))), (None, 6, 9, 3)),
                         (layers.Cropping2D(((1, 2), (0, 1))), (None, 2, 3, 3)),
                         (layers.UpSampling2D((2, 3)), (None, 10, 12, 3))]:
        assert layer.compute_output_shape((None, 5, 4, 3)) == shape


def bilinear_reference(x, sy, sx):
    """Per-pixel loop of TensorFlow's half-pixel bilinear resize (NHWC): output
    (i, j) samples input row (i + 0.5) / sy - 0.5 and col (j + 0.5) / sx - 0.5,
    clamped to the edges, mixing the four neighbours."""
    b, h, w, c = x.shape
    out = np.zeros((b, h * sy, w * sx, c))
    for i in range(h * sy):
        r = min(max((i + 0.5) / sy - 0.5, 0.0), h - 1)
        r0, r1, fr = int(np.floor(r)), min(int(np.floor(r)) + 1, h - 1), r - np.floor(r)
        for j in range(w * sx):
            q = min(max((j + 0.5) / sx - 0.5, 0.0), w - 1)
            c0, c1, fc = int(np.floor(q)), min(int(np.floor(q)) + 1, w - 1), q - np.floor(q)
            out[:, i, j] = ((1 - fr) * ((1 - fc) * x[:, r0, c0] + fc * x[:, r0, c1])
                            + fr * ((1 - fc) * x[:, r1, c0] + fc * x[:, r1, c1]))
    return out


def test_bilinear_upsampling_matches_the_half_pixel_formula():
    x = rng.normal(size=(2, 4, 5, 3))
    expected = bilinear_reference(x, 2, 3)
    got = layers.UpSampling2D((2, 3), interpolation="bilinear")(tf.constant(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    got_cf = layers.UpSampling2D((2, 3), interpolation="bilinear", data_format="channels_first")(
        tf.constant(x.transpose(0, 3, 1, 2))).numpy()
    np.testing.assert_allclose(got_cf, expected.transpose(0, 3, 1, 2), rtol=1e-12, atol=1e-12)
    # a constant image stays constant, and float32 in gives float32 out
    flat = layers.UpSampling2D(3, interpolation="bilinear")(tf.constant(np.ones((1, 3, 3, 1),
                                                                                np.float32)))
    assert flat.dtype == tf.float32
    np.testing.assert_allclose(flat.numpy(), 1.0, rtol=1e-6)


def test_bilinear_upsampling_matches_torch():
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(2, 3, 4, 5))  # NCHW for torch
    ref = torch.nn.functional.interpolate(torch.from_numpy(x), scale_factor=(2, 2),
                                          mode="bilinear", align_corners=False).numpy()
    got = layers.UpSampling2D(2, interpolation="bilinear", data_format="channels_first")(
        tf.constant(x)).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


def test_spatial_dropout_drops_whole_channels_while_training_only():
    x = np.ones((4, 6, 5, 8), np.float32)
    layer = layers.SpatialDropout2D(0.5)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    y = layer(x, training=True).numpy()
    per_channel = y.reshape(4, 30, 8)
    # every feature map is all zeros or all 1 / (1 - rate)
    assert np.all(per_channel.min(1) == per_channel.max(1))
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert 0 < (per_channel[:, 0] == 0).mean() < 1
    y1 = layers.SpatialDropout1D(0.5)(np.ones((4, 6, 8), np.float32), training=True).numpy()
    assert np.all(y1.min(1) == y1.max(1))


# -- BatchNormalization on conv feature maps -------------------------------------------------
def test_batch_normalization_normalizes_each_channel_of_a_feature_map():
    x = _x(4, 5, 6, 3) * 3 + 2
    bn = layers.BatchNormalization(axis=-1)
    y = bn(x, training=True).numpy()
    mean = x.mean(axis=(0, 1, 2))
    var = x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)
    assert [w.shape for w in bn.get_weights()] == [(3,)] * 4
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * mean, rtol=1e-4)


# -- gradients (float64, finite differences) -----------------------------------------------
GRAD_CASES = {
    "conv2d_same_stride2": lambda: layers.Conv2D(2, (3, 2), strides=2, padding="same",
                                                 activation="tanh", dtype="float64"),
    "conv2d_dilated": lambda: layers.Conv2D(2, 2, dilation_rate=2, activation="relu",
                                            dtype="float64"),
    "conv2d_channels_first": lambda: layers.Conv2D(2, 2, data_format="channels_first",
                                                   dtype="float64"),
    "conv2d_transpose": lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same",
                                                       dtype="float64"),
    "depthwise": lambda: layers.DepthwiseConv2D(2, depth_multiplier=2, strides=2,
                                                padding="same", dtype="float64"),
    "separable": lambda: layers.SeparableConv2D(2, 2, activation="sigmoid", dtype="float64"),
    "max_pool_same": lambda: layers.MaxPooling2D(2, padding="same"),
    "avg_pool_overlap": lambda: layers.AveragePooling2D(3, strides=1, padding="same"),
    "upsampling": lambda: layers.UpSampling2D((2, 1)),
    "upsampling_bilinear": lambda: layers.UpSampling2D((2, 3), interpolation="bilinear"),
    "upsampling_bilinear_channels_first": lambda: layers.UpSampling2D(
        2, interpolation="bilinear", data_format="channels_first"),
}


@pytest.mark.parametrize("case", sorted(GRAD_CASES))
def test_conv_and_pool_gradients_match_finite_differences(case):
    layer = GRAD_CASES[case]()
    x = rng.normal(size=(2, 5, 4, 3))
    if case.startswith("max_pool"):  # distinct values: the argmax is stable under eps
        x = rng.permutation(np.arange(x.size, dtype=np.float64)).reshape(x.shape) / 10
    layer(tf.constant(x))
    check_layer_grads(lambda t: layer(t), layer, [x])


def test_conv1d_causal_gradient_matches_finite_differences():
    layer = layers.Conv1D(3, 3, padding="causal", strides=2, dtype="float64")
    x = rng.normal(size=(2, 7, 2))
    layer(tf.constant(x))
    check_layer_grads(lambda t: layer(t), layer, [x])


# -- errors a user sees ----------------------------------------------------------------------
def test_conv2d_fed_a_matrix_says_to_reshape():
    layer = layers.Conv2D(4, 3, name="c2")
    with pytest.raises(ValueError, match=r"Conv2D 'c2' expects input of rank 4 \(batch, rows, "
                                         r"cols, channels\).*\(5, 784\).*reshape"):
        layer(np.zeros((5, 784), np.float32))
    with pytest.raises(ValueError, match="Conv2D .* expects input of rank 4"):
        keras.Sequential([layers.Conv2D(4, 3, input_shape=(784,))])


def test_kernel_larger_than_the_input_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Conv2D 'big': kernel_size \(5, 5\) is larger than "
                                         r"the input's spatial size \(3, 3\).*padding='same'"):
        layers.Conv2D(2, 5, name="big")(np.zeros((1, 3, 3, 1), np.float32))
    with pytest.raises(ValueError, match=r"Conv1D .*kernel_size \(3,\) \(dilated to \(5,\)\)"):
        layers.Conv1D(2, 3, dilation_rate=2)(np.zeros((1, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r"MaxPooling2D .*pool_size \(4, 4\) is larger"):
        keras.Sequential([layers.MaxPooling2D(4, input_shape=(3, 8, 1))])
    # 'same' padding is fine
    assert layers.Conv2D(2, 5, padding="same")(np.zeros((1, 3, 3, 1), np.float32)).shape == \
        (1, 3, 3, 2)


def test_ragged_list_into_conv1d_says_to_pad():
    with pytest.raises(ValueError, match=r"Conv1D 'c1' got a ragged input.*lengths \(2, 3\).*"
                                         r"pad_sequences"):
        layers.Conv1D(2, 1, name="c1")([[[1.0], [2.0]], [[1.0], [2.0], [3.0]]])


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="Conv2D .*padding must be one of 'valid', 'same'"):
        layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="data_format must be 'channels_last' or"):
        layers.Conv2D(2, 3, data_format="NHWC")
    with pytest.raises(ValueError, match=r"kernel_size must be .* tuple of 2"):
        layers.Conv2D(2, (3, 3, 3))


# -- models, serialization ---------------------------------------------------------------------
def mnist_cnn():
    return keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


def test_mnist_cnn_has_keras_shapes_and_parameter_count():
    m = mnist_cnn()
    shapes, shape = [], (None, 28, 28, 1)
    for layer in m.layers:
        shape = layer.compute_output_shape(shape)
        shapes.append(shape)
    assert [layer.name.split("_")[0] for layer in m.layers][:2] == ["conv2d", "conv2d"]
    assert m.layers[2].name.startswith("max_pooling2d")  # keras' default names
    assert shapes[:5] == [
        (None, 26, 26, 32), (None, 24, 24, 64), (None, 12, 12, 64), (None, 12, 12, 64),
        (None, 9216)]
    assert m.count_params() == 1199882  # keras' mnist_cnn summary


def test_a_small_cnn_learns_and_survives_save_and_load(tmp_path):
    x = rng.random((64, 8, 8, 1)).astype(np.float32)
    x[::2] *= 0.6  # bright and dark images
    y = (x.mean((1, 2, 3)) > np.median(x.mean((1, 2, 3)))).astype(np.float32)
    m = keras.Sequential([
        layers.Conv2D(4, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
        layers.BatchNormalization(momentum=0.5), layers.MaxPooling2D(), layers.Conv2D(4, 2),
        layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy")
    before = m.evaluate(x, y, verbose=0)
    m.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert m.evaluate(x, y, verbose=0) < 0.7 * before
    path = tmp_path / "cnn.keras"
    m.save(path)
    m2 = keras.models.load_model(path)
    np.testing.assert_allclose(m2.predict(x, verbose=0), m.predict(x, verbose=0), rtol=1e-6)


def test_every_spatial_layer_round_trips_through_config_and_a_saved_model(tmp_path):
    inp = keras.Input((8, 6, 2))
    a = layers.Conv2D(3, 3, padding="same", strides=(1, 2), dilation_rate=1,
                      kernel_regularizer=keras.regularizers.l2(0.01), name="c")(inp)
    a = layers.ZeroPadding2D(((1, 0), (0, 1)))(a)
    a = layers.Cropping2D(((1, 0), (0, 1)))(a)
    a = layers.DepthwiseConv2D(2, depth_multiplier=2, padding="same")(a)
    a = layers.SeparableConv2D(4, 2, padding="same", activation="relu")(a)
    a = layers.Conv2DTranspose(2, 2, strides=2, output_padding=1, padding="same")(a)
    a = layers.UpSampling2D((1, 2))(a)
    a = layers.UpSampling2D((2, 1), interpolation="bilinear")(a)
    a = layers.SpatialDropout2D(0.3)(a)
    a = layers.AveragePooling2D(2, padding="same")(a)
    a = layers.MaxPooling2D(2, data_format="channels_last")(a)
    a = layers.GlobalMaxPooling2D()(a)
    b = layers.Reshape((24, 4))(inp)
    b = layers.Conv1D(3, 2, padding="causal")(b)
    b = layers.ZeroPadding1D(1)(b)
    b = layers.Cropping1D((1, 1))(b)
    b = layers.UpSampling1D(2)(b)
    b = layers.SpatialDropout1D(0.2)(b)
    b = layers.MaxPooling1D(2)(b)
    b = layers.AveragePooling1D(2)(b)
    b = layers.GlobalAveragePooling1D()(b)
    out = layers.Concatenate()([a, b])
    m = keras.Model(inp, out)
    x = _x(3, 8, 6, 2)
    want = m.predict(x, verbose=0)
    for layer in m.layers:
        cfg = layer.get_config()
        clone = type(layer).from_config(cfg)
        assert clone.get_config() == cfg, type(layer).__name__
    path = tmp_path / "spatial.keras"
    m.save(path)
    m2 = keras.models.load_model(path)
    np.testing.assert_allclose(m2.predict(x, verbose=0), want, rtol=1e-5, atol=1e-6)
    assert [type(layer).__name__ for layer in m2.layers] == \
        [type(layer).__name__ for layer in m.layers]
