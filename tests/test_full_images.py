"""Where MNIST can't be had, the full-budget CNNs train on Fashion-MNIST's 60,000 images before mnist5k's 4,000,
and course figures measured on MNIST show beside MNIST and its stand-in mnist5k only."""

import pytest

from dl_exercises import datasets
from dl_exercises.errors import DataUnavailable
from dl_exercises.registry import get_exercise
from dl_exercises.runner import RunContext, run_exercise
from dl_exercises.studies.images import FULL_FASHION_NOTE, load_cnn_images


class Notices:
    def __init__(self):
        self.texts = []

    def task(self, label, total=None):
        raise AssertionError("no progress expected")

    def notice(self, text):
        self.texts.append(text)


@pytest.fixture
def no_mnist(monkeypatch):
    monkeypatch.setenv("DLX_OFFLINE", "1")
    if datasets.get("mnist").status()[0]:
        pytest.skip("real MNIST is cached here")


def _fashion_at_hand():
    if not datasets.get("fashion_mnist").status()[0]:
        pytest.skip("Fashion-MNIST is not at hand (apt-get install dataset-fashion-mnist)")


def test_the_full_budget_prefers_fashion_mnist_and_says_so(no_mnist):
    _fashion_at_hand()
    reporter = Notices()
    ctx = RunContext(get_exercise("day2.simple_cnn").plan("full"), reporter=reporter)
    x_train, y_train, x_test, _, usage = load_cnn_images(ctx, 200, 100)
    assert usage.name == "fashion_mnist" and x_train.shape == (200, 28, 28, 1) and len(x_test) == 100
    assert "fallback for mnist" in usage.note and any("using fashion_mnist instead" in t for t in reporter.texts)
    assert ctx._result.notes == [FULL_FASHION_NOTE]


def test_below_the_full_budget_mnist5k_stands_in_as_before(no_mnist):
    ctx = RunContext(get_exercise("day2.simple_cnn").plan("quick"), reporter=Notices())
    assert load_cnn_images(ctx, 200, 100)[-1].name == "mnist5k" and ctx._result.notes == []


def test_a_stand_in_that_cant_be_had_passes_to_the_next(no_mnist, monkeypatch):
    import dataclasses

    def unavailable(**kwargs):
        raise DataUnavailable("not here")

    real = datasets.get
    gone = dataclasses.replace(real("fashion_mnist"), loader=unavailable)
    monkeypatch.setattr(datasets, "get", lambda name: gone if name == "fashion_mnist" else real(name))
    bundle = datasets.load("mnist", fallbacks=("fashion_mnist", "mnist5k"), n_train=50, n_test=20)
    assert bundle.usage.name == "mnist5k"
    with pytest.raises(DataUnavailable, match="not here"):  # the last one's own error
        datasets.load("mnist", fallbacks=("fashion_mnist",), n_train=50, n_test=20)


def test_mnist_course_figures_sit_beside_mnist5k_but_not_beside_fashion_mnist(no_mnist):
    _fashion_at_hand()
    sets = {"numpy_iters": 1, "epochs": 1, "n_train": 100, "n_test": 50}
    on_fashion = run_exercise(get_exercise("day2.deep_cnn"), budget="smoke", dataset="fashion_mnist", overrides=sets)
    on_mnist5k = run_exercise(get_exercise("day2.deep_cnn"), budget="smoke", overrides=sets)
    assert "numpy_test_accuracy" not in on_fashion.course and "numpy_1000_iterations_s" in on_fashion.course
    assert "numpy_test_accuracy" in on_mnist5k.course
