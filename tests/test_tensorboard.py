"""With --out, Keras-trained exercises write TensorBoard scalars under DIR/tensorboard through Keras's own callback."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from dl_exercises.cli.app import app

runner = CliRunner()


def _scalars(run_dir) -> dict[str, list[tuple[int, float]]]:
    """{tag: [(step, value)]} of the event files under ``run_dir`` (TensorFlow's own record reader and protos)."""
    import tensorflow as tf
    from tensorflow.core.util import event_pb2

    found: dict[str, list[tuple[int, float]]] = {}
    for path in sorted(run_dir.rglob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                found.setdefault(value.tag, []).append((event.step, float(tf.make_ndarray(value.tensor))))
    return found


@pytest.fixture(scope="module")
def sgd_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tb") / "sgd"
    result = runner.invoke(app, ["run", "day1.sgd", "--budget", "smoke", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_each_keras_fit_writes_its_own_scalars(sgd_run):
    runs = sorted(p.name for p in (sgd_run / "tensorboard").iterdir())
    assert runs == ["keras_batch", "keras_minibatch", "keras_sgd"]
    with open(sgd_run / "history.csv", newline="") as fh:
        history = [row for row in csv.DictReader(fh) if row["run"] == "keras sgd"]
    losses = _scalars(sgd_run / "tensorboard" / "keras_sgd")["epoch_loss"]
    assert [step for step, _ in losses] == list(range(len(history)))  # one point per epoch
    assert [v for _, v in losses] == pytest.approx([float(r["loss"]) for r in history], rel=1e-6)
    assert str(sgd_run / "tensorboard") in json.loads((sgd_run / "result.json").read_text())["artifacts"]


def test_no_tensorboard_writes_none(tmp_path):
    result = runner.invoke(app, ["run", "day1.sgd", "--budget", "smoke", "--out", str(tmp_path), "--no-tensorboard"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "history.csv").exists() and not (tmp_path / "tensorboard").exists()


def test_the_same_label_twice_gets_two_folders(tmp_path):
    from dl_exercises.spec import ExerciseSpec
    from dl_exercises.runner import RunContext

    spec = ExerciseSpec(id="examples.tb", func=lambda ctx: None, title="t", title_ja="t", section="test")
    ctx = RunContext(spec.plan("smoke"), out=tmp_path)
    assert ctx.tensorboard_dir("keras sgd") == tmp_path / "tensorboard" / "keras_sgd"
    assert ctx.tensorboard_dir("keras sgd") == tmp_path / "tensorboard" / "keras_sgd-2"
    assert RunContext(spec.plan("smoke"), out=None).tensorboard_dir("x") is None
    assert RunContext(spec.plan("smoke"), out=tmp_path, tensorboard=False).tensorboard_dir("x") is None


def test_without_the_tensorboard_package_a_notice_and_no_logs(tmp_path, monkeypatch):
    import importlib.util

    from dl_exercises.spec import ExerciseSpec
    from dl_exercises.runner import RunContext

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tensorboard" else real(name, *a))
    notices = []

    class Reporter:
        def task(self, label, total=None):
            raise AssertionError("no progress expected")

        def notice(self, text):
            notices.append(text)

    spec = ExerciseSpec(id="examples.tb", func=lambda ctx: None, title="t", title_ja="t", section="test")
    ctx = RunContext(spec.plan("smoke"), out=tmp_path, reporter=Reporter())
    assert ctx.tensorboard_dir("keras") is None and ctx.tensorboard_dir("again") is None
    assert len(notices) == 1 and "pip install tensorboard" in notices[0]
