"""One TensorFlow build per environment: the declared requirements, the Makefile's two paths, the runtime guard.

No network: the requirements are read from pyproject.toml and their markers evaluated
for each platform, as pip would evaluate them.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from dl_exercises import tensorflow_build
from dl_exercises.errors import DlxError

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "linux-x86_64": {"sys_platform": "linux", "platform_machine": "x86_64", "platform_system": "Linux"},
    "linux-aarch64": {"sys_platform": "linux", "platform_machine": "aarch64", "platform_system": "Linux"},
    "macos-arm64": {"sys_platform": "darwin", "platform_machine": "arm64", "platform_system": "Darwin"},
    "windows": {"sys_platform": "win32", "platform_machine": "AMD64", "platform_system": "Windows"},
}


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _tensorflow_builds(platform: str, extras: tuple[str, ...] = ()) -> list[Requirement]:
    """The TensorFlow distributions pip would install for the base plus ``extras`` on ``platform``."""
    project = _project()
    lines = list(project["dependencies"]) + [r for e in extras for r in project["optional-dependencies"][e]]
    env = PLATFORMS[platform]
    found = []
    for line in lines:
        req = Requirement(line)
        if req.name in tensorflow_build.BUILDS and (req.marker is None or req.marker.evaluate(env)):
            found.append(req)
    return found


@pytest.mark.parametrize("extras", [(), ("test",)])
def test_a_plain_install_on_linux_x86_64_adds_no_tensorflow_build(extras):
    """Nothing beside a build already there (a Colab runtime's): the build comes only with the cpu or gpu extra."""
    assert _tensorflow_builds("linux-x86_64", extras) == []


def test_each_extra_on_linux_x86_64_is_one_build_of_the_same_version():
    (cpu,) = _tensorflow_builds("linux-x86_64", ("cpu", "test"))
    (gpu,) = _tensorflow_builds("linux-x86_64", ("gpu", "test"))
    assert (cpu.name, cpu.extras) == ("tensorflow-cpu", set())
    assert (gpu.name, gpu.extras) == ("tensorflow", {"and-cuda"})
    assert cpu.specifier == gpu.specifier and str(cpu.specifier).startswith("==")


@pytest.mark.parametrize("platform", ["linux-aarch64", "macos-arm64", "windows"])
@pytest.mark.parametrize("extras", [(), ("cpu",), ("gpu",)])
def test_elsewhere_the_one_build_comes_with_the_base(platform, extras):
    (only,) = _tensorflow_builds(platform, extras)
    assert only.name == "tensorflow" and not only.extras


def test_the_makefile_installs_the_remembered_build_and_removes_the_other_first():
    setup = subprocess.run(["make", "-n", "-B", "setup"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert 'pip install --quiet -e ".[cpu,test]"' in setup
    assert "pip uninstall --quiet --yes tensorflow tensorflow-cpu" in setup
    assert setup.index("pip uninstall") < setup.index('pip install --quiet -e')
    gpu = subprocess.run(["make", "-n", "gpu"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "echo gpu >" in gpu and "make setup" in gpu.replace("$(MAKE)", "make")


def test_both_builds_in_one_environment_stop_dlx_with_one_line(monkeypatch):
    monkeypatch.setattr(tensorflow_build.metadata, "version", lambda name: "2.21.0")
    with pytest.raises(DlxError) as caught:
        tensorflow_build.check_single_build()
    assert "tensorflow 2.21.0 and tensorflow-cpu 2.21.0" in str(caught.value) and "\n" not in str(caught.value)


def test_this_environment_holds_one_build():
    assert len(tensorflow_build.installed_builds()) == 1
    tensorflow_build.check_single_build()
