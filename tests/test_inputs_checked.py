"""Every input is checked before any work: a mistake exits 2 with one line on stderr, and no exercise has started.

A sentinel exercise records each call, so "nothing started" is a fact, not a timing.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from dl_exercises import registry
from dl_exercises.cli.app import app
from dl_exercises.params import Param
from dl_exercises.spec import ExerciseSpec

runner = CliRunner()


@pytest.fixture
def sentinel(monkeypatch):
    """A registered exercise that records every time it starts; returns (id, calls)."""
    registry.all_specs()
    calls: list[str] = []

    def func(ctx):
        calls.append(ctx.spec.id)
        ctx.metric("score", 1.0)

    spec = ExerciseSpec(id="examples.sentinel", func=func, title="sentinel", title_ja="番兵", section="test",
                        params={"epochs": Param(int, 1, min=1)})
    monkeypatch.setitem(registry.EXERCISES._entries, spec.id, spec)
    return spec.id, calls


def _one_line_usage_error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dlx: error: "), result.stderr
    assert "Usage:" not in result.output and "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("args,says", [
    (["--seed", str(2**32)], "--seed 4294967296: must be an integer from 0 to 4294967295"),
    (["--seed", str(2**70)], "must be an integer from 0 to 4294967295"),
    (["--seed", "-1"], "--seed -1"),
    (["--seed", "abc"], "'abc' is not a valid int (see `dlx run --help`)"),
    (["--budget", "huge"], "'huge' is not one of 'smoke', 'quick', 'full'"),
    (["--set", "epochs=0"], "--set epochs=0: out of range"),
    (["--frobnicate"], "No such option: --frobnicate"),
])
def test_bad_run_options_exit_2_before_the_run(sentinel, args, says):
    ident, calls = sentinel
    line = _one_line_usage_error(runner.invoke(app, ["run", ident, *args]))
    assert says in line
    assert calls == []


def test_the_largest_seed_runs(sentinel):
    ident, calls = sentinel
    assert runner.invoke(app, ["run", ident, "--seed", str(2**32 - 1)]).exit_code == 0
    assert calls == [ident]


def test_lang_is_en_or_ja(sentinel):
    ident, calls = sentinel
    line = _one_line_usage_error(runner.invoke(app, ["--lang", "fr", "run", ident]))
    assert "'fr' is not one of 'en', 'ja'" in line
    assert calls == []
    assert runner.invoke(app, ["--lang", "ja", "run", ident]).exit_code == 0


def test_click_errors_of_other_commands_are_one_line_too():
    assert "7 is not in the range 1<=x<=4 (see `dlx list --help`)" in _one_line_usage_error(
        runner.invoke(app, ["list", "--day", "7"]))
    assert "No such command 'lsit'" in _one_line_usage_error(runner.invoke(app, ["lsit"]))


def test_out_naming_a_file_is_refused(sentinel, tmp_path):
    ident, calls = sentinel
    (tmp_path / "taken").write_text("not a folder")
    line = _one_line_usage_error(runner.invoke(app, ["run", ident, "--out", str(tmp_path / "taken")]))
    assert "is a file, not a folder" in line
    line = _one_line_usage_error(runner.invoke(app, ["run", ident, "--out", str(tmp_path / "taken" / "sub")]))
    assert "cannot create this folder" in line
    assert calls == []


def test_out_that_cannot_be_created_is_refused(sentinel):
    ident, calls = sentinel
    line = _one_line_usage_error(runner.invoke(app, ["run", ident, "--out", "/proc/dlx-cannot-be-here"]))
    assert "--out /proc/dlx-cannot-be-here: cannot create this folder" in line
    assert calls == []


def test_out_that_cannot_be_written_is_refused(sentinel, tmp_path, monkeypatch):
    ident, calls = sentinel
    from pathlib import Path

    real = Path.write_bytes

    def read_only(self, data):  # a folder the user may not write in (root ignores chmod, so say it this way)
        if self.name.startswith(".dlx-write-check"):
            raise PermissionError(13, "Permission denied")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    line = _one_line_usage_error(runner.invoke(app, ["run", ident, "--out", str(tmp_path / "ro")]))
    assert "cannot write in this folder (Permission denied)" in line
    assert calls == []


def test_out_is_created_up_front_and_names_its_run_at_once(tmp_path, monkeypatch):
    registry.all_specs()
    seen = {}

    def func(ctx):  # while the exercise runs, its folder already says what is running
        seen.update(json.loads((ctx.out / "result.json").read_text()))
        ctx.metric("score", 1.0)

    spec = ExerciseSpec(id="examples.early", func=func, title="early", title_ja="早", section="test")
    monkeypatch.setitem(registry.EXERCISES._entries, spec.id, spec)
    result = runner.invoke(app, ["run", spec.id, "--out", str(tmp_path / "a" / "b"), "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert seen["status"] == "running" and seen["id"] == spec.id and seen["seed"] == 5
    assert json.loads((tmp_path / "a" / "b" / "result.json").read_text())["status"] == "ok"


def test_every_out_folder_is_checked_before_the_first_run(sentinel, tmp_path, monkeypatch):
    ident, calls = sentinel
    other = ExerciseSpec(id="examples.sentinel_two", func=lambda ctx: calls.append("two"), title="two", title_ja="二",
                         section="test")
    monkeypatch.setitem(registry.EXERCISES._entries, other.id, other)
    (tmp_path / other.id).write_text("a file where the second run's folder would go")
    _one_line_usage_error(runner.invoke(app, ["run", ident, other.id, "--out", str(tmp_path)]))
    assert calls == []


def test_bench_checks_out_and_seed_too(tmp_path):
    (tmp_path / "file").write_text("x")
    assert "is a file" in _one_line_usage_error(runner.invoke(app, ["bench", "init", "--out", str(tmp_path / "file")]))
    assert "--seed -3" in _one_line_usage_error(runner.invoke(app, ["bench", "init", "--seed", "-3"]))


# --- --resume: a checkpoint of the same exercise, with the same settings --------------------------------------------


def _checkpoint(folder, settings, owner=None):
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "checkpoint.npz", meta=np.array(json.dumps({"epoch": 1, "settings": settings})))
    if owner:
        (folder / "result.json").write_text(json.dumps({"id": owner, "budget": "full", "metrics": {},
                                                        "status": "interrupted", "schema": 2}))


@pytest.fixture
def resumable(monkeypatch):
    """day3.seq2seq and day4.transformer with their training replaced by a sentinel."""
    calls: list[str] = []
    for ident in ("day3.seq2seq", "day4.transformer"):
        spec = registry.get_exercise(ident)
        monkeypatch.setattr(spec, "func", lambda ctx: calls.append(ctx.spec.id))
    return calls


def _settings(ident, **changes):
    plan = registry.get_exercise(ident).plan("full", 0, None, "enja")
    return {**json.loads(json.dumps(dict(plan.params))), "seed": 0, "budget": "full", "dataset": "enja", **changes}


def test_resume_needs_a_checkpoint(resumable, tmp_path):
    line = _one_line_usage_error(runner.invoke(app, ["run", "day4.transformer", "--resume", str(tmp_path)]))
    assert "no checkpoint.npz there" in line
    assert resumable == []


def test_resume_refuses_another_exercises_checkpoint(resumable, tmp_path):
    _checkpoint(tmp_path / "named", _settings("day3.seq2seq"), owner="day3.seq2seq")
    line = _one_line_usage_error(runner.invoke(app, ["run", "day4.transformer", "--budget", "full", "--dataset", "enja",
                                                     "--resume", str(tmp_path / "named")]))
    assert "that checkpoint is day3.seq2seq's, not day4.transformer's" in line
    # without a result.json beside it, the checkpoint's own settings give it away
    _checkpoint(tmp_path / "bare", _settings("day3.seq2seq"))
    line = _one_line_usage_error(runner.invoke(app, ["run", "day4.transformer", "--budget", "full", "--dataset", "enja",
                                                     "--resume", str(tmp_path / "bare")]))
    assert "written by another exercise" in line
    assert resumable == []


def test_resume_refuses_other_settings(resumable, tmp_path):
    _checkpoint(tmp_path / "run", _settings("day4.transformer", seed=3), owner="day4.transformer")
    line = _one_line_usage_error(runner.invoke(app, ["run", "day4.transformer", "--budget", "full", "--dataset", "enja",
                                                     "--resume", str(tmp_path / "run")]))
    assert "seed=3 there, 0 here" in line
    assert resumable == []


def test_resume_of_the_same_run_starts(resumable, tmp_path):
    _checkpoint(tmp_path / "run", _settings("day4.transformer"), owner="day4.transformer")
    result = runner.invoke(app, ["run", "day4.transformer", "--budget", "full", "--dataset", "enja",
                                 "--resume", str(tmp_path / "run")])
    assert result.exit_code in (0, 1), result.output  # 1: the sentinel reaches no full-budget target
    assert resumable == ["day4.transformer"]
