"""Scaled dot-product and multi-head attention, and the Transformer's masks (Day4 Section5, eq. 8-9).

Masks follow Keras's convention: a boolean tensor that is ``True`` where a
query may attend to a key. ``padding_mask`` hides padded source tokens,
``look_ahead_mask`` hides future target positions (causal decoding).
"""

from __future__ import annotations

import math

import keras
from keras import ops

# Added to scores of masked keys before the softmax; large enough that exp() underflows
# to 0 in float32, small enough to stay finite (fully masked rows then give a uniform softmax).
_MASK_FILL = -1e9


def padding_mask(token_ids, pad_id: int = 0):
    """Which keys are real tokens, shaped to broadcast over queries (Day4 Section5).

    Args:
        token_ids: int tensor ``(batch, steps)``.
        pad_id: the padding token.

    Returns:
        bool tensor ``(batch, 1, steps)``: ``True`` for real tokens.
    """
    return ops.expand_dims(ops.not_equal(token_ids, pad_id), axis=1)


def look_ahead_mask(steps):
    """Causal mask: query ``t`` may see keys ``0 … t`` only (Day4 Section5, decoder).

    Args:
        steps: number of positions (int or scalar tensor).

    Returns:
        bool tensor ``(steps, steps)``, lower triangular including the diagonal.
    """
    rows = ops.expand_dims(ops.arange(steps), 1)
    cols = ops.expand_dims(ops.arange(steps), 0)
    return ops.greater_equal(rows, cols)


def _softmax_last(scores):
    # Written out (not ops.softmax) so a single key, as in the first decoding step, raises no warning.
    shifted = scores - ops.max(scores, axis=-1, keepdims=True)
    exp = ops.exp(shifted)
    return exp / ops.sum(exp, axis=-1, keepdims=True)


def scaled_dot_product_attention(query, key, value, mask=None):
    """Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V (Day4 Section5, eq. 8).

    Args:
        query: ``(..., T, d_k)``.
        key: ``(..., S, d_k)``.
        value: ``(..., S, d_v)``.
        mask: optional bool, broadcastable to ``(..., T, S)``; ``True`` = may attend.

    Returns:
        ``(output, weights)``: output ``(..., T, d_v)``, attention weights ``(..., T, S)``.
    """
    d_k = ops.shape(query)[-1]
    scores = ops.matmul(query, ops.swapaxes(key, -1, -2)) / ops.sqrt(ops.cast(d_k, query.dtype))
    if mask is not None:
        scores = ops.where(mask, scores, ops.cast(_MASK_FILL, scores.dtype))
    weights = _softmax_last(scores)
    return ops.matmul(weights, value), weights


@keras.saving.register_keras_serializable(package="dlx")
class MultiHeadAttention(keras.layers.Layer):
    """MultiHead(Q, K, V) = Concat(head_1 … head_h) W^O, head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V) (eq. 9).

    The ``h`` projection matrices ``W_i^Q`` (``d_model × key_dim``) are stored side
    by side in one kernel ``(d_model, h·key_dim)``, likewise for K and V; ``W^O``
    is ``(h·value_dim, output_dim)``.

    Args:
        num_heads: number of heads ``h``.
        key_dim: width of each head's queries and keys (``d_k``).
        value_dim: width of each head's values (``d_v``); defaults to ``key_dim``.
        dropout: dropout rate on the attention weights during training.
        use_bias: whether the four projections have biases.
        output_dim: width of the output; defaults to the query's width.

    Call arguments:
        query: ``(batch, T, d_q)``.
        value: ``(batch, S, d_v_in)``.
        key: ``(batch, S, d_k_in)``; defaults to ``value``.
        attention_mask: optional bool ``(batch, T, S)`` (or broadcastable), ``True`` = may attend.
        use_causal_mask: also apply the look-ahead mask (requires T == S).
        return_attention_scores: also return the weights ``(batch, h, T, S)``.
        training: enables dropout.

    Returns:
        ``(batch, T, output_dim)``, and the weights when asked for.
    """

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None, dropout: float = 0.0,
                 use_bias: bool = True, output_dim: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(num_heads, int) or num_heads < 1:
            raise ValueError(f"num_heads must be a positive integer. Received: num_heads={num_heads}")
        if not isinstance(key_dim, int) or key_dim < 1:
            raise ValueError(f"key_dim must be a positive integer. Received: key_dim={key_dim}")
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim < 1):
            raise ValueError(f"value_dim must be a positive integer or None. Received: value_dim={value_dim}")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout}")
        if output_dim is not None and (not isinstance(output_dim, int) or output_dim < 1):
            raise ValueError(f"output_dim must be a positive integer or None. Received: output_dim={output_dim}")
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        self.output_dim = output_dim

    def _dense(self, name, units):
        return keras.layers.Dense(units, use_bias=self.use_bias, name=name, dtype=self.dtype_policy)

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        v_dim = self.value_dim or self.key_dim
        out_dim = self.output_dim or query_shape[-1]
        self.query_dense = self._dense("query", self.num_heads * self.key_dim)
        self.key_dense = self._dense("key", self.num_heads * self.key_dim)
        self.value_dense = self._dense("value", self.num_heads * v_dim)
        self.output_dense = self._dense("attention_output", out_dim)
        self.query_dense.build(query_shape)
        self.key_dense.build(key_shape)
        self.value_dense.build(value_shape)
        self.output_dense.build(tuple(query_shape[:-1]) + (self.num_heads * v_dim,))
        self.dropout_layer = keras.layers.Dropout(self.dropout, dtype=self.dtype_policy)
        self.built = True

    def _split_heads(self, x, width):
        # (batch, steps, h*width) -> (batch, h, steps, width)
        shape = ops.shape(x)
        x = ops.reshape(x, (shape[0], shape[1], self.num_heads, width))
        return ops.transpose(x, (0, 2, 1, 3))

    def call(self, query, value, key=None, attention_mask=None, use_causal_mask=False,
             return_attention_scores=False, training=None):
        key = value if key is None else key
        v_dim = self.value_dim or self.key_dim
        q = self._split_heads(self.query_dense(query), self.key_dim)
        k = self._split_heads(self.key_dense(key), self.key_dim)
        v = self._split_heads(self.value_dense(value), v_dim)
        mask = None
        if attention_mask is not None:
            mask = ops.cast(attention_mask, "bool")
            while len(mask.shape) < 3:
                mask = ops.expand_dims(mask, 0)
            mask = ops.expand_dims(mask, 1)  # broadcast over heads
        if use_causal_mask:
            causal = look_ahead_mask(ops.shape(query)[1])
            mask = causal if mask is None else ops.logical_and(mask, causal)
        if self.dropout > 0.0:
            # Same maths as scaled_dot_product_attention, with dropout on the weights.
            scores = ops.matmul(q, ops.swapaxes(k, -1, -2)) / math.sqrt(self.key_dim)
            if mask is not None:
                scores = ops.where(mask, scores, ops.cast(_MASK_FILL, scores.dtype))
            weights = _softmax_last(scores)
            heads = ops.matmul(self.dropout_layer(weights, training=training), v)
        else:
            heads, weights = scaled_dot_product_attention(q, k, v, mask)
        heads = ops.transpose(heads, (0, 2, 1, 3))  # (batch, T, h, d_v)
        shape = ops.shape(heads)
        concat = ops.reshape(heads, (shape[0], shape[1], self.num_heads * v_dim))
        output = self.output_dense(concat)
        if return_attention_scores:
            return output, weights
        return output

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "output_dim": self.output_dim,
        })
        return config
