"""``EpochTimes``: the one meaning of "s / epoch" in dlx.

s / epoch is the median wall time of the epochs after the first: the first
epoch also traces the training graph (and compiles it with XLA), so it is
left out whenever there is a later one; the median keeps one slow epoch
(another process on a shared machine) from moving the figure.
"""

from __future__ import annotations

import time

import numpy as np


class EpochTimes:
    """Wall seconds of each epoch of one ``fit``; ``callback()`` records them."""

    def __init__(self) -> None:
        self.times: list[float] = []

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch after the first (the only epoch when there is one); NaN before any epoch."""
        if not self.times:
            return float("nan")
        return float(np.median(self.times[1:] if len(self.times) > 1 else self.times))

    @property
    def total(self) -> float:
        return float(sum(self.times))

    def callback(self):
        """A Keras callback that appends each epoch's wall time to ``times``."""
        from ..runtime import tf_keras

        _, keras = tf_keras()
        times = self.times

        class _EpochClock(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self._start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                times.append(time.perf_counter() - self._start)

        return _EpochClock()
