"""``dlx bench SUITE``: one comparison table per suite (``bench.SUITE``), dlx beside the course."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..budget import DEFAULT_BUDGET
from ..errors import UsageError
from ..registry import suites as bench_suites
from ..spec import suggest
from . import completion
from .common import Budget, handle_errors
from .run import parse_sets, run_plans


@handle_errors
def bench_command(
    suite_name: Optional[str] = typer.Argument(None, help="suite name; omit to list the suites",
                                               autocompletion=completion.suites),
    budget: Budget = typer.Option(Budget(DEFAULT_BUDGET), "--budget", "-b", help="smoke | quick | full"),
    seed: int = typer.Option(0, "--seed", help="random seed, 0 to 2**32 - 1"),
    sets: List[str] = typer.Option([], "--set", help="KEY=VALUE, validated against the suite's parameters",
                                   autocompletion=completion.set_keys),
    out: Optional[Path] = typer.Option(None, "--out", help="write result.json, history.csv, plots and TensorBoard "
                                       "logs (DIR/tensorboard) here"),
    as_json: bool = typer.Option(False, "--json", help="print the rows as JSON on stdout and nothing else"),
    tensorboard: bool = typer.Option(True, "--tensorboard/--no-tensorboard",
                                     help="with --out, write TensorBoard scalars of every Keras fit"),
) -> None:
    """Run a benchmark suite (optimizers, init, regularization, normalization, cnn, rnn, …) and print its table."""
    if suite_name is None:
        from . import render

        render.print_rows("suites", ["suite", "title", "section"],
                          [[name, s.title, s.section] for name, s in bench_suites().items()])
        return
    suites = bench_suites()
    name = suite_name.removeprefix("bench.")
    if name not in suites:
        raise UsageError(f"unknown bench suite {suite_name!r}{suggest(name, suites)} (suites: {', '.join(suites)})")
    plan = suites[name].plan(budget.value, seed, parse_sets(sets))
    raise typer.Exit(run_plans([plan], out=out, as_json=as_json, tensorboard=tensorboard))
