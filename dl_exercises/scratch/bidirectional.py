"""The course's bidirectional RNN forward pass in numpy (Day3 Section4, 演習チャレンジ).

A forward RNN reads each sequence as is, a backward RNN reads it reversed;
the backward states are reversed again so that step t of both lines up, and
they are concatenated on the feature axis (axis 1 of each (T, H) sequence:
the challenge's answer), then projected by V.
"""

from __future__ import annotations

import numpy as np


def _rnn(xs: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """Hidden states of a tanh RNN h^t = tanh(x^t W + h^{t-1} U + b).

    Args:
        xs: (N, T, in); W: (in, H); U: (H, H); b: (H,) or None.
    Returns:
        (N, T, H).
    """
    n, steps, _ = xs.shape
    h = np.zeros((n, U.shape[0]), np.result_type(xs.dtype, W.dtype))
    hs = np.zeros((n, steps, U.shape[0]), h.dtype)
    for t in range(steps):
        h = np.tanh(xs[:, t] @ W + h @ U + (0.0 if b is None else b))
        hs[:, t] = h
    return hs


def bidirectional_rnn_net(
    xs: np.ndarray,
    W_f: np.ndarray,
    U_f: np.ndarray,
    W_b: np.ndarray,
    U_b: np.ndarray,
    V: np.ndarray,
    b_f: np.ndarray | None = None,
    b_b: np.ndarray | None = None,
) -> np.ndarray:
    """Outputs of the course's bidirectional RNN (Day3 Section4).

    Args:
        xs: (N, T, in) batch of sequences.
        W_f, W_b: (in, H) input weights; U_f, U_b: (H, H) recurrent weights.
        V: (out, 2H) output weights (the course computes ``hs.dot(V.T)``).
        b_f, b_b: optional (H,) biases (the course's ``_rnn`` has none).
    Returns:
        ys (N, T, out).
    """
    xs_f = np.zeros_like(xs)
    xs_b = np.zeros_like(xs)
    for i, x in enumerate(xs):
        xs_f[i] = x
        xs_b[i] = x[::-1]
    hs_f = _rnn(xs_f, W_f, U_f, b_f)
    hs_b = _rnn(xs_b, W_b, U_b, b_b)
    hs = np.array([np.concatenate([h_f, h_b[::-1]], axis=1) for h_f, h_b in zip(hs_f, hs_b)])
    return hs.dot(V.T)
