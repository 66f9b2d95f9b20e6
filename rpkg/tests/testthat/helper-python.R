# Tests that need the Python half skip with a reason when it is not set up.
skip_if_no_python <- function() {
  if (!tb_available()) skip("the Python half of tensorbridge is not available")
}
