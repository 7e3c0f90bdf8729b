"""AlexNet (Krizhevsky et al. 2012) as a Keras builder (Day2 Section4, 最新の CNN).

Five convolutions, three overlapping max-pools (3×3, stride 2), three dense
layers with dropout, ReLU throughout. One tower (the paper split it over two
GPUs) and no local response normalization (later work found it of little use).
"""

from __future__ import annotations

import keras
from keras import layers

# (filters, kernel, stride) per conv; the paper's 227×227 layout
ALEXNET_CONVS = ((96, 11, 4), (256, 5, 1), (384, 3, 1), (384, 3, 1), (256, 3, 1))
ALEXNET_POOL_AFTER = (1, 2, 5)  # 1-based conv indices followed by a 3×3/2 max-pool


def alexnet(
    input_shape=(227, 227, 3), num_classes=1000, convs=ALEXNET_CONVS, pool_after=ALEXNET_POOL_AFTER,
    dense=(4096, 4096), dropout=0.5, first_padding="valid", name="alexnet",
):
    """Build AlexNet; small variants pass smaller ``convs``/``dense``.

    Args:
        input_shape: (H, W, C).
        convs: (filters, kernel, stride) per convolution; the first uses
            ``first_padding``, the others "same".
        pool_after: 1-based indices of the convs followed by max-pool 3×3, stride 2.
        dense: widths of the hidden dense layers, each followed by dropout.
    Returns:
        ``keras.Model`` (N, H, W, C) → (N, num_classes) softmax; 62,378,344 params at the defaults.
    """
    if not convs:
        raise ValueError(f"alexnet needs at least one conv, Received: convs={convs}")
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = inputs
    for i, (filters, kernel, stride) in enumerate(convs, start=1):
        padding = first_padding if i == 1 else "same"
        x = layers.Conv2D(filters, kernel, strides=stride, padding=padding, activation="relu", name=f"{name}_conv{i}")(x)
        if i in pool_after:
            x = layers.MaxPooling2D(3, strides=2, name=f"{name}_pool{i}")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    for i, units in enumerate(dense, start=1):
        x = layers.Dense(units, activation="relu", name=f"{name}_fc{i}")(x)
        x = layers.Dropout(dropout, name=f"{name}_dropout{i}")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name=f"{name}_predictions")(x)
    return keras.Model(inputs, outputs, name=name)
