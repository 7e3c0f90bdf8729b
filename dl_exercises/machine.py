"""The machine a run happens on: CPU model, vector instructions, oneDNN, the source revision.

Results depend on these (oneDNN picks its kernels, and so its rounding, from
the CPU's widest instructions; mixed bfloat16 is native only with AMX or
AVX512-BF16), so every ``result.json`` and ``dlx env`` name them. A leaf
module: standard library only, nothing here imports TensorFlow.
"""

from __future__ import annotations

import os
import platform
import subprocess
from functools import lru_cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]

# The instructions that change which kernels TensorFlow and oneDNN run, widest last.
VECTOR_FLAGS = (
    ("sse4_2", "SSE4.2"), ("avx", "AVX"), ("avx2", "AVX2"), ("fma", "FMA"), ("avx_vnni", "AVX-VNNI"),
    ("avx512f", "AVX-512"), ("avx512_vnni", "AVX-512 VNNI"), ("avx512_bf16", "AVX-512 BF16"),
    ("avx512_fp16", "AVX-512 FP16"), ("amx_tile", "AMX"), ("amx_bf16", "AMX BF16"), ("amx_int8", "AMX INT8"),
    # Arm (Linux /proc/cpuinfo "Features"): NEON is "asimd"; SVE and bfloat16 dot products
    ("asimd", "NEON"), ("sve", "SVE"), ("sve2", "SVE2"), ("bf16", "BF16"), ("i8mm", "I8MM"),
)


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace").splitlines()
    except OSError:
        return []


def _sysctl(name: str) -> str:
    try:
        found = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=5, check=False)
        return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


@lru_cache(maxsize=1)
def cpu_model() -> str:
    """'Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz', or the best name the platform gives."""
    for line in _cpuinfo():
        key = line.split(":", 1)[0].strip().lower()
        if key in ("model name", "hardware", "cpu model") and ":" in line:
            return line.split(":", 1)[1].strip()
    if platform.system() == "Darwin":
        name = _sysctl("machdep.cpu.brand_string")
        if name:
            return name
    return platform.processor() or platform.machine() or "unknown"


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux names them (``flags`` on x86, ``Features`` on Arm); empty elsewhere."""
    for line in _cpuinfo():
        key = line.split(":", 1)[0].strip().lower()
        if key in ("flags", "features") and ":" in line:
            return frozenset(line.split(":", 1)[1].split())
    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return frozenset({"asimd"})  # every Apple silicon CPU has NEON
    return frozenset()


def vector_instructions(flags: frozenset[str] | None = None) -> list[str]:
    """The vector and matrix instructions of ``flags`` (default: this CPU's) that matter to TensorFlow, in order."""
    flags = cpu_flags() if flags is None else flags
    return [name for flag, name in VECTOR_FLAGS if flag in flags]


def onednn_enabled() -> bool:
    """Whether TensorFlow runs its oneDNN kernels: asked of TensorFlow when it is loaded, else read from the environment.

    TensorFlow turns them on by default on x86 Linux and Windows; ``TF_ENABLE_ONEDNN_OPTS=0`` turns them off.
    """
    import sys

    if "tensorflow" in sys.modules:
        try:
            from tensorflow.python.util import _pywrap_util_port

            return bool(_pywrap_util_port.IsMklEnabled())
        except (ImportError, AttributeError):  # another build layout: fall back to the rule below
            pass
    setting = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "").strip().lower()
    if setting in ("0", "false"):
        return False
    if setting in ("1", "true"):
        return True
    return platform.machine().lower() in ("x86_64", "amd64")


@lru_cache(maxsize=1)
def git_revision() -> dict[str, object] | None:
    """``{"commit": sha, "modified": bool}`` when dlx runs from a git clone (not from an installed copy), else None."""
    if not (PACKAGE_ROOT / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(PACKAGE_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=False)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(PACKAGE_ROOT), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return _revision_from_files()
    return {"commit": head.stdout.strip(), "modified": bool(status.stdout.strip()) if status.returncode == 0 else None}


def _revision_from_files() -> dict[str, object] | None:
    """The commit of HEAD read from ``.git`` itself, where no ``git`` program is installed."""
    git = PACKAGE_ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return {"commit": head, "modified": None}
        ref = head[5:]
        if (git / ref).is_file():
            return {"commit": (git / ref).read_text().strip(), "modified": None}
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return {"commit": line.split()[0], "modified": None}
    except OSError:
        pass
    return None
