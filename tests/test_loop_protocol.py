"""The loop protocol of ``train.loop`` and the runner's adapter ``RunContext.loop_callbacks``."""

import math

import pytest

from dl_exercises.errors import DlxError
from dl_exercises.spec import ExerciseSpec
from dl_exercises.runner import RunContext
from dl_exercises.train.loop import LoopHistory, Silent, end_epoch


class Tasks:
    def __init__(self):
        self.advanced, self.closed = 0, 0

    def task(self, label, total=None):
        tasks = self

        class Task:
            def advance(self, n):
                tasks.advanced += n

            def close(self):
                tasks.closed += 1

            def describe(self, text):
                pass

        return Task()

    def notice(self, text):
        pass


def _ctx(reporter):
    spec = ExerciseSpec(id="examples.loop", func=lambda ctx: None, title="t", title_ja="t", section="test")
    return RunContext(spec.plan("smoke"), reporter=reporter)


def toy_loop(callbacks, epochs=5):
    history = LoopHistory()
    for epoch in range(epochs):
        if end_epoch(callbacks, history, epoch, {"loss": 1.0 / (epoch + 1), "score": epoch}):
            break
    return history


def test_a_silent_loop_returns_every_row():
    history = toy_loop(Silent())
    assert len(history) == 5 and history.column("score") == [0, 1, 2, 3, 4] and history.last["loss"] == 0.2


def test_the_adapter_writes_history_rows_advances_progress_and_stops_on_request():
    reporter = Tasks()
    ctx = _ctx(reporter)
    history = toy_loop(ctx.loop_callbacks("toy", total=5, stop=lambda: ctx.history[-1]["score"] >= 2))
    assert len(history) == 3 and reporter.advanced == 3 and reporter.closed == 1
    assert [row["epoch"] for row in ctx.history] == [1, 2, 3] and {row["run"] for row in ctx.history} == {"toy"}


def test_a_nan_loss_stops_with_a_one_line_error_that_names_the_epoch():
    reporter = Tasks()
    callbacks = _ctx(reporter).loop_callbacks("toy", total=3)
    callbacks.on_epoch_end(0, {"loss": 0.5})
    with pytest.raises(DlxError) as error:
        callbacks.on_epoch_end(1, {"loss": math.nan})
    assert "epoch 2" in str(error.value) and "\n" not in str(error.value) and reporter.closed == 1
