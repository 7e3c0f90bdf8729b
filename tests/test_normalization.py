"""numpy Batch/Layer/Instance/Group normalization vs Keras layers on one NHWC tensor (Day4 Section3)."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.normalization import group_norm, instance_norm, layer_norm, normalize

N, H, C, G, EPS = 3, 4, 6, 3, 1e-3


@pytest.fixture(scope="module")
def tensor():
    rng = np.random.default_rng(0)
    x = 2.0 * rng.standard_normal((N, H, H, C)) + rng.standard_normal(C)
    return x, rng.uniform(0.5, 1.5, C), rng.uniform(-0.5, 0.5, C)


def _keras(method, x, gamma, beta):
    import keras

    L = keras.layers
    if method == "batch":
        layer, weights = L.BatchNormalization(epsilon=EPS, dtype="float64"), [gamma, beta, np.zeros(C), np.ones(C)]
    elif method == "layer":
        layer = L.LayerNormalization(axis=[1, 2, 3], epsilon=EPS, dtype="float64")
        weights = [np.broadcast_to(gamma, (H, H, C)).copy(), np.broadcast_to(beta, (H, H, C)).copy()]
    elif method == "instance":
        layer, weights = L.GroupNormalization(groups=C, epsilon=EPS, dtype="float64"), [gamma, beta]
    else:
        layer, weights = L.GroupNormalization(groups=G, epsilon=EPS, dtype="float64"), [gamma, beta]
    layer.build(x.shape)
    layer.set_weights(weights)
    return np.asarray(layer(x, training=True))


@pytest.mark.parametrize("method", ["batch", "layer", "instance", "group"])
def test_numpy_equals_keras_layer(tensor, method):
    x, gamma, beta = tensor
    np.testing.assert_allclose(normalize(method, x, gamma, beta, EPS, groups=G), _keras(method, x, gamma, beta), atol=1e-10)


def test_instance_norm_equals_layer_norm_over_h_w(tensor):
    import keras

    x, _, _ = tensor
    layer = keras.layers.LayerNormalization(axis=[1, 2], epsilon=EPS, center=False, scale=False, dtype="float64")
    np.testing.assert_allclose(instance_norm(x, eps=EPS), np.asarray(layer(x)), atol=1e-10)


def test_group_norm_limits(tensor):
    x, _, _ = tensor
    np.testing.assert_allclose(group_norm(x, 1, eps=EPS), layer_norm(x, eps=EPS), atol=1e-12)
    np.testing.assert_allclose(group_norm(x, C, eps=EPS), instance_norm(x, eps=EPS), atol=1e-12)
    with pytest.raises(ValueError, match="Received: groups=4"):
        group_norm(x, 4)


def test_batch_size_one(tensor):
    x, gamma, beta = tensor
    one = x[:1]
    # per-sample methods do not depend on the rest of the batch; batch norm does
    for method in ("layer", "instance", "group"):
        np.testing.assert_allclose(normalize(method, one, gamma, beta, EPS, groups=G),
                                   normalize(method, x, gamma, beta, EPS, groups=G)[:1], atol=1e-12)
    assert np.abs(normalize("batch", one, gamma, beta, EPS) - normalize("batch", x, gamma, beta, EPS)[:1]).max() > 0.1
    # batch norm of a single image is instance norm
    np.testing.assert_allclose(normalize("batch", one, gamma, beta, EPS), normalize("instance", one, gamma, beta, EPS), atol=1e-12)


def test_normalized_statistics(tensor):
    x, _, _ = tensor
    out = normalize("batch", x, eps=1e-12)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1.0, atol=1e-6)
