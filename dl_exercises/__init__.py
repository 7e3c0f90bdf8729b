"""dlx: every exercise of the JDLA E資格 Day 1–4 syllabus as one command.

The public API is plain data and stays light: listing imports no TensorFlow.
"""

from __future__ import annotations

from .registry import get_exercise, list_exercises
from .version import __version__


def run(exercise_id: str, *, budget: str = "quick", seed: int = 0, overrides=None, dataset: str | None = None,
        out=None, reporter=None):
    """Run one exercise by id and return its ``Result``; the arguments are checked once, as the CLI checks them."""
    from .runner import run_plan

    plan = get_exercise(exercise_id).plan(budget, seed, overrides, dataset)
    return run_plan(plan, out=out, reporter=reporter)


__all__ = ["__version__", "get_exercise", "list_exercises", "run"]
