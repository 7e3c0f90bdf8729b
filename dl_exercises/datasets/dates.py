"""Date-format translation: many surface forms of a date → ISO ``YYYY-MM-DD``, character level.

A generated, embedded stand-in for machine translation (Day3 Section3
seq2seq, Day3 attention, Day4 Section5 Transformer): the source is a date
written one of ``len(FORMATS)`` ways, the target is the same date in ISO form::

    "22 November 2026"             -> "2026-11-22"
    "nov 22, 2026"                 -> "2026-11-22"
    "2026/11/22"                   -> "2026-11-22"
    "Sunday, November 22nd 2026"   -> "2026-11-22"
    "2026年11月22日"                -> "2026-11-22"

Weekdays and ordinals are always right (they come from ``datetime``). Numeric
forms never mix day-first and month-first with the same separator, so each
source has exactly one correct translation.

Bundle layout (``load(seed, n_train, n_test, min_year, max_year, formats)``):

- ``x_train``, ``x_test``: numpy arrays of source strings, shape ``(N,)``.
- ``y_train``, ``y_test``: numpy arrays of ISO target strings, shape ``(N,)``.
- ``extra["source_vocab"]``, ``extra["target_vocab"]``: ``dl_exercises.text.Vocab``
  over characters (ids 0-3 are ``<pad>``, ``<s>``, ``</s>``, ``<unk>``; the
  source vocabulary covers every character any format can produce).
- ``extra["src_train"]``, ``extra["src_test"]``: int32 ``(N, MAX_SOURCE_LEN)``
  (the longest any format can write a 4-digit-year date: 30), source
  characters, zero-padded (no ``<s>``/``</s>``).
- ``extra["tgt_train"]``, ``extra["tgt_test"]``: int32 ``(N, 12)`` =
  ``<s>`` + 10 characters + ``</s>``. Teacher forcing feeds ``tgt[:, :-1]``
  and predicts ``tgt[:, 1:]``.
- ``extra["format_train"]``, ``extra["format_test"]``: int ``(N,)``, index into
  ``FORMATS`` (names in ``extra["format_names"]``), e.g. to score accuracy per
  format or per source length.
- ``extra["max_source_len"]`` (= ``MAX_SOURCE_LEN``), ``extra["target_len"]`` (= 10).

Held-out means held out: test dates are drawn first and no training example
uses any of them, in any format. Pure Python and numpy; no TensorFlow here.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import numpy as np

from ..errors import DlxError
from ..result import DataUsage
from ..text.vocab import Vocab
from . import Bundle, dataset

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TARGET_LEN = 10  # "YYYY-MM-DD"


def ordinal(day: int) -> str:
    """``1 → "1st"``, ``2 → "2nd"``, ``11 → "11th"``, ``22 → "22nd"``."""
    if 10 <= day % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _month(d: dt.date) -> str:
    return MONTHS[d.month - 1]


def _weekday(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


# (name, formatter): the surface forms. Order is part of the data set (format ids).
FORMATS: tuple[tuple[str, Callable[[dt.date], str]], ...] = (
    ("D Month YYYY", lambda d: f"{d.day} {_month(d)} {d.year}"),
    ("mon D, YYYY", lambda d: f"{_month(d)[:3].lower()} {d.day}, {d.year}"),
    ("YYYY/MM/DD", lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}"),
    ("Weekday, Month Dth YYYY", lambda d: f"{_weekday(d)}, {_month(d)} {ordinal(d.day)} {d.year}"),
    ("Month D, YYYY", lambda d: f"{_month(d)} {d.day}, {d.year}"),
    ("DD Mon YYYY", lambda d: f"{d.day:02d} {_month(d)[:3]} {d.year}"),
    ("DD.MM.YYYY", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}"),
    ("Wkd D Mon YYYY", lambda d: f"{_weekday(d)[:3]} {d.day} {_month(d)[:3]} {d.year}"),
    ("YYYY-MM-DD", lambda d: d.isoformat()),
    ("MONTH D YYYY", lambda d: f"{_month(d).upper()} {d.day} {d.year}"),
    ("the Dth of Month, YYYY", lambda d: f"the {ordinal(d.day)} of {_month(d)}, {d.year}"),
    ("YYYYMMDD", lambda d: f"{d.year}{d.month:02d}{d.day:02d}"),
    ("D/Mon/YYYY", lambda d: f"{d.day}/{_month(d)[:3]}/{d.year}"),
    ("YYYY年M月D日", lambda d: f"{d.year}年{d.month}月{d.day}日"),
    ("Mon. Dth, YYYY", lambda d: f"{_month(d)[:3]}. {ordinal(d.day)}, {d.year}"),
    ("weekday month D yyyy", lambda d: f"{_weekday(d).lower()} {_month(d).lower()} {d.day} {d.year}"),
)
FORMAT_NAMES = tuple(name for name, _ in FORMATS)


def render(d: dt.date, format_id: int) -> str:
    """The date ``d`` written in format ``FORMATS[format_id]``."""
    return FORMATS[format_id][1](d)


def _one_leap_year() -> list[str]:
    # A leap year has every month, weekday and day of month, so it shows every
    # character and the longest rendering of every format (years have 4 digits).
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    return [render(d, fid) for d in days for fid in range(len(FORMATS))]


def source_vocab() -> Vocab:
    """Every character any format can produce (all months, weekdays, ordinals, digits), sorted."""
    return Vocab(sorted(set("0123456789").union(*_one_leap_year())))


MAX_SOURCE_LEN = max(len(s) for s in _one_leap_year())  # source arrays have this many columns


def target_vocab() -> Vocab:
    """Digits and ``-``."""
    return Vocab(list("0123456789-"))


def _draw_dates(n_train: int, n_test: int, min_year: int, max_year: int, rng: np.random.Generator):
    first = dt.date(min_year, 1, 1).toordinal()
    last = dt.date(max_year, 12, 31).toordinal()
    span = last - first + 1
    if n_test >= span:
        raise DlxError(f"dates: n_test={n_test} needs more than the {span} days in {min_year}-{max_year}")
    days = rng.permutation(span)
    test_days = days[:n_test]
    train_pool = days[n_test:]
    train_days = rng.choice(train_pool, size=n_train, replace=n_train > train_pool.size)
    return first + train_days, first + test_days


def _render_all(ordinals: np.ndarray, format_ids: np.ndarray) -> tuple[list[str], list[str]]:
    sources, targets = [], []
    for o, fid in zip(ordinals, format_ids):
        d = dt.date.fromordinal(int(o))
        sources.append(render(d, int(fid)))
        targets.append(d.isoformat())
    return sources, targets


@dataset(
    "dates",
    description="dates in many surface forms → ISO YYYY-MM-DD, character level (seq2seq, attention, Transformer); generated",
    kind="generated",
)
def load(seed: int = 0, n_train: int = 20000, n_test: int = 1000, min_year: int = 1900, max_year: int = 2099,
         formats: tuple[int, ...] | None = None) -> Bundle:
    """Generate the date-translation task (Day3 Section3 / Day4 Section5 stand-in for translation).

    Args:
        seed: random seed (dates and formats).
        n_train: training pairs (dates drawn from the non-test days, format uniformly at random).
        n_test: held-out pairs, each a distinct date never seen in training.
        min_year, max_year: range of years (inclusive).
        formats: indices into ``FORMATS`` to draw from (default: all).

    Returns:
        ``Bundle`` as laid out in the module docstring.
    """
    if n_train < 1 or n_test < 1:
        raise DlxError(f"dates: need n_train >= 1 and n_test >= 1; Received: n_train={n_train}, n_test={n_test}")
    if not 1 <= min_year <= max_year <= 9999:
        raise DlxError(f"dates: need 1 <= min_year <= max_year <= 9999; Received: min_year={min_year}, max_year={max_year}")
    format_ids = tuple(range(len(FORMATS))) if formats is None else tuple(int(f) for f in formats)
    if not format_ids or any(not 0 <= f < len(FORMATS) for f in format_ids):
        raise DlxError(f"dates: formats must be indices in [0, {len(FORMATS)}); Received: formats={formats}")
    rng = np.random.default_rng(seed)
    train_days, test_days = _draw_dates(n_train, n_test, min_year, max_year, rng)
    fmt_train = rng.choice(format_ids, size=n_train)
    fmt_test = rng.choice(format_ids, size=n_test)
    x_train, y_train = _render_all(train_days, fmt_train)
    x_test, y_test = _render_all(test_days, fmt_test)
    src_vocab, tgt_vocab = source_vocab(), target_vocab()
    max_source_len = MAX_SOURCE_LEN
    extra = {
        "source_vocab": src_vocab,
        "target_vocab": tgt_vocab,
        "src_train": src_vocab.encode_batch([list(s) for s in x_train], max_source_len),
        "src_test": src_vocab.encode_batch([list(s) for s in x_test], max_source_len),
        "tgt_train": tgt_vocab.encode_batch([list(s) for s in y_train], TARGET_LEN + 2, bos=True, eos=True),
        "tgt_test": tgt_vocab.encode_batch([list(s) for s in y_test], TARGET_LEN + 2, bos=True, eos=True),
        "format_train": np.asarray(fmt_train),
        "format_test": np.asarray(fmt_test),
        "format_names": FORMAT_NAMES,
        "max_source_len": max_source_len,
        "target_len": TARGET_LEN,
    }
    usage = DataUsage(
        name="dates",
        source="generated by dlx",
        sizes={"train": int(n_train), "test": int(n_test), "formats": len(format_ids)},
    )
    return Bundle(np.array(x_train), np.array(y_train), np.array(x_test), np.array(y_test), usage, extra)
