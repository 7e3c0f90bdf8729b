"""Checkpoints of a long run: weights, optimizer state, where the run stands and every random state, written atomically.

One file, ``checkpoint.npz``: every variable of the model (seed-generator states of the
dropout layers included), every variable of the optimizer (its step counter, Adam's
moments), Keras's global seed generator, and a JSON record (``meta``) holding the epoch,
the step inside it, the history so far, the settings the run was started with and the
states of Python's and numpy's global generators. It is written to a temporary file in
the same directory and renamed over the old one (``os.replace``), so a crash or Ctrl-C
while writing leaves the previous checkpoint whole. A run resumed from it continues as
if it had never stopped: the batches of an epoch are a function of (seed, epoch), and
every random state is restored (the resume tests check equal final numbers).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DlxError

FILENAME = "checkpoint.npz"


def _global_seed_state():
    from keras.src.random import seed_generator

    return seed_generator.global_seed_generator().state


def capture_rng() -> dict[str, Any]:
    """Python's and numpy's global generator states, as JSON-able values."""
    version, state, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    return {"python": [version, list(state), gauss],
            "numpy": [kind, keys.tolist(), int(pos), int(has_gauss), float(cached)]}


def restore_rng(saved: dict[str, Any]) -> None:
    version, state, gauss = saved["python"]
    random.setstate((version, tuple(state), gauss))
    kind, keys, pos, has_gauss, cached = saved["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))


def save(path: str | os.PathLike, model, optimizer, meta: dict[str, Any]) -> Path:
    """Write ``checkpoint.npz`` atomically: temp file in the same directory, then rename.

    Args:
        path: the checkpoint file (its directory is created).
        model: a built Keras model (``model.variables`` are saved, non-trainable ones too).
        optimizer: a built Keras optimizer (``optimizer.variables``).
        meta: JSON-able record (epoch, step, history, settings); the RNG states are added here.

    Returns:
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"model/{i}": np.asarray(v.numpy()) for i, v in enumerate(model.variables)}
    arrays.update({f"optimizer/{i}": np.asarray(v.numpy()) for i, v in enumerate(optimizer.variables)})
    arrays["keras_seed"] = np.asarray(_global_seed_state().numpy())
    record = {**meta, "rng": capture_rng(), "n_model": len(model.variables), "n_optimizer": len(optimizer.variables)}
    arrays["meta"] = np.array(json.dumps(record))
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_meta(path: str | os.PathLike) -> dict[str, Any]:
    """The JSON record of a checkpoint (no variables loaded)."""
    path = Path(path)
    if not path.is_file():
        raise DlxError(f"no checkpoint at {path} (a run writes one after each epoch when given --out)")
    try:
        with np.load(path) as data:
            return json.loads(str(data["meta"]))
    except (OSError, ValueError, KeyError) as exc:
        raise DlxError(f"{path} is not a dlx checkpoint ({type(exc).__name__}: {exc})") from None


def restore(path: str | os.PathLike, model, optimizer) -> dict[str, Any]:
    """Load a checkpoint into ``model`` and ``optimizer`` (built, same architecture) and the RNGs; return its meta."""
    meta = read_meta(path)
    with np.load(path) as data:
        if meta["n_model"] != len(model.variables) or meta["n_optimizer"] != len(optimizer.variables):
            raise DlxError(f"{path} holds {meta['n_model']} model and {meta['n_optimizer']} optimizer variables, "
                           f"this run has {len(model.variables)} and {len(optimizer.variables)}: not the same model")
        for i, v in enumerate(model.variables):
            value = data[f"model/{i}"]
            if tuple(value.shape) != tuple(v.shape):
                raise DlxError(f"{path}: variable {v.path} has shape {value.shape}, this model's is {tuple(v.shape)}")
            v.assign(value)
        for i, v in enumerate(optimizer.variables):
            v.assign(data[f"optimizer/{i}"])
        _global_seed_state().assign(data["keras_seed"])
    restore_rng(meta["rng"])
    return meta


def check_same_settings(meta: dict[str, Any], settings: dict[str, Any], path) -> None:
    """A resumed run must be started with the settings of the run it continues (``ignore``d keys aside)."""
    saved = meta.get("settings", {})
    differ = sorted(k for k in set(saved) | set(settings) if saved.get(k) != settings.get(k))
    if differ:
        shown = ", ".join(f"{k}={saved.get(k)!r} there, {settings.get(k)!r} here" for k in differ[:6])
        raise DlxError(f"--resume {Path(path).parent}: the checkpoint was written with other settings ({shown}); "
                       "resume with the same budget, seed, data set and --set values")
