"""The committed target-margin tables (``data/target_margins*.json``, one per CPU) match the registry.

A table is written by ``python -m dl_exercises.margins``: each quick target at
seeds 0, 1, 2 and with ``TF_ENABLE_ONEDNN_OPTS=0``. The main table
(``target_margins.json``) must cover every registered quick target. A further
CPU's table (``--out data/target_margins_CPU.json``) may lack an exercise (when
its recipe changes and that CPU is not at hand, delete its runs there and
``--report``), but no table may hold runs of an older recipe or rows of targets
that no longer exist. Every run names the machine it ran on.
"""

from __future__ import annotations

import json

import pytest

from dl_exercises.margins import DEFAULT_OUT, RUNS, swept_specs

# data/target_margins.json is the main table; each further CPU's sweep sits beside it (--out data/target_margins_CPU.json)
TABLES = sorted(DEFAULT_OUT.parent.glob("target_margins*.json"))
per_table = pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])


def _table(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_main_table_exists():
    assert DEFAULT_OUT.exists(), "data/target_margins.json is missing: run `python -m dl_exercises.margins`"


def _rows_and_registered(path):
    rows = {(r["id"], r["metric"], r["bound"]) for r in _table(path)["rows"]}
    registered = {(s.id, t.metric, str(t)) for s in swept_specs() for t in s.targets_for("quick")}
    return rows, registered


def test_main_table_covers_every_registered_quick_target():
    rows, registered = _rows_and_registered(DEFAULT_OUT)
    missing = sorted(registered - rows)
    assert not missing, f"quick targets not in the margin table (rerun the sweep for them): {missing}"


@per_table
def test_no_table_holds_rows_of_targets_that_no_longer_exist(path):
    rows, registered = _rows_and_registered(path)
    stale = sorted(rows - registered)
    assert not stale, f"rows for targets that no longer exist: {stale}"


@per_table
def test_every_row_was_measured_at_every_seed_and_back_end(path):
    table = _table(path)
    for row in table["rows"]:
        assert len(row["values"]) == len(RUNS), (row["id"], row["metric"], row["values"])
        assert row["verdict"] in ("ok", "thin", "missed")


@per_table
def test_rows_are_what_the_recorded_runs_give(path):
    """Every row (worst, margin, spread, verdict) follows from the recorded runs: nothing in the table was typed by hand."""
    from dl_exercises.margins import summarize

    table = _table(path)
    specs = {s.id: s for s in swept_specs()}
    expected = [r for ident, runs in table["runs"].items() if ident in specs for r in summarize(specs[ident], runs)]
    key = lambda r: (r["id"], r["metric"])  # noqa: E731
    assert sorted(expected, key=key) == sorted(table["rows"], key=key)


@per_table
def test_recorded_recipes_are_todays_quick_recipes(path):
    """A run that recorded its parameters must have run the quick recipe registered now (else: rerun the sweep for it)."""
    import json as _json

    specs = {s.id: s for s in swept_specs()}
    stale = []
    for ident, runs in _table(path)["runs"].items():
        if ident not in specs:
            continue
        today = _json.loads(_json.dumps(dict(specs[ident].plan("quick", 0, {}).params)))
        stale += [(ident, key) for key, run in runs.items() if run.get("params") not in (None, today)]
    assert not stale, f"runs of an older recipe (rerun `python -m dl_exercises.margins ID` for them): {stale}"


def test_report_keeps_the_machine_the_runs_were_measured_on(tmp_path):
    from dl_exercises.margins import main

    path = tmp_path / "target_margins_other.json"
    recorded = {"date": "2026-01-01", "cpu": "another CPU", "cores": 64, "tensorflow": "x", "keras": "y",
                "native_bfloat16": False}
    path.write_text(json.dumps({"environment": recorded, "runs": {}}), encoding="utf-8")
    main(["--report", "--out", str(path)])
    assert json.loads(path.read_text(encoding="utf-8"))["environment"] == recorded
    assert "another CPU" in path.with_suffix(".md").read_text(encoding="utf-8")


@per_table
def test_every_run_names_the_machine_it_ran_on(path):
    unnamed = [(ident, key) for ident, runs in _table(path)["runs"].items() for key, run in runs.items()
               if not run.get("machine")]
    assert not unnamed, f"runs without a machine (rewrite the table with --report): {unnamed}"


def test_resume_on_another_machine_keeps_each_runs_machine(tmp_path, monkeypatch):
    """A recipe re-measured on the machine at hand joins a table measured elsewhere, each run naming its machine."""
    from dl_exercises import margins, sweep

    spec = next(s for s in swept_specs() if s.id == "day4.sarsa")
    targets = [{"metric": t.metric, "bound": str(t), "value": 0.0, "met": True} for t in spec.targets_for("quick")]
    elsewhere = {"date": "2026-01-01", "cpu": "another CPU", "cores": 64, "tensorflow": "x", "keras": "y",
                 "native_bfloat16": True}
    recorded = {"status": "ok", "wall_s": 1.0, "targets": targets}
    path = tmp_path / "target_margins_other.json"
    path.write_text(json.dumps({"environment": elsewhere, "runs": {spec.id: {"default:0": recorded}}}), encoding="utf-8")
    here = dict(elsewhere, cpu="this CPU", cores=2, native_bfloat16=False, vector_isa="AVX2")
    monkeypatch.setattr(sweep, "environment", lambda: here)
    monkeypatch.setattr(sweep, "run_once", lambda *a: dict(recorded))
    margins.main([spec.id, "--resume", "--out", str(path)])
    runs = json.loads(path.read_text(encoding="utf-8"))["runs"][spec.id]
    assert runs["default:0"]["machine"] == "another CPU, 64 cores, native bfloat16"
    assert {runs[k]["machine"] for k in ("default:1", "default:2", "onednn_off:0")} == {"this CPU, 2 cores, AVX2"}
    table = path.with_suffix(".md").read_text(encoding="utf-8")
    assert "**A** another CPU, 64 cores, native bfloat16; **B** this CPU, 2 cores, AVX2" in table
    assert table.splitlines()[-1].endswith(" A, B |")


def test_a_margin_equal_to_the_spread_is_ok_whatever_its_last_bits():
    """Differences of accuracies carry rounding in their last bits (0.966 − 0.960 is 0.006000000000000005); a margin
    equal to the spread is ``ok`` whatever those bits say, a hair less is ``thin``."""
    from dl_exercises.margins import summarize

    spec = next(s for s in swept_specs() if s.id == "day4.distillation")
    target = next(t for t in spec.targets_for("quick") if t.metric == "teacher_minus_distilled")

    def verdict(values):
        runs = {f"{b}:{s}": {"targets": [{"metric": target.metric, "bound": str(target), "value": v, "met": True}]}
                for (b, s), v in zip(RUNS, values)}
        return next(r for r in summarize(spec, runs) if r["metric"] == target.metric)["verdict"]

    worst, best = 0.966 - 0.960, 0.961 - 0.959  # as the exercise computes them: 0.006000000000000005, 0.0020000000000000018
    assert 0.01 - worst < worst - best  # the float rounding this guards against
    assert verdict([0.003, 0.003, best, worst]) == "ok"
    assert verdict([0.003, 0.003, best, worst + 1e-4]) == "thin"
