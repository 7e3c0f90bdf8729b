"""Measurements of a compressed model, alike for every variant (Day4 Section3): accuracy, bytes, latency."""

from __future__ import annotations

import time

import numpy as np


def accuracy_of(model, x, y) -> float:
    """Test accuracy from logits, one batched call per 1,000 images."""
    correct = 0
    for start in range(0, len(x), 1000):
        logits = np.asarray(model(x[start:start + 1000], training=False))
        correct += int(np.sum(logits.argmax(-1) == y[start:start + 1000]))
    return correct / len(x)


def clone_trained(model, name: str | None = None):
    """A new model of the same architecture holding a copy of ``model``'s weights."""
    from ...runtime import tf_keras

    _, keras = tf_keras()
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


def weight_bytes(model) -> int:
    """Bytes of the model's variables as held in memory (int8 kernels count one byte per weight)."""
    return int(sum(np.asarray(v.numpy()).nbytes for v in model.weights))


def keras_latency_us(model, images, repeats: int = 200) -> float:
    """Median µs of one compiled call on a single (1, 28, 28, 1) image (the first calls warm it up)."""
    from ...runtime import tf_keras

    tf, _ = tf_keras()
    call = tf.function(lambda image: model(image, training=False), reduce_retracing=True)
    times = []
    for i in range(repeats + 5):
        image = images[i % len(images)][None]
        start = time.perf_counter()
        np.asarray(call(image))
        times.append(time.perf_counter() - start)
    return float(np.median(times[5:]) * 1e6)


def zipped_bytes(data: bytes) -> int:
    """Bytes of ``data`` as the one entry of a zip archive (deflate, level 9)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("model.tflite", data)
    return len(buffer.getvalue())
