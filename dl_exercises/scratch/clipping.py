"""Gradient clipping by norm, the course's ``gradient_clipping`` (Day3 Section2, 演習チャレンジ).

When the L2 norm of a gradient exceeds ``threshold`` it is rescaled to norm
``threshold``: ``grad * rate`` with ``rate = threshold / norm`` (the 確認テスト
answer); otherwise it is returned unchanged. Keras's ``clipnorm`` does the same
to each variable's gradient separately.
"""

from __future__ import annotations

import numpy as np


def gradient_clipping(grad: np.ndarray, threshold: float) -> np.ndarray:
    """Rescale ``grad`` to norm ``threshold`` when its norm is larger (Day3 Section2).

    Args:
        grad: gradient array, any shape.
        threshold: largest allowed L2 norm (> 0).
    Returns:
        array of the same shape: ``grad * threshold / ‖grad‖`` or ``grad``.
    """
    if threshold <= 0:
        raise ValueError(f"threshold must be positive; Received: threshold={threshold}")
    norm = np.linalg.norm(grad)
    if norm == 0:
        return grad
    rate = threshold / norm
    if rate < 1:
        return grad * rate
    return grad


def clip_each(grads: dict[str, np.ndarray], threshold: float) -> dict[str, np.ndarray]:
    """``gradient_clipping`` applied to each array separately, as Keras ``clipnorm`` does.

    Args:
        grads: name → gradient array.
        threshold: largest allowed norm per array.
    Returns:
        a new dict with the clipped arrays.
    """
    return {k: gradient_clipping(g, threshold) for k, g in grads.items()}
