"""IMDB movie reviews as word-index sequences, labels 0/1 (keras' preprocessing)."""

import json

import numpy as np

from . import _loader

FILE = "imdb.npz"
SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"  # keras' published


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    local = _loader.get_file(FILE, _loader.KERAS_BASE_URL + FILE, SHA256, path=path)
    with np.load(local, allow_pickle=True) as f:
        x_train, y_train = f["x_train"], f["y_train"]
        x_test, y_test = f["x_test"], f["y_test"]
    rng = np.random.RandomState(seed)
    idx = np.arange(len(x_train))
    rng.shuffle(idx)
    x_train, y_train = x_train[idx], y_train[idx]
    idx = np.arange(len(x_test))
    rng.shuffle(idx)
    x_test, y_test = x_test[idx], y_test[idx]
    kw = dict(num_words=num_words, skip_top=skip_top, maxlen=maxlen, start_char=start_char,
              oov_char=oov_char, index_from=index_from)
    xtr, ytr = _loader.sequences_post(list(x_train), y_train, **kw)
    xte, yte = _loader.sequences_post(list(x_test), y_test, **kw)
    if maxlen and (not xtr or not xte):
        raise ValueError(f"imdb: after filtering for sequences shorter than maxlen={maxlen} no "
                         "sequence was kept; increase maxlen")
    xs = _loader.sequences_vocab(xtr + xte, num_words, skip_top, oov_char)
    n = len(xtr)
    return (_loader.object_array(xs[:n]), ytr), (_loader.object_array(xs[n:]), yte)


def get_word_index(path="imdb_word_index.json"):
    local = _loader.get_file("imdb_word_index.json",
                             _loader.KERAS_BASE_URL + "imdb_word_index.json", None, path=path)
    with open(local) as f:
        return json.load(f)
