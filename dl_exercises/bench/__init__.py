"""Comparison suites for ``dlx bench SUITE``: registered like exercises, one main table each.

A suite is an exercise-like function (it receives a ``RunContext``) whose
rows put dlx's results beside the course's figures; it lives in
``dl_exercises/bench/<name>.py`` and registers with ``@suite``.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from typing import Any, Callable, Mapping

from ..errors import UsageError
from ..registry import CourseFigure, ExerciseSpec, Param, Target

_SUITES: dict[str, ExerciseSpec] = {}
_LOADED = False


def suite(
    name: str,
    *,
    title: str,
    title_ja: str,
    section: str,
    data: tuple[str, ...] = (),
    params: Mapping[str, Param] | None = None,
    budgets: Mapping[str, Mapping[str, Any]] | None = None,
    targets: Mapping[str, Mapping[str, str]] | None = None,
    course: Mapping[str, tuple[Any, str]] | None = None,
):
    """Register ``func(ctx)`` as benchmark suite ``name`` (``dlx bench NAME``)."""

    def decorate(func: Callable) -> Callable:
        if name in _SUITES:
            raise ValueError(f"bench suite {name} registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        _SUITES[name] = ExerciseSpec(
            id=f"bench.{name}",
            func=func,
            title=title,
            title_ja=title_ja,
            section=section,
            data=tuple(data),
            tags=("bench",),
            params=dict(params or {}),
            budgets={b: dict(v) for b, v in (budgets or {}).items()},
            targets={b: tuple(Target.parse(m, t) for m, t in v.items()) for b, v in (targets or {}).items()},
            course={k: CourseFigure.of(v) for k, v in (course or {}).items()},
            summary=doc[0] if doc else "",
        )
        return func

    return decorate


def _load_all() -> None:
    global _LOADED
    if not _LOADED:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _LOADED = True


def all_suites() -> list[ExerciseSpec]:
    _load_all()
    return [_SUITES[k] for k in sorted(_SUITES)]


def get_suite(name: str) -> ExerciseSpec:
    _load_all()
    if name in _SUITES:
        return _SUITES[name]
    close = difflib.get_close_matches(name, list(_SUITES), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    known = ", ".join(sorted(_SUITES)) or "none yet"
    raise UsageError(f"unknown bench suite {name!r}{hint} (suites: {known})")
