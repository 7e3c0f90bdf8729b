"""``dlx report RUN_DIR… [--lang ja] [--out DIR]``: the learner's 実装演習 record as report.md and report.html."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .common import Lang, handle_errors, state


@handle_errors
def report_command(
    paths: List[Path] = typer.Argument(..., help="run folders (--out of `dlx run`) or result.json files; a folder "
                                       "holding several runs adds each"),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="en or ja (default: the runs' own language)",
                                        case_sensitive=False),
    out: Path = typer.Option(Path("report"), "--out", help="folder for report.md, figures/ and report.html"),
) -> None:
    """Write report.md (GitHub Markdown, figures beside it) and report.html (one page) from your runs.

    Per course section: each run's command, metrics against targets and the course, tables, figures and
    where it ran, and the 確認テスト its exercise answers with dlx's evidence. The 要点 and 考察 of each
    section are left empty for your own words.
    """
    from .. import report
    from ..glossary import use_lang
    from ..runner import prepare_out
    from . import render
    from .runs import find_results, labels

    files = find_results(list(paths))
    runs = report.load_runs(files, labels(files))
    asked = lang.value if lang is not None else state.lang
    chosen = report.report_language(runs, asked)
    target = prepare_out(out)
    if target is None:  # pragma: no cover - --out has a default
        raise UsageError("--out: name a folder")
    with use_lang(chosen):
        md, page = report.write(report.build(runs, chosen), target)
    render.stdout.print(f"{md}\n{page}")
