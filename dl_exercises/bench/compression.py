"""``dlx bench compression``: quantization, pruning and distillation of one MNIST CNN, size against accuracy.

Day4 Section3 (軽量化・高速化技術: 量子化, 蒸留, プルーニング); the runs are
``studies.compression.run_bench``, built from the same pieces as
``day4.quantization``, ``day4.pruning`` and ``day4.distillation``.
"""

from __future__ import annotations

from ..registry import Param, data_sizes, exercise, fraction, learning_rate, positive, text


@exercise(
    "bench.compression",
    title="Model compression side by side: quantization, pruning, distillation (size vs accuracy)",
    title_ja="軽量化の比較 (量子化・プルーニング・蒸留)",
    section="Day4 Section3",
    data=("mnist", "mnist5k"),
    tags=("bench", "keras", "tflite", "compression"),
    params={
        **data_sizes(4000, 1000, min_train=100, min_test=50),
        "epochs": positive(4, "training epochs of the float32 CNN"),
        "batch_size": positive(64, "mini-batch size"),
        "lr": learning_rate(1e-3, "Adam learning rate"),
        "calibration": Param(int, 200, "representative images that calibrate full int8", min=1),
        "sparsities": text("0.5,0.8,0.9", "comma-separated sparsities in [0, 1) (the largest is also made full int8)"),
        "finetune_epochs": Param(int, 2, "fine-tuning epochs of each pruned CNN", min=0),
        "finetune_lr": learning_rate(5e-4, "Adam learning rate of the fine-tuning"),
        "student_filters": positive(8, "filters of the student's first convolution (the second has twice as many)"),
        "student_dense": positive(32, "hidden Dense units of the student"),
        "student_epochs": positive(10, "training epochs of each student"),
        "alpha": fraction(0.1, "α: weight of the hard-label cross-entropy"),
        "temperature": Param(float, 2.0, "distillation temperature T", min=0.0, min_inclusive=False),
    },
    budgets={
        "smoke": {"n_train": 200, "n_test": 50, "epochs": 1, "calibration": 10, "sparsities": "0.8",
                  "finetune_epochs": 1, "student_epochs": 1, "student_filters": 4, "student_dense": 8},
        # quick (seed 0): 45 s user+sys CPU, 58 s wall at load 4-5; students: scratch 0.955, distilled (T = 2) 0.946,
        # taught by the single float32 CNN (T = 4: 0.947); pruned 80 % 0.956 vs float32 0.955; full int8 0.956
        "quick": {},
        "full": {"n_train": 60000, "n_test": 10000, "epochs": 10, "finetune_epochs": 4, "student_epochs": 20},
    },
)
def compression_suite(ctx):
    """One CNN quantized (TFLite float16/int8), pruned (50–90 %) and distilled into a smaller CNN: zipped size vs accuracy."""
    from ..studies.compression import run_bench

    run_bench(ctx)
