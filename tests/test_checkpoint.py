"""Long runs: token-budget batches, atomic checkpoints, resume = uninterrupted, Ctrl-C saves and exits 130."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from dl_exercises.train import checkpoint as ckpt
from dl_exercises.train.sequences import token_batches, train_pairs


def _lengths(n=500, seed=0):
    rng = np.random.default_rng(seed)
    src = rng.integers(3, 17, n)
    return src, src + rng.integers(1, 4, n)  # targets a little longer than their sources, as in enja


def test_token_batches_cover_every_pair_once_within_the_budget():
    s, t = _lengths()
    batches = token_batches(s, t, 200, seed=3, epoch=0)
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(len(s)))
    assert all(len(b) * max(s[b].max(), t[b].max()) <= 200 for b in batches)
    again = token_batches(s, t, 200, seed=3, epoch=0)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))  # a function of (seed, epoch)
    other = token_batches(s, t, 200, seed=3, epoch=1)
    assert len(other) == len(batches)  # every epoch the same number of steps
    assert sorted(len(b) for b in other) == sorted(len(b) for b in batches)
    assert not all(np.array_equal(a, b) for a, b in zip(batches, other))
    # bucketing: far less padding than batches of the same sizes drawn at random
    def real_share(bs):
        return t.sum() / sum(len(b) * t[b].max() for b in bs)

    sizes = np.cumsum([len(b) for b in batches])[:-1]
    shuffled = np.split(np.random.default_rng(0).permutation(len(s)), sizes)
    assert real_share(batches) > 0.9 and real_share(shuffled) < 0.75
    with pytest.raises(ValueError, match="max_tokens"):
        token_batches(s, t, 10, seed=0, epoch=0)


def _tiny(keras, dropout=0.2):
    from dl_exercises.nn.masked_losses import MaskedSparseCrossentropy
    from dl_exercises.nn.transformer import build_transformer

    keras.utils.set_random_seed(0)
    models = build_transformer(30, 30, num_layers=1, d_model=16, num_heads=2, d_ff=16, dropout=dropout, max_steps=20)
    optimizer = keras.optimizers.Adam(1e-3)
    return models.model, MaskedSparseCrossentropy(0.1), optimizer


def _pairs(n=120):
    rng = np.random.default_rng(1)
    src = np.zeros((n, 8), np.int32)
    tgt = np.zeros((n, 10), np.int32)
    for i in range(n):
        k = rng.integers(2, 8)
        src[i, :k] = rng.integers(4, 30, k)
        tgt[i, 0], tgt[i, 1 : k + 1], tgt[i, k + 1] = 1, src[i, :k][::-1], 2
    return src, tgt


class _Rows:
    """Loop callbacks that keep the epoch rows they are told."""

    def __init__(self):
        self.rows = []

    def on_epoch_end(self, epoch, logs):
        self.rows.append({"epoch": epoch + 1, **logs})

    def should_stop(self):
        return False


def test_checkpoint_round_trip_is_atomic(tmp_path):
    from dl_exercises.runtime import tf_keras

    _, keras = tf_keras()
    model, loss, optimizer = _tiny(keras)
    optimizer.build(model.trainable_variables)
    path = tmp_path / "run" / ckpt.FILENAME
    ckpt.save(path, model, optimizer, {"epoch": 2, "step": 0, "settings": {"a": 1}})
    first = path.read_bytes()
    assert [p.name for p in path.parent.iterdir()] == [ckpt.FILENAME]  # no temporary file left
    saved = [v.numpy().copy() for v in model.variables]
    for v in model.trainable_variables:
        v.assign(v * 0 + 1)

    class Boom(RuntimeError):
        pass

    real = np.savez
    try:
        np.savez = lambda *a, **k: (_ for _ in ()).throw(Boom())  # a crash while writing
        with pytest.raises(Boom):
            ckpt.save(path, model, optimizer, {"epoch": 3})
    finally:
        np.savez = real
    assert path.read_bytes() == first and [p.name for p in path.parent.iterdir()] == [ckpt.FILENAME]
    meta = ckpt.restore(path, model, optimizer)
    assert meta["epoch"] == 2
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(saved, model.variables))
    with pytest.raises(Exception, match="other settings"):
        ckpt.check_same_settings(meta, {"a": 2}, path)


def test_resume_mid_epoch_gives_the_uninterrupted_weights(tmp_path):
    """Dropout on, Ctrl-C simulated in the middle of epoch 2: resumed weights equal the uninterrupted run's."""
    from dl_exercises.runtime import tf_keras

    _, keras = tf_keras()
    src, tgt = _pairs()
    kw = dict(seed=5, epochs=3, max_tokens=120, label="t", settings={"x": 1})

    model, loss, opt = _tiny(keras)
    ref = train_pairs(model, loss, opt, src, tgt, **kw)
    expected = [v.numpy().copy() for v in model.variables]
    per_epoch = ref.steps // 3
    stop = per_epoch + per_epoch // 2

    path = tmp_path / ckpt.FILENAME
    model, loss, opt = _tiny(keras)
    with pytest.raises(KeyboardInterrupt):
        train_pairs(model, loss, opt, src, tgt, checkpoint_path=path, stop_after_steps=stop, **kw)
    meta = ckpt.read_meta(path)
    assert (meta["epoch"], meta["step"]) == (1, per_epoch // 2) and per_epoch // 2 > 0
    keras.utils.set_random_seed(123)  # a fresh process would have other RNG states: the checkpoint restores them
    model, loss, opt = _tiny(keras)
    rows = _Rows()
    resumed = train_pairs(model, loss, opt, src, tgt, checkpoint_path=path, resume_path=path, callbacks=rows, **kw)
    assert resumed.steps == ref.steps and resumed.resumed_from == (meta["epoch"], meta["step"])
    for a, v in zip(expected, model.variables):
        np.testing.assert_allclose(v.numpy(), a, rtol=0, atol=1e-6)
    np.testing.assert_allclose(resumed.losses, ref.losses, rtol=1e-5)
    assert [r["epoch"] for r in rows.rows] == [1, 2, 3] and all("loss" in r for r in rows.rows)
    with pytest.raises(Exception, match="other settings"):
        train_pairs(model, loss, opt, src, tgt, resume_path=path, **{**kw, "settings": {"x": 2}})


def _enja_plan(exercise_id, enja_dir, resume=None, **sets):
    from dl_exercises.registry import get_exercise

    plan = get_exercise(exercise_id).plan("smoke", 0, {"data_dir": str(enja_dir), "epochs": 2, **sets}, "enja")
    return dataclasses.replace(plan, resume=str(resume) if resume else None)


@pytest.mark.parametrize("exercise_id", ["day4.transformer", "day3.seq2seq"])
def test_stopped_by_time_then_resumed_equals_uninterrupted(exercise_id, enja_dir, tmp_path):
    """max_train_minutes stops after epoch 1 with everything written; --resume then ends with the same numbers."""
    from dl_exercises.runner import run_plan

    whole = run_plan(_enja_plan(exercise_id, enja_dir), out=tmp_path / "whole")
    part = run_plan(_enja_plan(exercise_id, enja_dir, max_train_minutes=1e-4), out=tmp_path / "part")
    assert any("max_train_minutes" in n for n in part.notes)
    assert (tmp_path / "part" / "hypotheses.ja.txt").exists() and (tmp_path / "part" / "result.json").exists()
    assert ckpt.read_meta(tmp_path / "part" / ckpt.FILENAME)["epoch"] == 1
    rest = run_plan(_enja_plan(exercise_id, enja_dir, resume=tmp_path / "part"), out=tmp_path / "part")
    assert any("resumed from epoch 1" in n for n in rest.notes)
    for name in ("bleu", "bleu_beam", "dev_bleu", "dev_bleu_teacher_forced", "dev_bleu_beam"):
        if name in whole.metrics:
            assert rest.metrics[name].value == whole.metrics[name].value, name
    hist = lambda d: [(r.split(",")[2]) for r in (d / "history.csv").read_text().splitlines()[1:]]  # noqa: E731
    assert hist(tmp_path / "part") == hist(tmp_path / "whole")  # the losses of both epochs, the first one restored
    assert ((tmp_path / "part" / "hypotheses.ja.txt").read_text(encoding="utf-8")
            == (tmp_path / "whole" / "hypotheses.ja.txt").read_text(encoding="utf-8"))


def test_ctrl_c_saves_a_checkpoint_and_exits_130(enja_dir, tmp_path):
    out = tmp_path / "run"
    dlx = [sys.executable, "-m", "dl_exercises"]
    cmd = dlx + ["run", "day4.transformer", "--dataset", "enja", "--budget", "smoke", "--set", f"data_dir={enja_dir}",
                 "--set", "epochs=40", "--set", "n_train=2000", "--out", str(out)]
    env = {**os.environ, "DLX_OFFLINE": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while not (out / ckpt.FILENAME).exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    time.sleep(1.0)  # into epoch 2
    sent = time.time()
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=30)
    took = time.time() - sent
    assert code == 130
    assert took < 15  # "within a few seconds" (a step here is a fraction of a second; the margin is for a busy machine)
    meta = ckpt.read_meta(out / ckpt.FILENAME)
    assert meta["epoch"] >= 1 and 0 <= meta["step"] <= meta["steps_per_epoch"]
    assert json.loads((out / "result.json").read_text())["status"] == "interrupted"
    # --resume with other settings is refused in one line before any work, exit 2 (a usage error)
    bad = subprocess.run(dlx + ["run", "day4.transformer", "--dataset", "enja", "--budget", "smoke", "--set",
                                f"data_dir={enja_dir}", "--set", "epochs=41", "--set", "n_train=2000", "--resume",
                                str(out)], env=env, capture_output=True, text=True, timeout=240)
    assert bad.returncode == 2 and "epochs=40 there, 41 here" in bad.stderr and len(bad.stderr.splitlines()) == 1
    missing = subprocess.run(dlx + ["run", "day4.transformer", "--resume", str(tmp_path / "nothing")], env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "no checkpoint" in missing.stderr
