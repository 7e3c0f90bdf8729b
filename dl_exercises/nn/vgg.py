"""VGG (Simonyan & Zisserman 2014) as a Keras builder (Day2 Section4, 最新の CNN).

Blocks of 3×3 "same" convolutions each ending in a 2×2 max-pool, then dense
layers. The defaults are VGG16 (configuration D), 138,357,544 parameters,
equal to ``keras.applications.VGG16(weights=None)``.
"""

from __future__ import annotations

import keras
from keras import layers

VGG16_BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))  # (filters, convs) per block


def vgg(input_shape=(224, 224, 3), num_classes=1000, blocks=VGG16_BLOCKS, dense=(4096, 4096), dropout=0.0, name="vgg16"):
    """Build a VGG network.

    Args:
        input_shape: (H, W, C); H and W must survive one 2×2 pool per block.
        blocks: (filters, number of 3×3 convs) per block.
        dense: hidden dense widths (ReLU); ``dropout`` after each when > 0.
    Returns:
        ``keras.Model`` (N, H, W, C) → (N, num_classes) softmax.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = inputs
    for b, (filters, n_convs) in enumerate(blocks, start=1):
        for c in range(1, n_convs + 1):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_block{b}_conv{c}")(x)
        x = layers.MaxPooling2D(2, strides=2, name=f"{name}_block{b}_pool")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    for i, units in enumerate(dense, start=1):
        x = layers.Dense(units, activation="relu", name=f"{name}_fc{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"{name}_dropout{i}")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name=f"{name}_predictions")(x)
    return keras.Model(inputs, outputs, name=name)
