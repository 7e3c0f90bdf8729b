"""Greedy and beam-search decoding for encoder–decoder models (Day3 Section3, Day4 Section5).

Both decoders are plain numpy loops around one callable,
``log_probs_fn(prefix, rows, t) -> (M, V)``: given decoder inputs ``prefix``
(int ``(M, max_len)``, ``<s>`` then the tokens chosen so far, zeros after
position ``t``), the source row each of the ``M`` hypotheses belongs to, and
the position ``t``, it returns log-probabilities of the token at position
``t + 1``. A fixed-width buffer keeps tensor shapes constant (one trace); the
decoder's look-ahead mask makes the zeros after ``t`` irrelevant.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..text.vocab import BOS, EOS, PAD

LogProbsFn = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


def greedy_decode(log_probs_fn: LogProbsFn, num_rows: int, max_len: int, *, bos: int = BOS, eos: int = EOS,
                  pad: int = PAD) -> np.ndarray:
    """Pick the most probable token at every step until ``</s>`` or ``max_len`` (Day4 Section5).

    Args:
        log_probs_fn: see the module docstring.
        num_rows: number of sources ``N``.
        max_len: most output tokens (``</s>`` included).

    Returns:
        int32 ``(N, max_len)``: tokens, ``</s>`` where a sequence ended, padding after it.
    """
    buffer = np.full((num_rows, max_len + 1), pad, dtype=np.int32)
    buffer[:, 0] = bos
    finished = np.zeros(num_rows, dtype=bool)
    rows = np.arange(num_rows)
    for t in range(max_len):
        log_probs = np.asarray(log_probs_fn(buffer[:, :max_len], rows, t))
        chosen = np.argmax(log_probs, axis=-1).astype(np.int32)
        chosen[finished] = pad
        buffer[:, t + 1] = chosen
        finished |= chosen == eos
        if finished.all():
            break
    return buffer[:, 1:]


def beam_search_decode(log_probs_fn: LogProbsFn, num_rows: int, max_len: int, *, beam_width: int = 4,
                       length_penalty: float = 0.0, bos: int = BOS, eos: int = EOS, pad: int = PAD,
                       return_scores: bool = False):
    """Keep the ``beam_width`` most probable prefixes at every step; return the best finished one (Day4 Section5).

    A finished hypothesis keeps its score and is extended by padding only. The
    final choice divides the log-probability by ``length**length_penalty``
    (0 = plain log-probability; Wu et al. 2016 use a similar normalization).
    With ``beam_width=1`` this is exactly greedy decoding.

    Args:
        log_probs_fn: see the module docstring.
        num_rows: number of sources ``N``.
        max_len: most output tokens (``</s>`` included).
        beam_width: hypotheses kept per source.
        length_penalty: exponent of the length normalization at the end.
        return_scores: also return the chosen hypotheses' total log-probabilities.

    Returns:
        int32 ``(N, max_len)`` as ``greedy_decode`` (and float ``(N,)`` scores).
    """
    if beam_width < 1:
        raise ValueError(f"beam_width must be a positive integer. Received: beam_width={beam_width}")
    k = beam_width
    buffer = np.full((num_rows, k, max_len + 1), pad, dtype=np.int32)
    buffer[:, :, 0] = bos
    scores = np.full((num_rows, k), -np.inf)
    scores[:, 0] = 0.0  # one live hypothesis to start; copies would fill the beam with duplicates
    finished = np.zeros((num_rows, k), dtype=bool)
    lengths = np.zeros((num_rows, k), dtype=np.int64)
    rows = np.repeat(np.arange(num_rows), k)
    batch_index = np.arange(num_rows)[:, None]
    for t in range(max_len):
        log_probs = np.asarray(log_probs_fn(buffer.reshape(num_rows * k, -1)[:, :max_len], rows, t), dtype=np.float64)
        vocab = log_probs.shape[-1]
        log_probs = log_probs.reshape(num_rows, k, vocab)
        # A finished hypothesis may only be extended by padding, at no cost.
        log_probs[finished] = -np.inf
        log_probs[finished, pad] = 0.0
        candidates = (scores[:, :, None] + log_probs).reshape(num_rows, k * vocab)
        if k == 1:
            best = np.argmax(candidates, axis=-1)[:, None]  # exactly greedy's choice, ties included
        else:
            part = np.argpartition(-candidates, k - 1, axis=-1)[:, :k]  # the k best, unordered
            order = np.argsort(-np.take_along_axis(candidates, part, axis=-1), axis=-1, kind="stable")
            best = np.take_along_axis(part, order, axis=-1)
        beam, token = np.divmod(best, vocab)
        buffer = buffer[batch_index, beam]
        buffer[:, :, t + 1] = token
        was_finished = finished[batch_index, beam]
        lengths = lengths[batch_index, beam] + ~was_finished
        scores = candidates[batch_index, best]
        finished = was_finished | (token == eos)
        if np.all(finished | np.isneginf(scores)):
            break
    normalized = scores / np.maximum(lengths, 1) ** length_penalty if length_penalty else scores
    pick = np.argmax(normalized, axis=-1)
    tokens = buffer[np.arange(num_rows), pick, 1:]
    if return_scores:
        return tokens, scores[np.arange(num_rows), pick]
    return tokens


def sequence_log_prob(log_probs_fn: LogProbsFn, tokens: np.ndarray, *, bos: int = BOS, eos: int = EOS,
                      pad: int = PAD) -> np.ndarray:
    """Total log-probability the model gives to whole output sequences (up to and including ``</s>``).

    Args:
        log_probs_fn: see the module docstring.
        tokens: int ``(N, max_len)`` as returned by the decoders.

    Returns:
        float ``(N,)``.
    """
    num_rows, max_len = tokens.shape
    buffer = np.full((num_rows, max_len + 1), pad, dtype=np.int32)
    buffer[:, 0] = bos
    buffer[:, 1:] = tokens
    total = np.zeros(num_rows)
    alive = np.ones(num_rows, dtype=bool)
    rows = np.arange(num_rows)
    for t in range(max_len):
        log_probs = np.asarray(log_probs_fn(buffer[:, :max_len], rows, t), dtype=np.float64)
        total += np.where(alive, log_probs[rows, tokens[:, t]], 0.0)
        alive &= tokens[:, t] != eos
    return total


def teacher_forced_argmax(logits_fn: Callable[[np.ndarray, np.ndarray], np.ndarray], source: np.ndarray,
                          target: np.ndarray, *, batch_size: int = 64, pad: int = PAD) -> np.ndarray:
    """The most probable token at every target position, with the gold prefix fed in (Day4 Section5).

    This is how the course's Transformer lab validates: the decoder reads the reference
    ``<s> y1 … y_{T-1}`` (teacher forcing), and the argmax at each position is the
    hypothesis, which the BLEU scorer then cuts at its first ``</s>``. One wrong token does
    not derail the next ones, as it would in decoding, so this scores higher than any
    decoder's output. Batches of ``batch_size`` rows in corpus order are trimmed to their
    longest source and target, as the course's validation batches are padded to theirs.

    Args:
        logits_fn: ``f(source (B, S), target_in (B, T)) -> logits (B, T, V)``.
        source: int ``(N, S)`` zero-padded sources.
        target: int ``(N, T + 1)`` zero-padded ``<s> … </s>`` references.
        batch_size: rows per call.

    Returns:
        int32 ``(N, T)``: the argmax at each position; ``pad`` past the end of a row's batch.
    """
    source, target = np.asarray(source), np.asarray(target)
    out = np.full((len(target), target.shape[1] - 1), pad, dtype=np.int32)
    src_len, tgt_len = (source != pad).sum(1), (target != pad).sum(1)
    for start in range(0, len(target), batch_size):
        rows = slice(start, start + batch_size)
        width = int(tgt_len[rows].max())
        s = source[rows, : max(int(src_len[rows].max()), 1)]
        logits = np.asarray(logits_fn(s, target[rows, : width - 1]))
        out[rows, : width - 1] = np.argmax(logits, axis=-1)
    return out
