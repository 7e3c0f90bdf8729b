"""The dlx command through Typer's CliRunner: exit codes, --json, suggestions, faults."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from dl_exercises import registry
from dl_exercises.cli.app import app
from dl_exercises.params import Param
from dl_exercises.spec import ExerciseSpec, Target

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def fake(monkeypatch):
    """Register throw-away exercises for the duration of one test."""
    registry.all_specs()

    def add(name, func, **kwargs):
        spec = ExerciseSpec(
            id=f"examples.{name}", func=func, title=name, title_ja=name, section="test", summary="a test exercise",
            params={"lr": Param(float, 0.1, min=0.0, min_inclusive=False), "epochs": Param(int, 1, min=1)},
            **kwargs,
        )
        monkeypatch.setitem(registry.EXERCISES._entries, spec.id, spec)
        return spec.id

    return add


def test_help_and_version():
    assert invoke("--help").exit_code == 0
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("dlx ")


def test_unknown_id_exits_2_with_suggestion(fake):
    fake("forward_pass", lambda ctx: None)
    result = invoke("run", "examples.forward_pas")
    assert result.exit_code == 2
    assert "did you mean examples.forward_pass" in result.stderr
    assert "Traceback" not in result.output


def test_bad_set_exits_2_naming_the_parameter(fake):
    ident = fake("ok", lambda ctx: ctx.metric("x", 1.0))
    for arg, expected in (("lr=-1", "lr"), ("epochs=abc", "epochs"), ("nope=1", "nope"), ("noequals", "KEY=VALUE")):
        result = invoke("run", ident, "--set", arg)
        assert result.exit_code == 2, arg
        assert expected in result.stderr


def test_bad_budget_exits_2(fake):
    ident = fake("ok", lambda ctx: None)
    assert invoke("run", ident, "--budget", "huge").exit_code == 2


def test_json_output_is_pure_json(fake, tmp_path):
    def func(ctx):
        ctx.metric("accuracy", 0.9)
        ctx.log(epoch=1, loss=0.3)

    ident = fake("ok", func, targets={"quick": (Target.parse("accuracy", ">= 0.5"),)})
    result = invoke("run", ident, "--json", "--out", str(tmp_path), "--set", "epochs=4")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["metrics"]["accuracy"]["value"] == 0.9 and payload["params"]["epochs"] == 4
    assert payload["targets"][0]["met"] is True
    assert (tmp_path / "result.json").exists() and (tmp_path / "history.csv").exists()


def test_table_shows_metric_target_course(fake):
    from dl_exercises.result import CourseFigure

    ident = fake(
        "tab", lambda ctx: ctx.metric("accuracy", 0.91),
        targets={"quick": (Target.parse("accuracy", ">= 0.95"),)},
        course={"accuracy": CourseFigure(0.9437, "Day2 Section2")},
    )
    result = invoke("run", ident)
    assert result.exit_code == 1  # the target was missed
    for text in ("accuracy", "0.91", ">= 0.95", "0.9437", "target missed"):
        assert text in result.stdout


def test_nan_loss_exits_1_with_one_line(fake):
    def func(ctx):
        ctx.check_finite(float("inf"), "at step 3")

    result = invoke("run", fake("nan", func))
    assert result.exit_code == 1
    assert "at step 3" in result.stderr and "Traceback" not in result.output


def test_ctrl_c_exits_130_and_keeps_history(fake, tmp_path):
    def func(ctx):
        ctx.log(epoch=1, loss=0.7)
        raise KeyboardInterrupt

    result = invoke("run", fake("stop", func), "--out", str(tmp_path))
    assert result.exit_code == 130
    assert "0.7" in (tmp_path / "history.csv").read_text()


def test_internal_error_is_one_line_unless_debug(fake):
    def func(ctx):
        raise RuntimeError("boom\nsecond line")

    ident = fake("boom", func)
    result = invoke("run", ident)
    assert result.exit_code == 1 and "boom" in result.stderr and "second line" not in result.stderr
    debug = invoke("--debug", "run", ident)
    assert isinstance(debug.exception, RuntimeError)


def test_list_json_and_filters(fake):
    fake("alpha", lambda ctx: None)
    result = invoke("list", "--json")
    assert result.exit_code == 0
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert "examples.alpha" in ids
    day1 = [row["id"] for row in json.loads(invoke("list", "--day", "1", "--json").stdout)]
    assert "day1.forward" in day1 and set(day1) == {i for i in ids if i.startswith("day1.")}


def test_show_unknown_and_known(fake):
    ident = fake("shown", lambda ctx: None)
    assert invoke("show", ident).exit_code == 0
    assert json.loads(invoke("show", ident, "--json").stdout)["id"] == ident
    assert invoke("show", "examples.nothing_like_it").exit_code == 2


def test_run_needs_ids_or_all():
    assert invoke("run").exit_code == 2


def test_data_list_json():
    result = invoke("data", "list", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["mnist5k"]["available"] and rows["iris"]["available"]
    assert rows["mnist"]["fallback"] == "mnist5k"


def test_missing_dataset_exits_1_with_fetch_command(fake, monkeypatch):
    from dl_exercises.datasets import mnist

    monkeypatch.setattr(mnist, "keras_dataset_dirs", lambda: [])  # pretend no keras.datasets cache
    ident = fake("needs_mnist", lambda ctx: ctx.load_data("mnist"), data=("mnist",))
    result = invoke("run", ident, "--dataset", "mnist")
    assert result.exit_code == 1
    assert "dlx data fetch mnist" in result.stderr


def test_unknown_bench_suite_exits_2():
    result = invoke("bench", "no_such_suite")
    assert result.exit_code == 2 and "unknown bench suite" in result.stderr


def test_env_reports_versions():
    result = invoke("env", "--json")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["tensorflow"].startswith("2.") and info["keras"].startswith("3.") and info["backend"] == "tensorflow"
    # op determinism is opt-in (DLX_DETERMINISTIC=1), so it is on exactly when this process asked for it
    assert info["op_determinism"] is (os.environ.get("DLX_DETERMINISTIC", "") not in ("", "0"))


def test_japanese_headers(fake):
    ident = fake("ja", lambda ctx: ctx.metric("accuracy", 0.5))
    result = invoke("--lang", "ja", "run", ident)
    assert result.exit_code == 0 and "指標" in result.stdout and "講座" in result.stdout


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "dl_exercises", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("dlx ")
