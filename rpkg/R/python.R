# Finding and starting Python, and attaching the bridge.

tb_virtualenv_root <- function() {
  root <- Sys.getenv("RETICULATE_VIRTUALENV_ROOT", Sys.getenv("WORKON_HOME", ""))
  if (!nzchar(root)) root <- file.path(path.expand("~"), ".virtualenvs")
  root
}

tb_virtualenv_python <- function(envname = "r-tensorbridge") {
  path <- if (grepl("/", envname, fixed = TRUE)) envname else
    file.path(tb_virtualenv_root(), envname)
  file.path(path, "bin", "python")
}

# The interpreter to start when none runs in this process yet: option
# tensorbridge.python, env TENSORBRIDGE_PYTHON, then the virtualenv made by
# install_tensorbridge().
tb_find_python <- function() {
  candidates <- c(
    getOption("tensorbridge.python", ""),
    Sys.getenv("TENSORBRIDGE_PYTHON", ""),
    tb_virtualenv_python()
  )
  for (candidate in candidates[nzchar(candidates)]) {
    if (file.exists(candidate)) return(path.expand(candidate))  # keep venv symlinks
  }
  stop(tb_condition(
    paste0(
      "no Python for tensorbridge was found (looked at option 'tensorbridge.python', ",
      "env TENSORBRIDGE_PYTHON and ", tb_virtualenv_python(), ").\n",
      "Run install_tensorbridge() once to set it up, or point ",
      "options(tensorbridge.python = \"/path/to/python\") at an interpreter ",
      "that has the Python package 'tensorbridge' installed."
    ),
    "tensorbridge_no_python"
  ))
}

tb_attach_code <- function(r_hosts) {
  sprintf("import tensorbridge.bridge.runtime as _tb_rt\n_tb_rt.attach(r_hosts=%s)\n",
          if (r_hosts) "True" else "False")
}

# Starts Python if needed and returns the session's bridge entry points.
tb_bridge <- function() {
  if (isTRUE(.tb_state$attached)) return(invisible(.tb_state))
  .tb_state$native_addresses <- .Call(tb_c_native_addresses)
  if (.Call(tb_c_python_in_process)) {
    # Python hosts (R embedded by rpy2), or another package already started
    # Python: use that interpreter.
    rc <- .Call(tb_c_python_run, tb_attach_code(r_hosts = !is.loaded(".Python")))
    if (rc != 0L) {
      stop(tb_condition(
        paste("the running Python interpreter could not load tensorbridge's bridge",
              "(its traceback is printed above); install the Python package",
              "'tensorbridge' into that interpreter"),
        "tensorbridge_no_python"
      ))
    }
  } else {
    python <- tb_find_python()
    # RETICULATE_PYTHON outranks everything in reticulate's search (even a
    # pyproject.toml in the working directory), so it is set while Python
    # starts, and restored afterwards.
    previous <- Sys.getenv("RETICULATE_PYTHON", unset = NA)
    Sys.setenv(RETICULATE_PYTHON = python)
    on.exit(if (is.na(previous)) Sys.unsetenv("RETICULATE_PYTHON") else
      Sys.setenv(RETICULATE_PYTHON = previous), add = TRUE)
    attached <- tryCatch({
      reticulate::py_run_string(tb_attach_code(r_hosts = TRUE), convert = FALSE)
      TRUE
    }, error = function(e) conditionMessage(e))
    if (!isTRUE(attached)) {
      stop(tb_condition(
        paste0("Python (", python, ") started but tensorbridge's bridge could not ",
               "be loaded: ", attached, "\nRun install_tensorbridge() to repair the ",
               "installation."),
        "tensorbridge_no_python"
      ))
    }
  }
  if (is.null(.tb_state$dispatch_address)) {
    stop(tb_condition("the Python bridge did not attach", "tensorbridge_no_python"))
  }
  .Call(tb_c_set_dispatch, .tb_state$dispatch_address, .tb_state$release_address,
        .tb_helpers$make_callable)
  .tb_state$attached <- TRUE
  invisible(.tb_state)
}

#' Is the Python half of tensorbridge available?
#'
#' Tries to start Python and the bridge (once per session) and reports
#' whether that worked, without raising an error.
#'
#' @return `TRUE` or `FALSE`.
#' @examples
#' tb_available()
#' @export
tb_available <- function() {
  tryCatch(!is.null(tb_bridge()), error = function(e) FALSE)
}
