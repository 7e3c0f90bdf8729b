"""Re-estimated BatchNormalization statistics (dl_exercises.nn.batch_norm_stats)."""

import numpy as np
import pytest

import keras  # noqa: E402

from dl_exercises.nn.batch_norm_stats import batch_norm_layers, recompute_batch_norm_statistics  # noqa: E402


def _model():
    inputs = keras.Input((3,))
    x = keras.layers.BatchNormalization(name="bn1")(inputs)
    x = keras.layers.Dense(4, name="dense")(x)
    inner = keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization(name="bn2")], name="inner")
    return keras.Model(inputs, inner(x))


def test_moving_statistics_become_the_average_of_batch_statistics():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((400, 3)) * [1.0, 2.0, 0.5] + [3.0, -1.0, 10.0]).astype("float32")
    model = _model()
    bn1, bn2 = batch_norm_layers(model)
    assert [bn1.name, bn2.name] == ["bn1", "bn2"]
    assert recompute_batch_norm_statistics(model, x, batch_size=100) == 2
    batches = x.reshape(4, 100, 3)
    np.testing.assert_allclose(np.asarray(bn1.moving_mean), batches.mean(axis=1).mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(bn1.moving_variance), batches.var(axis=1).mean(axis=0), rtol=1e-4)
    assert bn1.momentum == bn2.momentum == 0.99
    # the nested layer sees the first layer's training-mode output through the fixed Dense weights
    kernel, bias = (np.asarray(w) for w in model.get_layer("dense").get_weights())
    normed = (batches - batches.mean(axis=1, keepdims=True)) / np.sqrt(batches.var(axis=1, keepdims=True) + 1e-3)
    h = normed @ kernel + bias
    np.testing.assert_allclose(np.asarray(bn2.moving_mean), h.mean(axis=1).mean(axis=0), atol=1e-5)


def test_model_without_batch_norm_is_left_alone():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    before = [w.copy() for w in model.get_weights()]
    assert recompute_batch_norm_statistics(model, np.ones((10, 2), "float32")) == 0
    assert all((a == b).all() for a, b in zip(before, model.get_weights()))
