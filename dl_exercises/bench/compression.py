"""``dlx bench compression``: quantization, pruning and distillation of one MNIST CNN, size against accuracy.

Day4 Section3 (軽量化・高速化技術: 量子化, 蒸留, プルーニング); the runs are
``studies.compression.bench.run_bench``, built from the same pieces as
``day4.quantization``, ``day4.pruning`` and ``day4.distillation``.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.compression import config


@exercise(
    "bench.compression",
    title="Model compression side by side: quantization, pruning, distillation (size vs accuracy)",
    title_ja="軽量化の比較 (量子化・プルーニング・蒸留)",
    section="Day4 Section3",
    data=config.DATA,
    tags=("bench", "keras", "tflite", "compression"),
    params=config.bench_params(),
    budgets=config.BENCH_BUDGETS,
)
def compression_suite(ctx):
    """One CNN quantized (TFLite float16/int8), pruned (50–90 %) and distilled into a smaller CNN: zipped size vs accuracy."""
    from ..studies.compression.bench import run_bench

    run_bench(ctx)
