"""Everything the terminal shows: result tables, listings, progress. The only module that imports rich.

stdout carries results; progress bars, notices and warnings go to stderr.
``lang="ja"`` shows the course's Japanese terms.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..progress import NullTask

stdout = Console(soft_wrap=False, highlight=False)
stderr = Console(stderr=True, highlight=False)

_WORDS = {
    "en": {
        "metric": "metric", "dlx": "dlx", "target": "target", "course": "course", "id": "id", "title": "title",
        "section": "section", "data": "data", "tags": "tags", "budget": "budget", "seed": "seed", "time": "time",
        "train": "train", "met": "all targets met", "missed": "target missed",
        "params": "parameters", "artifacts": "written", "where": "course figures from",
        "reference": "reference",
    },
    "ja": {
        "metric": "指標", "dlx": "dlx", "target": "目標", "course": "講座", "id": "ID", "title": "演習",
        "section": "章", "data": "データ", "tags": "タグ", "budget": "予算", "seed": "シード", "time": "時間",
        "train": "学習", "met": "目標達成", "missed": "目標未達",
        "params": "パラメータ", "artifacts": "出力", "where": "講座の数値の出典",
        "reference": "参考値",
    },
}


def lang_of(lang: str | None) -> str:
    chosen = (lang or os.environ.get("DLX_LANG") or "en").lower()
    return "ja" if chosen.startswith("ja") else "en"


def _w(lang: str, key: str) -> str:
    return _WORDS[lang][key]


def _decimals(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        return max((_decimals(v) for v in value), default=0)
    if isinstance(value, float):
        text = repr(value)
        return len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return 0


def fmt(value: Any, decimals: int | None = None) -> str:
    """A number for a table: 4 decimals by default, more when the course quotes more."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        digits = max(4, decimals or 0)
        if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e7):
            return f"{value:.{min(digits, 6)}g}"
        if decimals and decimals > 4:  # match the precision the course quotes
            return f"{value:.{digits}f}"
        if abs(value) >= 100:
            digits = 1
        elif abs(value) >= 10:
            digits = 2
        text = f"{value:.{digits}f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, (list, tuple)):
        if len(value) > 8:
            return "[" + ", ".join(fmt(v, decimals) for v in value[:8]) + ", …]"
        return "[" + ", ".join(fmt(v, decimals) for v in value) + "]"
    return str(value)


def result_table(result: dict, lang: str = "en") -> list:
    """Renderables for one result (a dict from ``Result.to_dict()``)."""
    title = result["title_ja"] if lang == "ja" and result.get("title_ja") else result["title"]
    head = Text()
    head.append(f"{result['id']}", style="bold cyan")
    head.append(f"  {title}", style="bold")
    if result.get("section"):
        head.append(f"  ({result['section']})", style="dim")
    data = "; ".join(
        f"{d['name']} ({', '.join(f'{k} {v:,}' for k, v in d['sizes'].items())}{'; ' + d['note'] if d.get('note') else ''})"
        for d in result.get("data", [])
    ) or "—"
    info = Text(
        f"{_w(lang, 'budget')} {result['budget']} · {_w(lang, 'seed')} {result['seed']} · {_w(lang, 'data')}: {data} · "
        f"{_w(lang, 'time')} {result['wall_time_s']:.1f} s ({_w(lang, 'train')} {result['train_time_s']:.1f} s)",
        style="dim",
    )
    targets = {t["metric"]: t for t in result.get("targets", [])}
    course = result.get("course", {})
    references = result.get("references", {})
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    columns = [("metric", "left"), ("dlx", "right"), ("target", "right"), ("course", "right")]
    if references:
        columns.append(("reference", "right"))
    for key, justify in columns:
        table.add_column(_w(lang, key), justify=justify, overflow="fold", no_wrap=key == "metric")
    names = list(result.get("metrics", {}))
    names += [n for n in list(targets) + list(course) + list(references) if n not in names]
    for name in names:
        metric = result["metrics"].get(name)
        figure = course.get(name, {}).get("value")
        value = None if metric is None else metric["value"]
        cell = Text(fmt(value, _decimals(figure)) + (f" {metric['unit']}" if metric and metric.get("unit") else ""))
        target = targets.get(name)
        bound = Text("")
        if target:
            bound = Text(target["bound"], style="green" if target["met"] else "red")
            cell.stylize("green" if target["met"] else "bold red")
        row = [name, cell, bound, fmt(figure)]
        if references:
            row.append(fmt(references.get(name, {}).get("value")))
        table.add_row(*row)
    parts: list = [head, info, table]
    for extra in result.get("tables", []):
        parts.append(_extra_table(extra))
    if result.get("targets"):
        missed = [t for t in result["targets"] if not t["met"]]
        if missed:
            text = ", ".join(f"{t['metric']} {fmt(t['value'])} (target {t['bound']})" for t in missed)
            parts.append(Text(f"✗ {_w(lang, 'missed')}: {text}", style="bold red"))
        else:
            parts.append(Text(f"✓ {_w(lang, 'met')}", style="bold green"))
    wheres = sorted({f["where"] for f in course.values() if f.get("where")})
    if wheres:
        parts.append(Text(f"{_w(lang, 'where')}: " + "; ".join(wheres), style="dim"))
    sources = sorted({r["source"] for r in references.values() if r.get("source")})
    if sources:
        parts.append(Text(f"{_w(lang, 'reference')}: " + "; ".join(sources), style="dim"))
    for note in result.get("notes", []):
        parts.append(Text(f"· {note}", style="dim"))
    if result.get("artifacts"):
        parts.append(Text(f"{_w(lang, 'artifacts')}: " + ", ".join(result["artifacts"]), style="dim"))
    return parts


def _extra_table(extra: dict) -> Table:
    table = Table(title=extra["title"], title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, column in enumerate(extra["columns"]):
        table.add_column(str(column), justify="left" if i == 0 else "right", overflow="fold")
    for row in extra["rows"]:
        table.add_row(*(fmt(v) if not isinstance(v, str) else v for v in row))
    return table


def print_result(result: dict, lang: str = "en") -> None:
    for part in result_table(result, lang):
        stdout.print(part)
    stdout.print()


def print_spec_list(specs: Iterable, lang: str = "en") -> None:
    specs = list(specs)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    keys = ("id", "title", "section") + (("data",) if stdout.width >= 110 else ()) + (("tags",) if stdout.width >= 150 else ())
    id_width = max((len(s.id) for s in specs), default=2)
    spare = stdout.width - id_width - 15 - (24 if "data" in keys else 0) - (26 if "tags" in keys else 0) - 6
    widths = {"id": id_width, "title": max(spare, 12), "section": 14, "data": 22, "tags": 24}
    for key in keys:
        table.add_column(_w(lang, key), no_wrap=True, overflow="ellipsis", max_width=widths[key])
    count = 0
    for spec in specs:
        title = spec.title_ja if lang == "ja" else spec.title
        row = [spec.id, title, spec.section, ", ".join(spec.data) or "—", ", ".join(spec.tags)]
        table.add_row(*row[: len(keys)])
        count += 1
    stdout.print(table)
    stderr.print(f"{count} exercises", style="dim")


def print_spec(spec, lang: str = "en") -> None:
    d = spec.to_dict()
    stdout.print(Text(f"{spec.id}", style="bold cyan") + Text(f"  {spec.title} / {spec.title_ja}", style="bold"))
    stdout.print(f"{_w(lang, 'section')}: {spec.section}")
    if spec.summary:
        stdout.print(spec.summary)
    stdout.print(f"{_w(lang, 'data')}: {', '.join(spec.data) or '—'}   {_w(lang, 'tags')}: {', '.join(spec.tags) or '—'}")
    if d["params"]:
        table = Table(title=_w(lang, "params"), title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
        for col in ("name", "default", "smoke", "quick", "full", "allowed", "help"):
            table.add_column(col, overflow="fold")
        for name, p in d["params"].items():
            per_budget = [str(d["budgets"][b].get(name, p["default"])) for b in ("smoke", "quick", "full")]
            table.add_row(name, str(p["default"]), *per_budget, p["allowed"], p["help"])
        stdout.print(table)
    targets = [(b, m, t) for b, ts in d["targets"].items() for m, t in ts.items()]
    if targets:
        stdout.print(f"{_w(lang, 'target')}: " + "; ".join(f"{b}: {m} {t}" for b, m, t in targets))
    for name, c in d["course"].items():
        stdout.print(f"{_w(lang, 'course')}: {name} = {fmt(c['value'])}  ({c['where']})")
    for name, r in d["references"].items():
        stdout.print(f"{_w(lang, 'reference')}: {name} = {fmt(r['value'])}  ({r['source']})")
    from ..full_budget import measured_minutes

    measured = measured_minutes(spec.id)
    if measured is not None:
        stdout.print(f"full budget: {measured[0]:.1f} min measured on {measured[1]} (data/full_budget.md)")


def print_rows(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(r if isinstance(r, (str, Text)) else fmt(r) for r in row))
    stdout.print(table)


def print_check(row: dict, ja: bool = False) -> None:
    mark = Text("✓", style="bold green") if row["ok"] else Text("✗", style="bold red")
    stdout.print(mark + Text(f" {row['name']}", style="bold cyan") + Text(f"  ({row['section']})", style="dim"))
    stdout.print(f"  Q: {row['question_ja'] if ja else row['question']}")
    stdout.print(f"  A: {row['answer']}")
    stdout.print(Text(f"  evidence: {row['evidence']}", style="dim"))


def notice(text: str) -> None:
    stderr.print(f"note: {text}", style="yellow", soft_wrap=True)


def error(text: str) -> None:
    stderr.print(Text(f"dlx: error: {text}", style="bold red"), soft_wrap=True)


class _RichTask:
    def __init__(self, progress, task_id) -> None:
        self._progress, self._id = progress, task_id

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._id, n)

    def describe(self, text: str) -> None:
        self._progress.update(self._id, info=text)

    def close(self) -> None:
        if self._id is not None:
            self._progress.remove_task(self._id)
            self._id = None


class RichReporter:
    """Progress bars on stderr for ``RunContext``; transient, so only results stay on screen."""

    def __init__(self, enabled: bool = True) -> None:
        # rich.progress is imported here, by the commands that run exercises: it is a third of rich's import
        # time, which `dlx list` and `dlx show` do not need.
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.enabled = enabled and stderr.is_terminal
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[info]}", style="dim"),
            console=stderr, transient=True,
        )
        self._started = False

    def task(self, label: str, total: int | None = None):
        if not self.enabled:
            return NullTask()
        if not self._started:
            self._progress.start()
            self._started = True
        return _RichTask(self._progress, self._progress.add_task(label, total=total, info=""))

    def notice(self, text: str) -> None:
        if self._started:
            self._progress.console.print(f"note: {text}", style="yellow")
        else:
            notice(text)

    def stop(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False

