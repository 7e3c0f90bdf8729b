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

import argparse
import fnmatch
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from .registry import Target, list_exercises, list_suites

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


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def run_once(exercise_id: str, backend: str, seed: int, timeout_s: float) -> dict:
    """One quick run in a fresh process; returns its targets, wall time and status."""
    env = dict(os.environ, DLX_OFFLINE=os.environ.get("DLX_OFFLINE", "1"))
    if backend == "onednn_off":
        env["TF_ENABLE_ONEDNN_OPTS"] = "0"
    else:
        env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    cmd = [sys.executable, "-m", "dl_exercises", "run", exercise_id, "--seed", str(seed), "--json"]
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": round(time.perf_counter() - start, 1), "targets": []}
    wall = round(time.perf_counter() - start, 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1)
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        return {"status": f"error (exit {proc.returncode}): {last}", "wall_s": wall, "targets": []}
    return {"status": payload["status"], "wall_s": wall, "cpu_s": cpu, "run_s": payload.get("wall_time_s"),
            "precision": payload.get("environment", {}).get("precision"), "params": payload.get("params"),
            "targets": [{"metric": t["metric"], "bound": t["bound"], "value": t["value"], "met": t["met"]}
                        for t in payload.get("targets", [])]}


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


def environment() -> dict:
    import importlib.metadata as md

    def version(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "?"

    flags = cpu_flags()
    return {"date": time.strftime("%Y-%m-%d"), "cpu": cpu_model(), "cores": os.cpu_count(),
            "tensorflow": version("tensorflow-cpu") if version("tensorflow-cpu") != "?" else version("tensorflow"),
            "keras": version("keras"), "native_bfloat16": bool(flags & {"amx_bf16", "avx512_bf16"}),
            "vector_isa": vector_isa(flags)}


def vector_isa(flags: set[str]) -> str:
    """The widest matrix/vector instructions oneDNN can pick kernels for: its kernels, and so the rounding, differ."""
    for flag, name in (("amx_bf16", "AMX"), ("avx512_bf16", "AVX-512 with bfloat16"), ("avx512f", "AVX-512"),
                       ("avx2", "AVX2")):
        if flag in flags:
            return name
    return "no AVX2"


def machine_of(env: dict) -> str:
    """How a run names the machine it ran on: CPU, cores, vector instructions (older tables: bfloat16 only)."""
    isa = env.get("vector_isa") or ("native bfloat16" if env.get("native_bfloat16") else "no native bfloat16")
    return f"{env['cpu']}, {env['cores']} cores, {isa}"


def build_report(env: dict, runs: dict) -> dict:
    """The table's JSON: the machine, every recorded run, and one summarized row per quick target."""
    return {"environment": env, "runs": runs,
            "rows": [r for s in swept_specs() if s.id in runs for r in summarize(s, runs[s.id])]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_exercises.margins", description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="glob patterns of ids (default: every id with a quick target)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file (a .md table is written beside it)")
    parser.add_argument("--resume", action="store_true", help="keep runs already recorded in --out")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one run may take")
    parser.add_argument("--report", action="store_true", help="run nothing: rewrite the rows and the .md from --out")
    args = parser.parse_args(argv)
    old = json.loads(args.out.read_text()) if args.out.exists() else {"runs": {}}
    runs: dict = old.get("runs", {})
    if "environment" in old:  # runs recorded before runs named their machine were measured on the table's machine
        for per_spec in runs.values():
            for run in per_spec.values():
                run.setdefault("machine", machine_of(old["environment"]))
    here = machine_of(environment())
    specs = [] if args.report else swept_specs(args.patterns)
    for spec in specs:
        per_spec = runs.setdefault(spec.id, {})
        for backend, seed in RUNS:
            key = f"{backend}:{seed}"
            if args.resume and key in per_spec and per_spec[key]["status"] in ("ok", "target_missed"):
                continue
            per_spec[key] = {**run_once(spec.id, backend, seed, args.timeout), "machine": here}
            print(f"{spec.id} {key}: {per_spec[key]['status']} in {per_spec[key]['wall_s']} s", file=sys.stderr, flush=True)
            args.out.write_text(json.dumps(build_report(environment(), runs), indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    # --report runs nothing, so the table keeps the machine its runs were measured on
    env = old["environment"] if args.report and "environment" in old else environment()
    report = build_report(env, runs)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_markdown(report, args.out.with_suffix(".md"))
    bad = [r for r in report["rows"] if r["verdict"] != "ok"]
    for row in bad:
        print(f"{row['verdict']}: {row['id']} {row['metric']} {row['bound']} worst {row['worst']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
