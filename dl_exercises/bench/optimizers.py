"""``dlx bench optimizers``: SGD, Momentum, AdaGrad, RMSProp, Adam beside the course's figures (Day2 Section2).

The runs are those of ``day2.optimizers`` (``studies.optimizers``): the course's
update rules in numpy and Keras's optimizers, same network, starting weights
and batches; with ``--out``, learning curves and the paths on x²/20 + y².
"""

from __future__ import annotations

from ..registry import exercise
from ..studies import optimizers

exercise("bench.optimizers", title="Optimizers: course update rules vs keras.optimizers", title_ja="学習率最適化手法の比較",
         **optimizers.DECLARATION)(optimizers.run_optimizer_comparison)
