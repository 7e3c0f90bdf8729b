"""Declared exercise parameters (``--set key=value``): ``Param`` and the small vocabulary blocks are written in.

A ``Param`` states a type, a default, a help line and its allowed values, and checks what
the user typed (``parse``: one ``UsageError`` naming the key and what is allowed).
``positive``, ``at_least``, ``non_negative``, ``fraction``, ``learning_rate``, ``choice``,
``flag``, ``string`` and ``data_sizes`` build the usual ones. Plain data, no TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .errors import UsageError


@dataclass(frozen=True)
class Param:
    """A declared, validated exercise parameter (``--set key=value``)."""

    type: type
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    choices: tuple | None = None
    max_inclusive: bool = True

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        if self.type is bool:
            return "true or false"
        lo = "" if self.min is None else f"{'>=' if self.min_inclusive else '>'} {self.min}"
        hi = "" if self.max is None else f"{'<=' if self.max_inclusive else '<'} {self.max}"
        bounds = " and ".join(b for b in (lo, hi) if b)
        return f"{self.type.__name__}{' ' + bounds if bounds else ''}"

    def parse(self, key: str, raw: Any) -> Any:
        """Convert and check one value; ``UsageError`` names the key and its allowed range."""
        value = raw
        if isinstance(raw, str):
            text = raw.strip()
            try:
                if self.type is bool:
                    lowered = text.lower()
                    if lowered not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(text)
                    value = lowered in ("true", "1", "yes")
                elif self.type is int:
                    value = int(text)
                elif self.type is float:
                    value = float(text)
                else:
                    value = text
            except ValueError:
                raise UsageError(
                    f"--set {key}={raw}: not a valid {self.type.__name__} (allowed: {self.describe()})"
                ) from None
        elif self.type is float and isinstance(raw, int) and not isinstance(raw, bool):
            value = float(raw)
        if self.type in (int, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise UsageError(f"--set {key}={raw}: must be finite (allowed: {self.describe()})")
            too_low = self.min is not None and (value < self.min or (not self.min_inclusive and value == self.min))
            too_high = self.max is not None and (value > self.max or (not self.max_inclusive and value == self.max))
            if too_low or too_high:
                raise UsageError(f"--set {key}={raw}: out of range (allowed: {self.describe()})")
        if self.choices and value not in self.choices:
            raise UsageError(f"--set {key}={raw}: not allowed (allowed: {self.describe()})")
        return value


# The small vocabulary most exercises are declared in: a block then states only what is particular to it.


def positive(default: float | int, help: str = "") -> Param:
    """A number > 0 (an int ≥ 1); the type follows the default."""
    kind = type(default)
    return Param(kind, default, help, min=1 if kind is int else 0.0, min_inclusive=kind is int)


def at_least(minimum: float | int, default: float | int, help: str = "") -> Param:
    """A number ≥ ``minimum``; the type follows the default."""
    return Param(type(default), default, help, min=minimum)


def non_negative(default: float | int, help: str = "") -> Param:
    """A number ≥ 0 (0 often means "off"); the type follows the default."""
    return Param(type(default), default, help, min=type(default)(0))


def fraction(default: float, help: str = "", *, upper: float = 1.0, upper_inclusive: bool = True) -> Param:
    """A float in [0, upper] (or [0, upper) when ``upper_inclusive`` is false): rates, ratios, probabilities."""
    return Param(float, float(default), help, min=0.0, max=upper, max_inclusive=upper_inclusive)


def learning_rate(default: float, help: str = "learning rate") -> Param:
    return positive(float(default), help)


def choice(default: str, choices: Iterable[str], help: str = "") -> Param:
    return Param(str, default, help, choices=tuple(choices))


def flag(default: bool, help: str = "") -> Param:
    return Param(bool, default, help)


def string(default: str, help: str = "") -> Param:
    """Free text: a path, a comma-separated list, a name."""
    return Param(str, default, help)


def data_sizes(n_train: int, n_test: int, *, min_train: int = 10, min_test: int = 10,
               what: str = "images") -> dict[str, Param]:
    """``n_train`` and ``n_test``: how many training and test samples to load (at most what the data set has)."""
    return {
        "n_train": Param(int, n_train, f"training {what} (at most what the data set has)", min=min_train),
        "n_test": Param(int, n_test, f"test {what} (at most what the data set has)", min=min_test),
    }
