"""DenseNet (Huang et al. 2017): dense blocks with growth rate k and transition layers (Day4 Section3).

In a dense block layer l sees the concatenation of everything before it,
k0 + k·(l − 1) channels, and adds k new ones (BN–ReLU–1×1 conv 4k–BN–ReLU–3×3
conv k). A transition layer (BN–ReLU–1×1 conv–2×2 average pool) shrinks the
map and compresses the channels by θ. With the defaults the model has the
8,062,504 parameters of ``keras.applications.DenseNet121(weights=None)``.
"""

from __future__ import annotations

import keras
from keras import layers

BN_EPSILON = 1.001e-5


def dense_layer(x, growth_rate, name, bottleneck=True):
    """BN–ReLU–(1×1 conv 4k–BN–ReLU)–3×3 conv k, concatenated to the input.

    Returns:
        (N, H, W, C + growth_rate).
    """
    y = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_0_bn")(x)
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    if bottleneck:
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
        y = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_1_bn")(y)
        y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(name=f"{name}_concat")([x, y])


def dense_block(x, n_layers, growth_rate, name, bottleneck=True):
    """``n_layers`` dense layers; channels grow from k0 to k0 + k·n_layers."""
    for i in range(1, n_layers + 1):
        x = dense_layer(x, growth_rate, f"{name}_block{i}", bottleneck)
    return x


def transition_layer(x, compression, name):
    """BN–ReLU–1×1 conv to int(C·θ) channels–2×2 average pool, stride 2."""
    if not 0.0 < compression <= 1.0:
        raise ValueError(f"compression must be in (0, 1], Received: compression={compression}")
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def dense_layer_input_channels(k0: int, growth_rate: int, n_layers: int) -> list[int]:
    """Input channels of each layer of a dense block: k0 + k·(l − 1) for l = 1..n_layers."""
    return [k0 + growth_rate * (layer - 1) for layer in range(1, n_layers + 1)]


def densenet(
    input_shape=(224, 224, 3), num_classes=1000, blocks=(6, 12, 24, 16), growth_rate=32, compression=0.5,
    init_filters=64, bottleneck=True, stem="imagenet", name="densenet121",
):
    """Build a DenseNet (DenseNet-BC when ``bottleneck`` and compression < 1).

    Args:
        blocks: dense layers per dense block; a transition layer follows every block but the last.
        growth_rate: k.
        compression: θ of the transition layers.
        stem: "imagenet" (7×7/2 conv, 3×3/2 max-pool) or "small" (one 3×3 conv).
    Returns:
        ``keras.Model`` (N, H, W, C) → (N, num_classes) softmax.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    if stem == "imagenet":
        x = layers.ZeroPadding2D(3, name=f"{name}_conv1_pad")(inputs)
        x = layers.Conv2D(init_filters, 7, strides=2, use_bias=False, name=f"{name}_conv1_conv")(x)
        x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_conv1_bn")(x)
        x = layers.Activation("relu", name=f"{name}_conv1_relu")(x)
        x = layers.ZeroPadding2D(1, name=f"{name}_pool1_pad")(x)
        x = layers.MaxPooling2D(3, strides=2, name=f"{name}_pool1")(x)
    elif stem == "small":
        x = layers.Conv2D(init_filters, 3, padding="same", use_bias=False, name=f"{name}_conv1_conv")(inputs)
    else:
        raise ValueError(f"stem must be 'imagenet' or 'small', Received: stem={stem!r}")
    for b, n_layers in enumerate(blocks, start=1):
        x = dense_block(x, n_layers, growth_rate, f"{name}_conv{b + 1}", bottleneck)
        if b < len(blocks):
            x = transition_layer(x, compression, f"{name}_pool{b + 1}")
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.GlobalAveragePooling2D(name=f"{name}_avg_pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name=f"{name}_predictions")(x)
    return keras.Model(inputs, outputs, name=name)
