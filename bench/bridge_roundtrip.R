# Bridge overhead, R hosting Python: small-array round trips and conversion
# time by size, tensorbridge's rpy2 bridge next to reticulate's own calls in
# the same process. Run with `make bench-bridge` (or Rscript with R_LIBS and
# TENSORBRIDGE_PYTHON set as the Makefile does).
library(tensorbridge)
invisible(tb_config())  # start Python and the bridge

# Microseconds per call: the best of 5 runs of n calls (damps other load).
time_per_call <- function(f, n) {
  f()  # warm up
  run <- function() system.time(for (i in seq_len(n)) f())[["elapsed"]]
  min(replicate(5, run())) / n * 1e6
}

n <- 20000L
small <- matrix(as.double(1:4), 2)
# reticulate 1.28 cannot convert arrays with numpy >= 2, so its overhead is
# measured on its cheapest call: a scalar in, a scalar out.
identity_reticulate <- reticulate::py_eval("lambda x: x", convert = TRUE)
tensor <- as_tensor(small)

results <- data.frame(
  what = c(
    "tensorbridge: tb_call(identity, 2x2 double matrix), round trip",
    "tensorbridge: tb_call(identity, 1), round trip",
    "reticulate:   identity(1) through reticulate, round trip",
    "tensorbridge: as_tensor(2x2 double matrix)",
    "tensorbridge: tb_call(identity, tensor handle), round trip",
    "tensorbridge: tb_call(shape, 2x2 matrix), list back"
  ),
  us_per_call = c(
    time_per_call(function() tb_call("bridge.diagnostics.identity", small), n),
    time_per_call(function() tb_call("bridge.diagnostics.identity", 1), n),
    time_per_call(function() identity_reticulate(1), n),
    time_per_call(function() as_tensor(small), n),
    time_per_call(function() tb_call("bridge.diagnostics.identity", tensor), n),
    time_per_call(function() tb_call("bridge.api.shape", small), n)
  )
)
print(results, row.names = FALSE, digits = 3)

cat("\nConversion R -> Python, no dtype change (as_tensor), by size:\n")
sizes <- c("8 KB" = 1e3, "80 MB" = 1e7)
conv <- sapply(sizes, function(k) {
  x <- runif(k)
  time_per_call(function() as_tensor(x), 1000L)
})
print(data.frame(size = names(sizes), us_per_conversion = conv), row.names = FALSE,
      digits = 3)
cat(sprintf("ratio 80 MB / 8 KB: %.2f\n", conv[[2]] / conv[[1]]))
