"""Activation and loss functions of the course, and their derivatives, in numpy.

Day1 Section2 (活性化関数) and Section3 (出力層: 誤差関数). Each function
works element-wise on arrays of any shape unless stated otherwise; softmax
and the losses treat the last axis as the class axis and the first as the batch.
"""

from __future__ import annotations

import numpy as np

#: The course's ``cross_entropy_error`` adds this inside the log so log(0) never occurs.
LOG_EPS = 1e-7


# --- activations ---------------------------------------------------------------------------


def step(x):
    """Step function: 1 where x > 0, else 0 (Day1 Section2).

    Args:
        x: array of any shape.
    Returns:
        array of the same shape, dtype of ``x`` (or float64 for ints).
    """
    x = np.asarray(x)
    return (x > 0).astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)


def d_step(x):
    """Derivative of the step function: 0 everywhere (undefined at 0; 0 used there too)."""
    return np.zeros_like(np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32)))


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-x)), overflow-safe (Day1 Section2).

    Args:
        x: array of any shape.
    Returns:
        array of the same shape with values in (0, 1).
    """
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    # 1 / (1 + e^-x) = exp(-log(1 + e^-x)); logaddexp never overflows
    return np.exp(-np.logaddexp(0.0, -x)).astype(x.dtype, copy=False)


def d_sigmoid(x):
    """Derivative of the sigmoid: σ(x)(1 − σ(x)); largest at x = 0, where it is 0.25."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    """Hyperbolic tangent (Day1 Section2)."""
    return np.tanh(np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32)))


def d_tanh(x):
    """Derivative of tanh: 1 − tanh²(x) = 1 / cosh²(x)."""
    t = tanh(x)
    return 1.0 - t * t


def relu(x):
    """Rectified linear unit max(0, x) (Day1 Section2)."""
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    return np.maximum(x, 0)


def d_relu(x):
    """Derivative of ReLU: 1 where x > 0, else 0 (0 chosen at x = 0, as TensorFlow does)."""
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    return (x > 0).astype(x.dtype)


def leaky_relu(x, alpha: float = 0.01):
    """Leaky ReLU: x for x > 0, alpha·x otherwise (Day1 Section2).

    Args:
        x: array of any shape.
        alpha: slope for negative inputs.
    """
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    return np.where(x > 0, x, alpha * x)


def d_leaky_relu(x, alpha: float = 0.01):
    """Derivative of leaky ReLU: 1 for x > 0, alpha otherwise."""
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def identity(x):
    """Identity (恒等写像), the output activation for regression (Day1 Section3)."""
    return np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))


def d_identity(x):
    """Derivative of the identity: ones."""
    return np.ones_like(identity(x))


def softmax(x):
    """Row-wise softmax over the last axis, overflow-safe (max subtracted) (Day1 Section3).

    Args:
        x: scores, shape (..., classes).
    Returns:
        probabilities of the same shape; each row sums to 1.
    """
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    shifted = x - np.max(x, axis=-1, keepdims=True)
    ex = np.exp(shifted)
    return ex / np.sum(ex, axis=-1, keepdims=True)


def d_softmax(x):
    """Jacobian of softmax for one row or a batch.

    Args:
        x: scores, shape (classes,) or (N, classes).
    Returns:
        shape (classes, classes) or (N, classes, classes) with J[i, j] = y_i (δ_ij − y_j).
    """
    y = softmax(x)
    eye = np.eye(y.shape[-1], dtype=y.dtype)
    return y[..., :, None] * (eye - y[..., None, :])


ACTIVATIONS = {
    "step": (step, d_step),
    "sigmoid": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "relu": (relu, d_relu),
    "leaky_relu": (leaky_relu, d_leaky_relu),
    "identity": (identity, d_identity),
}
"""Name -> (function, derivative) for the element-wise activations."""


# --- losses ----------------------------------------------------------------------------------


def _as_batch(y, t):
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.ndim == 1 and t.size == y.size else t.reshape(-1)
    return y, t


def mean_squared_error(y, d):
    """Course MSE: ½ Σ (y − d)² over all elements, averaged over the batch (Day1 Section3).

    The ½ cancels the 2 from differentiating the square, so dE/dy = (y − d) per sample.
    Keras' ``MeanSquaredError`` is mean((y − d)²) over the last axis, without ½;
    for a single output unit this function equals 0.5 × Keras' value.

    Args:
        y: predictions, shape (N, K) or (K,).
        d: targets, same shape as ``y``.
    Returns:
        float.
    """
    y, d = np.asarray(y, dtype=np.float64), np.asarray(d, dtype=np.float64)
    if y.shape != d.shape:
        raise ValueError(f"mean_squared_error: shapes differ, Received: y.shape={y.shape}, d.shape={d.shape}")
    batch = y.shape[0] if y.ndim > 1 else 1
    return float(0.5 * np.sum((y - d) ** 2) / batch)


def cross_entropy_error(y, t):
    """Cross-entropy −Σ t log(y + 1e-7), averaged over the batch, as in the course code (Day1 Section3).

    Args:
        y: probabilities, shape (N, K) or (K,).
        t: one-hot targets of the same shape, or sparse integer labels, shape (N,) or scalar.
    Returns:
        float.
    """
    y, t = _as_batch(y, t)
    batch = y.shape[0]
    if t.shape == y.shape:
        return float(-np.sum(t * np.log(y + LOG_EPS)) / batch)
    labels = t.astype(np.int64).reshape(-1)
    if labels.shape[0] != batch:
        raise ValueError(f"cross_entropy_error: {labels.shape[0]} labels for {batch} predictions")
    return float(-np.sum(np.log(y[np.arange(batch), labels] + LOG_EPS)) / batch)


def binary_cross_entropy(y, t, eps: float = LOG_EPS):
    """Binary cross-entropy −mean(t log y + (1 − t) log(1 − y)) (Day1 Section3).

    ``y`` is clipped to [eps, 1 − eps] (Keras clips with its epsilon 1e-7 too).

    Args:
        y: probabilities of class 1, any shape.
        t: 0/1 targets, same shape.
    Returns:
        float, mean over all elements.
    """
    y = np.clip(np.asarray(y, dtype=np.float64), eps, 1.0 - eps)
    t = np.asarray(t, dtype=np.float64).reshape(y.shape)
    return float(-np.mean(t * np.log(y) + (1.0 - t) * np.log(1.0 - y)))


def one_hot(labels, num_classes: int):
    """Integer labels, shape (N,), to one-hot rows, shape (N, num_classes), float64."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    out = np.zeros((labels.shape[0], num_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
