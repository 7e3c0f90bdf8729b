"""MobileNet (Howard et al. 2017): depthwise separable convolutions and the width multiplier (Day4 Section3).

A standard K×K convolution from M to N channels on a D_F×D_F map costs
D_K²·M·N·D_F² multiply-adds; a depthwise K×K conv (one filter per channel)
followed by a 1×1 pointwise conv costs D_K²·M·D_F² + M·N·D_F², a ratio of
1/N + 1/D_K². With the defaults the model has the 4,253,864 parameters of
``keras.applications.MobileNet(weights=None)``.
"""

from __future__ import annotations

import keras
from keras import layers

# (pointwise filters, stride) of the 13 depthwise separable blocks (paper, Table 1)
MOBILENET_BLOCKS = (
    (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
)


def standard_conv_cost(d_k: int, m: int, n: int, d_f: int) -> int:
    """Multiply-adds of a standard conv: D_K²·M·N·D_F² (course eq. 3)."""
    return d_k * d_k * m * n * d_f * d_f


def separable_conv_cost(d_k: int, m: int, n: int, d_f: int) -> int:
    """Multiply-adds of depthwise + pointwise: D_K²·M·D_F² + M·N·D_F² (course eq. 6)."""
    return d_k * d_k * m * d_f * d_f + m * n * d_f * d_f


def depthwise_separable_block(x, pointwise_filters, stride, name, depth_multiplier=1):
    """Depthwise 3×3 conv–BN–ReLU6, then pointwise 1×1 conv–BN–ReLU6 (no biases).

    Args:
        x: (N, H, W, M).
        pointwise_filters: N, output channels.
    Returns:
        (N, H/stride, W/stride, pointwise_filters).
    """
    x = layers.DepthwiseConv2D(3, strides=stride, padding="same", depth_multiplier=depth_multiplier,
                               use_bias=False, name=f"{name}_dw")(x)
    x = layers.BatchNormalization(name=f"{name}_dw_bn")(x)
    x = layers.ReLU(6.0, name=f"{name}_dw_relu")(x)
    x = layers.Conv2D(pointwise_filters, 1, use_bias=False, name=f"{name}_pw")(x)
    x = layers.BatchNormalization(name=f"{name}_pw_bn")(x)
    return layers.ReLU(6.0, name=f"{name}_pw_relu")(x)


def mobilenet(
    input_shape=(224, 224, 3), num_classes=1000, alpha=1.0, depth_multiplier=1, blocks=MOBILENET_BLOCKS,
    first_filters=32, first_stride=2, dropout=1e-3, name="mobilenet",
):
    """Build MobileNet v1.

    Args:
        alpha: width multiplier; every layer has int(filters·alpha) channels.
        depth_multiplier: resolution-independent depthwise multiplier (1 in the paper).
        blocks: (pointwise filters, stride) per separable block.
        first_filters, first_stride: the first full 3×3 convolution.
    Returns:
        ``keras.Model`` (N, H, W, C) → (N, num_classes) softmax.
    """
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0, Received: alpha={alpha}")
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = layers.Conv2D(int(first_filters * alpha), 3, strides=first_stride, padding="same", use_bias=False,
                      name=f"{name}_conv1")(inputs)
    x = layers.BatchNormalization(name=f"{name}_conv1_bn")(x)
    x = layers.ReLU(6.0, name=f"{name}_conv1_relu")(x)
    for i, (filters, stride) in enumerate(blocks, start=1):
        x = depthwise_separable_block(x, int(filters * alpha), stride, f"{name}_block{i}", depth_multiplier)
    x = layers.GlobalAveragePooling2D(name=f"{name}_avg_pool")(x)
    x = layers.Dropout(dropout, name=f"{name}_dropout")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name=f"{name}_predictions")(x)
    return keras.Model(inputs, outputs, name=name)
