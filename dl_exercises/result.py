"""Result and its parts: plain dataclasses with a stable, append-only ``to_dict()``.

No rich and no TensorFlow here: a Result is what an exercise hands back and
what ``--json`` prints. In a notebook it shows itself as an HTML table
(``_repr_html_``, drawn by ``notebook.py``), with its figures inline;
``Result.load(DIR)`` reads back what a run wrote with ``--out``.

The JSON schema (``"schema"``) only ever gains keys:
  1: the first.
  2: ``created_utc`` and ``command`` (where the run came from); the environment's ``cpu``,
     ``vector_instructions``, ``onednn``, ``tensorflow_build``, ``gpu_names``, ``precision``,
     ``git_commit`` and ``git_modified``. Readers of schema 1 files get these as empty values.
  3: ``lang``, the language of the run's notes, table titles and figures (``--lang``); "en" for older files.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3
NOT_IN_JSON = {"json": False}  # field metadata: kept in memory, written elsewhere (PNG files, history.csv)


@dataclass
class Metric:
    """One measured number (or short vector of numbers) and how to read it."""

    value: Any
    unit: str = ""
    note: str = ""

    def is_finite(self) -> bool:
        values = self.value if isinstance(self.value, (list, tuple)) else [self.value]
        return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)

    def __float__(self) -> float:
        """``float(result.metrics["test_accuracy"])``: the value of a scalar metric."""
        if isinstance(self.value, (list, tuple)) or self.value is None:
            raise TypeError(f"metric value {self.value!r} is not a single number")
        return float(self.value)


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


@dataclass(frozen=True)
class Figure:
    """A figure an exercise drew, as PNG bytes; in a notebook it shows itself (``_repr_png_``)."""

    name: str
    png: bytes = field(repr=False)
    path: str | None = None  # where ``--out`` wrote it, if anywhere

    def _repr_png_(self) -> bytes:
        return self.png

    def save(self, path: str | Path) -> Path:
        """Write the PNG to ``path`` and return it."""
        path = Path(path)
        path.write_bytes(self.png)
        return path


class History(list):
    """The rows of a run's history (``history.csv``): a list of dicts that also gives columns by name.

    ``history["loss"]`` is that column as a list (``None`` where a row has no value), ``history[0]``
    the first row; ``Result.history`` is a pandas ``DataFrame`` instead when pandas is installed.
    """

    @property
    def columns(self) -> list[str]:
        names: list[str] = []
        for row in self:
            names.extend(k for k in row if k not in names)
        return names

    def __getitem__(self, key):
        if isinstance(key, str):
            if key not in self.columns:
                raise KeyError(f"{key!r}: the history's columns are {', '.join(self.columns) or 'none'}")
            return [row.get(key) for row in self]
        return super().__getitem__(key)

    def _repr_html_(self) -> str:
        from .notebook import rows_html

        return rows_html(None, self.columns, [[row.get(c) for c in self.columns] for row in self], limit=20)


@dataclass(repr=False)
class Result:
    id: str
    title: str
    budget: str
    seed: int
    status: str = "ok"  # running | ok | target_missed | failed | interrupted
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
    # schema 2
    created_utc: str = ""  # when the run started, ISO 8601 in UTC
    command: str = ""  # the command line, or the Python call, that started it
    # schema 3
    lang: str = "en"  # the language its texts and figures were written in: "en" or "ja"
    # in memory only: the figures (PNG files with --out) and the history rows (history.csv)
    figures: dict[str, Figure] = field(default_factory=dict, metadata=NOT_IN_JSON)
    history_rows: list[dict[str, Any]] = field(default_factory=list, metadata=NOT_IN_JSON)

    @property
    def missed(self) -> list[TargetCheck]:
        return [t for t in self.targets if not t.met]

    @property
    def history(self):
        """The history rows: a pandas ``DataFrame`` when pandas is installed, else a ``History`` (a list of dicts)."""
        if importlib.util.find_spec("pandas") is not None:
            import pandas as pd

            return pd.DataFrame(self.history_rows)
        return History(self.history_rows)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.metadata.get("json", True)}
        out["schema"] = SCHEMA_VERSION
        return _jsonable(out)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> Result:
        """A Result from ``to_dict()`` output of any schema so far (keys a later schema adds are ignored)."""
        d = upgrade(payload)
        return cls(
            **{k: d[k] for k in ("id", "title", "budget", "seed", "status", "title_ja", "section", "params",
                                 "wall_time_s", "train_time_s", "environment", "artifacts", "notes", "error",
                                 "created_utc", "command", "lang")},
            data=[DataUsage(**_known(DataUsage, x)) for x in d["data"]],
            metrics={k: Metric(**_known(Metric, v)) for k, v in d["metrics"].items()},
            targets=[TargetCheck(**_known(TargetCheck, t)) for t in d["targets"]],
            course={k: CourseFigure(**_known(CourseFigure, c)) for k, c in d["course"].items()},
            references={k: Reference(**_known(Reference, r)) for k, r in d["references"].items()},
            tables=[Table(**_known(Table, t)) for t in d["tables"]],
        )

    @classmethod
    def load(cls, path: str | Path) -> Result:
        """The run written to ``path`` (a ``--out`` folder or its ``result.json``), with its figures and history."""
        path = Path(path)
        file = path / "result.json" if path.is_dir() else path
        result = cls.from_dict(read_result_json(file))
        folder = file.parent
        for artifact in result.artifacts:
            name = Path(artifact).name
            if name.endswith(".png") and (folder / name).is_file():
                result.figures[name] = Figure(name, (folder / name).read_bytes(), str(folder / name))
        if (folder / "history.csv").is_file():
            with open(folder / "history.csv", newline="", encoding="utf-8") as fh:
                result.history_rows = [{k: _number(v) for k, v in row.items() if v != ""} for row in csv.DictReader(fh)]
        return result

    def __repr__(self) -> str:
        targets = ""
        if self.targets:
            targets = f", targets {len(self.targets) - len(self.missed)}/{len(self.targets)} met"
        figures = f", figures {', '.join(self.figures)}" if self.figures else ""
        return (f"Result({self.id!r}, budget={self.budget!r}, seed={self.seed}, status={self.status!r}, "
                f"{len(self.metrics)} metrics{targets}{figures}, {self.wall_time_s:.1f} s)")

    def _repr_html_(self) -> str:
        from .notebook import result_html

        return result_html(self)


def read_result_json(path: str | Path) -> dict[str, Any]:
    """The JSON of a ``result.json``, upgraded to the current schema; ``ValueError`` if it is not one."""
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(payload, dict) or not {"id", "budget", "metrics"} <= set(payload):
        raise ValueError(f"{path}: not a dlx result (no id, budget and metrics)")
    return upgrade(payload)


def upgrade(payload: dict[str, Any]) -> dict[str, Any]:
    """A result dict of schema 1 or later with every key of the current schema (missing ones empty)."""
    d = dict(payload)
    for key, empty in (("title", ""), ("seed", 0), ("status", "ok"), ("title_ja", ""), ("section", ""),
                       ("data", []), ("metrics", {}), ("targets", []), ("course", {}), ("references", {}),
                       ("params", {}), ("wall_time_s", 0.0), ("train_time_s", 0.0), ("environment", {}),
                       ("artifacts", []), ("tables", []), ("notes", []), ("error", ""),
                       ("created_utc", ""), ("command", ""), ("lang", "en")):
        if d.get(key) is None:
            d[key] = empty
    d["schema"] = d.get("schema", 1)
    return d


def _known(cls, values: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in values.items() if k in names}


def _number(text: str) -> Any:
    """A CSV cell back as the int or float it was written from, else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


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
