"""Accuracy of a trained model on held-out arrays: one definition for every chapter."""

from __future__ import annotations

import numpy as np


def predictions(model, x, batch_size: int = 1000) -> np.ndarray:
    """The model's main output on ``x`` in inference mode, in batches (auxiliary heads dropped)."""
    out = model.predict(x, batch_size=batch_size, verbose=0)
    return np.asarray(out[0] if isinstance(out, (list, tuple)) else out)


def accuracy(model, x, labels, batch_size: int = 1000) -> float:
    """Share of samples whose arg-max output (probabilities or logits) equals the integer label."""
    return float(np.mean(np.argmax(predictions(model, x, batch_size), axis=-1) == np.asarray(labels).reshape(-1)))


def binary_accuracy(model, x, labels) -> float:
    """Share of samples whose sigmoid output is on the label's side of 0.5 (one call, small inputs)."""
    prob = np.asarray(model(np.asarray(x, dtype=np.float32), training=False)).reshape(-1)
    return float(np.mean((prob > 0.5) == (np.asarray(labels).reshape(-1) == 1)))
