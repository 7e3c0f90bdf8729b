"""Evaluate a model with the moving average of its weights that a Keras optimizer keeps (``use_ema``).

Averaging the weights over the last updates smooths out the noise of the final
steps; for the Transformer it is the cheap cousin of the paper's averaging of the
last checkpoints (Vaswani et al. 2017, section 6.1). Keras's optimizers keep the
average as optimizer variables, so ``train.checkpoint`` saves and restores it with
the rest of the optimizer state; ``averaged_weights`` lends it to the model for an
evaluation and gives the trained weights back afterwards.
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def averaged_weights(model, optimizer):
    """Within the block, ``model``'s trainable weights are ``optimizer``'s moving averages (no-op without ``use_ema``)."""
    if not getattr(optimizer, "use_ema", False):
        yield
        return
    trained = [v.numpy() for v in model.trainable_variables]
    averages = optimizer._model_variables_moving_average  # Keras keeps them in the order of the trainable variables
    if len(averages) != len(trained):
        raise ValueError(f"the optimizer averages {len(averages)} variables, the model has {len(trained)}")
    for variable, average in zip(model.trainable_variables, averages):
        variable.assign(average)
    try:
        yield
    finally:
        for variable, value in zip(model.trainable_variables, trained):
            variable.assign(value)
