"""The translation topic's model, training and decoding, as plain functions (no run context).

Day4 Section5 (Transformer) and Day3 Section5 (seq2seq's enja lab). The Transformer's
dates and enja runs share ``build_model``, ``compile_model`` and ``decode``; they differ in
their data and in how they are trained: dates through ``model.fit`` on arrays
(``array_batches``, ``train_clock``), enja through ``train.sequences.train_pairs`` with
dev BLEU after every epoch (``dev_bleu_after_epoch``, ``teacher_forced_hypotheses``).
``matmul_peaks`` measures the peak the enja runs' speed is compared with.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import numpy as np

from ..speed import matmul_peak_gflops
from .config import TransformerSettings


def build_model(settings: TransformerSettings, source_vocab_size: int, target_vocab_size: int, max_steps: int,
                name: str = "transformer"):
    """The Transformer of ``settings`` (``nn.transformer.build_transformer``'s three models sharing weights)."""
    from ...nn.transformer import build_transformer

    s = settings
    return build_transformer(
        source_vocab_size, target_vocab_size, num_layers=s.num_layers, d_model=s.d_model, num_heads=s.num_heads,
        head_dim=s.head_dim or None, d_ff=s.d_ff, dropout=s.dropout, max_steps=max_steps,
        share_embeddings=s.share_embeddings, tie_output=s.tie_output, name=name)


def make_optimizer(settings: TransformerSettings, steps_per_epoch: int):
    """Adam with the run's schedule: the paper's (noam), its warm-up and peak then a cosine to 0, or constant."""
    from ...nn.schedules import TransformerSchedule, WarmupCosineSchedule
    from ...runtime import tf_keras

    _, keras = tf_keras()
    s = settings
    average = {"use_ema": True, "ema_momentum": s.ema} if s.ema else {}
    if s.lr_schedule == "constant":  # the course lab: torch.optim.Adam(lr=1e-3), default betas
        return keras.optimizers.Adam(s.lr, **average)
    schedule = TransformerSchedule(s.d_model, s.warmup_steps, s.lr_scale)
    if s.lr_schedule == "cosine":  # the paper's peak (at the end of warm-up), then annealed to 0
        schedule = WarmupCosineSchedule(float(schedule(s.warmup_steps - 1)), s.warmup_steps,
                                        max(s.warmup_steps + 1, steps_per_epoch * s.epochs))
    return keras.optimizers.Adam(schedule, beta_1=0.9, beta_2=0.98, epsilon=1e-9, **average)


def compile_model(model, settings: TransformerSettings, steps_per_epoch: int):
    """Compile ``model`` with the run's optimizer, masked (label-smoothed) loss and masked accuracy.

    Returns:
        ``(optimizer, loss)``, which a hand-written loop (``train_pairs``) uses as ``fit`` would.
    """
    from ...nn.masked_losses import MaskedSparseCrossentropy, masked_accuracy
    from ...train.fit import SHORT_STEPS_PER_CALL

    optimizer = make_optimizer(settings, steps_per_epoch)
    loss = MaskedSparseCrossentropy(settings.label_smoothing)
    model.compile(optimizer=optimizer, loss=loss, metrics=[masked_accuracy], jit_compile=settings.jit_compile,
                  steps_per_execution=SHORT_STEPS_PER_CALL)
    return optimizer, loss


def array_batches(source: np.ndarray, target: np.ndarray, batch_size: int, epochs: int, seed: int, bucket: bool):
    """``model.fit``'s inputs for teacher forcing on padded arrays: ``(inputs, targets, batch_size, steps_per_epoch)``.

    With ``bucket`` a ``tf.data`` stream of length-bucketed batches (``train.sequences.bucketed_pairs``;
    ``targets`` and ``batch_size`` are None), else the arrays, shuffled by ``fit``.
    """
    if bucket:
        from ...train.sequences import bucketed_pairs

        stream, steps_per_epoch = bucketed_pairs(source, target, batch_size, epochs, seed)
        return stream, None, None, steps_per_epoch
    steps_per_epoch = int(np.ceil(len(source) / batch_size))
    return [source, target[:, :-1]], target[:, 1:], batch_size, steps_per_epoch


def train_clock(limit_s: float):
    """A Keras callback that counts steps and stops training once ``limit_s`` seconds have passed (0 = never)."""
    from ...runtime import tf_keras
    from ...train.callbacks import steps_done

    _, keras = tf_keras()

    class TrainClock(keras.callbacks.Callback):
        # it reads no logs, so Keras may run its batch hook on a worker thread (see train/callbacks.py)
        async_safe = True

        def __init__(self):
            super().__init__()
            self.steps = 0
            self.stopped = False
            self._start = time.perf_counter()
            self._before_epoch = 0
            self._lock = threading.Lock()

        def on_epoch_begin(self, epoch, logs=None):
            self._before_epoch = self.steps

        def on_train_batch_end(self, batch, logs=None):
            done = steps_done(batch, (self.params or {}).get("steps"))
            with self._lock:  # worker threads may finish calls out of order
                self.steps = max(self.steps, self._before_epoch + done)
            if limit_s and time.perf_counter() - self._start > limit_s:
                self.model.stop_training = True
                self.stopped = True

    return TrainClock()


def decode(models, source: np.ndarray, max_target: int, *, beam_width: int, length_penalty: float = 0.0,
           greedy: bool = True) -> dict[str, Any]:
    """Greedy decoding of ``source`` (unless ``greedy`` is False) and, with ``beam_width`` > 1, beam search.

    Returns:
        {"greedy": ids or None, "greedy_s", "beam": ids or None, "beam_s"}; ids (N, L) padded with 0 after </s>.
    """
    from ...nn.decoding import beam_search_decode, greedy_decode
    from ...nn.transformer import make_log_probs_fn

    fn = make_log_probs_fn(models, source)
    out = {"greedy": None, "greedy_s": 0.0, "beam": None, "beam_s": 0.0}
    if greedy:
        start = time.perf_counter()
        out["greedy"] = greedy_decode(fn, len(source), max_target)
        out["greedy_s"] = time.perf_counter() - start
    if beam_width > 1:
        start = time.perf_counter()
        out["beam"] = beam_search_decode(fn, len(source), max_target, beam_width=beam_width,
                                         length_penalty=length_penalty)
        out["beam_s"] = time.perf_counter() - start
    return out


def texts(decoded: dict, vocab, join) -> tuple[list[str], list[str] | None]:
    """``decode``'s greedy and beam ids as lines: tokens of ``vocab`` joined by ``join`` (None for one not run)."""
    lines = {k: None if decoded[k] is None else [join(vocab.decode(row)) for row in decoded[k]] for k in ("greedy", "beam")}
    return lines["greedy"], lines["beam"]


def accuracies(decoded: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Whole-sequence and per-position accuracy; both arrays (N, L) padded with 0 after </s>."""
    dec = np.zeros((len(decoded), max(decoded.shape[1], reference.shape[1])), np.int32)
    ref = np.zeros_like(dec)
    dec[:, : decoded.shape[1]] = decoded
    ref[:, : reference.shape[1]] = reference
    seq = float(np.mean(np.all(dec == ref, axis=1)))
    real = ref != 0
    tok = float(np.sum((dec == ref) & real) / max(int(np.sum(real)), 1))
    return seq, tok


def joint_vocabulary(data, splits: dict[str, tuple], level: str):
    """One vocabulary for sources and targets (source tokens first), for shared embeddings.

    Args:
        data: a loaded pair data set (``extra`` holds ``source_vocab``, ``target_vocab`` and the id arrays).
        splits: split name → (source texts, target texts), e.g. {"train": (x_train, y_train), …}.
        level: "char" or "word" (how a text splits into tokens).
    Returns:
        (vocabulary, {"src_<split>": ids, "tgt_<split>": ids}), each as wide as the data set's own arrays.
    """
    from ...text.vocab import Vocab

    e = data.extra
    joint = Vocab(e["source_vocab"].itos[4:] + e["target_vocab"].itos[4:])
    split = list if level == "char" else (lambda s: s.split(" "))
    arrays = {}
    for name, (xs, ys) in splits.items():
        arrays[f"src_{name}"] = joint.encode_batch([split(str(x)) for x in xs], e[f"src_{name}"].shape[1])
        arrays[f"tgt_{name}"] = joint.encode_batch([split(str(y)) for y in ys], e[f"tgt_{name}"].shape[1],
                                                   bos=True, eos=True)
    return joint, arrays


def matmul_peaks(precision: str, n: int) -> dict[str, float]:
    """GFLOP/s of an n×n ``tf.matmul`` in float32 and, for a mixed-bfloat16 run, in bfloat16 (keyed by precision)."""
    peaks = {"float32": matmul_peak_gflops("float32", n)}
    if precision == "mixed_bfloat16":
        peaks["mixed_bfloat16"] = matmul_peak_gflops("bfloat16", n)
    return peaks


def teacher_forced_hypotheses(model, vocab, batch_size: int = 64) -> Callable[[np.ndarray, np.ndarray], list[str]]:
    """``f(source, target) → lines``: the argmax at every position under the gold prefix, cut at ``</s>``.

    The course's Transformer lab validates this way (its ``valid_bleu``, Day4 Section5); see
    ``nn.decoding.teacher_forced_argmax``. One traced graph serves every epoch.
    """
    import tensorflow as tf

    from ...nn.decoding import teacher_forced_argmax

    ids = tf.TensorSpec((None, None), tf.int32)
    logits = tf.function(lambda s, t: tf.cast(model([s, t], training=False), tf.float32), input_signature=[ids, ids])

    def hypotheses(source: np.ndarray, target: np.ndarray) -> list[str]:
        argmax = teacher_forced_argmax(lambda s, t: logits(s, t).numpy(), source, target, batch_size=batch_size)
        return [" ".join(vocab.decode(row)) for row in argmax]

    return hypotheses


def dev_bleu_after_epoch(writers: dict[str, Callable[[], list[str]]], references: list[str]) -> Callable[[int], dict]:
    """A hook ``f(epoch) → {name: BLEU, …, "dev_s": seconds}``: each writer gives the dev lines, scored on the references.

    Writers are named by the history column they fill: ``dev_bleu`` for greedy decoding (the
    course's seq2seq measure), ``dev_bleu_teacher_forced`` for the course's Transformer measure.
    """
    from ...text.bleu import corpus_bleu

    def after_epoch(epoch: int) -> dict:
        start = time.perf_counter()
        row = {name: round(corpus_bleu(write(), references).score, 2) for name, write in writers.items()}
        return {**row, "dev_s": round(time.perf_counter() - start, 2)}

    return after_epoch


def averaged_after_epoch(score: Callable[[int], dict], score_trained: Callable[[int], dict], model, optimizer):
    """An ``after_epoch`` hook that scores the moving average of the weights, the trained weights' score beside it."""
    from ...train.averaging import averaged_weights

    def after_epoch(epoch: int) -> dict:
        trained = score_trained(epoch)
        with averaged_weights(model, optimizer):
            row = score(epoch)
        return {**row, **{k: v for k, v in trained.items() if k != "dev_s"}, "dev_s": row["dev_s"] + trained["dev_s"]}

    return after_epoch


def fit_arrays(model, batches: tuple, epochs: int, *, callbacks: list, training=None, max_seconds: float = 0.0):
    """``model.fit`` on ``array_batches``'s output for ``epochs``, stopped after ``max_seconds`` (0 = never).

    Args:
        callbacks: Keras callbacks (progress, history); a ``train_clock`` is added.
        training: a context manager factory around the fit (the run's training clock).
    Returns:
        (steps trained, whether the time limit stopped it, seconds of training).
    """
    import contextlib

    inputs, targets, batch_size, steps_per_epoch = batches
    clock = train_clock(max_seconds)
    with (training or contextlib.nullcontext)():
        start = time.perf_counter()
        model.fit(inputs, targets, batch_size=batch_size, epochs=epochs, steps_per_epoch=steps_per_epoch,
                  shuffle=targets is not None, verbose=0, callbacks=list(callbacks) + [clock])
        seconds = time.perf_counter() - start
    return clock.steps, clock.stopped, seconds
