"""The progress interface exercises report through, its silent default, and notices as Python warnings.

The CLI passes a rich reporter (``cli/render.py``); a notebook gets
``notebook.NotebookReporter``; tests get ``NullReporter``. A leaf module:
the runner, the training toolkit and the CLI all import it, and it imports
nothing of dlx.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

_PACKAGE = str(Path(__file__).resolve().parent)


class DlxNotice(UserWarning):
    """Something a learner should know about a run (a data set's fallback, a setting): the CLI's ``note:`` lines.

    Shown every time (not once per place, as Python shows other warnings), unless a filter says otherwise:
    ``warnings.filterwarnings("ignore", category=DlxNotice)`` silences them, ``"error"`` makes them fail a run.
    """


warnings.filterwarnings("always", category=DlxNotice, append=True)  # appended: the user's own filters come first


def warn_notice(text: str) -> None:
    """Issue ``text`` as a ``DlxNotice``, attributed to the first caller outside dlx (the notebook cell, the script)."""
    level, frame = 2, sys._getframe(1)  # stacklevel 2: the caller of this function
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level += 1
        frame = frame.f_back
    warnings.warn(text, DlxNotice, stacklevel=level)


class NullTask:
    """A progress task that shows nothing."""

    def advance(self, n: int = 1) -> None: ...

    def describe(self, text: str) -> None: ...

    def close(self) -> None: ...


class NullReporter:
    """Progress sink for tests and silent library use: tasks show nothing, notices are dropped."""

    def task(self, label: str, total: int | None = None) -> NullTask:
        return NullTask()

    def notice(self, text: str) -> None: ...


class WarningReporter:
    """Progress through ``progress`` (or nowhere), notices as ``DlxNotice`` warnings: Python code's reporter."""

    def __init__(self, progress=None) -> None:
        self.progress = progress

    def task(self, label: str, total: int | None = None):
        return self.progress.task(label, total) if self.progress is not None else NullTask()

    def notice(self, text: str) -> None:
        warn_notice(text)

    def stop(self) -> None:
        if self.progress is not None and hasattr(self.progress, "stop"):
            self.progress.stop()
