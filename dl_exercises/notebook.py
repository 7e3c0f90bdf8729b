"""dlx in Jupyter and Colab: live progress in the notebook's own display, results as HTML, notices as warnings.

``dl_exercises.run`` picks its reporter here (``auto_reporter``): in a notebook
kernel, ``NotebookReporter`` draws a progress table once and updates it in
place (``IPython.display`` with a display id: no widget library needed), and
keeps each finished task as a full bar, as notebook progress bars do; in a
terminal, the CLI's progress bar on stderr; elsewhere none. Notices are
``DlxNotice`` warnings everywhere in Python code.

``result_html`` draws a ``Result`` as the CLI's table does (metric | dlx |
target | course), then its extra tables, notes and figures inline. No rich
here, and nothing from IPython is imported until a notebook asks for it.
"""

from __future__ import annotations

import base64
import html
import sys
import time
from typing import Any

from .formatting import data_summary, decimals, fmt, lang_of, word
from .progress import NullTask, WarningReporter, warn_notice

UPDATE_EVERY_S = 0.2  # at most five redraws a second: a batch-level callback must not flood the notebook


def in_notebook() -> bool:
    """True inside a Jupyter (or Colab) kernel, False in a terminal IPython or plain Python."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # noqa: BLE001 - an IPython too old or too odd to ask
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def auto_reporter(title: str = ""):
    """The reporter for Python code: the notebook's display, a bar on a terminal's stderr, or none; notices as warnings."""
    if in_notebook():
        return NotebookReporter(title)
    if sys.stderr is not None and hasattr(sys.stderr, "isatty") and sys.stderr.isatty():
        from .cli.render import RichReporter

        return WarningReporter(RichReporter())
    return WarningReporter(None)


class _Task:
    def __init__(self, reporter: NotebookReporter, label: str, total: int | None) -> None:
        self.reporter, self.label, self.total = reporter, label, total
        self.done_steps, self.info, self.closed = 0, "", False
        self.start = time.monotonic()
        self.end: float | None = None

    def advance(self, n: int = 1) -> None:
        self.done_steps += n
        self.reporter.draw()

    def describe(self, text: str) -> None:
        self.info = text
        self.reporter.draw()

    def close(self) -> None:
        if not self.closed:
            self.closed, self.end = True, time.monotonic()
            self.reporter.draw(force=True)

    def row(self) -> str:
        seconds = (self.end or time.monotonic()) - self.start
        if self.total:
            value = self.total if self.closed else min(self.done_steps, self.total)
            bar = f'<progress value="{value}" max="{self.total}" style="width:14em"></progress>'
            count = f"{value}/{self.total}"
        else:  # no known total: a bar that only says "working" (full once done)
            bar = ('<progress value="1" max="1" style="width:14em"></progress>' if self.closed
                   else '<progress style="width:14em"></progress>')
            count = str(self.done_steps) if self.done_steps else ""
        mark = "✓" if self.closed else "…"
        return (f"<tr><td style='text-align:left'>{mark} {html.escape(self.label)}</td><td>{bar}</td>"
                f"<td style='text-align:right'>{count}</td><td style='text-align:right'>{seconds:.1f} s</td>"
                f"<td style='text-align:left;opacity:.7'>{html.escape(self.info)}</td></tr>")


class NotebookReporter:
    """Progress as one HTML table in the notebook, updated in place; notices as ``DlxNotice`` warnings."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.tasks: list[_Task] = []
        self._handle = None
        self._drawn_at = 0.0

    def task(self, label: str, total: int | None = None):
        try:
            from IPython.display import HTML, display  # noqa: F401
        except ImportError:  # a kernel without IPython's display: no progress, still warnings
            return NullTask()
        task = _Task(self, label, total)
        self.tasks.append(task)
        self.draw(force=True)
        return task

    def notice(self, text: str) -> None:
        warn_notice(text)

    def html(self) -> str:
        title = f"<div style='font-weight:bold'>{html.escape(self.title)}</div>" if self.title else ""
        rows = "".join(task.row() for task in self.tasks)
        return f"<div class='dlx-progress'>{title}<table>{rows}</table></div>"

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn_at < UPDATE_EVERY_S:
            return
        from IPython.display import HTML, display

        self._drawn_at = now
        if self._handle is None:
            self._handle = display(HTML(self.html()), display_id=True)
        else:
            self._handle.update(HTML(self.html()))

    def stop(self) -> None:
        for task in self.tasks:
            if task.end is None:
                task.closed, task.end = True, time.monotonic()
        if self.tasks:
            self.draw(force=True)


# --- a Result as HTML ---------------------------------------------------------------------------------------

_CELL = "padding:2px 8px;"


def _cell(value: Any, align: str = "right", style: str = "") -> str:
    text = value if isinstance(value, str) else fmt(value)
    return f"<td style='{_CELL}text-align:{align};{style}'>{html.escape(text)}</td>"


def rows_html(title: str | None, columns: list[str], rows: list[list[Any]], limit: int | None = None) -> str:
    """A plain HTML table (first column left, the others right), ``limit`` rows at most with a count of the rest."""
    shown = rows if limit is None or len(rows) <= limit else rows[:limit]
    caption = f"<caption style='text-align:left;font-weight:bold'>{html.escape(title)}</caption>" if title else ""
    head = "".join(f"<th style='{_CELL}text-align:{'left' if i == 0 else 'right'}'>{html.escape(str(c))}</th>"
                   for i, c in enumerate(columns))
    body = "".join("<tr>" + "".join(_cell(v, "left" if i == 0 else "right") for i, v in enumerate(row)) + "</tr>"
                   for row in shown)
    more = f"<div style='opacity:.6'>… {len(rows) - len(shown)} more rows</div>" if len(shown) < len(rows) else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def result_html(result, lang: str | None = None) -> str:
    """A Result as HTML: title, what ran, metric | dlx | target | course, extra tables, verdict, notes, figures.

    In the language its notes and figures were written in, unless ``lang`` says otherwise.
    """
    lang = lang_of(lang or getattr(result, "lang", None))
    d = result.to_dict()
    title = d["title_ja"] if lang == "ja" and d.get("title_ja") else d["title"]
    parts = [f"<div class='dlx-result'><div><b style='color:#0a8a8a'>{html.escape(d['id'])}</b> "
             f"<b>{html.escape(title)}</b>"
             + (f" <span style='opacity:.6'>({html.escape(d['section'])})</span>" if d.get("section") else "")
             + "</div>"]
    status = "" if d["status"] in ("ok", "target_missed") else f" · {word(lang, 'status')} {d['status']}"
    parts.append(f"<div style='opacity:.7'>{word(lang, 'budget')} {html.escape(d['budget'])} · "
                 f"{word(lang, 'seed')} {d['seed']} · {word(lang, 'data')}: {html.escape(data_summary(d))} · "
                 f"{word(lang, 'time')} {d['wall_time_s']:.1f} s ({word(lang, 'train')} {d['train_time_s']:.1f} s)"
                 f"{html.escape(status)}</div>")
    targets = {t["metric"]: t for t in d["targets"]}
    course, references = d["course"], d["references"]
    columns = ["metric", "dlx", "target", "course"] + (["reference"] if references else [])
    head = "".join(f"<th style='{_CELL}text-align:{'left' if i == 0 else 'right'}'>{html.escape(word(lang, c))}</th>"
                   for i, c in enumerate(columns))
    rows = []
    names = list(d["metrics"]) + [n for n in list(targets) + list(course) + list(references) if n not in d["metrics"]]
    for name in names:
        metric = d["metrics"].get(name)
        figure = course.get(name, {}).get("value")
        value = "—" if metric is None else fmt(metric["value"], decimals(figure))
        if metric and metric.get("unit"):
            value += f" {metric['unit']}"
        target = targets.get(name)
        colour = "" if target is None else ("color:#1a7f37;" if target["met"] else "color:#cf222e;font-weight:bold;")
        note = f" title='{html.escape(metric['note'], quote=True)}'" if metric and metric.get("note") else ""
        cells = [f"<td style='{_CELL}text-align:left'{note}>{html.escape(name)}</td>",
                 _cell(value, style=colour), _cell(target["bound"] if target else "", style=colour), _cell(figure)]
        if references:
            cells.append(_cell(references.get(name, {}).get("value")))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    for table in d["tables"]:
        parts.append(rows_html(table["title"], table["columns"], table["rows"]))
    if d["targets"]:
        missed = [t for t in d["targets"] if not t["met"]]
        if missed:
            text = ", ".join(f"{t['metric']} {fmt(t['value'])} (target {t['bound']})" for t in missed)
            parts.append(f"<div style='color:#cf222e;font-weight:bold'>✗ {word(lang, 'missed')}: {html.escape(text)}</div>")
        else:
            parts.append(f"<div style='color:#1a7f37;font-weight:bold'>✓ {word(lang, 'met')}</div>")
    if d.get("error"):
        parts.append(f"<div style='color:#cf222e'>{html.escape(d['error'])}</div>")
    wheres = sorted({f["where"] for f in course.values() if f.get("where")})
    if wheres:
        parts.append(f"<div style='opacity:.7'>{word(lang, 'where')}: {html.escape('; '.join(wheres))}</div>")
    sources = sorted({r["source"] for r in references.values() if r.get("source")})
    if sources:
        parts.append(f"<div style='opacity:.7'>{word(lang, 'reference')}: {html.escape('; '.join(sources))}</div>")
    if d["notes"]:
        parts.append("<ul style='opacity:.8'>" + "".join(f"<li>{html.escape(n)}</li>" for n in d["notes"]) + "</ul>")
    for name, figure in result.figures.items():
        data = base64.b64encode(figure.png).decode("ascii")
        parts.append(f"<figure style='margin:8px 0'><img src='data:image/png;base64,{data}' alt='{html.escape(name)}' "
                     f"style='max-width:100%'/><figcaption style='opacity:.7'>{html.escape(name)}</figcaption></figure>")
    if d["artifacts"]:
        parts.append(f"<div style='opacity:.7'>{word(lang, 'artifacts')}: {html.escape(', '.join(d['artifacts']))}</div>")
    return "".join(parts) + "</div>"
