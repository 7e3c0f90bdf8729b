"""Inside a child process: devices, data and models, and the loops that train under a ``tf.distribute`` strategy.

Day4 Section3 (データ並列化 (同期型), モデル並列化). TensorFlow is imported by the job
(``configure_devices``) and handed in as ``tf`` and ``keras``.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from ..loop import LoopCallbacks, LoopHistory, Silent, end_epoch


def progress(text: str) -> None:
    """A child's progress line (the parent shows the last one)."""
    print(text, flush=True)


class EpochLines:
    """Loop callbacks that print ``epoch e/E loss L`` as the child's progress line."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        progress(f"epoch {epoch + 1}/{self.epochs} loss {logs['loss']:.4f}")

    def should_stop(self) -> bool:
        return False


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


def train_with_strategy(tf, keras, strategy, data: dict, spec: dict, callbacks: LoopCallbacks | None = None) -> dict:
    """Synchronous data-parallel SGD under any ``tf.distribute`` strategy: the loop every layout runs.

    Each replica computes the gradient of its share of the global-batch mean loss
    (sum over its rows ÷ global batch); ``apply_gradients`` inside ``strategy.run``
    sums the replicas' gradients (all-reduce) and every replica applies the same
    update. A hand-written loop because Keras 3's ``model.fit`` fails under
    ``MultiWorkerMirroredStrategy`` (keras-team/keras#20585): the same code then runs
    on one device, on several devices of one process, and on several machines.

    ``callbacks.on_epoch_end(epoch, {"loss": mean training loss})`` after each epoch; ``should_stop()`` ends it.

    Returns:
        {"losses": mean training loss per epoch, "accuracy", "weights": digest, "seconds"}.
    """
    callbacks = callbacks or Silent()
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
    history, start = LoopHistory(), time.perf_counter()
    for epoch in range(spec["epochs"]):
        step_losses = [float(train_step(iterator)) for _ in range(len(schedule))]
        if end_epoch(callbacks, history, epoch, {"loss": float(np.mean(step_losses))}):
            break
    seconds = time.perf_counter() - start
    return {"losses": history.column("loss"), "accuracy": _accuracy(model, data["x_test"], data["y_test"]),
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
