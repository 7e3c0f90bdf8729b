"""Everything the terminal shows: result tables, listings, progress. The only module that imports rich.

stdout carries results; progress bars, notices and warnings go to stderr.
``lang="ja"`` shows the course's Japanese terms.
"""

from __future__ import annotations

from typing import Any, Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..formatting import data_summary, fmt, lang_of, word  # noqa: F401 (commands use render.fmt, render.lang_of)
from ..formatting import decimals as _decimals
from ..glossary import current as _current_lang
from ..glossary import translate
from ..progress import NullTask

stdout = Console(soft_wrap=False, highlight=False)
stderr = Console(stderr=True, highlight=False)


def _w(lang: str, key: str) -> str:
    return word(lang, key)


def result_table(result: dict, lang: str = "en") -> list:
    """Renderables for one result (a dict from ``Result.to_dict()``)."""
    title = result["title_ja"] if lang == "ja" and result.get("title_ja") else result["title"]
    head = Text()
    head.append(f"{result['id']}", style="bold cyan")
    head.append(f"  {title}", style="bold")
    if result.get("section"):
        head.append(f"  ({result['section']})", style="dim")
    data = data_summary(result)
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
            text = ", ".join(f"{t['metric']} {fmt(t['value'])} ({_w(lang, 'target')} {t['bound']})" for t in missed)
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


WIDE = 140  # columns from which `dlx list` shows one line per exercise


def print_spec_list(specs: Iterable, lang: str = "en") -> None:
    """One exercise per line on a wide terminal; narrower (a pipe, 80 columns), the title over a dim second line
    with section, data and tags, so nothing is cut and every id and data-set name stays whole."""
    specs = list(specs)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(_w(lang, "id"), no_wrap=True)
    wide = stdout.width >= WIDE
    if wide:
        for key in ("title", "section", "data", "tags"):
            table.add_column(_w(lang, key), no_wrap=key != "title", overflow="fold")
    else:
        table.add_column(" · ".join(_w(lang, k) for k in ("title", "section", "data", "tags")), overflow="fold")
    for spec in specs:
        title = spec.title_ja if lang == "ja" else spec.title
        data, tags = ", ".join(spec.data) or "—", ", ".join(spec.tags) or "—"
        if wide:
            table.add_row(spec.id, title, spec.section, data, tags)
        else:
            table.add_row(spec.id, Text(title) + Text(f"\n{spec.section} · {data} · {tags}", style="dim"))
    stdout.print(table)
    stderr.print(f"{len(specs)} exercises", style="dim")


def print_spec(spec, lang: str = "en") -> None:
    """An exercise's description, then its parameters: the value each budget runs with (``--set`` names kept whole,
    the help wrapping under its allowed values), targets and course figures."""
    d = spec.to_dict()
    stdout.print(Text(f"{spec.id}", style="bold cyan") + Text(f"  {spec.title} / {spec.title_ja}", style="bold"))
    stdout.print(f"{_w(lang, 'section')}: {spec.section}")
    if spec.summary:
        stdout.print(translate(spec.summary, lang))
    stdout.print(f"{_w(lang, 'data')}: {', '.join(spec.data) or '—'}   {_w(lang, 'tags')}: {', '.join(spec.tags) or '—'}")
    if d["params"]:
        table = Table(title=f"{_w(lang, 'params')} {_w(lang, 'params_note')}", title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column(_w(lang, "parameter"), no_wrap=True)
        # the names are kept whole and the help keeps 20 columns: the budgets' values fold into what is left
        # (4 gaps of 3 between the 5 columns: padding, rule, padding), so that no line is cropped at the terminal
        names = max(len(_w(lang, "parameter")), *(len(name) for name in d["params"]))
        per_budget_width = max(6, min(16, (stdout.width - names - 20 - 12) // 3))
        for budget in ("smoke", "quick", "full"):
            table.add_column(budget, overflow="fold", max_width=per_budget_width)
        table.add_column(f"{_w(lang, 'help')} ({_w(lang, 'allowed')})", overflow="fold", ratio=1, min_width=20)
        for name, p in d["params"].items():
            per_budget = [Text(str(d["budgets"][b].get(name, p["default"]))) for b in ("smoke", "quick", "full")]
            help_text = Text(translate(p["help"], lang) or "") + Text(("\n" if p["help"] else "") + p["allowed"], style="dim")
            table.add_row(name, *per_budget, help_text)
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
        minutes, machine, data = measured
        with_data = f" with {data}" if data else ""
        stdout.print(translate(f"full budget: {minutes:.1f} min measured{with_data} on {machine} (data/full_budget.md)",
                               lang))


def print_comparison(comparison: dict, lang: str = "en") -> None:
    """``dlx runs``: a column per run; what each run was, the parameters and environment that differ, every metric."""
    runs = comparison["runs"]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("", no_wrap=True)
    for run in runs:
        table.add_column(run["label"], justify="right", overflow="fold")
    created = [(r["created_utc"] or "—").replace("T", " ")[:16] for r in runs]
    rows = [(_w(lang, "exercise"), [r["id"] for r in runs]), (_w(lang, "budget"), [r["budget"] for r in runs]),
            (_w(lang, "seed"), [str(r["seed"]) for r in runs]), (_w(lang, "status"), [r["status"] for r in runs]),
            (_w(lang, "created") + " (UTC)", created),
            (_w(lang, "time") + " s", [fmt(round(r["wall_time_s"], 1)) for r in runs])]
    for i, (name, values) in enumerate(rows):
        table.add_row(name, *values, end_section=i == len(rows) - 1)
    sections = [(comparison["params_differ"], "--set "), (comparison["environment_differ"], "")]
    for differ, prefix in sections:
        for i, (name, values) in enumerate(differ.items()):
            table.add_row(Text(prefix + name, style="dim" if not prefix else ""), *(_short(v) for v in values),
                          end_section=i == len(differ) - 1)
    for name, entry in comparison["metrics"].items():
        cells = []
        for value, target in zip(entry["values"], entry["targets"]):
            cell = Text(fmt(value) + (f" {entry['unit']}" if entry["unit"] and value is not None else ""))
            if target is not None:
                cell.stylize("green" if target["met"] else "bold red")
            cells.append(cell)
        table.add_row(name, *cells)
    stdout.print(table)
    for run in runs:
        stdout.print(Text(f"{run['label']}: {run['command'] or run['path']}", style="dim", overflow="fold"))


def _short(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    if isinstance(value, str) and len(value) == 40 and all(c in "0123456789abcdef" for c in value):
        return value[:10]  # a git commit
    return fmt(value)


def print_datasets(rows: list[dict]) -> None:
    """``dlx data list``: name, ✓/✗, where from; under it (dim) what it is and the exercises that use it."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("name", no_wrap=True)
    table.add_column("here", no_wrap=True)
    table.add_column("kind · where / description · used by", overflow="fold")
    for r in rows:
        mark = Text("✓", style="green") if r["available"] else Text("✗", style="red")
        used = ", ".join(r["used_by"]) or "—"
        fallback = f" · fallback: {r['fallback']}" if r.get("fallback") else ""
        detail = Text(f"{r['kind']} · {r['where']}{fallback}") + Text(f"\n{r['description']}\nused by: {used}",
                                                                        style="dim")
        table.add_row(r["name"], mark, detail)
    stdout.print(table)


def print_rows(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(r if isinstance(r, (str, Text)) else fmt(r) for r in row))
    stdout.print(table)


def print_check(row: dict, ja: bool = False) -> None:
    """One 確認テスト: its name, section and kind, the question and answer, and dlx's evidence (or the exercise)."""
    lang = "ja" if ja else "en"
    mark = Text("✓", style="bold green") if row["ok"] else Text("✗", style="bold red")
    kind = row.get("kind", "")
    stdout.print(mark + Text(f" {row['name']}", style="bold cyan")
                 + Text(f"  ({row['section']}{' · ' + kind if kind else ''})", style="dim"))
    stdout.print(f"  {_w(lang, 'question')}: {row['question_ja'] if ja else row['question']}")
    stdout.print(f"  {_w(lang, 'answer')}: {row.get('answer_ja') if ja and row.get('answer_ja') else row['answer']}")
    stdout.print(Text(f"  {_w(lang, 'evidence')}: {row['evidence']}", style="dim"))
    if row.get("exercises"):
        stdout.print(Text(f"  {_w(lang, 'exercises')}: " + ", ".join(f"dlx run {e}" for e in row["exercises"]),
                          style="dim"))


def notice(text: str) -> None:
    lang = _current_lang()
    stderr.print(f"{_w(lang, 'notice')}: {translate(text, lang)}", style="yellow", soft_wrap=True)


def error(text: str) -> None:
    """``dlx: error: TEXT`` on stderr, in the language in use (``--lang``)."""
    lang = _current_lang()
    stderr.print(Text(f"dlx: {_w(lang, 'error')}: {translate(text, lang)}", style="bold red"), soft_wrap=True)


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
            lang = _current_lang()
            self._progress.console.print(f"{_w(lang, 'notice')}: {translate(text, lang)}", style="yellow")
        else:
            notice(text)

    def stop(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False

