"""What the enja runs of ``day3.seq2seq`` and ``day4.transformer`` share (Day3 Section6, Day4 Section5).

Both train on small_parallel_enja through ``train.sequences.train_pairs`` and
report the same things: dev BLEU after every epoch (greedy, into the history),
the speed of the run against a matrix-multiply peak measured in the same run,
the projected time of the whole budget, and a curve of loss and dev BLEU.

- ``load_enja``: the corpus with the run's sizes, ``min_count`` and ``data_dir``; ``run_settings``: what a checkpoint must match.
- ``matmul_peaks``: the float32 peak, and the bfloat16 one when the run computes in mixed bfloat16.
- ``dev_bleu_after_epoch``: the ``after_epoch`` hook of ``train_pairs``.
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


def run_settings(ctx, p: dict) -> dict:
    """The settings a resumed run must share with the checkpoint (all but the time limit and the data folder)."""
    return {**{k: v for k, v in p.items() if k not in ("max_train_minutes", "data_dir")},
            "seed": ctx.seed, "budget": ctx.budget, "dataset": "enja"}


def matmul_peaks(precision: str, n: int) -> dict[str, float]:
    """GFLOP/s of an n×n ``tf.matmul`` in float32 and, for a mixed-bfloat16 run, in bfloat16 (keyed by precision)."""
    peaks = {"float32": matmul_peak_gflops("float32", n)}
    if precision == "mixed_bfloat16":
        peaks["mixed_bfloat16"] = matmul_peak_gflops("bfloat16", n)
    return peaks


def dev_bleu_after_epoch(decode: Callable[[], list[str]], references: list[str]) -> Callable[[int], dict]:
    """A hook ``f(epoch) → {"dev_bleu", "dev_s"}`` that decodes the dev lines with ``decode()`` and scores them."""
    from ..text.bleu import corpus_bleu

    def after_epoch(epoch: int) -> dict:
        start = time.perf_counter()
        hyps = decode()
        return {"dev_bleu": round(corpus_bleu(hyps, references).score, 2), "dev_s": round(time.perf_counter() - start, 2)}

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
    dev = [r["dev_bleu"] for r in report.history]
    if dev:
        ctx.metric("dev_bleu", dev[-1], note=f"greedy, first {n_dev} dev lines, after epoch {len(dev)}; per epoch: "
                   + " ".join(f"{b:g}" for b in dev))


def bleu_curve(ctx, history: list[dict], title: str) -> None:
    """Training loss and dev BLEU per epoch as ``bleu_curve.png`` (with ``--out``)."""
    if ctx.out is None or not history:
        return
    plt = ctx.pyplot()
    epochs = [r["epoch"] for r in history]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(epochs, [r["loss"] for r in history], "o-", color="tab:blue")
    ax.set(xlabel="epoch", ylabel="training loss (per target token)", title=title)
    other = ax.twinx()
    other.plot(epochs, [r["dev_bleu"] for r in history], "s-", color="tab:red")
    other.set_ylabel("dev BLEU (greedy)", color="tab:red")
    ctx.save_figure(fig, "bleu_curve.png")
