"""Loss and accuracy over target tokens with padding ignored (Day3 Section5 seq2seq, Day4 Section5 Transformer).

``MaskedSparseCrossentropy`` (optionally label-smoothed, as the paper's ε = 0.1) and
``masked_accuracy`` (teacher-forced argmax accuracy of the real tokens).
"""

from __future__ import annotations

import keras
from keras import ops

from .arguments import check_rate


@keras.saving.register_keras_serializable(package="dlx")
class MaskedSparseCrossentropy(keras.losses.Loss):
    """Cross-entropy over target tokens, padding ignored, optional label smoothing (Day4 Section5).

    With smoothing ε the target distribution is ``(1-ε)·onehot + ε/V``, as in the paper (ε = 0.1).

    Args:
        label_smoothing: ε in [0, 1).
        pad_id: target id that contributes no loss.

    Call arguments:
        y_true: int ``(batch, T)``; y_pred: logits ``(batch, T, V)``.

    Returns:
        Mean loss per non-padding token (a scalar).
    """

    def __init__(self, label_smoothing: float = 0.0, pad_id: int = 0, name="masked_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        check_rate("label_smoothing", label_smoothing)
        self.label_smoothing = float(label_smoothing)
        self.pad_id = int(pad_id)

    def call(self, y_true, y_pred):
        # -sum_v q_v log p_v with q = (1-eps) onehot + eps/V, in closed form: no (B, T, V) one-hot tensor is built.
        #   = logsumexp(z) - (1-eps) z_y - (eps/V) sum_v z_v
        y_true = ops.cast(y_true, "int32")
        y_pred = ops.cast(y_pred, "float32")
        true_logit = ops.squeeze(ops.take_along_axis(y_pred, ops.expand_dims(y_true, -1), axis=-1), -1)
        per_token = ops.logsumexp(y_pred, axis=-1) - (1.0 - self.label_smoothing) * true_logit
        if self.label_smoothing:
            per_token = per_token - self.label_smoothing * ops.mean(y_pred, axis=-1)
        mask = ops.cast(ops.not_equal(y_true, self.pad_id), per_token.dtype)
        return ops.sum(per_token * mask) / ops.maximum(ops.sum(mask), 1.0)

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing, "pad_id": self.pad_id}


def masked_accuracy(y_true, y_pred, pad_id: int = 0):
    """Fraction of non-padding target tokens whose argmax is right (teacher forced)."""
    y_true = ops.cast(y_true, "int32")
    hit = ops.cast(ops.equal(ops.cast(ops.argmax(y_pred, axis=-1), "int32"), y_true), "float32")
    mask = ops.cast(ops.not_equal(y_true, pad_id), "float32")
    return ops.sum(hit * mask) / ops.maximum(ops.sum(mask), 1.0)
