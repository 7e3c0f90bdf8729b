"""``dlx report``: a learner's own runs as the course's 実装演習 record, in Markdown and in one HTML page.

The course asks each chapter's report for a summary in the learner's words
(要点), the results of the implementation exercises (実装演習結果) and the
learner's own thoughts on the 確認テスト (考察). dlx knows the middle part only,
so that is all it writes: per course section, each run's command, metrics
against targets and the course, tables, figures and provenance, and the
確認テスト that its exercises answer, with dlx's evidence. Under every section
it leaves 要点 and 考察 headed and empty, and says so at the top.

One document model (``Doc``: headings, paragraphs, tables, figures, …) is
rendered twice: ``report.md`` in GitHub-flavoured Markdown with the figures
copied beside it under ``figures/`` and linked relatively, and ``report.html``,
one self-contained page with the figures embedded and the Japanese font it
needs (the glyphs of the page, cut from the font dlx depends on) inside it.
No rich and no TensorFlow here.
"""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import UsageError
from .formatting import data_summary, fmt
from .formatting import decimals as _decimals
from .glossary import has_japanese, translate, word
from .spec import CHAPTERS, natural_key
from .result import Result, read_result_json

# The course's section titles where its documents name them (the report rubric of the Day 3–4 report, and the
# Day 1–2 report's headings), in both languages.
SECTION_TITLES = {
    "Day1 Section1": ("Input layer to hidden layer", "入力層〜中間層"),
    "Day1 Section2": ("Activation functions", "活性化関数"),
    "Day1 Section3": ("Output layer", "出力層"),
    "Day1 Section4": ("Gradient descent", "勾配降下法"),
    "Day1 Section5": ("Back-propagation", "誤差逆伝播法"),
    "Day2 Section1": ("Vanishing gradients", "勾配消失問題"),
    "Day2 Section2": ("Optimizers", "学習率最適化手法"),
    "Day3 Section1": ("Recurrent neural networks", "再帰型ニューラルネットワークの概念"),
    "Day3 Section2": ("LSTM", "LSTM"),
    "Day3 Section3": ("GRU", "GRU"),
    "Day3 Section4": ("Bidirectional RNN", "双方向RNN"),
    "Day3 Section5": ("Seq2Seq", "Seq2Seq"),
    "Day3 Section6": ("word2vec", "Word2vec"),
    "Day3 Section7": ("Attention mechanism", "Attention Mechanism"),
    "Day4 Section1": ("Reinforcement learning", "強化学習"),
    "Day4 Section2": ("AlphaGo", "AlphaGo"),
    "Day4 Section3": ("Lightweight and fast models", "軽量化・高速化技術"),
    "Day4 Section4": ("Applied models", "応用モデル"),
    "Day4 Section5": ("Transformer", "Transformer"),
    "Day4 Section6": ("Object detection and segmentation", "物体検知・セグメンテーション"),
}

CHAPTER_TITLES = {"day1": ("Day 1", "深層学習 Day1"), "day2": ("Day 2", "深層学習 Day2"),
                  "day3": ("Day 3", "深層学習 Day3"), "day4": ("Day 4", "深層学習 Day4"),
                  "examples": ("The course's example programs", "講座のサンプルプログラム"),
                  "bench": ("Comparisons (dlx bench)", "比較 (dlx bench)")}

TEXT = {
    "en": {
        "title": "Implementation exercises",
        "intro": ("dlx wrote this record from the runs listed below: for each exercise the command that ran it, its "
                  "metrics beside its target and the course's figures, its tables and figures, where it ran, and the "
                  "確認テスト its exercise answers with dlx's evidence. It holds no summary and no 考察 of dlx's own: "
                  "under every section the headings 要点 (summary) and 考察 (your thoughts) are left empty for your "
                  "own words, as the course's report requires."),
        "runs": "Runs", "points": "要点 (summary, in your words)", "exercises": "実装演習 (implementation exercises)",
        "checks": "確認テスト", "discussion": "考察 (your thoughts)", "command": "Command",
        "provenance": "Where it ran", "notes": "dlx's notes on the run", "question": "Question", "answer": "Answer",
        "evidence": "dlx's evidence", "demonstrated": "Shown by", "placeholder": "write here, in your own words",
        "when": "date (UTC)", "machine": "machine", "versions": "versions", "device": "device",
        "precision": "precision", "budget": "budget and seed", "data": "data", "time": "time",
        "commit": "git commit", "status": "status", "figure": "figure", "modified": "modified",
    },
    "ja": {
        "title": "実装演習レポート",
        "intro": ("このレポートは、下に挙げた実行の結果から dlx が書いたものです。各演習について、実行したコマンド、"
                  "目標と講座の数値に並べた指標、表と図、実行した環境、その演習が答える確認テストと dlx の根拠を載せています。"
                  "dlx 自身の要約や考察は書いていません。各章の「要点」と「考察」の見出しは空けてあります。"
                  "講座のレポートの要件どおり、自分の言葉で書いてください。"),
        "runs": "実行", "points": "要点", "exercises": "実装演習", "checks": "確認テスト", "discussion": "考察",
        "command": "コマンド", "provenance": "実行環境", "notes": "dlx の注記", "question": "問",
        "answer": "答", "evidence": "dlx の根拠", "demonstrated": "示す演習", "placeholder": "ここに自分の言葉で書く",
        "when": "日時 (UTC)", "machine": "マシン", "versions": "バージョン", "device": "デバイス",
        "precision": "数値精度", "budget": "予算とシード", "data": "データ", "time": "時間",
        "commit": "git コミット", "status": "状態", "figure": "図", "modified": "変更あり",
    },
}


# --- the document model ----------------------------------------------------------------------------


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    code: bool = False  # one line of code (a command)


@dataclass
class Items:
    items: list[str]


@dataclass
class Grid:
    title: str
    columns: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)  # "left" | "right" per column


@dataclass
class Picture:
    name: str
    png: bytes
    path: str  # relative to the report, with / separators


@dataclass
class Placeholder:
    """An empty section for the learner: nothing shows; the Markdown keeps a comment saying what goes there."""

    hint: str


@dataclass
class Doc:
    lang: str
    title: str
    blocks: list[Any] = field(default_factory=list)

    def add(self, *blocks: Any) -> None:
        self.blocks.extend(blocks)


@dataclass
class Run:
    """One run folder: its result, the label it goes by in the report, its figures."""

    folder: Path
    label: str
    result: Result


# --- building ------------------------------------------------------------------------------------------


def load_runs(files: list[Path], labels: list[str]) -> list[Run]:
    """The runs behind ``files`` (result.json paths), with their figures; ``UsageError`` for what is no result."""
    runs = []
    for path, label in zip(files, labels):
        try:
            read_result_json(path)
            result = Result.load(path)
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: {exc}") from None
        runs.append(Run(path.parent, label, result))
    return runs


def report_language(runs: list[Run], asked: str | None) -> str:
    """The report's language: ``asked`` (--lang) or the runs' own; their figures must be in it."""
    langs = {r.result.lang or "en" for r in runs}
    lang = asked or (langs.pop() if len(langs) == 1 else "en")
    other = [r for r in runs if (r.result.lang or "en") != lang]
    if other:
        shown = ", ".join(f"{r.label} ({r.result.lang or 'en'})" for r in other[:4])
        raise UsageError(f"the figures and notes of {shown} are not in {lang}; run them again with "
                         f"`dlx --lang {lang} run ID --out DIR`, or make the report in their language")
    return lang


def build(runs: list[Run], lang: str) -> Doc:
    """The report of ``runs`` in ``lang``: per chapter and course section, 要点 / 実装演習 / 確認テスト / 考察."""
    from .checks import all_checks

    t = TEXT[lang]
    doc = Doc(lang, t["title"])
    doc.add(Heading(1, t["title"]), Paragraph(t["intro"]))
    doc.add(Heading(2, t["runs"]), Items([f"{r.label}: `{r.result.command or r.result.id}`" for r in runs]))
    by_section: dict[str, list[Run]] = {}
    for run in sorted(runs, key=lambda r: (_chapter_rank(r.result.id), natural_key(r.result.section or ""),
                                           natural_key(r.result.id), r.label)):
        by_section.setdefault(run.result.section or "—", []).append(run)
    placed = _place_checks(all_checks(), by_section)
    chapter = None
    for section, members in by_section.items():
        this_chapter = members[0].result.id.split(".")[0]
        if this_chapter != chapter:
            chapter = this_chapter
            en, ja = CHAPTER_TITLES.get(chapter, (chapter, chapter))
            doc.add(Heading(2, ja if lang == "ja" else en))
        names = SECTION_TITLES.get(section)
        doc.add(Heading(3, f"{section}: {names[1 if lang == 'ja' else 0]}" if names else section))
        doc.add(Heading(4, t["points"]), Placeholder(t["placeholder"]))
        doc.add(Heading(4, t["exercises"]))
        for run in members:
            _add_run(doc, run, lang)
        if placed.get(section):
            doc.add(Heading(4, t["checks"]))
            for item in placed[section]:
                _add_check(doc, item, lang)
        doc.add(Heading(4, t["discussion"]), Placeholder(t["placeholder"]))
    return doc


def _chapter_rank(exercise_id: str) -> int:
    chapter = exercise_id.split(".")[0]
    return CHAPTERS.index(chapter) if chapter in CHAPTERS else len(CHAPTERS)


def _place_checks(checks, by_section: dict[str, list[Run]]) -> dict[str, list]:
    """Each check once: under its own section when a run of it is there, else under the first section whose runs it names."""
    placed: dict[str, list] = {}
    ids = {section: {r.result.id for r in members} for section, members in by_section.items()}
    for item in checks:
        named = [s for s, members in ids.items() if members & set(item.exercises)]
        if not named:
            continue
        where = item.section if item.section in named else named[0]
        placed.setdefault(where, []).append(item)
    return placed


def _add_run(doc: Doc, run: Run, lang: str) -> None:
    t, r = TEXT[lang], run.result
    d = r.to_dict()
    title = r.title_ja if lang == "ja" and r.title_ja else r.title
    doc.add(Heading(5, f"`{r.id}` — {title}"))
    doc.add(Paragraph(f"{t['command']}:"), Paragraph(r.command or f"dlx run {r.id} --budget {r.budget} --seed {r.seed}",
                                                     code=True))
    targets = {x["metric"]: x for x in d["targets"]}
    columns = [word(lang, "metric"), word(lang, "dlx"), word(lang, "target"), word(lang, "course")]
    if d["references"]:
        columns.append(word(lang, "reference"))
    rows = []
    names = list(d["metrics"]) + [n for n in list(targets) + list(d["course"]) if n not in d["metrics"]]
    for name in names:
        metric = d["metrics"].get(name)
        course = d["course"].get(name, {}).get("value")
        value = None if metric is None else metric["value"]
        cell = fmt(value, _decimals(course)) + (f" {metric['unit']}" if metric and metric.get("unit") else "")
        target = targets.get(name)
        bound = "" if target is None else f"{target['bound']} {'✓' if target['met'] else '✗'}"
        row = [name, cell, bound, fmt(course)]
        if d["references"]:
            row.append(fmt(d["references"].get(name, {}).get("value")))
        rows.append(row)
    doc.add(Grid("", columns, rows, ["left", "right", "right", "right", "right"][: len(columns)]))
    if d["targets"]:
        missed = [x for x in d["targets"] if not x["met"]]
        doc.add(Paragraph(f"✗ {word(lang, 'missed')}: " + ", ".join(f"{x['metric']} {fmt(x['value'])} ({x['bound']})"
                                                                  for x in missed)
                          if missed else f"✓ {word(lang, 'met')}"))
    for table in d["tables"]:
        doc.add(Grid(table["title"], [str(c) for c in table["columns"]],
                     [[v if isinstance(v, str) else fmt(v) for v in row] for row in table["rows"]],
                     ["left"] + ["right"] * (len(table["columns"]) - 1)))
    for name, figure in r.figures.items():
        doc.add(Picture(name, figure.png, f"figures/{_safe(run.label)}/{_safe(name)}"))
    if d["notes"]:
        doc.add(Paragraph(f"{t['notes']}:"), Items(list(d["notes"])))
    env = d["environment"]
    versions = ", ".join(f"{k} {env[k]}" for k in ("dlx", "keras", "tensorflow", "python") if env.get(k))
    device = ", ".join(env.get("gpu_names") or []) or env.get("device") or "CPU"
    provenance = [
        f"{t['when']}: {(d['created_utc'] or '—').replace('T', ' ').replace('Z', '')}",
        f"{t['machine']}: {env.get('cpu') or '—'}",
        f"{t['versions']}: {versions or '—'}",
        f"{t['device']}: {device}",
        f"{t['precision']}: {env.get('precision') or '—'}",
        f"{t['budget']}: {d['budget']} · {d['seed']}",
        f"{t['data']}: {data_summary(d)}",
        f"{t['time']}: {d['wall_time_s']:.1f} s ({word(lang, 'train')} {d['train_time_s']:.1f} s)",
    ]
    if env.get("git_commit"):
        provenance.append(f"{t['commit']}: {env['git_commit'][:12]}{' (' + t['modified'] + ')' if env.get('git_modified') else ''}")
    if d["status"] not in ("ok", "target_missed"):
        provenance.append(f"{t['status']}: {d['status']} {d.get('error') or ''}".rstrip())
    doc.add(Paragraph(f"{t['provenance']}:"), Items(provenance))


def _add_check(doc: Doc, item, lang: str) -> None:
    t = TEXT[lang]
    evidence, ok = item.evidence()
    question = item.question_ja if lang == "ja" else item.question
    answer = item.answer_ja if lang == "ja" and item.answer_ja else item.answer
    kind = f" ({item.kind})" if lang == "ja" or item.kind != "確認テスト" else ""
    doc.add(Heading(5, f"{item.section} · `{item.name}`{kind}"))
    doc.add(Items([f"{t['question']}: {question}", f"{t['answer']}: {answer}",
                   f"{t['evidence']}: {'✓' if ok else '✗'} {translate(evidence, lang)}",
                   f"{t['demonstrated']}: " + ", ".join(f"`dlx run {e}`" for e in item.exercises)]))


def _safe(name: str) -> str:
    """A file or folder name that needs no quoting in a link: letters, digits, . _ - (others become _)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "run"


# --- Markdown ------------------------------------------------------------------------------------------


def to_markdown(doc: Doc) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + _md_inline(block.text))
        elif isinstance(block, Paragraph):
            out.append(f"`{block.text}`" if block.code and "`" not in block.text else
                       ("```\n" + block.text + "\n```" if block.code else _md_inline(block.text)))
        elif isinstance(block, Items):
            out.append("\n".join(f"- {_md_inline(item)}" for item in block.items))
        elif isinstance(block, Grid):
            lines = [f"**{_md_inline(block.title)}**", ""] if block.title else []
            lines.append("| " + " | ".join(_md_cell(c) for c in block.columns) + " |")
            align = block.align or ["left"] * len(block.columns)
            lines.append("|" + "|".join("---:" if a == "right" else "---" for a in align) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
        elif isinstance(block, Picture):
            out.append(f"![{_md_inline(block.name)}]({quote(block.path)})")
        elif isinstance(block, Placeholder):
            out.append(f"<!-- {block.hint} -->")
    return "\n\n".join(out) + "\n"


def _md_inline(text: str) -> str:
    """Text for a Markdown line: characters Markdown would read as markup are escaped (`code` spans kept)."""
    parts = re.split(r"(`[^`]*`)", str(text))
    return "".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1 else
                   re.sub(r"([\\*_\[\]<>#|~])", r"\\\1", p) for p in parts)


def _md_cell(text: Any) -> str:
    return _md_inline(str(text)).replace("\n", " ")


# --- HTML ------------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "dlx-ja", "DejaVu Sans", sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em;
       color: #1f2328; line-height: 1.6; }
h1, h2, h3, h4, h5 { line-height: 1.3; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
h4 { margin-bottom: .3em; } h5 { margin: 1.2em 0 .3em; font-size: 1em; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: .9em; }
th, td { border: 1px solid #d0d7de; padding: .2em .6em; } th { background: #f6f8fa; }
td.right, th.right { text-align: right; } td.left, th.left { text-align: left; }
code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; font-size: .9em; }
img { max-width: 100%; display: block; margin: .5em 0; } .caption { font-weight: bold; margin-top: .8em; }
section.blank { min-height: 2em; border-left: 3px solid #d0d7de; margin: 0 0 1em; }
"""


def to_html(doc: Doc) -> str:
    body: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_html_inline(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p><code>{html.escape(block.text)}</code></p>" if block.code
                        else f"<p>{_html_inline(block.text)}</p>")
        elif isinstance(block, Items):
            body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Grid):
            align = block.align or ["left"] * len(block.columns)
            head = "".join(f"<th class='{a}'>{html.escape(str(c))}</th>" for c, a in zip(block.columns, align))
            rows = "".join("<tr>" + "".join(f"<td class='{a}'>{html.escape(str(c))}</td>" for c, a in zip(row, align))
                           + "</tr>" for row in block.rows)
            caption = f"<div class='caption'>{html.escape(block.title)}</div>" if block.title else ""
            body.append(f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Picture):
            data = base64.b64encode(block.png).decode("ascii")
            body.append(f"<img alt='{html.escape(block.name)}' src='data:image/png;base64,{data}'>")
        elif isinstance(block, Placeholder):
            body.append(f"<section class='blank' title='{html.escape(block.hint)}'></section>")
    text = "\n".join(body)
    font = _embedded_font(doc.title + re.sub(r"<[^>]+>", "", text))
    face = (f"@font-face {{ font-family: 'dlx-ja'; src: url(data:font/ttf;base64,{font}) format('truetype'); }}\n"
            if font else "")
    return (f"<!DOCTYPE html>\n<html lang='{doc.lang}'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>\n<title>{html.escape(doc.title)}</title>\n"
            f"<style>\n{face}{_CSS}</style>\n</head>\n<body>\n{text}\n</body>\n</html>\n")


def _html_inline(text: str) -> str:
    parts = re.split(r"(`[^`]*`)", str(text))
    return "".join(f"<code>{html.escape(p[1:-1])}</code>" if p.startswith("`") and p.endswith("`") and len(p) > 1
                   else html.escape(p) for p in parts)


def _embedded_font(text: str) -> str:
    """The Japanese font dlx depends on, cut to the characters of ``text``, base64; '' when not needed or not there."""
    if not has_japanese(text):
        return ""
    from . import fonts

    path = fonts.font_file()
    if path is None:
        return ""
    from fontTools import subset

    options = subset.Options()
    options.drop_tables += ["DSIG"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "".join(chr(c) for c in range(0x20, 0x7F)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# --- writing -------------------------------------------------------------------------------------------


def write(doc: Doc, out: Path) -> tuple[Path, Path]:
    """report.md with its figures under ``out/figures``, and report.html; returns both paths."""
    figures = out / "figures"
    if figures.exists():
        shutil.rmtree(figures)  # figures of an earlier report must not linger beside this one
    for block in doc.blocks:
        if isinstance(block, Picture):
            target = out / block.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(block.png)
    md, page = out / "report.md", out / "report.html"
    md.write_text(to_markdown(doc), encoding="utf-8")
    page.write_text(to_html(doc), encoding="utf-8")
    return md, page
