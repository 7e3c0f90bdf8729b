"""Train a from-scratch numpy net and its Keras twin on the same mini-batches (Day 2's comparisons).

Both functions take the same data ``(x_train, y_train, x_test, y_test)`` and
batch schedule (iters, batch_size) and return the same dict, so a table can
put the two implementations side by side: train and test accuracy, the last
loss, wall time, and the test-accuracy curve at ``batches.eval_points``.
Neither sees a run context: progress and history go through the callbacks
given (``train.loop.LoopCallbacks`` for the numpy loop, Keras callbacks for
the twin), training time through the ``training`` context manager factory.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, ContextManager

from ..runtime import check_finite
from .batches import eval_points
from .fit import fit_on_batches
from .loop import LoopCallbacks, Silent


def train_scratch_net(net, optimizer, data, schedule, label: str, *, callbacks: LoopCallbacks | None = None,
                      training: Callable[[], ContextManager] = contextlib.nullcontext) -> dict[str, Any]:
    """Train a scratch ``MultiLayerNet`` on the given batches; returns accuracies, loss, time and curve.

    Args:
        net: has ``gradient(x, t) -> (loss, grads)``, ``params`` and ``accuracy(x, t)``.
        optimizer: a ``scratch.optimizers`` rule with ``update(params, grads)``.
        data: (x_train, y_train, x_test, y_test).
        schedule: batch indices, shape (iters, batch_size).
        label: names the run in a NaN/Inf error.
        callbacks: ``on_epoch_end(k, {iteration, loss, test_accuracy})`` at the k-th of the
            ``len(eval_points(iters))`` evaluation points; ``should_stop()`` ends the loop there.
        training: a context manager factory around the loop (the run's training clock).
    Returns:
        dict with train_acc, test_acc, loss (last batch), time_s, curve [(iteration, test_acc)].
    """
    from threadpoolctl import threadpool_limits

    callbacks = callbacks or Silent()
    x_train, y_train, x_test, y_test = data
    points = set(eval_points(len(schedule)))
    curve = []
    loss = float("nan")
    start = time.perf_counter()
    # One BLAS thread: these matrices are small, and on a busy 2-core machine a second
    # OpenBLAS thread made the loop about 30x slower (measured: 300 Adam steps 27.7 s vs 0.8 s).
    with training(), threadpool_limits(limits=1):
        for i in range(len(schedule)):
            idx = schedule[i]
            loss, grads = net.gradient(x_train[idx], y_train[idx])
            check_finite(loss, f"in numpy {label} at iteration {i + 1}")
            optimizer.update(net.params, grads)
            if i + 1 in points:
                acc = net.accuracy(x_test, y_test)
                curve.append((i + 1, acc))
                callbacks.on_epoch_end(len(curve) - 1, {"iteration": i + 1, "loss": float(loss), "test_accuracy": acc})
                if callbacks.should_stop():
                    break
    return {"train_acc": net.accuracy(x_train, y_train), "test_acc": curve[-1][1], "loss": float(loss),
            "time_s": time.perf_counter() - start, "curve": curve}


def train_keras_twin(model, optimizer, data, schedule, label: str, *, callbacks: Callable[..., list] | None = None,
                     training: Callable[[], ContextManager] = contextlib.nullcontext) -> dict[str, Any]:
    """Train a Keras model (logits out) on exactly the batches of ``schedule``, in order; same dict as above.

    ``callbacks`` and ``training`` are ``fit_on_batches``'s (one Keras epoch per evaluation point).
    """
    from ..runtime import tf_keras

    _, keras = tf_keras()
    x_train, y_train, x_test, y_test = data
    points = eval_points(len(schedule))
    start = time.perf_counter()
    history = fit_on_batches(
        model, x_train, y_train, schedule,
        compile_kwargs={"optimizer": optimizer, "metrics": ["accuracy"],
                        "loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)},
        callbacks=callbacks, training=training, rows=len(points),
        validation_data=(x_test, y_test), validation_batch_size=2000,
    )
    elapsed = time.perf_counter() - start
    losses = history.history["loss"]
    check_finite(losses[-1], f"in keras {label}")
    curve = [(it, float(a)) for it, a in zip(points, history.history["val_accuracy"])]
    train_acc = float(model.evaluate(x_train, y_train, batch_size=2000, verbose=0, return_dict=True)["accuracy"])
    return {"train_acc": train_acc, "test_acc": curve[-1][1], "loss": float(losses[-1]), "time_s": elapsed,
            "curve": curve}
