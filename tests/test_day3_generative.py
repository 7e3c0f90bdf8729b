"""Day3 Section5 generative models: the VAE's KL term and reparameterization vs closed forms in numpy."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def test_kl_layer_adds_the_closed_form_kl(keras):
    from dl_exercises.nn.vae import KLDivergence

    rng = np.random.default_rng(0)
    mean = rng.normal(size=(6, 3)).astype("float32")
    log_var = rng.normal(0, 0.5, (6, 3)).astype("float32")
    layer = KLDivergence(beta=2.0)
    out_mean, out_log_var = layer(mean, log_var)
    np.testing.assert_array_equal(np.asarray(out_mean), mean)
    expected = 0.5 * np.sum(mean.astype(np.float64) ** 2 + np.exp(log_var) - 1.0 - log_var, axis=1).mean()
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), 2.0 * expected, rtol=1e-5)
    with pytest.raises(ValueError, match="Received: beta=-1"):
        KLDivergence(beta=-1)


def test_sampling_draws_from_the_posterior(keras):
    from dl_exercises.nn.vae import Sampling

    n = 20000
    mean = np.tile(np.array([[1.5, -2.0]], "float32"), (n, 1))
    log_var = np.tile(np.log(np.array([[0.25, 4.0]], "float32")), (n, 1))
    z = np.asarray(Sampling(seed=1)(mean, log_var))
    np.testing.assert_allclose(z.mean(0), [1.5, -2.0], atol=0.05)
    np.testing.assert_allclose(z.std(0), [0.5, 2.0], rtol=0.03)


def test_reconstruction_loss_matches_numpy(keras):
    from dl_exercises.exercises.day3_generative import _bce_per_image
    from dl_exercises.nn.vae import reconstruction_loss

    rng = np.random.default_rng(2)
    x = rng.random((3, 28, 28)).astype("float32")
    logits = rng.normal(0, 3, (3, 28, 28)).astype("float32")
    np.testing.assert_allclose(np.asarray(reconstruction_loss(x, logits)), _bce_per_image(x, logits), rtol=1e-4)


def test_vae_model_loss_is_reconstruction_plus_kl(keras):
    """With σ → 0 the sample is μ, so the Keras loss must equal numpy's reconstruction + KL."""
    from dl_exercises.exercises.day3_generative import _bce_per_image
    from dl_exercises.nn.vae import build_vae, reconstruction_loss

    keras.utils.set_random_seed(0)
    model, encoder, decoder = build_vae(latent_dim=2, hidden=8, seed=0)
    log_var_layer = model.get_layer("vae_encoder").get_layer("vae_z_log_var")
    w, _ = log_var_layer.get_weights()
    log_var_layer.set_weights([np.zeros_like(w), np.full(2, -30.0, "float32")])
    model.compile(loss=reconstruction_loss)
    x = np.random.default_rng(3).random((16, 28, 28)).astype("float32")
    keras_loss = model.evaluate(x, x, batch_size=16, verbose=0)
    mean, log_var = (np.asarray(a, np.float64) for a in encoder(x))
    kl = 0.5 * np.sum(mean**2 + np.exp(log_var) - 1.0 - log_var, axis=1)
    rec = _bce_per_image(x, np.asarray(decoder(mean.astype("float32"))))
    np.testing.assert_allclose(keras_loss, np.mean(rec + kl), rtol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["day3.autoencoder", "day3.vae", "day3.hred"])
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=0)
    assert not result.missed, [t for t in result.targets if not t.met]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_hred_quick_targets_hold_at_other_seeds(seed):
    """Seed 1 once left HRED at 0.68 right replies: the context must be learned at every seed, not by luck."""
    from dl_exercises import run

    result = run("day3.hred", budget="quick", seed=seed)
    assert not result.missed, [t for t in result.targets if not t.met]
