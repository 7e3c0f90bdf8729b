"""``dlx bench SUITE``: one comparison table per suite, dlx beside the course."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..budget import DEFAULT_BUDGET
from .common import handle_errors
from .run import parse_sets, run_specs


@handle_errors
def bench_command(
    suite_name: Optional[str] = typer.Argument(None, help="suite name; omit to list the suites"),
    budget: str = typer.Option(DEFAULT_BUDGET, "--budget", "-b", help="smoke | quick | full"),
    seed: int = typer.Option(0, "--seed", help="random seed"),
    sets: List[str] = typer.Option([], "--set", help="KEY=VALUE, validated against the suite's parameters"),
    out: Optional[Path] = typer.Option(None, "--out", help="write result.json, history.csv and plots here"),
    as_json: bool = typer.Option(False, "--json", help="print the rows as JSON on stdout and nothing else"),
) -> None:
    """Run a benchmark suite (optimizers, init, regularization, cnn, rnn, …) and print its table."""
    from ..bench import all_suites, get_suite

    if suite_name is None:
        from . import render

        render.print_rows("suites", ["suite", "title", "section"], [[s.id.split(".", 1)[1], s.title, s.section] for s in all_suites()])
        return
    spec = get_suite(suite_name)
    code = run_specs([spec], budget=budget, seed=seed, sets=parse_sets(sets), dataset=None, out=out, as_json=as_json)
    raise typer.Exit(code)
