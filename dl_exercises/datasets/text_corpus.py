"""Real English text that ships with Python, for word2vec (Day3 Section5, word2vec).

``python_docs``: the reference-manual topics of ``pydoc_data.topics`` (what
``help("if")`` shows) followed by the docstrings of the standard library's
modules, classes and functions, read with ``ast`` from the source files
(nothing is imported or executed), about 330,000 words. Extracting takes a few
seconds; the text is cached under the dlx data directory.
``load(path=...)`` reads any UTF-8 text file instead.

Bundle: ``x_train`` int32 token ids of the whole corpus in order (words seen
fewer than ``min_count`` times dropped), ``y_train``/``x_test``/``y_test`` None;
``extra``: ``vocab`` (list, id → word, most frequent first), ``counts`` (int64
per id), ``source``. Pure Python and numpy.
"""

from __future__ import annotations

import ast
import os
import re
import sysconfig
from collections import Counter
from pathlib import Path

import numpy as np

from ..errors import DlxError
from ..result import DataUsage
from . import Bundle, dataset
from .cache import data_dir

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-cased words (letters, with an inner apostrophe kept)."""
    return _WORD.findall(text.lower())


def toy_vocabulary(sentence: str = "I want to eat apples. I like apples.") -> list[str]:
    """The course's example: the distinct words of a sentence, sorted (Day3 Section5, word2vec).

    Case is kept, as the course writes {apples, eat, I, like, to, want}.
    """
    return sorted(set(re.findall(r"[A-Za-z]+", sentence)), key=str.lower)


def _stdlib_docstrings() -> list[str]:
    root = Path(sysconfig.get_paths()["stdlib"])
    docs = []
    for path in sorted(root.rglob("*.py")):
        if {"test", "tests", "site-packages", "idlelib", "lib2to3"} & set(path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, OSError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    docs.append(doc)
    return docs


def python_docs_text() -> str:
    """The ``python_docs`` corpus as one string (cached after the first call)."""
    import sys

    cache = data_dir() / "python_docs" / f"python{sys.version_info[0]}.{sys.version_info[1]}.txt"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    from pydoc_data.topics import topics

    text = "\n\n".join([topics[k] for k in sorted(topics)] + _stdlib_docstrings())
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(cache)
    return text


@dataset(
    "python_docs",
    description="English text shipped with Python: pydoc topics + stdlib docstrings (~330k words; word2vec)",
    kind="package",
)
def load(seed: int = 0, path: str | None = None, min_count: int = 5, max_tokens: int | None = None, **_ignored) -> Bundle:
    """A tokenized corpus for word2vec (Day3 Section5).

    Args:
        seed: unused (the corpus is fixed); kept for the loader interface.
        path: a UTF-8 text file to use instead of the Python documentation.
        min_count: words seen fewer times are dropped.
        max_tokens: keep only the first this many words (before dropping rare ones).
    Returns:
        ``Bundle`` as described in the module docstring.
    """
    if path:
        file = Path(path).expanduser()
        if not file.is_file():
            raise DlxError(f"corpus file not found: {file}")
        text, source = file.read_text(encoding="utf-8", errors="replace"), str(file)
    else:
        text, source = python_docs_text(), "pydoc_data.topics + standard-library docstrings (this Python)"
    words = tokenize(text)
    if max_tokens:
        words = words[:max_tokens]
    counts = Counter(words)
    vocab = [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= min_count]
    if len(vocab) < 10:
        raise DlxError(f"corpus {source} has only {len(vocab)} words seen {min_count}+ times; need at least 10")
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.array([index[w] for w in words if w in index], dtype=np.int32)
    usage = DataUsage("python_docs" if not path else "text_file", source, {"tokens": int(ids.size), "vocab": len(vocab)})
    extra = {"vocab": vocab, "counts": np.array([counts[w] for w in vocab], dtype=np.int64), "source": source}
    return Bundle(ids, None, None, None, usage, extra)
