"""Batches of sequence pairs bucketed by length, each trimmed to its longest member (Day3–Day4 seq2seq, Transformer).

A padded corpus spends most of its compute on padding when lengths vary: the
dates' sources average 14 characters in a 30-wide array. Batches drawn from
one length bucket (``batches.length_buckets``) and cut to their own longest
sequence keep the padding small; the model's inputs have no fixed length,
so one traced training step serves every bucket.
"""

from __future__ import annotations

import numpy as np

from .batches import length_buckets


def bucketed_pairs(source: np.ndarray, target: np.ndarray, batch_size: int, epochs: int, seed: int, pad_id: int = 0):
    """A ``tf.data`` stream of ``((source, target_in), target_out)`` for ``epochs`` passes, and its steps per epoch.

    Args:
        source: int (N, S) zero-padded sources; target: int (N, T) ``<s> … </s>`` zero-padded targets.
    Returns:
        ``(dataset, steps_per_epoch)``; each batch's source is trimmed to its longest source and its
        target to its longest target (teacher forcing: ``target_in = target[:, :-1]``, ``target_out = target[:, 1:]``).
    """
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    src_len = (source != pad_id).sum(axis=1)
    tgt_len = (target != pad_id).sum(axis=1)
    batches = length_buckets(src_len, batch_size, epochs, seed)
    steps_per_epoch = len(batches) // epochs
    src_t, tgt_t = tf.constant(source), tf.constant(target)
    src_l, tgt_l = tf.constant(src_len.astype(np.int32)), tf.constant(tgt_len.astype(np.int32))

    def gather(idx):
        s_max = tf.reduce_max(tf.gather(src_l, idx))
        t_max = tf.reduce_max(tf.gather(tgt_l, idx))
        src = tf.gather(src_t, idx)[:, :s_max]
        tgt = tf.gather(tgt_t, idx)[:, :t_max]
        return (src, tgt[:, :-1]), tgt[:, 1:]

    index = tf.ragged.constant([b.astype(np.int32) for b in batches])
    dataset = tf.data.Dataset.from_tensor_slices(index).map(gather).prefetch(4)
    return dataset, steps_per_epoch
