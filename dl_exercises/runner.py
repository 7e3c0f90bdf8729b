"""Run one checked plan: build its context, call the exercise, check targets, write outputs.

Data flows one way: the CLI (or ``dl_exercises.run``) turns what the user
typed into a ``Plan`` (``ExerciseSpec.plan`` checks the budget, the ``--set``
values and the data set, once); ``run_plan`` calls the exercise with a
``RunContext`` and returns the ``Result``. Exercises never print and never
read the result back: they record metrics, tables and history on the
context and report progress through ``ctx.reporter``.

Where a run's files go (``--out``) is checked before any work
(``prepare_out``: created and probed for writing), and a ``result.json`` with
status "running" is written there at once, so a folder names its run from
the first second; the finished result replaces it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import runtime
from .errors import DlxError, UsageError
from .glossary import lang_of, tr_term, translate, use_lang
from .progress import NullReporter
from .spec import ExerciseSpec, Plan, Target
from .result import DataUsage, Figure, Metric, Result, Table, TargetCheck

TENSORBOARD_DIR = "tensorboard"  # under --out: one folder of Keras TensorBoard scalars per model.fit


class RunContext:
    """What an exercise function receives: settings in, results out.

    Figures: an exercise draws them when ``ctx.wants_figures`` (there is an ``--out`` folder, or the
    caller keeps figures, as a notebook does) and hands each to ``ctx.save_figure``.

    Language: an exercise writes its notes, tables and figures in English; under ``lang="ja"`` the
    context puts each through the glossary as it is recorded (``ctx.t`` for a text it builds itself).
    """

    def __init__(self, plan: Plan, *, out: Path | None = None, reporter=None, capture_figures: bool = False,
                 tensorboard: bool = True, lang: str | None = None) -> None:
        self.plan = plan
        self.spec = plan.spec
        self.budget = plan.budget
        self.seed = plan.seed
        self.params = dict(plan.params)
        self.dataset = plan.dataset
        self.out = Path(out) if out else None
        self.resume = Path(plan.resume) if plan.resume else None  # --resume DIR (exercises that checkpoint read it)
        self.lang = lang_of(lang)
        self.reporter = TranslatingReporter(reporter or NullReporter(), self.lang)
        self._fonts_replaced: dict | None = None
        self.capture_figures = capture_figures
        self.tensorboard = tensorboard and self.out is not None
        self._tensorboard_runs: set[str] = set()
        self.history: list[dict[str, Any]] = []
        self._result = Result(
            id=plan.spec.id, title=plan.spec.title, title_ja=plan.spec.title_ja, section=plan.spec.section,
            budget=plan.budget, seed=plan.seed, params=dict(plan.params), course=dict(plan.spec.course),
            references=dict(plan.spec.references), lang=self.lang,
        )
        self._train_time = 0.0

    # results -----------------------------------------------------------------
    def metric(self, name: str, value: Any, unit: str = "", note: str = "") -> Any:
        """Record a metric; returns the value recorded (so a table can show the same number)."""
        if hasattr(value, "tolist"):
            value = value.tolist()
        self._result.metrics[name] = Metric(value, unit, self.t(note))
        return value

    def table(self, title: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
        """An extra table; its title and columns in the run's language, word cells too (names and numbers stay)."""
        rows = [[tr_term(v, self.lang) if isinstance(v, str) else v for v in r] for r in rows]
        self._result.tables.append(Table(self.t(title), [self.t(c) if isinstance(c, str) else c for c in columns], rows))

    def note(self, text: str) -> None:
        self._result.notes.append(self.t(text))

    def t(self, text: str) -> str:
        """``text`` in the run's language, through the glossary (English as it is)."""
        return translate(text, self.lang)

    def log(self, **row: Any) -> None:
        """Append one row to the history (written to history.csv with ``--out``)."""
        self.history.append(row)

    # data --------------------------------------------------------------------
    def load_data(self, name: str | None = None, fallbacks: tuple[str, ...] | None = None, **kwargs):
        """Load a data set; ``--dataset`` overrides the default, and makes it strict.

        ``fallbacks``: the data sets to try in order when ``name`` can't be had (default: its own fallback).
        """
        from . import datasets

        chosen = self.dataset or name or (self.spec.data[0] if self.spec.data else None)
        if chosen is None:
            raise DlxError(f"{self.spec.id} declares no data set")
        bundle = datasets.load(chosen, strict=self.dataset is not None, seed=self.seed, reporter=self.reporter,
                               fallbacks=fallbacks, **kwargs)
        self.record_data(bundle.usage)
        return bundle

    def record_data(self, usage: DataUsage) -> None:
        if usage.note and self.lang != "en":
            usage = DataUsage(usage.name, usage.source, dict(usage.sizes), self.t(usage.note))
        self._result.data.append(usage)

    # training ----------------------------------------------------------------
    @staticmethod
    def tf_keras():
        """``(tf, keras)``, imported and configured (seeded with the run's seed when first imported)."""
        return runtime.tf_keras()

    def reseed(self, offset: int = 0) -> None:
        """Seed Python, numpy and Keras again with ``seed + offset``: the same start for each model compared."""
        _, keras = runtime.tf_keras()
        keras.utils.set_random_seed(self.seed + offset)

    def callbacks(self, epochs: int, label: str, run: str | None = None, steps_per_epoch: int | None = None) -> list:
        """Keras callbacks: progress bar, history rows, NaN/Inf guard, and with ``--out`` TensorBoard scalars."""
        from .train.callbacks import epoch_tensorboard, progress_callbacks

        def on_epoch(epoch: int, logs: dict) -> None:
            row = {"run": run or label, "epoch": epoch + 1}
            row.update(logs)
            self.log(**row)

        callbacks = progress_callbacks(epochs=epochs, label=label, reporter=self.reporter, on_epoch=on_epoch,
                                       steps_per_epoch=steps_per_epoch)
        log_dir = self.tensorboard_dir(run or label)
        if log_dir is not None:
            callbacks.append(epoch_tensorboard(str(log_dir)))
        return callbacks

    def fit_hooks(self, label: str, run: str | None = None) -> dict[str, Any]:
        """``train.fit.fit_on_batches``'s ``callbacks`` and ``training`` for one fit: ``self.callbacks`` and the clock."""
        import functools

        return {"callbacks": functools.partial(self.callbacks, label=label, run=run), "training": self.training}

    def loop_callbacks(self, label: str, total: int | None = None, run: str | None = None,
                       stop: Callable[[], bool] | None = None, where: Callable[[int, dict], str] | None = None):
        """The run context as ``train.loop.LoopCallbacks`` for a hand-written loop.

        Each ``on_epoch_end`` advances the progress bar by one, writes a history row
        (``run``, ``epoch`` from 1, the logs) and then stops the run with a one-line error
        when ``loss`` is NaN or Inf (``train.loop.LossGuard``: the row that went bad is in
        history.csv; ``where(epoch, logs)`` names the step, default "at epoch N");
        ``should_stop`` asks ``stop`` (never, without one).
        """
        return _LoopAdapter(self, label, total, run or label, stop, where)

    def tensorboard_dir(self, run: str) -> Path | None:
        """``OUT/tensorboard/RUN`` for one training run's TensorBoard logs (a new folder each call), or None."""
        if not self.tensorboard:
            return None
        import importlib.util

        if importlib.util.find_spec("tensorboard") is None:  # Keras writes its scalars through TensorBoard's package
            self.tensorboard = False
            self.reporter.notice("no TensorBoard logs: the tensorboard package is not installed (pip install tensorboard)")
            return None
        base = re.sub(r"[^A-Za-z0-9._=+-]+", "_", run).strip("_.") or "run"
        name, n = base, 1
        while name in self._tensorboard_runs:
            n += 1
            name = f"{base}-{n}"
        self._tensorboard_runs.add(name)
        path = self.out / TENSORBOARD_DIR / name
        if str(self.out / TENSORBOARD_DIR) not in self._result.artifacts:
            self._result.artifacts.append(str(self.out / TENSORBOARD_DIR))
        return path

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

    @property
    def wants_figures(self) -> bool:
        """Whether figures are kept anywhere (an ``--out`` folder, or the Result's ``figures``): draw them only then."""
        return self.out is not None or self.capture_figures

    def save_figure(self, fig, name: str) -> Path | None:
        """Keep ``fig`` as ``name`` (a PNG under ``--out``, and in ``Result.figures`` when figures are kept), close it.

        A heatmap (a colour-mapped 2-D image) without a colour bar gets one: its colours mean nothing without a scale.
        Its words (titles, axis labels, legends, notes on it) are put in the run's language here.
        """
        import io

        import matplotlib.pyplot as plt

        path = self.artifact_path(name)
        try:
            if path is not None or self.capture_figures:
                translate_figure(fig, self.lang)
                add_colour_bars(fig)
                buffer = io.BytesIO()
                fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
                png = buffer.getvalue()
                if path is not None:
                    path.write_bytes(png)
                if self.capture_figures:
                    self._result.figures[name] = Figure(name, png, None if path is None else str(path))
        finally:
            plt.close(fig)
        return path

    def pyplot(self):
        """matplotlib's pyplot: on the Agg backend unless a backend was chosen already (a notebook's inline one).

        Figures drawn during the run use the fonts of its language (``fonts.families``), Japanese included;
        the caller's font settings come back when the run ends.
        """
        import matplotlib

        if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        if self._fonts_replaced is None:
            from . import fonts

            self._fonts_replaced = fonts.apply(self.lang)
        return plt

    def restore_fonts(self) -> None:
        if self._fonts_replaced is not None:
            from . import fonts

            fonts.restore(self._fonts_replaced)
            self._fonts_replaced = None


class _LoopAdapter:
    """``RunContext.loop_callbacks``: progress, history rows and the NaN guard for a plain loop."""

    def __init__(self, ctx: RunContext, label: str, total: int | None, run: str,
                 stop: Callable[[], bool] | None, where: Callable[[int, dict], str] | None = None) -> None:
        from .train.loop import LossGuard

        self._ctx, self._label, self._total, self._run, self._stop = ctx, label, total, run, stop
        self._guard = LossGuard(label, where)
        self._task = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self._task is None:
            self._task = self._ctx.reporter.task(self._label, total=self._total)
        self._ctx.log(run=self._run, epoch=epoch + 1, **logs)
        try:
            self._guard.on_epoch_end(epoch, logs)
        except BaseException:
            self.close()
            raise
        self._task.advance(1)
        if self._total is not None and epoch + 1 >= self._total:
            self.close()

    def should_stop(self) -> bool:
        stop = bool(self._stop()) if self._stop is not None else False
        if stop:
            self.close()
        return stop

    def close(self) -> None:
        if self._task is not None:
            self._task.close()
            self._task = None


class TranslatingReporter:
    """A reporter whose progress labels and notices reach the learner in the run's language."""

    def __init__(self, inner, lang: str) -> None:
        self.inner, self.lang = inner, lang

    def task(self, label: str, total: int | None = None):
        return self.inner.task(translate(label, self.lang), total=total)

    def notice(self, text: str) -> None:
        self.inner.notice(translate(text, self.lang))

    def __getattr__(self, name: str):  # stop() and whatever else the wrapped reporter offers
        return getattr(self.inner, name)


def translate_figure(fig, lang: str) -> None:
    """Every word of ``fig`` (titles, axis labels, legend entries, texts, fixed tick labels) in ``lang``."""
    if lang == "en":
        return
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter

    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text:
            artist.set_text(translate(text, lang))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [tr_term(str(label), lang) for label in formatter.seq]


def add_colour_bars(fig) -> None:
    """A colour bar beside every colour-mapped 2-D image of ``fig`` that has none (grey images and RGB pictures aside)."""
    from matplotlib.colors import ListedColormap

    for ax in list(fig.axes):
        for image in ax.get_images():
            array = image.get_array()
            cmap = image.get_cmap()
            categorical = isinstance(cmap, ListedColormap) and cmap.N <= 20  # tab10 labels: a legend's job
            grey = cmap.name.rstrip("_r") in ("gray", "grey", "Greys", "binary", "bone")
            if array is None or array.ndim != 2 or image.colorbar is not None or categorical or grey:
                continue
            fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)


def prepare_out(out: str | Path | None, option: str = "--out") -> Path | None:
    """Create the folder a run writes to and check that it can be written, before any work; ``UsageError`` if not."""
    if out is None:
        return None
    path = Path(out).expanduser()
    named = f"{option}{str(path)!r}" if option.endswith("=") else f"{option} {path}"  # out='x' from Python, --out x
    if path.exists() and not path.is_dir():
        raise UsageError(f"{named}: is a file, not a folder (name a folder to write result.json and plots in)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{named}: cannot create this folder ({exc.strerror or exc})") from None
    probe = path / f".dlx-write-check-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"{named}: cannot write in this folder ({exc.strerror or exc})") from None
    return path


def run_plan(plan: Plan, *, out: str | Path | None = None, reporter=None, capture_figures: bool = False,
             tensorboard: bool = True, command: str = "", lang: str | None = None) -> Result:
    """Run a checked ``plan`` and return its Result; ``DlxError``/``KeyboardInterrupt`` propagate after saving.

    Args:
        out: folder for result.json, history.csv, figures and TensorBoard logs (checked before anything runs).
        reporter: progress and notices (default: silent).
        capture_figures: keep every figure in ``Result.figures`` (a notebook shows them), ``--out`` or not.
        tensorboard: with ``out``, also write TensorBoard scalars of every Keras ``fit`` under ``out/tensorboard``.
        command: the command line or Python call that started the run, for the result's provenance.
        lang: the language of its notes, tables, figures and progress ("en", "ja"; default ``DLX_LANG``).
    """
    with use_lang(lang) as chosen:
        return _run_plan(plan, out=out, reporter=reporter, capture_figures=capture_figures, tensorboard=tensorboard,
                         command=command, lang=chosen)


def _run_plan(plan: Plan, *, out, reporter, capture_figures: bool, tensorboard: bool, command: str,
              lang: str) -> Result:
    out = prepare_out(out)
    runtime.prepare_tf_environment()  # before any exercise imports TensorFlow
    ctx = RunContext(plan, out=out, reporter=reporter, capture_figures=capture_figures, tensorboard=tensorboard,
                     lang=lang)
    ctx._result.created_utc = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")
    ctx._result.command = command or default_command(plan)
    runtime.seed_everything(plan.seed)
    if out is not None:
        started = ctx._result
        started.status = "running"
        started.environment = runtime.environment(tf_loaded=False)
        write_outputs(started, [], out)
        started.status = "ok"
    start = time.perf_counter()
    try:
        plan.spec.func(ctx)
    except KeyboardInterrupt:
        ctx._result.status = "interrupted"
        _finish(ctx, start)
        raise
    except DlxError as exc:
        ctx._result.status = "failed"
        ctx._result.error = ctx.t(str(exc))
        _finish(ctx, start)
        raise
    except Exception as exc:  # an internal error: the folder must not say "running" forever
        first = (str(exc).strip().splitlines() or [""])[0]
        ctx._result.status = "failed"
        ctx._result.error = f"{type(exc).__name__}: {first}"
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
                 dataset: str | None = None, out: str | Path | None = None, reporter=None, **options) -> Result:
    """``run_plan(spec.plan(...))``: for library use, where no CLI built the plan (``options`` as ``run_plan``'s)."""
    return run_plan(spec.plan(budget, seed, overrides, dataset), out=out, reporter=reporter, **options)


def default_command(plan: Plan) -> str:
    """The ``dlx run`` command line that repeats ``plan``, for runs started from Python code without one."""
    import shlex

    words = ["dlx", "run", plan.spec.id, "--budget", plan.budget, "--seed", str(plan.seed)]
    if plan.dataset:
        words += ["--dataset", plan.dataset]
    defaults = plan.spec.params_for(plan.budget)
    words += [w for k, v in plan.params.items() if defaults.get(k) != v for w in ("--set", f"{k}={_set_text(v)}")]
    return shlex.join(words)


def _set_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


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


def _stand_in_used(name: str, used: set[str]) -> bool:
    """Whether a data set that stands in for ``name`` (its offline fallback, as mnist5k for mnist) ran."""
    from . import datasets

    return datasets.get(name).fallback in used


def _finish(ctx: RunContext, start: float) -> None:
    ctx.restore_fonts()
    result = ctx._result
    used = {d.name for d in result.data}
    result.course = {k: c for k, c in result.course.items() if c.data is None or c.data in used or _stand_in_used(c.data, used)}
    result.wall_time_s = round(time.perf_counter() - start, 3)
    result.train_time_s = round(ctx._train_time, 3)
    result.environment = runtime.environment()
    result.environment["precision"] = runtime.precision_that_ran()
    result.history_rows = [dict(row) for row in ctx.history]
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
