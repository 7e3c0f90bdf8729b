"""``dlx bench init``: activation × weight initialisation beside the course's five figures (Day2 Section1).

The runs are those of ``day2.vanishing_gradient`` (``exercises.day2_training.run_init_grid``):
sigmoid/ReLU × Gaussian 0.01 / Xavier / He, hidden [40, 20], numpy and Keras,
plus per-layer activation statistics (histograms as PNG with ``--out``).
"""

from __future__ import annotations

from ..exercises import day2_training as d2
from . import suite


@suite(
    "init",
    title="Weight initialisation × activation",
    title_ja="重みの初期値と活性化関数",
    section="Day2 Section1",
    data=("mnist",),
    params=d2.INIT_PARAMS,
    budgets=d2.INIT_BUDGETS,
    targets=d2.INIT_TARGETS,
    course=d2.INIT_COURSE_FIGURES,
)
def init_suite(ctx):
    """One table: activation | init | numpy and Keras accuracy | time | course test acc (Day2 Section1)."""
    d2.run_init_grid(ctx)
