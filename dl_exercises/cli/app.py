"""The ``dlx`` Typer application: global options and one command per module."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from ..version import __version__
from .bench import bench_command
from .check import check_command
from .common import debug_from_env, state
from .data import data_app
from .env import env_command
from .list_cmd import list_command
from .play import play_command
from .run import run_command
from .show import show_command

app = typer.Typer(
    name="dlx",
    help="Every exercise of the JDLA E資格 Day 1–4 syllabus as one command: `dlx run day4.transformer`.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: typer's rich help imports rich.markdown, markdown-it and pygments (~160 ms of imports), which
    # made `dlx --help` take twice as long as it does now (figures in tests/test_framework.py).
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlx {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="show Python tracebacks"),
    lang: Optional[str] = typer.Option(None, "--lang", help="en or ja (also DLX_LANG)"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="print the version"),
) -> None:
    """dlx: run, compare and check the E資格 course's exercises."""
    state.debug = debug or debug_from_env()
    state.lang = lang


app.command("list")(list_command)
app.command("show")(show_command)
app.command("run")(run_command)
app.command("bench")(bench_command)
app.add_typer(data_app, name="data")
app.command("check")(check_command)
app.command("env")(env_command)
app.command("play")(play_command)


def main() -> None:
    """Run the ``dlx`` command, then end the process at once, without the interpreter's teardown.

    Every output is written and closed before the command returns, so after
    flushing stdout and stderr the process ends with ``os._exit``: TensorFlow's
    thread pools and static destructors took 2–5 s to shut down on 2 busy cores
    (after a finished run, and after Ctrl-C once results were saved).
    """
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (dlx list | head): nothing left to deliver
            pass
    os._exit(code)
