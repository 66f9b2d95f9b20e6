# One fit() epoch fed three ways, timed interleaved in one run: from the
# in-memory R matrix, from an R generator function, and from a dataset
# (tensor_slices_dataset() %>% dataset_shuffle() %>% dataset_batch()); then
# the peak memory fit() adds on top of a large R matrix.
# Run: OPENBLAS_NUM_THREADS=1 Rscript bench/keras_fit_sources.R [GB] [memory]
# (GB: size of the large matrix, default 1.5; "memory": the memory part only)
library(tensorbridge)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "mnist_mlp.R"))

args <- commandArgs(trailingOnly = TRUE)
big_gb <- if (length(args)) as.numeric(args[[1]]) else 1.5
timing <- !"memory" %in% args

if (timing) {
data <- mnist_mlp_data()
x <- data$x
y <- data$y
batch <- 128

# an R generator in keras R's style: shuffled batches of the matrix
shuffled_batches <- function(x, y, size) {
  n <- nrow(x)
  order <- sample.int(n)
  pos <- 0
  function() {
    if (pos >= n) {
      order <<- sample.int(n)
      pos <<- 0
    }
    rows <- order[(pos + 1):min(pos + size, n)]
    pos <<- pos + size
    list(x[rows, , drop = FALSE], y[rows, , drop = FALSE])
  }
}
# the same batches as fit(shuffle = FALSE): consecutive rows
sequential_batches <- function(x, y, size) {
  n <- nrow(x)
  pos <- 0
  function() {
    if (pos >= n) pos <<- 0
    rows <- (pos + 1):min(pos + size, n)
    pos <<- pos + size
    list(x[rows, , drop = FALSE], y[rows, , drop = FALSE])
  }
}
# the generator machinery alone: batches cut by R once, before timing (R's
# own x[rows, ] on a 60000 x 784 matrix costs about 2 ms a batch)
prepared_batches <- function(x, y, size) {
  starts <- seq(1, nrow(x), by = size)
  batches <- lapply(starts, function(s) {
    rows <- s:min(s + size - 1, nrow(x))
    list(x[rows, , drop = FALSE], y[rows, , drop = FALSE])
  })
  i <- 0
  function() {
    i <<- i %% length(batches) + 1
    batches[[i]]
  }
}
steps <- ceiling(nrow(x) / batch)
ds <- tensor_slices_dataset(list(x, y)) %>% dataset_shuffle(60000) %>% dataset_batch(batch)

model <- mnist_mlp()
fit(model, x, y, epochs = 1, batch_size = batch, verbose = 0)  # warm up
times <- list(array = numeric(), array_noshuffle = numeric(), generator = numeric(),
              generator_seq = numeric(), generator_pre = numeric(), dataset = numeric())
gen <- shuffled_batches(x, y, batch)
gen_seq <- sequential_batches(x, y, batch)
gen_pre <- prepared_batches(x, y, batch)
for (i in 1:3) {  # interleaved, to share any load between them
  times$array[i] <- system.time(
    fit(model, x, y, epochs = 1, batch_size = batch, verbose = 0))[["elapsed"]]
  times$array_noshuffle[i] <- system.time(
    fit(model, x, y, epochs = 1, batch_size = batch, verbose = 0, shuffle = FALSE)
  )[["elapsed"]]
  times$generator[i] <- system.time(
    fit(model, gen, steps_per_epoch = steps, epochs = 1, verbose = 0))[["elapsed"]]
  times$generator_seq[i] <- system.time(
    fit(model, gen_seq, steps_per_epoch = steps, epochs = 1, verbose = 0))[["elapsed"]]
  times$generator_pre[i] <- system.time(
    fit(model, gen_pre, steps_per_epoch = steps, epochs = 1, verbose = 0))[["elapsed"]]
  times$dataset[i] <- system.time(fit(model, ds, epochs = 1, verbose = 0))[["elapsed"]]
}
# each source against the array fit reading the same batches: shuffled
# sources against fit(shuffle = TRUE), consecutive ones against shuffle = FALSE
reference <- c(array = "array", array_noshuffle = "array_noshuffle", generator = "array",
               generator_seq = "array_noshuffle", generator_pre = "array_noshuffle",
               dataset = "array")
cat("one epoch, Fashion-MNIST 60000 x 784, batch 128 (best of 3; ratio to the array fit",
    "reading batches the same way):\n")
for (k in names(times)) {
  ref <- times[[reference[[k]]]]
  cat(sprintf("  %-16s best %.3f s  median %.3f s  ratio %.3f (vs %s)\n", k, min(times[[k]]),
              median(times[[k]]), min(times[[k]]) / min(ref), reference[[k]]))
}
rm(data, x, y, ds, gen, gen_seq, gen_pre)
}

# peak memory of fit() on a large R matrix
status_mb <- function(field) {
  line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(gsub("[^0-9]", "", line)) / 1024
}
cols <- 500
rows <- round(big_gb * 2^30 / 8 / cols)
big <- matrix(runif(rows * cols), rows)
target <- runif(rows)
wide <- keras_model_sequential(input_shape = cols) %>% layer_dense(units = 1)
wide %>% compile(optimizer = optimizer_sgd(1e-4), loss = "mse")
fit(wide, big[1:1000, ], target[1:1000], epochs = 1, verbose = 0)
invisible(gc())
writeLines("5", "/proc/self/clear_refs")  # peak (VmHWM) := now
before <- status_mb("VmRSS")
t_fit <- system.time(fit(wide, big, target, epochs = 1, batch_size = 128, verbose = 0))
added <- status_mb("VmHWM") - before
cat(sprintf(paste0("fit() on a %.2f GB R matrix (%d x %d): peak RSS - RSS before = %.0f MB ",
                   "(%.3f x the data); epoch %.1f s\n"),
            object.size(big) / 2^30, rows, cols, added, added / (object.size(big) / 2^20),
            t_fit[["elapsed"]]))
