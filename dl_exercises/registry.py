"""Exercise registry: ``ExerciseSpec``, the ``@exercise`` decorator, id grammar and lookup.

Registration sits beside each exercise's definition. Everything here is plain
data, so listing, ``dlx show``, ``--help`` and completion never import
TensorFlow: exercise modules import heavy libraries inside their functions.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from .budget import BUDGETS
from .errors import UsageError

CHAPTERS = ("day1", "day2", "day3", "day4", "examples")
_ID_RE = re.compile(r"^(?P<chapter>[a-z0-9]+)\.(?P<name>[a-z][a-z0-9_]*)$")
_TARGET_RE = re.compile(r"^\s*(>=|<=|>|<|==)\s*([-+0-9.eE]+)\s*$")


def parse_id(exercise_id: str) -> tuple[str, str]:
    """Split ``chapter.name`` into its parts; the one place ids are parsed."""
    match = _ID_RE.match(exercise_id or "")
    if not match or match["chapter"] not in CHAPTERS:
        raise UsageError(
            f"invalid exercise id {exercise_id!r}: expected CHAPTER.NAME with CHAPTER one of "
            f"{', '.join(CHAPTERS)} (see `dlx list`)"
        )
    return match["chapter"], match["name"]


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

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        if self.type is bool:
            return "true or false"
        lo = "" if self.min is None else f"{'>=' if self.min_inclusive else '>'} {self.min}"
        hi = "" if self.max is None else f"<= {self.max}"
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
            too_low = self.min is not None and (
                value < self.min or (not self.min_inclusive and value == self.min)
            )
            too_high = self.max is not None and value > self.max
            if too_low or too_high:
                raise UsageError(f"--set {key}={raw}: out of range (allowed: {self.describe()})")
        if self.choices and value not in self.choices:
            raise UsageError(f"--set {key}={raw}: not allowed (allowed: {self.describe()})")
        return value


@dataclass(frozen=True)
class Target:
    """A bound a metric must meet at some budget, written ``">= 0.97"``.

    ``data`` ties the bound to one data set: it applies only to runs that used it
    (DeepConvNet's full budget asks 0.99 of MNIST and 0.92 of Fashion-MNIST).
    """

    metric: str
    op: str
    bound: float
    data: str | None = None

    @classmethod
    def parse(cls, metric: str, text: str, data: str | None = None) -> "Target":
        match = _TARGET_RE.match(text)
        if not match:
            raise ValueError(f"bad target for {metric}: {text!r} (expected e.g. '>= 0.97')")
        return cls(metric, match[1], float(match[2]), data)

    @classmethod
    def parse_all(cls, metric: str, spec: str | Mapping[str, str]) -> list["Target"]:
        """``">= 0.97"``, or ``{data_set: ">= 0.97", ...}`` for bounds that depend on the data set."""
        if isinstance(spec, str):
            return [cls.parse(metric, spec)]
        return [cls.parse(metric, text, data) for data, text in spec.items()]

    def applies_to(self, data_used: Iterable[str]) -> bool:
        return self.data is None or self.data in set(data_used)

    def met_by(self, value: float) -> bool:
        ops = {
            ">=": value >= self.bound,
            "<=": value <= self.bound,
            ">": value > self.bound,
            "<": value < self.bound,
            "==": value == self.bound,
        }
        return bool(ops[self.op])

    def __str__(self) -> str:
        where = f" on {self.data}" if self.data else ""
        return f"{self.op} {self.bound:g}{where}"


@dataclass(frozen=True)
class CourseFigure:
    """A number the course reports, where it says so, and (optionally) the data set it was measured on.

    A figure tied to a data set is shown only beside runs on that data set.
    """

    value: Any
    where: str
    data: str | None = None

    @classmethod
    def of(cls, spec: tuple) -> "CourseFigure":
        """From ``(value, where)`` or ``(value, where, data_set)``."""
        return cls(*spec)


@dataclass
class ExerciseSpec:
    """Everything known about an exercise without running it."""

    id: str
    func: Callable | str
    title: str
    title_ja: str
    section: str
    data: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    params: Mapping[str, Param] = field(default_factory=dict)
    budgets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    targets: Mapping[str, tuple[Target, ...]] = field(default_factory=dict)
    course: Mapping[str, CourseFigure] = field(default_factory=dict)
    summary: str = ""

    @property
    def chapter(self) -> str:
        return parse_id(self.id)[0]

    @property
    def day(self) -> int | None:
        chapter = self.chapter
        return int(chapter[3:]) if chapter.startswith("day") else None

    def resolve(self) -> Callable:
        """The exercise function (imports a lazy ``"module:function"`` entry)."""
        if callable(self.func):
            return self.func
        module, _, name = self.func.partition(":")
        return getattr(importlib.import_module(module), name)

    def params_for(self, budget: str, overrides: Mapping[str, Any] | None = None) -> dict:
        """Declared defaults, then the budget's settings, then validated ``--set`` values."""
        if budget not in BUDGETS:
            raise UsageError(f"unknown budget {budget!r}: choose one of {', '.join(BUDGETS)}")
        values = {key: p.default for key, p in self.params.items()}
        values.update(self.budgets.get(budget, {}))
        for key, raw in (overrides or {}).items():
            if key not in self.params:
                close = difflib.get_close_matches(key, list(self.params), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                known = ", ".join(sorted(self.params)) or "none"
                raise UsageError(f"--set {key}: {self.id} has no parameter {key!r}{hint} (parameters: {known})")
            values[key] = self.params[key].parse(key, raw)
        return values

    def targets_for(self, budget: str) -> tuple[Target, ...]:
        return tuple(self.targets.get(budget, ()))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "title_ja": self.title_ja,
            "section": self.section,
            "summary": self.summary,
            "data": list(self.data),
            "tags": list(self.tags),
            "params": {
                key: {"type": p.type.__name__, "default": p.default, "allowed": p.describe(), "help": p.help}
                for key, p in self.params.items()
            },
            "budgets": {b: dict(self.budgets.get(b, {})) for b in BUDGETS},
            "targets": {b: _targets_by_metric(self.targets_for(b)) for b in BUDGETS},
            "course": {k: {"value": c.value, "where": c.where, "data": c.data} for k, c in self.course.items()},
        }


def _targets_by_metric(targets: Iterable[Target]) -> dict[str, str]:
    """{metric: ">= 0.97"}; several data-set bounds of one metric are joined: ">= 0.99 on mnist; >= 0.92 on fashion_mnist"."""
    joined: dict[str, list[str]] = {}
    for t in targets:
        joined.setdefault(t.metric, []).append(str(t))
    return {metric: "; ".join(texts) for metric, texts in joined.items()}


_REGISTRY: dict[str, ExerciseSpec] = {}
_LOADED = False


def exercise(
    exercise_id: str,
    *,
    title: str,
    title_ja: str,
    section: str,
    data: Iterable[str] = (),
    tags: Iterable[str] = (),
    params: Mapping[str, Param] | None = None,
    budgets: Mapping[str, Mapping[str, Any]] | None = None,
    targets: Mapping[str, Mapping[str, str | Mapping[str, str]]] | None = None,
    course: Mapping[str, tuple[Any, str]] | None = None,
):
    """Register the decorated function as exercise ``exercise_id``.

    ``budgets`` maps a budget to parameter values (epochs, data sizes); each key
    must be a declared parameter. ``targets`` maps a budget to ``{metric: ">= 0.97"}``;
    a bound that depends on the data set is ``{metric: {data_set: ">= 0.99", ...}}``.
    ``course`` maps a metric to ``(value, where the course states it)``, or to
    ``(value, where, data_set)`` for a figure that applies only to runs on that data set.
    """
    parse_id(exercise_id)
    data = tuple(data)
    params = dict(params or {})
    budgets = {b: dict(v) for b, v in (budgets or {}).items()}
    for budget, settings in budgets.items():
        if budget not in BUDGETS:
            raise ValueError(f"{exercise_id}: unknown budget {budget!r}")
        for key, value in settings.items():
            if key not in params:
                raise ValueError(f"{exercise_id}: budget {budget} sets undeclared parameter {key!r}")
            params[key].parse(key, value)
    parsed_targets = {
        budget: tuple(t for metric, spec in bounds.items() for t in Target.parse_all(metric, spec))
        for budget, bounds in (targets or {}).items()
    }
    for bound in (t for ts in parsed_targets.values() for t in ts):
        if bound.data is not None and bound.data not in data:
            raise ValueError(f"{exercise_id}: target {bound.metric} {bound} names a data set it does not declare")
    figures = {name: CourseFigure.of(spec) for name, spec in (course or {}).items()}

    def decorate(func: Callable) -> Callable:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id} registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[exercise_id] = ExerciseSpec(
            id=exercise_id,
            func=func,
            title=title,
            title_ja=title_ja,
            section=section,
            data=tuple(data),
            tags=tuple(tags),
            params=params,
            budgets=budgets,
            targets=parsed_targets,
            course=figures,
            summary=doc[0] if doc else "",
        )
        return func

    return decorate


def _load_all() -> None:
    """Import every module of ``dl_exercises.exercises`` so their decorators run."""
    global _LOADED
    if _LOADED:
        return
    from . import exercises

    for info in pkgutil.iter_modules(exercises.__path__):
        importlib.import_module(f"{exercises.__name__}.{info.name}")
    _LOADED = True


def _natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def all_specs() -> list[ExerciseSpec]:
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda s: _natural_key(s.id))


def list_exercises(
    pattern: str | None = None, *, day: int | None = None, tag: str | None = None
) -> list[ExerciseSpec]:
    """Filter the registry by glob ``pattern``, ``day`` (1–4) and ``tag``; natural sort."""
    specs = all_specs()
    if pattern:
        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        specs = [s for s in specs if fnmatch.fnmatchcase(s.id, glob)]
    if day is not None:
        specs = [s for s in specs if s.day == day]
    if tag:
        specs = [s for s in specs if tag in s.tags]
    return specs


def get_exercise(exercise_id: str) -> ExerciseSpec:
    """Look up one exercise; unknown ids raise ``UsageError`` with close matches."""
    specs = {s.id: s for s in all_specs()}
    if exercise_id in specs:
        return specs[exercise_id]
    close = difflib.get_close_matches(exercise_id, list(specs), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown exercise {exercise_id!r}{hint} (see `dlx list`)")
