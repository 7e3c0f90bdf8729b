"""`dlx check`: every computable 確認テスト's evidence supports its answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dl_exercises.checks import all_checks
from dl_exercises.cli.app import app


@pytest.mark.parametrize("item", all_checks(), ids=lambda c: c.name)
def test_evidence_supports_answer(item):
    evidence, ok = item.evidence()
    assert ok, evidence


def test_check_command_json_and_unknown():
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} >= {"sigmoid_derivative", "conv_output_size", "mobilenet_cost_ratio"}
    assert runner.invoke(app, ["check", "sigmoid_derivativ"]).exit_code == 2


def test_check_fails_loudly_when_evidence_disagrees(monkeypatch):
    from dl_exercises import checks

    broken = checks.Check("broken", "test", "q", "q", "a", lambda: ("nope", False))
    monkeypatch.setitem(checks.CHECKS._entries, "broken", broken)
    result = CliRunner().invoke(app, ["check", "broken"])
    assert result.exit_code == 1 and "broken" in result.stderr


# --- every 確認テスト of the course documents -----------------------------------------------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

from dl_exercises.checks import CHALLENGE, CONFIRMATION, COURSE_DOCUMENT_QUESTIONS  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
README = Path(__file__).resolve().parents[1] / "README.md"


def _seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"the course documents are not at {SEEDS}")
    return files[0].read_text(encoding="utf-8")


def test_every_question_of_the_course_documents_is_a_check():
    counted = [c for c in all_checks() if c.source is not None]
    assert len(counted) == COURSE_DOCUMENT_QUESTIONS == 23
    assert all(c.kind == CONFIRMATION for c in counted)
    assert {c.source for c in counted} == {"001", "003"}
    assert sum(c.source == "001" for c in counted) == 15 and sum(c.source == "003" for c in counted) == 8
    assert {c.kind for c in all_checks()} == {CONFIRMATION, CHALLENGE}


def test_each_check_quotes_its_question_in_the_course_document():
    for item in (c for c in all_checks() if c.source is not None):
        text = _seed(item.source)
        assert item.quote and item.quote in text, (item.name, item.quote)
    positions = [(_seed(c.source).index(c.quote), c.source) for c in all_checks() if c.source]
    assert len(set(positions)) == len(positions), "two checks quote the same place"


def test_every_confirmation_test_heading_of_the_documents_is_answered_by_a_check():
    """Each heading 確認テスト (a line of its own, not the rubric's "確認テストなど") has a check quoting what follows it."""
    for prefix in ("001", "003"):
        text = _seed(prefix)
        headings = [m.end() for m in re.finditer(r"^(?:#+ *)?確認テスト *$", text, re.MULTILINE)]
        assert headings, prefix
        quoted = sorted(text.index(c.quote) for c in all_checks() if c.source == prefix)
        for start, end in zip(headings, headings[1:] + [len(text)]):
            assert any(start <= q < end for q in quoted), (prefix, text[start:start + 80])


def test_readme_states_the_count():
    text = README.read_text(encoding="utf-8")
    assert f"all {COURSE_DOCUMENT_QUESTIONS} 確認テスト" in text


def test_each_check_names_exercises_that_exist_and_answers_in_the_courses_words():
    from dl_exercises.glossary import has_japanese
    from dl_exercises.registry import EXERCISES

    for item in all_checks():
        assert item.exercises and all(e in EXERCISES for e in item.exercises), item.name
        assert has_japanese(item.question_ja) and item.answer_ja, item.name  # a code answer may be code only


def test_check_json_keys_do_not_depend_on_the_language_and_evidence_reads_in_japanese():
    from dl_exercises.glossary import has_japanese

    runner = CliRunner()
    en = json.loads(runner.invoke(app, ["check", "--json"]).stdout)
    ja_result = runner.invoke(app, ["--lang", "ja", "check", "--json"])
    assert ja_result.exit_code == 0, ja_result.output
    ja = json.loads(ja_result.stdout)
    assert [sorted(r) for r in ja] == [sorted(r) for r in en]
    assert [r["name"] for r in ja] == [r["name"] for r in en]
    assert all(has_japanese(r["evidence"]) for r in ja), [r["evidence"] for r in ja if not has_japanese(r["evidence"])]
    shown = "".join(runner.invoke(app, ["--lang", "ja", "check", "sigmoid_derivative"]).stdout.split())
    assert "問:シグモイド関数を微分した時" in shown and "根拠:" in shown


def test_googlenet_count_equals_the_keras_builder():
    """The 確認テスト's layer-by-layer count of GoogLeNet is the parameter count of dlx's Keras GoogLeNet."""
    import gc

    import keras

    from dl_exercises.checks import googlenet_counts
    from dl_exercises.nn.googlenet import drop_auxiliary, googlenet

    model = drop_auxiliary(googlenet())
    assert model.count_params() == googlenet_counts()["params"]
    del model
    gc.collect()
    keras.backend.clear_session()
