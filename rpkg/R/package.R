#' tensorbridge: deep learning and tensors from R
#'
#' Keras-, tfestimators- and tensorflow-style functions for R on a Python
#' tensor engine (numpy on the CPU, cupy on NVIDIA GPUs), reached through
#' rpy2. Loading the package does no Python work: Python starts on the first
#' call that needs it (see [tb_config()]); run [install_tensorbridge()] once
#' to set up the Python half.
#'
#' @keywords internal
#' @useDynLib tensorbridge, .registration = TRUE
"_PACKAGE"

# Session state: the address of the Python side's dispatch function, whether
# the bridge is attached, the last Python error.
.tb_state <- new.env(parent = emptyenv())

.onLoad <- function(libname, pkgname) {
  # Deliberately nothing that touches Python: library(tensorbridge) stays fast.
  invisible()
}
