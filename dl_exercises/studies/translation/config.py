"""The translation topic's settings: the Transformer's parameters and budgets, and what a resumed enja run must keep.

Day4 Section5 (Transformer) and Day3 Section5 (seq2seq, whose enja lab shares the
resume rules). ``TRANSFORMER_PARAMS`` and ``TRANSFORMER_BUDGETS`` are ``day4.transformer``'s
declaration, written once here: the exercise registers them, and the speed bench reads
the quick model from ``transformer_params("quick")``. ``TransformerSettings`` is the
frozen part of them that builds and compiles the model. No TensorFlow here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from ...params import at_least, choice, flag, fraction, learning_rate, non_negative, positive, string

# XLA or not (measure, then decide). Quick model (1+1 layers, d_model 64, batch 64, dates), AMD EPYC, 2 cores,
# TF 2.21: `dlx bench speed` trains the model with XLA off, then on, in one process; with nothing else running,
# XLA gave 1.38x the steps/s (earlier runs beside a training job: 1.08x-2.10x). Whole demo runs
# (`dlx run day4.transformer`, 8 steps per call, one after another in one sitting): with XLA 26.3 s and 23.8 s
# (63.9 and 70.4 steps/s, the first steps' compile included), without 26.8 s and 32.1 s (61.2 and 50.7 steps/s).
# The quick budget turns it on (the first call compiles for a few seconds); the accuracy is unchanged (margin
# table). An older measurement on a machine loaded 11-15 deep (ratios 0.60-1.87, median 1.0) had kept it off.
# Keras turns jit_compile off under DLX_DETERMINISTIC=1; the steps/s note says what ran.
XLA_NOTE = ("XLA measured 1.38× the steps/s of graph mode for the quick model in dlx bench speed "
            "(2 idle CPU cores, AMD EPYC)")

TRANSFORMER_PARAMS = {
    "epochs": positive(5, "training epochs"),
    "n_train": at_least(10, 40000, "training pairs (enja: at most 50,000)"),
    "n_test": positive(1000, "held-out pairs decoded for the metrics (enja: at most 500)"),
    "num_layers": positive(2, "encoder and decoder layers (the paper: 6)"),
    "d_model": at_least(2, 64, "model width (the paper: 512)"),
    "num_heads": positive(4, "attention heads (the paper: 8)"),
    "head_dim": non_negative(0, "d_k = d_v of each head (0 = d_model / num_heads; the course lab: 32 with 6 heads)"),
    "d_ff": positive(128, "FFN inner width (the paper: 2048)"),
    "dropout": fraction(0.0, "dropout rate (the paper: 0.1; 0 on dates, whose fresh data needs no regularizer)", upper=0.9),
    "batch_size": positive(64, "pairs per step"),
    "warmup_steps": positive(400, "linear warm-up steps of the paper's schedule (the paper: 4000)"),
    "lr_schedule": choice("noam", ("noam", "cosine", "constant"),
                          "noam: the paper's warm-up then step^-0.5; cosine: the same warm-up and peak, then a cosine "
                          "decay to 0 at the last step; constant: Adam at lr with its default betas (the course lab)"),
    "lr_scale": positive(1.0, "multiplies the paper's learning-rate schedule"),
    "lr": learning_rate(1e-3, "the constant schedule's learning rate (the course lab: 1e-3)"),
    "label_smoothing": fraction(0.0, "label smoothing ε (the paper: 0.1)", upper=0.5),
    "beam_width": positive(4, "beam width for beam-search decoding (1 = greedy only)"),
    "share_embeddings": flag(False, "one embedding table for source and target (as the course's example 5.1)"),
    "tie_output": flag(False, "the output projection is the target embedding table (the course lab)"),
    "ema": fraction(0.0, "enja: momentum of a moving average of the weights, which the dev and test scores use "
                         "(0 = the trained weights)", upper=0.99999),
    # bucket: one epoch of the old recipe on dates reached sequence accuracy 0.564 with length buckets against
    # 0.928 without (a bucket holds few date formats, so each batch's gradient sees few), for 1.2x the steps/s.
    "bucket": flag(False, "batches of similar source length, trimmed to their longest (less padding; on dates it learned slower)"),
    "jit_compile": flag(False, "compile the training step with XLA"),
    # for enja (of these the dates path uses precision, length_penalty and max_train_minutes only):
    "max_tokens": at_least(32, 4096, "enja: padded tokens per batch (length-bucketed batches, replaces batch_size)"),
    # dates (the quick model, d_model 64): mixed bfloat16 gave no gain on an AVX512-BF16 EPYC without AMX, beside a
    # training job: 34.8 / 39.6 steps/s against float32's 35.3 / 50.7, and with XLA 37.1 / 22.2; quick stays float32.
    "precision": choice("float32", ("auto", "float32", "mixed_bfloat16"),
                        "auto = mixed bfloat16 where the CPU/GPU computes it natively, else float32"),
    "min_count": positive(1, "enja: training words seen fewer times become <unk>"),
    "length_penalty": non_negative(0.0, "beam search divides log-probabilities by length**this"),
    "peak_n": positive(2048, "enja: matrix size of the matmul peak measured in the same run"),
    "max_train_minutes": non_negative(0.0, "stop training after this many minutes (0 = run every epoch)"),
    "data_dir": string("", "enja only: directory holding train/dev/test .en/.ja (default: cache or $DLX_DATA_DIR)"),
}

TRANSFORMER_BUDGETS = {
    "smoke": {"epochs": 1, "n_train": 256, "n_test": 32, "d_model": 16, "num_heads": 2, "d_ff": 32,
              "num_layers": 1, "batch_size": 64, "beam_width": 2, "max_tokens": 512, "peak_n": 256},
    # quick: one encoder and one decoder layer, 2 epochs, the paper's warm-up (100 steps, peak 6.25e-3) then a
    # cosine decay to 0. Measured on dates, sequence accuracy at seeds 0 / 1 / 2 (2 CPU cores shared with other jobs):
    #   2+2 layers, 5 epochs, the paper's schedule (the old recipe): 0.977 at seed 0 on an AMX Xeon
    #   2+2 layers, 2 epochs, paper's schedule: 0.978; 3 epochs with lr_scale 2: 0.956
    #   1+1 layers, 3 epochs, paper's schedule: 0.999 / 0.975 / 0.988 (the step^-0.5 tail never anneals)
    #   1+1 layers, 2 epochs, cosine, warm-up 400: 1.0 / 0.989 / 0.999
    #   1+1 layers, 2 epochs, cosine, warm-up 100 at half scale (same peak): 1.0 / 1.0 / 1.0
    "quick": {"num_layers": 1, "epochs": 2, "lr_schedule": "cosine", "warmup_steps": 100, "lr_scale": 0.5,
              "jit_compile": True},
    # full: the course's Transformer lab on small_parallel_enja (d_model 128, FFN 256, 3 + 3 layers, 6 heads of
    # d_k = d_v = 32, dropout 0.1, target embedding tied to the output projection, 15 epochs). 896-token batches
    # give 755 updates per epoch, about the course's 782 batches of 64 sentences. Measured (AMD EPYC, AVX-512
    # with bfloat16, 2 cores):
    #   the course's own settings (Adam 1e-3 constant, no label smoothing): teacher-forced dev BLEU 36.02 after
    #   epoch 15 (best 37.0; the course 35.90), greedy dev 26.12; test BLEU greedy 27.42, beam 4: 28.38 with
    #   BP 0.840 (its hypotheses too short), 29.72 / 30.17 / 30.00 / 30.22 with length penalty 0.6 / 1.0 / 1.5 / 2.0
    #   (dev beam 28.05 / 28.59 / 29.11 / 29.06: 1.5 is the dev's choice); 83 s per epoch, 22 min in all.
    #   the paper's schedule (warm-up 1,000) and label smoothing 0.1 on 4 heads of 32, untied: teacher-forced dev
    #   BLEU 39.56, test beam 29.98 (BP 0.855) without length penalty (the run).
    #   mixed bfloat16: 15.0 s per 10,000-pair epoch against 10.8 s in float32 (the casts cost more than the
    #   small matmuls gain); XLA: the first epoch unfinished after 220 s against 19 s (each batch shape compiles).
    # So: the paper's schedule and label smoothing, a moving average of the weights (0.999, about the last 1,000
    # updates) for the scores, float32. That recipe with length penalty 1.5: teacher-forced dev BLEU 39.0 (the
    # trained weights' 37.26 beside the average's), greedy dev 29.31, test greedy 27.74, beam 30.16; 22 min.
    # Its weights decoded again (--resume), dev beam BLEU by length penalty / width: 0.6 / 4: 31.48, 1.0 / 4:
    # 32.55, 1.5 / 4: 32.48, 2.0 / 4: 31.40, 1.0 / 8: 32.74, 1.5 / 8: 32.04. Label smoothing moved the dev's
    # choice from 1.5 to 1.0; width 8 adds 0.19 for twice the decoding, so width 4, length penalty 1.0.
    "full": {"epochs": 15, "n_train": 50000, "n_test": 500, "num_layers": 3, "d_model": 128, "num_heads": 6,
             "head_dim": 32, "d_ff": 256, "dropout": 0.1, "tie_output": True, "warmup_steps": 1000,
             "label_smoothing": 0.1, "max_tokens": 896, "ema": 0.999, "length_penalty": 1.0},
}


def transformer_params(budget: str) -> dict[str, Any]:
    """``day4.transformer``'s parameters at ``budget`` (defaults, then the budget's settings)."""
    values = {key: p.default for key, p in TRANSFORMER_PARAMS.items()}
    values.update(TRANSFORMER_BUDGETS.get(budget, {}))
    return values


@dataclass(frozen=True)
class TransformerSettings:
    """What builds, compiles and trains the Transformer: the same for dates and enja, the exercise and the bench."""

    num_layers: int
    d_model: int
    num_heads: int
    head_dim: int
    d_ff: int
    dropout: float
    share_embeddings: bool
    tie_output: bool
    lr_schedule: str
    warmup_steps: int
    lr_scale: float
    lr: float
    ema: float
    label_smoothing: float
    jit_compile: bool
    epochs: int

    @classmethod
    def from_params(cls, p: Mapping[str, Any]) -> "TransformerSettings":
        return cls(**{f.name: p[f.name] for f in fields(cls)})


def enja_load_kwargs(p: Mapping[str, Any]) -> dict[str, Any]:
    """``load_data("enja", …)``'s arguments: the run's ``n_train``, ``n_test``, ``min_count`` and (if set) ``data_dir``."""
    kwargs = {"n_train": p["n_train"], "n_test": p["n_test"], "min_count": p["min_count"]}
    if p["data_dir"]:
        kwargs["data_dir"] = p["data_dir"]
    return kwargs


# What a resumed run may change: where the data lives, when to stop, and how the test split is decoded
# (so a finished run can be decoded again with another beam: ``--resume DIR --set length_penalty=0.6``).
FREE_ON_RESUME = ("max_train_minutes", "data_dir", "beam_width", "length_penalty")


def run_settings(p: Mapping[str, Any], seed: int, budget: str) -> dict:
    """The settings a resumed run must share with the checkpoint (all but ``FREE_ON_RESUME``)."""
    return {**{k: v for k, v in p.items() if k not in FREE_ON_RESUME}, "seed": seed, "budget": budget, "dataset": "enja"}
