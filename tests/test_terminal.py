"""What a learner sees in an 80-column terminal, shell completion, `dlx env` and `dlx data list`."""

from __future__ import annotations

import json
import os
import re

import pytest
from typer.testing import CliRunner

from dl_exercises.cli.app import app
from dl_exercises.registry import list_exercises, list_suites

runner = CliRunner()


def _width(monkeypatch, columns: int) -> None:
    """Draw on a terminal ``columns`` wide (rich reads COLUMNS once, when a console is made: make them anew)."""
    from rich.console import Console

    from dl_exercises.cli import render

    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(render, "stdout", Console(soft_wrap=False, highlight=False, width=columns))


@pytest.fixture
def columns_80(monkeypatch):
    _width(monkeypatch, 80)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9_.=-]+", text))


@pytest.mark.parametrize("ident", ["day2.deep_cnn", "day4.transformer", "day4.dqn", "bench.optimizers"])
def test_show_keeps_parameter_names_whole_at_80_columns(columns_80, ident):
    from dl_exercises.registry import get_exercise

    result = runner.invoke(app, ["show", ident])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    spec = get_exercise(ident)
    starts = {line.split()[0] for line in lines if line.strip()}
    missing = [name for name in spec.params if name not in starts]
    assert not missing, f"parameter names split or lost: {missing}"
    header = next(line for line in lines if line.split()[:1] == ["parameter"])
    assert header.split()[1:4] == ["smoke", "quick", "full"] and "default" not in header
    for name in spec.params:  # each budget's value, as that budget runs it
        row = next(line for line in lines if line.split()[:1] == [name])
        values = [str(spec.params_for(b)[name]) for b in ("smoke", "quick", "full")]
        assert row.split()[1:4] == values or all(v in row for v in values), (name, row)


@pytest.mark.parametrize("ident", ["day4.dcgan", "day2.cnn_architectures"])
def test_show_folds_long_budget_values_and_keeps_every_help_word_at_80_columns(columns_80, ident):
    """Long values (non_saturating, comma lists) fold in their own columns; the help is never cropped."""
    from dl_exercises.registry import get_exercise

    result = runner.invoke(app, ["show", ident])
    assert result.exit_code == 0, result.output
    shown = _words(result.stdout)
    for name, param in get_exercise(ident).params.items():
        lost = _words(param.help) - shown
        assert not lost, (name, lost)


def test_list_keeps_data_and_tags_at_80_columns(columns_80):
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = _words(result.stdout)
    for spec in list_exercises():
        assert spec.id in words, spec.id
        for name in (*spec.data, *spec.tags):
            assert name in words, (spec.id, name)
    assert "…" not in result.stdout  # nothing cut


def test_list_is_one_line_per_exercise_on_a_wide_terminal(monkeypatch):
    _width(monkeypatch, 220)
    result = runner.invoke(app, ["list", "day1.*"])
    rows = [line for line in result.stdout.splitlines()[2:] if line.strip()]
    assert len(rows) == len(list_exercises("day1.*"))
    assert all("Day1" in row or "Intro" in row for row in rows)


def _complete(words: str, monkeypatch) -> list[str]:
    monkeypatch.setenv("_DLX_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    result = runner.invoke(app, [], prog_name="dlx")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[-1] if "," in line else line for line in result.stdout.split()]


def test_shell_completes_ids_budgets_set_keys_and_data_sets(monkeypatch):
    assert _complete("dlx run day4.tr", monkeypatch) == ["day4.transformer"]
    assert _complete("dlx show day2.o", monkeypatch) == ["day2.optimizers", "day2.overfitting"]
    assert _complete("dlx run day1.sgd --budget ", monkeypatch) == ["smoke", "quick", "full"]
    assert _complete("dlx --lang ", monkeypatch) == ["en", "ja"]
    assert "lr=" in _complete("dlx run day1.sgd --set ", monkeypatch)
    assert _complete("dlx run day2.deep_cnn --set precision=m", monkeypatch) == ["precision=mixed_bfloat16"]
    assert _complete("dlx run day2.deep_cnn --dataset ", monkeypatch) == ["mnist", "fashion_mnist", "mnist5k"]
    assert _complete("dlx bench opt", monkeypatch) == ["optimizers"]
    assert "iters=" in _complete("dlx bench optimizers --set ", monkeypatch)
    assert _complete("dlx data fetch en", monkeypatch) == ["enja"]


def test_completion_imports_no_tensorflow():
    import subprocess
    import sys

    code = ("import os, sys\n"
            "os.environ.update(_DLX_COMPLETE='complete_bash', COMP_WORDS='dlx run day1.sgd --set ', COMP_CWORD='4')\n"
            "from typer.testing import CliRunner\n"
            "from dl_exercises.cli.app import app\n"
            "r = CliRunner().invoke(app, [], prog_name='dlx')\n"
            "assert 'lr=' in r.stdout, r.stdout\n"
            "print([m for m in ('tensorflow', 'keras') if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_env_names_the_cpu_its_vector_instructions_onednn_and_gpus(columns_80):
    result = runner.invoke(app, ["env", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["cpu"] and info["cpu"] != "unknown"
    assert isinstance(info["vector_instructions"], list) and isinstance(info["gpu_names"], list)
    assert info["onednn"] in (True, False) and info["native_bfloat16"] in (True, False)
    from dl_exercises.machine import cpu_flags

    if "avx2" in cpu_flags():
        assert "AVX2" in info["vector_instructions"]
    table = runner.invoke(app, ["env"]).stdout
    for key in ("cpu", "vector_instructions", "onednn", "gpu_names", "tensorflow_build"):
        assert re.search(rf"^{key}\s", table, re.M), key
    assert max(len(line) for line in table.splitlines()) <= 80


def test_onednn_follows_the_environment_before_tensorflow_loads(monkeypatch):
    import sys

    from dl_exercises import machine

    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert machine.onednn_enabled() is False
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    assert machine.onednn_enabled() is True


def test_vector_instructions_are_named_in_order():
    from dl_exercises.machine import vector_instructions

    flags = frozenset({"avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "sse4_2", "fma"})
    assert vector_instructions(flags) == ["SSE4.2", "AVX2", "FMA", "AVX-512", "AVX-512 BF16", "AMX", "AMX BF16"]


def test_data_list_names_every_data_set_an_exercise_uses(columns_80):
    from dl_exercises import datasets

    result = runner.invoke(app, ["data", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    declared = {name for spec in list_exercises() + list_suites() for name in spec.data}
    assert declared <= set(rows)
    assert rows["digit_copy"]["used_by"] == ["day3.attention"]
    assert rows["cartpole"]["recorded_as"] == ["CartPole-v1"] and rows["cartpole"]["kind"] == "environment"
    assert "day1.mnist_mlp" in rows["mnist"]["used_by"] and "day1.mnist_mlp" in rows["mnist5k"]["used_by"]
    ids = {s.id for s in list_exercises() + list_suites()}
    for info in datasets.all_datasets():  # every exercise named as a user exists
        assert set(info.used_by) <= ids, (info.name, info.used_by)
    table = runner.invoke(app, ["data", "list"]).stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    assert {"digit_copy", "majority3", "truth_tables", "cartpole"} <= _words(table)


def test_every_gate_and_curve_an_example_can_record_is_listed():
    from dl_exercises import datasets
    from dl_exercises.registry import get_exercise

    recorded = datasets.recorded_names()
    for gate in get_exercise("examples.or_perceptron").params["gate"].choices:
        assert f"{gate}_truth_table" in recorded, gate
    for curve in get_exercise("examples.nonlinear_regression").params["function"].choices:
        assert curve in recorded, curve
