"""The progress interface exercises report through, and its silent default.

The CLI passes a rich reporter (``cli/render.py``); library use and tests get
``NullReporter``. A leaf module: the runner, the training toolkit and the CLI
all import it, and it imports nothing of dlx.
"""

from __future__ import annotations


class NullTask:
    """A progress task that shows nothing."""

    def advance(self, n: int = 1) -> None: ...

    def describe(self, text: str) -> None: ...

    def close(self) -> None: ...


class NullReporter:
    """Progress sink for library use and tests: tasks show nothing, notices are dropped."""

    def task(self, label: str, total: int | None = None) -> NullTask:
        return NullTask()

    def notice(self, text: str) -> None: ...
