"""Batches of sequence pairs bucketed by length, each trimmed to its longest member (Day3–Day4 seq2seq, Transformer).

A padded corpus spends most of its compute on padding when lengths vary: the
dates' sources average 14 characters in a 30-wide array. Batches drawn from
one length bucket (``batches.length_buckets``) and cut to their own longest
sequence keep the padding small; the model's inputs have no fixed length,
so one traced training step serves every bucket.
"""

from __future__ import annotations

import numpy as np

from ..progress import NullReporter
from ..runtime import check_finite
from .batches import length_buckets
from .loop import LoopCallbacks, Silent


def bucketed_pairs(source: np.ndarray, target: np.ndarray, batch_size: int, epochs: int, seed: int, pad_id: int = 0):
    """A ``tf.data`` stream of ``((source, target_in), target_out)`` for ``epochs`` passes, and its steps per epoch.

    Args:
        source: int (N, S) zero-padded sources; target: int (N, T) ``<s> … </s>`` zero-padded targets.
    Returns:
        ``(dataset, steps_per_epoch)``; each batch's source is trimmed to its longest source and its
        target to its longest target (teacher forcing: ``target_in = target[:, :-1]``, ``target_out = target[:, 1:]``).
    """
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    src_len = (source != pad_id).sum(axis=1)
    tgt_len = (target != pad_id).sum(axis=1)
    batches = length_buckets(src_len, batch_size, epochs, seed)
    steps_per_epoch = len(batches) // epochs
    src_t, tgt_t = tf.constant(source), tf.constant(target)
    src_l, tgt_l = tf.constant(src_len.astype(np.int32)), tf.constant(tgt_len.astype(np.int32))

    def gather(idx):
        s_max = tf.reduce_max(tf.gather(src_l, idx))
        t_max = tf.reduce_max(tf.gather(tgt_l, idx))
        src = tf.gather(src_t, idx)[:, :s_max]
        tgt = tf.gather(tgt_t, idx)[:, :t_max]
        return (src, tgt[:, :-1]), tgt[:, 1:]

    index = tf.ragged.constant([b.astype(np.int32) for b in batches])
    dataset = tf.data.Dataset.from_tensor_slices(index).map(gather).prefetch(4)
    return dataset, steps_per_epoch


def token_batches(src_len: np.ndarray, tgt_len: np.ndarray, max_tokens: int, seed: int, epoch: int) -> list[np.ndarray]:
    """One epoch of batches holding at most ``max_tokens`` padded tokens each, the same for the same (seed, epoch).

    Pairs are sorted by source then target length (ties in a random order drawn from
    ``(seed, epoch)``) and cut greedily so that ``rows × max(longest source, longest target)``
    stays within ``max_tokens``; the batch order is then shuffled. The sorted lengths are the
    same every epoch, so every epoch has the same number of batches and the same shapes, and
    a resumed run can regenerate any epoch exactly.

    Args:
        src_len, tgt_len: (N,) real lengths (targets with ``<s>`` and ``</s>``).
        max_tokens: padded-token budget per batch (at least the longest pair).
        seed, epoch: what the order is drawn from.

    Returns:
        A list of index arrays covering every pair once.
    """
    src_len, tgt_len = np.asarray(src_len), np.asarray(tgt_len)
    longest = int(max(src_len.max(), tgt_len.max()))
    if max_tokens < longest:
        raise ValueError(f"max_tokens must hold the longest pair ({longest} tokens). Received: max_tokens={max_tokens}")
    rng = np.random.default_rng([seed, epoch])
    order = np.lexsort((rng.random(len(src_len)), tgt_len, src_len))
    width = np.maximum(src_len, tgt_len)[order]
    batches, start, widest = [], 0, 0
    for i, w in enumerate(width):
        widest_with = max(widest, int(w))
        if widest_with * (i - start + 1) > max_tokens:
            batches.append(order[start:i])
            start, widest_with = i, int(w)
        widest = widest_with
    batches.append(order[start:])
    return [batches[j] for j in rng.permutation(len(batches))]


class PairTraining:
    """What ``train_pairs`` did: epochs, steps, time per epoch, throughput, and why it stopped.

    Attributes:
        epochs_done: completed epochs (those of an earlier run resumed from included).
        steps: optimizer steps in all.
        epoch_seconds: wall seconds of each epoch run in this process (a resumed partial epoch is left out).
        epoch_tokens: target tokens of each of those epochs.
        stopped_by_time: ``max_seconds`` stopped the run at an epoch boundary.
        resumed_from: (epoch, step in epoch) the run continued from, or None.
        losses: mean training loss per completed epoch.
    """

    def __init__(self) -> None:
        self.epochs_done = 0
        self.steps = 0
        self.epoch_seconds: list[float] = []
        self.epoch_tokens: list[int] = []
        self.stopped_by_time = False
        self.resumed_from: tuple[int, int] | None = None
        self.losses: list[float] = []
        self.history: list[dict] = []

    @property
    def seconds_per_epoch(self) -> float:
        """dlx's s/epoch: the median epoch after the first timed one (the first traces the step)."""
        times = self.epoch_seconds[1:] if len(self.epoch_seconds) > 1 else self.epoch_seconds
        return float(np.median(times)) if times else float("nan")

    @property
    def tokens_per_s(self) -> float:
        """Target tokens per second over the same epochs as ``seconds_per_epoch``."""
        if not self.epoch_seconds:
            return float("nan")
        sl = slice(1, None) if len(self.epoch_seconds) > 1 else slice(None)
        return float(np.sum(self.epoch_tokens[sl]) / np.sum(self.epoch_seconds[sl]))


def make_train_step(model, loss_fn, optimizer, jit_compile: bool = False):
    """One ``tf.function`` training step on ``(source, target)`` id batches of any shape (traced once).

    Teacher forcing: the model reads ``target[:, :-1]`` and is scored on ``target[:, 1:]``.
    Returns the step's mean loss per target token.
    """
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    ids = tf.TensorSpec((None, None), tf.int32)

    @tf.function(input_signature=[ids, ids], jit_compile=jit_compile)
    def step(source, target):
        with tf.GradientTape() as tape:
            loss = loss_fn(target[:, 1:], model([source, target[:, :-1]], training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}h{rest // 60:02d}m" if h else f"{rest // 60}m{rest % 60:02d}s"


def _epoch_logs(row: dict) -> dict:
    """A history row without its ``run`` and ``epoch``: what ``on_epoch_end`` is told."""
    return {k: v for k, v in row.items() if k not in ("run", "epoch")}


def train_pairs(model, loss_fn, optimizer, source: np.ndarray, target: np.ndarray, *, seed: int, epochs: int,
                max_tokens: int, label: str, settings: dict, callbacks: LoopCallbacks | None = None, reporter=None,
                checkpoint_path=None, resume_path=None, max_seconds: float = 0.0, after_epoch=None,
                jit_compile: bool = False, stop_after_steps: int = 0, pad_id: int = 0) -> PairTraining:
    """Train a ``[source, target_in] → logits`` model epoch by epoch: resumable, interruptible, time-limited.

    Each epoch's batches are ``token_batches(…, seed, epoch)`` trimmed to their longest pair.
    After every epoch ``after_epoch(epoch)`` (1-based) may return metrics (dev BLEU) for the
    history row, ``callbacks.on_epoch_end`` gets the row, then the checkpoint is written; a
    resumed run first replays its saved rows to ``callbacks``. Ctrl-C writes a checkpoint at the step reached and
    re-raises; ``max_seconds`` stops at the first epoch boundary after which the next epoch would end
    past it, and ``callbacks.should_stop()`` at the first epoch boundary. The step progress bar
    shows epoch, step, loss, target tokens/s and the ETA.

    Args:
        model, loss_fn, optimizer: a built model, a loss ``(y_true, logits)``, a Keras optimizer.
        source, target: int (N, S) and (N, T) zero-padded ids, targets ``<s> … </s>``.
        epochs: epochs in all (a resumed run continues up to it).
        max_tokens: padded-token budget of a batch.
        seed: the seed of the batch order.
        label: the step progress bar's label and the history rows' ``run``.
        settings: what must be equal for ``resume_path`` to be continued (stored in the checkpoint).
        checkpoint_path: where to write ``checkpoint.npz`` (None: no checkpoints).
        resume_path: a checkpoint to continue from.
        callbacks: ``train.loop.LoopCallbacks``, told each epoch's row (``loss``, ``epoch_s``, ``tokens_per_s``
            and what ``after_epoch`` returned).
        reporter: ``task(label, total)`` for the per-step progress bar (none by default).
        max_seconds: 0 = no limit.
        after_epoch: optional ``f(epoch) -> dict``.
        jit_compile: XLA for the step.
        stop_after_steps: raise KeyboardInterrupt after this many steps of this process (tests simulate Ctrl-C).

    Returns:
        ``PairTraining``.
    """
    import signal
    import threading
    import time

    from . import checkpoint as ckpt

    src_len = (source != pad_id).sum(axis=1)
    tgt_len = (target != pad_id).sum(axis=1)
    callbacks = callbacks or Silent()
    steps_per_epoch = len(token_batches(src_len, tgt_len, max_tokens, seed, 0))
    optimizer.build(model.trainable_variables)
    report = PairTraining()
    start_epoch, start_step, partial = 0, 0, {"loss_sum": 0.0, "tokens": 0}
    history: list[dict] = []
    if resume_path is not None:
        meta = ckpt.read_meta(resume_path)
        ckpt.check_same_settings(meta, settings, resume_path)
        ckpt.restore(resume_path, model, optimizer)
        start_epoch, start_step, partial = meta["epoch"], meta["step"], meta["partial"]
        history = list(meta["history"])
        report.losses = list(meta["losses"])
        report.resumed_from = (start_epoch, start_step)
        for row in history:
            callbacks.on_epoch_end(row["epoch"] - 1, _epoch_logs(row))
    step_fn = make_train_step(model, loss_fn, optimizer, jit_compile)
    total = epochs * steps_per_epoch
    task = (reporter or NullReporter()).task(label, total=total)
    task.advance(start_epoch * steps_per_epoch + start_step)
    state = {"epoch": start_epoch, "epoch_start_iter": int(optimizer.iterations.numpy()) - start_step}

    def save(epoch, step, part):
        if checkpoint_path is not None:
            ckpt.save(checkpoint_path, model, optimizer, {
                "epoch": epoch, "step": step, "steps_per_epoch": steps_per_epoch, "partial": part,
                "history": history, "losses": report.losses, "settings": settings})

    # Ctrl-C during a step only raises a flag, read after the step: the checkpoint then holds exactly the
    # steps applied (a second Ctrl-C interrupts at once). Signal handlers exist only in the main thread.
    interrupted = {"hit": False}

    def on_sigint(signum, frame):
        if interrupted["hit"]:
            raise KeyboardInterrupt
        interrupted["hit"] = True

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if main_thread else None
    began = time.perf_counter()
    done_here = 0
    tokens_seen, busy = 0, 0.0
    try:
        for epoch in range(start_epoch, epochs):
            state["epoch"] = epoch
            batches = token_batches(src_len, tgt_len, max_tokens, seed, epoch)
            first = start_step if epoch == start_epoch else 0
            if epoch != start_epoch:
                partial = {"loss_sum": 0.0, "tokens": 0}
            state["epoch_start_iter"] = int(optimizer.iterations.numpy()) - first
            state["partial"] = partial
            epoch_began, epoch_tokens = time.perf_counter(), 0
            for i in range(first, steps_per_epoch):
                idx = batches[i]
                s = source[idx][:, : int(src_len[idx].max())]
                t = target[idx][:, : int(tgt_len[idx].max())]
                n_tok = int(tgt_len[idx].sum()) - len(idx)  # scored positions: everything after <s>
                t0 = time.perf_counter()
                loss = float(step_fn(s, t))
                busy += time.perf_counter() - t0
                check_finite(loss, f"in {label} at epoch {epoch + 1}, step {i + 1}")
                partial = {"loss_sum": partial["loss_sum"] + loss * n_tok, "tokens": partial["tokens"] + n_tok}
                state["partial"] = partial
                epoch_tokens += n_tok
                tokens_seen += n_tok
                done_here += 1
                task.advance(1)
                rate = tokens_seen / busy if busy else 0.0
                left = (total - epoch * steps_per_epoch - i - 1) * (busy / done_here)
                task.describe(f"epoch {epoch + 1}/{epochs} step {i + 1}/{steps_per_epoch} loss {loss:.3f} "
                              f"{rate:,.0f} tok/s ETA {_clock(left)}")
                if interrupted["hit"] or (stop_after_steps and done_here >= stop_after_steps):
                    raise KeyboardInterrupt
            seconds = time.perf_counter() - epoch_began
            if first == 0:
                report.epoch_seconds.append(seconds)
                report.epoch_tokens.append(epoch_tokens)
            report.losses.append(partial["loss_sum"] / max(partial["tokens"], 1))
            row = {"run": label, "epoch": epoch + 1, "loss": round(report.losses[-1], 5),
                   "epoch_s": round(seconds, 2), "tokens_per_s": round(epoch_tokens / seconds, 1)}
            if after_epoch is not None:
                row.update(after_epoch(epoch + 1))
            history.append(row)
            callbacks.on_epoch_end(epoch, _epoch_logs(row))
            report.epochs_done = epoch + 1
            state["epoch"] = epoch + 1
            state["epoch_start_iter"] = int(optimizer.iterations.numpy())
            state["partial"] = partial = {"loss_sum": 0.0, "tokens": 0}
            save(epoch + 1, 0, partial)
            if interrupted["hit"]:
                raise KeyboardInterrupt
            elapsed = time.perf_counter() - began
            if max_seconds and epoch + 1 < epochs and elapsed + report.seconds_per_epoch > max_seconds:
                report.stopped_by_time = True
                break
            if callbacks.should_stop():
                break
    except KeyboardInterrupt:
        # the optimizer's step counter says how far the run got, whatever line the interrupt hit
        step = int(optimizer.iterations.numpy()) - state["epoch_start_iter"]
        save(state["epoch"], step, state["partial"])
        task.close()
        raise
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    task.close()
    report.steps = int(optimizer.iterations.numpy())
    report.history = history
    if not report.epochs_done:
        report.epochs_done = start_epoch
    return report
