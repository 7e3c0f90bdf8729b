"""What the terminal table and the notebook's HTML share: the glossary of words a learner reads, and number formats.

No rich here (``cli/render.py`` draws the terminal, ``notebook.py`` the HTML):
one glossary for ``--lang ja`` and one ``fmt``, so a number reads the same
in both.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("en", "ja")

WORDS = {
    "en": {
        "metric": "metric", "dlx": "dlx", "target": "target", "course": "course", "id": "id", "title": "title",
        "section": "section", "data": "data", "tags": "tags", "budget": "budget", "seed": "seed", "time": "time",
        "train": "train", "met": "all targets met", "missed": "target missed",
        "params": "parameters", "artifacts": "written", "where": "course figures from",
        "reference": "reference", "figures": "figures", "history": "history", "notes": "notes",
        "status": "status", "created": "created", "run": "run", "parameter": "parameter", "help": "help",
        "allowed": "allowed", "params_note": "(--set NAME=VALUE; the value each budget runs with)",
        "exercise": "exercise", "differ": "differ", "environment": "environment", "runs": "runs",
    },
    "ja": {
        "metric": "指標", "dlx": "dlx", "target": "目標", "course": "講座", "id": "ID", "title": "演習",
        "section": "章", "data": "データ", "tags": "タグ", "budget": "予算", "seed": "シード", "time": "時間",
        "train": "学習", "met": "目標達成", "missed": "目標未達",
        "params": "パラメータ", "artifacts": "出力", "where": "講座の数値の出典",
        "reference": "参考値", "figures": "図", "history": "学習履歴", "notes": "注記",
        "status": "状態", "created": "作成", "run": "実行", "parameter": "パラメータ", "help": "説明",
        "allowed": "許容値", "params_note": "（--set 名前=値; 各予算で使う値）",
        "exercise": "演習", "differ": "相違", "environment": "環境", "runs": "実行",
    },
}


def lang_of(lang: str | None) -> str:
    """"en" or "ja": ``--lang`` when given (checked by the CLI), else ``DLX_LANG`` (any ``ja…`` locale means ja)."""
    chosen = (lang or os.environ.get("DLX_LANG") or "en").lower()
    return "ja" if chosen.startswith("ja") else "en"


def word(lang: str, key: str) -> str:
    return WORDS[lang][key]


def decimals(value: Any) -> int:
    """How many decimals a figure is quoted with (so dlx's number is shown to the same precision)."""
    if isinstance(value, (list, tuple)):
        return max((decimals(v) for v in value), default=0)
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


def data_summary(result: dict) -> str:
    """'mnist5k (train 4,000, test 1,000; fallback for mnist)' for each data set a result used, or '—'."""
    return "; ".join(
        f"{d['name']} ({', '.join(f'{k} {v:,}' for k, v in d.get('sizes', {}).items())}"
        f"{'; ' + d['note'] if d.get('note') else ''})"
        for d in result.get("data", [])
    ) or "—"
