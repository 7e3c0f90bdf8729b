"""Sinusoidal positional encoding as the course writes it (Day4 Section5, example 5.1).

The table holds ``sin(p / 10000**(2i/max_dims))`` on even dimensions ``2i`` and
``cos(p / 10000**(2i/max_dims))`` on odd dimensions ``2i+1`` for positions
``p = 0 … max_steps-1``; an odd ``max_dims`` is rounded up to the next even
number, exactly as the course's ``Transformer.ipynb`` does.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops


def positional_encoding_table(max_steps: int, max_dims: int) -> np.ndarray:
    """The sinusoid table of Day4 Section5 example 5.1, as a float64 numpy array.

    Args:
        max_steps: number of positions ``p`` (rows).
        max_dims: model width; odd values are rounded up to even.

    Returns:
        Array of shape ``(max_steps, max_dims_even)`` with sin on even and cos on odd columns.
    """
    if max_dims % 2 == 1:
        max_dims += 1
    positions = np.arange(max_steps, dtype=np.float64)[:, None]  # (steps, 1)
    pair_index = np.arange(max_dims // 2, dtype=np.float64)[None, :]  # (1, dims/2)
    angles = positions / np.power(10000.0, 2.0 * pair_index / max_dims)
    table = np.empty((max_steps, max_dims), dtype=np.float64)
    table[:, 0::2] = np.sin(angles)
    table[:, 1::2] = np.cos(angles)
    return table


@keras.saving.register_keras_serializable(package="dlx")
class PositionalEncoding(keras.layers.Layer):
    """Adds the fixed sinusoidal position table to a sequence of embeddings (Day4 Section5).

    Args:
        max_steps: longest sequence the layer accepts.
        max_dims: widest embedding the layer accepts (odd values rounded up to even).

    Call arguments:
        inputs: float tensor ``(batch, steps, dims)`` with ``steps <= max_steps`` and
            ``dims <= max_dims``.

    Returns:
        ``inputs + table[:steps, :dims]``, same shape as ``inputs``.
    """

    def __init__(self, max_steps: int, max_dims: int, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
            raise ValueError(f"max_steps must be a positive integer. Received: max_steps={max_steps}")
        if not isinstance(max_dims, (int, np.integer)) or max_dims < 1:
            raise ValueError(f"max_dims must be a positive integer. Received: max_dims={max_dims}")
        self.max_steps = int(max_steps)
        self.max_dims = int(max_dims)  # as given; the table itself is rounded up to even width
        self.supports_masking = True

    def build(self, input_shape):
        table = positional_encoding_table(self.max_steps, self.max_dims)
        # A constant, not a weight: nothing to train and nothing to save.
        self.positional_embedding = ops.convert_to_tensor(table[None].astype(self.compute_dtype))
        steps, dims = input_shape[-2], input_shape[-1]
        if steps is not None and steps > self.max_steps:
            raise ValueError(f"input has {steps} steps but max_steps={self.max_steps}")
        if dims is not None and dims > table.shape[1]:
            raise ValueError(f"input has width {dims} but max_dims={self.max_dims}")
        self.built = True

    def call(self, inputs):
        shape = ops.shape(inputs)
        return inputs + ops.cast(self.positional_embedding[:, : shape[-2], : shape[-1]], inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_steps": self.max_steps, "max_dims": self.max_dims})
        return config
