"""``dlx bench cnn``: small variants of the Day 2 / Day 4 CNN architectures trained on the same data.

Day2 Section4 (最新の CNN) and Day4 Section3 (MobileNet, DenseNet); the runs are
``studies.cnn_architectures.compare_architectures``, which
``day2.cnn_architectures`` shares.
"""

from __future__ import annotations

from ..params import choice, data_sizes, learning_rate, positive, string
from ..registry import exercise
from ..studies.cnn_architectures import LABELS


@exercise(
    "bench.cnn",
    title="CNN architectures, small variants side by side",
    title_ja="CNN アーキテクチャ比較 (小型版)",
    section="Day2 Section4, Day4 Section3",
    data=("mnist", "fashion_mnist", "mnist5k"),
    tags=("bench", "keras", "cnn"),
    params={
        "epochs": positive(3, "training epochs per model"),
        **data_sizes(4000, 1000, min_train=100, min_test=100),
        "batch_size": positive(100, "mini-batch size"),
        "lr": learning_rate(1e-3, "Adam learning rate"),
        "models": string("all", "comma-separated: all, or of " + ", ".join(LABELS)),
        "xla": choice("auto", ("auto", "on", "off", "measure"),
                      "jit_compile per model (auto: measured choice; Keras ignores it under DLX_DETERMINISTIC=1)"),
    },
    budgets={
        "smoke": {"epochs": 1, "n_train": 200, "n_test": 100, "models": "deep_cnn"},
        # 4 epochs of 2,000 images (80 steps): at 2 epochs MobileNet and the bottleneck ResNet were still
        # near 0.6 even with re-estimated BN statistics (measured 3 → 4 epochs: MobileNet 0.716 → 0.796)
        "quick": {"epochs": 4, "n_train": 2000},
        "full": {"epochs": 10, "n_train": 60000, "n_test": 10000},
    },
)
def cnn_suite(ctx):
    """Small AlexNet, VGG, GoogLeNet, ResNet, WideResNet, MobileNet, DenseNet: params, mult-adds, s/epoch, accuracy (Day2 Section4)."""
    from ..studies.cnn_architectures import compare_architectures
    p = ctx.params
    models = [m.strip() for m in p["models"].split(",") if m.strip()]
    compare_architectures(ctx, models, dataset=ctx.dataset or "mnist", n_train=p["n_train"], n_test=p["n_test"],
                          epochs=p["epochs"], batch_size=p["batch_size"], lr=p["lr"], xla=p["xla"])
