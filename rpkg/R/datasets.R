# Datasets, with keras' return structure:
#   list(train = list(x = , y = ), test = list(x = , y = ))

as_dataset <- function(splits) {
  names(splits) <- c("train", "test")
  lapply(splits, function(s) list(x = s[[1]], y = s[[2]]))
}

dataset <- function(name, args = list()) {
  as_dataset(tb_keras(paste0("datasets.", name, ".load_data"), args))
}

#' Datasets
#'
#' The keras datasets, as R arrays: `list(train = list(x, y), test = list(x,
#' y))`. Files are kept in keras' cache directory (`~/.keras/datasets`, or
#' `$KERAS_HOME/datasets`) and checked against their published checksums;
#' Fashion-MNIST is read from Debian's `dataset-fashion-mnist` files when they
#' are installed, so it needs no network. A file that is neither cached nor
#' downloadable gives an error saying where to put it.
#'
#' A cached file that does not match its published checksum is refused
#' without being read: delete it and call the function again to download a
#' fresh copy (the word-index files of `dataset_imdb()` and
#' `dataset_reuters()` are checked against the MD5 sums keras publishes).
#' Pickled data (CIFAR) is read without running any code. When `~/.keras`
#' cannot be written, set the environment variable `KERAS_HOME` to a folder
#' of your own; nothing is ever cached in a shared folder such as `/tmp`.
#'
#' Images are integer arrays (samples x height x width [x channels]) with
#' values 0-255; `dataset_imdb()` and `dataset_reuters()` give each text as
#' an integer vector of word indices.
#'
#' @param path File name in the cache directory (one string).
#' @param label_mode `"fine"` (100 classes) or `"coarse"` (20).
#' @param num_words Keep only the most frequent words (a positive whole
#'   number, or `NULL` for all).
#' @param skip_top Skip the most frequent words (a whole number >= 0).
#' @param maxlen Drop sequences longer than this (a positive whole number, or
#'   `NULL`).
#' @param seed Seed of the shuffle (a whole number >= 0).
#' @param start_char,oov_char,index_from Index (a whole number >= 0) of the
#'   start marker, of out-of-vocabulary words, and of the first real word.
#' @param test_split Fraction of the data held out as test set (between 0
#'   and 1, exclusive).
#' @return A list with `train` and `test`, each a list with `x` and `y`.
#' @examples
#' \dontrun{
#' fashion <- dataset_fashion_mnist()
#' dim(fashion$train$x)  # 60000 28 28
#' }
#' @name datasets
NULL

#' @rdname datasets
#' @export
dataset_mnist <- function(path = "mnist.npz") dataset("mnist", list(path = check_string(path)))

#' @rdname datasets
#' @export
dataset_fashion_mnist <- function() dataset("fashion_mnist")

#' @rdname datasets
#' @export
dataset_cifar10 <- function() dataset("cifar10")

#' @rdname datasets
#' @export
dataset_cifar100 <- function(label_mode = c("fine", "coarse")) {
  if (identical(label_mode, c("fine", "coarse"))) label_mode <- "fine"
  dataset("cifar100", list(label_mode = check_string(label_mode, choices = c("fine", "coarse"))))
}

#' @rdname datasets
#' @export
dataset_imdb <- function(path = "imdb.npz", num_words = NULL, skip_top = 0L, maxlen = NULL,
                         seed = 113L, start_char = 1L, oov_char = 2L, index_from = 3L) {
  dataset("imdb", c(list(path = check_string(path)), sequence_dataset_args(
    num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)))
}

#' @rdname datasets
#' @export
dataset_reuters <- function(path = "reuters.npz", num_words = NULL, skip_top = 0L,
                            maxlen = NULL, test_split = 0.2, seed = 113L, start_char = 1L,
                            oov_char = 2L, index_from = 3L) {
  dataset("reuters", c(list(path = check_string(path), test_split = check_test_split(test_split)),
                       sequence_dataset_args(num_words, skip_top, maxlen, seed, start_char,
                                             oov_char, index_from)))
}

#' @rdname datasets
#' @export
dataset_boston_housing <- function(path = "boston_housing.npz", test_split = 0.2, seed = 113L) {
  dataset("boston_housing", list(path = check_string(path),
                                 test_split = check_test_split(test_split),
                                 seed = check_seed(seed)))
}

check_test_split <- function(x, arg = "test_split") {
  check_number(x, arg, min = 0, max = 1, min_open = TRUE, max_open = TRUE)
}

# The arguments of the word-index datasets (imdb, reuters), checked.
sequence_dataset_args <- function(num_words, skip_top, maxlen, seed, start_char, oov_char,
                                  index_from) {
  list(num_words = check_count(num_words, null_ok = TRUE),
       skip_top = check_count(skip_top, min = 0), maxlen = check_count(maxlen, null_ok = TRUE),
       seed = check_seed(seed),
       start_char = check_count(start_char, min = 0), oov_char = check_count(oov_char, min = 0),
       index_from = check_count(index_from, min = 0))
}

#' Word indices of the IMDB and Reuters datasets
#'
#' The vocabulary of [dataset_imdb()] / [dataset_reuters()]: a named list
#' mapping each word to its index (before `index_from` is added). The file is
#' cached like the datasets and checked against the MD5 sum keras publishes.
#'
#' @param path File name in the cache directory (one string).
#' @return A named list of integers.
#' @examples
#' \dontrun{
#' words <- dataset_imdb_word_index()
#' words[["movie"]]
#' }
#' @export
dataset_imdb_word_index <- function(path = "imdb_word_index.json") {
  tb_keras("datasets.imdb.get_word_index", list(path = check_string(path)))
}

#' @rdname dataset_imdb_word_index
#' @export
dataset_reuters_word_index <- function(path = "reuters_word_index.json") {
  tb_keras("datasets.reuters.get_word_index", list(path = check_string(path)))
}

#' Download a file into the cache, or find it there
#'
#' Gives the path of `fname` in keras' cache folder (`cache_dir`, by default
#' `$KERAS_HOME` or `~/.keras`, then `cache_subdir`), downloading it from
#' `origin` unless a copy is there already. With `file_hash`, the cached copy
#' or the download must have that MD5 or SHA-256 sum (a cached copy that does
#' not is downloaded again; a download that does not is refused and nothing
#' is written). A file that is neither cached nor downloadable (no network)
#' gives an error naming the file and the path to put it at.
#'
#' @param fname File name (an absolute path is used as is).
#' @param origin URL to download the file from.
#' @param file_hash `NULL` or the file's MD5 (32 hex digits) or SHA-256 (64)
#'   sum.
#' @param cache_subdir Subfolder of the cache folder (an absolute path is
#'   used as is).
#' @param hash_algorithm `"auto"` (from the length of `file_hash`), `"md5"` or
#'   `"sha256"`.
#' @param extract Unpack a tar or zip archive next to the file (members that
#'   would land outside that folder, links and devices are refused).
#' @param archive_format `"auto"`, `"tar"` or `"zip"`.
#' @param cache_dir `NULL` or the cache folder.
#' @param untar Deprecated: the file is a `.tar.gz` archive to unpack; the
#'   folder it unpacks to is returned.
#' @return The path of the file.
#' @examples
#' \dontrun{
#' path <- get_file("imdb_word_index.json",
#'   "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
#'   file_hash = "bfafd718b763782e994055a2d397834f")
#' }
#' @export
get_file <- function(fname, origin, file_hash = NULL, cache_subdir = "datasets",
                     hash_algorithm = "auto", extract = FALSE, archive_format = "auto",
                     cache_dir = NULL, untar = FALSE) {
  if (!is.null(file_hash) &&
      !(is.character(file_hash) && length(file_hash) == 1 && !is.na(file_hash) &&
        grepl("^([0-9a-fA-F]{32}|[0-9a-fA-F]{64})$", file_hash))) {
    tb_arg_error("file_hash", "NULL or an MD5 (32 hex digits) or SHA-256 (64 hex digits) sum",
                 file_hash)
  }
  tb_keras("data_utils.get_file", list(
    fname = path.expand(check_string(fname)), origin = check_string(origin),
    file_hash = file_hash, cache_subdir = path.expand(check_string(cache_subdir)),
    hash_algorithm = check_string(hash_algorithm, choices = c("auto", "md5", "sha256")),
    extract = check_flag(extract),
    archive_format = check_string(archive_format, choices = c("auto", "tar", "zip")),
    cache_dir = if (is.null(cache_dir)) NULL else path.expand(check_string(cache_dir)),
    untar = check_flag(untar)))
}
