"""The target-margin sweep: every quick target at seeds 0, 1, 2 and with TensorFlow's other CPU kernels.

A quick target counts as met only when it holds with margin wherever a learner
runs it. CPUs round differently (oneDNN picks kernels per instruction set), so
each exercise and bench suite with a quick target is run at seeds 0, 1 and 2
with the default build, and at seed 0 with ``TF_ENABLE_ONEDNN_OPTS=0`` (the
other kernels: on one machine, another machine's rounding). Each run is a
fresh process (the environment variable is read when TensorFlow loads).

    python -m dl_exercises.margins                 # the whole sweep → data/target_margins.json and .md
    python -m dl_exercises.margins 'day4.*' --resume   # only some ids; keep runs already recorded

The table gives, per target, the worst value over the runs, its margin to the
bound, the spread over the runs, and a verdict: ``ok`` when the margin is at
least the spread, ``thin`` when the worst run is within a seed's spread of the
bound (the recipe needs fixing, never the target), ``missed`` when a run fell
short, ``incomplete`` while some of the four runs are not recorded (or failed).
``tests/test_margins.py`` checks that the committed table covers every
registered quick target.

Every run names the machine it ran on (CPU, cores, vector instructions), so a
recipe changed and re-measured on the machine at hand can join a table whose
other runs were measured elsewhere; the table then says which machine gave
which row.
"""

from __future__ import annotations

import fnmatch
import math
import sys
from pathlib import Path

from . import sweep
from .registry import list_exercises, list_suites
from .spec import Target

RUNS = (("default", 0), ("default", 1), ("default", 2), ("onednn_off", 0))
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_OUT = DATA_DIR / "target_margins.json"


def quick_targets(spec) -> list[Target]:
    return list(spec.targets_for("quick"))


def swept_specs(patterns: list[str] | None = None) -> list:
    """Every exercise and suite with a quick target, optionally filtered by glob patterns."""
    specs = [s for s in list_exercises() + list_suites() if quick_targets(s)]
    if patterns:
        specs = [s for s in specs if any(fnmatch.fnmatchcase(s.id, p) for p in patterns)]
    return specs


def _short_of(margin: float, spread: float) -> bool:
    """``margin < spread``, with a tie counted as a tie: both are differences of rounded metrics (accuracies on
    1,000 images step by 0.001), so 0.01 - 0.006 and 0.006 - 0.002 must compare equal, not by their last bits."""
    return margin < spread and not math.isclose(margin, spread, rel_tol=1e-9, abs_tol=1e-12)


def summarize(spec, runs: dict) -> list[dict]:
    """One row per quick target of ``spec`` from its recorded runs."""
    rows = []
    for target in quick_targets(spec):
        values = []
        for key in (f"{b}:{s}" for b, s in RUNS):
            run = runs.get(key)
            hit = next((t for t in (run or {}).get("targets", []) if t["metric"] == target.metric), None)
            if hit is None or not isinstance(hit["value"], (int, float)):
                continue
            values.append(hit["value"])
        complete = len(values) == len(RUNS)
        worst = min(values, key=target.margin) if values else None
        margin = None if worst is None else target.margin(worst)
        spread = (max(values) - min(values)) if values else None
        missed = any(not t["met"] for run in runs.values() for t in run.get("targets", []) if t["metric"] == target.metric)
        machines = sorted({run["machine"] for run in runs.values() if run.get("machine")})
        verdict = ("missed" if missed else "incomplete" if not complete else "thin" if _short_of(margin, spread) else "ok")
        rows.append({"id": spec.id, "metric": target.metric, "bound": str(target), "values": values,
                     "worst": worst, "margin": margin, "spread": spread, "verdict": verdict, "machines": machines,
                     "max_wall_s": max((r.get("wall_s") or 0.0) for r in runs.values()) if runs else None,
                     "max_cpu_s": max((r.get("cpu_s") or 0.0) for r in runs.values()) if runs else None})
    return rows


def write_markdown(report: dict, path: Path) -> None:
    env = report["environment"]
    machines = sorted({m for row in report["rows"] for m in row.get("machines", [])})
    several = len(machines) > 1
    letter = {m: chr(65 + i) for i, m in enumerate(machines)}
    lines = [
        "# Quick-target margins",
        "",
        f"{'Last written' if several else 'Written'} by `python -m dl_exercises.margins` on {env['date']} "
        f"({env['cpu']}, {env['cores']} cores; "
        f"TensorFlow {env['tensorflow']}, Keras {env['keras']}; native bfloat16: {env['native_bfloat16']}"
        + (f"; vector instructions: {env['vector_isa']}" if env.get("vector_isa") else "") + ").",
        *([f"Runs measured on {len(machines)} machines; the *machine* column says which: "
           + "; ".join(f"**{letter[m]}** {m}" for m in machines) + "."] if several else []),
        "Each quick target was run at seeds 0, 1, 2 with the default TensorFlow build and at seed 0 with "
        "`TF_ENABLE_ONEDNN_OPTS=0`, each in a fresh process. *margin* is the worst run's distance to the bound, "
        "*spread* the range over the four runs; `thin` means the worst run is within a seed's spread of the bound, "
        "`incomplete` that some of the four runs are not recorded yet.",
        "",
        "*wall s* and *CPU s* are the largest over the four runs of the exercise (user + system seconds of the "
        "process; with two cores busy, CPU s can reach twice the wall time).",
        "",
        "| exercise | target | worst | margin | spread | verdict | seeds 0, 1, 2 · oneDNN off | wall s (max) | CPU s (max) |"
        + (" machine |" if several else ""),
        "|---|---|---|---|---|---|---|---|---|" + ("---|" if several else ""),
    ]
    fmt = lambda v: "—" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))  # noqa: E731
    for row in report["rows"]:
        lines.append(f"| `{row['id']}` | {row['metric']} {row['bound']} | {fmt(row['worst'])} | {fmt(row['margin'])} | "
                     f"{fmt(row['spread'])} | {row['verdict']} | {', '.join(fmt(v) for v in row['values'])} | "
                     f"{fmt(row['max_wall_s'])} | {fmt(row.get('max_cpu_s') or None)} |"
                     + (f" {', '.join(letter[m] for m in row.get('machines', []))} |" if several else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_report(env: dict, runs: dict) -> dict:
    """The table's JSON: the machine, every recorded run, and one summarized row per quick target."""
    return {"environment": env, "runs": runs,
            "rows": [r for s in swept_specs() if s.id in runs for r in summarize(s, runs[s.id])]}


def main(argv: list[str] | None = None) -> int:
    args = sweep.parse_arguments(argv, prog="python -m dl_exercises.margins", description=__doc__.splitlines()[0],
                                 default_out=DEFAULT_OUT, timeout_s=900.0, what="every id with a quick target")
    report = sweep.sweep_and_write(args, swept_specs(args.patterns), RUNS, build_report, write_markdown)
    bad = [r for r in report["rows"] if r["verdict"] != "ok"]
    for row in bad:
        print(f"{row['verdict']}: {row['id']} {row['metric']} {row['bound']} worst {row['worst']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
