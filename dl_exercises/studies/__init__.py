"""Experiments that a chapter exercise and a bench suite both present (one implementation, two registrations).

- ``init_grid``: activation × initialisation on MNIST (``day2.vanishing_gradient``, ``bench.init``).
- ``optimizers``: the five update rules on MNIST and on x²/20 + y² (``day2.optimizers``, ``bench.optimizers``).
- ``regularization``: none / L2 / L1 / dropout on 300 images (``day2.overfitting``, ``bench.regularization``).
- ``cnn_architectures``: small variants of the modern CNNs trained alike (``day2.cnn_architectures``, ``bench.cnn``).

Each module holds the declarations both registrations share (parameters, budgets, targets, course
figures) and the ``run_*(ctx)`` function. Layer: above ``train``, ``nn``, ``scratch`` and ``datasets``,
below ``exercises`` and ``bench``.
"""
