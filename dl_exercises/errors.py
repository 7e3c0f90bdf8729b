"""The one error type users see, and its exit codes.

Anything raised as ``DlxError`` reaches the user as a single line on stderr;
``UsageError`` is a mistake on the command line (exit 2). A run that finished
but fell short of its budget's target raises nothing: its ``Result`` says
``status="target_missed"`` and the CLI exits 1.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class DlxError(Exception):
    """A failure explained in one line; exit code 1."""

    exit_code = EXIT_FAILED


class UsageError(DlxError):
    """Bad input on the command line (unknown id, bad ``--set``); exit code 2."""

    exit_code = EXIT_USAGE


class DataUnavailable(DlxError):
    """A requested data set cannot be had here; the message says how to fetch it."""


class NonFiniteLoss(DlxError):
    """Training produced NaN or Inf and was stopped."""
