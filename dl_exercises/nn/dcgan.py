"""DCGAN for 28×28 digits: an all-convolutional generator and discriminator, and the GAN's two-player game (Day4, GAN / DCGAN).

The game (Goodfellow et al. 2014): D maximises, G minimises

    V(D, G) = E_x~p_data[log D(x)] + E_z~p(z)[log(1 − D(G(z)))].

With D's output a logit ``l`` (D = σ(l)): log D = −softplus(−l) and
log(1 − D) = −softplus(l), so

- D's loss (−V, which D minimises): softplus(−l_real) + softplus(l_fake);
- G's minimax loss (V's G part, which G minimises): −softplus(l_fake) = log(1 − D(G(z)));
- G's non-saturating loss: softplus(−l_fake) = −log D(G(z)). Same fixed point, but
  its gradient is large exactly when D confidently rejects the fakes, where the
  minimax loss's gradient vanishes (log(1 − D) is flat near D = 0).

DCGAN's rules (Radford et al. 2016, as the course lists them), each one a layer
that ``model.summary()`` shows:

- no pooling: the generator upsamples with transposed convolutions
  (``Conv2DTranspose``, stride 2), the discriminator downsamples with strided
  convolutions;
- batch normalisation in both (not on the generator's output layer nor on the
  discriminator's input layer);
- generator: ReLU in every layer, tanh on the output (images in [−1, 1]);
- discriminator: LeakyReLU (slope 0.2);
- no fully connected hidden layers. The generator's first projection is a
  7×7 ``Conv2DTranspose`` of the latent vector seen as a 1×1 map with
  ``latent_dim`` channels (``valid`` padding → 7×7); the discriminator's last
  layer is a 7×7 ``valid`` convolution to one logit. (A 7×7 transposed conv of a
  1×1 map is the same linear map as the paper's "project and reshape" matmul;
  what the rule forbids is fully connected *hidden* layers between the convolutions.)
"""

from __future__ import annotations

import keras
from keras import ops


def discriminator_loss(real_logits, fake_logits):
    """D's loss −[log D(x) + log(1 − D(G(z)))], mean over the batch (Day4, GAN minimax).

    Args:
        real_logits: (B, 1) D's logits on real images; fake_logits: (B', 1) on generated ones.
    Returns:
        scalar tensor.
    """
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def minimax_generator_loss(fake_logits):
    """G's loss in the minimax game, log(1 − D(G(z))) = −softplus(l), mean over the batch (Day4, GAN).

    Args:
        fake_logits: (B, 1) D's logits on generated images.
    Returns:
        scalar tensor (G minimises it; it saturates at 0 when D rejects the fakes).
    """
    return -ops.mean(ops.softplus(fake_logits))


def non_saturating_generator_loss(fake_logits):
    """G's non-saturating loss −log D(G(z)) = softplus(−l), mean over the batch (Day4, GAN).

    Args:
        fake_logits: (B, 1) D's logits on generated images.
    Returns:
        scalar tensor.
    """
    return ops.mean(ops.softplus(-fake_logits))


GENERATOR_LOSSES = {"non_saturating": non_saturating_generator_loss, "minimax": minimax_generator_loss}


def build_generator(latent_dim: int = 64, filters: int = 64, name: str = "generator") -> keras.Model:
    """DCGAN generator z → 28×28×1 image in [−1, 1] (Day4, DCGAN).

    z (latent_dim) → 1×1×latent_dim → ConvT 7×7 valid → 7×7×2f → BN, ReLU →
    ConvT 4×4 stride 2 → 14×14×f → BN, ReLU → ConvT 4×4 stride 2 → 28×28×1, tanh.

    Args:
        latent_dim: size of z; filters: f, channels of the 14×14 layer (the 7×7 layer has 2f);
        name: model name and layer-name prefix.
    Returns:
        ``keras.Model`` (B, latent_dim) → (B, 28, 28, 1).
    """
    if latent_dim < 1 or filters < 1:
        raise ValueError(f"latent_dim and filters must be positive. Received: latent_dim={latent_dim}, filters={filters}")
    z = keras.Input((latent_dim,), name=f"{name}_z")
    h = keras.layers.Reshape((1, 1, latent_dim), name=f"{name}_z_as_1x1_map")(z)
    h = keras.layers.Conv2DTranspose(2 * filters, 7, padding="valid", use_bias=False, name=f"{name}_project_convT7x7")(h)
    h = keras.layers.BatchNormalization(name=f"{name}_bn1")(h)
    h = keras.layers.ReLU(name=f"{name}_relu1")(h)
    h = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False, name=f"{name}_convT_up14")(h)
    h = keras.layers.BatchNormalization(name=f"{name}_bn2")(h)
    h = keras.layers.ReLU(name=f"{name}_relu2")(h)
    h = keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", name=f"{name}_convT_up28")(h)
    image = keras.layers.Activation("tanh", name=f"{name}_tanh")(h)
    return keras.Model(z, image, name=name)


def build_discriminator(filters: int = 32, slope: float = 0.2, name: str = "discriminator") -> keras.Model:
    """DCGAN discriminator 28×28×1 image → one logit (Day4, DCGAN).

    Conv 4×4 stride 2 → 14×14×f → LeakyReLU → Conv 4×4 stride 2 → 7×7×2f → BN,
    LeakyReLU → Conv 7×7 valid → 1×1×1 → the logit of "real".

    Args:
        filters: f, channels of the first layer; slope: LeakyReLU's negative slope;
        name: model name and layer-name prefix.
    Returns:
        ``keras.Model`` (B, 28, 28, 1) → logits (B, 1).
    """
    if filters < 1 or not 0.0 <= slope < 1.0:
        raise ValueError(f"filters must be positive and slope in [0, 1). Received: filters={filters}, slope={slope}")
    x = keras.Input((28, 28, 1), name=f"{name}_image")
    h = keras.layers.Conv2D(filters, 4, strides=2, padding="same", name=f"{name}_conv_down14")(x)
    h = keras.layers.LeakyReLU(slope, name=f"{name}_lrelu1")(h)
    h = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False, name=f"{name}_conv_down7")(h)
    h = keras.layers.BatchNormalization(name=f"{name}_bn2")(h)
    h = keras.layers.LeakyReLU(slope, name=f"{name}_lrelu2")(h)
    h = keras.layers.Conv2D(1, 7, padding="valid", name=f"{name}_conv7x7_to_logit")(h)
    logit = keras.layers.Reshape((1,), name=f"{name}_logit")(h)
    return keras.Model(x, logit, name=name)


@keras.saving.register_keras_serializable(package="dlx")
class DCGAN(keras.Model):
    """G and D trained in alternation: one D step, then one G step, per batch (Day4, GAN / DCGAN).

    Args:
        generator: z (B, latent_dim) → images (B, 28, 28, 1) in [−1, 1].
        discriminator: images → logits (B, 1).
        latent_dim: size of z, drawn from N(0, I).
        generator_loss: "non_saturating" (−log D(G(z))) or "minimax" (log(1 − D(G(z)))).
        seed: seed of the z draws.

    ``compile(d_optimizer=..., g_optimizer=...)``; ``fit`` takes real images
    scaled to [−1, 1] and logs ``d_loss``, ``g_loss``, ``d_real`` (mean D(x))
    and ``d_fake`` (mean D(G(z)) before G's step) as epoch means, and the same
    four of the last step with the suffix ``_step``.
    """

    def __init__(self, generator, discriminator, latent_dim: int, generator_loss: str = "non_saturating",
                 seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if latent_dim < 1:
            raise ValueError(f"latent_dim must be positive. Received: latent_dim={latent_dim}")
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {', '.join(GENERATOR_LOSSES)}. Received: generator_loss={generator_loss!r}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.generator_loss = generator_loss
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._g_loss_fn = GENERATOR_LOSSES[generator_loss]
        self.trackers = {k: keras.metrics.Mean(name=k) for k in ("d_loss", "g_loss", "d_real", "d_fake")}

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def sample_z(self, n):
        return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)

    def train_step(self, data):
        import tensorflow as tf  # the TensorFlow backend: tapes for the two players' separate updates

        real = data[0] if isinstance(data, tuple) else data
        n = ops.shape(real)[0]
        # D step: maximise log D(x) + log(1 − D(G(z))) over D's weights (G fixed)
        fake = self.generator(self.sample_z(n), training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = discriminator_loss(real_logits, fake_logits)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        # G step: minimise G's loss over G's weights (D fixed)
        with tf.GradientTape() as tape:
            fake_logits_g = self.discriminator(self.generator(self.sample_z(n), training=True), training=True)
            g_loss = self._g_loss_fn(fake_logits_g)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        values = {"d_loss": d_loss, "g_loss": g_loss, "d_real": ops.mean(ops.sigmoid(real_logits)),
                  "d_fake": ops.mean(ops.sigmoid(fake_logits))}
        for key, value in values.items():
            self.trackers[key].update_state(value)
        # epoch means (what Keras shows at epoch end) and this step's values (for curves and the NaN guard)
        return {**{key: t.result() for key, t in self.trackers.items()}, **{f"{k}_step": v for k, v in values.items()}}

    def get_config(self):
        return {**super().get_config(), "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim, "generator_loss": self.generator_loss, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        config["discriminator"] = keras.saving.deserialize_keras_object(config["discriminator"])
        return cls(**config)


class StepRecorder(keras.callbacks.Callback):
    """Per-step D/G losses for the loss curves, and a guard that stops training at the first non-finite one.

    Args:
        log: called with one row (``step``, ``epoch``, ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``) per step.

    After ``fit``, ``failure`` is ``None`` or ``(value, "at step N (epoch E, batch B): d_loss")``; training
    stops at the end of that step (Keras then still calls ``on_train_end``, so progress bars close).
    """

    def __init__(self, log):
        super().__init__()
        self.log = log
        self.step = 0
        self.epoch = 0
        self.failure = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        import math

        self.step += 1
        row = {k: float(logs[f"{k}_step"]) for k in ("d_loss", "g_loss", "d_real", "d_fake") if f"{k}_step" in (logs or {})}
        self.log({"run": "dcgan", "step": self.step, "epoch": self.epoch + 1, **row})
        bad = [(k, v) for k, v in row.items() if k.endswith("loss") and not math.isfinite(v)]
        if bad and self.failure is None:
            self.failure = (bad[0][1], f"at step {self.step} (epoch {self.epoch + 1}, batch {batch + 1}): {bad[0][0]}")
            self.model.stop_training = True


def build_digit_classifier(filters: int = 16, name: str = "judge") -> keras.Model:
    """A small CNN digit classifier, the independent judge of generated digits (not the discriminator).

    Conv 3×3 (f) → max-pool → Conv 3×3 (2f) → max-pool → Flatten → Dense 10 logits.

    Args:
        filters: f; name: model name and layer-name prefix.
    Returns:
        ``keras.Model`` (B, 28, 28, 1) in [0, 1] → logits (B, 10).
    """
    if filters < 1:
        raise ValueError(f"filters must be positive. Received: filters={filters}")
    x = keras.Input((28, 28, 1), name=f"{name}_image")
    h = keras.layers.Conv2D(filters, 3, activation="relu", name=f"{name}_conv1")(x)
    h = keras.layers.MaxPooling2D(name=f"{name}_pool1")(h)
    h = keras.layers.Conv2D(2 * filters, 3, activation="relu", name=f"{name}_conv2")(h)
    h = keras.layers.MaxPooling2D(name=f"{name}_pool2")(h)
    h = keras.layers.Flatten(name=f"{name}_flatten")(h)
    return keras.Model(x, keras.layers.Dense(10, name=f"{name}_logits")(h), name=name)
