"""fit/evaluate/predict from batch sources (datasets, iterators, callables,
Sequences) against the same batches given as arrays; the shuffled gather of
column-major arrays against numpy's row gather."""

import warnings

import numpy as np
import pytest
import tensorbridge.engine as tf
from tensorbridge.engine import keras
from tensorbridge.engine.keras import data_adapter, layers

RNG = np.random.default_rng(7)
X = RNG.normal(size=(50, 3))
Y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + RNG.normal(scale=0.1, size=50)
BS = 8


def _batches():
    return [(X[s:s + BS], Y[s:s + BS]) for s in range(0, len(X), BS)]


def _model():
    m = keras.Sequential([layers.Dense(4, activation="tanh", input_shape=(3,)),
                          layers.Dense(1)])
    return m


def _fit_weights(init, fit_args, **kw):
    m = _model()
    m.set_weights(init)
    m.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    h = m.fit(*fit_args, verbose=0, **kw)
    return m.get_weights(), h.history


class ListDataset:
    """A stand-in with the Dataset interface: iterable, cardinality()."""

    def __init__(self, items, infinite=False):
        self.items, self.infinite = items, infinite

    def __iter__(self):
        if self.infinite:
            while True:
                yield from self.items
        yield from self.items

    def cardinality(self):
        return -1 if self.infinite else len(self.items)


class ListSequence:
    def __init__(self, items):
        self.items, self.ends = items, 0

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def on_epoch_end(self):
        self.ends += 1


def _cycle_callable():
    state = {"i": 0}
    items = _batches()

    def next_batch():
        b = items[state["i"] % len(items)]
        state["i"] += 1
        return b
    return next_batch


def test_every_source_gives_the_weights_of_the_array_fit():
    init = _model().get_weights()
    steps = len(_batches())
    ref, ref_hist = _fit_weights(init, (X, Y), batch_size=BS, epochs=3, shuffle=False)
    gen = (b for _ in range(3) for b in _batches())
    cases = {
        "dataset": ((ListDataset(_batches()),), {}),
        "iterator": ((gen,), {"steps_per_epoch": steps}),
        "callable": ((_cycle_callable(),), {"steps_per_epoch": steps}),
        "Sequence": ((ListSequence(_batches()),), {"shuffle": False}),
        "step callable": ((data_adapter.StepCallable(
            lambda step, epoch: _batches()[step - 1]),), {"steps_per_epoch": steps}),
    }
    for name, (args, kw) in cases.items():
        w, hist = _fit_weights(init, args, epochs=3, **kw)
        for a, b in zip(ref, w):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7, err_msg=name)
        np.testing.assert_allclose(hist["loss"], ref_hist["loss"], rtol=1e-6, err_msg=name)


def test_validation_and_evaluate_and_predict_from_sources():
    m = _model()
    m.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    ref = m.evaluate(X, Y, batch_size=BS, verbose=0, return_dict=True)
    got = m.evaluate(ListDataset(_batches()), verbose=0, return_dict=True)
    assert got == pytest.approx(ref, rel=1e-6)
    got = m.evaluate(_cycle_callable(), steps=len(_batches()), verbose=0, return_dict=True)
    assert got == pytest.approx(ref, rel=1e-6)
    # predict: batches of x alone, or (x,) tuples
    p_ref = m.predict(X, batch_size=BS, verbose=0)
    p = m.predict(ListDataset([b[0] for b in _batches()]), verbose=0)
    np.testing.assert_allclose(p, p_ref, rtol=1e-6)
    p = m.predict(ListSequence([(b[0],) for b in _batches()]), verbose=0)
    np.testing.assert_allclose(p, p_ref, rtol=1e-6)
    # validation from a generator: the val_ logs are the evaluate() of the same rows
    w0 = m.get_weights()
    h = m.fit(X, Y, batch_size=BS, epochs=1, shuffle=False, verbose=0,
              validation_data=_cycle_callable(), validation_steps=len(_batches()))
    after = m.evaluate(X, Y, batch_size=BS, verbose=0, return_dict=True)
    assert h.history["val_loss"][0] == pytest.approx(after["loss"], rel=1e-6)
    assert not all(np.array_equal(a, b) for a, b in zip(w0, m.get_weights()))


def test_sequence_shuffles_batch_order_and_calls_on_epoch_end():
    seq = ListSequence(_batches())
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(batch)
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    m.fit(seq, epochs=2, verbose=0, callbacks=[Spy()])
    assert seq.ends == 2 and len(seen) == 2 * len(seq)


def test_steps_are_required_where_the_source_cannot_count():
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="steps_per_epoch is required"):
        m.fit(_cycle_callable(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch is required"):
        m.fit(iter(_batches()), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        m.fit(ListDataset(_batches(), infinite=True), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="validation_steps is required"):
        m.fit(X, Y, epochs=1, verbose=0, validation_data=_cycle_callable())
    with pytest.raises(ValueError, match="steps is required"):
        m.predict(_cycle_callable(), verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        m.fit(ListDataset(_batches()), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        m.fit(ListDataset(_batches()), validation_split=0.2, verbose=0)
    # an infinite dataset with steps trains that many batches per epoch
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)
    m.fit(ListDataset(_batches(), infinite=True), steps_per_epoch=10, epochs=2, verbose=0,
          callbacks=[Spy()])
    assert seen == list(range(10)) * 2


def test_bad_batches_name_the_step():
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    items = _batches()
    items[2] = (X[:BS, :2], Y[:BS])

    with pytest.raises(ValueError, match=r"fit: in the generator, step 3 of epoch 1: x has 2 "
                                         r"columns but .* expects 3"):
        m.fit(iter(items), steps_per_epoch=len(items), verbose=0)
    items[2] = (X[:BS], Y[:BS - 1])
    with pytest.raises(ValueError, match=r"step 3 of epoch 1: x has 8 rows but y has 7"):
        m.fit(ListDataset(items), verbose=0)
    items[2] = X[:BS]
    with pytest.raises(ValueError, match=r"step 3 of epoch 1: the batch has inputs but no "
                                         r"targets"):
        m.fit(ListSequence(items), shuffle=False, verbose=0)
    items[2] = (np.array([["a"] * 3] * BS), Y[:BS])
    with pytest.raises(ValueError, match=r"step 3 of epoch 1: x is not numeric"):
        m.fit(ListDataset(items), verbose=0)
    items[2] = (X[:BS] * np.nan, Y[:BS])
    with pytest.raises(ValueError, match=r"step 3 of epoch 1: x has missing values"):
        m.fit(ListDataset(items), verbose=0)


def test_a_source_that_runs_out_stops_training_with_a_warning():
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        h = m.fit(iter(_batches()), steps_per_epoch=len(_batches()), epochs=3, verbose=0)
    assert len(h.history["loss"]) == 1  # the second epoch found nothing to draw
    assert any("ran out of data" in str(x.message) for x in w)


@pytest.mark.parametrize("shape", [(1000, 37), (700, 5, 4)])
def test_shuffled_column_major_gather_is_numpys_row_gather(shape):
    a = np.asfortranarray(np.random.default_rng(1).normal(size=shape))
    y = np.arange(shape[0], dtype=np.float64)
    bs = 16
    src = data_adapter.ArrayBatches([a], [y], [None], bs, shuffle=True,
                                    rng=np.random.default_rng(3))
    src._chunk_rows = 5 * bs  # several chunks, whatever the size rule gives
    order = np.random.default_rng(3).permutation(shape[0])
    batches = list(src.epoch(0))
    assert len(batches) == -(-shape[0] // bs)
    for step, (xs, ys, sws) in batches:
        sel = order[step * bs:(step + 1) * bs]
        np.testing.assert_array_equal(xs[0], a[sel].astype(np.float32))
        np.testing.assert_array_equal(ys[0], sel.astype(np.float32))
        assert xs[0].flags.c_contiguous and xs[0].dtype == np.float32 and sws == [None]


def test_chunk_buffer_is_small_against_the_data():
    a = np.asfortranarray(np.zeros((100000, 100)))
    src = data_adapter.ArrayBatches([a], [], [None], 128, shuffle=True,
                                    rng=np.random.default_rng(0))
    assert src._chunk_rows * 100 * 12 <= a.nbytes / 32 + 1
    assert src._chunk_rows >= 2 * 128


class ThreadSpySequence(ListSequence):
    """Records which thread computed each batch, and which batch indices were asked."""

    def __init__(self, items):
        super().__init__(items)
        self.threads, self.asked = set(), []

    def __getitem__(self, i):
        import threading

        self.threads.add(threading.current_thread().name)
        self.asked.append(i)
        return super().__getitem__(i)


@pytest.mark.parametrize("shuffle", [False, True])
def test_sequence_batches_computed_ahead_in_threads_are_the_same_batches(shuffle):
    """keras 2's workers / max_queue_size: threads compute a Sequence's batches ahead,
    handed over in the order a single thread gives: the same weights and history."""
    init = _model().get_weights()
    ref_seq = ThreadSpySequence(_batches())
    tf.random.set_seed(3)
    ref, ref_hist = _fit_weights(init, (ref_seq,), epochs=3, shuffle=shuffle, workers=0)
    assert ref_seq.threads == {"MainThread"}
    for workers, queue in ((1, 10), (3, 2), (4, 1)):
        seq = ThreadSpySequence(_batches())
        tf.random.set_seed(3)
        w, hist = _fit_weights(init, (seq,), epochs=3, shuffle=shuffle, workers=workers,
                               max_queue_size=queue)
        assert "MainThread" not in seq.threads and seq.ends == 3
        assert sorted(seq.asked) == sorted(ref_seq.asked)
        for a, b in zip(ref, w):
            np.testing.assert_array_equal(a, b)
        assert hist["loss"] == ref_hist["loss"]
    # evaluate() and predict() take them too
    m = _model()
    m.set_weights(init)
    m.compile(optimizer="sgd", loss="mse")
    p_ref = m.predict(X, batch_size=BS, verbose=0)
    seq = ThreadSpySequence([(b[0],) for b in _batches()])
    np.testing.assert_array_equal(m.predict(seq, workers=2, max_queue_size=3, verbose=0),
                                  p_ref)
    assert "MainThread" not in seq.threads
    assert m.evaluate(ListSequence(_batches()), workers=2, verbose=0) == \
        pytest.approx(m.evaluate(X, Y, batch_size=BS, verbose=0), rel=1e-6)


def test_a_sequence_written_in_r_stays_in_the_calling_thread():
    class FromR(ThreadSpySequence):
        _r_classname = "MySequence"  # what classes made in R carry

    seq = FromR(_batches())
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    m.fit(seq, epochs=1, verbose=0, workers=4)
    assert seq.threads == {"MainThread"}


def test_training_stopped_early_leaves_no_sequence_threads_behind():
    import threading

    class Stop(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    seq = ThreadSpySequence(_batches() * 20)
    m.fit(seq, epochs=3, verbose=0, workers=2, max_queue_size=4, callbacks=[Stop()])
    assert len(seq.asked) <= 2 + 4 + 2
    assert not [t for t in threading.enumerate() if t.name.startswith("tb-sequence")]


def test_queue_arguments_are_checked():
    m = _model()
    m.compile(optimizer="sgd", loss="mse")
    seq = ListSequence(_batches())
    with pytest.raises(ValueError, match="workers"):
        m.fit(seq, verbose=0, workers=-1)
    with pytest.raises(ValueError, match="max_queue_size"):
        m.predict(seq, verbose=0, max_queue_size=0)
    with pytest.warns(UserWarning, match="use_multiprocessing = True: .* 2 thread"):
        m.fit(seq, verbose=0, workers=2, use_multiprocessing=True)
