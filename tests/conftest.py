"""Shared test set-up: offline, a private data cache, quiet TensorFlow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DLX_OFFLINE"] = "1"
from dl_exercises.runtime import prepare_tf_environment  # noqa: E402

prepare_tf_environment()

SHARED_ENJA = Path(__file__).resolve().parents[2] / "shared" / "data" / "small_parallel_enja"


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir(tmp_path_factory):
    """Tests never read or write the user's dlx cache."""
    old = os.environ.get("DLX_DATA_DIR")
    os.environ["DLX_DATA_DIR"] = str(tmp_path_factory.mktemp("dlx-data"))
    yield
    if old is None:
        os.environ.pop("DLX_DATA_DIR", None)
    else:
        os.environ["DLX_DATA_DIR"] = old


@pytest.fixture
def enja_dir() -> Path:
    """The real small_parallel_enja corpus beside the project; skip when absent."""
    if not (SHARED_ENJA / "train.en").exists():
        pytest.skip("small_parallel_enja not found at ../shared/data")
    return SHARED_ENJA


def run_smoke(exercise_id: str, **kwargs):
    """Run one exercise at the smoke budget through the library API."""
    from dl_exercises import run

    kwargs.setdefault("budget", "smoke")
    kwargs.setdefault("seed", 0)
    return run(exercise_id, **kwargs)
