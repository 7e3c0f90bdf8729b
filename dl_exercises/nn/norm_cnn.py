"""A small CNN whose normalization layer is a choice: batch, layer, instance, group or none (Day4 Section3).

The four normalizations differ only in the axes their mean and variance run
over (``scratch.normalization``): batch norm over (N, H, W) per channel,
layer norm over (H, W, C) per sample, instance norm over (H, W) per sample
and channel, group norm over (H, W, C/G) per sample and group. Everything
else in the network is the same, so ``bench.normalization`` compares only them.
"""

from __future__ import annotations

import keras
from keras import layers

NORMS = ("batch", "layer", "instance", "group", "none")


def normalization_layer(kind: str, channels: int, groups: int, name: str):
    """The Keras layer that normalizes NHWC features of ``channels`` channels the ``kind`` way."""
    if kind == "batch":
        return layers.BatchNormalization(name=name)
    if kind == "layer":
        return layers.LayerNormalization(axis=[1, 2, 3], name=name)
    if kind == "instance":
        return layers.GroupNormalization(groups=channels, name=name)
    if kind == "group":
        if channels % groups:
            raise ValueError(f"group normalization needs groups dividing channels, Received: groups={groups}, channels={channels}")
        return layers.GroupNormalization(groups=groups, name=name)
    raise ValueError(f"normalization_layer: kind must be one of {', '.join(NORMS)}, Received: kind={kind!r}")


def norm_cnn(kind: str, input_shape=(28, 28, 1), num_classes: int = 10, filters=(16, 32), groups: int = 4,
             name: str = "norm_cnn") -> keras.Model:
    """(conv 3×3 → normalization → ReLU → max-pool) × len(filters) → global average pool → dense logits.

    Args:
        kind: "batch", "layer", "instance", "group" or "none".
        filters: channels of each conv block; groups: G of group normalization (must divide each).
    Returns:
        ``keras.Model`` mapping (N, 28, 28, 1) images to (N, num_classes) logits.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = inputs
    for i, channels in enumerate(filters, start=1):
        x = layers.Conv2D(channels, 3, padding="same", use_bias=kind == "none", name=f"{name}_conv{i}")(x)
        if kind != "none":
            x = normalization_layer(kind, channels, groups, f"{name}_{kind}norm{i}")(x)
        x = layers.Activation("relu", name=f"{name}_relu{i}")(x)
        x = layers.MaxPooling2D(2, name=f"{name}_pool{i}")(x)
    x = layers.GlobalAveragePooling2D(name=f"{name}_gap")(x)
    outputs = layers.Dense(num_classes, name=f"{name}_logits")(x)
    return keras.Model(inputs, outputs, name=name)
