# The examples of code keras R users write themselves (examples/vae.R,
# examples/dcgan.R, examples/custom_metric.R), each run at a tiny size in a
# fresh R process. Each writes what it computed to an .rds file (OUTPUT),
# and the numbers are checked against base R. The examples live in the
# repository, not in the installed package: the tests find them through
# TENSORBRIDGE_EXAMPLES (a folder) or from a checkout's rpkg/tests/testthat,
# and skip elsewhere (R CMD check of the built package).

examples_dir <- function() {
  dirs <- c(Sys.getenv("TENSORBRIDGE_EXAMPLES"), file.path("..", "..", "..", "examples"))
  for (dir in dirs[nzchar(dirs)]) {
    if (file.exists(file.path(dir, "vae.R"))) return(normalizePath(dir))
  }
  NULL
}

examples_state <- new.env()  # whether Fashion-MNIST loads, asked once

# Runs one example with the given environment; returns what it saved and printed.
run_example <- function(name, epochs = 1, samples = 256) {
  skip_if_no_python()
  dir <- examples_dir()
  skip_if(is.null(dir), "the examples/ folder of a checkout is not reachable")
  if (is.null(examples_state$fashion)) {
    examples_state$fashion <- !is.null(tryCatch(dataset_fashion_mnist(), error = function(e) NULL))
  }
  skip_if(!examples_state$fashion, "Fashion-MNIST is not available offline")
  out <- tempfile(fileext = ".rds")
  on.exit(unlink(out))
  env <- c(
    paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep)),
    paste0("TENSORBRIDGE_PYTHON=", Sys.getenv("TENSORBRIDGE_PYTHON")),
    "OPENBLAS_NUM_THREADS=1",
    paste0("EPOCHS=", epochs), paste0("SAMPLES=", samples), paste0("OUTPUT=", out)
  )
  printed <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"),
                                      shQuote(file.path(dir, name)),
                                      stdout = TRUE, stderr = TRUE, env = env))
  status <- attr(printed, "status")
  if (!is.null(status) && status != 0 || !file.exists(out)) {
    fail(paste0(name, " failed:\n", paste(utils::tail(printed, 20), collapse = "\n")))
    skip("the example did not finish")
  }
  list(result = readRDS(out), printed = printed)
}

test_that("examples/vae.R: the VAE's loss is the closed form, and training lowers it", {
  run <- run_example("vae.R", epochs = 1, samples = 512)
  r <- run$result
  # the model's losses on 64 test images against base R: binary cross-entropy
  # summed over the pixels plus the KL divergence of N(z_mean, exp(z_log_var))
  # from N(0, 1), both averaged over the images
  p <- pmin(pmax(r$decoded, 1e-7), 1 - 1e-7)
  bce <- -(r$probe * log(p) + (1 - r$probe) * log(1 - p))
  reconstruction <- mean(apply(bce, 1, sum))
  kl <- mean(rowSums(-0.5 * (1 + r$z_log_var - r$z_mean^2 - exp(r$z_log_var))))
  expect_equal(r$probe_loss$reconstruction, reconstruction, tolerance = 1e-5)
  expect_equal(r$probe_loss$kl, kl, tolerance = 1e-4)
  expect_equal(r$probe_loss$total, reconstruction + kl, tolerance = 1e-5)
  # the sampling layer's z = z_mean + exp(z_log_var / 2) * epsilon, epsilon
  # standard normal (128 draws: the bounds are about 4 standard errors)
  epsilon <- (r$z - r$z_mean) / exp(r$z_log_var / 2)
  expect_lt(abs(mean(epsilon)), 0.4)
  expect_gt(sd(epsilon), 0.7)
  expect_lt(sd(epsilon), 1.3)
  # the tracked metrics: the total is the sum of the two parts' epoch means
  expect_equal(r$history$total_loss, r$history$reconstruction_loss + r$history$kl_loss,
               tolerance = 1e-5)
  expect_true(all(is.finite(unlist(r$history))))
  # a few steps of Adam lower the loss on held-out images
  expect_lt(r$after$total, r$before$total)
  expect_true(any(grepl("total_loss: [0-9.]+ - reconstruction_loss: [0-9.]+ - kl_loss: [0-9.]+",
                        run$printed)))
})

test_that("examples/dcgan.R: two optimizers move both networks; its loss is base R's", {
  run <- run_example("dcgan.R", epochs = 1, samples = 256)
  r <- run$result
  expect_length(r$history$d_loss, 1)
  expect_true(all(is.finite(c(r$history$d_loss, r$history$g_loss))))
  # each optimizer changed every weight array of its own network
  for (net in c("discriminator", "generator")) {
    changed <- mapply(function(a, b) max(abs(a - b)) > 0,
                      r$weights_before[[net]], r$weights_after[[net]])
    expect_true(all(changed), label = paste(net, "weights all changed"))
  }
  # generated images: 28 x 28 x 1 from the generator's sigmoid
  expect_equal(dim(r$fake), c(256L, 28L, 28L, 1L))
  expect_true(all(r$fake >= 0 & r$fake <= 1))
  # the GAN's loss_fn (binary cross-entropy) on generated (1) and real (0) images
  p <- pmin(pmax(c(r$d_fake, r$d_real), 1e-7), 1 - 1e-7)
  y <- c(rep(1, length(r$d_fake)), rep(0, length(r$d_real)))
  expect_equal(r$probe_loss, mean(-(y * log(p) + (1 - y) * log(1 - p))), tolerance = 1e-5)
})

test_that("examples/custom_metric.R: the R metrics equal base R on the saved predictions", {
  run <- run_example("custom_metric.R", epochs = 1, samples = 1024)
  r <- run$result
  expect_true(all(c("true_class_prob", "confident_errors", "val_true_class_prob",
                    "val_confident_errors") %in% names(r$history)))
  expect_true(all(is.finite(unlist(r$history))))
  p <- r$predictions
  y <- r$y_test
  truth <- p[cbind(seq_along(y), y + 1)]
  predicted <- max.col(p, ties.method = "first") - 1
  expect_equal(r$scores$true_class_prob, mean(truth), tolerance = 1e-5)
  expect_equal(r$scores$confident_errors, mean(predicted != y & apply(p, 1, max) >= 0.8),
               tolerance = 1e-6)
  expect_equal(r$scores$accuracy, mean(predicted == y), tolerance = 1e-6)
  expect_equal(r$scores$loss, mean(-log(truth)), tolerance = 1e-5)
})
