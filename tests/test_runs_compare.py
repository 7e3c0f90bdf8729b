"""Provenance in result.json, and `dlx runs` / `dlx compare` over any number of them (schema 1 included)."""

from __future__ import annotations

import datetime
import json
import shutil

import pytest
from typer.testing import CliRunner

from dl_exercises import registry
from dl_exercises.cli.app import app
from dl_exercises.params import Param
from dl_exercises.spec import ExerciseSpec, Target
from dl_exercises.result import SCHEMA_VERSION, Result, read_result_json

runner = CliRunner()


@pytest.fixture
def fake(monkeypatch):
    """A made-up exercise whose accuracy grows with lr."""
    registry.all_specs()

    def func(ctx):
        ctx.metric("accuracy", min(1.0, 0.5 + ctx.params["lr"]))
        ctx.metric("steps_per_s", 12.5, "steps/s")
        ctx.log(epoch=1, loss=0.3)

    spec = ExerciseSpec(id="examples.compared", func=func, title="compared", title_ja="比較", section="test",
                        params={"lr": Param(float, 0.1, min=0.0, min_inclusive=False), "epochs": Param(int, 1, min=1)},
                        targets={"quick": (Target.parse("accuracy", ">= 0.7"),)})
    monkeypatch.setitem(registry.EXERCISES._entries, spec.id, spec)
    return spec.id


def test_result_json_says_where_it_came_from(fake, tmp_path):
    result = runner.invoke(app, ["run", fake, "--seed", "7", "--set", "lr=0.3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "result.json").read_text())
    assert saved["schema"] == SCHEMA_VERSION == 3
    created = datetime.datetime.fromisoformat(saved["created_utc"].replace("Z", "+00:00"))
    assert created.tzinfo is not None and abs(datetime.datetime.now(datetime.timezone.utc) - created).total_seconds() < 600
    assert saved["command"] == f"dlx run {fake} --seed 7 --set lr=0.3 --out {tmp_path}"
    env = saved["environment"]
    assert env["dlx"] and env["cpu"] and isinstance(env["vector_instructions"], list)
    assert env["onednn"] in (True, False) and "precision" in env
    if (registry.__file__ and __import__("pathlib").Path(registry.__file__).parents[1].joinpath(".git").exists()):
        assert len(env["git_commit"]) == 40 and env["git_modified"] in (True, False, None)
    # the keys of schema 1 come first, in their order: the JSON only ever gains keys
    assert list(saved)[:21] == ["id", "title", "budget", "seed", "status", "title_ja", "section", "data", "metrics",
                                "targets", "course", "references", "params", "wall_time_s", "train_time_s",
                                "environment", "artifacts", "tables", "notes", "error", "created_utc"]


def test_a_keras_run_records_its_tensorflow_build_and_precision(tmp_path):
    from dl_exercises.runner import run_exercise

    run_exercise(registry.get_exercise("examples.or_perceptron"), budget="smoke", out=tmp_path)
    env = json.loads((tmp_path / "result.json").read_text())["environment"]
    assert env["tensorflow_build"] in ("cpu", "rocm") or env["tensorflow_build"].startswith("cuda")
    assert env["precision"] == "float32" and isinstance(env["gpu_names"], list)


SCHEMA_1 = {"id": "examples.compared", "title": "compared", "budget": "quick", "seed": 0, "status": "ok",
            "title_ja": "", "section": "test", "data": [], "metrics": {"accuracy": {"value": 0.55, "unit": "", "note": ""}},
            "targets": [{"metric": "accuracy", "bound": ">= 0.7", "value": 0.55, "met": False}], "course": {},
            "references": {}, "params": {"lr": 0.05, "epochs": 1}, "wall_time_s": 1.0, "train_time_s": 0.5,
            "environment": {"dlx": "0.1.0"}, "artifacts": [], "tables": [], "notes": [], "error": "", "schema": 1}


def test_schema_1_results_still_load(tmp_path):
    (tmp_path / "result.json").write_text(json.dumps(SCHEMA_1))
    upgraded = read_result_json(tmp_path / "result.json")
    assert upgraded["schema"] == 1 and upgraded["created_utc"] == "" and upgraded["command"] == ""
    result = Result.load(tmp_path)
    assert result.metrics["accuracy"].value == 0.55 and result.missed[0].metric == "accuracy"


def _two_runs(fake, tmp_path):
    for lr in ("0.1", "0.3"):
        assert runner.invoke(app, ["run", fake, "--set", f"lr={lr}", "--out", str(tmp_path / f"lr{lr}")]).exit_code in (0, 1)


def test_runs_compares_metrics_side_by_side_with_the_parameters_that_differ(fake, tmp_path, monkeypatch):
    _two_runs(fake, tmp_path)
    from rich.console import Console

    from dl_exercises.cli import render

    monkeypatch.setattr(render, "stdout", Console(soft_wrap=False, highlight=False, width=80))
    result = runner.invoke(app, ["runs", str(tmp_path / "lr0.1"), str(tmp_path / "lr0.3")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "lr0.1" in lines[0] and "lr0.3" in lines[0]
    row = {line.split()[0]: line.split()[1:] for line in lines if line.strip()}
    assert row["accuracy"] == ["0.6", "0.8"] and row["steps_per_s"] == ["12.5", "steps/s", "12.5", "steps/s"]
    assert any(line.split()[:3] == ["--set", "lr", "0.1"] for line in lines)
    assert not any(line.split()[:2] == ["--set", "epochs"] for line in lines)  # the same in both: not a difference
    assert f"lr0.3: dlx run {fake} --set lr=0.3 --out {tmp_path / 'lr0.3'}" in " ".join(result.stdout.split())
    assert max(len(line) for line in lines) <= 80


def test_compare_is_the_same_command_and_takes_folders_and_json(fake, tmp_path):
    _two_runs(fake, tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "result.json").write_text(json.dumps(SCHEMA_1))
    result = runner.invoke(app, ["compare", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    assert [r["label"] for r in comparison["runs"]] == ["lr0.1", "lr0.3", "old"]
    assert [r["schema"] for r in comparison["runs"]] == [3, 3, 1]
    assert comparison["params_differ"] == {"lr": [0.1, 0.3, 0.05]}
    assert comparison["metrics"]["accuracy"]["values"] == [0.6, 0.8, 0.55]
    assert [t["met"] for t in comparison["metrics"]["accuracy"]["targets"]] == [False, True, False]
    assert comparison["metrics"]["steps_per_s"]["values"] == [12.5, 12.5, None]
    assert "dlx" in comparison["environment_differ"]  # 0.1.0 then this version
    only = json.loads(runner.invoke(app, ["runs", str(tmp_path), "--json", "--metric", "acc*"]).stdout)
    assert list(only["metrics"]) == ["accuracy"]


def test_runs_defaults_to_the_runs_folder(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["runs"]).exit_code == 2  # no runs/ here yet
    _two_runs(fake, tmp_path / "runs")
    result = runner.invoke(app, ["runs", "--json"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)["runs"]) == 2


def test_runs_refuses_what_is_not_a_result(tmp_path):
    assert runner.invoke(app, ["runs", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "empty").mkdir()
    assert "no result.json" in runner.invoke(app, ["runs", str(tmp_path / "empty")]).stderr
    (tmp_path / "bad.json").write_text('{"hello": 1}')
    result = runner.invoke(app, ["runs", str(tmp_path / "bad.json")])
    assert result.exit_code == 2 and "not a dlx result" in result.stderr


def test_a_failing_run_does_not_stay_running(tmp_path, monkeypatch):
    registry.all_specs()

    def func(ctx):
        raise RuntimeError("boom")

    spec = ExerciseSpec(id="examples.crashes", func=func, title="c", title_ja="c", section="test")
    monkeypatch.setitem(registry.EXERCISES._entries, spec.id, spec)
    assert runner.invoke(app, ["run", spec.id, "--out", str(tmp_path)]).exit_code == 1
    saved = json.loads((tmp_path / "result.json").read_text())
    assert saved["status"] == "failed" and saved["error"] == "RuntimeError: boom"
    shutil.rmtree(tmp_path)
