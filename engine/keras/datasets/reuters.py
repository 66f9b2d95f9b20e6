"""Reuters newswires as word-index sequences, 46 topic labels (keras' preprocessing)."""

import json

import numpy as np

from . import _loader

FILE = "reuters.npz"
SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"  # keras' published


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3, **kwargs):
    local = _loader.get_file(FILE, _loader.KERAS_BASE_URL + FILE, SHA256, path=path)
    with np.load(local, allow_pickle=True) as f:
        xs, labels = f["x"], f["y"]
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
    local = _loader.get_file("reuters_word_index.json",
                             _loader.KERAS_BASE_URL + "reuters_word_index.json", None, path=path)
    with open(local) as f:
        return json.load(f)
