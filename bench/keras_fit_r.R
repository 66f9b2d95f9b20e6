# fit() from R versus the same fit() timed inside Python: the demo network
# (mnist_mlp), one epoch on Fashion-MNIST's 60 000 training images, batch
# 128, float32. Run with `make bench-fit` (R hosts Python).
library(tensorbridge)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "mnist_mlp.R"))
data <- mnist_mlp_data()
x <- data$x
y <- data$y

model <- mnist_mlp()
invisible(model %>% fit(x, y, epochs = 1, batch_size = 128, verbose = 0))  # warm up

python_fit <- tensorbridge:::tb_getattr(model, "fit")
from_r <- from_python <- numeric()
for (i in 1:5) {  # interleaved, to share any load between both
  from_r[i] <- system.time(
    fit(model, x, y, epochs = 1, batch_size = 128, verbose = 0)
  )[["elapsed"]]
  from_python[i] <- tb_call("bridge.diagnostics.time_call", python_fit, x, y, epochs = 1L,
                            batch_size = 128L, verbose = 0L)
}
cat(sprintf("one epoch, fit() from R:        best %.3f s, median %.3f s\n",
            min(from_r), median(from_r)))
cat(sprintf("one epoch, model.fit() in Python: best %.3f s, median %.3f s\n",
            min(from_python), median(from_python)))
cat(sprintf("ratio R / Python: best %.3f, median %.3f\n",
            min(from_r) / min(from_python), median(from_r) / median(from_python)))
