"""Run one checked plan: build its context, call the exercise, check targets, write outputs.

Data flows one way: the CLI (or ``dl_exercises.run``) turns what the user
typed into a ``Plan`` (``ExerciseSpec.plan`` checks the budget, the ``--set``
values and the data set, once); ``run_plan`` calls the exercise with a
``RunContext`` and returns the ``Result``. Exercises never print and never
read the result back: they record metrics, tables and history on the
context and report progress through ``ctx.reporter``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import runtime
from .errors import DlxError
from .progress import NullReporter
from .registry import ExerciseSpec, Plan, Target
from .result import DataUsage, Metric, Result, Table, TargetCheck


class RunContext:
    """What an exercise function receives: settings in, results out."""

    def __init__(self, plan: Plan, *, out: Path | None = None, reporter=None) -> None:
        self.plan = plan
        self.spec = plan.spec
        self.budget = plan.budget
        self.seed = plan.seed
        self.params = dict(plan.params)
        self.dataset = plan.dataset
        self.out = Path(out) if out else None
        self.resume = Path(plan.resume) if plan.resume else None  # --resume DIR (exercises that checkpoint read it)
        self.reporter = reporter or NullReporter()
        self.history: list[dict[str, Any]] = []
        self._result = Result(
            id=plan.spec.id, title=plan.spec.title, title_ja=plan.spec.title_ja, section=plan.spec.section,
            budget=plan.budget, seed=plan.seed, params=dict(plan.params), course=dict(plan.spec.course),
            references=dict(plan.spec.references),
        )
        self._train_time = 0.0

    # results -----------------------------------------------------------------
    def metric(self, name: str, value: Any, unit: str = "", note: str = "") -> Any:
        """Record a metric; returns the value recorded (so a table can show the same number)."""
        if hasattr(value, "tolist"):
            value = value.tolist()
        self._result.metrics[name] = Metric(value, unit, note)
        return value

    def table(self, title: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
        self._result.tables.append(Table(title, list(columns), [list(r) for r in rows]))

    def note(self, text: str) -> None:
        self._result.notes.append(text)

    def log(self, **row: Any) -> None:
        """Append one row to the history (written to history.csv with ``--out``)."""
        self.history.append(row)

    # data --------------------------------------------------------------------
    def load_data(self, name: str | None = None, **kwargs):
        """Load a data set; ``--dataset`` overrides the default, and makes it strict."""
        from . import datasets

        chosen = self.dataset or name or (self.spec.data[0] if self.spec.data else None)
        if chosen is None:
            raise DlxError(f"{self.spec.id} declares no data set")
        bundle = datasets.load(chosen, strict=self.dataset is not None, seed=self.seed, reporter=self.reporter, **kwargs)
        self.record_data(bundle.usage)
        return bundle

    def record_data(self, usage: DataUsage) -> None:
        self._result.data.append(usage)

    # training ----------------------------------------------------------------
    @staticmethod
    def keras():
        """``(tf, keras)``, imported and configured (seeded with the run's seed when first imported)."""
        return runtime.tf_keras()

    def reseed(self, offset: int = 0) -> None:
        """Seed Python, numpy and Keras again with ``seed + offset``: the same start for each model compared."""
        _, keras = runtime.tf_keras()
        keras.utils.set_random_seed(self.seed + offset)

    def callbacks(self, epochs: int, label: str, run: str | None = None, steps_per_epoch: int | None = None) -> list:
        """Keras callbacks: progress bar, history rows, NaN/Inf guard."""
        from .train.callbacks import progress_callbacks

        def on_epoch(epoch: int, logs: dict) -> None:
            row = {"run": run or label, "epoch": epoch + 1}
            row.update(logs)
            self.log(**row)

        return progress_callbacks(epochs=epochs, label=label, reporter=self.reporter, on_epoch=on_epoch,
                                  steps_per_epoch=steps_per_epoch)

    @contextlib.contextmanager
    def training(self) -> Iterator[None]:
        """Time a block as training time (reported beside the wall time)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self._train_time += time.perf_counter() - start

    def progress(self, iterable: Iterable, label: str, total: int | None = None) -> Iterator:
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)
        task = self.reporter.task(label, total=total)
        try:
            for item in iterable:
                yield item
                task.advance(1)
        finally:
            task.close()

    @staticmethod
    def check_finite(value: float, where: str) -> float:
        return runtime.check_finite(value, where)

    # artifacts ---------------------------------------------------------------
    def artifact_path(self, name: str) -> Path | None:
        """Where to write an artifact, or ``None`` when no ``--out`` was given."""
        if self.out is None:
            return None
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / name
        if str(path) not in self._result.artifacts:
            self._result.artifacts.append(str(path))
        return path

    def save_figure(self, fig, name: str) -> Path | None:
        path = self.artifact_path(name)
        if path is not None:
            fig.savefig(path, dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        return path

    @staticmethod
    def pyplot():
        """matplotlib's pyplot on the non-interactive Agg backend."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        return plt


def run_plan(plan: Plan, *, out: str | Path | None = None, reporter=None) -> Result:
    """Run a checked ``plan`` and return its Result; ``DlxError``/``KeyboardInterrupt`` propagate after saving."""
    runtime.prepare_tf_environment()  # before any exercise imports TensorFlow
    ctx = RunContext(plan, out=out, reporter=reporter)
    runtime.seed_everything(plan.seed)
    start = time.perf_counter()
    try:
        plan.spec.func(ctx)
    except KeyboardInterrupt:
        ctx._result.status = "interrupted"
        _finish(ctx, start)
        raise
    except DlxError as exc:
        ctx._result.status = "failed"
        ctx._result.error = str(exc)
        _finish(ctx, start)
        raise
    data_used = [d.name for d in ctx._result.data]
    ctx._result.targets = check_targets(plan.spec.targets_for(plan.budget), ctx._result.metrics,
                                        narrowed=plan.dataset is not None, data_used=data_used)
    note = _unmatched_data_targets(plan, data_used)
    if note:
        ctx.note(note)
    if ctx._result.missed:
        ctx._result.status = "target_missed"
    _finish(ctx, start)
    return ctx._result


def run_exercise(spec: ExerciseSpec, *, budget: str = "quick", seed: int = 0, overrides: Mapping[str, Any] | None = None,
                 dataset: str | None = None, out: str | Path | None = None, reporter=None) -> Result:
    """``run_plan(spec.plan(...))``: for library use, where no CLI built the plan."""
    return run_plan(spec.plan(budget, seed, overrides, dataset), out=out, reporter=reporter)


def check_targets(targets: Iterable[Target], metrics: Mapping[str, Metric], narrowed: bool = False,
                  data_used: Iterable[str] = ()) -> list[TargetCheck]:
    """Compare metrics with the budget's targets; a missing metric misses its target.

    The one exception: with ``--dataset`` an exercise that covers several data
    sets runs only one, so targets of metrics it did not produce are left out.
    A target tied to a data set is checked only when the run used that data set.
    """
    checks = []
    for target in targets:
        if not target.applies_to(data_used):
            continue
        metric = metrics.get(target.metric)
        if metric is None and narrowed:
            continue
        value = None if metric is None else metric.value
        met = isinstance(value, (int, float)) and not isinstance(value, bool) and target.met_by(value)
        checks.append(TargetCheck(target.metric, str(target), value, met))
    return checks


def _unmatched_data_targets(plan: Plan, data_used: list[str]) -> str | None:
    """A note when every target of the budget is tied to data sets the run did not use."""
    bounds = plan.spec.targets_for(plan.budget)
    tied = [t for t in bounds if t.data is not None]
    if not tied or any(t.data is None or t.data in data_used for t in bounds):
        return None
    used = ", ".join(data_used) or "no data set"
    return (f"no {plan.budget}-budget target applies to {used}: the bounds are for "
            + ", ".join(f"{t.data} ({t.op} {t.bound:g})" for t in tied))


def _finish(ctx: RunContext, start: float) -> None:
    result = ctx._result
    used = {d.name for d in result.data}
    result.course = {k: c for k, c in result.course.items() if c.data is None or c.data in used}
    result.wall_time_s = round(time.perf_counter() - start, 3)
    result.train_time_s = round(ctx._train_time, 3)
    result.environment = runtime.environment()
    if ctx.out is not None:
        write_outputs(result, ctx.history, ctx.out)


def write_outputs(result: Result, history: list[dict[str, Any]], out: Path) -> None:
    """result.json and history.csv under ``out`` (written even for interrupted runs)."""
    out.mkdir(parents=True, exist_ok=True)
    if history:
        columns: list[str] = []
        for row in history:
            columns.extend(k for k in row if k not in columns)
        path = out / "history.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(history)
        if str(path) not in result.artifacts:
            result.artifacts.append(str(path))
    (out / "result.json").write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
