"""``dlx bench init``: activation × weight initialisation beside the course's figures (Day2 Section1).

The runs are those of ``day2.vanishing_gradient`` (``studies.init_grid``):
sigmoid/ReLU × Gaussian/Xavier/He on MNIST, numpy and Keras, and the
activation statistics of a deep net at initialisation.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies import init_grid

exercise("bench.init", title="Weight initialisation × activation", title_ja="重みの初期値と活性化関数",
         **init_grid.DECLARATION)(init_grid.run_init_grid)
