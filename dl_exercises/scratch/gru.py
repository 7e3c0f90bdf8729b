"""GRU forward pass in numpy, in the course's notation (Day3 Section3).

Course equations (row-vector form):

    z^t = σ(x^t W_z + h^{t-1} U_z + b_z)               update gate
    r^t = σ(x^t W_r + h^{t-1} U_r + b_r)               reset gate
    c^t = tanh(x^t W_h + (r^t ⊙ h^{t-1}) U_h + b_h)    candidate (reset before U_h)
    h^t = z^t ⊙ c^t + (1 − z^t) ⊙ h^{t-1}

``reset_after=True`` (Keras's default, cuDNN's form) applies the reset gate
after the recurrent product instead: c^t = tanh(x^t W_h + b_h + r^t ⊙ (h^{t-1} U_h + b'_h)).

Keras writes h^t = z ⊙ h^{t-1} + (1 − z) ⊙ c^t, so its update gate is the course's
1 − z; ``from_keras`` converts by negating the update gate's weights and bias
(σ(−x) = 1 − σ(x)).
"""

from __future__ import annotations

import numpy as np

from .functions import sigmoid


def from_keras(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray, reset_after: bool) -> dict:
    """Course-notation GRU weights from a ``keras.layers.GRU``'s weights (gate order z, r, h).

    Args:
        kernel: (in, 3H); recurrent_kernel: (H, 3H);
        bias: (2, 3H) input and recurrent biases when ``reset_after``, else (3H,).
        reset_after: the Keras layer's setting.
    Returns:
        dict with ``W_z, W_r, W_h`` (in, H), ``U_z, U_r, U_h`` (H, H), ``b_z, b_r, b_h`` (H,),
        ``b_hr`` (H,) (the recurrent candidate bias, zero unless ``reset_after``), and ``reset_after``.
    """
    hidden = recurrent_kernel.shape[0]
    part = lambda a, k: a[..., k * hidden : (k + 1) * hidden]  # noqa: E731
    if reset_after:
        b_in, b_rec = bias[0], bias[1]
        b = [part(b_in, k) + (part(b_rec, k) if k < 2 else 0.0) for k in range(3)]
        b_hr = part(b_rec, 2).copy()
    else:
        b = [part(bias, k) for k in range(3)]
        b_hr = np.zeros(hidden, dtype=bias.dtype)
    return {
        "W_z": -part(kernel, 0), "U_z": -part(recurrent_kernel, 0), "b_z": -b[0],
        "W_r": part(kernel, 1), "U_r": part(recurrent_kernel, 1), "b_r": b[1],
        "W_h": part(kernel, 2), "U_h": part(recurrent_kernel, 2), "b_h": b[2],
        "b_hr": b_hr, "reset_after": bool(reset_after),
    }  # fmt: skip


def gru_step(params: dict, x_t: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One GRU time step in the course's notation (Day3 Section3).

    Args:
        params: weights as returned by ``from_keras``.
        x_t: (N, in); h: previous state (N, H).
    Returns:
        new state (N, H).
    """
    z = sigmoid(x_t @ params["W_z"] + h @ params["U_z"] + params["b_z"])
    r = sigmoid(x_t @ params["W_r"] + h @ params["U_r"] + params["b_r"])
    if params["reset_after"]:
        c = np.tanh(x_t @ params["W_h"] + params["b_h"] + r * (h @ params["U_h"] + params["b_hr"]))
    else:
        c = np.tanh(x_t @ params["W_h"] + (r * h) @ params["U_h"] + params["b_h"])
    return z * c + (1.0 - z) * h


def gru_forward(params: dict, x: np.ndarray, h0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run the GRU over whole sequences (Day3 Section3).

    Args:
        params: weights; x: (N, T, in); h0: initial state (N, H), zeros when omitted.
    Returns:
        ``hs`` (N, T, H) and the final state (N, H).
    """
    n, steps, _ = x.shape
    hidden = params["U_z"].shape[0]
    h = np.zeros((n, hidden), x.dtype) if h0 is None else h0
    hs = np.zeros((n, steps, hidden), np.result_type(x.dtype, params["W_z"].dtype))
    for t in range(steps):
        h = gru_step(params, x[:, t], h)
        hs[:, t] = h
    return hs, h


def gru_param_count(input_size: int, hidden_size: int, reset_after: bool = True) -> int:
    """Trainable parameters of one GRU layer: 3·(in·H + H·H + H) [+ 3H with reset_after]."""
    return 3 * (input_size * hidden_size + hidden_size * hidden_size + hidden_size) + (3 * hidden_size if reset_after else 0)
