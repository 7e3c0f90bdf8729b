"""day4.distributed's loopback cluster stays on loopback: its workers listen in a network namespace of their own,
or, where none can be made, dlx says on stderr before they start that they listen on every interface.

The checks read the listening TCP sockets (``/proc/net/tcp*``) of this process's network namespace while the
workers run: what any other machine could connect to.
"""

from __future__ import annotations

import re
import socket

import pytest

from dl_exercises.train.distributed import processes
from dl_exercises.train import loopback
from dl_exercises.train.loopback import LoopbackNamespace, listening_ports


def _namespace_possible() -> bool:
    namespace, _ = LoopbackNamespace.start()
    if namespace is None:
        return False
    namespace.close()
    return True


def test_listening_ports_tells_loopback_from_every_interface():
    with socket.socket() as lo, socket.socket() as everywhere:
        lo.bind(("127.0.0.1", 0))
        everywhere.bind(("0.0.0.0", 0))
        lo.listen()
        everywhere.listen()
        found = listening_ports()
        assert found[lo.getsockname()[1]] == ["loopback"]
        assert found[everywhere.getsockname()[1]] == ["*"]


def test_the_namespace_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("DLX_LOOPBACK_NAMESPACE", "0")
    namespace, why = LoopbackNamespace.start()
    assert namespace is None and "DLX_LOOPBACK_NAMESPACE=0" in why


def _probe(monkeypatch=None, **spec):
    """Two probe workers (no TensorFlow: they bind [::]:PORT as gRPC does and connect to each other), sampling this
    namespace's listening sockets while they run; returns (results, notices, events, samples)."""
    notices, events, samples = [], [], []
    real_run = processes.run_processes

    def run_processes(*args, **kwargs):
        events.append("workers start")
        return real_run(*args, **kwargs)

    if monkeypatch is not None:
        monkeypatch.setattr(processes, "run_processes", run_processes)
    results = processes.run_job("probe", {"hold": 1.0, **spec}, timeout=60, workers=2,
                                on_poll=lambda name, line: samples.append(listening_ports()),
                                notice=lambda text: (notices.append(text), events.append("notice")))
    return results, notices, events, samples


def test_probe_workers_are_unreachable_from_outside_or_announced(monkeypatch):
    results, notices, events, samples = _probe(monkeypatch)
    ports = {w["port"] for w in results}
    assert len(ports) == 2 and [w["reached"] for w in results] == [[1], [0]]  # they reach each other at localhost
    assert all(w["listening"][str(p)] == ["*"] for w in results for p in ports)  # bound to every interface, as gRPC
    seen_here = {p for sample in samples for p in ports if p in sample}
    if results[0]["loopback_namespace"]:
        assert notices == [] and seen_here == set()  # nothing outside their namespace could connect
        assert results[0]["net_namespace"] == results[1]["net_namespace"]
        assert results[0]["net_namespace"] != __import__("os").readlink("/proc/self/ns/net")
    else:
        assert events[:2] == ["notice", "workers start"] and "all network interfaces" in notices[0]


def test_where_no_namespace_can_be_made_the_warning_comes_first(monkeypatch):
    monkeypatch.setattr(LoopbackNamespace, "start", classmethod(lambda cls, timeout=20.0: (None, "not here (test)")))
    results, notices, events, samples = _probe(monkeypatch)
    assert events[0] == "notice" and events[1] == "workers start"
    (text,) = notices
    ports = sorted(w["port"] for w in results)
    assert "listen on all network interfaces" in text and "at most 60 s" in text and "not here (test)" in text
    assert all(str(p) in text for p in ports)
    assert [w["loopback_namespace"] for w in results] == [None, None]
    # and the warning is true: while they ran, the workers' ports were open on this machine's interfaces
    assert {p for sample in samples for p in ports if sample.get(p) == ["*"]} == set(ports)


def test_the_holder_goes_with_the_namespace():
    namespace, why = LoopbackNamespace.start()
    if namespace is None:
        pytest.skip(f"no network namespace on this system: {why} (the warning is tested above)")
    pid = namespace.pid
    namespace.close()
    assert namespace.process.poll() is not None
    with pytest.raises(FileNotFoundError):
        open(f"/proc/{pid}/ns/net")


class _SamplingReporter:
    """Progress that looks at this namespace's listening sockets every time a task is described (each poll of the
    worker processes), and keeps the notices."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        self.samples: list[dict] = []
        self.worker_ports: set[int] = set()
        self.started: list[str] = []

    def task(self, label, total=None):
        reporter = self
        reporter.started.append(label)

        class Task:
            def advance(self, n=1):
                pass

            def describe(self, text):
                reporter.worker_ports |= {int(p) for p in re.findall(r"worker \d \(localhost:(\d+)\)", text)}
                reporter.samples.append(listening_ports())

            def close(self):
                pass

        return Task()

    def notice(self, text):
        self.notices.append(text)
        self.started.append("notice")


def test_a_smoke_run_keeps_its_workers_off_the_network():
    from dl_exercises import run

    reporter = _SamplingReporter()
    result = run("day4.distributed", budget="smoke", reporter=reporter, figures=False)
    assert result.status == "ok", result.error
    assert result.metrics["multiworker_loss_diff"].value <= 1e-5  # the workers trained together
    ports = reporter.worker_ports
    assert len(ports) == 2, reporter.samples[:3]
    open_here = {p for sample in reporter.samples for p in ports if p in sample}
    note = next(n for n in result.notes if "the 2 workers" in n)
    if _namespace_possible():
        assert open_here == set() and not [n for n in reporter.notices if "network interfaces" in n]
        assert "network namespace of their own with loopback only" in note
        assert all(f"*:{p}" in note for p in ports)  # their gRPC servers did bind every interface, inside
    else:
        workers_task = reporter.started.index("MultiWorkerMirroredStrategy: 2 worker processes")
        assert reporter.started[workers_task + 1] == "notice"  # said before the workers started
        assert "all network interfaces" in reporter.notices[-1] and "listened on every network interface" in note


def test_loopback_module_runs_without_numpy():
    """Joining a user namespace needs a single-threaded process: the join step must not load numpy (OpenBLAS
    starts threads when it loads)."""
    import subprocess
    import sys

    code = "import sys, dl_exercises.train.loopback\nprint('numpy' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**__import__("os").environ, "PYTHONPATH": str(loopback._env()["PYTHONPATH"])})
    assert proc.stdout.strip() == "False"
