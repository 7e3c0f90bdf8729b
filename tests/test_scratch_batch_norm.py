"""numpy BatchNormalization vs keras.layers.BatchNormalization, and its backward vs numeric gradients (Day2 Section1).

Forward comparisons are float64 with matched momentum and epsilon (tolerance
1e-10); gradient checks use central differences in float64 (relative 1e-6).
"""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.batch_norm import BatchNormalization
from dl_exercises.scratch.gradient import numerical_gradient


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def _pair(keras, features, momentum, eps, seed=0):
    rng = np.random.default_rng(seed)
    gamma, beta = rng.normal(1.0, 0.3, features), rng.normal(0.0, 0.5, features)
    ours = BatchNormalization(gamma.copy(), beta.copy(), momentum=momentum, eps=eps)
    theirs = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
    theirs.build((None, features))
    theirs.set_weights([gamma, beta, np.zeros(features), np.ones(features)])
    return ours, theirs


@pytest.mark.parametrize("momentum, eps", [(0.9, 1e-6), (0.99, 1e-3)])
def test_forward_training_and_inference_equal_keras(keras, momentum, eps):
    features = 6
    ours, theirs = _pair(keras, features, momentum, eps)
    rng = np.random.default_rng(1)
    for step in range(5):  # several training batches move the running statistics
        x = rng.normal(3.0, 2.0, size=(20, features))
        np.testing.assert_allclose(ours.forward(x, train=True), np.asarray(theirs(x, training=True)), rtol=1e-10, atol=1e-10,
                                   err_msg=f"training step {step}")
    np.testing.assert_allclose(ours.running_mean, theirs.moving_mean.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.moving_variance.numpy(), rtol=1e-10, atol=1e-12)
    x = rng.normal(3.0, 2.0, size=(7, features))
    np.testing.assert_allclose(ours.forward(x, train=False), np.asarray(theirs(x, training=False)), rtol=1e-10, atol=1e-10)


def test_training_output_is_normalised():
    rng = np.random.default_rng(2)
    layer = BatchNormalization(np.ones(4), np.zeros(4))
    y = layer.forward(rng.normal(5.0, 4.0, size=(64, 4)), train=True)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), 1.0, rtol=1e-5)


@pytest.mark.parametrize("train", [True, False])
def test_backward_matches_numeric_gradients(train):
    rng = np.random.default_rng(3)
    n, d = 8, 5
    x = rng.normal(1.0, 2.0, size=(n, d))
    gamma, beta = rng.normal(1.0, 0.3, d), rng.normal(0.0, 0.3, d)
    running = (rng.normal(size=d), rng.uniform(0.5, 2.0, d))
    weights = rng.normal(size=(n, d))  # loss = Σ y · weights, so dL/dy = weights

    def make(g, b):
        return BatchNormalization(g, b, running_mean=running[0].copy(), running_var=running[1].copy())

    layer = make(gamma.copy(), beta.copy())
    layer.forward(x, train=train)
    dx = layer.backward(weights)

    loss_x = lambda z: float(np.sum(make(gamma, beta).forward(z, train=train) * weights))  # noqa: E731
    loss_g = lambda g: float(np.sum(make(g, beta).forward(x, train=train) * weights))  # noqa: E731
    loss_b = lambda b: float(np.sum(make(gamma, b).forward(x, train=train) * weights))  # noqa: E731
    for analytic, numeric in (
        (dx, numerical_gradient(loss_x, x.copy())),
        (layer.grads["gamma"], numerical_gradient(loss_g, gamma.copy())),
        (layer.grads["beta"], numerical_gradient(loss_b, beta.copy())),
    ):
        err = np.abs(analytic - numeric).max() / max(np.abs(numeric).max(), 1e-12)
        assert err < 1e-6, err


def test_image_shaped_input_round_trips():
    rng = np.random.default_rng(4)
    layer = BatchNormalization(np.ones(12), np.zeros(12))
    x = rng.normal(size=(5, 3, 2, 2))
    y = layer.forward(x, train=True)
    assert y.shape == x.shape
    assert layer.backward(np.ones_like(y)).shape == x.shape


def test_validation_messages():
    with pytest.raises(ValueError, match="momentum=1.5"):
        BatchNormalization(np.ones(2), np.zeros(2), momentum=1.5)
    with pytest.raises(ValueError, match="Received"):
        BatchNormalization(np.ones(2), np.zeros(3))
