"""Result and its parts: plain dataclasses with a stable, append-only ``to_dict()``.

No rich and no TensorFlow here: a Result is what an exercise hands back and
what ``--json`` prints.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Metric:
    """One measured number (or short vector of numbers) and how to read it."""

    value: Any
    unit: str = ""
    note: str = ""

    def is_finite(self) -> bool:
        values = self.value if isinstance(self.value, (list, tuple)) else [self.value]
        return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)


@dataclass
class DataUsage:
    """The data set a run actually used: its name, where it came from, and sizes."""

    name: str
    source: str
    sizes: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def describe(self) -> str:
        """'mnist5k (fallback for mnist): 4000 train / 1000 test', for table titles."""
        note = f" ({self.note})" if self.note else ""
        return f"{self.name}{note}: {self.sizes.get('train', '?')} train / {self.sizes.get('test', '?')} test"


@dataclass(frozen=True)
class CourseFigure:
    """A number the course reports, where it says so, and (optionally) the data set it was measured on.

    A figure tied to a data set is shown only beside runs on that data set.
    """

    value: Any
    where: str
    data: str | None = None


@dataclass(frozen=True)
class Reference:
    """A number from an independent reference that is not the course (e.g. a ``keras.applications`` count).

    Shown in its own "reference" column, labelled with ``source``, never in the course's column.
    """

    value: Any
    source: str


@dataclass
class TargetCheck:
    metric: str
    bound: str
    value: Any
    met: bool


@dataclass
class Table:
    """An extra table of rows an exercise shows (a grid, a comparison)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Result:
    id: str
    title: str
    budget: str
    seed: int
    status: str = "ok"  # ok | target_missed | failed | interrupted
    title_ja: str = ""
    section: str = ""
    data: list[DataUsage] = field(default_factory=list)
    metrics: dict[str, Metric] = field(default_factory=dict)
    targets: list[TargetCheck] = field(default_factory=list)
    course: dict[str, CourseFigure] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    wall_time_s: float = 0.0
    train_time_s: float = 0.0
    environment: dict[str, Any] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def missed(self) -> list[TargetCheck]:
        return [t for t in self.targets if not t.met]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["schema"] = SCHEMA_VERSION
        return _jsonable(out)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays, tuples and paths into plain JSON values; NaN becomes null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)
