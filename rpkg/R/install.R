#' Install the Python half of tensorbridge
#'
#' Creates a virtualenv (by default `~/.virtualenvs/r-tensorbridge`,
#' reticulate's convention) and installs into it the Python package that
#' ships inside this R package (so both halves always match), numpy, pandas
#' and an rpy2 release that works with the running R; with `gpu = TRUE` also
#' the cupy wheel for the CUDA version found on this machine. Running it
#' again is safe: an existing environment is reused and brought up to date.
#'
#' @param envname Name of the virtualenv (under `WORKON_HOME` or
#'   `~/.virtualenvs`), or a path containing `/`.
#' @param python The Python interpreter to create it with; by default the
#'   first `python3` on the `PATH` that has a shared libpython (reticulate
#'   needs one).
#' @param gpu Also install cupy for the machine's CUDA version.
#' @param ... Further arguments passed to `pip install` (character).
#' @return The path of the virtualenv's Python, invisibly.
#' @examples
#' \dontrun{
#' install_tensorbridge()
#' install_tensorbridge(gpu = TRUE)
#' }
#' @export
install_tensorbridge <- function(envname = "r-tensorbridge", python = NULL, gpu = FALSE, ...) {
  env_python <- tb_virtualenv_python(envname)
  env_dir <- dirname(dirname(env_python))
  source_dir <- system.file("python", package = "tensorbridge")
  if (!nzchar(source_dir) || !file.exists(file.path(source_dir, "pyproject.toml"))) {
    stop("this build of tensorbridge does not carry its Python half (inst/python); ",
         "reinstall the R package from a tarball made with `R CMD build`", call. = FALSE)
  }

  step <- function(what, command, args) {
    message("==> ", what)
    status <- system2(command, shQuote(args), env = tb_python_subprocess_env())
    if (!identical(status, 0L)) {
      stop("install_tensorbridge(): step '", what, "' failed (exit status ", status,
           "). Fix the problem shown above and run install_tensorbridge() again; ",
           "to start from scratch, delete ", env_dir, " first.", call. = FALSE)
    }
  }

  if (!file.exists(env_python)) {
    base <- if (is.null(python)) tb_find_base_python() else python
    step(paste("creating virtualenv", env_dir, "with", base), base, c("-m", "venv", env_dir))
  } else {
    message("==> reusing virtualenv ", env_dir)
  }
  pip <- c("-m", "pip", "install", "--disable-pip-version-check", ...)
  step("installing numpy, pandas and rpy2", env_python,
       c(pip, "numpy", "pandas", "pyyaml", "pillow", "pyspng", "pyarrow", "scipy",
         tb_rpy2_requirement()))
  step("installing the Python package tensorbridge", env_python, c(pip, source_dir))
  if (isTRUE(gpu)) {
    step("installing cupy", env_python, c(pip, tb_cupy_requirement()))
  }
  message("==> done: tensorbridge will use ", env_python)
  invisible(env_python)
}

# rpy2 3.6 needs symbols that R 4.2's libR lacks; 3.5.17 builds and works
# there. Newer R takes any release from 3.5.17 on that is known to work.
tb_rpy2_requirement <- function(r_version = getRversion()) {
  if (r_version < "4.3.0") "rpy2==3.5.17" else "rpy2>=3.5.17,<3.7"
}

tb_cupy_requirement <- function() {
  smi <- Sys.which("nvidia-smi")
  out <- if (nzchar(smi)) suppressWarnings(system2(smi, stdout = TRUE, stderr = TRUE)) else ""
  version <- regmatches(out, regexpr("CUDA Version: [0-9]+", out))
  if (length(version) == 0L) {
    stop("install_tensorbridge(gpu = TRUE): no CUDA driver was found (nvidia-smi ",
         "did not report a CUDA version). Install the NVIDIA driver, or use gpu = FALSE.",
         call. = FALSE)
  }
  major <- as.integer(sub("CUDA Version: ", "", version))
  if (major < 11L) {
    stop("install_tensorbridge(gpu = TRUE): CUDA ", major, " is too old for cupy; ",
         "cupy wheels exist for CUDA 11 and newer.", call. = FALSE)
  }
  sprintf("cupy-cuda%dx", min(major, 13L))
}

tb_find_base_python <- function() {
  candidates <- unique(Sys.which(c("python3", "python")))
  check <- "import sysconfig,os,sys; d=sysconfig.get_config_var('LIBDIR') or ''; l=sysconfig.get_config_var('LDLIBRARY') or ''; sys.exit(0 if sysconfig.get_config_var('Py_ENABLE_SHARED') or os.path.exists(os.path.join(d, l.replace('.a','.so'))) else 1)"
  for (candidate in candidates[nzchar(candidates)]) {
    status <- suppressWarnings(system2(candidate, c("-c", shQuote(check)), stdout = FALSE,
                                       stderr = FALSE, env = tb_python_subprocess_env()))
    if (identical(status, 0L)) return(candidate)
  }
  stop("install_tensorbridge(): no python3 with a shared libpython was found on the PATH; ",
       "install one (on Debian: apt-get install python3 python3-venv libpython3-dev) ",
       "or pass python = \"/path/to/python3\".", call. = FALSE)
}

# R's launcher puts R's library directories, and the system's, first on
# LD_LIBRARY_PATH. A Python started from R would then load the system's
# libpython instead of its own (a pyenv Python's extension modules then fail
# to import), so Python subprocesses run without it.
tb_python_subprocess_env <- function() "LD_LIBRARY_PATH="
