"""The course's SimpleConvNet, DoubleConvNet and DeepConvNet as Keras models (Day2 Section3).

Keras twins of ``dl_exercises.scratch.day2_convnets``: the same layers in NHWC
order, returning logits (train with ``from_logits=True``).
"""

from __future__ import annotations

import keras
from keras import layers

from ..scratch.day2_convnets import DEEP_CONVS


def simple_cnn(input_shape=(28, 28, 1), num_classes=10, filters=30, kernel_size=5, hidden=100, name="simple_cnn"):
    """SimpleConvNet: conv(30, 5×5)–ReLU–maxpool 2–dense(100)–ReLU–dense(10) (Day2 Section3, 2_6).

    Args:
        input_shape: (H, W, C).
    Returns:
        ``keras.Model`` mapping (N, H, W, C) images to (N, num_classes) logits.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = layers.Conv2D(filters, kernel_size, activation="relu", name=f"{name}_conv1")(inputs)
    x = layers.MaxPooling2D(2, name=f"{name}_pool1")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    x = layers.Dense(hidden, activation="relu", name=f"{name}_affine1")(x)
    outputs = layers.Dense(num_classes, name=f"{name}_affine2")(x)
    return keras.Model(inputs, outputs, name=name)


def double_cnn(input_shape=(28, 28, 1), num_classes=10, filters=(10, 20), sizes=(5, 3), hidden=100, name="double_cnn"):
    """DoubleConvNet: (conv–ReLU–maxpool) × 2–dense(100)–ReLU–dense(10) (Day2 Section3, 2_7).

    Returns:
        ``keras.Model`` producing (N, num_classes) logits.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = inputs
    for i, (n_filters, size) in enumerate(zip(filters, sizes), start=1):
        x = layers.Conv2D(n_filters, size, activation="relu", name=f"{name}_conv{i}")(x)
        x = layers.MaxPooling2D(2, name=f"{name}_pool{i}")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    x = layers.Dense(hidden, activation="relu", name=f"{name}_affine1")(x)
    outputs = layers.Dense(num_classes, name=f"{name}_affine2")(x)
    return keras.Model(inputs, outputs, name=name)


def deep_cnn(input_shape=(28, 28, 1), num_classes=10, hidden=50, dropout=0.5, name="deep_cnn"):
    """DeepConvNet: 3×3 convs 16,16,32,32,64,64 (ReLU, He init), 3 pools, dense 50, dropouts, dense 10 (Day2 Section3, 2_8).

    Conv 4 pads 2 pixels like the course (28→14→16→8→4), and dropout follows
    both dense layers, the second one on the logits as in the course code.

    Returns:
        ``keras.Model`` producing (N, num_classes) logits.
    """
    inputs = keras.Input(input_shape, name=f"{name}_input")
    x = inputs
    for i, (n_filters, pad) in enumerate(DEEP_CONVS, start=1):
        x = layers.ZeroPadding2D(pad, name=f"{name}_pad{i}")(x)
        x = layers.Conv2D(n_filters, 3, activation="relu", kernel_initializer="he_normal", name=f"{name}_conv{i}")(x)
        if i % 2 == 0:
            x = layers.MaxPooling2D(2, name=f"{name}_pool{i // 2}")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    x = layers.Dense(hidden, activation="relu", kernel_initializer="he_normal", name=f"{name}_affine1")(x)
    x = layers.Dropout(dropout, name=f"{name}_dropout1")(x)
    x = layers.Dense(num_classes, kernel_initializer="he_normal", name=f"{name}_affine2")(x)
    outputs = layers.Dropout(dropout, name=f"{name}_dropout2")(x)
    return keras.Model(inputs, outputs, name=name)


COURSE_CNNS = {"simple": simple_cnn, "double": double_cnn, "deep": deep_cnn}
