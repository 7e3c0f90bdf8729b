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
