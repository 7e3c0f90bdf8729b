"""Shell completion of what dlx looks up by name: exercise ids, suites, ``--set`` keys, data sets, checks.

Each function takes what the shell has typed so far (and Typer's context,
for the ids already on the line) and returns ``(value, help)`` pairs; the
shell shows the help where it can (zsh, fish). Like ``dlx list``, nothing
here imports TensorFlow: completion runs the registry's plain data only.
Budgets and ``--lang`` complete from their choices (``common.Budget``,
``common.Lang``).
"""

from __future__ import annotations

import os
import shlex

import typer


def _ids(ctx: typer.Context | None) -> list[str]:
    typed = (ctx.params.get("exercise_ids") or ctx.params.get("exercise_id")) if ctx is not None else None
    if isinstance(typed, str):
        return [typed]
    return list(typed or [])


def exercise_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Exercise ids that start with what was typed (one already on the line is not offered again)."""
    from ..registry import list_exercises

    typed = set(_ids(ctx))
    return [(s.id, s.title) for s in list_exercises() if s.id.startswith(incomplete) and s.id not in typed]


def exercise_id(incomplete: str) -> list[tuple[str, str]]:
    from ..registry import list_exercises

    return [(s.id, s.title) for s in list_exercises() if s.id.startswith(incomplete)]


def suites(incomplete: str) -> list[tuple[str, str]]:
    from ..registry import suites as bench_suites

    return [(name, s.title) for name, s in bench_suites().items() if name.startswith(incomplete)]


def _typed_words() -> list[str]:
    """The command line being completed, as the shell hands it over (bash: ``COMP_WORDS``; zsh, fish, PowerShell:
    ``_TYPER_COMPLETE_ARGS``)."""
    text = os.environ.get("_TYPER_COMPLETE_ARGS") or os.environ.get("COMP_WORDS") or ""
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote in what is being typed
        return text.split()


def _specs(ctx: typer.Context | None):
    """The exercises (or the suite) named on the line so far.

    Read from the words typed as well as from Typer's context: while an option such as ``--set`` still waits for
    its value, Click's lenient parse of the line drops the arguments before it.
    """
    from ..registry import EXERCISES, suites as bench_suites

    args = _typed_words()

    names = list(dict.fromkeys(_ids(ctx) + [a for a in args if "." in a]))
    specs = [EXERCISES.get(i) for i in names if i in EXERCISES]
    suite = ctx.params.get("suite_name") if ctx is not None else None
    if "bench" in args and not suite:
        suite = next((a for a in args[args.index("bench") + 1:] if not a.startswith("-")), None)
    if suite:
        specs += [s for name, s in bench_suites().items() if name == suite.removeprefix("bench.")]
    return specs


def set_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``KEY=`` for each parameter of the exercises (or suite) on the line; after ``KEY=``, its choices if any."""
    params: dict = {}
    for spec in _specs(ctx):
        params.update(spec.params)
    key, sep, _ = incomplete.partition("=")
    if sep:
        param = params.get(key)
        choices = param.choices if param is not None and param.choices else (
            ("true", "false") if param is not None and param.type is bool else ())
        return [(f"{key}={c}", param.help) for c in choices if f"{key}={c}".startswith(incomplete)]
    return [(f"{k}=", p.help) for k, p in params.items() if k.startswith(incomplete)]


def datasets_for(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The data sets the exercises on the line declare (every data set when none is typed yet)."""
    specs = _specs(ctx)
    if specs:
        names = dict.fromkeys(name for spec in specs for name in spec.data)
        return [(n, "") for n in names if n.startswith(incomplete)]
    return data_sets(incomplete)


def data_sets(incomplete: str) -> list[tuple[str, str]]:
    from .. import datasets

    return [(d.name, d.description) for d in datasets.all_datasets() if d.name.startswith(incomplete)]


def fetchable(incomplete: str) -> list[tuple[str, str]]:
    from .. import datasets

    return [(d.name, d.description) for d in datasets.all_datasets() if d.fetch and d.name.startswith(incomplete)]


def checks(incomplete: str) -> list[tuple[str, str]]:
    from ..registry import CHECKS

    return [(c.name, c.section) for c in CHECKS.all() if c.name.startswith(incomplete)]
