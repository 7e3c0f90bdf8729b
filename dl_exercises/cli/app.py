"""The ``dlx`` Typer application: global options and one command per module."""

from __future__ import annotations

from typing import Optional

import typer

from ..version import __version__
from .bench import bench_command
from .check import check_command
from .common import debug_from_env, state
from .data import data_app
from .env import env_command
from .list_cmd import list_command
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


def main() -> None:
    app()
