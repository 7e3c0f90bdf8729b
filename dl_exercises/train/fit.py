"""``fit_on_batches``: fit a Keras model on exactly the mini-batches given, in order.

Where a numpy twin and a Keras model must see the same batches (Day 1, Day 2),
and where tiny models would spend most of their time in Keras's per-epoch and
per-step overhead (OR, iris, the Playground, binary addition), the whole
schedule is laid out in advance as index arrays; a ``tf.data`` pipeline
gathers each batch, Keras runs up to ``steps_per_call`` steps per compiled
call (``steps_per_execution``), and the run is split into a few Keras epochs
so that the history gets about ``rows`` rows.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Callable, ContextManager, Sequence

import numpy as np

from .arrays import gather_batches
from .batches import largest_divisor_at_most

# Training steps per compiled call (Keras's ``steps_per_execution``) for models whose step is short: the dates
# Transformer, ~15-25 ms a step on 2 cores. Keras then fetches from the data iterator, runs the
# callbacks' batch hooks and hands back the logs once per call instead of once per step; Ctrl-C waits for the call
# in progress (8 steps of 25 ms: 0.2 s). The gain is measured side by side by ``dlx bench speed``.
SHORT_STEPS_PER_CALL = 8
# The MNIST MLP (about 4 ms a step): 32 steps per call. `dlx bench speed`'s MLP, dlx's fit over the hand-written
# step, AMD EPYC 2 cores, in turn in one sitting: at 8 per call 0.76 and 0.67 (CPU per step 0.879, 0.882), at 32 per
# call 0.90 and 0.76 (CPU 0.944, 0.927); Ctrl-C waits for at most 32 × 4 ms. (Those epochs were the 31 batches of
# 4,000 images, where tf.data's per-epoch work weighed; with 1 s epochs and train.arrays.fit_arrays: 1.13.)
MLP_STEPS_PER_CALL = 32
# The course's CNNs (25-45 ms a step on 2 cores): 4 steps per call. DeepConvNet's process CPU seconds per step,
# quick data, 100 steps, AMD EPYC: hand-written 40.4-40.6 ms, dlx fit 41.6-44.1 ms, dlx fit with 4 per call 39.1 ms.
CONV_STEPS_PER_CALL = 4


def fit_on_batches(
    model,
    x: np.ndarray,
    y: np.ndarray,
    batches: np.ndarray | Sequence[np.ndarray],
    *,
    compile_kwargs: dict[str, Any],
    callbacks: Callable[..., list] | None = None,
    training: Callable[[], ContextManager] = contextlib.nullcontext,
    rows: int = 1,
    steps_per_call: int = 100,
    validation_data: tuple | None = None,
    validation_batch_size: int | None = None,
):
    """Compile ``model`` with ``compile_kwargs`` and train one step per entry of ``batches``.

    Args:
        x, y: the training arrays; each batch is ``x[idx], y[idx]``.
        batches: index arrays, as an int array (steps, batch) or a list (the last batch of an epoch may be short).
        compile_kwargs: optimizer, loss, metrics, jit_compile, … (``steps_per_execution`` is set here).
        callbacks: ``callbacks(epochs=…, steps_per_epoch=…)`` returns the Keras callbacks for the fit, called
            once the schedule is split into Keras epochs (a run passes ``partial(ctx.callbacks, label=…)``).
        training: a context manager factory around the fit (a run passes ``ctx.training``, its training clock).
        rows: about how many history rows (Keras epochs) to write; each holds a whole number of steps.
        steps_per_call: at most this many steps per compiled call.
        validation_data: evaluated after every history row when given.
    Returns:
        the Keras ``History``.
    """
    steps = len(batches)
    if steps == 0:
        raise ValueError("fit_on_batches: no batches, Received: batches=[]")
    per_epoch = largest_divisor_at_most(steps, math.ceil(steps / max(1, min(rows, steps))))
    epochs = steps // per_epoch
    model.compile(**compile_kwargs, steps_per_execution=largest_divisor_at_most(per_epoch, steps_per_call))
    stream = gather_batches(x, y, batches)
    keras_callbacks = [] if callbacks is None else callbacks(epochs=epochs, steps_per_epoch=per_epoch)
    with training():
        return model.fit(
            stream, epochs=epochs, steps_per_epoch=per_epoch, verbose=0, shuffle=False,  # the order is the schedule's
            validation_data=validation_data, validation_batch_size=validation_batch_size,
            callbacks=keras_callbacks,
        )
