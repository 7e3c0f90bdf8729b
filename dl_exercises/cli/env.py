"""``dlx env``: versions, backend, devices, threads, determinism, and the machine (CPU, vector instructions, oneDNN,
GPUs) that a run's numbers depend on."""

from __future__ import annotations

import json

import typer

from .common import handle_errors


@handle_errors
def env_command(as_json: bool = typer.Option(False, "--json", help="print JSON on stdout")) -> None:
    """Show versions, backend and devices, and the CPU, its vector instructions, oneDNN and GPUs."""
    from ..runtime import environment
    from ..train.precision import native_bfloat16

    info = environment(tf_loaded=True)
    info["native_bfloat16"] = native_bfloat16()
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    from . import render

    shown = {
        "onednn": lambda v: ("on" if v else "off") + " (TensorFlow's oneDNN kernels; TF_ENABLE_ONEDNN_OPTS=0 turns "
                            "them off, and the rounding changes)",
        "gpu_names": lambda v: ", ".join(v) or "none",
        "native_bfloat16": lambda v: ("yes" if v else "no") + " (precision=auto trains in mixed bfloat16 only then)",
        "git_modified": lambda v: "yes" if v else "no",
    }
    rows = [[k, shown[k](v) if k in shown else ", ".join(map(str, v)) if isinstance(v, list) else str(v)]
            for k, v in info.items()]
    render.print_rows(None, ["", "value"], rows)
