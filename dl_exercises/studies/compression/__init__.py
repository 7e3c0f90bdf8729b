"""Model compression (Day4 Section3, 軽量化・高速化技術: 量子化, 蒸留, プルーニング): the runs of day4.quantization,
day4.pruning, day4.distillation and bench.compression.

Rooms: ``config`` (parameters, budgets, the settings dataclasses, the one comma-list parser),
``loops`` (one Keras fit loop for every network, pruning and distillation; never the run context),
``measure`` (accuracy, bytes, latency), ``tflite`` (export, conversion, the interpreter),
``report`` (the three exercises' metrics and tables through ``ctx``) and ``bench`` (the suite).
"""
