# Sequence and text preprocessing.

#' Pad sequences to the same length
#'
#' Makes a matrix (one row per sequence) from a list of integer vectors, by
#' padding with `value` and truncating to `maxlen`, at the start (`"pre"`)
#' or the end (`"post"`), as keras does.
#'
#' @param sequences A list of integer vectors.
#' @param maxlen Length of the rows (default: the longest sequence).
#' @param dtype Type of the result (`"int32"` or `"float32"`).
#' @param padding,truncating `"pre"` or `"post"`.
#' @param value Padding value.
#' @return A matrix with one row per sequence.
#' @examples
#' if (tb_available()) pad_sequences(list(1:3, 4:5), maxlen = 4)
#' @export
pad_sequences <- function(sequences, maxlen = NULL, dtype = "int32", padding = c("pre", "post"),
                          truncating = c("pre", "post"), value = 0) {
  if (!is.list(sequences)) {
    stop(tb_condition("pad_sequences() needs a list of integer vectors"))
  }
  # a length-one vector would reach Python as a number: wrap it in a list
  sequences <- lapply(sequences, function(s) if (length(s) == 1L) list(as.integer(s)) else
    as.integer(s))
  tb_keras("preprocessing.pad_sequences", list(
    sequences = sequences, maxlen = as_nullable_integer(maxlen), dtype = dtype,
    padding = match.arg(padding), truncating = match.arg(truncating), value = value))
}

#' Text tokenizer
#'
#' `text_tokenizer()` makes a tokenizer; `fit_text_tokenizer()` learns the
#' vocabulary of some texts (words ranked by frequency, index 1 the most
#' frequent); `texts_to_sequences()` turns texts into integer vectors of word
#' indices. `tokenizer$word_index` gives the vocabulary.
#'
#' @param num_words Keep only the `num_words - 1` most frequent words when
#'   converting.
#' @param filters Characters removed from the texts.
#' @param lower Convert to lower case.
#' @param split Word separator.
#' @param oov_token Token that stands for out-of-vocabulary words.
#' @param object,tokenizer A tokenizer.
#' @param x,texts A character vector of texts.
#' @return `text_tokenizer()`, `fit_text_tokenizer()`: the tokenizer;
#'   `texts_to_sequences()`: a list of integer vectors.
#' @examples
#' if (tb_available()) {
#'   tok <- text_tokenizer(num_words = 100) %>%
#'     fit_text_tokenizer(c("the cat sat", "the dog sat down"))
#'   texts_to_sequences(tok, "the cat sat down")
#' }
#' @export
text_tokenizer <- function(num_words = NULL, filters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n",
                           lower = TRUE, split = " ", oov_token = NULL) {
  tb_keras("preprocessing.Tokenizer", list(
    num_words = as_nullable_integer(num_words), filters = filters, lower = lower,
    split = split, oov_token = oov_token))
}

#' @rdname text_tokenizer
#' @export
fit_text_tokenizer <- function(object, x) {
  tb_method(object, "fit_on_texts", as.list(as.character(x)))
  invisible(object)
}

#' @rdname text_tokenizer
#' @export
texts_to_sequences <- function(tokenizer, texts) {
  lapply(tb_method(tokenizer, "texts_to_sequences", as.list(as.character(texts))),
         function(s) as.integer(unlist(s)))
}
