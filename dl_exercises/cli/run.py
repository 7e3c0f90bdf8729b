"""``dlx run ID… | --all``: check every input first, run the plans, print their tables (or JSON), exit 0/1/2/130.

Everything the user typed is checked before any work, so a mistake costs an
exit 2 and one line, never a run: ids, budget, ``--seed``, ``--set`` and
``--dataset`` (``ExerciseSpec.plan``), ``--resume`` (a checkpoint of the same
exercise, with the same settings) and ``--out`` (created and probed for writing).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import List, Optional

import typer

from ..budget import DEFAULT_BUDGET
from ..errors import EXIT_FAILED, EXIT_OK, DlxError, UsageError
from ..registry import get_exercise, list_exercises
from ..spec import Plan
from . import completion
from .common import Budget, handle_errors, state

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
    minutes, machine, data = measured
    warning = f" (over {LONG_MINUTES:.0f} min: consider --set max_train_minutes or a GPU)" if minutes > LONG_MINUTES else ""
    with_data = f" with {data}" if data else ""
    render.notice(f"{plan.spec.id} --budget full took {minutes:.0f} min{with_data} on {machine} (data/full_budget.md)"
                  f"{warning}")


def check_resume(plan: Plan, folder: Path) -> None:
    """``--resume DIR`` must hold a checkpoint of ``plan``'s exercise, written with its budget, seed and settings."""
    from ..result import read_result_json
    from ..train.checkpoint import FILENAME, read_meta

    checkpoint = folder / FILENAME
    if not checkpoint.is_file():
        raise UsageError(f"--resume {folder}: no {FILENAME} there (a run writes one after each epoch with --out)")
    if (folder / "result.json").is_file():  # written when the run started: it names the exercise
        try:
            owner = read_result_json(folder / "result.json")["id"]
        except (OSError, ValueError):
            owner = None
        if owner is not None and owner != plan.spec.id:
            raise UsageError(f"--resume {folder}: that checkpoint is {owner}'s, not {plan.spec.id}'s")
    try:
        saved = read_meta(checkpoint).get("settings", {})
    except DlxError as exc:
        raise UsageError(f"--resume {folder}: {exc}") from None
    here = {**plan.params, "seed": plan.seed, "budget": plan.budget}
    foreign = sorted(k for k in saved if k not in here and k != "dataset")
    if foreign:
        raise UsageError(f"--resume {folder}: that checkpoint was written by another exercise (its settings "
                         f"{', '.join(foreign[:4])} are not {plan.spec.id}'s)")
    differ = [k for k in saved if k in here and json.loads(json.dumps(here[k], default=str)) != saved[k]]
    if differ:
        shown = ", ".join(f"{k}={saved[k]!r} there, {here[k]!r} here" for k in differ[:6])
        raise UsageError(f"--resume {folder}: the checkpoint was written with other settings ({shown}); "
                         "resume with the same budget, seed, data set and --set values")


def run_plans(plans: list[Plan], *, out: Optional[Path], as_json: bool, tensorboard: bool = True) -> int:
    """Check where each plan writes, then run each in turn; returns the exit code (1 if any failed or missed a target)."""
    from ..runner import prepare_out, run_plan
    from . import render

    targets = [out / plan.spec.id if (out and len(plans) > 1) else out for plan in plans]
    for target in targets:  # before the first run: a later one must not fail on its folder after hours of work
        prepare_out(target)
    lang = render.lang_of(state.lang)
    code = EXIT_OK
    collected = []
    for plan, target_dir in zip(plans, targets):
        reporter = render.RichReporter()
        if plan.budget == "full" and plan.resume is None:
            _announce_full_time(plan, render)
        try:
            result = run_plan(plan, out=target_dir, reporter=reporter, tensorboard=tensorboard,
                              command=state.command, lang=lang)
        except DlxError as exc:
            if len(plans) == 1:
                raise
            render.error(f"{plan.spec.id}: {render.translate(str(exc))}")
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
    exercise_ids: Optional[List[str]] = typer.Argument(None, help="exercise ids (see `dlx list`)",
                                                       autocompletion=completion.exercise_ids),
    run_all: bool = typer.Option(False, "--all", help="run every exercise"),
    budget: Budget = typer.Option(Budget(DEFAULT_BUDGET), "--budget", "-b", help="smoke | quick | full"),
    seed: int = typer.Option(0, "--seed", help="random seed, 0 to 2**32 - 1 (same seed, same metrics)"),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="data set to use instead of the default (no fallback)",
                                          autocompletion=completion.datasets_for),
    sets: List[str] = typer.Option([], "--set", help="KEY=VALUE, validated against the exercise's parameters",
                                   autocompletion=completion.set_keys),
    out: Optional[Path] = typer.Option(None, "--out", help="write result.json, history.csv, plots and TensorBoard "
                                       "logs (DIR/tensorboard) here"),
    as_json: bool = typer.Option(False, "--json", help="print the Result as JSON on stdout and nothing else"),
    tensorboard: bool = typer.Option(True, "--tensorboard/--no-tensorboard",
                                     help="with --out, write TensorBoard scalars of every Keras fit"),
    resume: Optional[Path] = typer.Option(
        None, "--resume", help="continue the run whose --out was DIR from its checkpoint (same budget, seed and "
        "--set values; writes to DIR unless --out is given); exercises that checkpoint: " + ", ".join(RESUMABLE)),
) -> None:
    """Run exercises and show metric | dlx | target | course. Exit 1 if a target is missed."""
    if run_all == bool(exercise_ids):
        raise UsageError("give exercise ids or --all (not both)")
    specs = list_exercises() if run_all else [get_exercise(i) for i in exercise_ids]
    values = parse_sets(sets)
    plans = [spec.plan(budget.value, seed, values, dataset) for spec in specs]  # every plan checked before the first run
    if resume is not None:
        if len(plans) != 1 or plans[0].spec.id not in RESUMABLE:
            raise UsageError(f"--resume continues one run of {', '.join(RESUMABLE)}")
        check_resume(plans[0], resume)
        plans = [dataclasses.replace(plans[0], resume=str(resume))]
        out = out or resume
    raise typer.Exit(run_plans(plans, out=out, as_json=as_json, tensorboard=tensorboard))
