# The bad-input tables (test-bad-input-*.R): each case is an R expression and
# the exact message a user must see (with `fixed = TRUE`, a part of it, only
# where the message carries a variable part such as a path). A case passes
# when evaluating it gives an R error of class tensorbridge_error with that
# message and none of Python's own spellings (SXP type codes, np., Traceback).

bad <- function(expr, message, fixed = FALSE) {
  list(expr = substitute(expr), message = message, fixed = fixed)
}

expect_bad_input <- function(case, env = new.env()) {
  label <- paste(deparse(case$expr, width.cutoff = 500L), collapse = " ")
  err <- tryCatch({
    eval(case$expr, env)
    NULL
  }, error = identity)
  if (is.null(err)) {
    fail(paste0(label, " was accepted; expected the error: ", case$message))
    return(invisible())
  }
  message <- conditionMessage(err)
  same <- if (case$fixed) grepl(case$message, message, fixed = TRUE) else
    identical(message, case$message)
  expect(inherits(err, "tensorbridge_error") && same &&
           !grepl("SXP|np\\.|Traceback", message),
         sprintf("%s\n  gave:     %s <%s>\n  expected: %s", label, message,
                 paste(class(err), collapse = "/"), case$message))
}

expect_bad_inputs <- function(cases, env = new.env()) {
  for (case in cases) expect_bad_input(case, env)
}
