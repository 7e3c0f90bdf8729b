"""What a well-formed smoke run of an exercise or bench suite is.

Every registered exercise and suite runs at the smoke budget once per language, in
``tests/test_language.py::test_every_exercise_speaks_japanese_with_the_same_json_keys``
(through the CLI with ``--out``); its English run is checked here, by
``assert_well_formed``. One run per language instead of a third one here keeps the
default test run short.
"""

from __future__ import annotations

import json
from pathlib import Path

from dl_exercises.datasets import recorded_names
from dl_exercises.result import Result

from tests.test_examples import EXAMPLES


def assert_well_formed(spec, out: Path) -> None:
    """The smoke run of ``spec`` written to ``out`` (``--out``) is a well-formed Result."""
    result = Result.load(out)
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
    payload = json.loads((out / "result.json").read_text())
    assert payload["id"] == spec.id and payload["budget"] == "smoke"
    assert payload["environment"].get("dlx")
    for table in result.tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.title
