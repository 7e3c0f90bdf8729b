"""dlx from Python and in a real Jupyter kernel: live progress, the Result as HTML with its figures, notices as warnings.

The kernel test runs a small notebook with nbclient at the smoke budget, as a learner would:
``from dl_exercises import run; r = run("day2.optimizers", budget="smoke"); r``.
"""

from __future__ import annotations

import base64
import json

import pytest

from dl_exercises.progress import DlxNotice, NullReporter, WarningReporter
from dl_exercises.params import Param
from dl_exercises.spec import ExerciseSpec
from dl_exercises.result import Figure, History, Result
from dl_exercises.runner import run_exercise


def _spec(func, **kwargs) -> ExerciseSpec:
    return ExerciseSpec(id="examples.notebook_fake", func=func, title="Fake", title_ja="偽", section="test",
                        params={"lr": Param(float, 0.1, min=0.0, min_inclusive=False)}, **kwargs)


def _draw(ctx):
    ctx.metric("score", 0.75, note="a made-up score")
    ctx.log(epoch=1, loss=0.5)
    ctx.log(epoch=2, loss=0.25, accuracy=0.9)
    ctx.table("grid", ["a", "b"], [["x", 1.5]])
    if ctx.wants_figures:
        plt = ctx.pyplot()
        fig, ax = plt.subplots()
        ax.imshow([[0.0, 1.0], [0.5, 0.25]], cmap="viridis")
        ctx.save_figure(fig, "heat.png")


def test_figures_are_kept_without_out_and_shown_as_html():
    result = run_exercise(_spec(_draw), budget="smoke", capture_figures=True)
    figure = result.figures["heat.png"]
    assert figure.png.startswith(b"\x89PNG") and figure.path is None and figure._repr_png_() == figure.png
    page = result._repr_html_()
    for text in ("examples.notebook_fake", "<table", "score", "0.75", "grid", "heat.png", "a made-up score"):
        assert text in page, text
    assert "data:image/png;base64," + base64.b64encode(figure.png).decode()[:40] in page
    assert "figures" not in result.to_dict() and "history_rows" not in result.to_dict()  # PNGs and CSV hold them


def test_no_figure_is_drawn_where_none_is_kept():
    result = run_exercise(_spec(_draw), budget="smoke")
    assert result.figures == {}


def test_repr_is_one_short_line():
    result = run_exercise(_spec(_draw), budget="smoke", capture_figures=True)
    text = repr(result)
    assert "\n" not in text and len(text) < 200
    assert text.startswith("Result('examples.notebook_fake', budget='smoke', seed=0, status='ok', 1 metrics")
    assert "heat.png" in text


def test_history_is_a_dataframe_with_pandas_and_a_list_of_rows_without(monkeypatch):
    result = run_exercise(_spec(_draw), budget="smoke")
    frame = result.history
    assert list(frame["loss"]) == [0.5, 0.25] and list(frame.columns) == ["epoch", "loss", "accuracy"]
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pandas" else real(name, *a))
    rows = result.history
    assert isinstance(rows, History) and rows["loss"] == [0.5, 0.25] and rows["accuracy"] == [None, 0.9]
    assert rows[0] == {"epoch": 1, "loss": 0.5} and rows.columns == ["epoch", "loss", "accuracy"]
    with pytest.raises(KeyError, match="epoch, loss, accuracy"):
        rows["nope"]
    assert "<table" in rows._repr_html_()


def test_metric_converts_to_float():
    result = run_exercise(_spec(_draw), budget="smoke")
    assert float(result.metrics["score"]) == 0.75


def test_load_reads_back_figures_and_history(tmp_path):
    run_exercise(_spec(_draw), budget="smoke", out=tmp_path, capture_figures=True)
    loaded = Result.load(tmp_path)
    assert loaded.id == "examples.notebook_fake" and float(loaded.metrics["score"]) == 0.75
    assert list(loaded.figures) == ["heat.png"] and loaded.figures["heat.png"].png.startswith(b"\x89PNG")
    assert loaded.history_rows == [{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25, "accuracy": 0.9}]
    assert "<img" in loaded._repr_html_()


def test_a_heatmap_gets_a_colour_bar_and_a_grey_image_none(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dl_exercises.runner import add_colour_bars

    heat, ax = plt.subplots()
    ax.imshow([[0.0, 1.0], [0.5, 0.25]], cmap="viridis")
    add_colour_bars(heat)
    assert len(heat.axes) == 2  # the heatmap and its colour bar
    add_colour_bars(heat)
    assert len(heat.axes) == 2  # not twice
    digits, axes = plt.subplots(1, 2)
    axes[0].imshow([[0.0, 1.0], [0.5, 0.25]], cmap="gray")
    axes[1].imshow([[[0.0, 0.5, 1.0]]])  # an RGB picture
    add_colour_bars(digits)
    assert len(digits.axes) == 2
    plt.close("all")


def test_samples_by_epoch_labels_each_row():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from dl_exercises.exercises.day4_gan import _grid

    fig = _grid(plt, np.zeros((30, 4, 4)), 3, 10, row_labels=["epoch 1", "epoch 2", "epoch 3"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["epoch 1", "epoch 2", "epoch 3"]
    plt.close(fig)


def test_notices_are_warnings_attributed_to_the_callers_code():
    with pytest.warns(DlxNotice, match="using mnist5k") as caught:
        WarningReporter().notice("mnist is not available here; using mnist5k instead")
    assert caught[0].filename == __file__  # the line that called, not dlx's own


def test_a_notice_shows_every_time_under_pythons_default_filters():
    import subprocess
    import sys

    code = ("from dl_exercises.progress import warn_notice\n"
            "for _ in range(2):\n"
            "    warn_notice('using mnist5k instead')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.count("DlxNotice: using mnist5k instead") == 2, proc.stderr  # Python shows others once


def test_run_checks_its_arguments_before_any_work(tmp_path):
    from dl_exercises import run
    from dl_exercises.errors import UsageError

    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="out=.*is a file"):
        run("day1.forward", budget="smoke", out=tmp_path / "file", reporter=NullReporter())
    with pytest.raises(UsageError, match="--seed"):
        run("day1.forward", budget="smoke", seed=-1)
    with pytest.raises(UsageError, match="did you mean"):
        run("day1.forwrd", budget="smoke")


def test_run_records_the_call_and_keyword_parameters(tmp_path):
    from dl_exercises import run

    result = run("day1.sgd", budget="smoke", lr=0.05, reporter=NullReporter(), out=tmp_path / "sgd")
    assert result.params["lr"] == 0.05
    assert result.command == f"dl_exercises.run('day1.sgd', budget='smoke', seed=0, out={str(tmp_path / 'sgd')!r}, lr=0.05)"
    assert "sgd_curves.png" in result.figures and result.figures["sgd_curves.png"].path.endswith("sgd_curves.png")
    saved = json.loads((tmp_path / "sgd" / "result.json").read_text())
    assert saved["command"] == result.command


def test_a_figure_object_saves_its_png(tmp_path):
    figure = Figure("x.png", b"\x89PNG fake")
    assert figure.save(tmp_path / "x.png").read_bytes() == b"\x89PNG fake"


# --- a real kernel -----------------------------------------------------------------------------------------------


def test_notebook_in_a_real_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="the test extra installs nbformat (with nbclient)")
    from nbclient import NotebookClient

    keras_home = tmp_path / "keras_home"  # no keras.datasets cache: mnist falls back to mnist5k, with a notice
    keras_home.mkdir()
    cells = [
        f"import os\nos.environ['KERAS_HOME'] = {str(keras_home)!r}\n"
        "from dl_exercises import run\n"
        "r = run('day2.optimizers', budget='smoke')",
        "r",
        "print(sorted(r.figures), type(r.history).__name__, len(r.history) > 0, float(r.metrics['test_accuracy_sgd']) > 0)",
        "import matplotlib\nprint(matplotlib.get_backend())",  # the notebook's own plots still show inline
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    run_outputs, shown, printed, backend = (cell.outputs for cell in nb.cells)

    progress = [o for o in run_outputs if o.output_type == "display_data" and "<progress" in o.data.get("text/html", "")]
    assert len(progress) == 1, run_outputs  # one table, updated in place
    table = progress[0].data["text/html"]
    assert "✓" in table and "…" not in table  # every task finished: the updates reached the notebook
    notices = "".join(o.text for o in run_outputs if o.output_type == "stream" and o.name == "stderr")
    assert "DlxNotice" in notices and "using mnist5k instead" in notices
    assert not [o for o in run_outputs if "image/png" in o.get("data", {})]  # figures are closed, not shown twice

    (result,) = [o for o in shown if o.output_type == "execute_result"]
    page = result.data["text/html"]
    for text in ("day2.optimizers", "<table", "metric", "target", "course", "mnist5k"):
        assert text in page, text
    assert page.count("data:image/png;base64,") == 2  # optimizer_curves.png and optimizer_paths.png, inline

    text = "".join(o.text for o in printed if o.output_type == "stream")
    assert text.strip() == "['optimizer_curves.png', 'optimizer_paths.png'] DataFrame True True"
    assert "inline" in "".join(o.text for o in backend if o.output_type == "stream").lower()
