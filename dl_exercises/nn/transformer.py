"""Transformer encoder–decoder blocks and a builder (Vaswani et al. 2017; Day4 Section5).

Pieces, each a serializable Keras layer: ``AddNorm`` (residual + layer
normalization), ``PositionwiseFeedForward`` (two dense layers, ReLU between),
``TransformerEncoderLayer`` (self-attention, FFN), ``TransformerDecoderLayer``
(masked self-attention, encoder–decoder attention, FFN), ``TokenEmbedding``
(embedding × √d_model + the course's ``PositionalEncoding``). ``build_transformer``
wires them into three functional models that share weights: one for teacher-
forced training, one that encodes, one that decodes a step; ``make_log_probs_fn``
serves the decoders of ``nn.decoding``. The paper's learning-rate schedules are in
``nn.schedules``, the padded, label-smoothed cross-entropy in ``nn.masked_losses``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import keras
from keras import ops

from .arguments import check_positive_int, check_rate
from .attention import MultiHeadAttention, padding_mask
from .positional_encoding import PositionalEncoding


@keras.saving.register_keras_serializable(package="dlx")
class AddNorm(keras.layers.Layer):
    """Add & Norm: ``LayerNorm(x + Dropout(sublayer(x)))`` (Day4 Section5, post-norm as in the paper).

    Args:
        dropout: dropout rate on the sublayer output.
        epsilon: layer-normalization epsilon.

    Call arguments:
        inputs: ``(x, sublayer_output)``, both ``(batch, steps, d_model)``.

    Returns:
        ``(batch, steps, d_model)``.
    """

    def __init__(self, dropout: float = 0.0, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        check_rate("dropout", dropout)
        if not epsilon > 0:
            raise ValueError(f"epsilon must be positive. Received: epsilon={epsilon}")
        self.dropout = float(dropout)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        self.dropout_layer = keras.layers.Dropout(self.dropout, dtype=self.dtype_policy)
        self.norm = keras.layers.LayerNormalization(epsilon=self.epsilon, name="layer_norm", dtype=self.dtype_policy)
        self.norm.build(input_shape[0])
        self.built = True

    def call(self, inputs, training=None):
        x, sub = inputs
        return self.norm(x + self.dropout_layer(sub, training=training))

    def get_config(self):
        return {**super().get_config(), "dropout": self.dropout, "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="dlx")
class PositionwiseFeedForward(keras.layers.Layer):
    """FFN(x) = max(0, x W1 + b1) W2 + b2, applied to every position alike (Day4 Section5).

    Args:
        d_model: input and output width.
        d_ff: inner width.
        activation: inner activation (``"relu"`` in the paper).

    Call arguments:
        inputs: ``(batch, steps, d_model)``.

    Returns:
        ``(batch, steps, d_model)``.
    """

    def __init__(self, d_model: int, d_ff: int, activation: str = "relu", **kwargs):
        super().__init__(**kwargs)
        check_positive_int("d_model", d_model)
        check_positive_int("d_ff", d_ff)
        self.d_model = d_model
        self.d_ff = d_ff
        self.activation = activation

    def build(self, input_shape):
        self.inner = keras.layers.Dense(self.d_ff, activation=self.activation, name="inner", dtype=self.dtype_policy)
        self.outer = keras.layers.Dense(self.d_model, name="outer", dtype=self.dtype_policy)
        self.inner.build(input_shape)
        self.outer.build(tuple(input_shape[:-1]) + (self.d_ff,))
        self.built = True

    def call(self, inputs):
        return self.outer(self.inner(inputs))

    def get_config(self):
        return {**super().get_config(), "d_model": self.d_model, "d_ff": self.d_ff, "activation": self.activation}


class _BlockBase(keras.layers.Layer):
    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1, head_dim: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        check_positive_int("d_model", d_model)
        check_positive_int("num_heads", num_heads)
        check_positive_int("d_ff", d_ff)
        check_rate("dropout", dropout)
        if head_dim is None and d_model % num_heads:
            raise ValueError(f"d_model must be divisible by num_heads (or give head_dim). "
                             f"Received: d_model={d_model}, num_heads={num_heads}")
        if head_dim is not None:
            check_positive_int("head_dim", head_dim)
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_ff = d_ff
        self.dropout = float(dropout)
        self.head_dim = head_dim

    def _attention(self, name):
        # head_dim None: d_k = d_v = d_model / h, as in the paper; the course lab's 6 heads of 32 over d_model 128
        # project to 192 and back (W^O is 192 × 128).
        return MultiHeadAttention(self.num_heads, self.head_dim or self.d_model // self.num_heads, dropout=self.dropout,
                                  output_dim=self.d_model, name=name, dtype=self.dtype_policy)

    def get_config(self):
        return {**super().get_config(), "d_model": self.d_model, "num_heads": self.num_heads,
                "d_ff": self.d_ff, "dropout": self.dropout, "head_dim": self.head_dim}


@keras.saving.register_keras_serializable(package="dlx")
class TransformerEncoderLayer(_BlockBase):
    """One encoder layer: self-attention → Add & Norm → FFN → Add & Norm (Day4 Section5).

    Args:
        d_model: model width.
        num_heads: attention heads (``d_model`` must be divisible by it unless ``head_dim`` is given).
        d_ff: FFN inner width.
        dropout: dropout rate (attention weights and sublayer outputs).
        head_dim: d_k = d_v of each head (default ``d_model // num_heads``).

    Call arguments:
        x: ``(batch, S, d_model)``.
        mask: optional bool ``(batch, 1, S)`` padding mask (``True`` = real token).

    Returns:
        ``(batch, S, d_model)``.
    """

    def build(self, input_shape):
        self.self_attention = self._attention("self_attention")
        self.self_attention.build(input_shape, input_shape)
        self.add_norm_1 = AddNorm(self.dropout, name="add_norm_1", dtype=self.dtype_policy)
        self.ffn = PositionwiseFeedForward(self.d_model, self.d_ff, name="ffn", dtype=self.dtype_policy)
        self.ffn.build(input_shape)
        self.add_norm_2 = AddNorm(self.dropout, name="add_norm_2", dtype=self.dtype_policy)
        self.add_norm_1.build((input_shape, input_shape))
        self.add_norm_2.build((input_shape, input_shape))
        self.built = True

    def call(self, x, mask=None, training=None):
        attended = self.self_attention(x, x, attention_mask=mask, training=training)
        x = self.add_norm_1((x, attended), training=training)
        return self.add_norm_2((x, self.ffn(x)), training=training)

    def compute_mask(self, x, mask=None):
        return None


@keras.saving.register_keras_serializable(package="dlx")
class TransformerDecoderLayer(_BlockBase):
    """One decoder layer: masked self-attention, encoder–decoder attention, FFN, each with Add & Norm (Day4 Section5).

    Args:
        d_model: model width.
        num_heads: attention heads.
        d_ff: FFN inner width.
        dropout: dropout rate.
        head_dim: d_k = d_v of each head (default ``d_model // num_heads``).

    Call arguments:
        y: decoder input ``(batch, T, d_model)``.
        memory: encoder output ``(batch, S, d_model)``.
        memory_mask: optional bool ``(batch, 1, S)`` source padding mask.
        return_attention_scores: also return the encoder–decoder weights ``(batch, h, T, S)``.

    Returns:
        ``(batch, T, d_model)`` (and the weights when asked for). The look-ahead
        mask is always applied to the self-attention.
    """

    def build(self, y_shape, memory_shape=None):
        input_shape = y_shape
        memory_shape = y_shape if memory_shape is None else memory_shape
        self.self_attention = self._attention("masked_self_attention")
        self.self_attention.build(input_shape, input_shape)
        self.cross_attention = self._attention("encoder_decoder_attention")
        self.cross_attention.build(input_shape, memory_shape)
        self.ffn = PositionwiseFeedForward(self.d_model, self.d_ff, name="ffn", dtype=self.dtype_policy)
        self.ffn.build(input_shape)
        self.add_norms = []
        for i in range(3):
            layer = AddNorm(self.dropout, name=f"add_norm_{i + 1}", dtype=self.dtype_policy)
            layer.build((input_shape, input_shape))
            self.add_norms.append(layer)
        self.built = True

    def call(self, y, memory, memory_mask=None, return_attention_scores=False, training=None):
        attended = self.self_attention(y, y, use_causal_mask=True, training=training)
        y = self.add_norms[0]((y, attended), training=training)
        crossed, weights = self.cross_attention(y, memory, attention_mask=memory_mask,
                                                return_attention_scores=True, training=training)
        y = self.add_norms[1]((y, crossed), training=training)
        y = self.add_norms[2]((y, self.ffn(y)), training=training)
        return (y, weights) if return_attention_scores else y

    def compute_mask(self, y, memory=None, mask=None):
        return None


@keras.saving.register_keras_serializable(package="dlx")
class TokenEmbedding(keras.layers.Layer):
    """Token embedding × √d_model plus the course's positional encoding, then dropout (Day4 Section5).

    Args:
        vocab_size: number of token ids.
        d_model: embedding width.
        max_steps: longest sequence (size of the positional table).
        dropout: dropout rate after adding positions.

    Call arguments:
        token_ids: int ``(batch, steps)``.

    Returns:
        ``(batch, steps, d_model)``.
    """

    def __init__(self, vocab_size: int, d_model: int, max_steps: int, dropout: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        check_positive_int("vocab_size", vocab_size)
        check_positive_int("d_model", d_model)
        check_positive_int("max_steps", max_steps)
        check_rate("dropout", dropout)
        self.vocab_size = vocab_size
        self.d_model = d_model
        self.max_steps = max_steps
        self.dropout = float(dropout)

    def build(self, input_shape):
        self.embedding = keras.layers.Embedding(self.vocab_size, self.d_model, name="embedding", dtype=self.dtype_policy)
        self.embedding.build(input_shape)
        self.positional_encoding = PositionalEncoding(self.max_steps, self.d_model, name="positional_encoding",
                                                      dtype=self.dtype_policy)
        self.positional_encoding.build(tuple(input_shape) + (self.d_model,))
        self.dropout_layer = keras.layers.Dropout(self.dropout, dtype=self.dtype_policy)
        self.built = True

    def call(self, token_ids, training=None):
        x = self.embedding(token_ids) * math.sqrt(self.d_model)
        return self.dropout_layer(self.positional_encoding(x), training=training)

    def compute_mask(self, token_ids, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size, "d_model": self.d_model,
                "max_steps": self.max_steps, "dropout": self.dropout}


@keras.saving.register_keras_serializable(package="dlx")
class PaddingMask(keras.layers.Layer):
    """Which source tokens are real: ``ids != pad_id`` as a bool ``(batch, 1, S)`` attention mask (Day4 Section5).

    Args:
        pad_id: the padding id.
    """

    def __init__(self, pad_id: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.pad_id = int(pad_id)

    def call(self, token_ids):
        return padding_mask(token_ids, self.pad_id)

    def get_config(self):
        return {**super().get_config(), "pad_id": self.pad_id}


class TiedOutputProjection(keras.layers.Layer):
    """Logits from the target embedding table itself: ``h Eᵀ`` (Day4 Section5; Press & Wolf 2017).

    The course lab shares the target embedding with the pre-softmax projection (no bias),
    as the paper does (section 3.4): one ``V × d_model`` matrix instead of two. It holds a
    reference to another layer, so it is wiring inside ``build_transformer`` rather than a
    layer to serialize on its own (not registered; the models are checkpointed by weights).

    Args:
        embedding: the ``TokenEmbedding`` whose table is read (built before this layer is called).

    Call arguments:
        hidden: ``(..., d_model)``.

    Returns:
        ``(..., vocab_size)`` logits.
    """

    def __init__(self, embedding: "TokenEmbedding", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(embedding, TokenEmbedding):
            raise ValueError(f"embedding must be a TokenEmbedding. Received: embedding={embedding!r}")
        self.embedding = embedding

    def call(self, hidden):
        table = ops.cast(self.embedding.embedding.embeddings, self.compute_dtype)
        return ops.matmul(hidden, ops.transpose(table))


class TransformerModels(NamedTuple):
    """Three functional models over one set of weights.

    Attributes:
        model: ``[source (B, S), target_in (B, T)] → logits (B, T, V_tgt)``; train this one.
        encoder: ``source (B, S) → memory (B, S, d_model)``.
        decoder: ``[target_prefix (B, T), memory (B, S, d_model), source (B, S)] →
            [logits of the next token (B, V_tgt), encoder–decoder attention of the last layer (B, h, T, S)]``.
    """

    model: keras.Model
    encoder: keras.Model
    decoder: keras.Model


def build_transformer(source_vocab_size: int, target_vocab_size: int, *, num_layers: int = 2, d_model: int = 128,
                      num_heads: int = 4, d_ff: int = 512, dropout: float = 0.1, max_steps: int = 256,
                      share_embeddings: bool = False, tie_output: bool = False, head_dim: int | None = None,
                      pad_id: int = 0, name: str = "transformer") -> TransformerModels:
    """Build the encoder–decoder Transformer of Day4 Section5 (Vaswani et al. 2017, Figure 1).

    Args:
        source_vocab_size, target_vocab_size: numbers of token ids (equal when embeddings are shared).
        num_layers: encoder layers and decoder layers (N in the paper).
        d_model: model width.
        num_heads: attention heads (h).
        d_ff: FFN inner width.
        dropout: dropout rate.
        max_steps: longest source or target sequence.
        share_embeddings: one embedding table for source and target, as the course's example 5.1 does.
        tie_output: the output projection is the target embedding table (``TiedOutputProjection``), as the
            course's Transformer lab does; otherwise a Dense layer with a bias.
        head_dim: d_k = d_v of every head (default ``d_model // num_heads``; the course lab: 6 heads of 32).
        pad_id: padding id of the source (masked in attention).
        name: prefix of every layer name.

    Returns:
        ``TransformerModels`` (training model, encoder, step decoder) sharing weights.
    """
    check_positive_int("num_layers", num_layers)
    if share_embeddings and source_vocab_size != target_vocab_size:
        raise ValueError("share_embeddings needs one vocabulary. Received: "
                         f"source_vocab_size={source_vocab_size}, target_vocab_size={target_vocab_size}")
    src_embed = TokenEmbedding(source_vocab_size, d_model, max_steps, dropout,
                               name=f"{name}_shared_embedding" if share_embeddings else f"{name}_source_embedding")
    tgt_embed = src_embed if share_embeddings else TokenEmbedding(
        target_vocab_size, d_model, max_steps, dropout, name=f"{name}_target_embedding")
    encoder_layers = [TransformerEncoderLayer(d_model, num_heads, d_ff, dropout, head_dim,
                                              name=f"{name}_encoder_{i + 1}") for i in range(num_layers)]
    decoder_layers = [TransformerDecoderLayer(d_model, num_heads, d_ff, dropout, head_dim,
                                              name=f"{name}_decoder_{i + 1}") for i in range(num_layers)]
    if tie_output:
        projection = TiedOutputProjection(tgt_embed, name=f"{name}_output_projection")
    else:
        projection = keras.layers.Dense(target_vocab_size, name=f"{name}_output_projection")
    source_mask = PaddingMask(pad_id, name=f"{name}_source_padding_mask")

    def encode(source):
        x = src_embed(source)
        mask = source_mask(source)
        for layer in encoder_layers:
            x = layer(x, mask=mask)
        return x

    def decode(target_in, memory, source):
        y = tgt_embed(target_in)
        mask = source_mask(source)
        weights = None
        for layer in decoder_layers:
            y, weights = layer(y, memory, memory_mask=mask, return_attention_scores=True)
        return y, weights

    source = keras.Input((None,), dtype="int32", name=f"{name}_source")
    target_in = keras.Input((None,), dtype="int32", name=f"{name}_target_in")
    memory_in = keras.Input((None, d_model), name=f"{name}_memory")
    hidden, _ = decode(target_in, encode(source), source)
    model = keras.Model([source, target_in], projection(hidden), name=name)
    encoder = keras.Model(source, encode(source), name=f"{name}_encoder")
    step_hidden, step_weights = decode(target_in, memory_in, source)
    # Only the last position's logits: decoding never needs the (B, T, V) tensor.
    decoder = keras.Model([target_in, memory_in, source], [projection(step_hidden[:, -1, :]), step_weights],
                          name=f"{name}_decoder")
    return TransformerModels(model, encoder, decoder)


def make_log_probs_fn(models: TransformerModels, source_ids, batch_size: int = 512):
    """Encode ``source_ids`` once and return ``log_probs_fn(prefix, rows, t)`` for ``nn.decoding`` (Day4 Section5).

    Args:
        models: from ``build_transformer``.
        source_ids: int ``(N, S)`` sources.
        batch_size: rows per encoder/decoder call.

    Returns:
        Callable giving log-probabilities ``(M, V)`` of the token after ``prefix[:, :t+1]``.
    """
    import numpy as np
    import tensorflow as tf

    # One graph for every prefix length and batch (None dims): eager calls of the
    # functional decoder cost ~40 ms each on 2 CPU cores, the traced graph a few.
    ids = tf.TensorSpec((None, None), tf.int32)
    d_model = models.encoder.output.shape[-1]
    # float32 between the calls whatever the compute precision (mixed bfloat16 computes in bfloat16 inside)
    encode = tf.function(lambda s: tf.cast(models.encoder(s, training=False), tf.float32), input_signature=[ids])
    step = tf.function(
        lambda p, m, s: tf.nn.log_softmax(tf.cast(models.decoder([p, m, s], training=False)[0], tf.float32), axis=-1),
        input_signature=[ids, tf.TensorSpec((None, None, d_model), tf.float32), ids],
    )
    source_ids = np.asarray(source_ids, dtype=np.int32)
    memory = np.concatenate([encode(source_ids[i : i + batch_size]).numpy()
                             for i in range(0, len(source_ids), batch_size)])

    def log_probs_fn(prefix, rows, t):
        out = []
        for i in range(0, len(rows), batch_size):
            r = rows[i : i + batch_size]
            out.append(step(prefix[i : i + batch_size, : t + 1], memory[r], source_ids[r]).numpy())
        return np.concatenate(out)

    return log_probs_fn
