"""Day4 WaveNet: μ-law against its closed form, receptive field (formula vs impulse), causality, the cached
generator against the full model, the generated data set, the WAV writer and bad --set values."""

from __future__ import annotations

import wave

import numpy as np
import pytest

MU = 255


@pytest.fixture(scope="module")
def tfk():
    from dl_exercises.runtime import tf_keras

    return tf_keras()


def test_mulaw_compress_matches_the_closed_form_at_known_points():
    from dl_exercises.scratch import mulaw

    # F(x) = sign(x) ln(1 + μ|x|) / ln(1 + μ): F(±1) = ±1, F(0) = 0, F(((1 + μ)^½ − 1)/μ) = ½
    half = (np.sqrt(1.0 + MU) - 1.0) / MU
    np.testing.assert_allclose(mulaw.compress([-1.0, 0.0, 1.0, half, -half]), [-1.0, 0.0, 1.0, 0.5, -0.5], atol=1e-12)
    x = np.linspace(-1, 1, 10001)
    np.testing.assert_allclose(mulaw.expand(mulaw.compress(x)), x, atol=1e-12)


def test_mulaw_round_trip_within_the_quantisation_bin():
    from dl_exercises.scratch import mulaw

    x = np.random.default_rng(0).uniform(-1, 1, 100000)
    x = np.concatenate([x, x * 1e-3, [-1.0, 0.0, 1.0]])
    c = mulaw.encode(x)
    assert c.min() >= 0 and c.max() <= MU and len(np.unique(mulaw.encode(np.linspace(-1, 1, 200001)))) == 256
    lo, hi = mulaw.bin_edges(c)
    back = mulaw.decode(c)
    assert np.all((x >= lo - 1e-12) & (x <= hi + 1e-12))
    assert np.all(np.abs(back - x) <= np.maximum(hi - back, back - lo) + 1e-12)
    # the bin width from the derivative of F: Δx ≈ (2/256) · ln(1 + μ)(1 + μ|x|)/μ
    width = (2 / 256) * np.log1p(MU) * (1 + MU * np.abs(back)) / MU
    np.testing.assert_allclose(hi - lo, width, rtol=0.03)
    assert np.all(np.diff(mulaw.decode(np.arange(256))) > 0)


@pytest.mark.parametrize("kernel_size,layers,stacks", [(2, 3, 2), (3, 2, 3), (2, 5, 1)])
def test_receptive_field_formula_equals_the_impulse_measurement_and_nothing_comes_from_the_future(tfk, kernel_size, layers, stacks):
    tf, keras = tfk
    from dl_exercises.exercises.day4_wavenet import impulse_receptive_field
    from dl_exercises.nn.wavenet import build_wavenet, dilation_schedule, receptive_field

    keras.utils.set_random_seed(0)
    parts = build_wavenet(4, 8, layers, stacks, kernel_size)
    formula = (kernel_size - 1) * sum(dilation_schedule(layers, stacks)) + 1
    assert parts.receptive_field == receptive_field(kernel_size, parts.dilations) == formula
    length = 2 * formula + 10
    t = length - 6
    first, last, count = impulse_receptive_field(tf, parts.body, 4, length, t)
    assert (first, last, count) == (t - formula + 1, t, formula)


def test_causality_by_changing_future_inputs(tfk):
    _, keras = tfk
    from dl_exercises.nn.wavenet import build_wavenet

    keras.utils.set_random_seed(0)
    parts = build_wavenet(8, 8, 4, 2)
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (1, 120)).astype("int32")
    b = a.copy()
    b[:, 70:] = rng.integers(0, 256, (1, 50))
    la, lb = np.asarray(parts.model(a)), np.asarray(parts.model(b))
    np.testing.assert_array_equal(la[:, :70], lb[:, :70])
    assert np.abs(la[:, 70:] - lb[:, 70:]).max() > 0


def test_cached_generation_equals_the_full_model(tfk):
    """Teacher-forced steps through the per-block queues give the full model's logits (within 1e-5)."""
    _, keras = tfk
    from dl_exercises.nn.wavenet import FastGenerator, build_wavenet

    keras.utils.set_random_seed(0)
    parts = build_wavenet(8, 16, 4, 2, kernel_size=3)
    x = np.random.default_rng(0).integers(0, 256, (2, 150)).astype("int32")
    gen = FastGenerator(parts, chunk=64)
    np.testing.assert_allclose(gen.teacher_forced_logits(x), np.asarray(parts.model(x)), atol=1e-5)
    s1, s2 = gen.generate(x[:, :40], 70, seed=3), gen.generate(x[:, :40], 70, seed=3)
    assert s1.shape == (2, 70) and np.array_equal(s1, s2) and s1.min() >= 0 and s1.max() < 256


def test_block_validates_and_round_trips_its_config(tfk):
    _, keras = tfk
    from dl_exercises.nn.wavenet import GatedResidualBlock

    with pytest.raises(ValueError, match="Received: channels=0"):
        GatedResidualBlock(0, 4, 1)
    block = GatedResidualBlock(4, 6, 8, 3, use_residual=False, name="b")
    assert GatedResidualBlock.from_config(block.get_config()).get_config() == block.get_config()


def test_waveforms_are_seeded_and_have_the_drawn_pitch():
    from dl_exercises.datasets import load
    from dl_exercises.exercises.day4_wavenet import dominant_frequency

    a, b, c = load("waveforms", seed=0), load("waveforms", seed=0), load("waveforms", seed=1)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert a.extra["f0"] != c.extra["f0"] and 150 <= a.extra["f0"] <= 300
    assert a.y_train.dtype == np.int64 and a.y_train.max() <= 255 and np.abs(a.x_train).max() <= 1
    # vibrato spreads the line over f0 · (1 ± depth): the peak lies within that band
    assert abs(dominant_frequency(a.x_train, 4000) - a.extra["f0"]) <= a.extra["f0"] * a.extra["depth"] + 2


def test_write_wav_is_16_bit_mono(tmp_path):
    from dl_exercises.exercises.day4_wavenet import write_wav

    x = np.sin(np.linspace(0, 200 * np.pi, 4000))
    write_wav(tmp_path / "a.wav", x, 4000)
    with wave.open(str(tmp_path / "a.wav")) as fh:
        assert (fh.getnchannels(), fh.getsampwidth(), fh.getframerate(), fh.getnframes()) == (1, 2, 4000, 4000)
        pcm = np.frombuffer(fh.readframes(4000), "<i2")
    np.testing.assert_allclose(pcm / 32767, x, atol=1 / 32767)


@pytest.mark.parametrize("arg,allowed", [("sample_rate=999", ">= 1000"), ("stacks=0", ">= 1"), ("layers_per_stack=0", ">= 1")])
def test_bad_set_exits_2_with_the_range(arg, allowed):
    from typer.testing import CliRunner

    from dl_exercises.cli.app import app

    result = CliRunner().invoke(app, ["run", "day4.wavenet", "--set", arg])
    assert result.exit_code == 2 and allowed in result.stderr, result.output


def test_smoke_writes_a_one_second_wav(tmp_path):
    from dl_exercises import run

    run("day4.wavenet", budget="smoke", seed=0, out=tmp_path)
    with wave.open(str(tmp_path / "generated.wav")) as fh:
        assert fh.getnchannels() == 1 and fh.getsampwidth() == 2 and fh.getnframes() >= fh.getframerate()
    assert (tmp_path / "waveforms.png").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quick_targets(seed):
    from dl_exercises import run

    result = run("day4.wavenet", budget="quick", seed=seed)
    assert not result.missed, [t for t in result.targets if not t.met]
