"""What the sweeps share: one run of an exercise in a fresh process, and the machine it ran on.

``margins`` (every quick target at seeds 0-2 and with oneDNN off) and
``full_budget`` (every full budget once) run ``python -m dl_exercises run ID
--json`` in a child process through ``run_once``, so a run's environment
(``TF_ENABLE_ONEDNN_OPTS`` is read when TensorFlow loads) and memory are its own,
and record each run with ``machine_of(environment())``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from .machine import cpu_flags, cpu_model


def busy_cpu_seconds() -> float | None:
    """CPU seconds every process on the machine has used since boot (``/proc/stat``), or None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _others(busy_before: float | None, child_cpu_s: float) -> float | None:
    """CPU seconds other processes used while the run ran: what shared its cores (0 on an idle machine)."""
    busy_after = busy_cpu_seconds()
    if busy_before is None or busy_after is None:
        return None
    return round(max(0.0, busy_after - busy_before - child_cpu_s), 1)


def run_once(exercise_id: str, backend: str, seed: int, timeout_s: float, budget: str = "quick",
             out: Path | None = None) -> dict:
    """One run in a fresh process; returns its status, targets, wall and CPU time, precision and parameters.

    ``out``: the run's ``--out`` folder (result.json, history.csv, figures). A full-budget run also
    records every scalar metric, the course figures shown beside them and the data sets that ran.
    """
    env = dict(os.environ, DLX_OFFLINE=os.environ.get("DLX_OFFLINE", "1"))
    if backend == "onednn_off":
        env["TF_ENABLE_ONEDNN_OPTS"] = "0"
    else:
        env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    cmd = [sys.executable, "-m", "dl_exercises", "run", exercise_id, "--seed", str(seed), "--json"]
    if budget != "quick":
        cmd += ["--budget", budget]
    if out is not None:
        cmd += ["--out", str(out)]
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = busy_cpu_seconds()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": round(time.perf_counter() - start, 1), "targets": []}
    wall = round(time.perf_counter() - start, 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1)
    others = _others(busy_before, cpu)
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        return {"status": f"error (exit {proc.returncode}): {last}", "wall_s": wall, "targets": []}
    return run_record(payload, budget=budget, wall_s=wall, cpu_s=cpu, others_cpu_s=others)


def run_record(payload: dict, *, budget: str, wall_s: float, cpu_s: float, others_cpu_s: float | None) -> dict:
    """What the table keeps of one run: its ``--json`` output, with the wall and CPU seconds measured around it."""
    run = {"status": payload["status"], "wall_s": wall_s, "cpu_s": cpu_s, "others_cpu_s": others_cpu_s,
           "run_s": payload.get("wall_time_s"),
           "precision": payload.get("environment", {}).get("precision"), "params": payload.get("params"),
           "targets": [{"metric": t["metric"], "bound": t["bound"], "value": t["value"], "met": t["met"]}
                       for t in payload.get("targets", [])]}
    if budget != "quick":
        run["metrics"] = {name: m["value"] for name, m in payload.get("metrics", {}).items()
                          if isinstance(m.get("value"), (int, float)) and not isinstance(m.get("value"), bool)}
        run["units"] = {name: m["unit"] for name, m in payload.get("metrics", {}).items() if m.get("unit")}
        run["course"] = {name: c["value"] for name, c in payload.get("course", {}).items()}
        run["data"] = [{"name": d["name"], "source": d.get("source"), "sizes": d.get("sizes")}
                       for d in payload.get("data", [])]
        run["train_s"] = payload.get("train_time_s")
        if payload.get("error"):
            run["error"] = payload["error"]
    return run



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


def load_runs(path: Path) -> tuple[dict, dict]:
    """A table's JSON (or an empty one) and its runs by id, each run naming its machine.

    Runs recorded before runs named their machine were measured on the table's machine.
    """
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"runs": {}}
    runs: dict = old.get("runs", {})
    if "environment" in old:
        for per_spec in runs.values():
            for run in per_spec.values():
                run.setdefault("machine", machine_of(old["environment"]))
    return old, runs


def run_missing(specs, keys, runs: dict, *, resume: bool, timeout_s: float, save, budget: str = "quick",
                is_current=lambda spec, run: True, out_dir: Path | None = None) -> None:
    """Run every ``(backend, seed)`` of ``keys`` for every spec, one fresh process at a time, saving after each.

    With ``resume``, a run already recorded that finished (``ok`` or ``target_missed``) and ``is_current``
    (its recipe is today's) is kept. ``save()`` writes the table, so an interrupted sweep loses at most
    the run in progress.
    """
    here = machine_of(environment())
    for spec in specs:
        per_spec = runs.setdefault(spec.id, {})
        for backend, seed in keys:
            key = f"{backend}:{seed}"
            done = per_spec.get(key)
            if resume and done and done["status"] in ("ok", "target_missed") and is_current(spec, done):
                continue
            out = None if out_dir is None else out_dir / spec.id
            per_spec[key] = {**run_once(spec.id, backend, seed, timeout_s, budget, out), "machine": here}
            print(f"{spec.id} {key}: {per_spec[key]['status']} in {per_spec[key]['wall_s']} s", file=sys.stderr,
                  flush=True)
            save()


def parse_arguments(argv, *, prog: str, description: str, default_out: Path, timeout_s: float, what: str,
                    artifacts: bool = False) -> argparse.Namespace:
    """The command line both sweeps take: id patterns, ``--out``, ``--resume``, ``--timeout``, ``--report``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("patterns", nargs="*", help=f"glob patterns of ids (default: {what})")
    parser.add_argument("--out", type=Path, default=default_out, help="JSON file (a .md table is written beside it)")
    parser.add_argument("--resume", action="store_true", help="keep finished runs already recorded in --out")
    parser.add_argument("--timeout", type=float, default=timeout_s, help="seconds one run may take")
    parser.add_argument("--report", action="store_true", help="run nothing: rewrite the rows and the .md from --out")
    if artifacts:
        parser.add_argument("--artifacts", type=Path, default=None, help="keep each run's --out folder under DIR/ID")
    return parser.parse_args(argv)


def sweep_and_write(args: argparse.Namespace, specs, keys, build_report, write_markdown, **run_kwargs) -> dict:
    """Run what is missing (nothing with ``--report``), then write the table's JSON and Markdown; return the report."""
    old, runs = load_runs(args.out)

    def save():
        args.out.write_text(json.dumps(build_report(environment(), runs), indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")

    run_missing([] if args.report else specs, keys, runs, resume=args.resume, timeout_s=args.timeout, save=save,
                **run_kwargs)
    # --report runs nothing, so the table keeps the machine its runs were measured on
    env = old["environment"] if args.report and "environment" in old else environment()
    report = build_report(env, runs)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_markdown(report, args.out.with_suffix(".md"))
    return report
