"""Learning-rate schedules of the Transformer (Vaswani et al. 2017, eq. 3; Day4 Section5).

``TransformerSchedule``: the paper's linear warm-up then step^-0.5 decay; ``WarmupCosineSchedule``:
the same warm-up to a peak, then a cosine to 0 at the run's last step.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from .arguments import check_positive_int


@keras.saving.register_keras_serializable(package="dlx")
class TransformerSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """lrate = scale · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5) (Vaswani et al. 2017, eq. 3).

    Args:
        d_model: model width.
        warmup_steps: steps of linear warm-up before the inverse-square-root decay.
        scale: multiplies the whole schedule (1.0 is the paper's).
    """

    def __init__(self, d_model: int, warmup_steps: int = 4000, scale: float = 1.0):
        check_positive_int("d_model", d_model)
        check_positive_int("warmup_steps", warmup_steps)
        if not scale > 0:
            raise ValueError(f"scale must be positive. Received: scale={scale}")
        self.d_model = d_model
        self.warmup_steps = warmup_steps
        self.scale = float(scale)

    def __call__(self, step):
        step = ops.cast(step, "float32") + 1.0  # Keras counts from 0, the paper from 1
        decay = ops.minimum(ops.rsqrt(step), step * self.warmup_steps ** -1.5)
        return self.scale * self.d_model ** -0.5 * decay

    def get_config(self):
        return {"d_model": self.d_model, "warmup_steps": self.warmup_steps, "scale": self.scale}


@keras.saving.register_keras_serializable(package="dlx")
class WarmupCosineSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up to ``peak``, then a cosine decay to 0 at ``total_steps``: the run ends annealed.

    The paper's schedule (``TransformerSchedule``) decays as step^-0.5 and never reaches a small rate; a
    short run that must end precise does better annealed to 0.

    Args:
        peak: the highest learning rate, reached at ``warmup_steps``.
        warmup_steps: steps of linear warm-up.
        total_steps: the step at which the rate reaches 0 (the whole run).
    """

    def __init__(self, peak: float, warmup_steps: int, total_steps: int):
        if not peak > 0:
            raise ValueError(f"peak must be positive. Received: peak={peak}")
        check_positive_int("warmup_steps", warmup_steps)
        check_positive_int("total_steps", total_steps)
        self.peak = float(peak)
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps

    def __call__(self, step):
        step = ops.cast(step, "float32") + 1.0
        warm = ops.minimum(step / self.warmup_steps, 1.0)
        progress = ops.clip((step - self.warmup_steps) / max(1, self.total_steps - self.warmup_steps), 0.0, 1.0)
        return self.peak * warm * 0.5 * (1.0 + ops.cos(math.pi * progress))

    def get_config(self):
        return {"peak": self.peak, "warmup_steps": self.warmup_steps, "total_steps": self.total_steps}
