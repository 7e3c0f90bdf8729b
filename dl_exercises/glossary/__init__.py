"""The one glossary of the words a learner reads, and the language they are read in (``--lang``, ``DLX_LANG``).

dlx's code writes English once. Under ``--lang ja`` every text a learner reads
passes through ``translate`` at the boundary where it leaves dlx: a note, a
table's title and columns, a metric's note, a figure's titles, labels and
legends, a progress label, a notice, a one-line error. ``translate`` looks the
text up in the course's vocabulary (``glossary/ja.py``, and ``glossary/ja_params.py`` for the
parameters' help that ``dlx show`` prints):

* an exact entry (a course term: ``"test accuracy"`` → ``"テスト正解率"``);
* else a pattern: an entry with ``{name}`` fields matches a formatted text
  (``"training: {steps} steps"`` matches ``"training: 1250 steps"``); each field's
  text is translated in turn (so ``"{model} accuracy"`` reuses the word for the model)
  and put into the Japanese entry's field of the same name;
* else, several lines are translated line by line, and clauses joined by "; " clause by clause;
* else the text stays as it is (ids, numbers, formulas), and is remembered in
  ``MISSES`` so tests can say which texts lack an entry.

Ids, parameter names and JSON keys never pass through here. A leaf module: it
imports nothing of dlx, and the Japanese entries only when Japanese is asked for.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import string
from typing import Iterator

LANGS = ("en", "ja")

# The words of dlx's own tables and listings, by key (one word in each language).
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
        "error": "error", "notice": "note", "evidence": "evidence", "question": "Q", "answer": "A",
        "exercises": "exercises", "interrupted": "interrupted", "full_measured": "full budget",
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
        "error": "エラー", "notice": "注", "evidence": "根拠", "question": "問", "answer": "答",
        "exercises": "演習", "interrupted": "中断されました", "full_measured": "full 予算",
    },
}

_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("dlx_lang", default=None)

# Texts asked for in Japanese that have no entry (kept while the process runs, for tests and for finding gaps).
MISSES: set[str] = set()

JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def lang_of(lang: str | None) -> str:
    """"en" or "ja": ``lang`` when given, else the language in use (``use_lang``), else ``DLX_LANG`` (``ja…`` means ja)."""
    chosen = (lang or _LANG.get() or os.environ.get("DLX_LANG") or "en").lower()
    return "ja" if chosen.startswith("ja") else "en"


def word(lang: str, key: str) -> str:
    return WORDS[lang][key]


def current() -> str:
    """The language texts are translated into now."""
    return lang_of(None)


def set_lang(lang: str | None) -> None:
    """Use ``lang`` from now on in this context (the CLI, once it has read ``--lang``)."""
    _LANG.set(lang_of(lang) if lang else None)


@contextlib.contextmanager
def scope() -> Iterator[None]:
    """Whatever ``set_lang`` says inside the block holds only there (one CLI invocation)."""
    token = _LANG.set(_LANG.get())
    try:
        yield
    finally:
        _LANG.reset(token)


@contextlib.contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Translate into ``lang`` (``None``: ``DLX_LANG``) inside the block; yields the language chosen."""
    chosen = lang_of(lang)
    token = _LANG.set(chosen)
    try:
        yield chosen
    finally:
        _LANG.reset(token)


def kept(text: str) -> bool:
    """Whether ``text`` reads the same in Japanese on purpose: a name or formula the glossary keeps, or a neutral text."""
    return _neutral(text) or _catalog().exact(text) == text


def has_japanese(text: str) -> bool:
    return bool(JAPANESE.search(text or ""))


def translate(text: str, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the language in use); English comes back as it is."""
    if not isinstance(text, str) or not text or lang_of(lang) != "ja":
        return text
    return _catalog().translate(text)


def tr_term(text: str, lang: str | None = None) -> str:
    """Only an exact entry (a table cell, a tick label): anything else comes back unchanged and is not a miss."""
    if not isinstance(text, str) or not text or lang_of(lang) != "ja":
        return text
    return _catalog().exact(text) or text


class Catalog:
    """English → Japanese: exact entries and ``{field}`` patterns, matched as ``translate`` describes."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._exact: dict[str, str] = {}
        self._patterns: list[tuple[str, re.Pattern, str]] = []
        for english, japanese in entries.items():
            fields = [f for _, f, _, _ in string.Formatter().parse(english) if f is not None]
            if not fields:
                self._exact[english.replace("{{", "{").replace("}}", "}")] = japanese
                continue
            missing = set(fields) - {f for _, f, _, _ in string.Formatter().parse(japanese) if f is not None}
            if missing or len(set(fields)) != len(fields):
                raise ValueError(f"glossary entry {english!r}: the Japanese must use each field once ({missing})")
            prefix = next(iter(string.Formatter().parse(english)))[0]
            self._patterns.append((prefix, _pattern(english), japanese))
        # most literal text first: "{a} test accuracy" is tried before "{a} accuracy"
        self._patterns.sort(key=lambda p: -len(p[1].pattern.replace("(?P<", "").replace(">.+?)", "")))

    def exact(self, text: str) -> str | None:
        found = self._exact.get(text)
        if found is None and text[:1].isupper():  # "Loss" as a title: the entry for "loss"
            found = self._exact.get(text[0].lower() + text[1:])
        return found

    def translate(self, text: str, depth: int = 0) -> str:
        found = self.exact(text)
        if found is not None:
            return found
        stripped = text.strip()
        if stripped != text and stripped:
            inner = self.translate(stripped, depth)
            if inner != stripped:
                return text[: len(text) - len(text.lstrip())] + inner + text[len(text.rstrip()):]
        for prefix, pattern, japanese in self._patterns:
            if not text.startswith(prefix):
                continue
            match = pattern.fullmatch(text)
            if match:
                fields = {k: self._field(v, depth) for k, v in match.groupdict().items()}
                filled = _fill(japanese, fields)
                if filled != text:  # a pattern that gives the text back unchanged translated nothing: try the next
                    return filled
        for separator in ("\n", "; "):  # lines, then the clauses of a sentence (outside brackets), each on its own
            parts = text.split(separator)
            if len(parts) > 1 and all(p.count("(") == p.count(")") for p in parts):
                return separator.join(self.translate(part, depth) for part in parts)
        if depth == 0 and not _neutral(text):
            MISSES.add(text)
        return text

    def _field(self, value: str, depth: int) -> str:
        if depth >= 3 or not value:
            return value
        found = self.exact(value)
        if found is not None:
            return found
        return self.translate(value, depth + 1)


def _pattern(english: str) -> re.Pattern:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(english):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def _fill(japanese: str, fields: dict[str, str]) -> str:
    out = []
    for literal, field, _, _ in string.Formatter().parse(japanese):
        out.append(literal)
        if field is not None:
            out.append(fields[field])
    return "".join(out)


_NEUTRAL = re.compile(r"^[\s\d.,:;=+\-−–—×/%()\[\]<>≤≥|·′'\"_#@^*~±→←↑↓✓✗…]*$")
# One token that is a name, not a word: a symbol of a formula (s_k, z₁, D(G(z))), a setting (noise=0.0), a unit.
_SYMBOL = re.compile(r"^(?:[^A-Za-z]*(?:[A-Za-z][^A-Za-z]*){0,3}|\S*[_=(){}'′₀-₉^]\S*|\S+\.\w\S*|Hz|ms|µs|dB|nats|</?s>)$")


def _neutral(text: str) -> bool:
    """Texts that read the same in every language: numbers, symbols, Japanese already, a formula ($…$, or names
    and symbols between operators: ``z = 2``, ``1/N + 1/D_K²``, ``IoU ≥ 0.5``)."""
    return (bool(_NEUTRAL.match(text)) or has_japanese(text) or (text.startswith("$") and text.endswith("$"))
            or all(_SYMBOL.match(token) for token in text.split()))


_CATALOG: Catalog | None = None


def _catalog() -> Catalog:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = Catalog(entries())
    return _CATALOG


def entries() -> dict[str, str]:
    """Every Japanese entry: ``ja.JA`` and the parameters' help of ``ja_params.JA_PARAMS``, each English key once."""
    from .ja import JA
    from .ja_params import JA_PARAMS

    twice = sorted(JA.keys() & JA_PARAMS.keys())
    if twice:
        raise ValueError(f"glossary: {twice} are keys of both ja.JA and ja_params.JA_PARAMS: keep one")
    return {**JA, **JA_PARAMS}
