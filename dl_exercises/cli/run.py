"""``dlx run ID… | --all``: run exercises, print their tables (or JSON), exit 0/1/2/130."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..budget import BUDGETS, DEFAULT_BUDGET
from ..errors import EXIT_FAILED, EXIT_OK, DlxError, UsageError
from ..registry import ExerciseSpec, get_exercise, list_exercises
from .common import handle_errors, state


def parse_sets(pairs: List[str]) -> dict[str, str]:
    """``["lr=0.1", "epochs=3"]`` → ``{"lr": "0.1", "epochs": "3"}``; values are validated per exercise."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    return values


def run_specs(
    specs: list[ExerciseSpec],
    *,
    budget: str,
    seed: int,
    sets: dict[str, str],
    dataset: Optional[str],
    out: Optional[Path],
    as_json: bool,
) -> int:
    """Run each spec in turn; returns the exit code (1 if any failed or missed a target)."""
    from ..runner import run_exercise
    from . import render

    if budget not in BUDGETS:
        raise UsageError(f"--budget {budget}: choose one of {', '.join(BUDGETS)}")
    for spec in specs:  # validate everything before the first run starts
        spec.params_for(budget, sets)
        if dataset is not None and dataset not in spec.data:
            raise UsageError(f"--dataset {dataset}: {spec.id} runs on {', '.join(spec.data) or 'no data set'}")
    lang = render.lang_of(state.lang)
    code = EXIT_OK
    collected = []
    for spec in specs:
        reporter = render.RichReporter()
        target_dir = out / spec.id if (out and len(specs) > 1) else out
        try:
            result = run_exercise(
                spec, budget=budget, seed=seed, overrides=sets, dataset=dataset, out=target_dir, reporter=reporter
            )
        except DlxError as exc:
            reporter.stop()
            if len(specs) == 1:
                raise
            render.error(f"{spec.id}: {exc}")
            code = EXIT_FAILED
            continue
        finally:
            reporter.stop()
        payload = result.to_dict()
        collected.append(payload)
        if not as_json:
            render.print_result(payload, lang)
        if result.missed:
            code = EXIT_FAILED
    if as_json:
        typer.echo(json.dumps(collected[0] if len(specs) == 1 and collected else collected, indent=2, ensure_ascii=False))
    return code


@handle_errors
def run_command(
    exercise_ids: Optional[List[str]] = typer.Argument(None, help="exercise ids (see `dlx list`)"),
    run_all: bool = typer.Option(False, "--all", help="run every exercise"),
    budget: str = typer.Option(DEFAULT_BUDGET, "--budget", "-b", help="smoke | quick | full"),
    seed: int = typer.Option(0, "--seed", help="random seed (same seed, same metrics)"),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="data set to use instead of the default (no fallback)"),
    sets: List[str] = typer.Option([], "--set", help="KEY=VALUE, validated against the exercise's parameters"),
    out: Optional[Path] = typer.Option(None, "--out", help="write result.json, history.csv and plots here"),
    as_json: bool = typer.Option(False, "--json", help="print the Result as JSON on stdout and nothing else"),
) -> None:
    """Run exercises and show metric | dlx | target | course. Exit 1 if a target is missed."""
    if run_all == bool(exercise_ids):
        raise UsageError("give exercise ids or --all (not both)")
    specs = list_exercises() if run_all else [get_exercise(i) for i in exercise_ids]
    code = run_specs(specs, budget=budget, seed=seed, sets=parse_sets(sets), dataset=dataset, out=out, as_json=as_json)
    raise typer.Exit(code)
