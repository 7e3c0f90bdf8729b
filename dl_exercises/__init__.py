"""dlx: every exercise of the JDLA E資格 Day 1–4 syllabus as one command, and as one call from Python.

    from dl_exercises import run
    r = run("day2.optimizers", budget="smoke")   # progress live in a notebook; notices as warnings
    r                                            # in Jupyter: metric | dlx | target | course, tables, figures
    r.metrics["keras_adam_accuracy"].value, r.figures, r.history

The public API is plain data and stays light: listing imports no TensorFlow.
"""

from __future__ import annotations

from typing import Any

from .registry import discover, get_exercise, list_exercises
from .version import __version__

# Where the registrations live, handed to the registry from the top (it imports none of its parents by name).
discover(exercises=("dl_exercises.exercises", "dl_exercises.bench"), datasets=("dl_exercises.datasets",),
         dataset_helpers=("cache",), checks=("dl_exercises.checks",))


def run(exercise_id: str, *, budget: str = "quick", seed: int = 0, overrides: dict[str, Any] | None = None,
        dataset: str | None = None, out=None, reporter=None, figures: bool = True, tensorboard: bool = True,
        lang: str | None = None, **params: Any):
    """Run one exercise by id and return its ``Result``; every argument is checked before any work, as the CLI does.

    Args:
        exercise_id: e.g. ``"day2.optimizers"`` (``list_exercises()`` lists them).
        budget: ``"smoke"`` (seconds), ``"quick"`` (about a minute) or ``"full"`` (the course's settings).
        seed: 0 ≤ seed < 2³²; the same seed gives the same metrics.
        overrides, **params: parameter values, as ``--set`` takes them (``run("day1.sgd", lr=0.05)``).
        dataset: a data set the exercise declares, used without fallback.
        out: a folder for result.json, history.csv, the figures and TensorBoard logs (created and checked first).
        reporter: where progress goes; by default the notebook's own display in Jupyter, a bar on stderr in a
            terminal, nothing otherwise (``progress.NullReporter()`` is silent). Notices are ``DlxNotice`` warnings.
        figures: keep every figure in ``Result.figures`` (shown inline in a notebook), with or without ``out``.
        tensorboard: with ``out``, write TensorBoard scalars of every Keras fit under ``out/tensorboard``.
        lang: ``"ja"`` writes the notes, tables, figures and progress in the course's Japanese terms
            (default: ``DLX_LANG``, else English).

    Returns:
        The ``Result``: ``.metrics``, ``.figures``, ``.history`` (a DataFrame when pandas is installed),
        ``.targets``, ``.tables``, ``.notes``; in a notebook it shows itself as an HTML table.

    Raises:
        errors.UsageError: an unknown id, budget, parameter or value, a bad seed, or an ``out`` that is a file
            or cannot be written; nothing has run then.
        errors.DlxError: the run failed (after saving what it had under ``out``).
    """
    from .runner import prepare_out, run_plan

    from .glossary import LANGS

    if lang is not None and lang not in LANGS:
        from .errors import UsageError

        raise UsageError(f"lang={lang!r}: choose one of {', '.join(LANGS)}")
    values = {**(overrides or {}), **params}
    plan = get_exercise(exercise_id).plan(budget, seed, values, dataset)
    out = prepare_out(out, "out=")
    own_reporter = reporter is None
    if own_reporter:
        from .notebook import auto_reporter

        reporter = auto_reporter(exercise_id)
    try:
        return run_plan(plan, out=out, reporter=reporter, capture_figures=figures, tensorboard=tensorboard, lang=lang,
                        command=_call_text(exercise_id, budget=budget, seed=seed, dataset=dataset, out=out, **values))
    finally:
        if own_reporter and hasattr(reporter, "stop"):
            reporter.stop()


def _call_text(exercise_id: str, **kwargs: Any) -> str:
    """``dl_exercises.run('day1.sgd', budget='smoke', seed=0, lr=0.05)``: the call, for the result's provenance."""
    shown = [repr(exercise_id)] + [f"{k}={str(v)!r}" if k == "out" else f"{k}={v!r}"
                                   for k, v in kwargs.items() if v is not None]
    return f"dl_exercises.run({', '.join(shown)})"


__all__ = ["__version__", "get_exercise", "list_exercises", "run"]
