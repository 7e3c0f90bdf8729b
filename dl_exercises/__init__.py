"""dlx: every exercise of the JDLA E資格 Day 1–4 syllabus as one command.

The public API is plain data and stays light: listing imports no TensorFlow.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .registry import get_exercise, list_exercises  # noqa: E402


def run(exercise_id: str, **kwargs):
    """Run one exercise by id and return its ``Result`` (see ``runner.run_exercise``)."""
    from .runner import run_exercise

    return run_exercise(get_exercise(exercise_id), **kwargs)


__all__ = ["__version__", "get_exercise", "list_exercises", "run"]
