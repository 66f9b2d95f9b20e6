"""Forward results vs numpy and gradients vs central finite differences (float64),
for every differentiable op, on every available device."""

import math

import numpy as np
import pytest
import tensorbridge.engine as tf
from gradcheck import check_grad, host

RNG = np.random.default_rng(1234)
_erf = np.vectorize(math.erf)


def rnd(*shape, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, size=shape)


def away(*shape, margin=0.2):
    """Random values at least ``margin`` away from 0 (for kinks at 0)."""
    x = rnd(*shape)
    return np.where(np.abs(x) < margin, np.sign(x + 1e-12) * margin + x, x)


POS = dict(lo=0.5, hi=2.0)

UNARY = [
    # name, engine fn, numpy reference, input maker
    ("negative", tf.negative, np.negative, lambda: rnd(3, 4)),
    ("abs", tf.abs, np.abs, lambda: away(3, 4)),
    ("sqrt", tf.sqrt, np.sqrt, lambda: rnd(3, 4, **POS)),
    ("rsqrt", tf.math.rsqrt, lambda x: 1 / np.sqrt(x), lambda: rnd(3, 4, **POS)),
    ("square", tf.square, np.square, lambda: rnd(3, 4)),
    ("exp", tf.exp, np.exp, lambda: rnd(3, 4)),
    ("log", tf.log, np.log, lambda: rnd(3, 4, **POS)),
    ("log1p", tf.log1p, np.log1p, lambda: rnd(3, 4, lo=-0.5, hi=2.0)),
    ("expm1", tf.expm1, np.expm1, lambda: rnd(3, 4)),
    ("sin", tf.sin, np.sin, lambda: rnd(3, 4)),
    ("cos", tf.cos, np.cos, lambda: rnd(3, 4)),
    ("tanh", tf.tanh, np.tanh, lambda: rnd(3, 4)),
    ("sigmoid", tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), lambda: rnd(3, 4, lo=-6, hi=6)),
    ("erf", tf.erf, _erf, lambda: rnd(3, 4)),
    ("reciprocal", tf.math.reciprocal, lambda x: 1 / x, lambda: rnd(3, 4, **POS)),
    ("relu", tf.nn.relu, lambda x: np.maximum(x, 0), lambda: away(3, 4)),
    ("relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6), lambda: away(3, 4) * 4 + 0.3),
    ("leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.1),
     lambda x: np.where(x > 0, x, 0.1 * x), lambda: away(3, 4)),
    ("elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x)), lambda: away(3, 4)),
    ("selu", tf.nn.selu,
     lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
     lambda: away(3, 4)),
    ("gelu", tf.nn.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))), lambda: rnd(3, 4)),
    ("gelu_tanh", lambda x: tf.nn.gelu(x, approximate=True),
     lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))),
     lambda: rnd(3, 4)),
    ("softplus", tf.nn.softplus, lambda x: np.logaddexp(0, x), lambda: rnd(3, 4, lo=-5, hi=5)),
    ("softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x)), lambda: away(3, 4)),
    ("silu", tf.nn.silu, lambda x: x / (1 + np.exp(-x)), lambda: rnd(3, 4)),
    ("swish_beta", lambda x: tf.nn.swish(x, beta=1.5), lambda x: x / (1 + np.exp(-1.5 * x)),
     lambda: rnd(3, 4)),
    ("identity", tf.identity, lambda x: x, lambda: rnd(3, 4)),
]


@pytest.mark.parametrize("name,fn,ref,make", UNARY, ids=[u[0] for u in UNARY])
def test_unary(dev, name, fn, ref, make):
    x = make()
    np.testing.assert_allclose(host(fn(tf.constant(x))), ref(x), rtol=1e-6, atol=1e-7)
    # float32 forward keeps float32
    assert fn(tf.constant(x.astype(np.float32))).dtype == tf.float32
    check_grad(fn, x)


def test_cast_gradient(dev):
    # d cast(x)/dx is the identity, cast back to the source dtype
    x = tf.constant(rnd(3, 4))
    w = rnd(3, 4).astype(np.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x, tf.float32) * tf.constant(w)
    g = tape.gradient(y, x)
    assert g.dtype == tf.float64
    np.testing.assert_array_equal(host(g), w.astype(np.float64))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x, tf.int32)
    assert tape.gradient(y, x) is None  # not differentiable into integers


BINARY = [
    ("add", tf.add, np.add, None),
    ("subtract", tf.subtract, np.subtract, None),
    ("multiply", tf.multiply, np.multiply, None),
    ("divide", tf.divide, np.divide, "pos"),
    ("pow", tf.pow, np.power, "pos"),
    ("maximum", tf.maximum, np.maximum, None),
    ("minimum", tf.minimum, np.minimum, None),
    ("mod", tf.mod, np.mod, "pos"),
    ("squared_difference", tf.squared_difference, lambda a, b: (a - b) ** 2, None),
]
SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (2, 3)), ((3, 1), (1, 1))]


@pytest.mark.parametrize("shapes", SHAPES, ids=[f"{a}x{b}" for a, b in SHAPES])
@pytest.mark.parametrize("name,fn,ref,dom", BINARY, ids=[b[0] for b in BINARY])
def test_binary_broadcasting(dev, name, fn, ref, dom, shapes):
    sa, sb = shapes
    if dom == "pos":
        a, b = rnd(*sa, lo=0.5, hi=2.0), rnd(*sb, lo=0.5, hi=2.0)
        if name == "mod":  # keep away from the jumps of mod
            a = rnd(*sa, lo=0.1, hi=0.9) + 3 * np.floor(rnd(*sa, lo=0, hi=3))
            b = np.full(sb, 3.0) if sb else np.float64(3.0)
            a = np.asarray(a)
    else:
        a, b = rnd(*sa), rnd(*sb)
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    np.testing.assert_allclose(host(fn(tf.constant(a), tf.constant(b))), ref(a, b), rtol=1e-12)
    check_grad(fn, a, b)


def test_operators_and_weak_scalars(dev):
    x = rnd(2, 3)
    t = tf.constant(x.astype(np.float32))
    for got, want in [(t + 1, x + 1), (1 - t, 1 - x), (t * 2.5, x * 2.5),
                      (3 / (t + 5), 3 / (x + 5)), (t ** 2, x ** 2), (2.0 ** t, 2.0 ** x),
                      (-t, -x), (abs(t), np.abs(x)),
                      (t // 1, x // 1), (t % 1.5, x % 1.5)]:
        assert got.dtype == tf.float32  # Python scalars do not upcast the tensor
        np.testing.assert_allclose(host(got), want.astype(np.float32), rtol=1e-5, atol=1e-6)
    m = tf.constant(rnd(3, 2).astype(np.float32))
    np.testing.assert_allclose(host(t @ m), x.astype(np.float32) @ host(m), rtol=1e-5)
    # numpy arrays on the left defer to the tensor
    got = np.ones((2, 3)) + t
    assert isinstance(got, tf.Tensor) and got.dtype == tf.float32
    np.testing.assert_allclose(host(got), (1 + x).astype(np.float32), rtol=1e-6)
    i = tf.constant([1, 2, 3])
    assert i.dtype == tf.int32 and (i * 2).dtype == tf.int32
    np.testing.assert_array_equal(host(i * 2 + 1), [3, 5, 7])
    np.testing.assert_array_equal(host(tf.floordiv(tf.constant([7, -7]), 2)), [3, -4])


def test_comparisons_and_logic(dev):
    a, b = rnd(3, 4), rnd(4)
    ta, tb_ = tf.constant(a), tf.constant(b)
    for got, want in [(ta < tb_, a < b), (ta <= tb_, a <= b), (ta > tb_, a > b),
                      (ta >= tb_, a >= b), (tf.equal(ta, ta), np.ones((3, 4), bool)),
                      (tf.not_equal(ta, tb_), a != b), (ta == 5.0, a == 5.0)]:
        assert got.dtype == tf.bool
        np.testing.assert_array_equal(host(got), want)
    p, q = a > 0, b > 0
    tp, tq = tf.constant(p), tf.constant(q)
    np.testing.assert_array_equal(host(tf.logical_and(tp, tq)), p & q)
    np.testing.assert_array_equal(host(tf.logical_or(tp, tq)), p | q)
    np.testing.assert_array_equal(host(tf.logical_xor(tp, tq)), p ^ q)
    np.testing.assert_array_equal(host(tf.logical_not(tp)), ~p)
    np.testing.assert_array_equal(host(~tp), ~p)
    np.testing.assert_array_equal(host(tf.sign(ta)), np.sign(a))


def test_where_and_clip(dev):
    c = rnd(3, 4) > 0
    x, y = rnd(3, 4), rnd(4)
    np.testing.assert_allclose(host(tf.where(tf.constant(c), tf.constant(x), tf.constant(y))),
                               np.where(c, x, y))
    check_grad(lambda a, b: tf.where(tf.constant(c), a, b), x, y)
    coords = tf.where(tf.constant(c))
    np.testing.assert_array_equal(host(coords), np.argwhere(c))
    z = away(3, 4) * 2
    np.testing.assert_allclose(host(tf.clip_by_value(tf.constant(z), -1.0, 1.5)),
                               np.clip(z, -1.0, 1.5))
    z = np.where(np.abs(np.abs(z) - 1.25) < 0.1, z * 0.5, z)
    check_grad(lambda a: tf.clip_by_value(a, -1.25, 1.25), z)


REDUCTIONS = [
    ("reduce_sum", tf.reduce_sum, np.sum),
    ("reduce_mean", tf.reduce_mean, np.mean),
    ("reduce_max", tf.reduce_max, np.max),
    ("reduce_min", tf.reduce_min, np.min),
    ("reduce_prod", tf.reduce_prod, np.prod),
    ("reduce_std", tf.reduce_std, np.std),
    ("reduce_variance", tf.reduce_variance, np.var),
    ("reduce_logsumexp", tf.reduce_logsumexp,
     lambda x, axis=None, keepdims=False: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
]
AXES = [None, 0, -1, (0, 2), [1]]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=[str(a) for a in AXES])
@pytest.mark.parametrize("name,fn,ref", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
def test_reductions(dev, name, fn, ref, axis, keepdims):
    x = rnd(2, 3, 4, lo=0.5, hi=1.5) * RNG.choice([-1, 1], size=(2, 3, 4))
    ax = tuple(axis) if isinstance(axis, list) else axis
    want = ref(x, axis=ax, keepdims=keepdims)
    got = fn(tf.constant(x), axis=axis, keepdims=keepdims)
    assert got.shape == np.shape(want)
    np.testing.assert_allclose(host(got), want, rtol=1e-10)
    check_grad(lambda t: fn(t, axis=axis, keepdims=keepdims), x)


def test_reduce_prod_with_zero(dev):
    x = rnd(3, 4)
    x[1, 2] = 0.0
    x[2, 0] = x[2, 3] = 0.0
    check_grad(lambda t: tf.reduce_prod(t, axis=1), x)


def test_reduce_max_ties_split_gradient(dev):
    x = tf.constant(np.array([1.0, 3.0, 3.0, 2.0]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_max(x)
    np.testing.assert_allclose(host(tape.gradient(y, x)), [0, 0.5, 0.5, 0])


def test_logsumexp_extreme_is_finite(dev):
    x = np.array([[1e4, -1e4, 0.0], [-np.inf, 2.0, 1.0]])
    got = host(tf.reduce_logsumexp(tf.constant(x), axis=1))
    np.testing.assert_allclose(got, [1e4, 2.0 + np.log1p(np.exp(-1.0))])


def test_bool_reductions_and_args(dev):
    b = rnd(3, 4) > 0
    x = rnd(3, 4)
    np.testing.assert_array_equal(host(tf.reduce_any(tf.constant(b), axis=1)), b.any(1))
    np.testing.assert_array_equal(host(tf.reduce_all(tf.constant(b), axis=0)), b.all(0))
    np.testing.assert_array_equal(host(tf.argmax(tf.constant(x), axis=1)), x.argmax(1))
    np.testing.assert_array_equal(host(tf.argmin(tf.constant(x))), x.argmin(0))
    assert tf.argmax(tf.constant(x), axis=1).dtype == tf.int64


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum(dev, exclusive, reverse):
    x = rnd(3, 4)
    want = x[:, ::-1] if reverse else x
    want = np.cumsum(want, axis=1)
    if exclusive:
        want = np.concatenate([np.zeros((3, 1)), want[:, :-1]], axis=1)
    if reverse:
        want = want[:, ::-1]
    got = tf.cumsum(tf.constant(x), axis=1, exclusive=exclusive, reverse=reverse)
    np.testing.assert_allclose(host(got), want, rtol=1e-12, atol=1e-12)
    check_grad(lambda t: tf.cumsum(t, axis=1, exclusive=exclusive, reverse=reverse), x)


MATMUL = [((3, 4), (4, 5)), ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (5, 4, 2)), ((3, 4), (2, 4, 3))]


@pytest.mark.parametrize("sa,sb", MATMUL, ids=[f"{a}@{b}" for a, b in MATMUL])
def test_matmul(dev, sa, sb):
    a, b = rnd(*sa), rnd(*sb)
    np.testing.assert_allclose(host(tf.matmul(tf.constant(a), tf.constant(b))), a @ b,
                               rtol=1e-12)
    check_grad(tf.matmul, a, b)


def test_matmul_transpose_flags(dev):
    a, b = rnd(4, 3), rnd(5, 4)
    got = tf.matmul(tf.constant(a), tf.constant(b), transpose_a=True, transpose_b=True)
    np.testing.assert_allclose(host(got), a.T @ b.T, rtol=1e-12)
    check_grad(lambda x, y: tf.matmul(x, y, transpose_a=True, transpose_b=True), a, b)


@pytest.mark.parametrize("axes", [1, 2, ([0, 2], [1, 0]), ([1], [0])])
def test_tensordot(dev, axes):
    a = rnd(3, 4, 2)
    b = rnd(4, 3, 5) if isinstance(axes, tuple) and axes[0] == [0, 2] else \
        (rnd(2, 5) if axes == 1 else (rnd(4, 2, 3) if axes == 2 else rnd(4, 5)))
    if axes == ([0, 2], [1, 0]):
        b = rnd(2, 3, 5)
    np_axes = axes
    np.testing.assert_allclose(host(tf.tensordot(tf.constant(a), tf.constant(b), axes)),
                               np.tensordot(a, b, np_axes), rtol=1e-12)
    check_grad(lambda x, y: tf.tensordot(x, y, axes), a, b)


@pytest.mark.parametrize("ord_,axis", [("euclidean", None), ("euclidean", 1), (1, 0),
                                       (np.inf, 1), (3, None), ("fro", (0, 1))])
def test_linalg_norm(dev, ord_, axis):
    x = away(3, 4)
    got = tf.linalg.norm(tf.constant(x), ord=ord_, axis=axis)
    if axis is None:
        want = np.linalg.norm(x.ravel(), ord=2 if ord_ == "euclidean" else ord_)
    elif ord_ == "fro":
        want = np.linalg.norm(x, "fro")
    else:
        want = np.linalg.norm(x, ord=2 if ord_ == "euclidean" else ord_, axis=axis)
    np.testing.assert_allclose(host(got), want, rtol=1e-12)
    if ord_ == np.inf:
        x[np.arange(3), np.abs(x).argmax(1)] *= 1.5  # make the max unique
    check_grad(lambda t: tf.linalg.norm(t, ord=ord_, axis=axis), x)


# -- shape ops -----------------------------------------------------------------------------
SHAPE_OPS = [
    ("reshape", lambda t: tf.reshape(t, (4, -1)), lambda x: x.reshape(4, -1)),
    ("transpose", lambda t: tf.transpose(t, [2, 0, 1]), lambda x: x.transpose(2, 0, 1)),
    ("transpose_default", tf.transpose, lambda x: x.T),
    ("expand_dims", lambda t: tf.expand_dims(t, -1), lambda x: x[..., None]),
    ("squeeze", lambda t: tf.squeeze(tf.reshape(t, (1, 2, 1, 6)), [0, 2]),
     lambda x: x.reshape(2, 6)),
    ("tile", lambda t: tf.tile(t, [2, 1, 3]), lambda x: np.tile(x, (2, 1, 3))),
    ("pad", lambda t: tf.pad(t, [[1, 0], [0, 2], [1, 1]], constant_values=0.5),
     lambda x: np.pad(x, [(1, 0), (0, 2), (1, 1)], constant_values=0.5)),
    ("pad_reflect", lambda t: tf.pad(t, [[1, 1], [0, 2], [0, 0]], mode="REFLECT"),
     lambda x: np.pad(x, [(1, 1), (0, 2), (0, 0)], mode="reflect")),
    ("pad_symmetric", lambda t: tf.pad(t, [[0, 0], [2, 1], [1, 0]], mode="SYMMETRIC"),
     lambda x: np.pad(x, [(0, 0), (2, 1), (1, 0)], mode="symmetric")),
    ("getitem_basic", lambda t: t[1, ::2, 1:], lambda x: x[1, ::2, 1:]),
    ("getitem_neg_step", lambda t: t[:, ::-1, -1], lambda x: x[:, ::-1, -1]),
    ("getitem_ellipsis_newaxis", lambda t: t[..., None, 0], lambda x: x[..., None, 0]),
    ("getitem_int_array_dups", lambda t: t[[0, 1, 1, 0]], lambda x: x[[0, 1, 1, 0]]),
    ("getitem_bool_mask", lambda t: t[tf.constant(MASK)], lambda x: x[MASK]),
    ("strided_slice", lambda t: tf.strided_slice(t, [0, 2, 0], [2, 0, 2], [1, -1, 1]),
     lambda x: x[0:2, 2:0:-1, 0:2]),
    ("gather_axis0", lambda t: tf.gather(t, [1, 0, 1]), lambda x: x[[1, 0, 1]]),
    ("gather_axis1_2d", lambda t: tf.gather(t, [[0, 2], [2, 2]], axis=1),
     lambda x: np.take(x, [[0, 2], [2, 2]], axis=1)),
    ("broadcast_to", lambda t: tf.broadcast_to(t[:, :1], (2, 2, 3, 2)),
     lambda x: np.broadcast_to(x[:, :1], (2, 2, 3, 2))),
    ("concat", lambda t: tf.concat([t, t * 2.0, t[:, :1]], axis=1),
     lambda x: np.concatenate([x, 2 * x, x[:, :1]], axis=1)),
    ("stack", lambda t: tf.stack([t, t * 3.0], axis=1), lambda x: np.stack([x, 3 * x], axis=1)),
    ("split", lambda t: tf.split(t, [1, -1], axis=1)[1] * tf.split(t, 3, axis=1)[0],
     lambda x: x[:, 1:] * x[:, :1]),
    ("unstack", lambda t: tf.unstack(t, axis=2)[1], lambda x: x[:, :, 1]),
]
MASK = np.array([[True, False, True], [False, True, True]])


@pytest.mark.parametrize("name,fn,ref", SHAPE_OPS, ids=[s[0] for s in SHAPE_OPS])
def test_shape_ops(dev, name, fn, ref):
    x = rnd(2, 3, 2)
    got = fn(tf.constant(x))
    want = ref(x)
    assert got.shape == want.shape
    np.testing.assert_allclose(host(got), want, rtol=1e-12)
    check_grad(fn, x)


def test_one_hot_and_cast(dev):
    idx = np.array([[0, 2], [1, 5]])
    got = tf.one_hot(tf.constant(idx), 4)
    want = np.zeros((2, 2, 4), np.float32)
    for i, j in np.ndindex(idx.shape):
        if idx[i, j] < 4:
            want[i, j, idx[i, j]] = 1
    assert got.dtype == tf.float32
    np.testing.assert_array_equal(host(got), want)
    got = tf.one_hot(tf.constant([1, 0]), 3, on_value=5, off_value=-1, axis=0, dtype=tf.int32)
    np.testing.assert_array_equal(host(got), [[-1, 5], [5, -1], [-1, -1]])
    x = rnd(5) * 3
    np.testing.assert_array_equal(host(tf.cast(tf.constant(x), tf.int32)), x.astype(np.int32))
    assert tf.cast(tf.constant(x), "float16").dtype == tf.float16


def test_embedding_lookup(dev):
    p = rnd(5, 3)
    ids = np.array([[4, 0], [4, 2]])
    np.testing.assert_allclose(host(tf.nn.embedding_lookup(tf.constant(p), tf.constant(ids))),
                               p[ids])
    check_grad(lambda t: tf.nn.embedding_lookup(t, tf.constant(ids)), p)
