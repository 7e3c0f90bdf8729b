"""Numerical gradients by central difference (Day1 Section5, 勾配の数値計算).

Used to check analytic (back-propagated) gradients. Work in float64: with
h = 1e-4 the central difference has error O(h²) ≈ 1e-8 for smooth functions.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Gradient of scalar ``f`` at ``x`` by (f(x + h) − f(x − h)) / 2h per element.

    ``x`` is perturbed in place (and restored), so ``f`` may close over the same
    array object, as the course's ``numerical_gradient(loss_W, W)`` does.

    Args:
        f: function of ``x`` returning a scalar.
        x: float64 array of any shape (a float32 array raises: too coarse for h = 1e-4).
        h: step.
    Returns:
        float64 array, same shape as ``x``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            f"numerical_gradient needs a float64 numpy array, Received: "
            f"{type(x).__name__} of dtype {getattr(x, 'dtype', None)}"
        )
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        original = x[idx]
        x[idx] = original + h
        f_plus = float(f(x))
        x[idx] = original - h
        f_minus = float(f(x))
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2.0 * h)
        it.iternext()
    return grad


def numerical_derivative(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Element-wise derivative of an element-wise function by central difference.

    Args:
        f: element-wise function (e.g. an activation).
        x: float64 array, any shape.
    Returns:
        float64 array of f'(x), same shape.
    """
    x = np.asarray(x, dtype=np.float64)
    return (np.asarray(f(x + h), dtype=np.float64) - np.asarray(f(x - h), dtype=np.float64)) / (2.0 * h)
