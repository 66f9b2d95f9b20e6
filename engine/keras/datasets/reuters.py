"""Reuters newswires as word-index sequences, 46 topic labels (keras' preprocessing)."""

import json

import numpy as np

from . import _loader

FILE = "reuters.npz"
PIN = _loader.Pin("sha256", "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916")
# keras' published SHA-256 (keras/src/datasets/reuters.py); for the word index keras publishes
# only an MD5, pinned as such
WORD_INDEX = "reuters_word_index.json"
WORD_INDEX_PIN = _loader.Pin("md5", "4d44cc38712099c9e383dc6e5f11a921")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3, **kwargs):
    f = _loader.load_npz(_loader.fetch_bytes(FILE, _loader.KERAS_BASE_URL + FILE, PIN,
                                             path=path), FILE)
    xs, labels = _loader.int_sequences(f["x"], FILE), f["y"]
    rng = np.random.RandomState(seed)
    idx = np.arange(len(xs))
    rng.shuffle(idx)
    xs, labels = xs[idx], labels[idx]
    xs, labels = _loader.sequences_post(list(xs), labels, num_words=num_words,
                                        skip_top=skip_top, maxlen=maxlen,
                                        start_char=start_char, oov_char=oov_char,
                                        index_from=index_from)
    xs = _loader.sequences_vocab(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((_loader.object_array(xs[:cut]), labels[:cut]),
            (_loader.object_array(xs[cut:]), labels[cut:]))


def get_word_index(path="reuters_word_index.json"):
    data = _loader.fetch_bytes(WORD_INDEX, _loader.KERAS_BASE_URL + WORD_INDEX,
                               WORD_INDEX_PIN, path=path)
    return json.loads(data.decode("utf-8"))
