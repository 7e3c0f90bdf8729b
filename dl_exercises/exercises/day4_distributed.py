"""Day 4 distributed deep learning: synchronous and asynchronous data parallelism, model parallelism, many workers.

Day4 Section3 (分散深層学習: データ並列化 (同期型・非同期型), モデル並列化, GPU による高速化).
The strategy runs happen in child processes that dlx starts and waits for
(``dl_exercises.train.distributed``: TensorFlow takes logical devices and
``MultiWorkerMirroredStrategy`` only before it initialises); the asynchronous
parameter server is simulated there too, in numpy with worker threads.
"""

from __future__ import annotations

import os

from ..params import Param, data_sizes, flag, learning_rate, positive, string
from ..registry import exercise

try:  # the cores this process may use: the most logical CPU devices (replicas) worth making
    DEVICES = max(2, len(os.sched_getaffinity(0)))
except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
    DEVICES = max(2, os.cpu_count() or 1)


def _replica_counts(top: int) -> list[int]:
    """1, 2, 4, … up to ``top``, and ``top`` itself."""
    counts, r = [], 1
    while r < top:
        counts.append(r)
        r *= 2
    return counts + [top]


def _staleness(text_value: str, key: str) -> list[int]:
    from ..errors import UsageError

    try:
        values = sorted({int(v) for v in text_value.split(",") if v.strip()})
    except ValueError:
        values = []
    if not values or values[0] < 0:
        raise UsageError(f"--set {key}={text_value}: expected comma-separated integers >= 0 (allowed: e.g. 0,3,15)")
    return values


@exercise(
    "day4.distributed",
    title="Distributed training: synchronous data parallelism (tf.distribute), a simulated parameter server, "
          "model parallelism, two worker processes",
    title_ja="分散深層学習",
    section="Day4 Section3",
    data=("mnist", "mnist5k"),
    tags=("keras", "distributed"),
    params={
        **data_sizes(4000, 1000, min_train=256, min_test=50),
        "replicas": Param(int, 2, f"most replicas of the synchronous runs (devices here: {DEVICES})", min=1,
                          max=DEVICES),
        "global_batch": positive(64, "global mini-batch, split evenly over the replicas"),
        "epochs": positive(3, "epochs of every synchronous run"),
        "lr": learning_rate(0.1, "SGD learning rate of the synchronous runs"),
        "hidden": positive(128, "hidden units of the MLP"),
        "multiworker": flag(True, "also train as two MultiWorkerMirroredStrategy worker processes on loopback ports"),
        "timeout": positive(600.0, "seconds to wait for the child processes before stopping them"),
        "ps_workers": Param(int, 4, "worker threads of the parameter-server simulation", min=1, max=64),
        "staleness": string("0,3,15,31", "staleness τ values of the asynchronous runs (comma-separated integers >= 0)"),
        "ps_gradients": positive(1200, "gradients computed in each parameter-server run"),
        "ps_batch": positive(32, "mini-batch of one worker's gradient"),
        "ps_lr": learning_rate(0.1, "SGD learning rate of one asynchronous update (synchronous: × workers)"),
    },
    budgets={
        "smoke": {"n_train": 256, "n_test": 50, "epochs": 2, "ps_gradients": 80, "staleness": "0,3"},
        # quick: mnist5k, 3 epochs of 62 steps per replica count, 2 worker processes, 5 parameter-server runs.
        # seeds 0/1/2 and seed 0 with TF_ENABLE_ONEDNN_OPTS=0: one_step_loss_diff 0 (all four), one_step_weight_diff
        # 1.5e-8, replica_final_loss_diff 0 / 8e-8 / 0 / 0, model_parallel_output_diff 0, multiworker_loss_diff 0
        # (the workers' losses are bit-identical to the single-process run). 38-45 s user+sys CPU (three fresh
        # TensorFlow processes: ~7 s CPU each to import); wall 54 s at load 5.6, 111-135 s at load 7-10.
        "quick": {},
        "full": {"n_train": 60000, "n_test": 10000, "epochs": 5, "ps_gradients": 6000},
    },
    # float32 tolerances: losses agree to 1e-5 of their value (about 80 rounding steps; a wrong split of the
    # batch or a missing 1/replicas scaling is off by 1e-2 or more), weights to 1e-6 (one step moves them ~1e-2)
    targets={q: {"one_step_loss_diff": "<= 1e-5", "one_step_weight_diff": "<= 1e-6",
                 "replica_final_loss_diff": "<= 1e-5", "model_parallel_output_diff": "<= 1e-6",
                 "multiworker_loss_diff": "<= 1e-5"} for q in ("quick", "full")},
)
def distributed(ctx):
    """Sync data parallelism = one device (tf.distribute), async staleness vs sync, model parallelism, MWMS (Day4 Section3)."""
    import numpy as np
    from ..errors import UsageError
    from ..train.distributed.parameter_server import params_accuracy, simulate_parameter_server, simulate_synchronous
    from ..train.distributed.processes import run_job
    from ..studies.images import load_images

    p = ctx.params
    replicas = _replica_counts(p["replicas"])
    staleness = _staleness(p["staleness"], "staleness")
    bad = [r for r in replicas + [2] if p["global_batch"] % r]
    if bad:
        raise UsageError(f"--set global_batch={p['global_batch']}: must be divisible by every replica count "
                         f"{sorted(set(replicas + [2]))} (allowed: multiples of {int(np.lcm.reduce(replicas + [2]))})")
    x_train, y_train, x_test, y_test, _ = load_images(ctx, p["n_train"], p["n_test"], "flat")
    if len(x_train) < p["global_batch"]:
        raise UsageError(f"--set global_batch={p['global_batch']}: larger than the {len(x_train)} training images")
    spec = {"seed": ctx.seed, "replicas": replicas, "global_batch": p["global_batch"], "epochs": p["epochs"],
            "lr": p["lr"], "hidden": p["hidden"], "reference": p["multiworker"]}
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}

    task = ctx.reporter.task("tf.distribute in a child process")
    try:
        with ctx.training():
            local = run_job("local", {**spec, "arrays": arrays}, p["timeout"], on_poll=lambda _, line: task.describe(line))
    finally:
        task.close()
    one, fits, split = local["one_step"], local["fit"], local["model_parallel"]
    kind = local["device_kind"]
    ctx.note(f"devices: {', '.join(local['devices'])} ({'real GPUs' if kind == 'GPU' else 'logical CPU devices of one CPU'})")

    ctx.metric("one_step_loss_diff", one["loss_diff"] / abs(one["loss_one_device"]),
               note=f"|loss on 1 device − loss on {one['replicas']} replicas| / loss, same weights, global batch "
                    f"{one['global_batch']} (float32: one rounding step is 6e-8 of the loss)")
    ctx.metric("one_step_weight_diff", one["weight_diff"],
               note=f"max |Δ weight| after the step (the step itself moved weights by up to {one['update_size']:.2g})")
    ctx.table(f"One synchronous step, the same global batch of {one['global_batch']} from the same weights",
              ["", "loss", "max |weight − one device| after the step"],
              [["one device", f"{one['loss_one_device']:.9f}", 0.0],
               [f"{one['replicas']} replicas (MirroredStrategy)", f"{one['loss_replicas']:.9f}", one["weight_diff"]]])
    base = fits[0]["losses"][-1]
    ctx.table(f"Synchronous data parallelism, model.fit under MirroredStrategy ({p['epochs']} epochs, SGD lr {p['lr']})",
              ["replicas", "global batch", "per-replica batch", "steps / s", "final loss", "test accuracy"],
              [[f["replicas"], f["global_batch"], f["global_batch"] // f["replicas"], round(f["steps_per_s"], 1),
                f"{f['losses'][-1]:.6f}", round(f["accuracy"], 4)] for f in fits])
    ctx.metric("replica_final_loss_diff", max(abs(f["losses"][-1] - base) for f in fits) / abs(base),
               note="largest |final loss − final loss on 1 replica| / loss over the replica counts")
    for f in fits:
        ctx.metric(f"steps_per_s_{f['replicas']}_replicas", f["steps_per_s"], "steps/s")
        for epoch, loss in enumerate(f["losses"], 1):
            ctx.log(run=f"{f['replicas']} replicas", epoch=epoch, loss=loss)
    if kind == "CPU":
        ctx.note("logical CPU devices share the same cores: more replicas cannot add compute here (steps/s shows "
                 "the all-reduce overhead); the same code on real GPUs or machines divides the work")

    ctx.metric("model_parallel_output_diff", split["output_diff"], note="max |unsplit − split| logits on 500 test images")
    ctx.metric("model_parallel_step_diff", split["step_weight_diff"], note="after one SGD step of each")
    short = lambda name: name.split("device:")[-1]  # noqa: E731
    ctx.table("Model parallelism: the hidden layer on one device, the output layer on another",
              ["layer", "weights on", "output on"],
              [["Dense(hidden, ReLU)", short(split["variable_devices"][0]), short(split["hidden_device"])],
               ["Dense(10)", short(split["variable_devices"][2]), short(split["devices"][1])],
               ["max |logits − unsplit logits|", split["output_diff"], f"same predictions: {split['same_predictions']:.0%}"]])

    if p["multiworker"]:
        task = ctx.reporter.task("MultiWorkerMirroredStrategy: 2 worker processes")
        try:
            with ctx.training():
                workers = run_job("worker", {**spec, "arrays": arrays}, p["timeout"], workers=2,
                                  on_poll=lambda name, line: task.describe(f"{name}: {line}"),
                                  notice=ctx.reporter.notice)
        finally:
            task.close()
        ports = ", ".join(f"*:{port}" for port in sorted({int(k) for w in workers for k in w.get("listening", {})}))
        if workers[0].get("loopback_namespace"):
            ctx.note(f"the 2 workers ran in a network namespace of their own with loopback only: their gRPC servers "
                     f"listened on every interface there ({ports}), so on none that another machine can reach")
        else:
            ctx.note("the 2 workers listened on every network interface of this machine while they ran (no "
                     "loopback-only network namespace could be made here); their gRPC servers ask for no password")
        reference = local["reference"]
        diff = max(abs(a - b) / abs(b) for w in workers for a, b in zip(w["losses"], reference["losses"]))
        ctx.metric("multiworker_loss_diff", diff, note="max |per-epoch loss of a worker − single-process loss| / loss")
        ctx.metric("multiworker_final_loss", workers[0]["losses"][-1])
        ctx.table("The same training as 2 worker processes (MultiWorkerMirroredStrategy, TF_CONFIG on loopback ports)",
                  ["run", "replicas", "final loss", "test accuracy", "|Σ|w|| of the weights", "train s"],
                  [["1 process, MirroredStrategy, 2 devices", 2, f"{reference['losses'][-1]:.9f}",
                    round(reference["accuracy"], 4), round(reference["weights"]["abs_sum"], 6), round(reference["seconds"], 2)]]
                  + [[f"worker {w['task']['index']} of 2", w["replicas"], f"{w['losses'][-1]:.9f}", round(w["accuracy"], 4),
                      round(w["weights"]["abs_sum"], 6), round(w["seconds"], 2)] for w in workers])
        ctx.note("multi-worker runs use a training loop with strategy.run: Keras 3's model.fit fails under "
                 "MultiWorkerMirroredStrategy (keras-team/keras#20585); the single-process reference runs the same loop")

    _parameter_server(ctx, p, staleness, x_train, y_train, x_test, y_test, simulate_synchronous,
                      simulate_parameter_server, params_accuracy)


def _parameter_server(ctx, p, staleness, x_train, y_train, x_test, y_test, simulate_synchronous,
                      simulate_parameter_server, params_accuracy) -> None:
    """Synchronous vs asynchronous (staleness τ) SGD with worker threads on the same mini-batches."""
    import numpy as np
    workers = p["ps_workers"]
    eval_every = workers * max(1, p["ps_gradients"] // (workers * 30))
    x = x_train.astype(np.float64)
    x_eval, y_eval = x[:1000], y_train[:1000]
    common = dict(lr=p["ps_lr"], batch=p["ps_batch"], gradients=p["ps_gradients"], hidden=64, seed=ctx.seed,
                  eval_every=eval_every)
    runs = []
    with ctx.training():
        sync = simulate_synchronous(x, y_train, x_eval, y_eval, workers=workers, **{**common, "lr": p["ps_lr"] * workers})
        runs.append(("synchronous", "—", sync))
        for tau in ctx.progress(staleness, "parameter server (async)"):
            runs.append((f"asynchronous τ = {tau}", tau,
                         simulate_parameter_server(x, y_train, x_eval, y_eval, workers=workers, staleness=tau, **common)))
    rows = []
    for label, tau, run in runs:
        losses = [loss for _, loss in run["curve"]]
        final = losses[-1]
        acc = params_accuracy(run["params"], x_test.astype(np.float64), y_test, 64)
        rows.append([label, tau, f"{final:.4f}" if np.isfinite(final) else "diverged",
                     f"{np.nanmax(losses[1:]):.3g}", round(acc, 4), round(run["seconds"], 2)])
        key = "sync" if tau == "—" else f"async_tau{tau}"
        if np.isfinite(final):
            ctx.metric(f"{key}_final_loss", final, note="training loss on 1,000 training images")
        else:
            ctx.note(f"{label}: the loss diverged")
        ctx.metric(f"{key}_test_accuracy", acc)
        for grads, loss in run["curve"]:
            ctx.log(run=label, gradients=grads, loss=loss if np.isfinite(loss) else None)
    ctx.table(f"Parameter server, simulated: {workers} worker threads, {p['ps_gradients']} gradients of "
              f"{p['ps_batch']} images each (async lr {p['ps_lr']}, sync lr {p['ps_lr'] * workers:g} on the mean "
              "of the workers' gradients)",
              ["run", "τ", "final loss", "worst loss after the start", "test accuracy", "wall s"], rows)
    ctx.note(f"τ = {workers - 1} is the staleness {workers} equally fast asynchronous workers see: each gradient "
             "was computed on parameters that the other workers have since updated; larger τ = slower workers "
             "or more of them")
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, _, run in runs:
        xs, ys = zip(*run["curve"])
        ax.plot(xs, np.minimum(ys, 20.0), label=label, lw=2 if label == "synchronous" else 1.2)
    ax.set(xlabel="gradients computed (mini-batches)", ylabel="training loss (1,000 images)", yscale="log",
           title="Asynchronous SGD: staleness τ against synchronous training")
    ax.legend()
    ctx.save_figure(fig, "staleness.png")
