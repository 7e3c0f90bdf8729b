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
    """Rows start:stop of an array, or of each array of a list (multi-input models), going round to the first row
    again past the last: a timed epoch has as many steps as asked even when the data holds fewer batches."""
    if isinstance(x, (list, tuple)):
        return [_take(a, start, stop) for a in x]
    return x[np.arange(start, stop) % len(x)]


def handwritten_pass(model, loss_fn, optimizer, x, y, batch_size: int, steps: int, jit: bool = False):
    """A hand-written ``tf.function`` step (GradientTape + apply_gradients) over the same batches as ``fit``.

    Returns:
        ``one_pass(n=steps)``: trains the first ``n`` batches and returns its wall seconds (the step is traced
        here; a batch becomes tensors the first time a pass needs it, before that pass's clock starts).
    """
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    xs, ys = [], []

    def make_batches(n: int) -> None:
        for i in range(len(xs), n):
            xs.append(tf.nest.map_structure(tf.constant, _take(x, i * batch_size, (i + 1) * batch_size)))
            ys.append(tf.constant(_take(y, i * batch_size, (i + 1) * batch_size)))

    @tf.function(jit_compile=jit)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
            scaled = optimizer.scale_loss(loss) if hasattr(optimizer, "scale_loss") else loss
        grads = tape.gradient(scaled, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    make_batches(1)
    step(xs[0], ys[0]).numpy()  # trace

    def one_pass(n: int = steps) -> float:
        make_batches(n)
        start = time.perf_counter()
        for xb, yb in zip(xs[:n], ys[:n]):
            loss = step(xb, yb)
        float(loss)  # wait for the last step
        return time.perf_counter() - start

    return one_pass


def steps_for_seconds(hand_pass, seconds: float, multiple: int, least: int = 8, most: int = 400) -> int:
    """Steps of about ``seconds`` by the hand-written step (best of three 8-step passes), a multiple of ``multiple``
    (the steps per compiled call), from ``least`` to ``most``."""
    per_step = min(hand_pass(8) for _ in range(3)) / 8
    steps = min(most, max(least, round(seconds / per_step)))
    return max(multiple, steps // multiple * multiple)


def paired_steps_per_s(ctx, model, hand_pass, x, y, batch_size: int, steps: int, label: str, rounds: int = 5,
                       light_arrays: bool = True) -> dict:
    """dlx's ``fit`` and a hand-written pass, in turn: after each ``fit`` epoch, one hand-written pass.

    Waiting only ever slows an epoch down, and on this 2-core host it does so often: epochs of the same 160 MLP steps
    took from 447 to 952 ms (numpy matmuls stayed within ±5%); a slow DeepConvNet epoch took twice the wall time of
    a fast one for the same CPU seconds, with one CPU counted idle throughout and no steal. Most slow epochs came
    from Keras's pipeline for arrays (``train/arrays.py``), the rest from the host. So the rates are those of
    the fastest epoch and the fastest pass, which ran in turn in the same stretch, and the pairs' own ratios are
    kept to show the spread. The process's CPU seconds of each epoch and each pass are counted too: the work a step
    costs, which other processes change far less than the wall time. The first epoch (tracing) and its pass are not
    counted. ``light_arrays``: fit through ``train.arrays.fit_arrays`` (the image exercises' path), else through
    Keras's own pipeline for arrays (the sequence models').

    Returns:
        {"dlx": steps/s of the fastest epoch, "handwritten": steps/s of the fastest pass, "ratio": their ratio,
        "ratios": each round's dlx / hand-written steps/s, "paired_median": their median, "cpu_ratio": median of
        the rounds' hand-written CPU seconds over dlx's (1: the same work a step; below 1: dlx's path costs more)}.
    """
    import numpy as np

    from ..runtime import tf_keras
    from ..train.arrays import fit_arrays
    from ..train.timing import EpochTimes

    _, keras = tf_keras()
    n = steps * batch_size
    times, passes, fit_cpu, hand_cpu = EpochTimes(), [], [], []

    class CpuThenHandWritten(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._cpu = time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            fit_cpu.append(time.process_time() - self._cpu)
            cpu = time.process_time()
            passes.append(hand_pass(steps))
            hand_cpu.append(time.process_time() - cpu)

    callbacks = [times.callback(), *ctx.callbacks(epochs=rounds + 1, label=label, run=label), CpuThenHandWritten()]
    run = dict(batch_size=batch_size, epochs=rounds + 1, shuffle=False, verbose=0, callbacks=callbacks)
    if light_arrays:
        fit_arrays(model, _take(x, 0, n), _take(y, 0, n), **run)
    else:
        model.fit(_take(x, 0, n), _take(y, 0, n), **run)
    ratios = [hand / fit for fit, hand in zip(times.times[1:], passes[1:])]
    cpu_ratios = [hand / fit for fit, hand in zip(fit_cpu[1:], hand_cpu[1:])]
    fastest_fit, fastest_pass = min(times.times[1:]), min(passes[1:])
    return {"dlx": steps / fastest_fit, "handwritten": steps / fastest_pass, "ratio": fastest_pass / fastest_fit,
            "ratios": ratios, "paired_median": float(np.median(ratios)), "cpu_ratio": float(np.median(cpu_ratios))}


def training_flops_per_step(forward_mult_adds_per_sample: int, batch_size: int) -> float:
    """FLOPs of one training step: 2 per multiply-add, and backward ≈ 2× forward (3× in all)."""
    return 2.0 * 3.0 * forward_mult_adds_per_sample * batch_size


def rate(value: float) -> float:
    """A rate rounded to 3 significant digits for a table."""
    return float(f"{value:.3g}") if np.isfinite(value) else value


def transformer_pair_mult_adds(s: np.ndarray, t: np.ndarray, d_model: int, d_ff: int, num_layers: int,
                               target_vocab: int) -> float:
    """Forward multiply-adds of the encoder–decoder Transformer over pairs of real lengths ``s`` (source) and ``t``.

    ``t`` counts decoder positions (the target after ``<s>``). Per encoder layer: Q, K, V, O projections
    4·d²·s, scores and weighted sum 2·d·s², FFN 2·d·d_ff·s; per decoder layer: self-attention 4·d²·t + 2·d·t²,
    cross-attention 2·d²·t + 2·d²·s + 2·d·t·s, FFN 2·d·d_ff·t; the output projection d·V·t. Embedding look-ups,
    softmax and normalization are not counted.
    """
    s, t = np.asarray(s, dtype=np.float64), np.asarray(t, dtype=np.float64)
    d = d_model
    enc = 4 * d * d * s + 2 * d * s * s + 2 * d * d_ff * s
    dec = 4 * d * d * t + 2 * d * t * t + 2 * d * d * t + 2 * d * d * s + 2 * d * t * s + 2 * d * d_ff * t
    return float(np.sum(num_layers * (enc + dec) + d * target_vocab * t))


def lstm_seq2seq_pair_mult_adds(s: np.ndarray, t: np.ndarray, embed_dim: int, units: int, target_vocab: int) -> float:
    """Forward multiply-adds of the LSTM encoder–decoder over pairs of lengths ``s`` and ``t``: 4 gates of
    (embed + units) × units per step on both sides, and the units × V output layer per target step."""
    s, t = np.asarray(s, dtype=np.float64), np.asarray(t, dtype=np.float64)
    gates = 4 * (embed_dim + units) * units
    return float(np.sum(gates * (s + t) + units * target_vocab * t))


def pair_lengths(source: np.ndarray, target: np.ndarray, pad_id: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Real source lengths and decoder positions (target length without ``<s>``) of padded id arrays."""
    return (source != pad_id).sum(axis=1), (target != pad_id).sum(axis=1) - 1


def pair_step_rate(model, loss_fn, optimizer, source, target, max_tokens: int, steps: int, seed: int = 0,
                   jit_compile: bool = False) -> dict:
    """Time ``steps`` length-bucketed training steps after 3 untimed ones (the first traces).

    The same step (``train.sequences.make_train_step``) and batches (``token_batches``) the enja runs train with.

    Returns:
        ``{"tokens_per_s": target tokens per second, "seconds": timed seconds, "pairs": indices of the timed pairs}``.
    """
    from ..train.sequences import make_train_step, token_batches

    src_len = (source != 0).sum(axis=1)
    tgt_len = (target != 0).sum(axis=1)
    batches = token_batches(src_len, tgt_len, max_tokens, seed, 0)
    step = make_train_step(model, loss_fn, optimizer, jit_compile)
    steps = max(1, min(steps, len(batches) - 3))

    def run(idx):
        return step(source[idx][:, : int(src_len[idx].max())], target[idx][:, : int(tgt_len[idx].max())])

    for idx in batches[:3]:
        float(run(idx))
    timed = batches[3 : 3 + steps]
    start = time.perf_counter()
    for idx in timed:
        loss = run(idx)
    float(loss)
    seconds = time.perf_counter() - start
    tokens = sum(int(tgt_len[idx].sum()) - len(idx) for idx in timed)
    return {"tokens_per_s": tokens / seconds, "seconds": seconds, "pairs": np.concatenate(timed)}
