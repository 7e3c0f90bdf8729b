"""What the enja runs of ``day3.seq2seq`` and ``day4.transformer`` share (Day3 Section6, Day4 Section5).

Both train on small_parallel_enja through ``train.sequences.train_pairs`` and
report the same things: dev BLEU after every epoch (greedy, into the history),
the speed of the run against a matrix-multiply peak measured in the same run,
the projected time of the whole budget, and a curve of loss and dev BLEU.

- ``load_enja``: the corpus with the run's sizes, ``min_count`` and ``data_dir``; ``run_settings``: what a checkpoint must match.
- ``matmul_peaks``: the float32 peak, and the bfloat16 one when the run computes in mixed bfloat16.
- ``teacher_forced_hypotheses`` / ``greedy_hypotheses``: dev lines as the course's Transformer lab scores them
  (argmax under the gold prefix) and as a decoder writes them.
- ``dev_bleu_after_epoch``: the ``after_epoch`` hook of ``train_pairs``: BLEU of each named way of writing the dev lines.
- ``report_training``: notes on resume / time limit, s/epoch, tokens/s, share of peak, projected minutes, dev BLEU.
- ``bleu_curve``: ``bleu_curve.png``.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from .speed import matmul_peak_gflops, rate


def load_enja(ctx, p: dict):
    """small_parallel_enja with the run's ``n_train``, ``n_test``, ``min_count`` and (if set) ``data_dir``."""
    kwargs = {"n_train": p["n_train"], "n_test": p["n_test"], "min_count": p["min_count"]}
    if p["data_dir"]:
        kwargs["data_dir"] = p["data_dir"]
    return ctx.load_data("enja", **kwargs)


# What a resumed run may change: where the data lives, when to stop, and how the test split is decoded
# (so a finished run can be decoded again with another beam: ``--resume DIR --set length_penalty=0.6``).
FREE_ON_RESUME = ("max_train_minutes", "data_dir", "beam_width", "length_penalty")


def run_settings(ctx, p: dict) -> dict:
    """The settings a resumed run must share with the checkpoint (all but ``FREE_ON_RESUME``)."""
    return {**{k: v for k, v in p.items() if k not in FREE_ON_RESUME},
            "seed": ctx.seed, "budget": ctx.budget, "dataset": "enja"}


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

    from ..nn.decoding import teacher_forced_argmax

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
    from ..text.bleu import corpus_bleu

    def after_epoch(epoch: int) -> dict:
        start = time.perf_counter()
        row = {name: round(corpus_bleu(write(), references).score, 2) for name, write in writers.items()}
        return {**row, "dev_s": round(time.perf_counter() - start, 2)}

    return after_epoch


def report_training(ctx, report, *, flops_per_epoch: float, peaks: dict[str, float], precision: str, p: dict,
                    steps_per_epoch: int, n_dev: int) -> None:
    """Record what a ``train_pairs`` run did: how it ended, its speed as a share of the peak, dev BLEU per epoch."""
    if report.resumed_from:
        ctx.note(f"resumed from epoch {report.resumed_from[0]}, step {report.resumed_from[1]} of {steps_per_epoch}")
    if report.stopped_by_time:
        ctx.note(f"training stopped by max_train_minutes={p['max_train_minutes']:g} at the end of epoch "
                 f"{report.epochs_done} of {p['epochs']} (checkpoint.npz with --out: --resume continues it)")
    if report.epoch_seconds:
        per_epoch = ctx.metric("seconds_per_epoch", round(report.seconds_per_epoch, 1), "s",
                               note=f"median epoch after the first of {len(report.epoch_seconds)} timed; "
                                    f"{steps_per_epoch} steps of ≤ {p['max_tokens']} padded tokens; {precision}")
        ctx.metric("train_tokens_per_s", rate(report.tokens_per_s), "tokens/s", note="target tokens scored per second")
        achieved = flops_per_epoch / report.seconds_per_epoch / 1e9
        ctx.metric("achieved_gflops", rate(achieved), "GFLOP/s",
                   note="3 × 2 × forward multiply-adds of the real (unpadded) tokens per epoch / s per epoch")
        for name, peak in peaks.items():
            ctx.metric(f"matmul_peak_{'bfloat16' if name != 'float32' else name}_gflops", rate(peak), "GFLOP/s",
                       note=f"{p['peak_n']}² tf.matmul measured in this run")
        ctx.metric("share_of_peak", round(achieved / peaks[precision], 3),
                   note=f"achieved GFLOP/s over the {precision} matmul peak of this run; precision that ran: {precision}")
        dev_s = float(np.median([r["dev_s"] for r in report.history])) if report.history else 0.0
        ctx.metric("projected_training_minutes", round((per_epoch + dev_s) * p["epochs"] / 60.0, 1), "min",
                   note=f"(s/epoch + {dev_s:.1f} s of dev decoding) × {p['epochs']} epochs of this run's budget")
    described = {"dev_bleu_teacher_forced": "teacher forced: the argmax at each position under the gold prefix "
                                           "(the course's Transformer measure)",
                 "dev_bleu": "greedy decoding (the course's seq2seq measure)"}
    for name, what in described.items():
        dev = [r[name] for r in report.history if name in r]
        if dev:
            ctx.metric(name, dev[-1], note=f"{what}; {n_dev} dev lines after epoch {report.epochs_done}, best "
                       f"{max(dev):g}; per epoch: " + " ".join(f"{b:g}" for b in dev))


def bleu_curve(ctx, history: list[dict], title: str) -> None:
    """Training loss and dev BLEU per epoch as ``bleu_curve.png`` (with ``--out``)."""
    if not ctx.wants_figures or not history:
        return
    plt = ctx.pyplot()
    epochs = [r["epoch"] for r in history]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(epochs, [r["loss"] for r in history], "o-", color="tab:blue")
    ax.set(xlabel="epoch", ylabel="training loss (per target token)", title=title)
    other = ax.twinx()
    if any("dev_bleu_teacher_forced" in r for r in history):
        other.plot(epochs, [r.get("dev_bleu_teacher_forced") for r in history], "^--", color="tab:orange",
                   label="teacher forced")
    other.plot(epochs, [r["dev_bleu"] for r in history], "s-", color="tab:red", label="greedy decoding")
    for name, figure in ctx.spec.course.items():  # the course's figure, as a line beside the curve it matches
        if name in ("dev_bleu", "dev_bleu_teacher_forced") and isinstance(figure.value, (int, float)):
            other.axhline(figure.value, color="tab:orange" if name.endswith("forced") else "tab:red", linestyle=":",
                          linewidth=1, label=f"course {figure.value:g} ({'teacher forced' if name.endswith('forced') else 'greedy'})")
    other.set_ylabel("dev BLEU", color="tab:red")
    other.legend(loc="lower right", fontsize=8)
    ctx.save_figure(fig, "bleu_curve.png")
