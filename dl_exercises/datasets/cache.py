"""Where data lives on disk, the manifest of downloadable files, and verified downloads.

A download goes to a temporary file beside its destination, is checked
against the manifest's sha256, and only then renamed into place, so an
interrupted or corrupted download never leaves a file that looks complete.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import urllib.request
from functools import lru_cache
from pathlib import Path

from ..errors import DataUnavailable, DlxError

MANIFEST_PATH = Path(__file__).resolve().parents[2] / "data" / "manifest.json"
DOWNLOAD_TIMEOUT_S = 20
RETRY_AFTER_S = 600  # after a failed connection, automatic downloads wait this long before trying again


def data_dir() -> Path:
    """dlx's own cache: ``$DLX_DATA_DIR``, else ``~/.cache/dlx`` (``$XDG_CACHE_HOME`` honoured)."""
    env = os.environ.get("DLX_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dlx"


def keras_dataset_dirs() -> list[Path]:
    """Where ``keras.datasets`` keeps its downloads (``$KERAS_HOME``, then ``~/.keras``)."""
    dirs = []
    if os.environ.get("KERAS_HOME"):
        dirs.append(Path(os.environ["KERAS_HOME"]).expanduser() / "datasets")
    dirs.append(Path.home() / ".keras" / "datasets")
    return dirs


def offline() -> bool:
    """``DLX_OFFLINE=1`` forbids any network access (tests set it)."""
    return os.environ.get("DLX_OFFLINE", "").lower() in ("1", "true", "yes")


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The manifest: ``{dataset: {"licence": ..., "files": {name: {"url", "sha256", ...}}}}``."""
    try:
        return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DlxError(f"data manifest missing at {MANIFEST_PATH}: reinstall dlx from its repository") from None


def _unreachable_marker() -> Path:
    return data_dir() / ".network-unreachable"


def recently_unreachable() -> float | None:
    """Seconds since an automatic download last failed to connect, if within ``RETRY_AFTER_S``."""
    import time

    try:
        age = time.time() - _unreachable_marker().stat().st_mtime
    except OSError:
        return None
    return age if age < RETRY_AFTER_S else None


def clear_unreachable() -> None:
    """Forget a failed connection (``dlx data fetch`` always tries the network)."""
    _unreachable_marker().unlink(missing_ok=True)


def _mark_unreachable() -> None:
    try:
        _unreachable_marker().parent.mkdir(parents=True, exist_ok=True)
        _unreachable_marker().touch()
    except OSError:
        pass


def manifest_entry(dataset: str, filename: str) -> dict:
    return manifest()[dataset]["files"][filename]


def sha256_file(path: Path, *, decompress_gzip: bool = False) -> str:
    """sha256 of a file, or of its gunzipped content (as Debian recompresses files)."""
    digest = hashlib.sha256()
    opener = gzip.open if decompress_gzip else open
    with opener(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, sha256: str, *, decompress_gzip: bool = False) -> bool:
    try:
        return sha256_file(path, decompress_gzip=decompress_gzip) == sha256
    except (OSError, EOFError, gzip.BadGzipFile):
        return False


def download(url: str, dest: Path, sha256: str, *, decompress_gzip: bool = False, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Fetch ``url`` to ``dest`` if it is not already there and verified.

    The bytes go to a temporary file in ``dest``'s folder; only a file whose
    sha256 matches is renamed to ``dest``. A mismatch raises ``DlxError`` and
    leaves nothing behind.
    """
    dest = Path(dest)
    if dest.exists() and verify(dest, sha256, decompress_gzip=decompress_gzip):
        return dest
    if offline():
        raise DataUnavailable(f"{dest.name} is not cached and DLX_OFFLINE is set")
    age = recently_unreachable()
    if age is not None:
        raise DataUnavailable(f"{dest.name} is not cached and the network was unreachable {age:.0f} s ago")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, urllib.request.urlopen(url, timeout=timeout) as response:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                fh.write(chunk)
        actual = sha256_file(tmp, decompress_gzip=decompress_gzip)
        if actual != sha256:
            raise DlxError(f"download of {dest.name} is corrupted (sha256 {actual[:12]}…, expected {sha256[:12]}…); nothing was kept")
        os.replace(tmp, dest)
        return dest
    except OSError as exc:
        _mark_unreachable()  # spare the next runs the same wait; `dlx data fetch` retries at once
        raise DataUnavailable(f"cannot download {url}: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
