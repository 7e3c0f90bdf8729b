"""LSTM forward pass in numpy, with optional peephole connections (Day3 Section2).

Course equations (row-vector form, biases added), with Keras's gate order i, f, c, o:

    i^t = σ(x^t W_i + h^{t-1} U_i + b_i [+ p_i ⊙ c^{t-1}])     input gate
    f^t = σ(x^t W_f + h^{t-1} U_f + b_f [+ p_f ⊙ c^{t-1}])     forget gate
    a^t = tanh(x^t W_c + h^{t-1} U_c + b_c)                   cell input
    c^t = i^t ⊙ a^t + f^t ⊙ c^{t-1}                            CEC
    o^t = σ(x^t W_o + h^{t-1} U_o + b_o [+ p_o ⊙ c^t])          output gate
    h^t = o^t ⊙ tanh(c^t)

The four gates' weights sit side by side as in ``keras.layers.LSTM``:
``kernel`` (in, 4H), ``recurrent_kernel`` (H, 4H), ``bias`` (4H,).
Peepholes (覗き穴結合) let the CEC value itself steer the gates.
"""

from __future__ import annotations

import numpy as np

from .functions import sigmoid


def init_lstm_params(
    input_size: int, hidden_size: int, *, peephole: bool = False, rng: np.random.Generator | None = None
) -> dict[str, np.ndarray]:
    """Small random weights for an LSTM layer (Day3 Section2).

    Args:
        input_size, hidden_size: sizes.
        peephole: also create ``peephole`` (3, H) for p_i, p_f, p_o.
        rng: numpy generator.
    Returns:
        dict with ``kernel`` (in, 4H), ``recurrent_kernel`` (H, 4H), ``bias`` (4H,) [, ``peephole`` (3, H)].
    """
    rng = rng or np.random.default_rng(0)
    params = {
        "kernel": rng.normal(0, 1 / np.sqrt(input_size), (input_size, 4 * hidden_size)),
        "recurrent_kernel": rng.normal(0, 1 / np.sqrt(hidden_size), (hidden_size, 4 * hidden_size)),
        "bias": np.zeros(4 * hidden_size),
    }
    if peephole:
        params["peephole"] = rng.normal(0, 0.5, (3, hidden_size))
    return params


def lstm_step(params: dict, x_t: np.ndarray, h: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM time step (Day3 Section2).

    Args:
        params: weights (see module docstring); ``peephole`` optional.
        x_t: (N, in); h, c: previous hidden and cell states (N, H).
    Returns:
        ``(h, c)``, each (N, H).
    """
    hidden = h.shape[1]
    gates = x_t @ params["kernel"] + h @ params["recurrent_kernel"] + params["bias"]
    pre_i, pre_f, pre_c, pre_o = (gates[:, k * hidden : (k + 1) * hidden] for k in range(4))
    peep = params.get("peephole")
    if peep is not None:
        pre_i = pre_i + peep[0] * c
        pre_f = pre_f + peep[1] * c
    i, f, a = sigmoid(pre_i), sigmoid(pre_f), np.tanh(pre_c)
    c_new = i * a + f * c
    if peep is not None:
        pre_o = pre_o + peep[2] * c_new
    o = sigmoid(pre_o)
    return o * np.tanh(c_new), c_new


def lstm_forward(
    params: dict, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the LSTM over whole sequences (Day3 Section2).

    Args:
        params: weights; x: (N, T, in); h0, c0: initial states (N, H), zeros when omitted.
    Returns:
        ``hs`` (N, T, H), final ``h`` (N, H) and final ``c`` (N, H).
    """
    n, steps, _ = x.shape
    hidden = params["recurrent_kernel"].shape[0]
    h = np.zeros((n, hidden), x.dtype) if h0 is None else h0
    c = np.zeros((n, hidden), x.dtype) if c0 is None else c0
    hs = np.zeros((n, steps, hidden), np.result_type(x.dtype, params["kernel"].dtype))
    for t in range(steps):
        h, c = lstm_step(params, x[:, t], h, c)
        hs[:, t] = h
    return hs, h, c


def lstm_param_count(input_size: int, hidden_size: int, peephole: bool = False) -> int:
    """Trainable parameters of one LSTM layer: 4·(in·H + H·H + H) [+ 3H]."""
    return 4 * (input_size * hidden_size + hidden_size * hidden_size + hidden_size) + (3 * hidden_size if peephole else 0)
