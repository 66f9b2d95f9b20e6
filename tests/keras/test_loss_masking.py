"""A masked output (Embedding(mask_zero=True) -> sequence layers) trains and
evaluates on its unmasked steps only, as in keras: the loss is the mean over
valid steps (times sample weights), metrics skip masked steps, and labels at
masked steps change nothing. References are numpy computations on the
model's own predictions."""

import numpy as np
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras import layers

rng = np.random.default_rng(5)
EPS = 1e-7  # keras' clipping of probabilities in cross-entropy


def padded_batch(n=6, steps=7, vocab=9, classes=4):
    lengths = rng.integers(2, steps + 1, size=n)
    x = np.zeros((n, steps), dtype=np.int32)
    for i, length in enumerate(lengths):
        x[i, steps - length:] = rng.integers(1, vocab, size=length)  # "pre" padding
    y = rng.integers(0, classes, size=(n, steps))
    return x, y


def tagger(vocab=9, classes=4):
    model = keras.Sequential([
        layers.Embedding(vocab, 5, mask_zero=True),
        layers.SimpleRNN(6, return_sequences=True),
        layers.Dense(classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def per_step_crossentropy(probs, y):
    p = np.take_along_axis(probs, y[..., None], axis=-1)[..., 0]
    return -np.log(np.clip(p, EPS, 1 - EPS))


def test_loss_and_accuracy_are_means_over_unmasked_steps():
    x, y = padded_batch()
    model = tagger()
    loss, acc = model.evaluate(x, y, batch_size=len(x), verbose=0)
    probs = model.predict(x, verbose=0).astype(np.float64)
    valid = x != 0
    assert valid.sum() < valid.size  # the batch does have padding
    np.testing.assert_allclose(loss, per_step_crossentropy(probs, y)[valid].mean(), rtol=1e-5)
    np.testing.assert_allclose(acc, (probs.argmax(-1) == y)[valid].mean(), rtol=1e-6)


def test_sample_weights_combine_with_the_mask():
    x, y = padded_batch()
    sw = rng.uniform(0.2, 2.0, size=len(x))
    model = tagger()
    loss = model.evaluate(x, y, sample_weight=sw, batch_size=len(x), verbose=0)[0]
    probs = model.predict(x, verbose=0).astype(np.float64)
    valid = (x != 0).astype(np.float64)
    expected = (per_step_crossentropy(probs, y) * valid * sw[:, None]).sum() / valid.sum()
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_labels_at_masked_steps_change_neither_loss_nor_training():
    x, y = padded_batch()
    y_other = np.where(x == 0, (y + 1) % 4, y)  # differs only where masked
    a, b = tagger(), tagger()
    a.predict(x, verbose=0), b.predict(x, verbose=0)  # build both
    b.set_weights(a.get_weights())
    assert a.evaluate(x, y, verbose=0) == pytest.approx(b.evaluate(x, y_other, verbose=0))
    a.train_on_batch(x, y)
    b.train_on_batch(x, y_other)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def test_an_all_masked_batch_has_zero_loss():
    x = np.zeros((3, 5), dtype=np.int32)
    y = rng.integers(0, 4, size=(3, 5))
    assert tagger().evaluate(x, y, verbose=0)[0] == 0.0
