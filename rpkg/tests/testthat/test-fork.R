# Children of parallel::mclapply (C fork(), no Python fork hooks) must not repeat each other's
# engine random numbers or initial weights when no seed was set.
test_that("forked children draw different random numbers and initial weights", {
  skip_if_no_python()
  skip_on_os("windows")
  first <- as.array(tf$random$normal(list(3L)))  # the parent's stream exists before forking
  draw <- function(i) {
    model <- keras_model_sequential() %>% layer_dense(units = 3, input_shape = 2)
    list(normal = as.array(tf$random$normal(list(3L))),
         uniform = as.array(tf$random$uniform(list(3L))),
         kernel = get_weights(model)[[1]])
  }
  res <- parallel::mclapply(1:2, draw, mc.cores = 2)
  expect_false(any(vapply(res, inherits, logical(1), "try-error")))
  parent <- draw(0)
  for (key in c("normal", "uniform", "kernel")) {
    expect_length(res[[1]][[key]], if (key == "kernel") 6 else 3)
    expect_false(identical(res[[1]][[key]], res[[2]][[key]]), label = key)
    expect_false(identical(res[[1]][[key]], parent[[key]]), label = key)
    expect_false(identical(res[[2]][[key]], parent[[key]]), label = key)
  }
  expect_length(first, 3)
})
