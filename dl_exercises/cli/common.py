"""What every command shares: the global options and turning errors into one line and an exit code."""

from __future__ import annotations

import enum
import functools
import os
from typing import Callable

import typer

from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, DlxError


class Budget(str, enum.Enum):
    """``--budget``: its choices are checked by the command line and completed by the shell."""

    smoke = "smoke"
    quick = "quick"
    full = "full"


class Lang(str, enum.Enum):
    """``--lang``: the languages a learner reads dlx in."""

    en = "en"
    ja = "ja"


def debug_from_env() -> bool:
    return os.environ.get("DLX_DEBUG", "") not in ("", "0")


class State:
    debug: bool = debug_from_env()
    lang: str | None = None
    command: str = ""  # the command line as typed (``dlx run day1.sgd --seed 3``), for each result's provenance


state = State()


def handle_errors(func: Callable) -> Callable:
    """One-line message and exit code for ``DlxError``; 130 for Ctrl-C; tracebacks only with ``--debug``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from . import render

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except DlxError as exc:
            if state.debug:
                raise
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            render.error("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # an internal error: still one line unless --debug
            if state.debug:
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            render.error(f"{type(exc).__name__}: {first} (rerun with --debug for the traceback)")
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper
