"""small_parallel_enja: 50k English–Japanese sentence pairs, tokenized (Day3 Section3, Day4 Section5).

The Tanaka-corpus subset by odashi (4-16 words per sentence; English
lowercased and tokenized, Japanese tokenized with KyTea); words are separated
by single spaces, so the token level is ``line.split(" ")``. Six files:
``train``/``dev``/``test`` × ``.en``/``.ja`` (50,000 / 500 / 500 lines).

Where the files are looked for, in order (every file's sha256 is checked
against ``data/manifest.json``, entry ``enja``):

1. an explicit directory (``load(data_dir=...)``, ``--set data_dir=``);
2. ``$DLX_DATA_DIR/enja``, which is also dlx's cache ``cache.data_dir()/enja``
   (``~/.cache/dlx/enja`` when ``$DLX_DATA_DIR`` is unset); missing or corrupted
   files there are downloaded (``dlx data fetch enja``) unless ``DLX_OFFLINE`` is set.

A file that fails its checksum is never used: in an explicit directory it is an
error naming the file; in the cache it is downloaded again to a temporary file
and only renamed into place once it verifies. The corpus is not part of dlx.

Bundle layout (same as ``dates``; pure Python and numpy):

- ``x_*``/``y_*``: numpy arrays of English / Japanese lines (tokens joined by spaces).
- ``extra["source_vocab"]``/``["target_vocab"]``: ``dl_exercises.text.Vocab`` over
  the training split's words (test words unseen in training become ``<unk>``).
- ``extra["src_train"|"src_dev"|"src_test"]``: int32, zero-padded, no specials.
- ``extra["tgt_train"|"tgt_dev"|"tgt_test"]``: int32 ``<s>`` + words + ``</s>``.
- ``extra["x_dev"]``, ``extra["y_dev"]``; ``extra["level"] = "word"``; ``extra["dir"]``.

The test split keeps the file's order (``n_test`` takes the first lines), so
decoded hypotheses line up with ``test.ja``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import DataUnavailable, DlxError
from ..result import DataUsage
from ..text.vocab import Vocab
from . import Bundle, cache, dataset

NAME = "enja"
FILES = ("train.en", "train.ja", "dev.en", "dev.ja", "test.en", "test.ja")


def cache_dir() -> Path:
    """``cache.data_dir()/enja`` (``$DLX_DATA_DIR/enja`` when that is set)."""
    return cache.data_dir() / NAME


def _sha256(filename: str) -> str:
    return cache.manifest_entry(NAME, filename)["sha256"]


def _complete(directory: Path) -> bool:
    return all((directory / f).is_file() for f in FILES)


def _verified(directory: Path) -> list[str]:
    """Names of the files in ``directory`` that are missing or fail their sha256."""
    return [f for f in FILES if not cache.verify(directory / f, _sha256(f))]


def fetch(dest: Path | None = None) -> str:
    """Download (or re-download) the six files into the cache, each checked before it is kept."""
    dest = Path(dest) if dest else cache_dir()
    for filename in FILES:
        entry = cache.manifest_entry(NAME, filename)
        cache.download(entry["url"], dest / filename, entry["sha256"])
    return str(dest)


def find(data_dir: str | os.PathLike | None = None) -> Path:
    """The verified corpus directory, downloading into the cache when needed and allowed.

    Args:
        data_dir: an explicit directory holding the six files (checked, never written to).

    Returns:
        The directory whose six files all match the manifest.

    Raises:
        DlxError: a file in ``data_dir`` is missing or corrupted.
        DataUnavailable: nothing usable here and DLX_OFFLINE is set (or the download failed).
    """
    if data_dir:
        directory = Path(data_dir).expanduser()
        bad = _verified(directory)
        if bad:
            raise DlxError(f"enja: {', '.join(bad)} in {directory} missing or failing its sha256 "
                           "(compare with data/manifest.json, or remove data_dir to use the cache)")
        return directory
    directory = cache_dir()
    if _complete(directory) and not _verified(directory):
        return directory
    if cache.offline():
        raise DataUnavailable(f"small_parallel_enja is not in {directory} and DLX_OFFLINE is set")
    fetch(directory)
    return directory


def status() -> tuple[bool, str]:
    directory = cache_dir()
    if _complete(directory):
        return True, f"cached: {directory}"
    return False, "not cached; `dlx data fetch enja` downloads it (4.5 MB), or --set data_dir=DIR"


def verify() -> list[tuple[str, bool, str]]:
    directory = cache_dir()
    rows = []
    for filename in FILES:
        path = directory / filename
        if path.exists():
            ok = cache.verify(path, _sha256(filename))
            rows.append((str(path), ok, "sha256 ok" if ok else "sha256 MISMATCH"))
    return rows


def _read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@dataset(
    NAME,
    description="small_parallel_enja: 50k English→Japanese sentence pairs, tokenized (Tanaka Corpus, CC BY 2.0 FR)",
    kind="download",
    status=status,
    fetch=fetch,
    verify=verify,
)
def load(seed: int = 0, n_train: int | None = None, n_test: int | None = None, data_dir: str | None = None,
         min_count: int = 1) -> Bundle:
    """English → Japanese pairs at word level, encoded for seq2seq (Day3 Section3, Day4 Section5).

    Args:
        seed: picks the ``n_train`` training pairs (random subset) when fewer than 50,000.
        n_train: training pairs (default all 50,000).
        n_test: test pairs, the first lines of the test files (default all 500).
        data_dir: explicit directory with the six files (else the cache, see the module docstring).
        min_count: words seen fewer times in the training pairs become ``<unk>``.

    Returns:
        ``Bundle`` as laid out in the module docstring.
    """
    directory = find(data_dir)
    text = {f: _read(directory / f) for f in FILES}
    for split in ("train", "dev", "test"):
        if len(text[f"{split}.en"]) != len(text[f"{split}.ja"]):
            raise DlxError(f"enja: {split}.en and {split}.ja differ in length in {directory}")
    x_train, y_train = np.array(text["train.en"]), np.array(text["train.ja"])
    if n_train is not None and n_train < len(x_train):
        order = np.sort(np.random.default_rng(seed).choice(len(x_train), size=n_train, replace=False))
        x_train, y_train = x_train[order], y_train[order]
    n_test = len(text["test.en"]) if n_test is None else min(n_test, len(text["test.en"]))
    x_test, y_test = np.array(text["test.en"][:n_test]), np.array(text["test.ja"][:n_test])
    x_dev, y_dev = np.array(text["dev.en"]), np.array(text["dev.ja"])

    def tokens(lines):
        return [line.split(" ") for line in lines]

    src_vocab = Vocab.from_corpus(tokens(x_train), min_count=min_count)
    tgt_vocab = Vocab.from_corpus(tokens(y_train), min_count=min_count)
    src_len = max(len(t) for lines in (x_train, x_dev, x_test) for t in tokens(lines))
    tgt_len = max(len(t) for lines in (y_train, y_dev, y_test) for t in tokens(lines)) + 2
    extra = {
        "level": "word",
        "dir": str(directory),
        "source_vocab": src_vocab,
        "target_vocab": tgt_vocab,
        "x_dev": x_dev,
        "y_dev": y_dev,
    }
    for split, (xs, ys) in {"train": (x_train, y_train), "dev": (x_dev, y_dev), "test": (x_test, y_test)}.items():
        extra[f"src_{split}"] = src_vocab.encode_batch(tokens(xs), src_len)
        extra[f"tgt_{split}"] = tgt_vocab.encode_batch(tokens(ys), tgt_len, bos=True, eos=True)
    usage = DataUsage(
        name=NAME,
        source=str(directory),
        sizes={"train": len(x_train), "test": len(x_test), "source_vocab": len(src_vocab), "target_vocab": len(tgt_vocab)},
    )
    return Bundle(x_train, y_train, x_test, y_test, usage, extra)
