# Run by test-fuzz.R in its own R process (a crash must not take the test
# run with it): random R objects through as_tensor() and tb_call().
# Arguments: number of cases, seed. Prints one line per finding and a last
# line "fuzz done: <n> cases".
args <- commandArgs(trailingOnly = TRUE)
n_cases <- as.integer(args[[1]])
set.seed(as.integer(args[[2]]))
suppressPackageStartupMessages(library(tensorbridge))
invisible(tb_config())

setClass("FuzzPoint", representation(x = "numeric", label = "character"))

pick <- function(xs) xs[[sample.int(length(xs), 1L)]]
some_length <- function() pick(list(0L, 1L, 1L, 2L, 3L, 7L, 50L))

numbers <- function(n) {
  x <- rnorm(n) * 10^sample(-3:12, 1L)
  if (n && runif(1) < 0.3) x[sample.int(n, 1L)] <- pick(list(NA, NaN, Inf, -Inf, 1e300, 3e9))
  if (n && runif(1) < 0.3) x <- round(x)
  x
}

with_dims <- function(x) {
  n <- length(x)
  shapes <- list(NULL, c(n, 1L), c(1L, n), n)
  if (n == 0L) shapes <- c(shapes, list(c(0L, 3L), c(2L, 0L, 4L)))
  if (n && n %% 2L == 0L) shapes <- c(shapes, list(c(2L, n %/% 2L)))
  d <- pick(shapes)
  if (!is.null(d)) dim(x) <- d
  x
}

strings <- function(n) {
  pool <- c("a", "", "caf\u00e9", "\u6f22\u5b57", NA, "1.5", "x y", strrep("long", 20000L))
  pool[sample.int(length(pool), n, replace = TRUE)]
}

leaf <- function() {
  n <- some_length()
  switch(sample.int(24L, 1L),
    with_dims(numbers(n)),
    with_dims(sample(c(-5L, 0L, 7L, .Machine$integer.max, NA), n, replace = TRUE)),
    with_dims(sample(c(TRUE, FALSE, NA), n, replace = TRUE)),
    strings(n),
    complex(real = numbers(n), imaginary = numbers(n)),
    as.raw(sample(0:255, n, replace = TRUE)),
    factor(strings(n)),
    factor(sample(c("lo", "hi", NA), n, replace = TRUE), levels = c("lo", "hi"),
           ordered = runif(1) < 0.5),
    data.frame(a = numbers(n), b = strings(n), stringsAsFactors = runif(1) < 0.5),
    pick(list(NA, NA_integer_, NA_real_, NA_character_, NA_complex_, NULL)),
    new.env(),
    function(x) x,
    sum,
    new("FuzzPoint", x = numbers(n), label = "p"),
    new("externalptr"),
    structure(1, class = "tensorbridge_object"),
    structure(list(), class = "tensorbridge_object"),
    as.name("x"),
    quote(f(x, 1)),
    y ~ x + z,
    expression(1 + 2),
    structure(numbers(n), units = "cm", note = list(1, "a")),
    array(0, rep(1L, 40L)),
    Sys.Date() + seq_len(n)
  )
}

object <- function(depth = 0L) {
  if (depth >= 3L || runif(1) < 0.6) return(leaf())
  items <- lapply(seq_len(sample(0:4, 1L)), function(i) object(depth + 1L))
  if (length(items) && runif(1) < 0.5) {
    nm <- sample(c("a", "b", "", NA, "c d"), length(items), replace = TRUE)
    names(items) <- nm
  }
  if (runif(1) < 0.2) attr(items, "extra") <- leaf()
  items
}

bad_text <- "SXP|np\\.|Traceback|numpy\\.|rpy2"
report <- function(what, i, e) {
  msg <- gsub("[\r\n]+", " ", conditionMessage(e))
  cls <- if (inherits(e, "tensorbridge_error")) "tensorbridge_error" else class(e)[[1]]
  cat(sprintf("REJECT %s %d %s %s\n", what, i, cls, msg))
}

stale <- as_tensor(c(1, 2))
attr(stale, "tb_key") <- 1  # a key that names no object of this process
accepted <- 0L
for (i in seq_len(n_cases)) {
  x <- if (i %% 50L == 0L) stale else object()
  t <- tryCatch(as_tensor(x), error = function(e) {
    report("as_tensor", i, e)
    NULL
  })
  if (!is.null(t)) {
    back <- tryCatch(as.vector(as.array(t)), error = function(e) {
      report("as.array", i, e)
      NULL
    })
    if (!is.null(back)) {
      accepted <- accepted + 1L
      if (!identical(back, as.vector(unclass(x)))) cat(sprintf("MISMATCH as_tensor %d\n", i))
    }
  }
  tryCatch(tb_call("bridge.diagnostics.identity", x), error = function(e) report("tb_call", i, e))
  if (i %% 97L == 0L) invisible(gc())
}
cat(sprintf("accepted: %d\n", accepted))
cat(sprintf("fuzz done: %d cases\n", n_cases))
