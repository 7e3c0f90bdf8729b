"""What the terminal table, the notebook's HTML and ``dlx report`` share: number formats and the glossary's words.

No rich here (``cli/render.py`` draws the terminal, ``notebook.py`` the HTML):
one glossary for ``--lang ja`` (``glossary/``) and one ``fmt``, so a number reads
the same in all of them.
"""

from __future__ import annotations

from typing import Any

from .glossary import LANGS, WORDS, lang_of, tr_term, word  # noqa: F401 (the one glossary; re-exported for its users)


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
    """'mnist5k (train 4,000, test 1,000; fallback for mnist)' for each data set a result used, or '—' (the size
    names in the language in use)."""
    return "; ".join(
        f"{d['name']} ({', '.join(f'{tr_term(k)} {v:,}' for k, v in d.get('sizes', {}).items())}"
        f"{'; ' + d['note'] if d.get('note') else ''})"
        for d in result.get("data", [])
    ) or "—"
