"""IMDB movie reviews as word-index sequences, labels 0/1 (keras' preprocessing)."""

import json

import numpy as np

from . import _loader

FILE = "imdb.npz"
PIN = _loader.Pin("sha256", "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f")
# keras' published SHA-256 (keras/src/datasets/imdb.py); for the word index keras publishes
# only an MD5, pinned as such
WORD_INDEX = "imdb_word_index.json"
WORD_INDEX_PIN = _loader.Pin("md5", "bfafd718b763782e994055a2d397834f")


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    f = _loader.load_npz(_loader.fetch_bytes(FILE, _loader.KERAS_BASE_URL + FILE, PIN,
                                             path=path), FILE)
    x_train, y_train = _loader.int_sequences(f["x_train"], FILE), f["y_train"]
    x_test, y_test = _loader.int_sequences(f["x_test"], FILE), f["y_test"]
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
    data = _loader.fetch_bytes(WORD_INDEX, _loader.KERAS_BASE_URL + WORD_INDEX,
                               WORD_INDEX_PIN, path=path)
    return json.loads(data.decode("utf-8"))
