"""Re-estimate BatchNormalization's moving statistics after training (Day2 Section2, Batch Normalization).

At inference a BN layer normalizes with its moving mean and variance, an
exponential average (Keras momentum 0.99) of the batch statistics seen while the
weights were still changing. After a short training run (a few hundred steps)
that average still remembers the early network and the untouched initial values
(mean 0, variance 1), so a model that is right in training mode can be at chance
in inference mode. Running the training data through the trained network once
more, weights fixed, and averaging each BN layer's batch statistics gives the
statistics the final weights actually produce.
"""

from __future__ import annotations

import numpy as np


def batch_norm_layers(model) -> list:
    """Every ``keras.layers.BatchNormalization`` in ``model``, nested models included, in order."""
    import keras

    found, seen = [], set()

    def walk(layer):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        if isinstance(layer, keras.layers.BatchNormalization):
            found.append(layer)
        for child in getattr(layer, "layers", ()) or ():
            walk(child)

    walk(model)
    return found


def recompute_batch_norm_statistics(model, x, batch_size: int = 200) -> int:
    """Set each BN layer's moving mean/variance to the average of its batch statistics over ``x``.

    The network runs in training mode (batch statistics, as during training)
    batch by batch; for batch k of K each layer's momentum is (k−1)/k, so the
    moving values end as the plain mean of the K batch values. No weight other
    than the moving statistics changes, and momentum is restored afterwards.

    Args:
        model: a built Keras model.
        x: training inputs (array, or list of arrays for several inputs).
        batch_size: images per forward pass (the last, smaller batch is dropped
            so every batch weighs the same).
    Returns:
        the number of BatchNormalization layers updated.
    """
    layers = batch_norm_layers(model)
    if not layers:
        return 0
    inputs = x if isinstance(x, (list, tuple)) else [x]
    n = len(inputs[0])
    n_batches = max(1, n // batch_size)
    size = min(batch_size, n)
    momenta = [layer.momentum for layer in layers]
    try:
        for k in range(n_batches):
            for layer in layers:
                layer.momentum = k / (k + 1)
            batch = [np.asarray(a[k * size:(k + 1) * size]) for a in inputs]
            model(batch if len(batch) > 1 else batch[0], training=True)
    finally:
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
    return len(layers)
