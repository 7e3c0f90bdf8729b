"""Distributed training with ``tf.distribute``, in child processes dlx starts, waits for and stops.

Day4 Section3 (分散深層学習: データ並列化 (同期型・非同期型), モデル並列化, GPU).

Why child processes: ``tf.distribute.MirroredStrategy`` over several CPU
devices needs logical devices, which TensorFlow accepts only before it
initialises (``tf.config.set_logical_device_configuration``), and
``MultiWorkerMirroredStrategy`` must be created at the start of a program. In a
process where TensorFlow already runs (the tests, ``dlx run --all``) neither is
possible, so every strategy run happens in a fresh Python process:
``python -m dl_exercises.train.distributed JOB SPEC.json``. The parent writes
the data and the settings to a temporary folder, starts the process(es) with
``run_processes`` (a timeout; a process that fails stops the others and
becomes a one-line ``DlxError``; nothing is left running), and reads back
each process's JSON result.

- ``free_ports``: loopback ports the OS reports free, released before the workers bind them.
- Workers run in a network namespace that has only loopback (``train.loopback``): TensorFlow's
  unauthenticated gRPC server binds every interface. Where no namespace can be made, the caller is
  told before the workers start (``notice``), with the ports and for how long they listen.
- ``tf_config``: the ``TF_CONFIG`` of one worker of a cluster.
- ``run_processes``: start, wait with a timeout, stop.
- Jobs (run inside the child): ``local`` (MirroredStrategy with 1…R replicas under ``model.fit``,
  a one-step check against one device, model parallelism on two devices, the reference run of the
  multi-worker training) and ``worker`` (one worker of ``MultiWorkerMirroredStrategy``).
- ``train_with_strategy``: the training loop the local reference and every worker run, line for line.
- ``ParameterServer``, ``simulate_parameter_server``, ``simulate_synchronous``: the asynchronous
  parameter server (Keras 3 has no ParameterServerStrategy), simulated in numpy with worker threads.

Nothing here imports TensorFlow at module level.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..errors import DlxError

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


# --- ports, TF_CONFIG, processes ----------------------------------------------------------------


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
    """The command that runs ``job`` of this module in a fresh Python."""
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
    from .loopback import LoopbackNamespace

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


def progress(text: str) -> None:
    """A child's progress line (the parent shows the last one)."""
    print(text, flush=True)


# --- inside the child: devices, data, models ----------------------------------------------------


def configure_devices(count: int) -> tuple[Any, list[str], str]:
    """Import TensorFlow and make ``count`` devices: the GPUs when there are that many, else logical CPUs.

    Must run before anything initialises TensorFlow's devices.
    Returns:
        (tf, device names, "GPU" or "CPU").
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if len(gpus) >= count:
        for gpu in gpus:
            tf.config.experimental.set_memory_growth(gpu, True)
        return tf, [d.name for d in tf.config.list_logical_devices("GPU")][:count], "GPU"
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)])
    return tf, [d.name for d in tf.config.list_logical_devices("CPU")][:count], "CPU"


def batch_schedule(n: int, global_batch: int, seed: int) -> np.ndarray:
    """One epoch of global batches: a seeded permutation of ``n`` samples, (steps, global_batch) (the rest dropped)."""
    steps = n // global_batch
    if steps < 1:
        raise ValueError(f"batch_schedule: fewer samples than one global batch, Received: n={n}, "
                         f"global_batch={global_batch}")
    return np.random.default_rng(seed).permutation(n)[: steps * global_batch].reshape(steps, global_batch)


def replica_dataset(tf, x, y, schedule: np.ndarray, input_context):
    """What one input pipeline feeds its replicas: each global batch split into equal per-replica parts.

    Replica r of R gets rows [r·B/R, (r+1)·B/R) of every global batch B, whether the R
    replicas sit in one process (``MirroredStrategy``) or in several (one pipeline per
    worker, ``MultiWorkerMirroredStrategy``), so every layout sees the same batches.
    The epoch repeats, so Keras may keep or restart the iterator between epochs alike.
    """
    replicas = input_context.num_replicas_in_sync
    if schedule.shape[1] % replicas:
        raise ValueError(f"replica_dataset: global batch {schedule.shape[1]} is not divisible by {replicas} replicas")
    per = schedule.shape[1] // replicas
    local = replicas // input_context.num_input_pipelines
    first = input_context.input_pipeline_id * local
    parts = schedule.reshape(len(schedule), replicas, per)[:, first:first + local].reshape(-1, per)
    xs, ys = tf.constant(x), tf.constant(y)
    return (tf.data.Dataset.from_tensor_slices(parts.astype(np.int32))
            .map(lambda i: (tf.gather(xs, i), tf.gather(ys, i))).repeat().prefetch(2))


def build_mlp(keras, n_in: int, hidden: int, seed: int, name: str = "mlp"):
    """Dense(hidden, ReLU) → Dense(10) logits, initialised from ``seed`` (the same weights in every process)."""
    init = lambda k: keras.initializers.GlorotUniform(seed=seed + k)  # noqa: E731
    return keras.Sequential([keras.Input((n_in,), name=f"{name}_input"),
                             keras.layers.Dense(hidden, activation="relu", kernel_initializer=init(0), name=f"{name}_hidden"),
                             keras.layers.Dense(10, kernel_initializer=init(1), name=f"{name}_logits")], name=name)


def _compile(keras, model, lr: float):
    model.compile(optimizer=keras.optimizers.SGD(lr), jit_compile=False,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


def _weights_digest(model) -> dict:
    weights = [np.asarray(w, np.float64) for w in model.get_weights()]
    return {"abs_sum": float(sum(np.abs(w).sum() for w in weights)), "first": weights[0].reshape(-1)[:8].tolist()}


def _accuracy(model, x, y) -> float:
    return float(np.mean(np.asarray(model(x, training=False)).argmax(-1) == y))


def train_with_strategy(tf, keras, strategy, data: dict, spec: dict) -> dict:
    """Synchronous data-parallel SGD under any ``tf.distribute`` strategy: the loop every layout runs.

    Each replica computes the gradient of its share of the global-batch mean loss
    (sum over its rows ÷ global batch); ``apply_gradients`` inside ``strategy.run``
    sums the replicas' gradients (all-reduce) and every replica applies the same
    update. A hand-written loop because Keras 3's ``model.fit`` fails under
    ``MultiWorkerMirroredStrategy`` (keras-team/keras#20585): the same code then runs
    on one device, on several devices of one process, and on several machines.

    Returns:
        {"losses": mean training loss per epoch, "accuracy", "weights": digest, "seconds"}.
    """
    x, y = data["x_train"], data["y_train"]
    schedule = batch_schedule(len(x), spec["global_batch"], spec["seed"])
    with strategy.scope():
        model = build_mlp(keras, x.shape[1], spec["hidden"], spec["seed"])
        optimizer = keras.optimizers.SGD(spec["lr"])
        optimizer.build(model.trainable_variables)
    dataset = strategy.distribute_datasets_from_function(lambda ctx: replica_dataset(tf, x, y, schedule, ctx))
    per_sample = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
    global_batch = float(spec["global_batch"])

    @tf.function
    def train_step(iterator):
        def replica_step(xb, yb):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(per_sample(yb, model(xb, training=True))) / global_batch
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        xb, yb = next(iterator)
        return strategy.reduce("SUM", strategy.run(replica_step, args=(xb, yb)), axis=None)

    iterator = iter(dataset)
    losses, start = [], time.perf_counter()
    for epoch in range(spec["epochs"]):
        step_losses = [float(train_step(iterator)) for _ in range(len(schedule))]
        losses.append(float(np.mean(step_losses)))
        progress(f"epoch {epoch + 1}/{spec['epochs']} loss {losses[-1]:.4f}")
    seconds = time.perf_counter() - start
    return {"losses": losses, "accuracy": _accuracy(model, data["x_test"], data["y_test"]),
            "weights": _weights_digest(model), "seconds": seconds}


def fit_mirrored(tf, keras, devices: list[str], data: dict, spec: dict) -> dict:
    """``model.fit`` under ``MirroredStrategy(devices)``: per-epoch losses, steps/s (median epoch after the first)."""
    x, y = data["x_train"], data["y_train"]
    schedule = batch_schedule(len(x), spec["global_batch"], spec["seed"])
    strategy = tf.distribute.MirroredStrategy(devices)
    with strategy.scope():
        model = build_mlp(keras, x.shape[1], spec["hidden"], spec["seed"])
        _compile(keras, model, spec["lr"])
    dataset = strategy.distribute_datasets_from_function(lambda ctx: replica_dataset(tf, x, y, schedule, ctx))
    times: list[float] = []

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)
            progress(f"{len(devices)} replica(s): epoch {epoch + 1}/{spec['epochs']} loss {logs['loss']:.4f}")

    history = model.fit(dataset, epochs=spec["epochs"], steps_per_epoch=len(schedule), verbose=0, shuffle=False,
                        callbacks=[Clock()])
    per_epoch = float(np.median(times[1:] if len(times) > 1 else times))
    return {"replicas": len(devices), "global_batch": spec["global_batch"], "steps_per_epoch": len(schedule),
            "steps_per_s": len(schedule) / per_epoch, "losses": [float(v) for v in history.history["loss"]],
            "accuracy": _accuracy(model, data["x_test"], data["y_test"])}


def one_step_check(tf, keras, devices: list[str], data: dict, spec: dict) -> dict:
    """One ``fit`` step of the same global batch from the same weights: one device vs ``len(devices)`` replicas."""
    x, y = data["x_train"], data["y_train"]
    schedule = batch_schedule(len(x), spec["global_batch"], spec["seed"])[:1]
    out = {}
    for label, strategy in (("one_device", tf.distribute.OneDeviceStrategy(devices[0])),
                            ("replicas", tf.distribute.MirroredStrategy(devices))):
        with strategy.scope():
            model = build_mlp(keras, x.shape[1], spec["hidden"], spec["seed"])
            _compile(keras, model, spec["lr"])
        before = [np.asarray(w) for w in model.get_weights()]
        dataset = strategy.distribute_datasets_from_function(lambda ctx: replica_dataset(tf, x, y, schedule, ctx))
        history = model.fit(dataset, epochs=1, steps_per_epoch=1, verbose=0, shuffle=False)
        out[label] = {"loss": float(history.history["loss"][0]), "before": before,
                      "after": [np.asarray(w) for w in model.get_weights()]}
    a, b = out["one_device"], out["replicas"]
    return {"replicas": len(devices), "global_batch": spec["global_batch"],
            "loss_one_device": a["loss"], "loss_replicas": b["loss"],
            "loss_diff": abs(a["loss"] - b["loss"]),
            "start_weight_diff": max(float(np.max(np.abs(u - v))) for u, v in zip(a["before"], b["before"])),
            "weight_diff": max(float(np.max(np.abs(u - v))) for u, v in zip(a["after"], b["after"])),
            "update_size": max(float(np.max(np.abs(u - v))) for u, v in zip(a["after"], a["before"]))}


def model_parallel_check(tf, keras, devices: list[str], data: dict, spec: dict) -> dict:
    """An MLP whose hidden layer lives on ``devices[0]`` and output layer on ``devices[1]``, against the unsplit one.

    Same weights, same test images: the outputs must agree; one SGD step on the same
    batch (gradients flow back across the devices) must give the same weights.
    """

    class TwoDeviceMLP(keras.Model):
        """Dense(hidden, ReLU) placed on device 0, Dense(10) on device 1 (model parallelism, 層ごとの分割)."""

        def __init__(self, hidden, placement, **kwargs):
            super().__init__(**kwargs)
            self.hidden, self.placement = hidden, list(placement)

        def build(self, input_shape):
            with tf.device(self.placement[0]):
                self.first = keras.layers.Dense(self.hidden, activation="relu", name="split_hidden")
                self.first.build(input_shape)
            with tf.device(self.placement[1]):
                self.second = keras.layers.Dense(10, name="split_logits")
                self.second.build((None, self.hidden))

        def call(self, x, training=False):
            with tf.device(self.placement[0]):
                h = self.first(x)
            with tf.device(self.placement[1]):
                return self.second(h)

    x, y = data["x_train"], data["y_train"]
    whole = build_mlp(keras, x.shape[1], spec["hidden"], spec["seed"])
    split = TwoDeviceMLP(spec["hidden"], devices[:2])
    split.build((None, x.shape[1]))
    split.set_weights(whole.get_weights())
    x_test = tf.constant(data["x_test"][:500])
    with tf.device(devices[0]):
        hidden = split.first(x_test)
    out_whole, out_split = np.asarray(whole(x_test)), np.asarray(split(x_test))
    batch = batch_schedule(len(x), spec["global_batch"], spec["seed"])[0]
    for model in (whole, split):
        _compile(keras, model, spec["lr"])
        model.train_on_batch(x[batch], y[batch])
    return {"devices": devices[:2],
            "variable_devices": [v.value.device for v in split.weights],
            "hidden_device": hidden.device,
            "output_diff": float(np.max(np.abs(out_whole - out_split))),
            "step_weight_diff": max(float(np.max(np.abs(u - v))) for u, v in zip(whole.get_weights(), split.get_weights())),
            "same_predictions": float(np.mean(out_whole.argmax(-1) == out_split.argmax(-1)))}


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
        result["reference"] = train_with_strategy(tf, keras, tf.distribute.MirroredStrategy(devices[:2]), data, spec)
    return result


def worker_job(spec: dict) -> dict:
    """One worker of ``MultiWorkerMirroredStrategy`` (its ``TF_CONFIG`` says which); the same loop as the reference."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # first, before any other TensorFlow op
    import keras

    from .loopback import listening_ports

    # what this worker's network namespace shows while the gRPC server runs (checked by the tests)
    listening = {"net_namespace": os.readlink("/proc/self/ns/net") if os.path.exists("/proc/self/ns/net") else None,
                 "listening": {str(port): where for port, where in listening_ports().items()}}
    data = _load(spec)
    result = train_with_strategy(tf, keras, strategy, data, spec)
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

    from .loopback import listening_ports

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


# --- the asynchronous parameter server, simulated ----------------------------------------------


class ParameterServer:
    """Shared parameters with versions: update t is applied with a gradient computed on version max(0, t − τ).

    Worker threads ``pull`` a version (waiting until it exists) and ``push`` a
    gradient for update t (waiting for its turn, so the order of updates, and with
    it every result, is the same on every run however the threads are scheduled).
    Only the last τ + 1 versions are kept.
    """

    def __init__(self, params: dict[str, np.ndarray], staleness: int) -> None:
        if staleness < 0:
            raise ValueError(f"ParameterServer: staleness must be >= 0, Received: staleness={staleness}")
        self.staleness = staleness
        self.version = 0
        self.versions = {0: {k: np.array(v) for k, v in params.items()}}
        self.snapshots: dict[int, dict[str, np.ndarray]] = {}
        self.cond = threading.Condition()
        self.error: BaseException | None = None

    def pull(self, version: int) -> dict[str, np.ndarray]:
        with self.cond:
            self.cond.wait_for(lambda: self.error is not None or self.version >= version)
            if self.error is not None:
                raise RuntimeError("another worker failed")
            return self.versions[version]

    def push(self, update: int, grads: dict[str, np.ndarray], lr: float, keep: bool = False) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.error is not None or self.version == update)
            if self.error is not None:
                raise RuntimeError("another worker failed")
            current = self.versions[self.version]
            self.version += 1
            self.versions[self.version] = {k: current[k] - lr * grads[k] for k in current}
            self.versions.pop(self.version - self.staleness - 1, None)
            if keep:
                self.snapshots[self.version] = self.versions[self.version]
            self.cond.notify_all()

    def fail(self, error: BaseException) -> None:
        with self.cond:
            self.error = error
            self.cond.notify_all()


def _batches(n: int, batch: int, count: int, seed: int) -> np.ndarray:
    """``count`` mini-batches of ``batch`` indices, epoch after epoch of seeded permutations."""
    rng = np.random.default_rng(seed)
    per_epoch = n // batch
    epochs = -(-count // per_epoch)
    order = np.concatenate([rng.permutation(n)[: per_epoch * batch] for _ in range(epochs)])
    return order.reshape(-1, batch)[:count]


def _net(params, n_in: int, hidden: int):
    from ..scratch.two_layer_net import TwoLayerNet

    return TwoLayerNet(n_in, hidden, 10, params=params)


def _set(net, params) -> None:
    for k, v in params.items():
        net.params[k][...] = v


def _evaluate(snapshots: dict[int, dict], net, x, y) -> dict[int, float]:
    losses = {}
    for version, params in sorted(snapshots.items()):
        _set(net, params)
        with np.errstate(all="ignore"):
            losses[version] = float(net.loss(x, y))
    return losses


def initial_params(n_in: int, hidden: int, seed: int) -> dict[str, np.ndarray]:
    """He-initialised W1, b1, W2, b2 of the course's two-layer net."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in), "b1": np.zeros(hidden),
            "W2": rng.standard_normal((hidden, 10)) * np.sqrt(2.0 / hidden), "b2": np.zeros(10)}


def simulate_parameter_server(x, y, x_eval, y_eval, *, workers: int, staleness: int, lr: float, batch: int,
                              gradients: int, hidden: int, seed: int, eval_every: int) -> dict:
    """Asynchronous SGD: ``workers`` threads, each update's gradient computed on parameters τ updates old.

    Worker w computes the gradients of updates w, w + W, w + 2W, … on its own
    mini-batches while the others compute theirs (numpy releases the GIL in its
    matrix products). τ = W − 1 is what W equally fast workers see; τ = 0 makes
    every worker wait for the newest parameters (plain SGD, one worker at a time).

    Returns:
        {"curve": [(gradients computed, loss on the evaluation images)], "params", "seconds"}.
    """
    from threadpoolctl import threadpool_limits

    params = initial_params(x.shape[1], hidden, seed)
    server = ParameterServer(params, staleness)
    server.snapshots[0] = server.versions[0]
    batches = _batches(len(x), batch, gradients, seed + 1)

    def work(worker: int) -> None:
        net = _net(params, x.shape[1], hidden)
        try:
            for update in range(worker, gradients, workers):
                _set(net, server.pull(max(0, update - staleness)))
                idx = batches[update]
                with np.errstate(all="ignore"):
                    grads = net.gradient(x[idx], y[idx])
                server.push(update, grads, lr, keep=(update + 1) % eval_every == 0 or update + 1 == gradients)
        except BaseException as exc:  # noqa: BLE001 (handed to the main thread)
            server.fail(exc)

    start = time.perf_counter()
    with threadpool_limits(limits=1):
        threads = [threading.Thread(target=work, args=(w,), name=f"dlx-ps-worker{w}") for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    seconds = time.perf_counter() - start
    if server.error is not None:
        raise server.error
    losses = _evaluate(server.snapshots, _net(params, x.shape[1], hidden), x_eval, y_eval)
    return {"curve": sorted(losses.items()), "params": server.versions[server.version], "seconds": seconds}


def simulate_synchronous(x, y, x_eval, y_eval, *, workers: int, lr: float, batch: int, gradients: int, hidden: int,
                         seed: int, eval_every: int) -> dict:
    """Synchronous SGD: each round ``workers`` threads compute gradients on the same parameters; the mean is applied.

    The same mini-batches as ``simulate_parameter_server`` (round r uses batches
    rW … rW + W − 1), so the x-axis "gradients computed" means the same work.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    params = initial_params(x.shape[1], hidden, seed)
    batches = _batches(len(x), batch, gradients, seed + 1)
    nets = [_net(params, x.shape[1], hidden) for _ in range(workers)]
    snapshots = {0: params}
    current = params

    def gradient(args):
        net, idx = args
        _set(net, current)
        with np.errstate(all="ignore"):
            return net.gradient(x[idx], y[idx])

    start = time.perf_counter()
    with threadpool_limits(limits=1), ThreadPoolExecutor(workers, thread_name_prefix="dlx-sync-worker") as pool:
        for first in range(0, gradients - workers + 1, workers):
            grads = list(pool.map(gradient, [(nets[w], batches[first + w]) for w in range(workers)]))
            current = {k: current[k] - lr * sum(g[k] for g in grads) / workers for k in current}
            done = first + workers
            if done % eval_every < workers or done + workers > gradients:
                snapshots[done] = current
    seconds = time.perf_counter() - start
    losses = _evaluate(snapshots, _net(params, x.shape[1], hidden), x_eval, y_eval)
    return {"curve": sorted(losses.items()), "params": current, "seconds": seconds}


def params_accuracy(params, x, y, hidden: int) -> float:
    net = _net(params, x.shape[1], hidden)
    with np.errstate(all="ignore"):
        return net.accuracy(x, y)


if __name__ == "__main__":
    raise SystemExit(main())
