"""What exercises and bench suites call: each topic's settings, training loops and report, in one place.

A topic package has three rooms: ``config`` (its ``Param``s, budgets and a frozen dataclass of its
settings; a default is written once), ``loops`` (training as plain functions over models, arrays and
callbacks, never the run context) and ``report`` (metrics, tables and figures, through ``ctx``):
``rl`` (Day4 Section1), ``alphago`` (Day4 Section2), ``compression`` (Day4 Section3) and ``translation``
(Day3 Section5, Day4 Section5), with further modules beside the three where a topic needs them.

Smaller studies are single modules: ``init_grid``, ``optimizers`` and ``regularization`` (Day 2; each
exercise is also a bench suite by alias), ``cnn_architectures`` (``day2.cnn_architectures`` and
``bench.cnn``), ``images`` (image data in a layout), ``speed`` (FLOP counts and the matmul peak),
``course_examples`` (what the example notebooks share) and ``common`` (table cells, twin hooks).

Layer: above ``train``, ``nn``, ``scratch`` and ``datasets``, below ``exercises`` and ``bench``.
"""
