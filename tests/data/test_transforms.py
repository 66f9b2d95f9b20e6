"""flat_map, interleave, window, scan, reduce, unique, take_while, rebatch, sampling and
choosing among datasets, list_files and random, against the same computations on Python
lists (TensorFlow's documented examples where it gives them)."""

import itertools
import os

import numpy as np
import pytest
from tensorbridge.engine.data import Dataset
from tensorbridge.engine.errors import InvalidArgumentError


def values(ds):
    return [np.asarray(e).tolist() for e in ds]


def test_flat_map_and_interleave_follow_tfs_cycle():
    ds = Dataset.range(1, 4).flat_map(lambda x: Dataset.from_tensors(x).repeat(int(x)))
    assert values(ds) == [1, 2, 2, 3, 3, 3]
    # TF's documented example: range(1, 6) interleaved with cycle 2, block 4
    ds = Dataset.range(1, 6).interleave(lambda x: Dataset.from_tensors(x).repeat(6),
                                        cycle_length=2, block_length=4)
    assert values(ds) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
                          3, 3, 4, 4, 5, 5, 5, 5, 5, 5]

    def by_hand(inputs, fn, cycle, block):  # TF's loop, written out on lists
        src, slots, out = iter(inputs), [None] * cycle, []
        end, n_open, i, k = False, 0, 0, 0
        while not end or n_open:
            if slots[i] is not None:
                try:
                    out.append(next(slots[i]))
                    k += 1
                    if k == block:
                        i, k = (i + 1) % cycle, 0
                except StopIteration:
                    slots[i], n_open, i, k = None, n_open - 1, (i + 1) % cycle, 0
            elif not end:
                try:
                    slots[i] = iter(fn(next(src)))
                    n_open += 1
                except StopIteration:
                    end = True
            else:
                i, k = (i + 1) % cycle, 0
        return out

    for cycle, block in itertools.product((1, 3), (1, 2)):
        got = values(Dataset.range(6).interleave(
            lambda x: Dataset.range(int(x) % 4), cycle_length=cycle, block_length=block))
        assert got == by_hand(range(6), lambda x: range(x % 4), cycle, block)


def test_window_sizes_shifts_strides_and_remainders():
    def windows(ds):
        return [values(w) for w in ds]

    assert windows(Dataset.range(7).window(3, 2)) == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
    assert windows(Dataset.range(7).window(3, 2, drop_remainder=True)) == \
        [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert windows(Dataset.range(7).window(2, 1, 2)) == \
        [[0, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5], [6]]
    assert windows(Dataset.range(10).window(2, 4)) == [[0, 1], [4, 5], [8, 9]]
    for n, size, shift, drop in itertools.product((5, 8), (1, 3), (1, 2, 4), (False, True)):
        ds = Dataset.range(n).window(size, shift, drop_remainder=drop)
        assert ds.cardinality() == len(windows(ds)), (n, size, shift, drop)
    # structured elements: a structure of datasets; flat_map + batch makes tensors
    pairs = Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10)).window(2)
    a, b = next(iter(pairs))
    assert values(a) == [0, 1] and values(b) == [0, 10]
    seqs = Dataset.range(5).window(3, 1, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert values(seqs) == [[0, 1, 2], [1, 2, 3], [2, 3, 4]]


def test_scan_reduce_unique_take_while_rebatch():
    ds = Dataset.range(1, 6)
    assert values(ds.scan(np.int64(0), lambda s, x: (s + x, s + x))) == \
        list(itertools.accumulate(range(1, 6)))
    assert int(ds.reduce(np.int64(0), lambda s, x: s + x)) == sum(range(1, 6))
    assert int(ds.reduce(np.int64(1), lambda s, x: s * x)) == 120
    dup = Dataset.from_tensor_slices(np.array([0, 37, 2, 37, 2, 1]))
    assert sorted(values(dup.unique())) == [0, 1, 2, 37]
    assert values(dup.unique()) == list(dict.fromkeys([0, 37, 2, 37, 2, 1]))
    assert values(Dataset.range(10).take_while(lambda x: x < 4)) == [0, 1, 2, 3]
    got = values(Dataset.range(10).batch(3).rebatch(4))
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    with pytest.raises(InvalidArgumentError, match="two things"):
        list(ds.scan(np.int64(0), lambda s, x: s + x))
    with pytest.raises(InvalidArgumentError, match="scalar integers or strings"):
        list(Dataset.from_tensor_slices(np.ones((2, 2))).unique())


def test_sampling_and_choosing_among_datasets():
    a = Dataset.from_tensors(np.int64(0)).repeat(1000)
    b = Dataset.from_tensors(np.int64(1)).repeat(1000)
    got = np.array(values(Dataset.sample_from_datasets([a, b], [0.2, 0.8], seed=1).take(2000)))
    # 2000 draws at p = 0.8: the share of 1s is within 4 standard errors of 0.8 until one
    # dataset runs out; then (stop_on_empty_dataset = False) the other fills in
    share = got[:1000].mean()
    assert abs(share - 0.8) < 4 * np.sqrt(0.8 * 0.2 / 1000)
    assert len(got) == 2000 and got.sum() == 1000
    again = values(Dataset.sample_from_datasets([a, b], [0.2, 0.8], seed=1).take(50))
    assert again == got[:50].tolist()
    short = Dataset.sample_from_datasets([a.take(3), b], [0.5, 0.5], seed=2,
                                         stop_on_empty_dataset=True)
    # it ends at the first draw of the exhausted dataset: the same draws by hand
    rng, want = np.random.default_rng(2), []
    while True:
        i = int(rng.choice(2, p=[0.5, 0.5]))
        if i == 0 and want.count(0) == 3:
            break
        want.append(i)
    assert values(short) == want
    with pytest.raises(InvalidArgumentError, match="weights must be 2 non-negative"):
        Dataset.sample_from_datasets([a, b], [1.0, -1.0])
    words = [Dataset.from_tensors(np.asarray(w)).repeat() for w in ("foo", "bar", "baz")]
    choice = Dataset.range(3).repeat(3)
    assert values(Dataset.choose_from_datasets(words, choice)) == \
        ["foo", "bar", "baz"] * 3
    with pytest.raises(InvalidArgumentError, match="choice 5"):
        list(Dataset.choose_from_datasets(words, Dataset.from_tensors(np.int64(5))))


def test_list_files_and_random(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text(name)
    pattern = os.path.join(str(tmp_path), "*.txt")
    assert values(Dataset.list_files(pattern, shuffle=False)) == \
        sorted(os.path.join(str(tmp_path), n) for n in ("a.txt", "b.txt"))
    shuffled = values(Dataset.list_files(pattern, seed=3))
    assert sorted(shuffled) == values(Dataset.list_files(pattern, shuffle=False))
    with pytest.raises(InvalidArgumentError, match="no files match"):
        Dataset.list_files(os.path.join(str(tmp_path), "*.none"))
    r = values(Dataset.random(seed=4).take(5))
    assert r == values(Dataset.random(seed=4).take(5)) and len(set(r)) == 5
    assert Dataset.random().cardinality() == -1


def test_group_by_window_and_bucket_by_sequence_length():
    # TF's semantics on lists: groups by key, flushed when full, the rest at the end
    ds = Dataset.range(10).group_by_window(
        key_func=lambda x: x % 2, reduce_func=lambda key, w: w.batch(3), window_size=3)
    assert values(ds) == [[0, 2, 4], [1, 3, 5], [6, 8], [7, 9]]
    with pytest.raises(InvalidArgumentError, match="exactly one of"):
        Dataset.range(3).group_by_window(lambda x: x, lambda k, w: w)
    # sequences of lengths 1..7 in buckets [< 3], [3, 5), [>= 5], batches of 2, 2 and 3
    lengths = [4, 1, 6, 2, 3, 7, 5]
    seqs = Dataset.from_generator(lambda: (np.arange(1, n + 1) for n in lengths))
    b = list(seqs.bucket_by_sequence_length(lambda s: np.asarray(len(s)),
                                            bucket_boundaries=[3, 5],
                                            bucket_batch_sizes=[2, 2, 3]))
    # the same grouping by hand: each length's bucket, batches in arrival order, each
    # padded with zeros to its longest sequence
    buckets, want = {0: [], 1: [], 2: []}, []
    for n in lengths:
        k = 0 if n < 3 else 1 if n < 5 else 2
        buckets[k].append(n)
        if len(buckets[k]) == [2, 2, 3][k]:
            want.append(buckets[k])
            buckets[k] = []
    want += [v for v in buckets.values() if v]
    assert len(b) == len(want)
    for batch, ns in zip(b, want):
        batch = np.asarray(batch)
        assert batch.shape == (len(ns), max(ns))
        for row, n in zip(batch, ns):
            np.testing.assert_array_equal(row, np.r_[np.arange(1, n + 1), np.zeros(max(ns) - n)])
    to_bound = list(seqs.take(2).bucket_by_sequence_length(
        lambda s: np.asarray(len(s)), [3, 8], [2, 2, 2], pad_to_bucket_boundary=True))
    # lengths 4 and 1: buckets [3, 8) and [0, 3), padded to 7 and 2 (boundary - 1)
    assert sorted(np.asarray(t).shape for t in to_bound) == [(1, 2), (1, 7)]
    with pytest.raises(InvalidArgumentError, match="3 positive sizes"):
        seqs.bucket_by_sequence_length(lambda s: np.asarray(len(s)), [3, 5], [2, 2])
