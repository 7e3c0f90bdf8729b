"""Day 4 model compression: quantization, distillation, pruning.

Day4 Section3 (軽量化・高速化技術: 量子化, 蒸留, プルーニング). The runs live in
``dl_exercises.studies.compression`` (shared with ``bench.compression``; parameters and
budgets in its ``config``), the Keras pieces in ``nn.compression``, the number formats in
``scratch.quantization``. TensorFlow is imported inside the runs only.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.compression import config

_HINTON = ("Hinton, Vinyals & Dean 2015, §3: full MNIST, teacher 2×1200 with dropout and jitter (67 errors), "
           "student 2×800 (146 errors from scratch, 74 distilled at T = 20)")


@exercise(
    "day4.quantization",
    title="Quantization: float32 → float16 / int8 (Keras quantize, TFLite), and the course's 1-bit weight",
    title_ja="量子化",
    section="Day4 Section3",
    data=config.DATA,
    tags=("keras", "tflite", "compression"),
    params=config.quantization_params(),
    budgets=config.QUANTIZATION_BUDGETS,
    targets={"quick": {"int8_accuracy_drop": "<= 0.01"}, "full": {"int8_accuracy_drop": "<= 0.01"}},
)
def quantization(ctx):
    """What each precision keeps of a = 0.1, then a trained CNN and MLP in every format: size, accuracy, latency (Day4 Section3)."""
    from ..studies.compression.report import run_quantization

    run_quantization(ctx)


@exercise(
    "day4.distillation",
    title="Distillation: a large teacher, a small student from scratch and the same student distilled at several temperatures",
    title_ja="蒸留",
    section="Day4 Section3",
    data=config.DATA,
    tags=("keras", "compression"),
    params=config.distillation_params(),
    budgets=config.DISTILLATION_BUDGETS,
    targets={"quick": {"teacher_minus_distilled": "<= 0.01", "distilled_minus_scratch": ">= 0"},
             "full": {"teacher_minus_distilled": "<= 0.01", "distilled_minus_scratch": ">= 0"}},
    references={k: (v, _HINTON) for k, v in (("teacher_accuracy", 0.9933), ("scratch_accuracy", 0.9854),
                                             ("distilled_accuracy", 0.9926), ("teacher_minus_distilled", 0.0007),
                                             ("distilled_minus_scratch", 0.0072))},
)
def distillation(ctx):
    """A large MLP teacher, a small MLP from scratch, the same MLP distilled at several T: accuracy and cost (Day4 Section3)."""
    from ..studies.compression.report import run_distillation

    run_distillation(ctx)


@exercise(
    "day4.pruning",
    title="Pruning: magnitude pruning 0–95 % by hand, masks held by a callback while fine-tuning",
    title_ja="プルーニング",
    section="Day4 Section3",
    data=config.DATA,
    tags=("keras", "compression"),
    params=config.pruning_params(),
    budgets=config.PRUNING_BUDGETS,
    targets={"quick": {"accuracy_drop": "<= 0.01"}, "full": {"accuracy_drop": "<= 0.01"}},
)
def pruning(ctx):
    """Prune the trained CNN's smallest weights (0–95 %), gradually (one-shot beside it at the target); nonzeros, zip size, accuracy (Day4 Section3)."""
    from ..studies.compression.report import run_pruning

    run_pruning(ctx)
