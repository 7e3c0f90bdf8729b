"""``dlx list``: filter the registry; never imports TensorFlow."""

from __future__ import annotations

import json
from typing import Optional

import typer

from ..registry import list_exercises
from .common import handle_errors, state


@handle_errors
def list_command(
    pattern: Optional[str] = typer.Argument(None, help="glob over ids, e.g. 'day2.*' or 'cnn'"),
    day: Optional[int] = typer.Option(None, "--day", min=1, max=4, help="only this day (1–4)"),
    tag: Optional[str] = typer.Option(None, "--tag", help="only exercises with this tag"),
    as_json: bool = typer.Option(False, "--json", help="print JSON on stdout"),
) -> None:
    """List the exercises (id, title, course section, data, tags)."""
    specs = list_exercises(pattern, day=day, tag=tag)
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in specs], indent=2, ensure_ascii=False))
        return
    from . import render

    render.print_spec_list(specs, render.lang_of(state.lang))
