# A DCGAN-style generative adversarial network on Fashion-MNIST, written the
# way keras R users override a training step: a convolutional generator and
# discriminator, and a GAN model class (new_model_class()) with its own
# compile(d_optimizer, g_optimizer, loss_fn) and a train_step() with two
# GradientTapes and two optimizers: the discriminator learns to tell real from
# generated images, then the generator learns to fool it. Kept small so that
# it trains on a CPU. Offline.
#   Rscript examples/dcgan.R
# Environment: EPOCHS (default 5), SAMPLES (training images, default 4000),
# OUTPUT (optional: an .rds file with the history, the weights before and
# after training, generated images and the discriminator's verdicts on a
# fixed batch).
# Defaults (5 epochs on 4000 images, batch 64): the losses settle around
# d_loss 0.47 and g_loss 1.27 (the last epoch); afterwards the discriminator
# gives real images 0.37 and generated ones 0.70 on average (1 = generated):
# it still tells them apart, as expected this early. 4 minutes on a 2-core
# machine with one BLAS thread.
library(tensorbridge)

epochs <- as.integer(Sys.getenv("EPOCHS", "5"))
samples <- as.integer(Sys.getenv("SAMPLES", "4000"))
output <- Sys.getenv("OUTPUT", "")
latent_dim <- 64L

set.seed(1)
tf$random$set_seed(1L)
fashion <- dataset_fashion_mnist()
rows <- sample(nrow(fashion$train$x), samples)
x_train <- array_reshape(fashion$train$x[rows, , ] / 255, c(samples, 28, 28, 1))

discriminator <- keras_model_sequential(name = "discriminator", input_shape = c(28, 28, 1)) %>%
  layer_conv_2d(32, 3, strides = 2, padding = "same") %>%
  layer_activation_leaky_relu(alpha = 0.2) %>%
  layer_conv_2d(64, 3, strides = 2, padding = "same") %>%
  layer_activation_leaky_relu(alpha = 0.2) %>%
  layer_flatten() %>%
  layer_dropout(0.2) %>%
  layer_dense(1, activation = "sigmoid")

generator <- keras_model_sequential(name = "generator", input_shape = latent_dim) %>%
  layer_dense(7 * 7 * 64) %>%
  layer_activation_leaky_relu(alpha = 0.2) %>%
  layer_reshape(c(7, 7, 64)) %>%
  layer_conv_2d_transpose(64, 4, strides = 2, padding = "same") %>%
  layer_activation_leaky_relu(alpha = 0.2) %>%
  layer_conv_2d_transpose(32, 4, strides = 2, padding = "same") %>%
  layer_activation_leaky_relu(alpha = 0.2) %>%
  layer_conv_2d(1, 5, padding = "same", activation = "sigmoid")

gan_model <- new_model_class(
  "GAN",
  initialize = function(discriminator, generator, latent_dim, ...) {
    super$initialize(...)
    self$discriminator <- discriminator
    self$generator <- generator
    self$latent_dim <- as.integer(latent_dim)
    self$d_loss_metric <- keras$metrics$Mean(name = "d_loss")
    self$g_loss_metric <- keras$metrics$Mean(name = "g_loss")
  },
  # the discriminator's verdict on the images (fit() runs it once to build the model)
  call = function(inputs) self$discriminator(inputs),
  compile = function(d_optimizer, g_optimizer, loss_fn) {
    super$compile()
    self$d_optimizer <- d_optimizer
    self$g_optimizer <- g_optimizer
    self$loss_fn <- loss_fn
  },
  metrics = function() list(self$d_loss_metric, self$g_loss_metric),
  train_step = function(real_images) {
    batch_size <- tf$shape(real_images)[1]

    # the discriminator: generated images are labelled 1, real ones 0, with
    # a little noise on the labels (a known trick that steadies training)
    latent <- tf$random$normal(shape = c(batch_size, self$latent_dim))
    generated_images <- self$generator(latent)
    combined_images <- tf$concat(list(generated_images, real_images), axis = 0L)
    labels <- tf$concat(list(tf$ones(c(batch_size, 1L)), tf$zeros(c(batch_size, 1L))),
                        axis = 0L)
    labels <- labels + 0.05 * tf$random$uniform(tf$shape(labels))
    with(tf$GradientTape() %as% tape, {
      predictions <- self$discriminator(combined_images, training = TRUE)
      d_loss <- self$loss_fn(labels, predictions)
    })
    grads <- tape$gradient(d_loss, self$discriminator$trainable_weights)
    self$d_optimizer$apply_gradients(zip_lists(grads, self$discriminator$trainable_weights))

    # the generator: new images the discriminator should call real (0); only
    # the generator's weights move
    latent <- tf$random$normal(shape = c(batch_size, self$latent_dim))
    misleading_labels <- tf$zeros(c(batch_size, 1L))
    with(tf$GradientTape() %as% tape, {
      predictions <- self$discriminator(self$generator(latent, training = TRUE))
      g_loss <- self$loss_fn(misleading_labels, predictions)
    })
    grads <- tape$gradient(g_loss, self$generator$trainable_weights)
    self$g_optimizer$apply_gradients(zip_lists(grads, self$generator$trainable_weights))

    self$d_loss_metric$update_state(d_loss)
    self$g_loss_metric$update_state(g_loss)
    list(d_loss = self$d_loss_metric$result(), g_loss = self$g_loss_metric$result())
  }
)

gan <- gan_model(discriminator = discriminator, generator = generator, latent_dim = latent_dim)
gan %>% compile(
  d_optimizer = optimizer_adam(learning_rate = 0.0003),
  g_optimizer = optimizer_adam(learning_rate = 0.0003),
  loss_fn = loss_binary_crossentropy()
)
weights_before <- list(discriminator = get_weights(discriminator),
                       generator = get_weights(generator))
# no targets: train_step() gets the images alone
history <- gan %>% fit(x_train, epochs = epochs, batch_size = 64)

# the discriminator on 256 real images and 256 new generated ones
latent <- matrix(rnorm(256 * latent_dim), 256)
fake <- predict(generator, latent, verbose = 0)
real <- x_train[seq_len(min(256, samples)), , , , drop = FALSE]
d_fake <- predict(discriminator, fake, verbose = 0)
d_real <- predict(discriminator, real, verbose = 0)
cat(sprintf("final losses: discriminator %.4f, generator %.4f\n",
            tail(history$metrics$d_loss, 1), tail(history$metrics$g_loss, 1)))
cat(sprintf("discriminator's mean output (1 = generated): real images %.3f, generated %.3f\n",
            mean(d_real), mean(d_fake)))
# the loss the discriminator's step minimises, on these images without label noise
probe_loss <- as.vector(as.array(gan$loss_fn(
  as_tensor(rbind(matrix(1, nrow(d_fake), 1), matrix(0, nrow(d_real), 1)), dtype = "float32"),
  as_tensor(rbind(d_fake, d_real), dtype = "float32"))))
cat(sprintf("discriminator loss on them: %.4f\n", probe_loss))

if (nzchar(output)) {
  saveRDS(list(history = history$metrics, weights_before = weights_before,
               weights_after = list(discriminator = get_weights(discriminator),
                                    generator = get_weights(generator)),
               fake = fake, d_fake = d_fake, d_real = d_real, probe_loss = probe_loss),
          output)
}
