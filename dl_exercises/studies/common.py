"""Small formatting helpers for the studies' tables."""

from __future__ import annotations

from typing import Any


def r4(x: float, digits: int = 4) -> float:
    """A number rounded for a table cell (the metric itself is not rounded)."""
    return round(float(x), digits)


def secs(x: float) -> str:
    return f"{x:.1f}"


def or_dash(value) -> Any:
    """The value, or "—" where the course gives none."""
    return "—" if value is None else value
