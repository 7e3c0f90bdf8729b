"""``dlx env``: versions, backend, devices, threads and determinism settings."""

from __future__ import annotations

import json

import typer

from .common import handle_errors


@handle_errors
def env_command(as_json: bool = typer.Option(False, "--json", help="print JSON on stdout")) -> None:
    """Show dlx, Python, TensorFlow and Keras versions, backend, devices and thread settings."""
    from ..runtime import environment

    info = environment(tf_loaded=True)
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    from . import render

    render.print_rows(None, ["", "value"], [[k, ", ".join(v) if isinstance(v, list) else str(v)] for k, v in info.items()])
