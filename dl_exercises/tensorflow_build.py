"""Which TensorFlow build an environment holds: the CPU wheel or the CUDA one, never both.

On Linux x86_64 TensorFlow comes as two distributions that write the same
``tensorflow`` package folder: ``tensorflow-cpu`` (about a third of the size; what
``make setup`` installs) and ``tensorflow`` (built with CUDA; its ``and-cuda`` extra
brings NVIDIA's libraries from PyPI; what ``make gpu`` installs). pip lets both be
installed at once, each overwriting the other's files, and removing one then breaks
the other. dlx declares them as the extras ``cpu`` and ``gpu`` (its base requirements
name no TensorFlow on Linux x86_64, so a plain install never adds a second build to an
environment that has one, such as a Colab runtime), and ``check_single_build`` refuses
to start TensorFlow when both are installed. No TensorFlow import here: the check reads
the installed distributions' metadata.
"""

from __future__ import annotations

from importlib import metadata

from .errors import DlxError

# The distributions that provide the ``tensorflow`` package folder, and what each one is.
BUILDS = {"tensorflow": "cuda", "tensorflow-cpu": "cpu"}


def installed_builds() -> dict[str, str]:
    """``{distribution: version}`` of the TensorFlow builds installed in this environment."""
    found = {}
    for name in BUILDS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def check_single_build() -> None:
    """Raise a one-line ``DlxError`` when both TensorFlow builds are installed."""
    found = installed_builds()
    if len(found) > 1:
        both = " and ".join(f"{name} {version}" for name, version in found.items())
        raise DlxError(f"both {both} are installed; they overwrite each other's files. Keep one: `make setup` "
                       "(CPU) or `make gpu` (NVIDIA GPU) rebuilds .venv with a single build")


MISSING = ("TensorFlow is not installed: `make setup`, or pip install 'dl-exercises[cpu]' "
           "('dl-exercises[gpu]' on Linux with an NVIDIA GPU)")
