"""ResNet (He et al. 2015, 2016) and WideResNet (Zagoruyko & Komodakis 2016) builders (Day2 Section4).

Residual blocks add their input (or a 1×1 projection of it) to their output.
``version=1`` is the original post-activation block (conv–BN–ReLU, add, ReLU);
``version=2`` is the pre-activation block (BN–ReLU–conv, add). Basic blocks
are two 3×3 convs; bottleneck blocks are 1×1 → 3×3 → 1×1 with 4× expansion.
With the defaults, ``resnet(version=1)`` has the 25,636,712 parameters of
``keras.applications.ResNet50`` and ``resnet(version=2)`` the 25,613,800 of
``ResNet50V2`` (same conv/bias layout; the stride sits in each stage's first
block, as in the paper, where Keras's V2 puts it in the last: same parameters).
"""

from __future__ import annotations

import keras
from keras import layers

BN_EPSILON = 1.001e-5  # as keras.applications


def _bn(x, name):
    return layers.BatchNormalization(epsilon=BN_EPSILON, name=name)(x)


def basic_block(x, filters, stride, version, name):
    """Two 3×3 convs; projection shortcut when the shape changes.

    Args:
        x: (N, H, W, C); filters: output channels; stride: 1 or 2 (first conv).
    Returns:
        (N, H/stride, W/stride, filters).
    """
    project = stride != 1 or x.shape[-1] != filters
    if version == 1:
        shortcut = x
        if project:
            shortcut = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_0_conv")(x)
            shortcut = _bn(shortcut, f"{name}_0_bn")
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"{name}_1_conv")(x)
        y = layers.Activation("relu", name=f"{name}_1_relu")(_bn(y, f"{name}_1_bn"))
        y = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(y)
        y = _bn(y, f"{name}_2_bn")
        return layers.Activation("relu", name=f"{name}_out")(layers.Add(name=f"{name}_add")([shortcut, y]))
    pre = layers.Activation("relu", name=f"{name}_preact_relu")(_bn(x, f"{name}_preact_bn"))
    shortcut = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_0_conv")(pre) if project else x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_1_conv")(pre)
    y = layers.Activation("relu", name=f"{name}_1_relu")(_bn(y, f"{name}_1_bn"))
    y = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(y)
    return layers.Add(name=f"{name}_out")([shortcut, y])


def bottleneck_block(x, filters, stride, version, name, expansion=4):
    """1×1 (reduce) → 3×3 → 1×1 (expand to ``expansion``·filters); projection shortcut when the shape changes.

    Returns:
        (N, H/stride, W/stride, expansion·filters).
    """
    out_ch = expansion * filters
    project = stride != 1 or x.shape[-1] != out_ch
    if version == 1:
        shortcut = x
        if project:
            shortcut = layers.Conv2D(out_ch, 1, strides=stride, name=f"{name}_0_conv")(x)
            shortcut = _bn(shortcut, f"{name}_0_bn")
        y = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
        y = layers.Activation("relu", name=f"{name}_1_relu")(_bn(y, f"{name}_1_bn"))
        y = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(y)
        y = layers.Activation("relu", name=f"{name}_2_relu")(_bn(y, f"{name}_2_bn"))
        y = layers.Conv2D(out_ch, 1, name=f"{name}_3_conv")(y)
        y = _bn(y, f"{name}_3_bn")
        return layers.Activation("relu", name=f"{name}_out")(layers.Add(name=f"{name}_add")([shortcut, y]))
    pre = layers.Activation("relu", name=f"{name}_preact_relu")(_bn(x, f"{name}_preact_bn"))
    shortcut = layers.Conv2D(out_ch, 1, strides=stride, name=f"{name}_0_conv")(pre) if project else x
    y = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_1_conv")(pre)
    y = layers.Activation("relu", name=f"{name}_1_relu")(_bn(y, f"{name}_1_bn"))
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    y = layers.Activation("relu", name=f"{name}_2_relu")(_bn(y, f"{name}_2_bn"))
    y = layers.Conv2D(out_ch, 1, name=f"{name}_3_conv")(y)
    return layers.Add(name=f"{name}_out")([shortcut, y])


def resnet(
    input_shape=(224, 224, 3), num_classes=1000, stage_blocks=(3, 4, 6, 3), block="bottleneck", version=1,
    base_filters=64, width=1, stem="imagenet", name="resnet50",
):
    """Build a ResNet; ResNet50 (v1, v2), ResNet18/34-style, or WideResNet are configurations of it.

    Args:
        stage_blocks: blocks per stage; stage s has base_filters·2^s·width filters
            and starts with stride 2 (except the first stage).
        block: "basic" or "bottleneck".
        version: 1 (post-activation) or 2 (pre-activation, final BN–ReLU).
        width: WideResNet's k (multiplies every stage's filters).
        stem: "imagenet" (7×7/2 conv, 3×3/2 max-pool) or "cifar" (one 3×3 conv of base_filters).
    Returns:
        ``keras.Model`` (N, H, W, C) → (N, num_classes) softmax.
    """
    if block not in ("basic", "bottleneck"):
        raise ValueError(f"block must be 'basic' or 'bottleneck', Received: block={block!r}")
    if version not in (1, 2):
        raise ValueError(f"version must be 1 or 2, Received: version={version}")
    if width < 1:
        raise ValueError(f"width must be >= 1, Received: width={width}")
    make_block = basic_block if block == "basic" else bottleneck_block
    inputs = keras.Input(input_shape, name=f"{name}_input")
    if stem == "imagenet":
        x = layers.ZeroPadding2D(3, name=f"{name}_conv1_pad")(inputs)
        x = layers.Conv2D(base_filters, 7, strides=2, name=f"{name}_conv1_conv")(x)
        if version == 1:
            x = layers.Activation("relu", name=f"{name}_conv1_relu")(_bn(x, f"{name}_conv1_bn"))
        x = layers.ZeroPadding2D(1, name=f"{name}_pool1_pad")(x)
        x = layers.MaxPooling2D(3, strides=2, name=f"{name}_pool1_pool")(x)
    elif stem == "cifar":
        x = layers.Conv2D(base_filters, 3, padding="same", name=f"{name}_conv1_conv")(inputs)
        if version == 1:
            x = layers.Activation("relu", name=f"{name}_conv1_relu")(_bn(x, f"{name}_conv1_bn"))
    else:
        raise ValueError(f"stem must be 'imagenet' or 'cifar', Received: stem={stem!r}")
    for s, n_blocks in enumerate(stage_blocks):
        filters = base_filters * (2**s) * width
        for b in range(n_blocks):
            stride = 2 if (s > 0 and b == 0) else 1
            x = make_block(x, filters, stride, version, f"{name}_conv{s + 2}_block{b + 1}")
    if version == 2:
        x = layers.Activation("relu", name=f"{name}_post_relu")(_bn(x, f"{name}_post_bn"))
    x = layers.GlobalAveragePooling2D(name=f"{name}_avg_pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name=f"{name}_predictions")(x)
    return keras.Model(inputs, outputs, name=name)


def wide_resnet(input_shape=(32, 32, 3), num_classes=10, depth=16, width=4, name="wrn"):
    """WideResNet WRN-depth-k: pre-activation basic blocks, 3 stages of 16k, 32k, 64k filters.

    Args:
        depth: 6·n + 4 (n blocks per stage).
        width: k.
    """
    if (depth - 4) % 6 or depth < 10:
        raise ValueError(f"WideResNet depth must be 6n + 4 with n >= 1, Received: depth={depth}")
    n = (depth - 4) // 6
    return resnet(input_shape, num_classes, (n, n, n), "basic", 2, 16, width, "cifar", name)
