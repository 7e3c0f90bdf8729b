"""Attention over encoder states for RNN seq2seq: additive (Bahdanau) and dot (Luong) scores (Day3 Section5).

"Which input words does this output word relate to?" (Day3, Attention
Mechanism): each decoder state s_j scores every encoder state h_i, the scores
are softmaxed over i (padding masked out), and the context c_j = Σ_i α_ji h_i
frees the decoder from one fixed-size thought vector.

- additive (Bahdanau et al. 2015): e_ji = vᵀ tanh(W_q s_j + W_k h_i)
- dot (Luong et al. 2015): e_ji = s_j · h_i
"""

from __future__ import annotations

import keras
from keras import ops

SCORES = ("additive", "dot")


@keras.saving.register_keras_serializable(package="dlx")
class RNNAttention(keras.layers.Layer):
    """Context vectors and attention weights of decoder states over encoder states (Day3 Section5).

    Args:
        score: ``"additive"`` (Bahdanau) or ``"dot"`` (Luong).
        units: size of the additive score's hidden layer (ignored by ``dot``).

    Call arguments:
        query: decoder states (batch, T_dec, d).
        value: encoder states (batch, T_enc, d) (``dot`` needs the same d).
        value_mask: optional bool (batch, T_enc); False positions get no weight.

    Returns:
        ``(context, weights)``: (batch, T_dec, d) and (batch, T_dec, T_enc).
    """

    def __init__(self, score: str = "additive", units: int = 64, **kwargs):
        super().__init__(**kwargs)
        if score not in SCORES:
            raise ValueError(f"score must be one of {SCORES}. Received: score={score!r}")
        if units < 1:
            raise ValueError(f"units must be positive. Received: units={units}")
        self.score = score
        self.units = units

    def build(self, query_shape, value_shape=None, value_mask_shape=None):
        value_shape = value_shape or query_shape
        if self.score == "additive":
            self.query_dense = keras.layers.Dense(self.units, use_bias=False, name="W_q", dtype=self.dtype_policy)
            self.key_dense = keras.layers.Dense(self.units, use_bias=False, name="W_k", dtype=self.dtype_policy)
            self.query_dense.build(query_shape)
            self.key_dense.build(value_shape)
            self.v = self.add_weight(name="v", shape=(self.units,), initializer="glorot_uniform")
        self.built = True

    def scores(self, query, value):
        """Unnormalized scores e (batch, T_dec, T_enc)."""
        if self.score == "dot":
            return ops.matmul(query, ops.transpose(value, (0, 2, 1)))
        q = ops.expand_dims(self.query_dense(query), 2)  # (B, Td, 1, u)
        k = ops.expand_dims(self.key_dense(value), 1)  # (B, 1, Te, u)
        return ops.sum(self.v * ops.tanh(q + k), axis=-1)

    def call(self, query, value, value_mask=None, mask=None):
        # ``mask`` (the query's Keras mask) is accepted and unused: padded decoder steps are dropped by the loss
        e = self.scores(query, value)
        if value_mask is not None:
            mask = ops.expand_dims(ops.cast(value_mask, "bool"), 1)
            e = ops.where(mask, e, ops.full_like(e, -1e9))
        weights = ops.softmax(e, axis=-1)
        return ops.matmul(weights, value), weights

    def compute_mask(self, *args, **kwargs):
        return None

    def compute_output_shape(self, query_shape, value_shape=None, value_mask_shape=None):
        value_shape = value_shape or query_shape
        return (query_shape[0], query_shape[1], value_shape[2]), (query_shape[0], query_shape[1], value_shape[1])

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units}
