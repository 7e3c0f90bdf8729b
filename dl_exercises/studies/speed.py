"""Training throughput measured side by side in one process: dlx's training path, a hand-written step, precision, XLA.

Every figure here is a ratio or a rate measured in the same run on the same
machine (never a wall-clock promise): steps per second of ``model.fit`` with
dlx's callbacks (the path every exercise trains through) against a
hand-written ``tf.function`` step on the same model and batches; float32
against mixed bfloat16; XLA off against on; and achieved GFLOP/s against a
matrix-multiply peak measured in the same run.
"""

from __future__ import annotations

import time

import numpy as np


def matmul_peak_gflops(dtype: str = "float32", n: int = 2048, repeats: int = 8) -> float:
    """Best of three timings of ``repeats`` chained n×n matmuls in one ``tf.function``: 2n³ FLOPs each."""
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    a = tf.random.normal((n, n), dtype=tf.float32)
    a = tf.cast(a / tf.sqrt(float(n)), dtype)

    @tf.function
    def chain(x):
        for _ in range(repeats):
            x = tf.matmul(x, a)
        return tf.reduce_sum(tf.cast(x[:1, :1], tf.float32))

    chain(a).numpy()  # trace and warm up
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        chain(a).numpy()
        best = min(best, time.perf_counter() - start)
    return 2.0 * n**3 * repeats / best / 1e9


def _take(x, start: int, stop: int):
    """Rows start:stop of an array, or of each array of a list (multi-input models)."""
    return [a[start:stop] for a in x] if isinstance(x, (list, tuple)) else x[start:stop]


def fit_steps_per_s(ctx, model, x, y, batch_size: int, steps: int, label: str, epochs: int = 3) -> float:
    """Steps/s of ``model.fit`` with ``ctx.callbacks``: ``epochs`` epochs of ``steps`` steps, the median after the first."""
    from ..train.timing import EpochTimes

    n = steps * batch_size
    times = EpochTimes()
    model.fit(_take(x, 0, n), y[:n], batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
              callbacks=[times.callback(), *ctx.callbacks(epochs=epochs, label=label, run=label)])
    return steps / times.seconds_per_epoch


def handwritten_steps_per_s(model, loss_fn, optimizer, x, y, batch_size: int, steps: int, jit: bool = False,
                            repeats: int = 2) -> float:
    """Steps/s of a hand-written ``tf.function`` step (GradientTape + apply_gradients) on the same batches."""
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    xs = [tf.nest.map_structure(tf.constant, _take(x, i * batch_size, (i + 1) * batch_size)) for i in range(steps)]
    ys = [tf.constant(y[i * batch_size:(i + 1) * batch_size]) for i in range(steps)]

    @tf.function(jit_compile=jit)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
            scaled = optimizer.scale_loss(loss) if hasattr(optimizer, "scale_loss") else loss
        grads = tape.gradient(scaled, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    step(xs[0], ys[0]).numpy()  # trace
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for xb, yb in zip(xs, ys):
            loss = step(xb, yb)
        float(loss)  # wait for the last step
        best = min(best, time.perf_counter() - start)
    return steps / best


def training_flops_per_step(forward_mult_adds_per_sample: int, batch_size: int) -> float:
    """FLOPs of one training step: 2 per multiply-add, and backward ≈ 2× forward (3× in all)."""
    return 2.0 * 3.0 * forward_mult_adds_per_sample * batch_size


def rate(value: float) -> float:
    """A rate rounded to 3 significant digits for a table."""
    return float(f"{value:.3g}") if np.isfinite(value) else value
