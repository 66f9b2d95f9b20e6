"""pad_sequences and Tokenizer: keras' documented results, worked out by hand."""

import numpy as np
import pytest
from tensorbridge.engine import keras
from tensorbridge.engine.keras.preprocessing import Tokenizer, pad_sequences, tokenizer_from_json

SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]]


def test_pad_sequences_pre_padding_and_pre_truncation_by_default():
    x = pad_sequences(SEQS, maxlen=4)
    np.testing.assert_array_equal(x, [[0, 1, 2, 3], [0, 0, 4, 5], [7, 8, 9, 10]])
    assert x.dtype == np.int32


def test_pad_sequences_post_options_value_and_default_maxlen():
    np.testing.assert_array_equal(
        pad_sequences(SEQS, maxlen=4, padding="post", truncating="post", value=-1),
        [[1, 2, 3, -1], [4, 5, -1, -1], [6, 7, 8, 9]])
    x = pad_sequences(SEQS)
    assert x.shape == (3, 5)
    np.testing.assert_array_equal(x[1], [0, 0, 0, 4, 5])
    np.testing.assert_array_equal(pad_sequences([[], [1]], maxlen=2), [[0, 0], [0, 1]])
    f = pad_sequences([[0.5, 1.5]], maxlen=3, dtype="float32")
    np.testing.assert_array_equal(f, [[0, 0.5, 1.5]])
    # same function in keras' other homes
    assert keras.utils.pad_sequences is pad_sequences
    assert keras.preprocessing.sequence.pad_sequences is pad_sequences


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'"):
        pad_sequences(SEQS, padding="middle")
    with pytest.raises(ValueError, match=r"sequences\[1\] is 3, not a sequence"):
        pad_sequences([[1], 3])


TEXTS = ["The cat sat on the mat.", "The dog sat!", "A dog, a cat; the end"]


def test_tokenizer_ranks_words_by_frequency_with_ties_in_first_seen_order():
    tok = Tokenizer()
    tok.fit_on_texts(TEXTS)
    # counts: the 4, cat 2, sat 2, dog 2, a 2, on 1, mat 1, end 1
    assert tok.word_index == {"the": 1, "cat": 2, "sat": 3, "dog": 4, "a": 5, "on": 6,
                              "mat": 7, "end": 8}
    assert tok.word_counts["the"] == 4 and tok.word_counts["dog"] == 2
    assert tok.document_count == 3
    assert tok.word_docs["the"] == 3
    assert tok.texts_to_sequences(["the cat ate the mat"]) == [[1, 2, 1, 7]]
    assert tok.sequences_to_texts([[1, 2, 1, 7]]) == ["the cat the mat"]


def test_tokenizer_num_words_and_oov_token():
    tok = Tokenizer(num_words=4, oov_token="<OOV>")
    tok.fit_on_texts(TEXTS)
    assert tok.word_index["<OOV>"] == 1 and tok.word_index["the"] == 2
    # indices >= num_words (and unknown words) become the oov index
    assert tok.texts_to_sequences(["the cat sat on a zebra"]) == [[2, 3, 1, 1, 1, 1]]
    plain = Tokenizer(num_words=3)
    plain.fit_on_texts(TEXTS)
    assert plain.texts_to_sequences(["the cat sat zebra"]) == [[1, 2]]


def test_tokenizer_filters_lower_split_and_matrix_modes():
    tok = Tokenizer(lower=False, filters="", split=",")
    tok.fit_on_texts(["A,b,A", "b,c"])
    assert tok.word_index == {"A": 1, "b": 2, "c": 3}
    tok = Tokenizer()
    tok.fit_on_texts(TEXTS)
    m = tok.texts_to_matrix(["the the cat"], mode="count")
    assert m.shape == (1, 9) and m[0, 1] == 2 and m[0, 2] == 1 and m.sum() == 3
    np.testing.assert_allclose(tok.texts_to_matrix(["the the cat"], mode="freq")[0, 1], 2 / 3)
    assert tok.texts_to_matrix(["the the cat"], mode="binary")[0, 1] == 1
    tfidf = tok.texts_to_matrix(["the the cat"], mode="tfidf")[0, 1]
    np.testing.assert_allclose(tfidf, (1 + np.log(2)) * np.log(1 + 3 / (1 + 3)))


def test_tokenizer_json_round_trip_and_errors():
    tok = Tokenizer(num_words=5, oov_token="?")
    tok.fit_on_texts(TEXTS)
    again = tokenizer_from_json(tok.to_json())
    assert again.word_index == tok.word_index
    assert again.texts_to_sequences(TEXTS) == tok.texts_to_sequences(TEXTS)
    with pytest.raises(ValueError, match="give a list of texts, not a single string"):
        tok.fit_on_texts("the cat")
    assert keras.preprocessing.text.Tokenizer is Tokenizer
