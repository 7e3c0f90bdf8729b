"""`dlx show` under --lang ja: every parameter's help of every exercise and bench suite reads in Japanese.

Fast: it reads the registry (no TensorFlow, nothing runs). A help text added or
reworded without an entry in ``glossary/ja_params.py`` (or ``ja.py``) fails here,
and so does a help that a ``{field}`` pattern only half translates.
"""

from __future__ import annotations

import re

import pytest

from dl_exercises import glossary
from dl_exercises.glossary import has_japanese, translate
from dl_exercises.glossary.ja import JA
from dl_exercises.glossary.ja_params import JA_PARAMS
from dl_exercises.registry import list_exercises, list_suites

# Helps that read the same in Japanese on purpose, and why.
KEPT = {
    # day4.normalization's channels: the symbol C. An entry "C" would also rename the ground truth C that
    # day4.detection_metrics' tables show (table cells are looked up as exact entries).
    "C",
}

# Runs of English words that a Japanese help may hold: names and the course's own English terms.
ENGLISH_KEPT = {
    "AlphaGo Zero", "Double DQN", "Experience Replay", "dense block", "hard negative", "dilated causal",
    "virtual loss", "Sutskever et al", "dlx bench cnn", "SGD lr",
}
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ -][A-Za-z]{2,})+\b")


def _helps() -> dict[str, list[str]]:
    """Each help text, with the parameters (``id:name``) that show it."""
    helps: dict[str, list[str]] = {}
    for spec in list_exercises() + list_suites():
        for name, param in spec.params.items():
            if param.help:
                helps.setdefault(param.help, []).append(f"{spec.id}:{name}")
    return helps


HELPS = _helps()


def test_every_parameter_help_reads_in_japanese():
    missing, partial = [], []
    for text, where in sorted(HELPS.items()):
        if text in KEPT:
            assert glossary.kept(text), f"{text!r} is kept as it is, so it must be a name or symbol"
            continue
        glossary.MISSES.clear()
        japanese = translate(text, "ja")
        if japanese == text or not has_japanese(japanese) or glossary.MISSES:
            missing.append((where[0], text))
            continue
        english = set(ENGLISH_RUN.findall(japanese)) - ENGLISH_KEPT
        if english:  # a pattern matched, but a field of it stayed in English
            partial.append((where[0], text, japanese, sorted(english)))
    glossary.MISSES.clear()
    assert not missing, f"{len(missing)} help texts have no Japanese (add them to glossary/ja_params.py): {missing}"
    assert not partial, f"help texts only partly in Japanese: {partial}"


def test_a_helps_english_key_is_defined_once_across_ja_and_ja_params():
    assert not JA.keys() & JA_PARAMS.keys()
    merged = glossary.entries()
    assert len(merged) == len(JA) + len(JA_PARAMS)
    glossary.Catalog(JA_PARAMS)  # raises on an entry whose Japanese drops or repeats a field
    for english, japanese in JA_PARAMS.items():
        assert english.strip() == english and japanese.strip() == japanese, english
        assert has_japanese(japanese), english


def test_the_merge_refuses_a_key_in_both_dicts(monkeypatch):
    from dl_exercises.glossary import ja_params

    monkeypatch.setattr(ja_params, "JA_PARAMS", {**JA_PARAMS, "learning rate": "学習率"})
    with pytest.raises(ValueError, match="learning rate"):
        glossary.entries()


def test_built_helps_translate_whatever_the_registry_filled_in():
    # day4.distributed writes the number of devices of the machine it runs on into its help
    assert translate("most replicas of the synchronous runs (devices here: 16)", "ja") == (
        "同期型の実行のレプリカ数の上限 (ここでのデバイス数: 16)")
    # the pattern "{what} (course: {value})" of ja.py completes a {what} of ja_params.py
    assert translate("SGD steps (course: 100)", "ja") == "SGD のステップ数 (講座: 100)"
    assert translate("stop training after this many minutes (0 = run every epoch); ", "ja").startswith(
        "この分数を過ぎたら学習を止める")
