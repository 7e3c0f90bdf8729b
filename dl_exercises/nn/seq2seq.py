"""RNN encoder–decoder (seq2seq) with optional attention, greedy decoding and detokenizing (Day3 Section5).

Encoder: embedding → LSTM/GRU; its final state is the thought vector, the
decoder's initial state. Decoder: embedding of the previous target token →
LSTM/GRU → (attention over encoder states →) logits. Training feeds the true
previous tokens (teacher forcing); inference feeds back its own argmax
(greedy sampling) until ``</s>``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .rnn_attention import RNNAttention

CELLS = ("lstm", "gru")


def build_seq2seq(
    source_vocab_size: int,
    target_vocab_size: int,
    *,
    embed_dim: int = 32,
    units: int = 128,
    cell: str = "lstm",
    attention: str | None = None,
    attention_units: int = 64,
    unroll: bool = False,
    name: str = "seq2seq",
) -> tuple[keras.Model, keras.Model | None]:
    """A teacher-forced seq2seq model, and (with attention) a model giving the attention weights.

    Args:
        source_vocab_size, target_vocab_size: vocabulary sizes (id 0 is padding).
        embed_dim: embedding size; units: recurrent units (the thought vector's size).
        cell: ``"lstm"`` or ``"gru"``.
        attention: ``None``, ``"additive"`` or ``"dot"``.
        attention_units: hidden size of the additive score.
        unroll: unroll the encoder and decoder loops at trace time (the same math; on CPU the
            short sequences of the exercises train about twice as fast in wall time as with
            a symbolic loop; each input length traces its own graph).
        name: prefix of every layer name.
    Returns:
        ``(model, weights_model)``: ``model([source (B, S), target_in (B, T)])`` gives logits
        (B, T, target_vocab_size); ``weights_model`` gives attention weights (B, T, S), or None.
    """
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}. Received: cell={cell!r}")
    if attention not in (None, "additive", "dot"):
        raise ValueError(f"attention must be None, 'additive' or 'dot'. Received: attention={attention!r}")
    rnn = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    source = keras.Input((None,), dtype="int32", name=f"{name}_source")
    target_in = keras.Input((None,), dtype="int32", name=f"{name}_target_in")
    src = keras.layers.Embedding(source_vocab_size, embed_dim, mask_zero=True, name=f"{name}_source_embedding")(source)
    encoded = rnn(units, return_sequences=True, return_state=True, unroll=unroll, name=f"{name}_encoder")(src)
    enc_states, thought = encoded[0], list(encoded[1:])
    tgt = keras.layers.Embedding(target_vocab_size, embed_dim, mask_zero=True, name=f"{name}_target_embedding")(target_in)
    dec = rnn(units, return_sequences=True, unroll=unroll, name=f"{name}_decoder")(tgt, initial_state=thought)
    weights = None
    if attention:
        context, weights = RNNAttention(attention, attention_units, name=f"{name}_attention")(
            dec, enc_states, value_mask=ops.not_equal(source, 0)
        )
        dec = keras.layers.Concatenate(name=f"{name}_concat_context")([dec, context])
        dec = keras.layers.Dense(units, activation="tanh", name=f"{name}_attentional")(dec)
    logits = keras.layers.Dense(target_vocab_size, name=f"{name}_logits")(dec)
    model = keras.Model([source, target_in], logits, name=name)
    weights_model = keras.Model([source, target_in], weights, name=f"{name}_weights") if attention else None
    return model, weights_model


def compile_seq2seq(
    model: keras.Model,
    lr: float = 1e-3,
    steps_per_execution: int = 1,
    clipnorm: float | None = None,
    decay_steps: int | None = None,
) -> None:
    """Adam and token cross-entropy that ignores padding (id 0).

    ``steps_per_execution`` > 1 runs that many batches per graph call: small models on CPU
    spend most of a step in framework overhead otherwise. ``clipnorm`` rescales each
    gradient whose norm exceeds it (Day3 Section2, gradient clipping). ``decay_steps``:
    the learning rate follows a cosine from ``lr`` down to ``lr / 20`` over that many
    training steps (the last epochs fine-tune instead of jumping around the minimum).
    """
    if decay_steps:
        lr = keras.optimizers.schedules.CosineDecay(lr, decay_steps, alpha=0.05)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    model.compile(optimizer=keras.optimizers.Adam(lr, clipnorm=clipnorm), loss=loss, steps_per_execution=steps_per_execution)


def predict_in_batches(model: keras.Model, inputs: list[np.ndarray], batch_size: int = 1024):
    """``model``'s outputs for all rows of ``inputs``, one compiled call per ``batch_size`` rows.

    ``predict_on_batch`` reuses the traced graph; ``predict`` builds a data pipeline on every
    call, which dominates greedy decoding (one call per generated token).

    Returns:
        an array, or a list of arrays for a model with several outputs.
    """
    chunks = []
    for start in range(0, len(inputs[0]), batch_size):
        rows = [a[start:start + batch_size] for a in inputs]
        chunks.append(model.predict_on_batch(rows if len(rows) > 1 else rows[0]))
    if isinstance(chunks[0], (list, tuple)):
        return [np.concatenate([np.asarray(c) for c in parts]) for parts in zip(*chunks)]
    return np.concatenate([np.asarray(c) for c in chunks])


def greedy_decode(model: keras.Model, source: np.ndarray, target_len: int, bos: int, batch_size: int = 1024) -> np.ndarray:
    """Greedy sampling: start from ``<s>`` and feed each step's argmax back in (Day3 Section5, Decoder).

    The decoder is causal, so position k's logits depend only on positions ≤ k;
    the input keeps a fixed width (later positions are padding) so the graph is traced once.
    Each step is one compiled call per ``batch_size`` rows (``predict_in_batches``).

    Args:
        model: from ``build_seq2seq``.
        source: int (N, S) source ids.
        target_len: tokens to generate (including ``</s>``).
        bos: the ``<s>`` id.
    Returns:
        int32 (N, target_len) generated ids (without the leading ``<s>``).
    """
    n = len(source)
    seq = np.zeros((n, target_len + 1), dtype=np.int32)
    seq[:, 0] = bos
    for k in range(target_len):
        logits = predict_in_batches(model, [source, seq[:, :target_len]], batch_size)
        seq[:, k + 1] = np.argmax(logits[:, k], axis=-1)
    return seq[:, 1:]


def detokenize(vocab, ids: np.ndarray, sep: str = "") -> list[str]:
    """Generated ids to strings, stopping at ``</s>`` (Day3 Section5).

    Args:
        vocab: a ``dl_exercises.text.Vocab``; ids: (N, T); sep: "" for characters, " " for words.
    Returns:
        N strings.
    """
    return [sep.join(vocab.decode(row)) for row in ids]


def make_log_probs_fn(model: keras.Model, source_ids: np.ndarray, batch_size: int = 1024):
    """``log_probs_fn(prefix, rows, t)`` over a teacher-forced seq2seq ``model``, for ``nn.decoding`` (Day3 Section5).

    The decoder is causal, so running it on the whole fixed-width prefix and reading position ``t``
    gives the next token's distribution; one traced graph serves every call.

    Args:
        model: from ``build_seq2seq`` (``[source, target_in] → logits``).
        source_ids: int ``(N, S)`` sources; ``rows`` index into them.

    Returns:
        Callable giving log-probabilities ``(M, V)``.
    """
    import tensorflow as tf

    ids = tf.TensorSpec((None, None), tf.int32)
    step = tf.function(lambda s, p: tf.nn.log_softmax(tf.cast(model([s, p], training=False), tf.float32), axis=-1),
                       input_signature=[ids, ids])
    source_ids = np.asarray(source_ids, dtype=np.int32)

    def log_probs_fn(prefix, rows, t):
        out = []
        for i in range(0, len(rows), batch_size):
            out.append(step(source_ids[rows[i : i + batch_size]], prefix[i : i + batch_size, : t + 1]).numpy()[:, t])
        return np.concatenate(out)

    return log_probs_fn


def reverse_sources(source: np.ndarray, pad_id: int = 0) -> np.ndarray:
    """Each row's real tokens in reverse order, padding still at the end (Sutskever et al. 2014's input reversal)."""
    out = np.zeros_like(source)
    for i, row in enumerate(source):
        real = row[row != pad_id]
        out[i, : len(real)] = real[::-1]
    return out
