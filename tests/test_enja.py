"""The enja loader: checksums, explicit directory, cache download from file:// URLs, corrupted files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from dl_exercises import datasets
from dl_exercises.datasets import cache, enja
from dl_exercises.errors import DataUnavailable, DlxError
from dl_exercises.text import BOS, EOS, UNK


def test_shared_corpus_matches_manifest(enja_dir):
    for name in enja.FILES:
        assert cache.sha256_file(enja_dir / name) == cache.manifest_entry("enja", name)["sha256"], name


def test_load_from_explicit_directory(enja_dir):
    b = datasets.load("enja", data_dir=str(enja_dir), n_train=2000, n_test=50, seed=1)
    e = b.extra
    assert b.usage.name == "enja" and b.usage.sizes["train"] == 2000 and b.usage.sizes["test"] == 50
    test_ja = (enja_dir / "test.ja").read_text(encoding="utf-8").splitlines()
    assert list(b.y_test) == test_ja[:50]  # file order kept
    assert e["src_train"].shape[0] == 2000 and e["tgt_test"].shape[0] == 50
    assert np.all(e["tgt_train"][:, 0] == BOS)
    row = e["tgt_train"][0]
    assert " ".join(e["target_vocab"].decode(row)) == b.y_train[0]
    assert list(row).index(EOS) == len(b.y_train[0].split(" ")) + 1
    assert " ".join(e["source_vocab"].decode(e["src_train"][3])) == b.x_train[3]
    assert not np.any(e["src_train"] == UNK)  # the vocabulary is the training split's
    assert e["level"] == "word" and len(e["x_dev"]) == 500


def test_full_corpus_sizes(enja_dir):
    b = enja.load(data_dir=enja_dir)
    assert len(b.x_train) == 50000 and len(b.x_test) == 500
    assert b.extra["tgt_test"].shape[1] == 18  # <s> + at most 16 words + </s>


def test_corrupted_file_in_explicit_directory_is_rejected(enja_dir, tmp_path):
    for name in enja.FILES:
        shutil.copy(enja_dir / name, tmp_path / name)
    (tmp_path / "dev.ja").chmod(0o644)
    with open(tmp_path / "dev.ja", "a", encoding="utf-8") as fh:
        fh.write("余分 な 行\n")
    with pytest.raises(DlxError, match="dev.ja"):
        enja.load(data_dir=tmp_path)


def test_offline_without_files_is_data_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("DLX_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("DLX_OFFLINE", "1")
    with pytest.raises(DataUnavailable, match="DLX_OFFLINE"):
        enja.load()
    with pytest.raises(DataUnavailable):
        datasets.load("enja", strict=True)
    ok, where = enja.status()
    assert not ok and "dlx data fetch enja" in where


def _file_urls(monkeypatch, source_dir):
    """Point the manifest's URLs at local files (no network), keeping its sha256."""
    real = cache.manifest_entry

    def local_entry(dataset, filename):
        entry = dict(real(dataset, filename))
        if dataset == "enja":
            entry["url"] = (source_dir / filename).as_uri()
        return entry

    monkeypatch.setattr(cache, "manifest_entry", local_entry)


def test_fetch_into_cache_verifies_and_then_loads(enja_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("DLX_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DLX_OFFLINE", raising=False)
    _file_urls(monkeypatch, enja_dir)
    b = enja.load(n_train=100, n_test=10)
    assert b.usage.source == str(tmp_path / "cache" / "enja")
    rows = enja.verify()
    assert len(rows) == 6 and all(ok for _, ok, _ in rows)
    assert enja.status()[0]


def test_corrupted_download_is_never_kept(enja_dir, tmp_path, monkeypatch):
    source = tmp_path / "mirror"
    source.mkdir()
    for name in enja.FILES:
        shutil.copy(enja_dir / name, source / name)
    (source / "test.ja").chmod(0o644)
    (source / "test.ja").write_text("壊れ た ファイル\n", encoding="utf-8")
    monkeypatch.setenv("DLX_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DLX_OFFLINE", raising=False)
    _file_urls(monkeypatch, source)
    with pytest.raises(DlxError, match="test.ja"):
        enja.fetch()
    dest = tmp_path / "cache" / "enja"
    assert not (dest / "test.ja").exists()
    assert not list(dest.glob(".test.ja.*"))  # no temporary file left behind
    assert not enja.status()[0]


def test_corrupted_cached_file_is_replaced(enja_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("DLX_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DLX_OFFLINE", raising=False)
    _file_urls(monkeypatch, enja_dir)
    enja.fetch()
    cached = tmp_path / "cache" / "enja" / "train.en"
    cached.write_text("tampered\n", encoding="utf-8")
    assert any(not ok for _, ok, _ in enja.verify())
    enja.load(n_train=10, n_test=5)  # re-downloads the bad file before use
    assert cache.sha256_file(cached) == cache.manifest_entry("enja", "train.en")["sha256"]
    monkeypatch.setenv("DLX_OFFLINE", "1")
    cached.write_text("tampered again\n", encoding="utf-8")
    with pytest.raises(DataUnavailable):
        enja.load()
