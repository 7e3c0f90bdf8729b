"""The Keras callbacks behind ``ctx.callbacks``: progress bar, history rows, NaN/Inf guard, TensorBoard scalars.

Keras's own progress output stays off (``verbose=0``); dlx drives its reporter
from these callbacks. A NaN or Inf loss stops training with a one-line error
that names the epoch and batch (``NonFiniteLoss``, exit 1).
"""

from __future__ import annotations

import math
import threading
from typing import Callable

import numpy as np


def steps_done(batch: int, steps_per_epoch: int | None) -> int:
    """Steps of the epoch done when Keras's batch hook names ``batch``: with steps_per_execution the hook runs once
    per compiled call and names the call's last step, which Keras does not cap at the epoch's end (625 steps at 8
    a call end at "631")."""
    return min(batch + 1, steps_per_epoch) if steps_per_epoch else batch + 1


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
    lock = threading.Lock()

    class _DlxCallback(keras.callbacks.Callback):
        # Keras may run the batch hooks of async-safe callbacks on a worker thread, so that reading the loss
        # (which waits for the step) no longer holds back the next step's dispatch. A NaN raised there reaches
        # ``fit`` at the next step or at the epoch's end. See bench/speed.py for the measured gain.
        async_safe = True

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
                done = steps_done(batch, steps_per_epoch)
                with lock:  # worker threads may finish batches out of order: the bar only moves forward
                    if done > self._steps_seen:
                        self._task.advance(done - self._steps_seen)
                        self._steps_seen = done

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


def epoch_tensorboard(log_dir: str):
    """Keras's TensorBoard callback writing scalars once per epoch (loss, metrics, learning rate).

    No graph, images or profile, which cost time. With ``update_freq="epoch"`` its batch hooks write
    nothing, so it is marked async-safe: otherwise its mere batch hooks would make Keras read every
    step's logs on the training thread.
    """
    from ..runtime import tf_keras

    _, keras = tf_keras()

    class _EpochTensorBoard(keras.callbacks.TensorBoard):
        async_safe = True

    return _EpochTensorBoard(log_dir=log_dir, histogram_freq=0, write_graph=False, write_images=False,
                             update_freq="epoch", profile_batch=0)
