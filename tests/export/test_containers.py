"""`hybrid export docker` / `apptainer`: recipes from the locks, checked by their structure
(and built where an engine runs)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from hybrid.export import read_export_source
from hybrid.export.apptainer import render_apptainer
from hybrid.export.container import DEFAULT_BASE_IMAGE, container_recipe
from hybrid.export.dockerfile import render_dockerfile
from hybrid.export.imports import module_name
from hybrid.export.locks import PipLocked
from hybrid.spec import load_spec
from tests.conftest import RunCli
from tests.install.conftest import WHEEL_MODULE

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
OTHER_IMAGE = "ghcr.io/example/mamba:1" + "@sha256:" + "ab" * 32


def instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def sections(text: str) -> dict[str, list[str]]:
    """An Apptainer definition's header keys and %sections -> their non-empty lines."""
    found: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in text.splitlines():
        if line.startswith("%"):
            current = line.split()[0]
            found[current] = []
        elif line.strip() and not line.startswith("#"):
            found[current].append(line.strip())
    return found


def test_dockerfile_installs_the_conda_layer_then_the_pip_layer_then_checks(
    project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "docker", project)
    assert result.exit_code == 0, result.output
    steps = instructions((project.parent / "Dockerfile").read_text(encoding="utf-8"))
    keywords = [keyword for keyword, _ in steps]
    assert keywords == ["FROM", "USER", "COPY", "RUN", "COPY", "RUN", "RUN", "ENV"]
    assert steps[0] == ("FROM", DEFAULT_BASE_IMAGE)
    assert DIGEST.search(steps[0][1])
    assert steps[2] == ("COPY", "conda-linux-64.lock /opt/hybrid/conda-linux-64.lock")
    assert "micromamba create --yes --prefix /opt/env --file /opt/hybrid/conda-linux-64.lock" \
        in steps[3][1]
    assert steps[4] == ("COPY", "requirements.txt /opt/hybrid/requirements.txt")
    assert "pip install --no-deps --require-hashes" in steps[5][1]
    assert steps[5][1].endswith("-r /opt/hybrid/requirements.txt")
    checks = steps[6][1]
    assert "/opt/env/bin/python -m pip check" in checks
    assert f"import numpy; import {WHEEL_MODULE}" in checks
    # the demo channel is a file:// channel: said, since no image build can read it
    assert "a container build cannot download them" in " ".join(result.stderr.split())
    # what COPY names is there, next to the Dockerfile (the build context)
    for keyword, arguments in steps:
        if keyword == "COPY":
            assert (project.parent / arguments.split()[0]).is_file()


def test_apptainer_definition_has_the_same_steps_in_its_sections(
    project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "apptainer", project, "--smoke-import", "numpy")
    assert result.exit_code == 0, result.output
    found = sections((project.parent / "hybrid.def").read_text(encoding="utf-8"))
    assert found["header"] == ["Bootstrap: docker", f"From: {DEFAULT_BASE_IMAGE}"]
    assert found["%files"] == ["conda-linux-64.lock /opt/hybrid/conda-linux-64.lock",
                               "requirements.txt /opt/hybrid/requirements.txt"]
    post = found["%post"]
    conda = next(i for i, line in enumerate(post) if line.startswith("micromamba create"))
    pip = next(i for i, line in enumerate(post) if "--require-hashes" in line)
    assert conda < pip
    assert found["%test"][1:] == ["/opt/env/bin/python -m pip check",
                                  "/opt/env/bin/python -c 'import numpy'"]
    assert found["%environment"] == ["export PATH=/opt/env/bin:$PATH"]
    assert found["%runscript"] == ['exec /opt/env/bin/python "$@"']


def test_base_image_is_replaceable_but_only_pinned(project: Path, run_cli: RunCli) -> None:
    pinned = run_cli("export", "docker", project, "--base-image", OTHER_IMAGE)
    assert pinned.exit_code == 0, pinned.output
    text = (project.parent / "Dockerfile").read_text(encoding="utf-8")
    assert instructions(text)[0] == ("FROM", OTHER_IMAGE)
    unpinned = run_cli("export", "docker", project, "--base-image", "mambaorg/micromamba:2",
                       "-o", project.parent / "Other.Dockerfile")
    assert unpinned.exit_code == 2
    assert "not pinned by digest" in unpinned.output
    assert not (project.parent / "Other.Dockerfile").exists()


def test_a_recipe_elsewhere_names_the_locks_relative_to_itself(
    project: Path, run_cli: RunCli
) -> None:
    recipe = project.parent.parent / "Dockerfile"
    assert run_cli("export", "docker", project, "-o", recipe).exit_code == 0
    copies = [a for k, a in instructions(recipe.read_text(encoding="utf-8")) if k == "COPY"]
    assert copies[0].startswith("project/conda-linux-64.lock ")
    outside = run_cli("export", "docker", project, "-o", project.parent / "sub" / "Dockerfile")
    assert outside.exit_code == 2
    assert "outside" in outside.output


@pytest.mark.parametrize(("distribution", "module"), [
    ("scikit-learn", "sklearn"), ("Pillow", "PIL"), ("PyYAML", "yaml"),
    ("opencv-python-headless", "cv2"), ("typing_extensions", "typing_extensions"),
    ("zope.interface", "zope_interface"), ("requests", "requests"), ("pytorch", "torch"),
])
def test_import_names_follow_the_known_exceptions(distribution: str, module: str) -> None:
    assert module_name(distribution) == module


def _engine_absent(tool: str) -> str | None:
    """Why `tool` cannot build here (None when it can)."""
    if shutil.which(tool) is None:
        return f"no `{tool}` binary on PATH, so the generated recipe is not built"
    if tool == "docker":
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
        if info.returncode != 0:
            return "the docker client is here but no Docker engine answers (`docker info` " \
                   "failed), so the Dockerfile is not built"
    return None


BUILD_SPEC = """\
version: 1
name: export-build
channels: [conda-forge]
platforms: [linux-64]
python: "3.11"
conda:
  - pip
pip:
  - six
"""


@pytest.mark.network
@pytest.mark.snapshot
@pytest.mark.parametrize(("kind", "tool"), [("docker", "docker"), ("apptainer", "apptainer")])
def test_the_recipe_builds_where_an_engine_runs(
    kind: str, tool: str, tmp_path: Path, run_cli: RunCli, request: pytest.FixtureRequest
) -> None:
    """Real conda-forge URLs (the snapshot, through --mirror) and PyPI: the image downloads
    both layers, installs them and runs the checks."""
    reason = _engine_absent(tool)
    if reason is not None:
        pytest.skip(reason)
    channels: Path = request.getfixturevalue("shared_channels")
    spec = tmp_path / "spec.yaml"
    spec.write_text(BUILD_SPEC, encoding="utf-8")
    solved = run_cli("solve", spec, "--mirror", f"conda-forge={channels / 'conda-forge'}")
    assert solved.exit_code == 0, solved.output
    assert run_cli("export", kind, spec).exit_code == 0
    if kind == "docker":
        command = ["docker", "build", "--tag", "hybrid-export-test", "."]
    else:
        command = ["apptainer", "build", "--fakeroot", "env.sif", "hybrid.def"]
    built = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]


GIT_URL = "git+https://git.example.org/tinypkg@" + "e7" * 20


def _recipe_text(project: Path, kind: str, *, git_pin: bool) -> str:
    """The recipe of the solved project, its linux-64 pip layer given a git pin (no hash, as
    conda-lock.yml records one) when `git_pin`."""
    source = read_export_source(load_spec(project), project.parent)
    variant = source.variants[0]
    if git_pin:
        pin = PipLocked(name="tinypkg", version="0.1.0", url=GIT_URL, sha256=None)
        platforms = tuple(
            replace(p, pip=(*p.pip, pin)) if p.platform == "linux-64" else p
            for p in variant.platforms
        )
        variant = replace(variant, platforms=platforms)
    recipe = container_recipe(source, variant, platform="linux-64",
                              base_image=DEFAULT_BASE_IMAGE, modules=("numpy",),
                              recipe_dir=project.parent)
    return render_dockerfile(recipe) if kind == "docker" else render_apptainer(recipe)


def test_a_git_pin_is_installed_without_require_hashes_and_the_recipe_says_so(
    project: Path,
) -> None:
    text = _recipe_text(project, "docker", git_pin=True)
    (pip,) = [a for k, a in instructions(text) if k == "RUN" and "pip install" in a]
    commands = pip.split(" && ")
    # the other pins: still every hash checked; the git pin alone without --require-hashes
    assert commands[0] == ("grep -v -E '^(tinypkg) @ ' /opt/hybrid/requirements.txt > "
                           "/tmp/hybrid-hashed.txt")
    assert commands[1].endswith("--require-hashes --no-cache-dir -r /tmp/hybrid-hashed.txt")
    assert commands[2] == ("grep -E '^(--|(tinypkg) @ )' /opt/hybrid/requirements.txt > "
                           "/tmp/hybrid-vcs.txt")
    assert "--require-hashes" not in commands[3]
    assert commands[3].endswith("-m pip install --no-deps --no-cache-dir -r /tmp/hybrid-vcs.txt")
    assert "# tinypkg: version-control pin(s), no hash possible; installed without " \
           "--require-hashes (every other pin keeps it)" in text.splitlines()
    definition = _recipe_text(project, "apptainer", git_pin=True)
    assert "    # tinypkg: version-control pin(s), no hash possible; installed without " \
           "--require-hashes (every other pin keeps it)" in definition.splitlines()


def test_a_plain_lock_keeps_require_hashes_and_no_note(project: Path) -> None:
    text = _recipe_text(project, "docker", git_pin=False)
    (pip,) = [a for k, a in instructions(text) if k == "RUN" and "pip install" in a]
    assert pip == ("/opt/env/bin/python -m pip install --no-deps --require-hashes "
                   "--no-cache-dir -r /opt/hybrid/requirements.txt")
    assert "version-control" not in text
