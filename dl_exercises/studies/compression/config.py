"""What the compression runs can be told (Day4 Section3, 軽量化・高速化技術): settings, parameters, budgets.

Each default is written once, in a frozen dataclass per run (``QuantizationConfig``,
``DistillationConfig``, ``PruningConfig``, ``CompressionBenchConfig``); the ``Param``s read their
defaults from it, and ``from_params`` turns a run's checked parameters back into one, comma lists
parsed (``parse_number_list``, the one parser of ``--set sparsities=0.5,0.8``-style values).
No numpy or TensorFlow here: the registry imports this module to list the exercises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from ..common import settings_from

TFLITE_MODES = ("float32", "float16", "dynamic_int8", "full_int8")
MODE_LABELS = {"float32": "TFLite float32", "float16": "TFLite float16 weights",
               "dynamic_int8": "TFLite dynamic-range int8", "full_int8": "TFLite full int8"}
CNN_FILTERS, CNN_DENSE = (16, 32), 64   # the float32 MNIST CNN every compression run starts from
DATA = ("mnist", "mnist5k")


def parse_number_list(text: str, key: str, *, whole: bool = False, accept: Callable[[float], bool],
                      allowed: str, required: bool = True) -> list:
    """"0.5,0.8" → [0.5, 0.8] in the order given: a ``--set`` value of comma-separated numbers.

    Args:
        whole: whole numbers (``int``) instead of floats.
        accept: the check each number must pass; ``allowed`` says it in words for the error.
        required: an empty list is an error (else it gives ``[]``).
    Raises:
        UsageError (exit 2) naming the value and what is allowed.
    """
    from ...errors import UsageError

    kind = "a whole number" if whole else "a number"
    values = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            value = int(part) if whole else float(part)
        except ValueError:
            raise UsageError(f"--set {key}={text}: {part!r} is not {kind} (allowed: {allowed}, comma-separated)") from None
        if not accept(value):
            raise UsageError(f"--set {key}={text}: {value:g} is out of range (allowed: {allowed}, comma-separated)")
        values.append(value)
    if required and not values:
        raise UsageError(f"--set {key}={text}: give at least one value (allowed: {allowed}, comma-separated)")
    return values


def hidden_widths(text: str, key: str) -> tuple[int, ...]:
    """"800,800" → (800, 800): hidden widths of an MLP, whole numbers ≥ 1."""
    return tuple(parse_number_list(text, key, whole=True, accept=lambda v: v >= 1, allowed="whole numbers >= 1"))


def fractions(text: str, key: str) -> tuple[float, ...]:
    """"0,0.5,0.8" → (0.0, 0.5, 0.8): sparsities in [0, 1), sorted, each once."""
    return tuple(sorted(set(parse_number_list(text, key, accept=lambda v: 0.0 <= v < 1.0, allowed="numbers in [0, 1)"))))


def temperatures(text: str, key: str) -> tuple[float, ...]:
    """"1,4,10" → (1.0, 4.0, 10.0): distillation temperatures > 0, sorted, each once (none is allowed)."""
    return tuple(sorted(set(parse_number_list(text, key, accept=lambda v: v > 0 and math.isfinite(v),
                                              allowed="numbers > 0", required=False))))


def as_text(values) -> str:
    """(0.0, 0.5) → "0,0.5": a tuple default as the comma list a ``--set`` gives."""
    return ",".join(f"{v:g}" for v in values)


# --- day4.quantization -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuantizationConfig:
    """A float32 CNN and MLP trained, then quantized every way (``day4.quantization``)."""

    n_train: int = 4000
    n_test: int = 1000
    cnn_epochs: int = 4
    mlp_epochs: int = 4
    batch_size: int = 64
    lr: float = 1e-3
    calibration: int = 200

    @classmethod
    def from_params(cls, p: dict) -> "QuantizationConfig":
        return settings_from(cls, p)


def quantization_params() -> dict:
    from ...params import Param, data_sizes, learning_rate, positive

    d = QuantizationConfig
    return {
        **data_sizes(d.n_train, d.n_test, min_train=100, min_test=50),
        "cnn_epochs": positive(d.cnn_epochs, "training epochs of the float32 CNN"),
        "mlp_epochs": positive(d.mlp_epochs, "training epochs of the float32 MLP (300-100)"),
        "batch_size": positive(d.batch_size, "mini-batch size"),
        "lr": learning_rate(d.lr, "Adam learning rate"),
        "calibration": Param(int, d.calibration, "representative training images that calibrate full int8", min=1),
    }


QUANTIZATION_BUDGETS = {
    "smoke": {"n_train": 200, "n_test": 50, "cnn_epochs": 1, "mlp_epochs": 1, "calibration": 10},
    # quick: mnist5k (4,000 / 1,000), CNN and MLP 4 epochs each. int8_accuracy_drop (largest float32 − int8 over
    # Keras int8 and TFLite dynamic / full int8 of both models): seeds 0/1/2 and seed 0 with TF_ENABLE_ONEDNN_OPTS=0
    # all 0.000 (CNN float32 0.955/0.953/0.957, full int8 0.956/0.954/0.957). 24-26 s user+sys CPU each; wall
    # 68-108 s measured on a machine shared with other runs (load 8-14), so about 20 s on 2 idle cores.
    "quick": {},
    "full": {"n_train": 60000, "n_test": 10000, "cnn_epochs": 10, "mlp_epochs": 10, "calibration": 500},
}


# --- day4.distillation -------------------------------------------------------------------------


@dataclass(frozen=True)
class DistillationConfig:
    """A large MLP teacher, a small MLP from scratch and distilled at each temperature (``day4.distillation``)."""

    n_train: int = 4000
    n_test: int = 1000
    members: int = 1
    teacher_hidden: tuple[int, ...] = (800, 800)
    teacher_dropout: float = 0.3
    teacher_epochs: int = 20
    teacher_shift: int = 2
    student_hidden: tuple[int, ...] = (256, 256)
    student_epochs: int = 80
    alpha: float = 0.1
    temperature: float = 20.0
    temperatures: tuple[float, ...] = (1.0, 20.0)
    batch_size: int = 64
    student_batch_size: int = 128
    lr: float = 1e-3

    @classmethod
    def from_params(cls, p: dict) -> "DistillationConfig":
        """The settings, comma lists parsed (all checked before any training); ``temperature`` among ``temperatures``."""
        return settings_from(cls, p, temperatures=tuple(sorted(set(temperatures(p["temperatures"], "temperatures"))
                                                               | {p["temperature"]})),
                             student_hidden=hidden_widths(p["student_hidden"], "student_hidden"),
                             teacher_hidden=hidden_widths(p["teacher_hidden"], "teacher_hidden"))


def distillation_params() -> dict:
    from ...params import Param, data_sizes, fraction, learning_rate, positive, string

    d = DistillationConfig
    return {
        **data_sizes(d.n_train, d.n_test, min_train=100, min_test=50),
        "members": Param(int, d.members, "networks in the teacher (more than one: an ensemble of their mean "
                         "log-probabilities)", min=1, max=10),
        "teacher_hidden": string(as_text(d.teacher_hidden), "hidden widths of the teacher MLP (comma-separated)"),
        "teacher_dropout": fraction(d.teacher_dropout, "dropout after each hidden layer of the teacher"),
        "teacher_epochs": positive(d.teacher_epochs, "training epochs of each teacher network"),
        "teacher_shift": Param(int, d.teacher_shift, "pixels the teacher's training images are shifted by, at most",
                               min=0, max=8),
        "student_hidden": string(as_text(d.student_hidden), "hidden widths of the student MLP (comma-separated)"),
        "student_epochs": positive(d.student_epochs, "training epochs of each student"),
        "alpha": fraction(d.alpha, "α: weight of the hard-label cross-entropy (1 − α: the soft term)"),
        "temperature": Param(float, d.temperature, "T of the main distilled student (added to temperatures)", min=0.0,
                             min_inclusive=False),
        "temperatures": string(as_text(d.temperatures), "comma-separated temperatures T > 0 to compare"),
        "batch_size": positive(d.batch_size, "mini-batch size of the teacher"),
        "student_batch_size": positive(d.student_batch_size, "mini-batch size of the students"),
        "lr": learning_rate(d.lr, "Adam learning rate (cosine decay to 0 over each network's training)"),
    }


DISTILLATION_BUDGETS = {
    "smoke": {"n_train": 200, "n_test": 50, "teacher_epochs": 1, "student_epochs": 1, "temperatures": "4",
              "teacher_hidden": "32,32", "student_hidden": "8,8"},
    # quick: Hinton et al.'s MNIST setting (2015, §3) on mnist5k's 4,000 images: a large MLP teacher (800-800,
    # dropout 0.3, trained on images shifted by up to 2 px) teaches a small MLP (256-256: a fifth of the weights
    # and multiply-adds) that sees the images as they are. The student from scratch overfits its 4,000 labels;
    # the teacher's soft targets regularise it. Measured with this exercise (AMD EPYC with AVX-512, 2 cores;
    # teacher / scratch / distilled, cosine decay, α = 0.1), seeds 0-4:
    #   80 epochs of batch 128, T = 20 (kept): 0.970/0.945/0.967, 0.969/0.939/0.966, 0.967/0.947/0.965,
    #     0.967/0.943/0.964, 0.970/0.944/0.968: teacher − distilled ≤ 0.003, distilled − scratch ≥ +0.018;
    #     T = 1: 0.956, 0.955, 0.963, 0.956, 0.954 (up to 0.016 below the teacher: the temperature matters).
    #     50-58 s user+sys CPU a run.
    #   80 epochs of batch 64, T = 20: 0.968, 0.969, 0.966, 0.969, 0.968 (≤ 0.002 below the teacher), T = 1:
    #     0.959-0.965, T = 4: 0.961-0.970; 65-77 s CPU a run, over the minute. 50 epochs of batch 64, T = 20: 0.964,
    #     0.965, 0.965, 0.968, 0.966 (0.006 below the teacher at worst: thin); T = 10: 0.965, 0.961, 0.963;
    #     T = 2: 0.964, 0.965, 0.964. T = 20 is also Hinton's temperature for MNIST.
    # A teacher of three such MLPs (0.972/0.973) gave no better students at seeds 0/1 for three times the cost.
    # Earlier recipes, all missing the target (small CNN students of a CNN ensemble, measured over three
    # sessions; their figures are in the git history of this comment): on 4,000 images a CNN student learns from
    # the labels what the soft targets would teach it, and distilled minus scratch stayed within ±0.01 at every
    # T, α, size and schedule tried (keras-io measured the same on full MNIST: 96.9 vs 97.8). MLP students of a
    # CNN ensemble (0.967-0.969) gained (+0.008 to +0.017 at T = 10, 30 epochs) but stayed 0.006-0.013 below
    # it; with 1-px shifts the MLP from scratch reached the teacher (0.969) and distillation lost (0.967 / 0.964
    # at T = 2 / 4). The soft targets pay where the labels alone cannot teach the student.
    "quick": {},
    "full": {"n_train": 60000, "n_test": 10000, "teacher_hidden": "1200,1200", "teacher_epochs": 30,
             "student_hidden": "800,800", "student_epochs": 60, "temperatures": "1,2,4,10,20"},
}


# --- day4.pruning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PruningConfig:
    """Magnitude pruning of the trained CNN at each sparsity, then fine-tuning (``day4.pruning``)."""

    n_train: int = 4000
    n_test: int = 1000
    epochs: int = 8
    finetune_epochs: int = 4
    batch_size: int = 64
    lr: float = 1e-3
    finetune_lr: float = 5e-4
    sparsity: float = 0.8
    sparsities: tuple[float, ...] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)
    schedule: str = "gradual"
    scope: str = "global"

    @classmethod
    def from_params(cls, p: dict) -> "PruningConfig":
        """The settings; ``sparsities`` parsed, the target ``sparsity`` among them."""
        return settings_from(cls, p, sparsities=tuple(sorted(set(fractions(p["sparsities"], "sparsities"))
                                                             | {p["sparsity"]})))


def pruning_params() -> dict:
    from ...params import Param, data_sizes, fraction, learning_rate, positive, string

    d = PruningConfig
    return {
        **data_sizes(d.n_train, d.n_test, min_train=100, min_test=50),
        "epochs": positive(d.epochs, "training epochs of the dense CNN"),
        "finetune_epochs": Param(int, d.finetune_epochs, "fine-tuning epochs after (or while) pruning", min=0),
        "batch_size": positive(d.batch_size, "mini-batch size"),
        "lr": learning_rate(d.lr, "Adam learning rate of the dense training"),
        "finetune_lr": learning_rate(d.finetune_lr, "Adam learning rate at the start of the fine-tuning (cosine decay to 0)"),
        "sparsity": fraction(d.sparsity, "sparsity whose accuracy drop is the target (added to sparsities)",
                             upper_inclusive=False),
        "sparsities": string(as_text(d.sparsities), "comma-separated sparsities, each in [0, 1)"),
        "schedule": Param(str, d.schedule, "gradual, one_shot or both: the schedule of the sweep (at the target "
                          "sparsity both run, and the target takes the worse)",
                          choices=("both", "one_shot", "gradual")),
        "scope": Param(str, d.scope, "global: one magnitude threshold over all kernels; layer: each kernel alone",
                       choices=("global", "layer")),
    }


PRUNING_BUDGETS = {
    "smoke": {"n_train": 200, "n_test": 50, "epochs": 1, "finetune_epochs": 1, "sparsities": "0,0.8"},
    # quick: dense CNN 8 epochs (Adam 1e-3); each sparsity pruned gradually (Zhu & Gupta's polynomial schedule, to
    # the full sparsity at 2/3 of the fine-tuning) while fine-tuned 4 epochs, Adam's rate decaying 5e-4 → 0
    # (cosine); one global magnitude threshold; at 80 % one-shot runs too, and the target takes the worse of the two.
    # accuracy_drop (0 % − 80 %, both fine-tuned alike; 1,000 test images, so 0.001 = one image), seeds 0 / 1 / 2 /
    # seed 0 with TF_ENABLE_ONEDNN_OPTS=0, then seeds 3-7, AMD EPYC (AVX-512 bf16), 2 shared cores:
    #   this recipe (worse schedule, kept):               0.003 / -0.002 / 0.004 / 0.002; 0.006 0.002 0.007 0.004 (s3-6)
    #   the gradual schedule alone:                       0.000 / -0.002 / 0.003 / 0.000; 0.003 0.001 0.003 0.004 0.002
    #     seed 0 on the 2 idle cores: 34 s wall, 38 s user+sys CPU (the recipe before, back to back: 32 s, 37 s)
    #   before (4 epochs, 2 FT epochs at a constant 5e-4, worse of one-shot / gradual): 0.008 / 0.005 / 0.000 / 0.007
    #   8 epochs, FT as before:                           0.000 / -0.006 / 0.002 / -0.002; 0.002 0.002 0.004 0.004 0.006
    #   8 epochs, 2 cosine FT epochs, worse schedule:     0.004 / -0.001 / 0.004 / 0.003; 0.006 0.003 0.004 0.001 0.004
    #     (one-shot is the worse one at most seeds: its pruned model starts at 0.92 and has less to recover with)
    #   3 cosine FT epochs, gradual to full sparsity at half of them: 0.000 / -0.002 / 0.004 / 0.000; s3 0.003, s5 0.006
    #   cosine decay of the dense training too: 0.005 / 0.011 / 0.005; 10 dense epochs: 0.008 / 0.002 / 0.005
    #   (2 cosine FT epochs, worse schedule, for the rest) FT at 1e-3: 0.004 / 0.002 / 0.004, s3 0.008; Dense 128
    #   instead of 64: -0.002 / 0.002 / 0.005 / -0.002, s3 0.004; both convolutions kept dense (Dense layers 88 %):
    #   0.002 / 0.001 / 0.006, s3 0.005; first conv and logits kept dense: 0.002 / -0.001 / 0.002, s3 0.004; LAMP
    #   scores (Lee et al. 2021) instead of |w|: 0.003 / 0.002 / 0.004, s3 0.005; training on images shifted ±2 px:
    #   0.006 / -0.001 / 0.008, s3 0.000. None moved the drop below 0.002-0.004 at seeds 2-3. Whole sweeps (8 epochs,
    #   2 constant FT epochs), seeds 2 / 3 / 7: 80-90 % score 0.962-0.966, 50 % 0.967-0.973, the 0 % reference
    #   0.964-0.968: pruning past 50 % costs a few of the 1,000 test images, about one comparison's noise.
    # Per-layer pruning (each kernel 80 %) gave 0.051 at seed 0 (4 epochs): the 144 weights of the first convolution
    # cannot lose 80 %. Earlier (4 epochs): 3 constant FT epochs 0.008 / 0.002 at seeds 1 / 2; lr 1e-3 on an AVX2-only
    # AMD EPYC 0.008 / 0.005 / 0.003 (recipe there: 0.005 / 0.006 / 0.001 / 0.005).
    "quick": {},
    "full": {"n_train": 60000, "n_test": 10000, "epochs": 10, "finetune_epochs": 4},
}


# --- bench.compression -------------------------------------------------------------------------


@dataclass(frozen=True)
class CompressionBenchConfig:
    """One CNN quantized, pruned and distilled, every variant a .tflite file (``bench.compression``)."""

    n_train: int = 4000
    n_test: int = 1000
    epochs: int = 4
    batch_size: int = 64
    lr: float = 1e-3
    calibration: int = 200
    sparsities: tuple[float, ...] = (0.5, 0.8, 0.9)
    finetune_epochs: int = 2
    finetune_lr: float = 5e-4
    student_filters: int = 8
    student_dense: int = 32
    student_epochs: int = 10
    alpha: float = 0.1
    temperature: float = 2.0

    @classmethod
    def from_params(cls, p: dict) -> "CompressionBenchConfig":
        return settings_from(cls, p, sparsities=fractions(p["sparsities"], "sparsities"))


def bench_params() -> dict:
    from ...params import Param, data_sizes, fraction, learning_rate, positive, string

    d = CompressionBenchConfig
    return {
        **data_sizes(d.n_train, d.n_test, min_train=100, min_test=50),
        "epochs": positive(d.epochs, "training epochs of the float32 CNN"),
        "batch_size": positive(d.batch_size, "mini-batch size"),
        "lr": learning_rate(d.lr, "Adam learning rate"),
        "calibration": Param(int, d.calibration, "representative images that calibrate full int8", min=1),
        "sparsities": string(as_text(d.sparsities), "comma-separated sparsities in [0, 1) (the largest is also made "
                           "full int8)"),
        "finetune_epochs": Param(int, d.finetune_epochs, "fine-tuning epochs of each pruned CNN", min=0),
        "finetune_lr": learning_rate(d.finetune_lr, "Adam learning rate of the fine-tuning"),
        "student_filters": positive(d.student_filters, "filters of the student's first convolution (the second has "
                                    "twice as many)"),
        "student_dense": positive(d.student_dense, "hidden Dense units of the student"),
        "student_epochs": positive(d.student_epochs, "training epochs of each student"),
        "alpha": fraction(d.alpha, "α: weight of the hard-label cross-entropy"),
        "temperature": Param(float, d.temperature, "distillation temperature T", min=0.0, min_inclusive=False),
    }


BENCH_BUDGETS = {
    "smoke": {"n_train": 200, "n_test": 50, "epochs": 1, "calibration": 10, "sparsities": "0.8",
              "finetune_epochs": 1, "student_epochs": 1, "student_filters": 4, "student_dense": 8},
    # quick (seed 0): 45 s user+sys CPU, 58 s wall at load 4-5; students: scratch 0.955, distilled (T = 2) 0.946,
    # taught by the single float32 CNN (T = 4: 0.947); pruned 80 % 0.956 vs float32 0.955; full int8 0.956
    "quick": {},
    "full": {"n_train": 60000, "n_test": 10000, "epochs": 10, "finetune_epochs": 4, "student_epochs": 20},
}
