"""``dlx bench regularization``: none / L2 / L1 / dropout / L2+dropout on 300 images (Day2 Section3).

The runs are those of ``day2.overfitting`` (``exercises.day2_training.run_regularization``):
train accuracy, test accuracy and their gap, numpy and Keras, beside the course's figures.
"""

from __future__ import annotations

from ..exercises import day2_training as d2
from . import suite


@suite(
    "regularization",
    title="Regularization: weight decay and dropout",
    title_ja="正則化とドロップアウト",
    section="Day2 Section3",
    data=("mnist",),
    params=d2.REG_PARAMS,
    budgets=d2.REG_BUDGETS,
    targets=d2.REG_TARGETS,
    course=d2.REG_COURSE_FIGURES,
)
def regularization_suite(ctx):
    """One table: method | implementation | train acc | test acc | gap | time | course figures (Day2 Section3)."""
    d2.run_regularization(ctx)
