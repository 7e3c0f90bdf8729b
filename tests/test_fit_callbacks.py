"""``ctx.callbacks`` on a real ``model.fit``: the NaN guard and the progress bar, with Keras's batch hooks
running off the training thread (the callbacks are async-safe)."""

import numpy as np
import pytest

from dl_exercises.errors import NonFiniteLoss
from dl_exercises.spec import ExerciseSpec
from dl_exercises.runner import RunContext


class Bars:
    def __init__(self):
        self.advanced, self.closed = [], 0

    def task(self, label, total=None):
        bars = self

        class Task:
            def advance(self, n):
                bars.advanced.append(n)

            def describe(self, text):
                pass

            def close(self):
                bars.closed += 1

        return Task()

    def notice(self, text):
        pass


def _fit(y, reporter, steps_per_execution=1, epochs=2):
    from dl_exercises.runtime import tf_keras

    _, keras = tf_keras()
    spec = ExerciseSpec(id="examples.fit", func=lambda ctx: None, title="t", title_ja="t", section="test")
    ctx = RunContext(spec.plan("smoke"), reporter=reporter)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=steps_per_execution)
    x = np.ones((len(y), 3), np.float32)
    model.fit(x, y, batch_size=4, epochs=epochs, verbose=0, shuffle=False,
              callbacks=ctx.callbacks(epochs=epochs, label="toy", steps_per_epoch=len(y) // 4))
    return ctx


def test_a_nan_loss_stops_fit_with_the_epoch_and_batch_that_made_it():
    y = np.zeros((40, 1), np.float32)
    y[9] = np.nan  # the third batch of four
    with pytest.raises(NonFiniteLoss, match="in toy at epoch 1, batch 3"):
        _fit(y, Bars())


@pytest.mark.parametrize("steps_per_execution", [1, 5, 4])  # 4: the last call of a 10-step epoch names step 12
def test_the_bar_reaches_every_step_and_each_epoch_writes_a_row(steps_per_execution):
    bars = Bars()
    ctx = _fit(np.zeros((40, 1), np.float32), bars, steps_per_execution)
    assert sum(bars.advanced) == 20 and all(n > 0 for n in bars.advanced) and bars.closed == 1
    assert [row["epoch"] for row in ctx.history] == [1, 2]


def test_the_training_clock_counts_the_steps_that_ran_when_calls_overrun_an_epoch():
    from dl_exercises.runtime import tf_keras
    from dl_exercises.studies.translation.loops import train_clock

    _, keras = tf_keras()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=4)
    clock = train_clock(0.0)
    model.fit(np.ones((40, 3), np.float32), np.zeros((40, 1), np.float32), batch_size=4, epochs=2, verbose=0,
              callbacks=[clock])
    assert clock.steps == 20 and not clock.stopped
