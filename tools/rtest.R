# Runs the package's testthat suite against the installed package, then
# repeats every failure and error, one short block each, after the run: a log
# cut to its last lines still names what failed.
results <- testthat::test_dir("rpkg/tests/testthat", package = "tensorbridge",
                              load_package = "installed",
                              stop_on_failure = FALSE)

failed <- list()
for (test in results) {
  for (outcome in test$results) {
    if (inherits(outcome, c("expectation_failure", "expectation_error"))) {
      failed[[length(failed) + 1L]] <- sprintf(
        "-- %s: %s\n%s", test$file, test$test,
        paste(head(strsplit(conditionMessage(outcome), "\n")[[1]], 12L),
              collapse = "\n"))
    }
  }
}

if (length(failed)) {
  cat("\n== What failed (", length(failed), ") ==\n", sep = "")
  cat(unlist(failed), sep = "\n\n")
  quit(status = 1L)
}
