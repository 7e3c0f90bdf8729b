"""``dlx check``: the course's computable 確認テスト, each with dlx's computed evidence."""

from __future__ import annotations

import json
from typing import Optional

import typer

from ..errors import DlxError
from ..glossary import translate
from ..registry import CHECKS
from . import completion
from .common import handle_errors, state


@handle_errors
def check_command(
    name: Optional[str] = typer.Argument(None, help="one check by name; all when omitted",
                                         autocompletion=completion.checks),
    as_json: bool = typer.Option(False, "--json", help="print JSON on stdout"),
) -> None:
    """Print each 確認テスト's question, answer and the evidence dlx computes (or the exercise that shows it); exit 1
    if evidence disagrees. Under --lang ja the question and answer are the course's own words."""
    checks = [CHECKS.get(name)] if name is not None else CHECKS.all()
    rows = []
    for item in checks:
        evidence, ok = item.evidence()
        rows.append({"name": item.name, "section": item.section, "question": item.question,
                     "question_ja": item.question_ja, "answer": item.answer, "evidence": translate(evidence),
                     "ok": ok, "answer_ja": item.answer_ja, "kind": item.kind, "exercises": list(item.exercises),
                     "source": item.source})
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from . import render

        ja = render.lang_of(state.lang) == "ja"
        for row in rows:
            render.print_check(row, ja)
    failed = [r["name"] for r in rows if not r["ok"]]
    if failed:
        raise DlxError(f"evidence does not support the answer for: {', '.join(failed)}")
