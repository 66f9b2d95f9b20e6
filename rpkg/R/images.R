# Images, text folders and time series windows (keras R 2.13's names and arguments):
# Pillow decodes and writes the files; the folder functions return datasets of the
# engine's Dataset (decoding runs Python-side, ahead of training); the flow_*()
# functions return keras 2 iterators (batches by index, reshuffled each epoch) that
# fit() takes.

# Calls tensorbridge.engine.keras.image.<fn> with every argument, NULL included
# (NULL is meaningful here: no labels, no class mode).
tb_image_call <- function(fn, args) {
  do.call(tb_call, c(list(paste0("engine.keras.image.", fn)), args))
}

check_path <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  x <- check_string(x, arg, null_ok = null_ok)
  path.expand(x)
}

check_color_mode <- function(x, arg = tb_arg_name(substitute(x)),
                             choices = c("rgb", "grayscale", "rgba")) {
  check_string(x, arg, choices = choices)
}

check_size2 <- function(x, arg = tb_arg_name(substitute(x)), null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  check_counts(x, arg, len = 2L)
}

check_validation_split <- function(x, arg = tb_arg_name(substitute(x)), null_ok = TRUE) {
  check_number(x, arg, min = 0, max = 1, min_open = TRUE, max_open = TRUE, null_ok = null_ok)
}

check_image_array <- function(x, arg = tb_arg_name(substitute(x)), ranks = 3L) {
  ok <- (is.numeric(x) || is.logical(x)) && !is.object(x) && length(dim(x)) %in% ranks &&
    !anyNA(x)
  if (!ok) {
    tb_arg_error(arg, paste0("a numeric array with ", paste(ranks, collapse = " or "),
                             " dimensions and no NA"), x)
  }
  if (is.logical(x)) storage.mode(x) <- "integer"
  x
}

check_generator <- function(x, arg = tb_arg_name(substitute(x))) {
  if (!tb_is_a(x, ".ImageDataGenerator")) {
    tb_arg_error(arg, "an image data generator from image_data_generator()", x)
  }
  x
}

#' Load an image file
#'
#' `image_load()` reads a PNG, JPEG, BMP, GIF or TIFF file (decoded by
#' Pillow) into an image object; `image_to_array()` makes it a
#' (height, width, channels) array; `image_array_resize()` resizes an image
#' array (linear interpolation that keeps the corner pixels);
#' `image_array_save()` writes an array as an image file.
#'
#' @param path Path of the image file (one string).
#' @param grayscale Deprecated: use `color_mode = "grayscale"`.
#' @param color_mode `"rgb"` (3 channels), `"grayscale"` (1) or `"rgba"` (4).
#' @param target_size `NULL` (the file's size) or `c(height, width)`.
#' @param interpolation Resampling filter when resizing: `"nearest"`,
#'   `"bilinear"`, `"bicubic"`, `"lanczos"`, `"box"` or `"hamming"`.
#' @return `image_load()`: an image object (a Pillow image).
#' @family image preprocessing
#' @examples
#' if (tb_available()) {
#'   f <- tempfile(fileext = ".png")
#'   image_array_save(array(runif(4 * 5 * 3), c(4, 5, 3)), f)
#'   img <- image_load(f)
#'   dim(image_to_array(img))  # 4 5 3
#' }
#' @export
image_load <- function(path, grayscale = FALSE, color_mode = "rgb", target_size = NULL,
                       interpolation = "nearest") {
  tb_image_call("load_img", list(
    path = check_path(path), grayscale = check_flag(grayscale),
    color_mode = check_color_mode(color_mode),
    target_size = check_size2(target_size, null_ok = TRUE),
    interpolation = check_string(interpolation, choices = c("nearest", "bilinear", "bicubic",
                                                            "lanczos", "box", "hamming"))))
}

#' @rdname image_load
#' @param img An image object from `image_load()` (`image_to_array()`), or an
#'   image array (height, width, channels).
#' @param data_format `"channels_last"` (height, width, channels) or
#'   `"channels_first"`.
#' @param dtype Type of the array's values (`"float32"`, `"float64"`,
#'   `"int32"`, `"uint8"`).
#' @return `image_to_array()`, `image_array_resize()`: an array.
#' @export
image_to_array <- function(img, data_format = c("channels_last", "channels_first"),
                           dtype = "float32") {
  if (!inherits(img, "tensorbridge_object")) {
    tb_arg_error("img", "an image from image_load()", img)
  }
  if (identical(data_format, c("channels_last", "channels_first"))) data_format <- "channels_last"
  tb_image_call("img_to_array", list(
    img = img, data_format = check_string(data_format, choices = c("channels_last",
                                                                   "channels_first")),
    dtype = check_string(dtype, choices = c("float32", "float64", "int32", "uint8"))))
}

#' @rdname image_load
#' @param height,width Size of the result (positive whole numbers).
#' @export
image_array_resize <- function(img, height, width,
                               data_format = c("channels_last", "channels_first")) {
  img <- check_image_array(img, ranks = c(3L, 4L))
  if (length(dim(img)) == 4L && dim(img)[[1]] != 1L) {
    tb_arg_error("img", "an array of one image (3 dimensions, or 4 with the first of size 1)",
                 img)
  }
  if (identical(data_format, c("channels_last", "channels_first"))) data_format <- "channels_last"
  tb_image_call("resize_array", list(
    img = img, height = check_count(height), width = check_count(width),
    data_format = check_string(data_format, choices = c("channels_last", "channels_first"))))
}

#' @rdname image_load
#' @param file_format Image format (`"png"`, `"jpeg"` ...); `NULL`: from the
#'   file name's extension.
#' @param scale Map the values linearly onto 0-255 (minimum to 0, maximum to
#'   255) before writing; with `FALSE` the values must already lie in 0-255.
#' @return `image_array_save()`: `NULL`, invisibly.
#' @export
image_array_save <- function(img, path, data_format = NULL, file_format = NULL, scale = TRUE) {
  img <- check_image_array(img, ranks = c(2L, 3L))
  invisible(tb_image_call("save_img", list(
    path = check_path(path), x = img, data_format = check_data_format(data_format),
    file_format = check_string(file_format, null_ok = TRUE), scale = check_flag(scale))))
}

#' Image data generator: augmentation and normalization (keras 2)
#'
#' `image_data_generator()` describes random transforms (rotation, shifts,
#' shear, zoom, flips, channel and brightness shifts) and normalizations
#' (rescaling, centring, scaling, ZCA whitening) of images;
#' `fit_image_data_generator()` computes the feature-wise statistics that
#' `featurewise_center`, `featurewise_std_normalization` and `zca_whitening`
#' need. Each image is transformed, then passed to `preprocessing_function`,
#' then rescaled and normalized, as in keras 2.
#'
#' @param featurewise_center,featurewise_std_normalization Centre / scale each
#'   channel by the mean / standard deviation of the data given to
#'   `fit_image_data_generator()`.
#' @param samplewise_center,samplewise_std_normalization Centre / scale each
#'   image by its own mean / standard deviation.
#' @param zca_whitening Apply ZCA whitening; `zca_epsilon` its epsilon.
#' @param zca_epsilon Epsilon of the ZCA whitening.
#' @param rotation_range Degrees of random rotation (0 to 180).
#' @param width_shift_range,height_shift_range Random shift: a fraction of the
#'   width / height (< 1), or a number of pixels (>= 1), drawn uniformly from
#'   `(-value, value)`.
#' @param brightness_range `NULL` or `c(lower, upper)`: brightness factor range.
#' @param shear_range Shear angle range (degrees).
#' @param zoom_range Zoom range: one number `z` (zoom in `[1 - z, 1 + z]`) or
#'   `c(lower, upper)`.
#' @param channel_shift_range Range of random channel shifts.
#' @param fill_mode How points outside the image are filled: `"constant"`
#'   (`cval`), `"nearest"`, `"reflect"` or `"wrap"`.
#' @param cval Value for `fill_mode = "constant"`.
#' @param horizontal_flip,vertical_flip Flip images at random (probability 0.5).
#' @param rescale `NULL` or a factor that the images are multiplied by (after
#'   the transforms).
#' @param preprocessing_function `NULL` or an R function of one image (a
#'   (height, width, channels) array) returning an array of the same shape.
#' @param data_format `NULL` (`"channels_last"`), `"channels_last"` or
#'   `"channels_first"`.
#' @param validation_split Fraction (>= 0 and < 1) of the images kept for the
#'   subset `"validation"` of the `flow_images_*()` functions.
#' @return `image_data_generator()`: a generator object;
#'   `fit_image_data_generator()`: the generator, invisibly.
#' @family image preprocessing
#' @examples
#' if (tb_available()) {
#'   gen <- image_data_generator(rescale = 1 / 255, horizontal_flip = TRUE)
#'   x <- array(runif(8 * 6 * 6 * 1, 0, 255), c(8, 6, 6, 1))
#'   it <- flow_images_from_data(x, y = 1:8, generator = gen, batch_size = 4)
#'   length(it)  # 2 batches per epoch
#' }
#' @export
image_data_generator <- function(featurewise_center = FALSE, samplewise_center = FALSE,
                                 featurewise_std_normalization = FALSE,
                                 samplewise_std_normalization = FALSE, zca_whitening = FALSE,
                                 zca_epsilon = 1e-6, rotation_range = 0, width_shift_range = 0,
                                 height_shift_range = 0, brightness_range = NULL,
                                 shear_range = 0, zoom_range = 0, channel_shift_range = 0,
                                 fill_mode = "nearest", cval = 0, horizontal_flip = FALSE,
                                 vertical_flip = FALSE, rescale = NULL,
                                 preprocessing_function = NULL, data_format = NULL,
                                 validation_split = 0) {
  shift <- function(x, arg) {
    if (!is.numeric(x) || length(x) < 1 || anyNA(x) || any(!is.finite(x)) || any(x < 0)) {
      tb_arg_error(arg, "non-negative numbers (a fraction < 1, or pixels)", x)
    }
    if (length(x) == 1) as.double(x) else as.list(as.double(x))
  }
  pair <- function(x, arg, null_ok = FALSE) {
    if (is.null(x) && null_ok) return(NULL)
    lens <- if (arg == "zoom_range") 1:2 else 2L
    if (!is.numeric(x) || !(length(x) %in% lens) || anyNA(x) || any(!is.finite(x)) ||
        any(x < 0)) {
      tb_arg_error(arg, if (arg == "zoom_range") "one or two non-negative numbers" else
        "two non-negative numbers (lower, upper)", x)
    }
    if (length(x) == 1) as.double(x) else as.list(as.double(x))
  }
  tb_image_call("ImageDataGenerator", list(
    featurewise_center = check_flag(featurewise_center),
    samplewise_center = check_flag(samplewise_center),
    featurewise_std_normalization = check_flag(featurewise_std_normalization),
    samplewise_std_normalization = check_flag(samplewise_std_normalization),
    zca_whitening = check_flag(zca_whitening),
    zca_epsilon = check_number(zca_epsilon, min = 0, min_open = TRUE),
    rotation_range = check_number(rotation_range, min = 0, max = 360),
    width_shift_range = shift(width_shift_range, "width_shift_range"),
    height_shift_range = shift(height_shift_range, "height_shift_range"),
    brightness_range = pair(brightness_range, "brightness_range", null_ok = TRUE),
    shear_range = check_number(shear_range, min = 0),
    zoom_range = pair(zoom_range, "zoom_range"),
    channel_shift_range = check_number(channel_shift_range, min = 0),
    fill_mode = check_string(fill_mode, choices = c("constant", "nearest", "reflect", "wrap")),
    cval = check_number(cval),
    horizontal_flip = check_flag(horizontal_flip), vertical_flip = check_flag(vertical_flip),
    rescale = check_number(rescale, null_ok = TRUE),
    preprocessing_function = check_function(preprocessing_function, null_ok = TRUE),
    data_format = check_data_format(data_format),
    validation_split = check_number(validation_split, min = 0, max = 1, max_open = TRUE)))
}

#' @rdname image_data_generator
#' @param object An image data generator.
#' @param x Images: an array (samples, height, width, channels).
#' @param augment Compute the statistics on randomly transformed images.
#' @param rounds With `augment`, how many transformed copies of `x` to use.
#' @param seed `NULL` or a random seed (a whole number >= 0).
#' @export
fit_image_data_generator <- function(object, x, augment = FALSE, rounds = 1, seed = NULL) {
  check_generator(object)
  tb_method(object, "fit", check_image_array(x, ranks = 4L), augment = check_flag(augment),
            rounds = check_count(rounds), seed = check_seed(seed))
  invisible(object)
}

flow_common <- function(batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
                        subset) {
  list(batch_size = check_count(batch_size), shuffle = check_flag(shuffle),
       seed = check_seed(seed), save_to_dir = check_path(save_to_dir, null_ok = TRUE),
       save_prefix = check_string(save_prefix),
       save_format = check_string(save_format, choices = c("png", "jpeg", "jpg", "bmp")),
       subset = check_string(subset, choices = c("training", "validation"), null_ok = TRUE))
}

#' Batches of images for fit(): from arrays, folders or data frames (keras 2)
#'
#' Each returns an iterator of batches `list(x, y)` (or `x` alone without
#' labels): `length(it)` batches make an epoch, each image transformed by the
#' `generator`; the order is reshuffled after every epoch. Give the iterator
#' to `fit()`, `evaluate()` or `predict()` (with `steps_per_epoch` or `steps`
#' if fewer batches than an epoch are wanted); `generator_next()` pulls the
#' next batch. Images are read from the files batch by batch.
#'
#' `flow_images_from_directory()` reads `directory/<class>/*.png` (also jpg,
#' jpeg, bmp, ppm, tif, tiff): the classes are the subfolders in alphabetical
#' order (or `classes`), labels their indices.
#'
#' @param x Images: an array (samples, height, width, channels).
#' @param y `NULL` or labels (a vector or array with one row per image).
#' @param generator An [image_data_generator()].
#' @param batch_size Images per batch.
#' @param shuffle Shuffle the images (again each epoch).
#' @param sample_weight `NULL` or a weight per image.
#' @param seed `NULL` or a random seed for the shuffling and transforms.
#' @param save_to_dir `NULL` or a folder to write the transformed images to.
#' @param save_prefix,save_format File name prefix and format of saved images.
#' @param subset `NULL`, `"training"` or `"validation"` (the generator's
#'   `validation_split` sets the size of the validation part).
#' @return An iterator of batches; `length()` of it is the number of
#'   batches in an epoch (as `steps_per_epoch`).
#' @family image preprocessing
#' @examples
#' if (tb_available()) {
#'   x <- array(runif(10 * 4 * 4 * 3, 0, 255), c(10, 4, 4, 3))
#'   it <- flow_images_from_data(x, y = 1:10, batch_size = 5, shuffle = FALSE)
#'   length(it)
#' }
#' @export
flow_images_from_data <- function(x, y = NULL, generator = image_data_generator(),
                                  batch_size = 32, shuffle = TRUE, sample_weight = NULL,
                                  seed = NULL, save_to_dir = NULL, save_prefix = "",
                                  save_format = "png", subset = NULL) {
  x <- check_image_array(x, ranks = 4L)
  if (!is.null(y)) {
    y <- if (is.factor(y)) as.integer(y) - 1L else y
    if (!(is.numeric(y) || is.logical(y)) || anyNA(y) || NROW(y) != dim(x)[[1]]) {
      tb_arg_error("y", paste0("NULL or numeric labels, one per image (", dim(x)[[1]], ")"), y)
    }
  }
  if (!is.null(sample_weight) && (!is.numeric(sample_weight) || anyNA(sample_weight) ||
                                  length(sample_weight) != dim(x)[[1]])) {
    tb_arg_error("sample_weight", paste0("NULL or one number per image (", dim(x)[[1]], ")"),
                 sample_weight)
  }
  check_generator(generator)
  args <- c(list(x = x, y = y), flow_common(batch_size, shuffle, seed, save_to_dir,
                                            save_prefix, save_format, subset),
            list(sample_weight = sample_weight))
  do.call(tb_method, c(list(generator, "flow"), args))
}

#' @rdname flow_images_from_data
#' @param directory Folder with one subfolder of images per class.
#' @param target_size `c(height, width)` the images are resized to.
#' @param color_mode `"rgb"`, `"grayscale"` or `"rgba"`.
#' @param classes `NULL` (every subfolder) or the class subfolders to use, in
#'   the order of their label indices.
#' @param class_mode `"categorical"` (one-hot labels), `"binary"` (0/1),
#'   `"sparse"` (class indices), `"input"` (the images themselves) or `NULL`
#'   (no labels).
#' @param follow_links Follow symbolic links to subfolders.
#' @param interpolation Resampling filter when resizing: `"nearest"`,
#'   `"bilinear"`, `"bicubic"`, `"lanczos"`, `"box"` or `"hamming"`.
#' @export
flow_images_from_directory <- function(directory, generator = image_data_generator(),
                                       target_size = c(256, 256), color_mode = "rgb",
                                       classes = NULL, class_mode = "categorical",
                                       batch_size = 32, shuffle = TRUE, seed = NULL,
                                       save_to_dir = NULL, save_prefix = "",
                                       save_format = "png", follow_links = FALSE,
                                       subset = NULL, interpolation = "nearest") {
  check_generator(generator)
  args <- c(list(directory = check_path(directory), target_size = check_size2(target_size),
                 color_mode = check_color_mode(color_mode),
                 classes = if (is.null(classes)) NULL else as.list(check_strings(classes)),
                 class_mode = check_string(class_mode, choices = c("categorical", "binary",
                                                                   "sparse", "input"),
                                           null_ok = TRUE)),
            flow_common(batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
                        subset),
            list(follow_links = check_flag(follow_links),
                 interpolation = check_string(interpolation, choices = c(
                   "nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"))))
  do.call(tb_method, c(list(generator, "flow_from_directory"), args))
}

#' @rdname flow_images_from_data
#' @param dataframe A data frame with the file names (column `x_col`) and,
#'   for the class modes that need them, the labels (column `y_col`).
#' @param x_col Column of file names (relative to `directory`, or absolute
#'   paths when `directory` is `NULL`).
#' @param y_col Column (or columns) of the labels.
#' @param drop_duplicates Ignored (deprecated in keras).
#' @export
flow_images_from_dataframe <- function(dataframe, directory = NULL, x_col = "filename",
                                       y_col = "class", generator = image_data_generator(),
                                       target_size = c(256, 256), color_mode = "rgb",
                                       classes = NULL, class_mode = "categorical",
                                       batch_size = 32, shuffle = TRUE, seed = NULL,
                                       save_to_dir = NULL, save_prefix = "",
                                       save_format = "png", subset = NULL,
                                       interpolation = "nearest", drop_duplicates = NULL) {
  if (!is.data.frame(dataframe)) tb_arg_error("dataframe", "a data frame", dataframe)
  check_generator(generator)
  dataframe <- as.data.frame(lapply(dataframe, function(col) {
    if (is.factor(col)) as.character(col) else col
  }), stringsAsFactors = FALSE, optional = TRUE)
  args <- c(list(dataframe = dataframe, directory = check_path(directory, null_ok = TRUE),
                 x_col = check_string(x_col),
                 y_col = if (length(y_col) == 1) check_string(y_col) else
                   as.list(check_strings(y_col)),
                 target_size = check_size2(target_size),
                 color_mode = check_color_mode(color_mode),
                 classes = if (is.null(classes)) NULL else as.list(check_strings(classes)),
                 class_mode = check_string(class_mode, choices = c(
                   "categorical", "binary", "sparse", "input", "other", "raw",
                   "multi_output"), null_ok = TRUE)),
            flow_common(batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
                        subset),
            list(interpolation = check_string(interpolation, choices = c(
              "nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"))))
  do.call(tb_method, c(list(generator, "flow_from_dataframe"), args))
}

check_labels_arg <- function(labels) {
  if (is.null(labels) || identical(labels, "inferred")) return(labels)
  if (!tb_is_whole(labels, 0, tb_int_max) || length(labels) == 0 || !is.null(dim(labels))) {
    tb_arg_error("labels", "\"inferred\", NULL, or whole numbers >= 0 (one per file)", labels)
  }
  as.list(as.integer(labels))
}

#' Datasets of image or text files in class folders
#'
#' A dataset of batches `list(images, labels)` read from
#' `directory/<class>/<file>`: the classes are the subfolders in alphabetical
#' order (or `class_names`), a label is its class's index (from 0, as keras).
#' Files are decoded batch by batch, ahead of training: 8-bit PNG files by
#' libspng, other formats by Pillow. Folders of 2000 images or more are
#' decoded in worker processes, several batches at once, while R goes on (one
#' per core, at most 4; set the environment variable
#' `TENSORBRIDGE_IMAGE_WORKERS` to choose how many, `0` to decode in R's own
#' process). Images are float32 arrays (batch, height, width, channels) with
#' values 0-255; texts are character vectors.
#'
#' @param directory Folder with one subfolder per class (or, with `labels`
#'   not `"inferred"`, any folder of files).
#' @param labels `"inferred"` (from the subfolders), `NULL` (no labels) or
#'   whole numbers, one per file in the alphabetical order of their paths.
#' @param label_mode `"int"` (class indices), `"categorical"` (one-hot),
#'   `"binary"` (0/1, two classes) or `NULL` (no labels).
#' @param class_names `NULL` or the class subfolders in the order of their
#'   label indices.
#' @param color_mode `"rgb"`, `"grayscale"` or `"rgba"`.
#' @param batch_size Files per batch (`NULL`: single elements, no batches).
#' @param image_size `c(height, width)` the images are resized to.
#' @param shuffle Shuffle the files (with `FALSE`, alphabetical order).
#' @param seed `NULL` or a random seed (needed with `validation_split` and
#'   `shuffle`).
#' @param validation_split `NULL` or the fraction of files kept for
#'   validation (between 0 and 1).
#' @param subset `"training"`, `"validation"` or `"both"` (a list of the two
#'   datasets), with `validation_split`.
#' @param interpolation Resampling filter when resizing, with
#'   `tf$image$resize()`'s semantics (TensorFlow's kernels, half-pixel
#'   centres, no antialiasing): `"bilinear"`, `"nearest"`, `"bicubic"`,
#'   `"area"`, `"lanczos3"`, `"lanczos5"`, `"gaussian"` or `"mitchellcubic"`.
#' @param follow_links Follow symbolic links to subfolders.
#' @param crop_to_aspect_ratio Crop the images' centres to the target's aspect
#'   ratio before resizing, instead of distorting them.
#' @param ... Not used (keras R's legacy arguments); must be empty.
#' @return A dataset (a list of two with `subset = "both"`); its
#'   `$class_names` and `$file_paths` name the classes and files.
#' @family image preprocessing
#' @examples
#' if (tb_available()) {
#'   dir <- file.path(tempdir(), "shapes")
#'   for (cls in c("a", "b")) {
#'     dir.create(file.path(dir, cls), recursive = TRUE, showWarnings = FALSE)
#'     image_array_save(array(runif(8 * 8 * 3), c(8, 8, 3)), file.path(dir, cls, "1.png"))
#'   }
#'   ds <- image_dataset_from_directory(dir, image_size = c(8, 8), batch_size = 2)
#'   ds$class_names
#' }
#' @export
image_dataset_from_directory <- function(directory, labels = "inferred", label_mode = "int",
                                         class_names = NULL, color_mode = "rgb",
                                         batch_size = 32, image_size = c(256, 256),
                                         shuffle = TRUE, seed = NULL, validation_split = NULL,
                                         subset = NULL, interpolation = "bilinear",
                                         follow_links = FALSE, crop_to_aspect_ratio = FALSE,
                                         ...) {
  check_dots_empty(...)
  tb_image_call("image_dataset_from_directory", list(
    directory = check_path(directory), labels = check_labels_arg(labels),
    label_mode = check_string(label_mode, choices = c("int", "categorical", "binary"),
                              null_ok = TRUE),
    class_names = if (is.null(class_names)) NULL else as.list(check_strings(class_names)),
    color_mode = check_color_mode(color_mode),
    batch_size = check_count(batch_size, null_ok = TRUE),
    image_size = check_size2(image_size), shuffle = check_flag(shuffle),
    seed = check_seed(seed), validation_split = check_validation_split(validation_split),
    subset = check_string(subset, choices = c("training", "validation", "both"),
                          null_ok = TRUE),
    interpolation = check_string(interpolation, choices = c(
      "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
      "mitchellcubic")),
    follow_links = check_flag(follow_links),
    crop_to_aspect_ratio = check_flag(crop_to_aspect_ratio)))
}

#' @rdname image_dataset_from_directory
#' @param max_length `NULL` or the number of characters texts are cut to.
#' @export
text_dataset_from_directory <- function(directory, labels = "inferred", label_mode = "int",
                                        class_names = NULL, batch_size = 32L,
                                        max_length = NULL, shuffle = TRUE, seed = NULL,
                                        validation_split = NULL, subset = NULL,
                                        follow_links = FALSE, ...) {
  check_dots_empty(...)
  tb_image_call("text_dataset_from_directory", list(
    directory = check_path(directory), labels = check_labels_arg(labels),
    label_mode = check_string(label_mode, choices = c("int", "categorical", "binary"),
                              null_ok = TRUE),
    class_names = if (is.null(class_names)) NULL else as.list(check_strings(class_names)),
    batch_size = check_count(batch_size, null_ok = TRUE),
    max_length = check_count(max_length, null_ok = TRUE), shuffle = check_flag(shuffle),
    seed = check_seed(seed), validation_split = check_validation_split(validation_split),
    subset = check_string(subset, choices = c("training", "validation", "both"),
                          null_ok = TRUE),
    follow_links = check_flag(follow_links)))
}

#' Dataset of sliding windows over a time series
#'
#' Windows of `sequence_length` time steps, `sampling_rate` steps apart,
#' starting every `sequence_stride` steps; with `targets`, each window comes
#' with the target of its first time step (`targets[i]` for the window that
#' starts at `data[i]`), as in keras.
#'
#' @param data A vector, matrix or array with time along its first dimension.
#' @param targets `NULL` or targets, one per time step of `data`.
#' @param sequence_length Time steps per window.
#' @param sequence_stride Time steps between the starts of two windows.
#' @param sampling_rate Time steps between two steps of a window.
#' @param batch_size Windows per batch (`NULL`: single windows).
#' @param shuffle Shuffle the windows.
#' @param ... Not used; must be empty.
#' @param seed `NULL` or a random seed for the shuffling.
#' @param start_index,end_index `NULL` or the first and last time step (from
#'   1, inclusive) that windows may use.
#' @return A dataset of batches `list(windows, targets)` (windows alone
#'   without `targets`): windows are (batch, sequence_length, ...) arrays.
#' @family image preprocessing
#' @examples
#' if (tb_available()) {
#'   ds <- timeseries_dataset_from_array(1:10, NULL, sequence_length = 3, batch_size = 4)
#' }
#' @export
timeseries_dataset_from_array <- function(data, targets, sequence_length, sequence_stride = 1L,
                                          sampling_rate = 1L, batch_size = 128L,
                                          shuffle = FALSE, ..., seed = NULL,
                                          start_index = NULL, end_index = NULL) {
  check_dots_empty(...)
  series <- function(x, arg) {
    ok <- (is.numeric(x) || is.logical(x)) && !is.factor(x) && !is.data.frame(x) &&
      length(x) > 0 && !anyNA(x)
    if (!ok) tb_arg_error(arg, "a numeric vector, matrix or array without NA", x)
    if (is.logical(x)) storage.mode(x) <- "integer"
    if (is.null(dim(x))) as.array(x) else x
  }
  data <- series(data, "data")
  if (!is.null(targets)) targets <- series(targets, "targets")
  n <- NROW(data)
  start_index <- check_count(start_index, max = n, null_ok = TRUE)
  end_index <- check_count(end_index, max = n, null_ok = TRUE)
  tb_image_call("timeseries_dataset_from_array", list(
    data = data, targets = targets, sequence_length = check_count(sequence_length),
    sequence_stride = check_count(sequence_stride), sampling_rate = check_count(sampling_rate),
    batch_size = check_count(batch_size, null_ok = TRUE), shuffle = check_flag(shuffle),
    seed = check_seed(seed),
    start_index = if (is.null(start_index)) NULL else start_index - 1L,
    end_index = end_index))
}

#' @export
length.tensorbridge.engine.keras.image.Iterator <- function(x) {
  tb_method(x, "__len__")
}
