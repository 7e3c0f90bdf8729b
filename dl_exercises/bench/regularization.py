"""``dlx bench regularization``: none vs L2, L1, dropout, L2+dropout beside the course's figures (Day2 Section3).

The runs are those of ``day2.overfitting`` (``studies.regularization``): 300
training images, a 6×100 ReLU net, numpy and its Keras twin on the same batches.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies import regularization

exercise("bench.regularization", title="Regularization: weight decay and dropout", title_ja="正則化とドロップアウト",
         **regularization.DECLARATION)(regularization.run_regularization)
