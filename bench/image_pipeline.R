# Images per second through a folder pipeline, tensorbridge from R against
# TensorFlow's tf.data on the same files: image_dataset_from_directory() %>%
# dataset_map(<augmentation>) %>% dataset_prefetch(), read to the end, over a
# folder of Fashion-MNIST PNG files (written first; 20 000 by default).
# The augmentation is the same in both: a horizontal flip and a rescale to
# [0, 1], applied to each batch of 32.
# Run: OPENBLAS_NUM_THREADS=1 Rscript bench/image_pipeline.R [images] [python]
#   python: an interpreter with tensorflow-cpu and pillow installed (the
#   benchmark's own environment, e.g. `python3 -m venv build/bench-tf &&
#   build/bench-tf/bin/pip install tensorflow-cpu pillow`); without it only
#   tensorbridge is timed.
library(tensorbridge)

args <- commandArgs(trailingOnly = TRUE)
n_images <- if (length(args) >= 1) as.integer(args[[1]]) else 20000L
tf_python <- if (length(args) >= 2) args[[2]] else ""

root <- file.path(tempdir(), "fashion-png-bench")
fashion <- dataset_fashion_mnist()
per_class <- ceiling(n_images / 10)
for (k in 0:9) {
  folder <- file.path(root, sprintf("class_%d", k))
  dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  for (i in head(which(fashion$train$y == k), per_class)) {
    image_array_save(array(fashion$train$x[i, , ], c(28, 28, 1)),
                     file.path(folder, sprintf("%05d.png", i)), scale = FALSE)
  }
}
n_files <- length(list.files(root, recursive = TRUE))

pipeline <- function() {
  image_dataset_from_directory(root, color_mode = "grayscale", image_size = c(28, 28),
                               batch_size = 32, shuffle = TRUE, seed = 1) %>%
    dataset_map(function(x, y) list(k_reverse(x, axes = 3) / 255, y)) %>%
    dataset_prefetch(4)
}
read_all <- function(ds) {
  it <- as_iterator(ds)
  n <- 0
  while (!is.null(batch <- iter_next(it))) n <- n + 1
  n
}
read_all(pipeline())  # warm up (file cache)
ours <- numeric()
for (i in 1:3) ours[i] <- system.time(read_all(pipeline()))[["elapsed"]]
cat(sprintf("tensorbridge: %d images, best %.2f s (%.0f images/s), median %.2f s\n",
            n_files, min(ours), n_files / min(ours), median(ours)))

if (nzchar(tf_python)) {
  script <- tempfile(fileext = ".py")
  writeLines(c(
    "import sys, time",
    "import tensorflow as tf",
    "root = sys.argv[1]",
    "def pipeline():",
    "    ds = tf.keras.utils.image_dataset_from_directory(root, color_mode='grayscale',",
    "        image_size=(28, 28), batch_size=32, shuffle=True, seed=1, verbose=False)",
    "    ds = ds.map(lambda x, y: (tf.reverse(x, [2]) / 255.0, y),",
    "                num_parallel_calls=tf.data.AUTOTUNE)",
    "    return ds.prefetch(4)",
    "def read_all(ds):",
    "    n = 0",
    "    for _ in ds: n += 1",
    "    return n",
    "read_all(pipeline())",
    "times = []",
    "for _ in range(3):",
    "    t = time.perf_counter(); read_all(pipeline()); times.append(time.perf_counter() - t)",
    "times.sort()",
    "print(times[0], times[1])"), script)
  out <- system2(tf_python, c(script, shQuote(root)), stdout = TRUE,
                 env = "TF_CPP_MIN_LOG_LEVEL=3")
  tf_times <- as.numeric(strsplit(tail(out, 1), " ")[[1]])
  cat(sprintf("TensorFlow tf.data: best %.2f s (%.0f images/s), median %.2f s\n",
              tf_times[1], n_files / tf_times[1], tf_times[2]))
  cat(sprintf("throughput tensorbridge / TensorFlow: best %.3f, median %.3f (goal >= 1)\n",
              tf_times[1] / min(ours), tf_times[2] / median(ours)))
}
