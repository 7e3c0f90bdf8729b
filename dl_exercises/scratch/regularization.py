"""Dropout and weight decay (L2 / L1) in numpy (Day2 Section3, 過学習).

Dropout: in training each node is dropped with probability ``ratio``. The
course's layer keeps the survivors unscaled and multiplies by (1 − ratio) at
inference, so the expected training output equals the inference output.
Keras uses "inverted" dropout: survivors are scaled by 1/(1 − rate) in
training and inference is the identity; ``Dropout(inverted=True)`` does that.

Weight decay adds a penalty on the weights W (not the biases) to the loss:
L2: λ/2 · Σ‖W‖² with gradient λ W; L1: λ · Σ|W| with gradient λ · sign(W).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .layers import Layer


class Dropout(Layer):
    """Randomly drop nodes in training (Day2 Section3, ドロップアウト).

    Args:
        ratio: probability of dropping a node, in [0, 1).
        rng: numpy generator for the masks.
        inverted: scale survivors by 1/(1 − ratio) in training (Keras) instead of
            scaling by (1 − ratio) at inference (course).
    Call arguments:
        x: any shape; train: apply a fresh mask (True) or the inference scaling (False).
    Returns:
        forward: same shape as x; backward: dout through the same mask and scale.
    """

    def __init__(self, ratio: float = 0.5, rng: np.random.Generator | None = None, inverted: bool = False) -> None:
        super().__init__()
        if not 0.0 <= ratio < 1.0:
            raise ValueError(f"Dropout: ratio must be in [0, 1), Received: ratio={ratio}")
        self.ratio = float(ratio)
        self.rng = rng if rng is not None else np.random.default_rng()
        self.inverted = bool(inverted)
        self._scale = None

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        keep = 1.0 - self.ratio
        if train:
            mask = self.rng.random(x.shape) >= self.ratio
            self._scale = mask / keep if self.inverted else mask.astype(x.dtype)
        else:
            self._scale = 1.0 if self.inverted else keep
        return x * self._scale

    def backward(self, dout):
        return dout * self._scale


def weight_decay_penalty(weights: Iterable[np.ndarray], lam: float, kind: str = "l2") -> float:
    """Penalty added to the loss: λ/2 Σ‖W‖² (``"l2"``) or λ Σ|W| (``"l1"``) over ``weights`` (Day2 Section3).

    Args:
        weights: weight matrices (biases excluded by the caller).
        lam: λ >= 0.
        kind: "l2" or "l1".
    Returns:
        float.
    """
    kind = _check_kind(kind)
    if kind == "l2":
        return float(0.5 * lam * sum(np.sum(np.asarray(w, dtype=np.float64) ** 2) for w in weights))
    return float(lam * sum(np.sum(np.abs(np.asarray(w, dtype=np.float64))) for w in weights))


def weight_decay_gradient(weight: np.ndarray, lam: float, kind: str = "l2") -> np.ndarray:
    """Gradient of the penalty with respect to one weight matrix: λW (L2) or λ·sign(W) (L1).

    Args:
        weight: array of any shape.
    Returns:
        array of the same shape.
    """
    kind = _check_kind(kind)
    weight = np.asarray(weight)
    return lam * weight if kind == "l2" else lam * np.sign(weight)


def _check_kind(kind: str) -> str:
    key = str(kind).lower()
    if key not in ("l1", "l2"):
        raise ValueError(f"weight decay kind must be 'l1' or 'l2', Received: kind={kind!r}")
    return key
