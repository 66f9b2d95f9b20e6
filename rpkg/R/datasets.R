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
#' Images are integer arrays (samples x height x width [x channels]) with
#' values 0-255; `dataset_imdb()` and `dataset_reuters()` give each text as
#' an integer vector of word indices.
#'
#' @param path File name in the cache directory.
#' @param label_mode `"fine"` (100 classes) or `"coarse"` (20).
#' @param num_words Keep only the most frequent words.
#' @param skip_top Skip the most frequent words.
#' @param maxlen Drop sequences longer than this.
#' @param seed Seed of the shuffle.
#' @param start_char,oov_char,index_from Index of the start marker, of
#'   out-of-vocabulary words, and of the first real word.
#' @param test_split Fraction of the data held out as test set.
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
dataset_mnist <- function(path = "mnist.npz") dataset("mnist", list(path = path))

#' @rdname datasets
#' @export
dataset_fashion_mnist <- function() dataset("fashion_mnist")

#' @rdname datasets
#' @export
dataset_cifar10 <- function() dataset("cifar10")

#' @rdname datasets
#' @export
dataset_cifar100 <- function(label_mode = c("fine", "coarse")) {
  dataset("cifar100", list(label_mode = match.arg(label_mode)))
}

#' @rdname datasets
#' @export
dataset_imdb <- function(path = "imdb.npz", num_words = NULL, skip_top = 0L, maxlen = NULL,
                         seed = 113L, start_char = 1L, oov_char = 2L, index_from = 3L) {
  dataset("imdb", list(
    path = path, num_words = as_nullable_integer(num_words),
    skip_top = as_nullable_integer(skip_top), maxlen = as_nullable_integer(maxlen),
    seed = as_nullable_integer(seed), start_char = as_nullable_integer(start_char),
    oov_char = as_nullable_integer(oov_char), index_from = as_nullable_integer(index_from)))
}

#' @rdname datasets
#' @export
dataset_reuters <- function(path = "reuters.npz", num_words = NULL, skip_top = 0L,
                            maxlen = NULL, test_split = 0.2, seed = 113L, start_char = 1L,
                            oov_char = 2L, index_from = 3L) {
  dataset("reuters", list(
    path = path, num_words = as_nullable_integer(num_words),
    skip_top = as_nullable_integer(skip_top), maxlen = as_nullable_integer(maxlen),
    test_split = test_split, seed = as_nullable_integer(seed),
    start_char = as_nullable_integer(start_char), oov_char = as_nullable_integer(oov_char),
    index_from = as_nullable_integer(index_from)))
}

#' @rdname datasets
#' @export
dataset_boston_housing <- function(path = "boston_housing.npz", test_split = 0.2, seed = 113L) {
  dataset("boston_housing", list(path = path, test_split = test_split,
                                 seed = as_nullable_integer(seed)))
}
