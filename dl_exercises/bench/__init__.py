"""Comparison suites for ``dlx bench SUITE``: exercises of the ``bench`` chapter, one main table each.

A suite registers with ``@exercise("bench.NAME", ...)`` like any exercise (same
checks of budgets, targets and course figures); ``dlx bench NAME`` runs
``bench.NAME``. Suites share their runs with the chapters through
``dl_exercises.studies``, never by importing an exercise module.
"""
