"""The parent's side of distributed runs: free ports, ``TF_CONFIG``, child processes started, watched and stopped.

Day4 Section3. ``run_job`` writes a job's settings and arrays to a temporary folder,
starts one child (``python -m dl_exercises.train.distributed JOB SPEC.json``) or a
loopback cluster of workers, and reads back their JSON results.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from ...errors import DlxError

PACKAGE_ROOT = Path(__file__).resolve().parents[3]


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct TCP ports that are free on ``host`` now; every socket is closed again before returning.

    The sockets stay open until all ``n`` are bound, so the ports differ; closing
    them releases the ports for the workers (another program could take one in
    between: the workers then fail to bind, and ``run_processes`` reports it).
    """
    if n < 1:
        raise ValueError(f"free_ports: n must be >= 1, Received: n={n}")
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((host, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_config(addresses: Sequence[str], index: int) -> str:
    """The ``TF_CONFIG`` JSON of worker ``index`` in a cluster of workers at ``addresses`` ("host:port")."""
    if not 0 <= index < len(addresses):
        raise ValueError(f"tf_config: index must be in [0, {len(addresses)}), Received: index={index}")
    return json.dumps({"cluster": {"worker": list(addresses)}, "task": {"type": "worker", "index": index}})


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment, quiet TensorFlow logs, dlx importable, plus ``extra``."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("KERAS_BACKEND", "tensorflow")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("TF_CONFIG", None)
    env.update(extra or {})
    return env


def job_command(job: str, spec_path: Path) -> list[str]:
    """The command that runs ``job`` (``jobs.JOBS``) in a fresh Python."""
    return [sys.executable, "-m", "dl_exercises.train.distributed", job, str(spec_path)]


def _last_line(path: Path) -> str:
    try:
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def run_processes(commands: Sequence[tuple[str, Sequence[str], Mapping[str, str]]], timeout: float, *,
                  workdir: Path, on_poll: Callable[[str, str], None] | None = None, poll: float = 0.1) -> None:
    """Start every ``(name, argv, env)`` at once and wait until all exit 0.

    A process that exits non-zero stops the others and raises a one-line
    ``DlxError`` with its name, exit code and the last line of its stderr; if
    any is still running after ``timeout`` seconds all are stopped and the
    error says so. Ctrl-C stops them too. Their stdout and stderr go to files
    in ``workdir``; ``on_poll(name, last stdout line)`` is called as they run.
    """
    procs: list[tuple[str, subprocess.Popen, Path]] = []
    try:
        for name, argv, env in commands:
            safe = "".join(c if c.isalnum() else "_" for c in name)
            out, err = workdir / f"{safe}.out", workdir / f"{safe}.err"
            with open(out, "wb") as fo, open(err, "wb") as fe:
                procs.append((name, subprocess.Popen(list(argv), env=dict(env), stdout=fo, stderr=fe,
                                                     stdin=subprocess.DEVNULL, cwd=str(workdir)), err))
        deadline = time.monotonic() + timeout
        while True:
            codes = [p.poll() for _, p, _ in procs]
            for (name, _, err), code in zip(procs, codes):
                if code not in (None, 0):
                    detail = _last_line(err) or "no message"
                    raise DlxError(f"{name} exited with code {code}: {detail}")
            if all(code == 0 for code in codes):
                return
            if time.monotonic() > deadline:
                running = [name for (name, _, _), code in zip(procs, codes) if code is None]
                raise DlxError(f"{', '.join(running)} still running after {timeout:.0f} s: stopped "
                               "(a worker waits for all the others; see the stderr it wrote)")
            if on_poll:
                for name, _, err in procs:
                    on_poll(name, _last_line(err.with_suffix(".out")))
            time.sleep(poll)
    finally:
        for _, p, _ in procs:
            if p.poll() is None:
                p.kill()
        for _, p, _ in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a process the OS cannot stop
                pass


def _stderr_notice(text: str) -> None:
    print(f"note: {text}", file=sys.stderr, flush=True)


def run_job(job: str, spec: dict, timeout: float, *, workers: int = 0, on_poll=None,
            notice: Callable[[str], None] = _stderr_notice) -> dict | list[dict]:
    """Run ``job`` in a child process (``workers`` = 0) or as a loopback cluster of ``workers`` processes.

    ``spec`` is written as JSON with arrays passed by ``spec["arrays"]`` (name → numpy array,
    saved beside it). Returns the child's result, or each worker's result in order; a worker's
    result says whether it ran in a loopback-only network namespace (``"loopback_namespace"``).
    Where none can be made, ``notice`` says so before the workers start.
    """
    from ..loopback import LoopbackNamespace

    arrays = spec.pop("arrays", {})
    with tempfile.TemporaryDirectory(prefix="dlx-distributed-") as tmp:
        folder = Path(tmp)
        if arrays:
            np.savez(folder / "data.npz", **arrays)
            spec["data"] = str(folder / "data.npz")
        commands = []
        results = []
        namespace = None
        if workers:
            ports = free_ports(workers)
            addresses = [f"localhost:{port}" for port in ports]
            namespace, why_not = LoopbackNamespace.start()
            if namespace is None:
                notice(f"the {workers} worker processes will listen on all network interfaces (TCP ports "
                       f"{', '.join(map(str, ports))}: TensorFlow's gRPC server binds every address and asks for no "
                       f"password) while they run, at most {timeout:.0f} s: no loopback-only network namespace here "
                       f"({why_not}); run this exercise on a network you trust")
            for i in range(workers):
                path = folder / f"worker{i}.json"
                path.write_text(json.dumps({**spec, "result": str(folder / f"worker{i}.result.json")}))
                # the loopback workers share one machine: each runs on its CPU (a GPU would be shared by both)
                env = child_env({"TF_CONFIG": tf_config(addresses, i), "CUDA_VISIBLE_DEVICES": ""})
                argv = job_command(job, path)
                commands.append((f"worker {i} ({addresses[i]})", namespace.wrap(argv) if namespace else argv, env))
                results.append(folder / f"worker{i}.result.json")
        else:
            path = folder / "job.json"
            path.write_text(json.dumps({**spec, "result": str(folder / "result.json")}))
            commands.append((f"{job} job", job_command(job, path), child_env()))
            results.append(folder / "result.json")
        try:
            run_processes(commands, timeout, workdir=folder, on_poll=on_poll)
        finally:
            if namespace is not None:
                namespace.close()
        loaded = []
        for (name, _, _), path in zip(commands, results):
            if not path.exists():
                raise DlxError(f"{name} exited without writing its result")
            loaded.append(json.loads(path.read_text()))
            if workers:
                loaded[-1]["loopback_namespace"] = namespace.kind if namespace is not None else None
    return loaded if workers else loaded[0]
