# get_file() and the word-index datasets, without the network: local file:// origins,
# the checksums computed by R's tools::md5sum(), and the offline errors.

skip_if_no_python <- function() skip_if_not(tb_available(), "Python backend not available")

test_that("get_file() copies, checks against tools::md5sum() and reuses the cache", {
  skip_if_no_python()
  src <- tempfile("src")
  dir.create(src)
  payload <- file.path(src, "words.txt")
  writeLines(c("alpha", "beta"), payload)
  md5 <- unname(tools::md5sum(payload))
  cache <- tempfile("cache")
  origin <- paste0("file://", normalizePath(payload))
  path <- get_file("words.txt", origin, file_hash = md5, cache_dir = cache)
  expect_equal(normalizePath(path), normalizePath(file.path(cache, "datasets", "words.txt")))
  expect_equal(readLines(path), c("alpha", "beta"))
  unlink(payload)  # only the cache has it now
  expect_equal(get_file("words.txt", origin, file_hash = md5, cache_dir = cache), path)
  # another subfolder has no copy, and the origin is gone: the error says where to put it
  expect_error(get_file("words.txt", origin, cache_dir = cache, cache_subdir = "other"),
               file.path(cache, "other", "words.txt"), fixed = TRUE)
})

test_that("get_file() caches under KERAS_HOME set by Sys.setenv() after Python started", {
  skip_if_no_python()
  as.array(as_tensor(1))  # Python runs
  home <- tempfile("keras-home")
  old <- Sys.getenv("KERAS_HOME", unset = NA)
  Sys.setenv(KERAS_HOME = home)
  on.exit(if (is.na(old)) Sys.unsetenv("KERAS_HOME") else Sys.setenv(KERAS_HOME = old))
  payload <- tempfile("payload")
  writeLines("gamma", payload)
  path <- get_file("payload.txt", paste0("file://", normalizePath(payload)))
  expect_equal(normalizePath(path), normalizePath(file.path(home, "datasets", "payload.txt")))
  expect_equal(readLines(path), "gamma")
})

test_that("get_file() offline: an error naming the file and where to put it", {
  skip_if_no_python()
  cache <- tempfile("cache")
  err <- expect_error(get_file("data.bin", "http://127.0.0.1:9/data.bin", cache_dir = cache),
                      class = "tensorbridge_error")
  expect_match(conditionMessage(err), "data.bin", fixed = TRUE)
  expect_match(conditionMessage(err),
               paste("put it at", file.path(cache, "datasets", "data.bin")), fixed = TRUE)
  expect_false(file.exists(file.path(cache, "datasets", "data.bin")))
  # a cached copy with the wrong checksum, and no network: named, with where to put it
  dir.create(file.path(cache, "datasets"), recursive = TRUE, showWarnings = FALSE)
  writeLines("tampered", file.path(cache, "datasets", "data.bin"))
  err <- expect_error(get_file("data.bin", "http://127.0.0.1:9/data.bin",
                               file_hash = strrep("a", 32), cache_dir = cache),
                      class = "tensorbridge_error")
  expect_match(conditionMessage(err), "does not match the expected md5 hash", fixed = TRUE)
})

test_that("get_file(extract = TRUE) unpacks a tar archive next to it", {
  skip_if_no_python()
  src <- tempfile("tarsrc")
  dir.create(file.path(src, "pkg"), recursive = TRUE)
  writeLines("inside", file.path(src, "pkg", "a.txt"))
  tarball <- tempfile(fileext = ".tar.gz")
  old <- setwd(src)
  utils::tar(tarball, "pkg", compression = "gzip", tar = "internal")
  setwd(old)
  cache <- tempfile("cache")
  get_file("pkg.tar.gz", paste0("file://", tarball), cache_dir = cache, extract = TRUE)
  expect_equal(readLines(file.path(cache, "datasets", "pkg", "a.txt")), "inside")
})

test_that("the word indices are checked against keras' MD5 sums and say where to put them", {
  skip_if_no_python()
  home <- tempfile("words")
  dir.create(home)
  # no download from anywhere: the datasets' base URL is an empty local folder (R's
  # Sys.setenv() reaches Python after it started)
  empty <- tempfile("mirror")
  dir.create(empty)
  Sys.setenv(TENSORBRIDGE_DATASETS_BASE_URL = paste0("file://", empty))
  on.exit(Sys.unsetenv("TENSORBRIDGE_DATASETS_BASE_URL"))
  target <- file.path(home, "imdb_word_index.json")
  err <- expect_error(dataset_imdb_word_index(path = target), class = "tensorbridge_error")
  expect_match(conditionMessage(err), "imdb_word_index.json is not cached", fixed = TRUE)
  expect_match(conditionMessage(err), paste("put it at", target), fixed = TRUE)
  # a file that is not keras' is refused without being read
  target <- file.path(home, "reuters_word_index.json")
  writeLines('{"the": 1}', target)
  err <- expect_error(dataset_reuters_word_index(path = target), class = "tensorbridge_error")
  expect_match(conditionMessage(err), "4d44cc38712099c9e383dc6e5f11a921", fixed = TRUE)
  expect_match(conditionMessage(err), unname(tools::md5sum(target)), fixed = TRUE)
})

test_that("bad input to get_file()", {
  skip_if_no_python()
  expect_bad_inputs(list(
    bad(get_file("a", "file:///nothing", file_hash = "xyz"),
        "get_file(): `file_hash` must be NULL or an MD5 (32 hex digits) or SHA-256 (64 hex digits) sum, not \"xyz\"."),
    bad(get_file(1, "file:///nothing"), "get_file(): `fname` must be one string, not 1."),
    bad(get_file("a", "file:///nothing", hash_algorithm = "sha1"),
        "get_file(): `hash_algorithm` must be one of \"auto\", \"md5\", \"sha256\", not \"sha1\"."),
    bad(dataset_imdb_word_index(path = NA),
        "dataset_imdb_word_index(): `path` must be one string, not NA.")
  ))
})
