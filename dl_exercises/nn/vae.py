"""Autoencoder and variational autoencoder for 28×28 images (Day3 Section5, オートエンコーダ / VAE).

Autoencoder: encoder x → z, decoder z → x̂, trained to reconstruct.
VAE: the encoder gives a Gaussian q(z|x) = N(μ, diag σ²); z = μ + σ ⊙ ε with
ε ~ N(0, I) (reparameterization, so gradients flow through μ and σ); the KL
term KL(q(z|x) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²) pushes the codes
towards the prior, so decoding z ~ N(0, I) gives plausible images.
Loss = reconstruction (Bernoulli cross-entropy summed over pixels) + KL = −ELBO.
"""

from __future__ import annotations

import keras
from keras import ops

PIXELS = 28 * 28


@keras.saving.register_keras_serializable(package="dlx")
class Sampling(keras.layers.Layer):
    """Reparameterization z = μ + exp(½ log σ²) ⊙ ε, ε ~ N(0, I) (Day3 Section5, VAE).

    Args:
        seed: seed of the noise generator.

    Call arguments:
        mean, log_var: (batch, latent_dim).

    Returns:
        z (batch, latent_dim).
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, mean_shape, log_var_shape=None):
        self.built = True

    def call(self, mean, log_var):
        eps = keras.random.normal(ops.shape(mean), dtype=self.compute_dtype, seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_var) * eps

    def compute_output_shape(self, mean_shape, log_var_shape=None):
        return mean_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlx")
class KLDivergence(keras.layers.Layer):
    """Adds β · mean over the batch of KL(N(μ, σ²) ‖ N(0, I)) to the model's losses; passes its inputs through.

    Args:
        beta: weight of the KL term (1 for the ELBO).

    Call arguments:
        mean, log_var: (batch, latent_dim).

    Returns:
        ``(mean, log_var)`` unchanged (so the layer sits on the path to the output).
    """

    def __init__(self, beta: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if beta < 0:
            raise ValueError(f"beta must be non-negative. Received: beta={beta}")
        self.beta = beta

    def build(self, mean_shape, log_var_shape=None):
        self.built = True

    def call(self, mean, log_var):
        kl = -0.5 * ops.sum(1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)
        self.add_loss(self.beta * ops.mean(kl))
        return mean, log_var

    def compute_output_shape(self, mean_shape, log_var_shape=None):
        return mean_shape, log_var_shape or mean_shape

    def get_config(self):
        return {**super().get_config(), "beta": self.beta}


def reconstruction_loss(y_true, logits):
    """Bernoulli cross-entropy summed over the 784 pixels, per image (nats)."""
    y_true = ops.reshape(ops.cast(y_true, logits.dtype), (-1, PIXELS))
    logits = ops.reshape(logits, (-1, PIXELS))
    return ops.sum(ops.binary_crossentropy(y_true, logits, from_logits=True), axis=-1)


def _decoder(latent_dim: int, hidden: int, name: str) -> keras.Model:
    z = keras.Input((latent_dim,), name=f"{name}_z")
    h = keras.layers.Dense(hidden, activation="relu", name=f"{name}_dec_hidden")(z)
    logits = keras.layers.Dense(PIXELS, name=f"{name}_dec_logits")(h)
    return keras.Model(z, keras.layers.Reshape((28, 28), name=f"{name}_dec_image")(logits), name=f"{name}_decoder")


def build_autoencoder(latent_dim: int = 32, hidden: int = 256, name: str = "ae") -> tuple[keras.Model, keras.Model, keras.Model]:
    """Dense autoencoder 784 → hidden → z → hidden → 784 logits (Day3 Section5).

    Args:
        latent_dim: size of z; hidden: hidden units; name: layer-name prefix.
    Returns:
        ``(autoencoder, encoder, decoder)``; the autoencoder maps (B, 28, 28) to logits (B, 28, 28).
    """
    if latent_dim < 1 or hidden < 1:
        raise ValueError(f"latent_dim and hidden must be positive. Received: latent_dim={latent_dim}, hidden={hidden}")
    x = keras.Input((28, 28), name=f"{name}_image")
    h = keras.layers.Dense(hidden, activation="relu", name=f"{name}_enc_hidden")(keras.layers.Flatten(name=f"{name}_flatten")(x))
    z = keras.layers.Dense(latent_dim, name=f"{name}_enc_z")(h)
    encoder = keras.Model(x, z, name=f"{name}_encoder")
    decoder = _decoder(latent_dim, hidden, name)
    return keras.Model(x, decoder(encoder(x)), name=name), encoder, decoder


def build_vae(latent_dim: int = 2, hidden: int = 256, beta: float = 1.0, seed: int | None = None, name: str = "vae"):
    """Dense VAE with reparameterization and the KL term as a layer loss (Day3 Section5, VAE).

    Args:
        latent_dim: size of z; hidden: hidden units; beta: KL weight; seed: sampling seed; name: prefix.
    Returns:
        ``(vae, encoder, decoder)``: ``vae(x)`` gives reconstruction logits (B, 28, 28) and adds the KL loss;
        ``encoder(x)`` gives ``[mean, log_var]``; ``decoder(z)`` gives logits.
    """
    if latent_dim < 1 or hidden < 1:
        raise ValueError(f"latent_dim and hidden must be positive. Received: latent_dim={latent_dim}, hidden={hidden}")
    x = keras.Input((28, 28), name=f"{name}_image")
    h = keras.layers.Dense(hidden, activation="relu", name=f"{name}_enc_hidden")(keras.layers.Flatten(name=f"{name}_flatten")(x))
    mean = keras.layers.Dense(latent_dim, name=f"{name}_z_mean")(h)
    log_var = keras.layers.Dense(latent_dim, name=f"{name}_z_log_var")(h)
    encoder = keras.Model(x, [mean, log_var], name=f"{name}_encoder")
    decoder = _decoder(latent_dim, hidden, name)
    m, lv = encoder(x)
    m, lv = KLDivergence(beta, name=f"{name}_kl")(m, lv)
    z = Sampling(seed, name=f"{name}_sampling")(m, lv)
    return keras.Model(x, decoder(z), name=name), encoder, decoder
