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
    """Run the ``dlx`` command; once TensorFlow is loaded, skip its slow interpreter teardown at exit.

    Every output is written and closed before the command returns, so after
    flushing stdout and stderr the process ends with ``os._exit``: TensorFlow's
    thread pools and static destructors took 4.7 s to shut down after a smoke
    run on 2 busy cores, and most of the 6.3 s between Ctrl-C and exit.
    """
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        os.write(2, b"DEBUG main except\n")
        if "tensorflow" in sys.modules:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        raise
