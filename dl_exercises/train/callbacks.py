"""The Keras callbacks behind ``ctx.callbacks``: progress bar, history rows, NaN/Inf guard.

Keras's own progress output stays off (``verbose=0``); dlx drives its reporter
from these callbacks. A NaN or Inf loss stops training with a one-line error
that names the epoch and batch (``NonFiniteLoss``, exit 1).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np


def progress_callbacks(
    *,
    epochs: int,
    label: str,
    reporter,
    on_epoch: Callable[[int, dict], None] | None = None,
    steps_per_epoch: int | None = None,
) -> list:
    """Progress, history and NaN guard for ``model.fit``; Keras's own output stays off."""
    from ..runtime import check_finite, tf_keras

    _, keras = tf_keras()

    class _DlxCallback(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._task = reporter.task(label, total=epochs * steps_per_epoch if steps_per_epoch else epochs)
            self._epoch = 0
            self._steps_seen = 0

        def on_train_batch_end(self, batch, logs=None):
            logs = logs or {}
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                self.model.stop_training = True
                self._task.close()
                check_finite(loss, f"in {label} at epoch {self._epoch + 1}, batch {batch + 1}")
            if steps_per_epoch:  # with steps_per_execution, Keras reports once per call: ``batch`` is its last step
                self._task.advance(batch + 1 - self._steps_seen)
                self._steps_seen = batch + 1

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch
            self._steps_seen = 0

        def on_epoch_end(self, epoch, logs=None):
            logs = {k: float(v) for k, v in (logs or {}).items() if np.ndim(v) == 0}
            if not steps_per_epoch:
                self._task.advance(1)
            self._task.describe(_short_logs(logs))
            if on_epoch:
                on_epoch(epoch, logs)

        def on_train_end(self, logs=None):
            self._task.close()

    return [_DlxCallback()]


def _short_logs(logs: dict) -> str:
    keys = [k for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k in logs]
    return " ".join(f"{k}={logs[k]:.4f}" for k in keys)
