"""What is known about an exercise without running it: the id grammar, targets, a checked plan, the spec.

One id grammar: a *name* is ``[a-z][a-z0-9_]*`` (data sets, checks); an exercise id
is ``CHAPTER.NAME`` with CHAPTER one of ``CHAPTERS`` (``parse_id`` is the one place ids
are parsed). ``Target`` is a bound such as ``">= 0.97"``, optionally tied to a data set;
``ExerciseSpec`` holds an exercise's declaration and makes a ``Plan`` (budget, seed,
``--set`` values and data set, checked once). Plain data, no TensorFlow.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from .budget import BUDGETS, DEFAULT_BUDGET
from .errors import UsageError
from .params import Param
from .result import CourseFigure, Reference

CHAPTERS = ("day1", "day2", "day3", "day4", "examples", "bench")
SEED_LIMIT = 2**32  # seeds are 0 ≤ seed < 2³²: numpy's and TensorFlow's generators take no more
_NAME = r"[a-z][a-z0-9_]*"
_NAME_RE = re.compile(rf"^{_NAME}$")
_ID_RE = re.compile(rf"^(?P<chapter>[a-z0-9]+)\.(?P<name>{_NAME})$")
_TARGET_RE = re.compile(r"^\s*(>=|<=|>|<|==)\s*([-+0-9.eE]+)\s*$")


def parse_id(exercise_id: str) -> tuple[str, str]:
    """Split ``chapter.name`` into its parts; the one place exercise ids are parsed."""
    match = _ID_RE.match(exercise_id or "")
    if not match or match["chapter"] not in CHAPTERS:
        raise UsageError(
            f"invalid exercise id {exercise_id!r}: expected CHAPTER.NAME with CHAPTER one of "
            f"{', '.join(CHAPTERS)} (see `dlx list`)"
        )
    return match["chapter"], match["name"]


def check_seed(seed: Any) -> int:
    """A seed is an integer, 0 ≤ seed < 2³²; ``UsageError`` otherwise."""
    try:
        value = operator.index(seed)  # int, numpy integers; not 1.5, not "3"
    except TypeError:
        value = None
    if isinstance(seed, bool) or value is None or not 0 <= value < SEED_LIMIT:
        raise UsageError(f"--seed {seed}: must be an integer from 0 to {SEED_LIMIT - 1}")
    return value


def check_name(name: str, kind: str) -> str:
    """A data-set or check name must be ``[a-z][a-z0-9_]*``."""
    if not _NAME_RE.match(name or ""):
        raise ValueError(f"invalid {kind} name {name!r}: expected lower-case letters, digits and _")
    return name


def natural_key(text: str) -> list:
    """Sort key that puts day2 before day10 and bench.cnn before bench.rnn."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def suggest(word: str, candidates: Iterable[str]) -> str:
    """'; did you mean a, b?' for the close matches of ``word``, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


# --- parameters ------------------------------------------------------------------------------


# --- targets ---------------------------------------------------------------------------------


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
        """Whether ``value`` meets the bound; a value on the bound but for its last float bits is on it.

        Metrics are differences of rounded figures (accuracies on 1,000 images step by 0.001), so
        0.981 − 0.971 must meet ``<= 0.01``, although in floats it is 0.010000000000000009.
        """
        if math.isclose(value, self.bound, rel_tol=1e-9, abs_tol=1e-12):
            return self.op in (">=", "<=", "==")
        ops = {">=": value >= self.bound, "<=": value <= self.bound, ">": value > self.bound,
               "<": value < self.bound, "==": value == self.bound}
        return bool(ops[self.op])

    def margin(self, value: float) -> float:
        """How far ``value`` is on the right side of the bound (negative: missed)."""
        return value - self.bound if self.op in (">=", ">") else self.bound - value if self.op in ("<=", "<") else -abs(value - self.bound)

    def __str__(self) -> str:
        where = f" on {self.data}" if self.data else ""
        return f"{self.op} {self.bound:g}{where}"


# --- exercises -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One checked run: an exercise, a budget, a seed, validated parameters and the data set asked for.

    Built once by ``ExerciseSpec.plan`` from what the user typed; the runner takes it as it is.
    """

    spec: "ExerciseSpec"
    budget: str
    seed: int
    params: Mapping[str, Any]
    dataset: str | None = None
    resume: str | None = None  # ``dlx run --resume DIR``: the directory of a checkpoint to continue from


@dataclass
class ExerciseSpec:
    """Everything known about an exercise (or bench suite) without running it."""

    id: str
    func: Callable
    title: str
    title_ja: str
    section: str
    data: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    params: Mapping[str, Param] = field(default_factory=dict)
    budgets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    targets: Mapping[str, tuple[Target, ...]] = field(default_factory=dict)
    course: Mapping[str, CourseFigure] = field(default_factory=dict)
    references: Mapping[str, Reference] = field(default_factory=dict)
    summary: str = ""
    aliases: tuple[str, ...] = ()  # other ids that run this spec as it is (bench suites: "bench.init")

    @property
    def chapter(self) -> str:
        return parse_id(self.id)[0]

    @property
    def name(self) -> str:
        return parse_id(self.id)[1]

    @property
    def day(self) -> int | None:
        chapter = self.chapter
        return int(chapter[3:]) if chapter.startswith("day") else None

    def plan(self, budget: str = DEFAULT_BUDGET, seed: int = 0, sets: Mapping[str, Any] | None = None,
             dataset: str | None = None) -> Plan:
        """Check the budget, the seed, the ``--set`` values and the data set once, and return the run's ``Plan``."""
        check_seed(seed)
        if dataset is not None and dataset not in self.data:
            allowed = ", ".join(self.data) or "no data set"
            raise UsageError(f"--dataset {dataset}: {self.id} runs on {allowed}")
        return Plan(self, budget, seed, self.params_for(budget, sets), dataset)

    def params_for(self, budget: str, overrides: Mapping[str, Any] | None = None) -> dict:
        """Declared defaults, then the budget's settings, then validated ``--set`` values."""
        if budget not in BUDGETS:
            raise UsageError(f"--budget {budget}: choose one of {', '.join(BUDGETS)}")
        values = {key: p.default for key, p in self.params.items()}
        values.update(self.budgets.get(budget, {}))
        for key, raw in (overrides or {}).items():
            if key not in self.params:
                known = ", ".join(sorted(self.params)) or "none"
                raise UsageError(f"--set {key}: {self.id} has no parameter {key!r}{suggest(key, self.params)} "
                                 f"(parameters: {known})")
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
            "references": {k: {"value": r.value, "source": r.source} for k, r in self.references.items()},
            "aliases": list(self.aliases),
        }


def _targets_by_metric(targets: Iterable[Target]) -> dict[str, str]:
    """{metric: ">= 0.97"}; several data-set bounds of one metric are joined: ">= 0.99 on mnist; >= 0.92 on fashion_mnist"."""
    joined: dict[str, list[str]] = {}
    for t in targets:
        joined.setdefault(t.metric, []).append(str(t))
    return {metric: "; ".join(texts) for metric, texts in joined.items()}
