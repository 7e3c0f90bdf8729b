"""Train a from-scratch numpy net and its Keras twin on the same mini-batches (Day 2's comparisons).

Both functions take the same data ``(x_train, y_train, x_test, y_test)`` and
batch schedule (iters, batch_size) and return the same dict, so a table can
put the two implementations side by side: train and test accuracy, the last
loss, wall time, and the test-accuracy curve at ``batches.eval_points``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .batches import eval_points
from .fit import fit_on_batches


def train_scratch_net(ctx, net, optimizer, data, schedule, label: str) -> dict[str, Any]:
    """Train a scratch ``MultiLayerNet`` on the given batches; returns accuracies, loss, time and curve.

    Args:
        net: has ``gradient(x, t) -> (loss, grads)``, ``params`` and ``accuracy(x, t)``.
        optimizer: a ``scratch.optimizers`` rule with ``update(params, grads)``.
        data: (x_train, y_train, x_test, y_test).
        schedule: batch indices, shape (iters, batch_size).
    Returns:
        dict with train_acc, test_acc, loss (last batch), time_s, curve [(iteration, test_acc)].
    """
    from threadpoolctl import threadpool_limits

    x_train, y_train, x_test, y_test = data
    points = set(eval_points(len(schedule)))
    curve = []
    loss = float("nan")
    start = time.perf_counter()
    # One BLAS thread: these matrices are small, and on a busy 2-core machine a second
    # OpenBLAS thread made the loop about 30x slower (measured: 300 Adam steps 27.7 s vs 0.8 s).
    with ctx.training(), threadpool_limits(limits=1):
        for i in ctx.progress(range(len(schedule)), f"numpy {label}"):
            idx = schedule[i]
            loss, grads = net.gradient(x_train[idx], y_train[idx])
            ctx.check_finite(loss, f"in numpy {label} at iteration {i + 1}")
            optimizer.update(net.params, grads)
            if i + 1 in points:
                acc = net.accuracy(x_test, y_test)
                curve.append((i + 1, acc))
                ctx.log(run=f"numpy {label}", iteration=i + 1, loss=float(loss), test_accuracy=acc)
    return {"train_acc": net.accuracy(x_train, y_train), "test_acc": curve[-1][1], "loss": float(loss),
            "time_s": time.perf_counter() - start, "curve": curve}


def train_keras_twin(ctx, model, optimizer, data, schedule, label: str) -> dict[str, Any]:
    """Train a Keras model (logits out) on exactly the batches of ``schedule``, in order; same dict as above."""
    _, keras = ctx.keras()
    x_train, y_train, x_test, y_test = data
    points = eval_points(len(schedule))
    start = time.perf_counter()
    history = fit_on_batches(
        ctx, model, x_train, y_train, schedule,
        compile_kwargs={"optimizer": optimizer, "metrics": ["accuracy"],
                        "loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)},
        label=f"keras {label}", run=f"keras {label}", rows=len(points),
        validation_data=(x_test, y_test), validation_batch_size=2000,
    )
    elapsed = time.perf_counter() - start
    losses = history.history["loss"]
    ctx.check_finite(losses[-1], f"in keras {label}")
    curve = [(it, float(a)) for it, a in zip(points, history.history["val_accuracy"])]
    train_acc = float(model.evaluate(x_train, y_train, batch_size=2000, verbose=0, return_dict=True)["accuracy"])
    return {"train_acc": train_acc, "test_acc": curve[-1][1], "loss": float(losses[-1]), "time_s": elapsed,
            "curve": curve}
