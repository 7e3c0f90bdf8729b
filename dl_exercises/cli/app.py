"""The ``dlx`` Typer application: global options and one command per module."""

from __future__ import annotations

import os
import shlex
import sys
from typing import Optional

import typer
from typer.core import TyperGroup

try:  # typer >= 0.24 carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer, click installed beside it
    from click import exceptions as click_exceptions

from ..errors import EXIT_FAILED, EXIT_USAGE
from ..glossary import scope as glossary_scope
from ..glossary import set_lang
from ..version import __version__
from .bench import bench_command
from .check import check_command
from .common import Lang, debug_from_env, state
from .data import data_app
from .env import env_command
from .list_cmd import list_command
from .play import play_command
from .report import report_command
from .run import run_command
from .runs import runs_command
from .show import show_command


class DlxGroup(TyperGroup):
    """The ``dlx`` group: Click's own usage errors (a bad ``--day``, ``--seed abc``) in dlx's one-line style.

    Click would print a usage block and "Error: …"; every other dlx error is one line,
    ``dlx: error: …`` on stderr with exit code 2 for usage, so these are too. The
    command line is kept (``state.command``) for each result's provenance.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        state.command = shlex.join(["dlx", *args])
        with glossary_scope():  # --lang holds for this invocation only, its one-line errors included
            try:
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click_exceptions.NoArgsIsHelpError as exc:  # `dlx` or `dlx data` alone: the help, as Click shows it
                exc.show()
                code = exc.exit_code
            except click_exceptions.UsageError as exc:
                code = _one_line(exc.format_message(), exc.ctx, EXIT_USAGE)
            except click_exceptions.ClickException as exc:
                code = _one_line(exc.format_message(), None, exc.exit_code)
            except typer.Abort:
                code = _one_line("aborted", None, EXIT_FAILED)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _one_line(message: str, ctx, code: int) -> int:
    from . import render

    text = " ".join(message.split()).rstrip(".")
    if ctx is not None:
        text += f" (see `{ctx.command_path} --help`)"
    render.error(text)
    return code


app = typer.Typer(
    name="dlx",
    help="Every exercise of the JDLA E資格 Day 1–4 syllabus as one command: `dlx run day4.transformer`.",
    cls=DlxGroup,
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
    lang: Optional[Lang] = typer.Option(None, "--lang", help="en or ja (also DLX_LANG)", case_sensitive=False),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="print the version"),
) -> None:
    """dlx: run, compare and check the E資格 course's exercises."""
    state.debug = debug or debug_from_env()
    state.lang = lang.value if lang is not None else None
    set_lang(state.lang)  # every text from here on (tables, notes, errors) in this language


app.command("list")(list_command)
app.command("show")(show_command)
app.command("run")(run_command)
app.command("bench")(bench_command)
app.add_typer(data_app, name="data")
app.command("check")(check_command)
app.command("env")(env_command)
app.command("play")(play_command)
app.command("runs")(runs_command)
app.command("report")(report_command)
app.command("compare", help="Same as `dlx runs`: compare result.json files side by side.")(runs_command)


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
