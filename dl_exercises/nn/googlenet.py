"""GoogLeNet (Szegedy et al. 2014): Inception modules and auxiliary classifiers (Day2 Section4).

An Inception module runs 1×1, 3×3 and 5×5 convolutions and a 3×3 max-pool in
parallel and concatenates them; 1×1 convolutions before the 3×3 and 5×5
branches (and after the pool) reduce the channels and so the cost. Two
auxiliary classifiers on intermediate maps add their losses with weight 0.3
during training and are dropped at inference.
"""

from __future__ import annotations

import keras
from keras import layers

# (1×1, 3×3 reduce, 3×3, 5×5 reduce, 5×5, pool proj) per module, grouped by stage (paper, Table 1)
GOOGLENET_STAGES = (
    (("3a", (64, 96, 128, 16, 32, 32)), ("3b", (128, 128, 192, 32, 96, 64))),
    (
        ("4a", (192, 96, 208, 16, 48, 64)), ("4b", (160, 112, 224, 24, 64, 64)), ("4c", (128, 128, 256, 24, 64, 64)),
        ("4d", (112, 144, 288, 32, 64, 64)), ("4e", (256, 160, 320, 32, 128, 128)),
    ),
    (("5a", (256, 160, 320, 32, 128, 128)), ("5b", (384, 192, 384, 48, 128, 128))),
)
GOOGLENET_AUX_AFTER = ("4a", "4d")
AUX_LOSS_WEIGHT = 0.3


def inception_module(x, branches, name):
    """One Inception module with 1×1 reductions.

    Args:
        x: tensor (N, H, W, C).
        branches: (1×1, 3×3 reduce, 3×3, 5×5 reduce, 5×5, pool projection) filter counts.
    Returns:
        tensor (N, H, W, 1×1 + 3×3 + 5×5 + pool projection).
    """
    if len(branches) != 6 or min(branches) < 1:
        raise ValueError(f"inception_module needs six positive filter counts, Received: branches={branches}")
    f1, f3r, f3, f5r, f5, fp = branches

    def conv(t, filters, size, suffix):
        return layers.Conv2D(filters, size, padding="same", activation="relu", name=f"{name}_{suffix}")(t)

    b1 = conv(x, f1, 1, "1x1")
    b3 = conv(conv(x, f3r, 1, "3x3_reduce"), f3, 3, "3x3")
    b5 = conv(conv(x, f5r, 1, "5x5_reduce"), f5, 5, "5x5")
    bp = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    bp = conv(bp, fp, 1, "pool_proj")
    return layers.Concatenate(name=f"{name}_concat")([b1, b3, b5, bp])


def auxiliary_classifier(x, num_classes, name, conv_filters=128, dense_units=1024, dropout=0.7):
    """Auxiliary head: avg-pool 5×5/3, 1×1 conv, dense, dropout, softmax (paper, Section 5)."""
    pool = 5 if min(x.shape[1:3]) >= 5 else min(x.shape[1:3])
    x = layers.AveragePooling2D(pool, strides=3, name=f"{name}_pool")(x)
    x = layers.Conv2D(conv_filters, 1, activation="relu", name=f"{name}_conv")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    x = layers.Dense(dense_units, activation="relu", name=f"{name}_fc")(x)
    x = layers.Dropout(dropout, name=f"{name}_dropout")(x)
    return layers.Dense(num_classes, activation="softmax", name=f"{name}_output")(x)


def googlenet(
    input_shape=(224, 224, 3), num_classes=1000, stages=GOOGLENET_STAGES, aux_after=GOOGLENET_AUX_AFTER,
    stem="imagenet", aux_conv=128, aux_dense=1024, dropout=0.4, name="googlenet",
):
    """Build GoogLeNet for training: outputs [main, aux1, aux2, ...] (main only when ``aux_after`` is empty).

    Args:
        stages: per stage, (module id, branch filters) pairs; a 3×3/2 max-pool separates stages.
        aux_after: module ids after which an auxiliary classifier branches off.
        stem: "imagenet" (7×7/2 conv, pool, 1×1, 3×3 192, pool) or "small" (one 3×3 conv of 32 and a pool, for 28×28 inputs).
    Returns:
        ``keras.Model``; train it with ``loss_weights`` from ``googlenet_loss_weights``,
        and predict with ``drop_auxiliary(model)``.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    if stem == "imagenet":
        x = layers.Conv2D(64, 7, strides=2, padding="same", activation="relu", name=f"{name}_conv1")(inputs)
        x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool1")(x)
        x = layers.Conv2D(64, 1, activation="relu", name=f"{name}_conv2_reduce")(x)
        x = layers.Conv2D(192, 3, padding="same", activation="relu", name=f"{name}_conv2")(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool2")(x)
    elif stem == "small":
        x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"{name}_conv1")(inputs)
        x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool1")(x)
    else:
        raise ValueError(f"stem must be 'imagenet' or 'small', Received: stem={stem!r}")
    known = {module_id for stage in stages for module_id, _ in stage}
    missing = set(aux_after) - known
    if missing:
        raise ValueError(f"aux_after names unknown modules, Received: aux_after={tuple(aux_after)}")
    aux_outputs = []
    for s, stage in enumerate(stages):
        if s:
            x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool{s + 2}")(x)
        for module_id, branches in stage:
            x = inception_module(x, branches, f"{name}_inception{module_id}")
            if module_id in aux_after:
                k = len(aux_outputs) + 1
                aux_outputs.append(auxiliary_classifier(x, num_classes, f"{name}_aux{k}", aux_conv, aux_dense))
    x = layers.GlobalAveragePooling2D(name=f"{name}_avg_pool")(x)
    x = layers.Dropout(dropout, name=f"{name}_dropout")(x)
    main = layers.Dense(num_classes, activation="softmax", name=f"{name}_output")(x)
    return keras.Model(inputs, [main, *aux_outputs] if aux_outputs else main, name=name)


def googlenet_loss_weights(model) -> list[float]:
    """1.0 for the main output and 0.3 for each auxiliary output, in output order."""
    return [1.0] + [AUX_LOSS_WEIGHT] * (len(model.outputs) - 1)


def drop_auxiliary(model):
    """The inference network: same layers and weights, main output only."""
    return keras.Model(model.input, model.outputs[0], name=f"{model.name}_inference")
