"""The generated `dates` translation set: correct targets, held-out dates, encodings."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dl_exercises import datasets
from dl_exercises.datasets import dates
from dl_exercises.text import BOS, EOS, UNK


@pytest.fixture(scope="module")
def bundle():
    return datasets.load("dates", seed=3, n_train=3000, n_test=400)


def test_shapes_and_usage(bundle):
    e = bundle.extra
    assert bundle.x_train.shape == bundle.y_train.shape == (3000,)
    assert bundle.x_test.shape == bundle.y_test.shape == (400,)
    assert e["src_train"].shape == (3000, dates.MAX_SOURCE_LEN) and e["src_train"].dtype == np.int32
    assert e["tgt_test"].shape == (400, 12)
    assert bundle.usage.name == "dates" and bundle.usage.sizes["train"] == 3000


def test_targets_are_iso_dates_and_sources_say_the_same_date(bundle):
    """Parse several formats back independently with strptime and compare with the target."""
    parsers = {
        0: "%d %B %Y", 2: "%Y/%m/%d", 4: "%B %d, %Y", 5: "%d %b %Y", 6: "%d.%m.%Y", 8: "%Y-%m-%d", 11: "%Y%m%d",
    }
    checked = 0
    for src, tgt, fid in zip(bundle.x_train, bundle.y_train, bundle.extra["format_train"]):
        target = dt.date.fromisoformat(str(tgt))
        if int(fid) in parsers and target.year >= 1000:
            assert dt.datetime.strptime(str(src), parsers[int(fid)]).date() == target, src
            checked += 1
        if int(fid) == 3:  # "Sunday, November 22nd 2026": the weekday must be the date's
            assert str(src).split(",")[0] == target.strftime("%A")
    assert checked > 500


def test_documented_examples():
    d = dt.date(2026, 11, 22)
    rendered = {dates.render(d, i) for i in range(len(dates.FORMATS))}
    for text in ("22 November 2026", "nov 22, 2026", "2026/11/22", "Sunday, November 22nd 2026", "2026年11月22日"):
        assert text in rendered
    assert [dates.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


def test_test_dates_never_appear_in_training(bundle):
    assert not set(bundle.y_test) & set(bundle.y_train)
    assert len(set(bundle.y_test)) == len(bundle.y_test)


def test_encodings_round_trip_without_unknowns(bundle):
    e = bundle.extra
    src_vocab, tgt_vocab = e["source_vocab"], e["target_vocab"]
    assert not np.any(e["src_train"] == UNK) and not np.any(e["src_test"] == UNK)
    for i in range(0, 400, 37):
        assert "".join(src_vocab.decode(e["src_test"][i])) == bundle.x_test[i]
        assert "".join(tgt_vocab.decode(e["tgt_test"][i])) == bundle.y_test[i]
    assert np.all(e["tgt_train"][:, 0] == BOS) and np.all(e["tgt_train"][:, -1] == EOS)
    assert max(len(s) for s in bundle.x_train) <= dates.MAX_SOURCE_LEN


def test_same_seed_same_data_and_other_seed_differs():
    a = dates.load(seed=1, n_train=50, n_test=10)
    b = dates.load(seed=1, n_train=50, n_test=10)
    c = dates.load(seed=2, n_train=50, n_test=10)
    assert list(a.x_train) == list(b.x_train)
    assert list(a.x_train) != list(c.x_train)


def test_format_subset_and_bad_arguments():
    b = dates.load(seed=0, n_train=100, n_test=20, formats=(2, 8))
    assert set(b.extra["format_train"]) <= {2, 8}
    with pytest.raises(Exception, match="formats"):
        dates.load(formats=(99,))
    with pytest.raises(Exception, match="n_test"):
        dates.load(n_train=10, n_test=10**6, min_year=2000, max_year=2000)
