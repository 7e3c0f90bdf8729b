"""One registry for everything dlx looks up by name: exercises (bench suites among them), data sets, checks.

A leaf of the package: it imports only ``spec``, ``params`` and ``result``. The modules
that register (chapters, suites, data sets, checks) are handed in from above: the package
entry (``dl_exercises/__init__.py``) names them once (``discover``), and they are imported
lazily, the first time a listing or look-up needs them. Registration sits beside each
definition (``@exercise``, ``@dataset``, ``@check``). Everything here is plain data, so
``dlx list``, ``dlx show`` and ``--help`` never import TensorFlow.

A bench suite is an exercise of the ``bench`` chapter (``dlx bench cnn`` runs
``bench.cnn``); a suite that runs an exercise as it is is an alias on that exercise's
spec (``aliases=("bench.init",)``), not a second registration. Every registry suggests
close matches for unknown names (``spec.suggest``).
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from typing import Any, Callable, Generic, Iterable, Mapping, TypeVar

from .budget import BUDGETS
from .errors import UsageError
from .params import Param
from .result import CourseFigure, Reference
from .spec import ExerciseSpec, Target, check_name, natural_key, parse_id, suggest

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
