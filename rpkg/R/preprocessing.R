# Sequence and text preprocessing.

#' Pad sequences to the same length
#'
#' Makes a matrix (one row per sequence) from a list of integer vectors, by
#' padding with `value` and truncating to `maxlen`, at the start (`"pre"`)
#' or the end (`"post"`), as keras does.
#'
#' @param sequences A list of integer vectors (numeric vectors when `dtype`
#'   is a float type), without `NA`.
#' @param maxlen Length of the rows (a positive whole number; default: the
#'   longest sequence).
#' @param dtype Type of the result: `"int32"`, `"int64"`, `"float32"` or
#'   `"float64"`.
#' @param padding,truncating `"pre"` or `"post"`.
#' @param value Padding value (one finite number).
#' @return A matrix with one row per sequence.
#' @examples
#' if (tb_available()) pad_sequences(list(1:3, 4:5), maxlen = 4)
#' @export
pad_sequences <- function(sequences, maxlen = NULL, dtype = "int32", padding = c("pre", "post"),
                          truncating = c("pre", "post"), value = 0) {
  if (!is.list(sequences) || is.object(sequences)) {
    tb_arg_error("sequences", "a list of integer vectors", sequences)
  }
  dtype <- check_string(dtype, choices = c("int32", "int64", "float32", "float64"))
  whole <- startsWith(dtype, "int")
  for (i in seq_along(sequences)) {
    s <- sequences[[i]]
    ok <- (is.null(s) || (is.numeric(s) && !is.object(s) && is.null(dim(s)))) && !anyNA(s) &&
      all(is.finite(s)) && (!whole || tb_is_whole(s, -tb_int_max, tb_int_max))
    if (!ok) {
      tb_arg_error(paste0("sequences[[", i, "]]"),
                   if (whole) "a vector of whole numbers without NA" else
                     "a numeric vector without NA", s)
    }
  }
  # a length-one vector would reach Python as a number: wrap it in a list
  convert <- if (whole) as.integer else as.double
  sequences <- lapply(sequences, function(s) if (length(s) == 1L) list(convert(s)) else
    convert(s))
  if (identical(padding, c("pre", "post"))) padding <- "pre"
  if (identical(truncating, c("pre", "post"))) truncating <- "pre"
  tb_keras("preprocessing.pad_sequences", list(
    sequences = sequences, maxlen = check_count(maxlen, null_ok = TRUE), dtype = dtype,
    padding = check_string(padding, choices = c("pre", "post")),
    truncating = check_string(truncating, choices = c("pre", "post")),
    value = check_number(value)))
}

#' Text tokenizer
#'
#' `text_tokenizer()` makes a tokenizer; `fit_text_tokenizer()` learns the
#' vocabulary of some texts (words ranked by frequency, index 1 the most
#' frequent); `texts_to_sequences()` turns texts into integer vectors of word
#' indices. `tokenizer$word_index` gives the vocabulary.
#'
#' @param num_words Keep only the `num_words - 1` most frequent words when
#'   converting (a positive whole number, or `NULL` for all).
#' @param filters Characters removed from the texts.
#' @param lower Convert to lower case.
#' @param split Word separator.
#' @param oov_token Token that stands for out-of-vocabulary words.
#' @param object,tokenizer A tokenizer.
#' @param x,texts A character vector of texts (without `NA`).
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
    num_words = check_count(num_words, null_ok = TRUE), filters = check_string(filters),
    lower = check_flag(lower), split = check_string(split),
    oov_token = check_string(oov_token, null_ok = TRUE)))
}

check_tokenizer <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!tb_is_a(x, ".Tokenizer")) tb_arg_error(arg, "a tokenizer from text_tokenizer()", x)
  x
}

check_texts <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!is.character(x) || is.object(x) || anyNA(x)) {
    tb_arg_error(arg, "a character vector of texts without NA", x)
  }
  as.list(x)
}

#' @rdname text_tokenizer
#' @export
fit_text_tokenizer <- function(object, x) {
  check_tokenizer(object)
  texts <- check_texts(x)
  tb_method(object, "fit_on_texts", texts)
  invisible(object)
}

#' @rdname text_tokenizer
#' @export
texts_to_sequences <- function(tokenizer, texts) {
  check_tokenizer(tokenizer)
  texts <- check_texts(texts)
  lapply(tb_method(tokenizer, "texts_to_sequences", texts),
         function(s) as.integer(unlist(s)))
}
