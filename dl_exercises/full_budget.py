"""The full-budget table: every ``--budget full`` run once at seed 0, beside the course's figures.

The full budget is the course's own setting, the one a learner turns to after the
quick one. Each exercise and bench suite runs once at ``--budget full --seed 0`` in a
fresh process (``sweep.run_once``, as the margin sweep runs), on the machine at hand,
and the table records what ran: the data set (a fallback such as ``mnist5k`` is named,
and a course figure measured on another data set is labelled so), every scalar metric,
the course's figures, the full targets with ✓/✗, wall and CPU seconds, the precision
and the machine.

    python -m dl_exercises.full_budget                   # every full budget → data/full_budget.json and .md
    python -m dl_exercises.full_budget 'day4.*' --resume # keep finished runs of today's recipes
    python -m dl_exercises.full_budget --artifacts runs/full   # also keep each run's --out folder

A run whose recorded parameters are not today's full recipe is stale: ``--resume`` runs
it again and the table leaves it out until then. ``tests/test_full_budget.py`` checks
that the committed table covers every registered full budget and that its rows follow
from the recorded runs. ``dlx show`` and the start of a full run read the measured
times from the table (``measured_minutes``).
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

from . import sweep
from .registry import list_exercises, list_suites

RUNS = (("default", 0),)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "full_budget.json"
LONG_MINUTES = 60.0  # a full run measured longer than this is announced before it starts
# Data sets that stand in for a larger canonical one: a course figure beside them gets this label.
STAND_INS = {"mnist5k": "course figure on the 60,000-image MNIST; dlx ran the 4,000-image mnist5k"}


def full_specs(patterns: list[str] | None = None) -> list:
    """Every exercise and bench suite (all define a full budget), optionally filtered by glob patterns."""
    specs = list_exercises() + list_suites()
    if patterns:
        specs = [s for s in specs if any(fnmatch.fnmatchcase(s.id, p) for p in patterns)]
    return specs


def todays_params(spec) -> dict:
    """The full recipe registered now, as a run records it (JSON values)."""
    return json.loads(json.dumps(dict(spec.plan("full", 0, {}).params)))


def is_current(spec, run: dict) -> bool:
    """Whether ``run`` ran today's full recipe of ``spec``."""
    return run.get("params") == todays_params(spec)


def summarize(spec, run: dict) -> dict:
    """The table row of one recorded full run."""
    data = [d["name"] for d in run.get("data", [])]
    labels = sorted({STAND_INS[name] for name in data if name in STAND_INS})
    metrics = run.get("metrics", {})
    course = [{"metric": name, "course": value, "dlx": metrics.get(name)} for name, value in run.get("course", {}).items()
              if isinstance(value, (int, float)) and not isinstance(value, bool)]
    return {"id": spec.id, "status": run["status"], "data": data, "labels": labels, "metrics": metrics,
            "units": run.get("units", {}), "course": course, "targets": run.get("targets", []),
            "wall_s": run.get("wall_s"), "cpu_s": run.get("cpu_s"), "others_cpu_s": run.get("others_cpu_s"),
            "precision": run.get("precision"),
            "machine": run.get("machine"), "error": run.get("error")}


def build_report(env: dict, runs: dict) -> dict:
    """The table's JSON: the machine, every recorded run, and one row per run of today's recipe."""
    specs = {s.id: s for s in full_specs()}
    rows = [summarize(specs[ident], per["default:0"]) for ident, per in runs.items()
            if ident in specs and "default:0" in per and is_current(specs[ident], per["default:0"])]
    return {"environment": env, "runs": runs, "rows": sorted(rows, key=lambda r: _order(r["id"]))}


def _order(ident: str) -> tuple:
    chapter, name = ident.split(".", 1)
    return (["day1", "day2", "day3", "day4", "examples", "bench"].index(chapter) if chapter in
            ("day1", "day2", "day3", "day4", "examples", "bench") else 9, name)


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


SHARED = 0.1  # other processes' CPU seconds per wall second above which a run's time is marked as shared


def _shared(row: dict) -> bool:
    """Other processes used the cores during the run (its wall time is longer than on an idle machine)."""
    others, wall = row.get("others_cpu_s"), row.get("wall_s")
    return bool(others and wall and others / wall > SHARED)


def _duration(seconds) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.0f} s" if seconds < 600 else f"{seconds / 60:.1f} min"


def _shared_mark(row: dict) -> str:
    return f" † ({row['others_cpu_s']:.0f} s)" if _shared(row) else ""


def write_markdown(report: dict, path: Path) -> None:
    env = report["environment"]
    machines = sorted({r["machine"] for r in report["rows"] if r.get("machine")})
    letter = {m: chr(65 + i) for i, m in enumerate(machines)}
    lines = [
        "# Full budgets",
        "",
        f"Written by `python -m dl_exercises.full_budget` on {env['date']} ({env['cpu']}, {env['cores']} cores; "
        f"TensorFlow {env['tensorflow']}, Keras {env['keras']}; vector instructions: {env.get('vector_isa', '?')}). "
        "Each row is one run of `dlx run ID --budget full --seed 0` in a fresh process. "
        "*data* is the data set that ran; *course* sets the course's figure beside dlx's value of the same metric; "
        "*full target* is checked at this budget. *wall* is the whole process, *CPU* its user + system time "
        "(up to twice the wall time on two busy cores); † marks a run during which other processes used the cores "
        "(their CPU seconds in brackets): on an idle machine it is faster.",
        "",
        "Machines: " + "; ".join(f"**{letter[m]}** {m}" for m in machines) + "." if machines else "",
        "",
        "| exercise | data | status | course (dlx / course) | full target | wall | CPU | precision | machine |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        course = "<br>".join(f"{c['metric']}: {_fmt(c['dlx'])} / {_fmt(c['course'])}" for c in row["course"]) or "—"
        if row["labels"] and row["course"]:
            course += "<br>(" + "; ".join(row["labels"]) + ")"
        targets = "<br>".join(f"{t['metric']} {t['bound']}: {_fmt(t['value'])} {'✓' if t['met'] else '✗'}"
                              for t in row["targets"]) or "—"
        status = row["status"] if not row.get("error") else f"{row['status']}: {row['error']}"
        lines.append(f"| `{row['id']}` | {', '.join(row['data']) or '—'} | {status} | {course} | {targets} | "
                     f"{_duration(row['wall_s'])}{_shared_mark(row)} | {_duration(row['cpu_s'])} | {row['precision'] or '—'} | "
                     f"{letter.get(row['machine'], '—')} |")
    lines += ["", "## Every metric of each run", ""]
    for row in report["rows"]:
        shown = ", ".join(f"{name} {_fmt(value)}{(' ' + row['units'][name]) if name in row['units'] else ''}"
                          for name, value in row["metrics"].items())
        lines.append(f"- `{row['id']}`: {shown or '—'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


README = DEFAULT_OUT.parent.parent / "README.md"
README_BEGIN, README_END = "<!-- full-budget:begin -->", "<!-- full-budget:end -->"


def readme_table(report: dict) -> str:
    """The README's short table: per exercise, what dlx reached at full beside the course, and the time it took."""
    lines = ["| exercise | data | dlx at full (course) | full target | time |", "|---|---|---|---|---|"]
    for row in report["rows"]:
        shown = {c["metric"] for c in row["course"]} | {t["metric"] for t in row["targets"]}
        course = {c["metric"]: c["course"] for c in row["course"]}
        if not shown:  # no course figure and no target: the first two scalar metrics say what ran
            shown = set(list(row["metrics"])[:2])
        elsewhere = " on the 60,000-image MNIST" if any("60,000" in label for label in row["labels"]) else ""
        values = [f"{m} {_fmt(row['metrics'].get(m))}" + (f" ({_fmt(course[m])}{elsewhere})" if m in course else "")
                  for m in row["metrics"] if m in shown]
        targets = " ".join("✓" if t["met"] else "✗" for t in row["targets"]) or "—"
        status = "" if row["status"] == "ok" or row["status"] == "target_missed" else f" **{row['status']}**"
        lines.append(f"| `{row['id']}` | {', '.join(row['data']) or '—'} | {'; '.join(values) or '—'}{status} | "
                     f"{targets} | {_duration(row['wall_s'])}{' †' if _shared(row) else ''} |")
    return "\n".join(lines)


def write_readme_table(report: dict, path: Path = README) -> bool:
    """Replace the block between the README's full-budget markers with ``readme_table``; False without markers."""
    text = path.read_text(encoding="utf-8")
    if README_BEGIN not in text or README_END not in text:
        return False
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_BEGIN}\n{readme_table(report)}\n{README_END}{tail}", encoding="utf-8")
    return True


def measured_minutes(exercise_id: str, path: Path = DEFAULT_OUT) -> tuple[float, str] | None:
    """``(wall minutes, machine, data sets)`` of the recorded full run of today's recipe, or None (no TensorFlow import).

    The data sets ("" for none) are named because a run on a stand-in such as mnist5k takes far less time than
    one on the data set a learner's machine may have.
    """
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    row = next((r for r in report.get("rows", []) if r["id"] == exercise_id), None)
    if row is None or row.get("wall_s") is None:
        return None
    return row["wall_s"] / 60.0, row.get("machine") or "?", ", ".join(row.get("data") or ())


def main(argv: list[str] | None = None) -> int:
    args = sweep.parse_arguments(argv, prog="python -m dl_exercises.full_budget", description=__doc__.splitlines()[0],
                                 default_out=DEFAULT_OUT, timeout_s=4 * 3600.0, what="every exercise and suite",
                                 artifacts=True)
    report = sweep.sweep_and_write(args, full_specs(args.patterns), RUNS, build_report, write_markdown, budget="full",
                                   is_current=is_current, out_dir=args.artifacts)
    if args.out == DEFAULT_OUT:
        write_readme_table(report)
    bad = [r for r in report["rows"] if r["status"] != "ok"]
    for row in bad:
        print(f"{row['status']}: {row['id']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
