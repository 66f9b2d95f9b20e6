# make demo: start R, load tensorbridge, reach the Python engine through rpy2,
# round-trip R arrays and show what happened.
library(tensorbridge)

cat("== the Python side ==\n")
print(tb_config())

cat("\n== an R double matrix becomes an engine tensor (a view of R's memory) ==\n")
x <- matrix(c(1.5, -2, 3.25, 4, 5, 6.5), nrow = 2)
t <- as_tensor(x)
print(t)
cat("dim(t):", dim(t), " length(t):", length(t), "\n")
# R's own address of x's data versus the address the engine's tensor reads.
same_memory <- tb_call("bridge.api.buffer_address", t) == tensorbridge:::tb_data_address(x)
cat("tensor data at the same address as R's matrix (zero-copy):", same_memory, "\n")
back <- as.array(t)
cat("as.array(t) identical to x:", identical(back, x), "\n")

cat("\n== an R integer array keeps type and element order ==\n")
a <- array(1:24, dim = c(2, 3, 4))
ta <- as_tensor(a)
print(ta)
cat("x[2, 3, 4] in R:", a[2, 3, 4], " element [1, 2, 3] in Python:",
    tb_call("bridge.api.element", ta, 1L, 2L, 3L), "\n")
cat("round trip identical:", identical(as.array(ta), a), "\n")

cat("\n== a cast happens only when asked for ==\n")
print(as_tensor(x, dtype = "float32"))

stopifnot(identical(back, x), identical(as.array(ta), a), same_memory)
cat("\nround trip OK\n")
