"""``keras.preprocessing``: ``pad_sequences`` and the text ``Tokenizer`` (keras semantics).

Also reachable as ``keras.preprocessing.sequence.pad_sequences``,
``keras.preprocessing.text.Tokenizer`` and ``keras.utils.pad_sequences``.
Images (``keras.preprocessing.image``: ``load_img``, ``ImageDataGenerator`` ...) and the
folder / time series datasets live in :mod:`.image` and are reachable here under keras'
names.
"""

import json
import types
from collections import OrderedDict, defaultdict

import numpy as np

from . import image
from .image import (
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)

__all__ = ["pad_sequences", "Tokenizer", "text_to_word_sequence", "sequence", "text", "image",
           "image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """A (len(sequences), maxlen) array: each sequence cut to ``maxlen`` (dropping values at
    the start with truncating='pre', at the end with 'post') and padded with ``value`` at the
    start (padding='pre') or the end ('post'); ``maxlen`` defaults to the longest."""
    if padding not in ("pre", "post"):
        raise ValueError(f"pad_sequences: padding must be 'pre' or 'post', got {padding!r}")
    if truncating not in ("pre", "post"):
        raise ValueError(f"pad_sequences: truncating must be 'pre' or 'post', got "
                         f"{truncating!r}")
    if not hasattr(sequences, "__len__"):
        raise ValueError("pad_sequences: sequences must be a list of sequences (lists or "
                         "arrays of numbers)")
    lengths, sample_shape = [], ()
    for i, s in enumerate(sequences):
        if not hasattr(s, "__len__"):
            raise ValueError(f"pad_sequences: sequences[{i}] is {s!r}, not a sequence; give a "
                             "list of lists (one list of indices per sample)")
        lengths.append(len(s))
        if len(s) and not sample_shape:
            sample_shape = np.asarray(s).shape[1:]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    maxlen = int(maxlen)
    if maxlen < 0:
        raise ValueError(f"pad_sequences: maxlen must be >= 0, got {maxlen}")
    is_str = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and not is_str:
        raise ValueError(f"pad_sequences: dtype {dtype!r} cannot hold the padding value "
                         f"{value!r}; give a numeric value or dtype=object")
    x = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for i, s in enumerate(sequences):
        if not len(s) or maxlen == 0:
            continue
        trunc = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        trunc = np.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != tuple(sample_shape):
            raise ValueError(f"pad_sequences: sequences[{i}] has elements of shape "
                             f"{trunc.shape[1:]}, the others {tuple(sample_shape)}")
        if padding == "post":
            x[i, :len(trunc)] = trunc
        else:
            x[i, maxlen - len(trunc):] = trunc
    return x


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Words of ``input_text``: lower-cased, ``filters`` characters removed, split."""
    if lower:
        input_text = input_text.lower()
    table = str.maketrans({c: split for c in filters})
    return [w for w in input_text.translate(table).split(split) if w]


class Tokenizer:
    """Word index of a corpus: ``fit_on_texts`` counts words, ``word_index`` ranks them by
    frequency (1 = most frequent; ties in order of first appearance; the ``oov_token``, if
    any, is 1); ``texts_to_sequences`` maps texts to indices, keeping only indices below
    ``num_words`` (unknown / rare words become the oov index, or are dropped)."""

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, document_count=0, **kwargs):
        if kwargs:
            raise TypeError(f"Tokenizer: unknown argument(s) {', '.join(sorted(kwargs))}")
        if num_words is not None:
            num_words = int(num_words)
            if num_words < 1:
                raise ValueError(f"Tokenizer: num_words must be a positive integer or None, got "
                                 f"{num_words}")
        self.num_words = num_words
        self.filters, self.lower, self.split = filters, bool(lower), split
        self.char_level = bool(char_level)
        self.oov_token = oov_token
        self.document_count = int(document_count)
        self.word_counts = OrderedDict()
        self.word_docs = defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.index_docs = defaultdict(int)

    def _words(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return list(text)
        if not isinstance(text, str):
            raise ValueError(f"Tokenizer: expected texts (strings), got {type(text).__name__}")
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    @staticmethod
    def _texts(texts, what):
        if isinstance(texts, str):
            raise ValueError(f"Tokenizer.{what}: give a list of texts, not a single string "
                             "(wrap it in a list)")
        return texts

    def fit_on_texts(self, texts):
        """Count the words of ``texts`` (a list of strings) and rebuild ``word_index``."""
        for text in self._texts(texts, "fit_on_texts"):
            self.document_count += 1
            seq = self._words(text)
            for w in seq:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(seq):
                self.word_docs[w] += 1
        ranked = sorted(self.word_counts.items(), key=lambda kv: kv[1], reverse=True)
        vocab = [] if self.oov_token is None else [self.oov_token]
        vocab += [w for w, _ in ranked if w != self.oov_token]
        self.word_index = {w: i for i, w in enumerate(vocab, start=1)}
        self.index_word = {i: w for w, i in self.word_index.items()}
        self.index_docs = defaultdict(int)
        for w, c in self.word_docs.items():
            self.index_docs[self.word_index[w]] = c
        return self

    def fit_on_sequences(self, sequences):
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1
        return self

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices."""
        return [self._to_seq(t) for t in self._texts(texts, "texts_to_sequences")]

    def texts_to_sequences_generator(self, texts):
        for t in self._texts(texts, "texts_to_sequences"):
            yield self._to_seq(t)

    def _to_seq(self, text):
        nw = self.num_words
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        out = []
        for w in self._words(text):
            i = self.word_index.get(w)
            if i is not None and (nw is None or i < nw):
                out.append(i)
            elif oov is not None:
                out.append(oov)
        return out

    def sequences_to_texts(self, sequences):
        """Index sequences back to space-joined words (same num_words / oov rules)."""
        nw = self.num_words
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        texts = []
        for seq in sequences:
            words = []
            for i in seq:
                i = int(i)
                w = self.index_word.get(i)
                if w is not None and (nw is None or i < nw):
                    words.append(w)
                elif oov is not None:
                    words.append(self.index_word[oov])
            texts.append(" ".join(words))
        return texts

    def texts_to_matrix(self, texts, mode="binary"):
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """(len(sequences), num_words) matrix: 'binary', 'count', 'freq' or 'tfidf'."""
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError(f"Tokenizer: mode must be 'binary', 'count', 'freq' or 'tfidf', "
                             f"got {mode!r}")
        n = self.num_words
        if n is None:
            if not self.word_index:
                raise ValueError("Tokenizer: fit it on texts first, or give num_words")
            n = len(self.word_index) + 1
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: fit it on texts before using mode='tfidf'")
        x = np.zeros((len(sequences), n))
        for i, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = defaultdict(int)
            for j in seq:
                if j < n:
                    counts[int(j)] += 1
            for j, c in counts.items():
                if mode == "count":
                    x[i, j] = c
                elif mode == "freq":
                    x[i, j] = c / len(seq)
                elif mode == "binary":
                    x[i, j] = 1
                else:
                    tf = 1 + np.log(c)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[i, j] = tf * idf
        return x

    def get_config(self):
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower,
                "split": self.split, "char_level": self.char_level,
                "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": json.dumps(self.word_counts),
                "word_docs": json.dumps(self.word_docs),
                "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        return json.dumps({"class_name": "Tokenizer", "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """The Tokenizer saved by ``tokenizer.to_json()``."""
    cfg = dict(json.loads(json_string)["config"])
    counts = json.loads(cfg.pop("word_counts"))
    docs = json.loads(cfg.pop("word_docs"))
    index = json.loads(cfg.pop("word_index"))
    tok = Tokenizer(**cfg)
    tok.word_counts = OrderedDict(counts)
    tok.word_docs = defaultdict(int, docs)
    tok.word_index = index
    tok.index_word = {i: w for w, i in index.items()}
    tok.index_docs = defaultdict(int, {index[w]: c for w, c in docs.items() if w in index})
    return tok


sequence = types.SimpleNamespace(pad_sequences=pad_sequences,
                                 timeseries_dataset_from_array=timeseries_dataset_from_array)
text = types.SimpleNamespace(Tokenizer=Tokenizer, text_to_word_sequence=text_to_word_sequence,
                             tokenizer_from_json=tokenizer_from_json)
