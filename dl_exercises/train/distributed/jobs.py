"""The child's side: ``main`` reads a job's spec, runs the job and writes its JSON result.

Day4 Section3. Jobs: ``local`` (one process on several devices), ``worker`` (one worker of
``MultiWorkerMirroredStrategy``), and ``fail`` and ``probe`` for the tests of the process
and network machinery. A child's progress is its last stdout line (the parent shows it).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from .strategy import (EpochLines, configure_devices, fit_mirrored, model_parallel_check, one_step_check, progress,
                       train_with_strategy)


def _load(spec: dict) -> dict:
    with np.load(spec["data"]) as data:
        return {k: data[k] for k in data.files}


def local_job(spec: dict) -> dict:
    """Everything that runs in one process on ``max(replicas)`` (at least 2) devices."""
    count = max(2, max(spec["replicas"]))
    tf, devices, kind = configure_devices(count)
    import keras

    keras.utils.set_random_seed(spec["seed"])
    data = _load(spec)
    result = {"devices": devices, "device_kind": kind}
    progress("one-step check")
    result["one_step"] = one_step_check(tf, keras, devices[:2], data, spec)
    result["fit"] = [fit_mirrored(tf, keras, devices[:r], data, spec) for r in spec["replicas"]]
    progress("model parallelism")
    result["model_parallel"] = model_parallel_check(tf, keras, devices, data, spec)
    if spec.get("reference"):
        progress("reference run of the multi-worker training")
        result["reference"] = train_with_strategy(tf, keras, tf.distribute.MirroredStrategy(devices[:2]), data, spec,
                                                  EpochLines(spec["epochs"]))
    return result


def worker_job(spec: dict) -> dict:
    """One worker of ``MultiWorkerMirroredStrategy`` (its ``TF_CONFIG`` says which); the same loop as the reference."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # first, before any other TensorFlow op
    import keras

    from ..loopback import listening_ports

    # what this worker's network namespace shows while the gRPC server runs (checked by the tests)
    listening = {"net_namespace": os.readlink("/proc/self/ns/net") if os.path.exists("/proc/self/ns/net") else None,
                 "listening": {str(port): where for port, where in listening_ports().items()}}
    data = _load(spec)
    result = train_with_strategy(tf, keras, strategy, data, spec, EpochLines(spec["epochs"]))
    result["replicas"] = strategy.num_replicas_in_sync
    result["task"] = json.loads(os.environ["TF_CONFIG"])["task"]
    result.update(listening)
    return result


def fail_job(spec: dict) -> dict:
    """A job that fails on purpose (tests of ``run_processes``).

    The worker whose ``TF_CONFIG`` index is ``spec["fail_index"]`` (or the only process) prints
    ``spec["message"]`` and exits with ``spec["code"]`` after ``spec["sleep"]`` seconds; the others
    sleep ``spec["hang"]`` seconds (a worker waiting for a dead peer) and then succeed.
    """
    index = json.loads(os.environ.get("TF_CONFIG", '{"task": {"index": 0}}'))["task"]["index"]
    if index != spec.get("fail_index", 0):
        time.sleep(float(spec.get("hang", 0)))
        return {"index": index}
    time.sleep(float(spec.get("sleep", 0)))
    if spec.get("code", 3) == 0:
        return {"index": index}
    print(spec.get("message", "failing on purpose"), file=sys.stderr, flush=True)
    raise SystemExit(int(spec.get("code", 3)))


def probe_job(spec: dict) -> dict:
    """A worker without TensorFlow that listens as TensorFlow's gRPC server does (every interface, its
    ``TF_CONFIG`` port) and connects to each other worker at its ``TF_CONFIG`` address (tests of the
    loopback namespace). Holds its socket open ``spec["hold"]`` seconds, so a test can look for it.
    """
    import socket

    from ..loopback import listening_ports

    config = json.loads(os.environ["TF_CONFIG"])
    index, addresses = config["task"]["index"], config["cluster"]["worker"]
    server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    server.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # [::]:PORT, IPv4 too, as gRPC binds
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("::", int(addresses[index].rsplit(":", 1)[1])))
    server.listen()
    port = server.getsockname()[1]
    reached = []
    deadline = time.monotonic() + float(spec.get("connect_within", 30))
    for i, address in enumerate(addresses):
        if i == index:
            continue
        host, other_port = address.rsplit(":", 1)
        while True:
            try:
                socket.create_connection((host, int(other_port)), timeout=2).close()
                reached.append(i)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
    listening = {str(port): where for port, where in listening_ports().items()}
    time.sleep(float(spec.get("hold", 0)))
    server.close()
    return {"index": index, "port": port, "reached": reached, "listening": listening,
            "net_namespace": os.readlink("/proc/self/ns/net")}


JOBS = {"local": local_job, "worker": worker_job, "fail": fail_job, "probe": probe_job}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dl_exercises.train.distributed JOB SPEC.json``: run a job and write its JSON result."""
    job, spec_path = (sys.argv[1:] if argv is None else argv)[:2]
    spec = json.loads(Path(spec_path).read_text())
    result = JOBS[job](spec)
    Path(spec["result"]).write_text(json.dumps(result))
    return 0
