"""--lang ja from end to end: the glossary, the fonts, every exercise's figures and JSON, the CLI's words.

Every exercise and suite runs at the smoke budget twice through the CLI, as
`dlx run ID --budget smoke --json --out DIR` and the same under `--lang ja`,
with matplotlib's "Glyph … missing from font" warning turned into an error:
the JSON must have the same keys in both languages, and under ja every note,
table title and column holds Japanese and no text a learner reads lacks an
entry in the glossary.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dl_exercises import glossary
from dl_exercises.cli.app import app
from dl_exercises.glossary import has_japanese, translate
from dl_exercises.registry import list_exercises, list_suites

from tests.test_smoke_all import assert_well_formed

SPECS = list_exercises() + list_suites()
GLYPH_WARNINGS_FAIL = pytest.mark.filterwarnings(
    "error:Glyph .* missing from font", "error:.*does not have a glyph")


def _keys(value, path="$"):
    """The shape of a JSON value: every key path, lists by position (values themselves left out)."""
    if isinstance(value, dict):
        out = {path}
        for key, item in value.items():
            out |= _keys(item, f"{path}.{key}")
        return out
    if isinstance(value, list):
        out = {path}
        for i, item in enumerate(value):
            out |= _keys(item, f"{path}[{i}]")
        return out
    return {path}


def _run(args: list[str]):
    return CliRunner().invoke(app, args)


# --- the glossary ----------------------------------------------------------------------------------


def test_glossary_translates_terms_patterns_fields_lines_and_clauses():
    assert translate("test accuracy", "ja") == "テスト正答率"
    assert translate("Test accuracy", "ja") == "テスト正答率"  # a capitalised title uses the term's entry
    assert translate("test accuracy", "en") == "test accuracy"
    assert translate("epoch\nloss", "ja") == "エポック\n損失"
    # a pattern, and its field translated in turn
    assert translate("unknown exercise 'day1.sgdd'; did you mean day1.sgd? (see `dlx list`)", "ja") == (
        "演習 'day1.sgdd' はありません。もしかして day1.sgd ですか? (`dlx list` で一覧を確認できます)")
    assert translate("threshold 10 → unchanged; formula gives 7", "ja") == "しきい値 10 → 変わらない; 式では 7"


def test_a_text_without_an_entry_stays_and_is_remembered_but_names_are_not_misses():
    glossary.MISSES.clear()
    assert translate("a sentence nobody wrote down", "ja") == "a sentence nobody wrote down"
    for name in ("day1.sgd", "s_k", "z₁", "noise=0.0", "42", "Hz"):
        assert translate(name, "ja") == name
    assert glossary.MISSES == {"a sentence nobody wrote down"}
    glossary.MISSES.clear()


def test_every_entry_is_consistent():
    from dl_exercises.glossary.ja import JA

    catalog = glossary.Catalog(JA)  # raises on an entry whose Japanese drops or repeats a field
    assert len(JA) > 900
    for english, japanese in JA.items():
        assert japanese.strip() == japanese and english.strip() == english, english
        if english not in glossary.ja.KEEP and not glossary._neutral(english):  # Japanese, or the same name spelt
            same_name = re.sub(r"[\s_]", "", japanese.lower()) == re.sub(r"[\s_]", "", english.lower())
            assert has_japanese(japanese) or japanese in glossary.ja.KEEP or same_name, english
    with pytest.raises(ValueError, match="field"):
        glossary.Catalog({"{a} and {b}": "{a}"})
    assert catalog.exact("loss") == "損失"


def test_the_language_of_a_cli_invocation_ends_with_it():
    assert _run(["--lang", "ja", "check", "sigmoid_derivative"]).exit_code == 0
    assert glossary.current() == "en"  # the next caller is not left in Japanese


# --- fonts ---------------------------------------------------------------------------------------------


def test_the_japanese_font_comes_from_the_package_dlx_depends_on():
    from dl_exercises import fonts

    path = fonts.font_file()
    assert path is not None and path.name == "ipaexg.ttf" and "matplotlib_fontja" in str(path)
    assert "matplotlib_fontja" not in sys.modules  # read, never imported: importing it changes every figure's font
    assert fonts.families("ja")[0] == "IPAexGothic" and fonts.families("en")[0] == "DejaVu Sans"
    assert fonts.covers("学習曲線 テスト正答率 ε σ′ ≥ −", "ja")
    assert not fonts.covers("\U00013000", "ja")  # an Egyptian hieroglyph: in neither font


@GLYPH_WARNINGS_FAIL
def test_a_run_draws_japanese_and_gives_the_callers_font_back(tmp_path):
    import matplotlib

    from dl_exercises.runner import run_exercise
    from dl_exercises.registry import get_exercise

    before = list(matplotlib.rcParams["font.family"])
    result = run_exercise(get_exercise("day1.activations"), budget="smoke", out=tmp_path, lang="ja")
    assert list(matplotlib.rcParams["font.family"]) == before
    assert result.lang == "ja" and (tmp_path / "activations.png").stat().st_size > 0
    assert json.loads((tmp_path / "result.json").read_text())["lang"] == "ja"


def test_a_missing_glyph_fails_the_test_that_draws_it(tmp_path):
    """The warning this module turns into a failure is the one matplotlib gives: a test that can fail."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("学習曲線")
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), warnings.catch_warnings():
        warnings.filterwarnings("error", "Glyph .* missing from font")
        ax.set_title("学習曲線")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(tmp_path / "x.png")
    plt.close(fig)


def test_the_enja_attention_heatmap_labels_both_axes_with_real_tokens(enja_dir, tmp_path, monkeypatch):
    from dl_exercises.registry import get_exercise
    from dl_exercises.runner import RunContext, run_plan

    seen = {}
    original = RunContext.save_figure

    def spy(self, fig, name):
        if name == "attention.png":
            ax = fig.axes[0]
            seen["x"] = [t.get_text() for t in ax.get_xticklabels()]
            seen["y"] = [t.get_text() for t in ax.get_yticklabels()]
        return original(self, fig, name)

    monkeypatch.setattr(RunContext, "save_figure", spy)
    plan = get_exercise("day4.transformer").plan("smoke", 0, {"data_dir": str(enja_dir), "epochs": 1}, "enja")
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("error", "Glyph .* missing from font")
        result = run_plan(plan, out=tmp_path, lang="ja", tensorboard=False)
    assert result.status == "ok", result.error
    assert not any("番号" in n or "numbers the output" in n for n in result.notes)
    assert any(has_japanese(t) for t in seen["y"]), seen["y"]  # the Japanese output tokens themselves
    assert any(t.isascii() and t.strip("<>/") for t in seen["x"]), seen["x"]  # the English source tokens
    assert not all(t.isdigit() for t in seen["y"])


# --- every exercise, in both languages ---------------------------------------------------------------


@GLYPH_WARNINGS_FAIL
@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_every_exercise_speaks_japanese_with_the_same_json_keys(spec, tmp_path):
    common = ["run", spec.id, "--budget", "smoke", "--json", "--no-tensorboard"]
    english = _run(common + ["--out", str(tmp_path / "en")])
    assert english.exit_code in (0, 1), english.stderr
    assert_well_formed(spec, tmp_path / "en")  # the smoke run of every exercise (tests/test_smoke_all.py)
    glossary.MISSES.clear()
    japanese = _run(["--lang", "ja"] + common + ["--out", str(tmp_path / "ja")])
    assert japanese.exit_code == english.exit_code, japanese.stderr
    missing = sorted(glossary.MISSES)
    assert not missing, f"texts without a Japanese entry in dl_exercises/glossary/ja.py: {missing}"
    en, ja = json.loads(english.stdout), json.loads(japanese.stdout)
    assert _keys(ja) == _keys(en), "the JSON keys must not depend on the language"
    assert (en["lang"], ja["lang"]) == ("en", "ja")
    assert list(ja["metrics"]) == list(en["metrics"]) and ja["params"] == en["params"]
    texts = list(ja["notes"]) + [t["title"] for t in ja["tables"]]
    texts += [c for t in ja["tables"] for c in t["columns"] if isinstance(c, str) and not glossary._neutral(c)]
    texts += [m["note"] for m in ja["metrics"].values() if m["note"]] + [d["note"] for d in ja["data"] if d["note"]]
    english_only = [t for t in texts if not has_japanese(t) and not glossary.kept(t)]  # names and formulas stay
    assert not english_only, english_only
    figures_en = sorted(Path(a).name for a in en["artifacts"] if a.endswith(".png"))
    figures_ja = sorted(Path(a).name for a in ja["artifacts"] if a.endswith(".png"))
    assert figures_ja == figures_en  # the same figures, drawn in each language without a missing glyph
    for name in figures_ja:  # each figure has words (titles, labels, ticks), drawn in the other language's fonts
        assert (tmp_path / "ja" / name).read_bytes() != (tmp_path / "en" / name).read_bytes(), name


# --- the CLI's own words -------------------------------------------------------------------------------


def test_one_line_errors_and_their_suggestions_in_japanese():
    unknown = _run(["--lang", "ja", "run", "day1.sgdd"])
    assert unknown.exit_code == 2
    assert "dlx: エラー: 演習 'day1.sgdd' はありません。もしかして day1.sgd" in unknown.stderr
    assert "ですか? (`dlx list` で一覧を確認できます)" in unknown.stderr
    bad_set = _run(["--lang", "ja", "run", "day1.sgd", "--set", "lr=abc"])
    assert bad_set.exit_code == 2 and "--set lr=abc: float として不正な値です" in bad_set.stderr
    no_param = _run(["--lang", "ja", "run", "day1.sgd", "--set", "lrr=0.1"])
    assert no_param.exit_code == 2 and "パラメータ 'lrr' はありません。もしかして lr ですか?" in no_param.stderr
    click_error = _run(["--lang", "ja", "run", "day1.sgd", "--budget", "huge"])
    assert click_error.exit_code == 2 and "の値が不正です" in click_error.stderr and "--help` を参照" in click_error.stderr
    english = _run(["run", "day1.sgdd"])
    assert "dlx: error: unknown exercise 'day1.sgdd'; did you mean day1.sgd" in english.stderr


def test_show_says_its_summary_in_japanese():
    result = _run(["--lang", "ja", "show", "day1.sgd"])
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "バッチ勾配降下法・SGD・ミニバッチを numpy と Keras で比べる" in out
    assert "Learn f(x)=3x1+2x2" not in out


def test_every_summary_has_japanese():
    missing = [s.id for s in SPECS if not has_japanese(translate(s.summary, "ja"))]
    assert not missing, missing


def test_progress_labels_and_notices_reach_the_learner_in_japanese(tmp_path):
    from dl_exercises.registry import get_exercise
    from dl_exercises.runner import run_exercise

    class Recorder:
        def __init__(self):
            self.labels, self.notices = [], []

        def task(self, label, total=None):
            from dl_exercises.progress import NullTask

            self.labels.append(label)
            return NullTask()

        def notice(self, text):
            self.notices.append(text)

    recorder = Recorder()
    run_exercise(get_exercise("day1.mnist_mlp"), budget="smoke", reporter=recorder, lang="ja")
    assert recorder.labels and all(has_japanese(label) for label in recorder.labels), recorder.labels
    assert all(has_japanese(text) for text in recorder.notices), recorder.notices  # the mnist5k fallback, offline
