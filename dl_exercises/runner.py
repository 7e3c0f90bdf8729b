"""Run one exercise: build its context, call it, check targets, write outputs.

Data flows one way (DESIGN.md): the CLI parses, the registry finds the spec,
``run_exercise`` calls the exercise with a ``RunContext`` and returns the
``Result``. Exercises never print; they record metrics, tables and history on
the context and report progress through ``ctx.reporter``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import runtime
from .errors import DlxError, UsageError
from .registry import ExerciseSpec
from .result import DataUsage, Metric, Result, Table, TargetCheck


class NullTask:
    def advance(self, n: int = 1) -> None: ...
    def describe(self, text: str) -> None: ...
    def close(self) -> None: ...


class NullReporter:
    """Progress sink for library use and tests; the CLI passes a rich one."""

    def task(self, label: str, total: int | None = None) -> NullTask:
        return NullTask()

    def notice(self, text: str) -> None: ...


class RunContext:
    """What an exercise function receives: settings in, results out."""

    def __init__(
        self,
        spec: ExerciseSpec,
        *,
        budget: str,
        seed: int,
        params: Mapping[str, Any],
        dataset: str | None = None,
        out: Path | None = None,
        reporter=None,
    ) -> None:
        self.spec = spec
        self.budget = budget
        self.seed = seed
        self.params = dict(params)
        self.dataset = dataset
        self.out = Path(out) if out else None
        self.reporter = reporter or NullReporter()
        self.history: list[dict[str, Any]] = []
        self.result = Result(
            id=spec.id,
            title=spec.title,
            title_ja=spec.title_ja,
            section=spec.section,
            budget=budget,
            seed=seed,
            params=dict(params),
            course={k: {"value": c.value, "where": c.where, "data": c.data} for k, c in spec.course.items()},
        )
        self._train_time = 0.0

    # results -----------------------------------------------------------------
    def metric(self, name: str, value: Any, unit: str = "", note: str = "") -> None:
        if hasattr(value, "tolist"):
            value = value.tolist()
        self.result.metrics[name] = Metric(value, unit, note)

    def table(self, title: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
        self.result.tables.append(Table(title, list(columns), [list(r) for r in rows]))

    def note(self, text: str) -> None:
        self.result.notes.append(text)

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
        self.result.data.append(usage)

    # training ----------------------------------------------------------------
    def keras(self):
        """``(tf, keras)``, configured and seeded with this run's seed."""
        tf, keras = runtime.tf_keras()
        keras.utils.set_random_seed(self.seed)
        return tf, keras

    def callbacks(self, epochs: int, label: str, run: str | None = None, steps_per_epoch: int | None = None) -> list:
        """Keras callbacks: progress bar, history rows, NaN/Inf guard."""

        def on_epoch(epoch: int, logs: dict) -> None:
            row = {"run": run or label, "epoch": epoch + 1}
            row.update(logs)
            self.log(**row)

        return runtime.keras_callbacks(
            epochs=epochs, label=label, reporter=self.reporter, on_epoch=on_epoch, steps_per_epoch=steps_per_epoch
        )

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
        self.result.artifacts.append(str(path))
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


def run_exercise(
    spec: ExerciseSpec,
    *,
    budget: str = "quick",
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    dataset: str | None = None,
    out: str | Path | None = None,
    reporter=None,
) -> Result:
    """Run ``spec`` and return its Result; ``DlxError``/``KeyboardInterrupt`` propagate after saving."""
    runtime.prepare_tf_environment()  # before any exercise imports TensorFlow
    params = spec.params_for(budget, overrides)
    if dataset is not None and dataset not in spec.data:
        allowed = ", ".join(spec.data) or "none"
        raise UsageError(f"--dataset {dataset}: {spec.id} runs on {allowed}")
    ctx = RunContext(spec, budget=budget, seed=seed, params=params, dataset=dataset, out=out, reporter=reporter)
    runtime.seed_everything(seed)
    func = spec.resolve()
    start = time.perf_counter()
    try:
        func(ctx)
    except KeyboardInterrupt:
        ctx.result.status = "interrupted"
        _finish(ctx, start)
        raise
    except DlxError as exc:
        ctx.result.status = "failed"
        ctx.result.error = str(exc)
        _finish(ctx, start)
        raise
    ctx.result.targets = _check_targets(spec, budget, ctx.result.metrics, narrowed=dataset is not None,
                                         data_used=[d.name for d in ctx.result.data])
    if ctx.result.missed:
        ctx.result.status = "target_missed"
    _finish(ctx, start)
    return ctx.result


def _check_targets(
    spec: ExerciseSpec, budget: str, metrics: Mapping[str, Metric], narrowed: bool = False,
    data_used: Iterable[str] = (),
) -> list[TargetCheck]:
    """Compare metrics with the budget's targets; a missing metric misses its target.

    The one exception: with ``--dataset`` an exercise that covers several data
    sets runs only one, so targets of metrics it did not produce are left out.
    A target tied to a data set is checked only when the run used that data set.
    """
    checks = []
    for target in spec.targets_for(budget):
        if not target.applies_to(data_used):
            continue
        metric = metrics.get(target.metric)
        if metric is None and narrowed:
            continue
        value = None if metric is None else metric.value
        met = isinstance(value, (int, float)) and target.met_by(value)
        checks.append(TargetCheck(target.metric, str(target), value, met))
    return checks


def _finish(ctx: RunContext, start: float) -> None:
    used = {d.name for d in ctx.result.data}
    ctx.result.course = {k: c for k, c in ctx.result.course.items() if c.get("data") is None or c["data"] in used}
    ctx.result.wall_time_s = round(time.perf_counter() - start, 3)
    ctx.result.train_time_s = round(ctx._train_time, 3)
    ctx.result.environment = runtime.environment()
    if ctx.out is not None:
        write_outputs(ctx.result, ctx.history, ctx.out)


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
