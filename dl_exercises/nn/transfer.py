"""The small CNN of the transfer-learning exercise: a convolutional feature extractor and a new dense head (Day2 Section4, 転移学習)."""

from __future__ import annotations

import keras
from keras import layers


def feature_extractor(name: str, input_shape=(28, 28, 1)) -> keras.Sequential:
    """conv(32, 3×3)–pool–conv(64, 3×3)–pool–flatten: the part that is pretrained, frozen or fine-tuned.

    Returns:
        ``keras.Sequential`` mapping (N, 28, 28, 1) images to (N, 1600) features.
    """
    return keras.Sequential([
        keras.Input(input_shape, name=f"{name}_input"),
        layers.Conv2D(32, 3, activation="relu", name=f"{name}_conv1"),
        layers.MaxPooling2D(2, name=f"{name}_pool1"),
        layers.Conv2D(64, 3, activation="relu", name=f"{name}_conv2"),
        layers.MaxPooling2D(2, name=f"{name}_pool2"),
        layers.Flatten(name=f"{name}_flatten"),
    ], name=name)


def classifier(base, n_classes: int, name: str) -> keras.Sequential:
    """A new head on ``base``: dense(128, ReLU)–dropout 0.3–dense(n_classes) logits."""
    return keras.Sequential([base, layers.Dense(128, activation="relu", name=f"{name}_fc"),
                             layers.Dropout(0.3, name=f"{name}_dropout"),
                             layers.Dense(n_classes, name=f"{name}_head")], name=name)
