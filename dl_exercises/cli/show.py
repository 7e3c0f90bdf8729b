"""``dlx show ID``: parameters, budgets, targets and course figures of one exercise."""

from __future__ import annotations

import json

import typer

from ..registry import get_exercise
from . import completion
from .common import handle_errors, state


@handle_errors
def show_command(
    exercise_id: str = typer.Argument(..., help="exercise id, e.g. day4.transformer",
                                      autocompletion=completion.exercise_id),
    as_json: bool = typer.Option(False, "--json", help="print JSON on stdout"),
) -> None:
    """Show one exercise: what it does, its parameters per budget, targets and course figures."""
    spec = get_exercise(exercise_id)
    if as_json:
        typer.echo(json.dumps(spec.to_dict(), indent=2, ensure_ascii=False))
        return
    from . import render

    render.print_spec(spec, render.lang_of(state.lang))
