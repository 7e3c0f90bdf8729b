"""``dlx data list | fetch NAME | verify``: where each data set comes from, and checksums."""

from __future__ import annotations

import json

import typer

from ..errors import DlxError, UsageError
from . import completion
from .common import handle_errors

data_app = typer.Typer(help="Data sets: which exist, where each is cached, fetch with checksum, verify.", no_args_is_help=True,
                       rich_markup_mode=None)


@data_app.command("list")
@handle_errors
def data_list(as_json: bool = typer.Option(False, "--json", help="print JSON on stdout")) -> None:
    """Every data set an exercise can load or make, whether it is available here, from where, and who uses it."""
    from .. import datasets

    rows = []
    for info in datasets.all_datasets():
        ok, where = info.status()
        rows.append({"name": info.name, "kind": info.kind, "available": ok, "where": where,
                     "fallback": info.fallback, "description": info.description, "used_by": datasets.users(info),
                     "recorded_as": list(info.recorded_as)})
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from . import render

    render.print_datasets(rows)


@data_app.command("fetch")
@handle_errors
def data_fetch(name: str = typer.Argument(..., help="data set to download into the cache",
                                          autocompletion=completion.fetchable)) -> None:
    """Download a data set into dlx's cache (sha256 checked; an interrupted download leaves nothing)."""
    from .. import datasets

    info = datasets.get(name)
    if info.fetch is None:
        raise UsageError(f"{name} needs no download ({info.status()[1]})")
    from ..datasets import cache

    cache.clear_unreachable()
    where = info.fetch()
    typer.echo(f"{name}: {where}")


@data_app.command("verify")
@handle_errors
def data_verify() -> None:
    """Check the sha256 of every cached file; exit 1 if any is corrupted."""
    from .. import datasets
    from . import render

    rows = []
    for info in datasets.all_datasets():
        if info.verify:
            rows += [[info.name, path, "ok" if ok else "BAD", detail] for path, ok, detail in info.verify()]
    if not rows:
        typer.echo("nothing cached to verify")
        return
    render.print_rows(None, ["data set", "file", "status", "detail"], rows)
    bad = [r for r in rows if r[2] != "ok"]
    if bad:
        raise DlxError(f"{len(bad)} file(s) failed verification; delete them and run `dlx data fetch NAME`")
