"""``dlx bench optimizers``: SGD, Momentum, AdaGrad, RMSProp, Adam beside the course's figures (Day2 Section2).

The runs are those of the exercise ``day2.optimizers`` (one implementation,
``exercises.day2_training.run_optimizer_comparison``): the course's update
rules in numpy and Keras's optimizers, same network, same starting weights,
same batches; with ``--out``, learning curves and the paths on x²/20 + y².
"""

from __future__ import annotations

from ..exercises import day2_training as d2
from . import suite


@suite(
    "optimizers",
    title="Optimizers: course update rules vs keras.optimizers",
    title_ja="学習率最適化手法の比較",
    section="Day2 Section2",
    data=("mnist",),
    params=d2.OPT_PARAMS,
    budgets=d2.OPT_BUDGETS,
    targets=d2.OPT_TARGETS,
    course=d2.OPT_COURSE_FIGURES,
)
def optimizers_suite(ctx):
    """One table: optimizer | implementation | final train acc | test acc | time | course test acc (Day2 Section2)."""
    d2.run_optimizer_comparison(ctx)
