"""Argument checks shared by dlx's Keras layers, schedules and losses ("Received: x=…", as Keras words them)."""

from __future__ import annotations


def check_positive_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer. Received: {name}={value}")


def check_rate(name, value):
    if not 0.0 <= float(value) < 1.0:
        raise ValueError(f"{name} must be in [0, 1). Received: {name}={value}")
