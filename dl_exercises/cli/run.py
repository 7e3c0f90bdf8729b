"""``dlx run ID… | --all``: check every plan first, run them, print their tables (or JSON), exit 0/1/2/130."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import List, Optional

import typer

from ..budget import DEFAULT_BUDGET
from ..errors import EXIT_FAILED, EXIT_OK, DlxError, UsageError
from ..registry import Plan, get_exercise, list_exercises
from .common import handle_errors, state

# Exercises whose long runs write checkpoint.npz after every epoch (enja) and read ctx.resume.
RESUMABLE = ("day3.seq2seq", "day4.transformer")


def parse_sets(pairs: List[str]) -> dict[str, str]:
    """``["lr=0.1", "epochs=3"]`` → ``{"lr": "0.1", "epochs": "3"}``; values are checked by each plan."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    return values


def _announce_full_time(plan: Plan, render) -> None:
    """Before a full run starts, how long its recorded run took (data/full_budget.json), when that was long."""
    from ..full_budget import LONG_MINUTES, measured_minutes

    measured = measured_minutes(plan.spec.id)
    if measured is None or measured[0] < 1.0:
        return
    minutes, machine = measured
    warning = f" (over {LONG_MINUTES:.0f} min: consider --set max_train_minutes or a GPU)" if minutes > LONG_MINUTES else ""
    render.notice(f"{plan.spec.id} --budget full took {minutes:.0f} min on {machine} (data/full_budget.md){warning}")


def run_plans(plans: list[Plan], *, out: Optional[Path], as_json: bool) -> int:
    """Run each checked plan in turn; returns the exit code (1 if any failed or missed a target)."""
    from ..runner import run_plan
    from . import render

    lang = render.lang_of(state.lang)
    code = EXIT_OK
    collected = []
    for plan in plans:
        reporter = render.RichReporter()
        if plan.budget == "full" and plan.resume is None:
            _announce_full_time(plan, render)
        target_dir = out / plan.spec.id if (out and len(plans) > 1) else out
        try:
            result = run_plan(plan, out=target_dir, reporter=reporter)
        except DlxError as exc:
            if len(plans) == 1:
                raise
            render.error(f"{plan.spec.id}: {exc}")
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
        typer.echo(json.dumps(collected[0] if len(plans) == 1 and collected else collected, indent=2, ensure_ascii=False))
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
    resume: Optional[Path] = typer.Option(
        None, "--resume", help="continue the run whose --out was DIR from its checkpoint (same budget, seed and "
        "--set values; writes to DIR unless --out is given); exercises that checkpoint: " + ", ".join(RESUMABLE)),
) -> None:
    """Run exercises and show metric | dlx | target | course. Exit 1 if a target is missed."""
    if run_all == bool(exercise_ids):
        raise UsageError("give exercise ids or --all (not both)")
    specs = list_exercises() if run_all else [get_exercise(i) for i in exercise_ids]
    values = parse_sets(sets)
    plans = [spec.plan(budget, seed, values, dataset) for spec in specs]  # every plan checked before the first run
    if resume is not None:
        if len(plans) != 1 or plans[0].spec.id not in RESUMABLE:
            raise UsageError(f"--resume continues one run of {', '.join(RESUMABLE)}")
        if not (resume / "checkpoint.npz").is_file():
            raise UsageError(f"--resume {resume}: no checkpoint.npz there (a run writes one after each epoch with --out)")
        plans = [dataclasses.replace(plans[0], resume=str(resume))]
        out = out or resume
    raise typer.Exit(run_plans(plans, out=out, as_json=as_json))
