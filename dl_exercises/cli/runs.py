"""``dlx runs DIR…`` (or ``dlx compare``): results of earlier runs side by side.

Each path is a ``result.json``, or a folder searched for them (``dlx runs
runs/`` finds every run under it). One table: a column per run, rows for what
each run was (exercise, budget, seed, status, when, time), the parameters and
the environment entries that differ between them, then every metric. ``--json``
prints the same comparison as JSON. Reads result.json of every schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import typer

from ..errors import UsageError
from ..spec import natural_key
from .common import handle_errors, state

# Environment entries worth a row when they differ between runs (they change numbers or speed).
ENVIRONMENT_KEYS = ("dlx", "git_commit", "git_modified", "tensorflow", "keras", "tensorflow_build", "cpu",
                    "vector_instructions", "onednn", "precision", "gpu_names", "op_determinism", "python")


def find_results(paths: list[Path]) -> list[Path]:
    """Every ``result.json`` named or under the folders named, in order (natural order inside a folder)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_file():
            found.append(path)
            continue
        inside = sorted(path.rglob("result.json"), key=lambda p: natural_key(str(p)))
        if not inside:
            raise UsageError(f"{path}: no result.json in this folder (a run writes one with --out DIR)")
        found.extend(inside)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def labels(files: list[Path]) -> list[str]:
    """Short names for the runs: each result's folder relative to the folders' common parent."""
    folders = [f.parent for f in files]
    if len(folders) == 1:
        return [folders[0].name or str(folders[0])]
    common = Path(*_common_parts([f.parts for f in folders]))
    names = [str(f.relative_to(common)) if f != common else f.name for f in folders]
    return [n if n not in ("", ".") else f.name for n, f in zip(names, folders)]


def _common_parts(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    common: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return tuple(common)


def compare(files: list[Path]) -> dict[str, Any]:
    """The comparison of the runs in ``files``: what each was, what differs, and every metric side by side."""
    from ..result import read_result_json

    results = []
    for file in files:
        try:
            results.append(read_result_json(file))
        except (OSError, ValueError) as exc:
            raise UsageError(str(exc) if isinstance(exc, ValueError) else f"{file}: {exc.strerror}") from None
    runs = [{"label": label, "path": str(file), "id": r["id"], "budget": r["budget"], "seed": r["seed"],
             "status": r["status"], "created_utc": r["created_utc"], "command": r["command"],
             "wall_time_s": r["wall_time_s"], "data": [d.get("name") for d in r["data"]], "schema": r["schema"]}
            for label, file, r in zip(labels(files), files, results)]
    return {
        "runs": runs,
        "params_differ": _differ([r["params"] for r in results]),
        "environment_differ": _differ([{k: r["environment"].get(k) for k in ENVIRONMENT_KEYS} for r in results]),
        "metrics": _metrics(results),
    }


def _differ(dicts: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """{key: [value in each run]} for the keys whose values are not all the same (a missing key counts as None)."""
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    table = {k: [d.get(k) for d in dicts] for k in keys}
    return {k: values for k, values in table.items()
            if len({json.dumps(v, sort_keys=True, default=str) for v in values}) > 1}


def _metrics(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{metric: {"values": [...], "units": unit, "targets": [{"bound", "met"} or None per run]}} in first-seen order."""
    names = list(dict.fromkeys(name for r in results for name in r["metrics"]))
    table = {}
    for name in names:
        targets = []
        for r in results:
            check = next((t for t in r["targets"] if t.get("metric") == name), None)
            targets.append(None if check is None else {"bound": check.get("bound"), "met": check.get("met")})
        unit = next((r["metrics"][name].get("unit") for r in results if r["metrics"].get(name, {}).get("unit")), "")
        table[name] = {"values": [r["metrics"].get(name, {}).get("value") for r in results], "unit": unit,
                       "targets": targets}
    return table


@handle_errors
def runs_command(
    paths: Optional[List[Path]] = typer.Argument(
        None, help="result.json files, or folders to search for them (default: runs)"),
    metric: Optional[str] = typer.Option(None, "--metric", "-m", help="only metrics matching this glob, e.g. '*accuracy*'"),
    as_json: bool = typer.Option(False, "--json", help="print the comparison as JSON on stdout"),
) -> None:
    """Compare earlier runs: metrics side by side, and the parameters and environment that differ."""
    import fnmatch

    chosen = list(paths or [])
    if not chosen:
        if not Path("runs").is_dir():
            raise UsageError("give result.json files or folders of runs (a run writes one with --out DIR)")
        chosen = [Path("runs")]
    comparison = compare(find_results(chosen))
    if metric:
        comparison["metrics"] = {k: v for k, v in comparison["metrics"].items() if fnmatch.fnmatchcase(k, metric)}
    if as_json:
        typer.echo(json.dumps(comparison, indent=2, ensure_ascii=False))
        return
    from . import render

    render.print_comparison(comparison, render.lang_of(state.lang))
