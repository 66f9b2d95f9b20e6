# Images, text folders and time series windows, checked against the arrays that were
# written (PNG is lossless), readLines() and base R indexing.

skip_if_no_python <- function() skip_if_not(tb_available(), "Python backend not available")

batches <- function(ds) tb_call("engine.keras.image.collect", ds)

bind_rows <- function(parts) {
  # batches along the first dimension, back into one array
  d <- dim(parts[[1]])
  n <- sum(vapply(parts, function(p) dim(p)[[1]], 1))
  out <- array(0, c(n, d[-1]))
  at <- 0
  for (p in parts) {
    k <- dim(p)[[1]]
    idx <- at + seq_len(k)
    out[idx, , , ] <- p
    at <- at + k
  }
  out
}

write_folder <- function(n = 3, h = 4, w = 5, classes = c("dog", "cat")) {
  dir <- tempfile("imgs")
  set.seed(11)
  arrays <- list()
  for (cls in classes) {
    dir.create(file.path(dir, cls), recursive = TRUE)
    for (i in seq_len(n)) {
      a <- array(sample(0:255, h * w * 3, replace = TRUE), c(h, w, 3))
      a[1, 1, 1] <- 0
      a[1, 2, 1] <- 255
      f <- file.path(dir, cls, paste0("img", i, ".png"))
      image_array_save(a, f, scale = FALSE)
      arrays[[f]] <- a
    }
  }
  list(dir = dir, arrays = arrays)
}

test_that("a folder of PNGs decodes to the arrays that were written, labels alphabetical", {
  skip_if_no_python()
  f <- write_folder()
  ds <- image_dataset_from_directory(f$dir, image_size = c(4, 5), batch_size = 4,
                                     shuffle = FALSE)
  expect_equal(ds$class_names, c("cat", "dog"))
  b <- batches(ds)
  expect_equal(vapply(b, function(p) dim(p[[1]])[[1]], 1), c(4, 2))
  x <- bind_rows(lapply(b, `[[`, 1))
  y <- unlist(lapply(b, `[[`, 2))
  files <- c(file.path(f$dir, "cat", paste0("img", 1:3, ".png")),
             file.path(f$dir, "dog", paste0("img", 1:3, ".png")))
  for (i in seq_along(files)) {
    expect_equal(x[i, , , ], f$arrays[[files[i]]], ignore_attr = TRUE)
  }
  expect_identical(y, c(0L, 0L, 0L, 1L, 1L, 1L))

  # shuffled, one-hot: every image still comes with its own label
  ds <- image_dataset_from_directory(f$dir, image_size = c(4, 5), batch_size = 6, seed = 3,
                                     label_mode = "categorical")
  b <- batches(ds)[[1]]
  for (i in 1:6) {
    hit <- names(Filter(function(a) isTRUE(all.equal(a, b[[1]][i, , , ],
                                                     check.attributes = FALSE)), f$arrays))
    expect_length(hit, 1)
    expect_equal(b[[2]][i, ], if (basename(dirname(hit)) == "cat") c(1, 0) else c(0, 1))
  }
})

test_that("worker processes decode a folder to the same arrays, under R too", {
  skip_if_no_python()
  f <- write_folder()
  # folders this small decode in R's process; lower the size at which workers start
  set_min <- function(n) tb_call("engine.keras.image.__dict__.__setitem__",
                                 "_PROCESS_MIN_FILES", as.integer(n))
  set_min(1)
  Sys.setenv(TENSORBRIDGE_IMAGE_WORKERS = "2")
  on.exit({
    set_min(2000)
    Sys.unsetenv("TENSORBRIDGE_IMAGE_WORKERS")
  })
  ds <- image_dataset_from_directory(f$dir, image_size = c(4, 5), batch_size = 2,
                                     shuffle = FALSE) %>%
    dataset_map(function(x, y) list(x / 255, y))
  x <- bind_rows(lapply(batches(ds), `[[`, 1))
  files <- c(file.path(f$dir, "cat", paste0("img", 1:3, ".png")),
             file.path(f$dir, "dog", paste0("img", 1:3, ".png")))
  for (i in seq_along(files)) {
    expect_equal(x[i, , , ], f$arrays[[files[i]]] / 255, ignore_attr = TRUE, tolerance = 1e-6)
  }
  # an unreadable file is named by the error from the worker
  writeBin(as.raw(1:40), file.path(f$dir, "dog", "broken.png"))
  ds <- image_dataset_from_directory(f$dir, image_size = c(4, 5), shuffle = FALSE)
  expect_error(batches(ds), "broken.png", fixed = TRUE)
})

test_that("validation_split gives disjoint subsets covering the folder", {
  skip_if_no_python()
  f <- write_folder(n = 5)
  both <- image_dataset_from_directory(f$dir, image_size = c(4, 5), seed = 2,
                                       validation_split = 0.2, subset = "both")
  tr <- both[[1]]$file_paths
  va <- both[[2]]$file_paths
  expect_length(va, 2)
  expect_length(tr, 8)
  expect_setequal(c(tr, va), normalizePath(names(f$arrays)))
  va2 <- image_dataset_from_directory(f$dir, image_size = c(4, 5), seed = 2,
                                      validation_split = 0.2, subset = "validation")
  expect_identical(va2$file_paths, va)
})

test_that("image_load() and image_to_array() give the written array; grayscale is the luma", {
  skip_if_no_python()
  f <- write_folder(n = 1)
  path <- names(f$arrays)[[1]]
  a <- f$arrays[[path]]
  x <- image_to_array(image_load(path))
  expect_equal(dim(x), c(4, 5, 3))
  expect_equal(x, a, ignore_attr = TRUE)
  g <- image_to_array(image_load(path, color_mode = "grayscale"))
  # Pillow's L conversion: (R * 299 + G * 587 + B * 114) / 1000, rounded
  luma <- (a[, , 1] * 299 + a[, , 2] * 587 + a[, , 3] * 114 + 500) %/% 1000
  expect_equal(g[, , 1], luma, ignore_attr = TRUE)
  expect_equal(dim(image_to_array(image_load(path, target_size = c(2, 3)))), c(2, 3, 3))
})

test_that("image_array_resize() interpolates linearly and keeps the corners", {
  skip_if_no_python()
  ramp <- array(rep(0:4, times = 3), c(5, 3, 1))
  out <- image_array_resize(ramp, height = 9, width = 2)
  expect_equal(dim(out), c(9, 2, 1))
  expect_equal(out[, 1, 1], seq(0, 4, length.out = 9))
})

test_that("flow_images_from_data(): flips reverse columns, shifts move pixels, rescale scales", {
  skip_if_no_python()
  set.seed(4)
  x <- array(sample(0:255, 6 * 4 * 5 * 1, TRUE), c(6, 4, 5, 1))
  it <- flow_images_from_data(x, y = 1:6, generator = image_data_generator(
    horizontal_flip = TRUE, rescale = 1 / 255), batch_size = 6, seed = 1)
  b <- tb_method(it, "__getitem__", 0L)
  expect_setequal(b[[2]], 1:6)
  flipped <- 0
  for (i in 1:6) {
    img <- x[b[[2]][i], , , , drop = FALSE][1, , , ]
    got <- b[[1]][i, , , 1]
    plain <- isTRUE(all.equal(got, img / 255, tolerance = 1e-6))
    rev_cols <- isTRUE(all.equal(got, img[, 5:1] / 255, tolerance = 1e-6))
    expect_true(plain || rev_cols)
    flipped <- flipped + rev_cols
  }
  expect_true(flipped > 0 && flipped < 6)

  # a shift of exactly 2 columns either way (width_shift_range = c(2, 2)), filled with cval
  it <- flow_images_from_data(x, y = 1:6, generator = image_data_generator(
    width_shift_range = c(2, 2), fill_mode = "constant", cval = -1), batch_size = 6,
    shuffle = FALSE, seed = 5)
  b <- tb_method(it, "__getitem__", 0L)
  for (i in 1:6) {
    img <- x[i, , , 1]
    left <- cbind(img[, 3:5], -1, -1)   # output[, c] = input[, c + 2]
    right <- cbind(-1, -1, img[, 1:3])  # output[, c] = input[, c - 2]
    got <- b[[1]][i, , , 1]
    expect_true(isTRUE(all.equal(got, left)) || isTRUE(all.equal(got, right)))
  }

  # an R preprocessing function runs before rescaling
  it <- flow_images_from_data(x, generator = image_data_generator(
    preprocessing_function = function(img) img * 2, rescale = 0.5), batch_size = 3,
    shuffle = FALSE)
  expect_equal(tb_method(it, "__getitem__", 1L), x[4:6, , , , drop = FALSE],
               ignore_attr = TRUE, tolerance = 1e-6)
})

test_that("fit_image_data_generator() centres and scales by the data's channel statistics", {
  skip_if_no_python()
  set.seed(5)
  x <- array(rnorm(10 * 3 * 3 * 3, 5, 2), c(10, 3, 3, 3))
  gen <- image_data_generator(featurewise_center = TRUE, featurewise_std_normalization = TRUE)
  fit_image_data_generator(gen, x)
  m <- apply(x, 4, mean)
  s <- apply(x, 4, function(v) sqrt(mean((v - mean(v))^2)))
  it <- flow_images_from_data(x, generator = gen, batch_size = 10, shuffle = FALSE)
  got <- tb_method(it, "__getitem__", 0L)
  want <- sweep(sweep(x, 4, m), 4, s + 1e-6, "/")
  expect_equal(got, want, tolerance = 1e-4, ignore_attr = TRUE)
})

test_that("flow_images_from_directory() and _dataframe() read the files in class order", {
  skip_if_no_python()
  f <- write_folder()
  it <- flow_images_from_directory(f$dir, target_size = c(4, 5), batch_size = 6,
                                   shuffle = FALSE, class_mode = "sparse")
  b <- tb_method(it, "__getitem__", 0L)
  files <- c(file.path(f$dir, "cat", paste0("img", 1:3, ".png")),
             file.path(f$dir, "dog", paste0("img", 1:3, ".png")))
  for (i in 1:6) expect_equal(b[[1]][i, , , ], f$arrays[[files[i]]], ignore_attr = TRUE)
  expect_equal(b[[2]], c(0, 0, 0, 1, 1, 1))
  df <- data.frame(filename = files, class = factor(rep(c("cat", "dog"), each = 3)))
  it <- flow_images_from_dataframe(df, x_col = "filename", y_col = "class",
                                   target_size = c(4, 5), batch_size = 6, shuffle = FALSE)
  b <- tb_method(it, "__getitem__", 0L)
  expect_equal(b[[1]][4, , , ], f$arrays[[files[4]]], ignore_attr = TRUE)
  expect_equal(b[[2]], cbind(rep(c(1, 0), each = 3), rep(c(0, 1), each = 3)),
               ignore_attr = TRUE)
})

test_that("text folders give the files' texts, labels from the folder names", {
  skip_if_no_python()
  dir <- tempfile("texts")
  for (cls in c("pos", "neg")) {
    dir.create(file.path(dir, cls), recursive = TRUE)
    for (i in 1:2) writeLines(c(paste(cls, "text", i), "second line"),
                              file.path(dir, cls, paste0(i, ".txt")))
  }
  ds <- text_dataset_from_directory(dir, batch_size = 10, shuffle = FALSE)
  b <- batches(ds)[[1]]
  files <- file.path(dir, rep(c("neg", "pos"), each = 2), paste0(1:2, ".txt"))
  want <- vapply(files, function(f) paste0(paste(readLines(f), collapse = "\n"), "\n"), "")
  expect_equal(b[[1]], unname(want))
  expect_equal(b[[2]], c(0L, 0L, 1L, 1L))
})

test_that("timeseries windows are base R indexing", {
  skip_if_no_python()
  data <- matrix(as.double(1:60), 30, 2)
  targets <- (1:30) * 10
  ds <- timeseries_dataset_from_array(data, targets, sequence_length = 4,
                                      sequence_stride = 3, sampling_rate = 2,
                                      batch_size = 3, start_index = 3, end_index = 25)
  b <- batches(ds)
  y <- unlist(lapply(b, `[[`, 2))
  starts <- seq(3, 25 - 3 * 2, by = 3)  # windows that end by time step 25
  expect_equal(y, targets[starts])
  windows <- do.call(c, lapply(b, function(p) lapply(seq_len(dim(p[[1]])[1]),
                                                     function(i) p[[1]][i, , ])))
  expect_length(windows, length(starts))
  for (k in seq_along(starts)) {
    expect_equal(windows[[k]], data[starts[k] + c(0, 2, 4, 6), ])
  }
  # a vector without targets
  ds <- timeseries_dataset_from_array(1:10, NULL, sequence_length = 3, batch_size = 20)
  w <- batches(ds)[[1]]
  expect_equal(w, t(sapply(1:8, function(i) i:(i + 2))), ignore_attr = TRUE)
})

test_that("bad input: empty folder, unreadable image, wrong arguments", {
  skip_if_no_python()
  empty <- tempfile("empty")
  dir.create(file.path(empty, "cls"), recursive = TRUE)
  expect_error(image_dataset_from_directory(empty), basename(empty), class = "tensorbridge_error")
  expect_error(flow_images_from_directory(empty), basename(empty),
               class = "tensorbridge_error")
  bad <- tempfile("bad")
  dir.create(file.path(bad, "cls"), recursive = TRUE)
  writeBin(charToRaw("not a png"), file.path(bad, "cls", "broken.png"))
  expect_error(image_load(file.path(bad, "cls", "broken.png")), "broken.png",
               class = "tensorbridge_error")
  ds <- image_dataset_from_directory(bad, image_size = c(2, 2))
  expect_error(batches(ds), "broken.png", class = "tensorbridge_error")
  expect_bad_inputs(list(
    bad(image_dataset_from_directory(empty, batch_size = 0),
        "image_dataset_from_directory(): `batch_size` must be one positive whole number (or NULL), not 0."),
    bad(image_dataset_from_directory(empty, image_size = 28),
        "image_dataset_from_directory(): `image_size` must be positive whole numbers (2 of them), not 28."),
    bad(image_dataset_from_directory(empty, color_mode = "cmyk"),
        "image_dataset_from_directory(): `color_mode` must be one of \"rgb\", \"grayscale\", \"rgba\", not \"cmyk\"."),
    bad(image_dataset_from_directory(empty, foo = 1),
        "image_dataset_from_directory(): unknown argument `foo`; see ?image_dataset_from_directory for the arguments it takes."),
    bad(image_data_generator(fill_mode = "mirror"),
        "image_data_generator(): `fill_mode` must be one of \"constant\", \"nearest\", \"reflect\", \"wrap\", not \"mirror\"."),
    bad(image_data_generator(zoom_range = c(1, 2, 3)),
        "image_data_generator(): `zoom_range` must be one or two non-negative numbers, not c(1, 2, 3)."),
    bad(flow_images_from_data(array(0, c(2, 3, 3)), batch_size = 1),
        "flow_images_from_data(): `x` must be a numeric array with 4 dimensions and no NA, not a double array of dim 2 x 3 x 3."),
    bad(flow_images_from_data(array(0, c(2, 3, 3, 1)), y = 1:3),
        "flow_images_from_data(): `y` must be NULL or numeric labels, one per image (2), not 1:3."),
    bad(flow_images_from_data(array(0, c(2, 3, 3, 1)), generator = 1),
        "flow_images_from_data(): `generator` must be an image data generator from image_data_generator(), not 1."),
    bad(timeseries_dataset_from_array(1:10, NULL, sequence_length = 0),
        "timeseries_dataset_from_array(): `sequence_length` must be one positive whole number, not 0."),
    bad(timeseries_dataset_from_array(c(1, NA), NULL, sequence_length = 1),
        "timeseries_dataset_from_array(): `data` must be a numeric vector, matrix or array without NA, not c(1, NA)."),
    bad(timeseries_dataset_from_array(1:10, NULL, sequence_length = 2, end_index = 11),
        "timeseries_dataset_from_array(): `end_index` must be one whole number >= 1 and <= 10 (or NULL), not 11."),
    bad(image_array_save(array(NA_real_, c(2, 2, 3)), tempfile(fileext = ".png")),
        "image_array_save(): `img` must be a numeric array with 2 or 3 dimensions and no NA, not a double array of dim 2 x 2 x 3.")
  ), env = environment())
})

test_that("fit() on a folder iterator gives the weights of fit() on the written arrays", {
  skip_if_no_python()
  dir <- tempfile("fitimgs")
  set.seed(8)
  x <- array(0, c(8, 5, 5, 1))
  k <- 0
  for (cls in c("b", "a")) {
    dir.create(file.path(dir, cls), recursive = TRUE)
    for (i in 1:4) {
      a <- array(sample(0:255, 25, TRUE), c(5, 5, 1))
      image_array_save(a, file.path(dir, cls, paste0(i, ".png")), scale = FALSE)
      # files are read class by class ("a" first), then by name
      x[(if (cls == "a") 0 else 4) + i, , , ] <- a
    }
  }
  y <- rep(0:1, each = 4)
  model <- function() {
    m <- keras_model_sequential() %>%
      layer_flatten(input_shape = c(5, 5, 1)) %>%
      layer_dense(2, activation = "softmax", kernel_initializer = "zeros")
    m %>% compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy")
    m
  }
  it <- flow_images_from_directory(dir, image_data_generator(rescale = 1 / 255),
                                   target_size = c(5, 5), color_mode = "grayscale",
                                   class_mode = "sparse", batch_size = 3, shuffle = FALSE)
  a <- model()
  a %>% fit(it, epochs = 2, shuffle = FALSE, verbose = 0)
  b <- model()
  b %>% fit(x / 255, y, batch_size = 3, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(a), get_weights(b), tolerance = 1e-5)
  # batches computed ahead by threads (keras 2's workers / max_queue_size) are the same
  # batches in the same order, shuffled or not
  for (shuffle in c(FALSE, TRUE)) {
    runs <- lapply(list(c(0, 1), c(3, 2)), function(wq) {
      m <- model()
      tf$random$set_seed(5)
      m %>% fit(it, epochs = 2, shuffle = shuffle, verbose = 0, workers = wq[[1]],
                max_queue_size = wq[[2]])
      list(weights = get_weights(m),
           loss = evaluate(m, it, workers = wq[[1]], verbose = 0)$loss,
           pred = predict(m, it, workers = wq[[1]]))
    })
    expect_equal(runs[[1]], runs[[2]], tolerance = 1e-7)
  }
  m <- model()
  suppressWarnings(m %>% fit_generator(it, steps_per_epoch = 3, workers = 2, verbose = 0))
  expect_error(fit(m, it, workers = -1, verbose = 0), "`workers`", fixed = TRUE)
  expect_error(predict(m, it, max_queue_size = 0), "`max_queue_size`", fixed = TRUE)
})

test_that("length() of a flow iterator is its number of batches", {
  skip_if_no_python()
  it <- flow_images_from_data(array(runif(10 * 4 * 4), c(10, 4, 4, 1)), 1:10, batch_size = 3)
  expect_identical(as.integer(length(it)), as.integer(ceiling(10 / 3)))
})
