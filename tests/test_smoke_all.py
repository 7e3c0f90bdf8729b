"""Every registered exercise and bench suite runs at the smoke budget and returns a well-formed Result."""

from __future__ import annotations

import json

import pytest

from dl_exercises.datasets import recorded_names
from dl_exercises.registry import list_exercises, list_suites
from dl_exercises.runner import run_exercise

from tests.test_examples import EXAMPLES

SPECS = list_exercises() + list_suites()


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_smoke_run_is_well_formed(spec, tmp_path):
    result = run_exercise(spec, budget="smoke", seed=0, out=tmp_path)
    assert result.status in ("ok", "target_missed"), result.error
    assert not spec.targets_for("smoke") or result.status == "ok"
    assert result.metrics, "an exercise must report at least one metric"
    bad = [name for name, metric in result.metrics.items() if not metric.is_finite()]
    assert not bad, f"non-finite metrics: {bad}"
    missing = [name for name in EXAMPLES.get(spec.id, ()) if name not in result.metrics]
    assert not missing, f"the course example's metrics are missing: {missing}"
    if spec.data:
        assert result.data, "the data set actually used must be recorded"
    listed = recorded_names()  # `dlx data list` names every data set a run can record
    unlisted = [d.name for d in result.data if d.name not in listed]
    assert not unlisted, f"data sets missing from `dlx data list`: {unlisted}"
    payload = json.loads((tmp_path / "result.json").read_text())
    assert payload["id"] == spec.id and payload["budget"] == "smoke"
    assert payload["environment"].get("dlx")
    for table in result.tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.title
