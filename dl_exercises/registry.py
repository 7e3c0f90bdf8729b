"""One registry for everything dlx looks up by name: exercises (bench suites among them), data sets, checks.

A leaf of the package: it imports only ``budget``, ``errors`` and ``result``.
The modules that register (chapters, suites, data sets, checks) are handed in
from above: the package entry (``dl_exercises/__init__.py``) names them once
(``discover``), and they are imported lazily, the first time a listing or
look-up needs them. Registration sits beside each definition (``@exercise``, ``@dataset``,
``@check``). Everything here is plain data, so ``dlx list``, ``dlx show`` and
``--help`` never import TensorFlow.

One id grammar: a *name* is ``[a-z][a-z0-9_]*`` (data sets, checks); an
exercise id is ``CHAPTER.NAME`` with CHAPTER one of ``CHAPTERS``. A bench
suite is an exercise of the ``bench`` chapter (``dlx bench cnn`` runs
``bench.cnn``); a suite that runs an exercise as it is is an alias on that
exercise's spec (``aliases=("bench.init",)``), not a second registration.
Every registry suggests close matches for unknown names.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import operator
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterable, Mapping, TypeVar

from .budget import BUDGETS, DEFAULT_BUDGET
from .errors import UsageError
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


T = TypeVar("T")


class Registry(Generic[T]):
    """Entries of one kind by name, filled by decorators in the modules that ``use`` names.

    Args:
        kind: what an entry is, for messages ("exercise", "data set", "check").
        hint: where a user sees the list, appended to "unknown" errors.
        validate: checks a key before it is registered (the id grammar).
        by_name: list entries in natural order of their names (True) or in the order they were registered.
    """

    def __init__(self, kind: str, hint: str, validate: Callable[[str], Any], by_name: bool = True) -> None:
        self.kind, self.hint, self._validate, self._by_name = kind, hint, validate, by_name
        self.sources: tuple[str, ...] = ()
        self._skip: tuple[str, ...] = ()
        self._entries: dict[str, T] = {}
        self._aliases: dict[str, str] = {}
        self._loaded = False

    def use(self, sources: Iterable[str], skip: Iterable[str] = ()) -> None:
        """Where the entries are registered: dotted names of packages (each of their modules is imported) or
        modules; ``skip`` names modules inside them that register nothing (helpers)."""
        self.sources, self._skip = tuple(sources), tuple(skip)
        self._loaded = False

    def register(self, key: str, entry: T) -> T:
        self._validate(key)
        if key in self._entries or key in self._aliases:
            raise ValueError(f"{self.kind} {key} registered twice")
        self._entries[key] = entry
        return entry

    def alias(self, name: str, key: str) -> None:
        """Let ``name`` look up the entry ``key`` (listed under ``key`` only)."""
        self._validate(name)
        if name in self._entries or name in self._aliases:
            raise ValueError(f"{self.kind} {name} registered twice")
        self._aliases[name] = key

    def aliases(self) -> dict[str, str]:
        """Alias → the key of its entry."""
        self.load()
        return dict(self._aliases)

    def load(self) -> None:
        """Import every module of the sources once, so that their decorators run."""
        if self._loaded:
            return
        if not self.sources:
            raise RuntimeError(f"no modules register {self.kind}s: dl_exercises' entry names them (registry.discover)")
        self._loaded = True
        for source in self.sources:
            module = importlib.import_module(source)
            for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
                if info.name not in self._skip:
                    importlib.import_module(f"{source}.{info.name}")

    def names(self) -> list[str]:
        self.load()
        return sorted(self._entries, key=natural_key) if self._by_name else list(self._entries)

    def all(self) -> list[T]:
        return [self._entries[k] for k in self.names()]

    def get(self, key: str) -> T:
        """The entry ``key``; an unknown key raises ``UsageError`` with the close matches."""
        self.load()
        key = self._aliases.get(key, key)
        if key in self._entries:
            return self._entries[key]
        raise UsageError(f"unknown {self.kind} {key!r}{suggest(key, self._entries)} ({self.hint})")

    def __contains__(self, key: str) -> bool:
        self.load()
        return key in self._entries or key in self._aliases


def suggest(word: str, candidates: Iterable[str]) -> str:
    """'; did you mean a, b?' for the close matches of ``word``, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


# --- parameters ------------------------------------------------------------------------------


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


def text(default: str, help: str = "") -> Param:
    return Param(str, default, help)


def data_sizes(n_train: int, n_test: int, *, min_train: int = 10, min_test: int = 10,
               what: str = "images") -> dict[str, Param]:
    """``n_train`` and ``n_test``: how many training and test samples to load (at most what the data set has)."""
    return {
        "n_train": Param(int, n_train, f"training {what} (at most what the data set has)", min=min_train),
        "n_test": Param(int, n_test, f"test {what} (at most what the data set has)", min=min_test),
    }


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


EXERCISES: Registry[ExerciseSpec] = Registry("exercise", "see `dlx list`", parse_id)
DATASETS: Registry[Any] = Registry("data set", "see `dlx data list`", lambda n: check_name(n, "data set"))
CHECKS: Registry[Any] = Registry("check", "see `dlx check`", lambda n: check_name(n, "check"), by_name=False)


def discover(*, exercises: Iterable[str], datasets: Iterable[str], checks: Iterable[str],
             dataset_helpers: Iterable[str] = ()) -> None:
    """Name the packages or modules whose decorators fill each registry (imported when first needed).

    Called once, from above: the package entry knows where its chapters, suites, data sets and
    checks live; the registry imports none of them by a name of its own.
    """
    EXERCISES.use(exercises)
    DATASETS.use(datasets, skip=dataset_helpers)
    CHECKS.use(checks)


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
    course: Mapping[str, tuple] | None = None,
    references: Mapping[str, tuple[Any, str]] | None = None,
    aliases: Iterable[str] = (),
):
    """Register the decorated ``func(ctx)`` as exercise ``exercise_id`` (a ``bench.NAME`` id makes a suite).

    ``budgets`` maps a budget to parameter values (epochs, data sizes); each key
    must be a declared parameter and each value must pass its check. ``targets``
    maps a budget to ``{metric: ">= 0.97"}``; a bound that depends on the data set
    is ``{metric: {data_set: ">= 0.99", ...}}`` and must name a declared data set.
    ``course`` maps a metric to ``(value, where the course states it)``, or to
    ``(value, where, data_set)`` for a figure that applies only to runs on that data set.
    ``references`` maps a metric to ``(value, source)`` of an independent reference that
    is not the course (shown in its own column, labelled with its source).
    ``aliases`` are further ids that run this exercise as it is (``("bench.init",)``: ``dlx bench init``).
    """
    parse_id(exercise_id)
    aliases = tuple(aliases)
    for alias in aliases:
        parse_id(alias)
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
    for budget in targets or {}:
        if budget not in BUDGETS:
            raise ValueError(f"{exercise_id}: targets for unknown budget {budget!r}")
    parsed_targets = {
        budget: tuple(t for metric, spec in bounds.items() for t in Target.parse_all(metric, spec))
        for budget, bounds in (targets or {}).items()
    }
    for bound in (t for ts in parsed_targets.values() for t in ts):
        if bound.data is not None and bound.data not in data:
            raise ValueError(f"{exercise_id}: target {bound.metric} {bound} names a data set it does not declare")
    figures = {name: CourseFigure(*spec) for name, spec in (course or {}).items()}
    for name, figure in figures.items():
        if figure.data is not None and figure.data not in data:
            raise ValueError(f"{exercise_id}: course figure {name} names a data set it does not declare")

    def decorate(func: Callable) -> Callable:
        doc = (func.__doc__ or "").strip().splitlines()
        EXERCISES.register(exercise_id, ExerciseSpec(
            id=exercise_id, func=func, title=title, title_ja=title_ja, section=section, data=data,
            tags=tuple(tags), params=params, budgets=budgets, targets=parsed_targets, course=figures,
            references={name: Reference(*spec) for name, spec in (references or {}).items()},
            summary=doc[0] if doc else "", aliases=aliases,
        ))
        for alias in aliases:
            EXERCISES.alias(alias, exercise_id)
        return func

    return decorate


def all_specs() -> list[ExerciseSpec]:
    return EXERCISES.all()


def list_exercises(
    pattern: str | None = None, *, day: int | None = None, tag: str | None = None,
    chapter: str | None = None,
) -> list[ExerciseSpec]:
    """Filter the registry by glob ``pattern``, ``day`` (1–4), ``tag`` and ``chapter``; natural sort.

    Bench suites (chapter ``bench``) are listed only when asked for by pattern, tag or chapter.
    """
    specs = EXERCISES.all()
    asked_for_bench = chapter == "bench" or tag == "bench" or (pattern or "").startswith("bench")
    if not asked_for_bench:
        specs = [s for s in specs if s.chapter != "bench"]
    if pattern:
        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        specs = [s for s in specs if fnmatch.fnmatchcase(s.id, glob)]
    if day is not None:
        specs = [s for s in specs if s.day == day]
    if tag:
        specs = [s for s in specs if tag in s.tags]
    if chapter:
        specs = [s for s in specs if s.chapter == chapter]
    return specs


def list_suites() -> list[ExerciseSpec]:
    """The specs registered as bench suites (exercises of the ``bench`` chapter); aliases aside."""
    return list_exercises(chapter="bench")


def suites() -> dict[str, ExerciseSpec]:
    """What ``dlx bench NAME`` runs, by NAME: the bench suites and the exercises with a ``bench.NAME`` alias."""
    by_name = {spec.name: spec for spec in list_suites()}
    by_name.update({parse_id(alias)[1]: EXERCISES.get(key) for alias, key in EXERCISES.aliases().items()
                    if parse_id(alias)[0] == "bench"})
    return dict(sorted(by_name.items(), key=lambda item: natural_key(item[0])))


def get_exercise(exercise_id: str) -> ExerciseSpec:
    """Look up one exercise or suite; unknown ids raise ``UsageError`` with close matches."""
    return EXERCISES.get(exercise_id)
