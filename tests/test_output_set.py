"""An output set replaces the previous one whole: outputs of a group, pip layer or CUDA variant
since removed from the spec are removed by `hybrid solve`, and both paths of `hybrid check`
flag one put back by hand. Users' files and exports stay.

Solved for real on local data: the demo channel, a channel holding `cuda-version`, and a
package index on localhost serving two tiny wheels.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec, build_channel
from hybrid.emit.header import Header, seal
from hybrid.output_set import stray_outputs, write_output_set
from hybrid.readback.check import check_outputs
from hybrid.readback.check_fast import fresh_by_source
from hybrid.spec import load_spec
from tests.conftest import RunCli
from tests.install.conftest import (
    BROKEN_NAME,
    WHEEL_NAME,
    local_index_fixture,  # noqa: F401  (the fixture, registered here too)
)

PLATFORMS = ("linux-64", "osx-arm64")
BASE = (
    "version: 1\nname: demo\nchannels: [hybrid-demo, hybrid-cuda]\n"
    'platforms: [linux-64, osx-arm64]\npython: "3.11"\n'
)
CONDA = "conda:\n  - numpy >=1.26\n"
PIP = f"pip:\n  - {WHEEL_NAME}\n"
GROUPS = (
    "groups:\n"
    f"  dev:\n    conda: [hybrid-demo-hello]\n    pip: [{BROKEN_NAME}]\n"
    f"  docs:\n    conda: [hybrid-demo-hello]\n    pip: [{BROKEN_NAME}]\n"
)
DOCS = f"  docs:\n    conda: [hybrid-demo-hello]\n    pip: [{BROKEN_NAME}]\n"
# Files hybrid did not write: never removed, whatever they are called.
USER_FILES = {
    "notes.txt": "mine\n",
    "requirements-extra.txt": "# my own pins\nsix==1.16.0\n",
    "conda-linux-64.mine.lock": "@EXPLICIT\n",
    "pixi.lock": "version: 6\n",
}


@pytest.fixture(scope="module")
def cuda_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_channel(
        tmp_path_factory.mktemp("cuda-channel"),
        [
            PackageSpec(name="cuda-version", version="12.4", build="3"),
            PackageSpec(name="cuda-version", version="12.6", build="3"),
        ],
    )


class Project:
    """A spec in its own folder, solved and checked through the command line."""

    def __init__(self, directory: Path, run_cli: RunCli, mirrors: tuple[str, ...], index: str):
        self.directory = directory
        self.spec = directory / "spec.yaml"
        self._run_cli = run_cli
        self._mirrors = mirrors
        self._index = f'pip-index: {{index-url: "{index}"}}\n'

    def solve(self, text: str) -> None:
        self.spec.write_text(text + self._index, encoding="utf-8")
        result = self._run_cli("solve", self.spec, *self._mirrors)
        assert result.exit_code == 0, result.output

    def names(self, folder: str = "") -> set[str]:
        return {path.name for path in (self.directory / folder).iterdir()}

    def assert_fresh(self) -> None:
        """Both paths of `hybrid check` agree the outputs are up to date."""
        assert fresh_by_source(self.spec, self.directory)
        assert check_outputs(load_spec(self.spec), self.directory).stale == ()
        result = self._run_cli("check", self.spec)
        assert result.exit_code == 0, result.output

    def assert_stale(self, *reasons: str) -> None:
        """Both paths of `hybrid check` call the outputs stale, for `reasons`."""
        assert not fresh_by_source(self.spec, self.directory)
        stale = check_outputs(load_spec(self.spec), self.directory).stale
        for reason in reasons:
            assert any(reason in line for line in stale), (reason, stale)
        result = self._run_cli("check", self.spec)
        assert result.exit_code == 4, result.output
        assert "hybrid solve" in result.stderr


@pytest.fixture
def project(
    tmp_path: Path, run_cli: RunCli, demo_channel: Path, cuda_channel: Path, local_index: str
) -> Project:
    directory = tmp_path / "project"
    directory.mkdir()
    for name, text in USER_FILES.items():
        (directory / name).write_text(text, encoding="utf-8")
    mirrors = ("--mirror", f"hybrid-demo={demo_channel}", "--mirror", f"hybrid-cuda={cuda_channel}")
    return Project(directory, run_cli, mirrors, local_index)


def _user_files_kept(project: Project) -> None:
    for name, text in USER_FILES.items():
        assert (project.directory / name).read_text(encoding="utf-8") == text


def test_a_removed_group_leaves_no_outputs(project: Project) -> None:
    project.solve(BASE + CONDA + PIP + GROUPS)
    docs = {*(f"conda-{p}.docs.lock" for p in PLATFORMS), "requirements-docs.txt"}
    assert docs <= project.names()
    project.solve(BASE + CONDA + PIP + GROUPS.replace(DOCS, ""))
    names = project.names()
    assert not docs & names
    assert {"conda-linux-64.dev.lock", "requirements-dev.txt"} <= names
    _user_files_kept(project)
    project.assert_fresh()


def test_a_removed_pip_layer_leaves_no_pip_outputs(project: Project) -> None:
    project.solve(BASE + CONDA + PIP)
    assert {"requirements.txt", "pylock.toml"} <= project.names()
    project.solve(BASE + CONDA)
    assert not {"requirements.txt", "pylock.toml"} & project.names()
    _user_files_kept(project)
    project.assert_fresh()


def test_a_changed_cuda_variant_leaves_no_folder(project: Project) -> None:
    project.solve(BASE + 'cuda: [cpu, "12.6"]\n' + CONDA + PIP)
    (project.directory / "cpu" / "mine.txt").write_text("mine\n", encoding="utf-8")
    project.solve(BASE + 'cuda: [cpu, "12.4"]\n' + CONDA + PIP)
    assert not (project.directory / "cuda-12.6").exists()
    assert {"cpu", "cuda-12.4"} <= project.names()
    project.assert_fresh()
    # cuda no longer set: the outputs go to the spec's folder; a folder keeping a file of the
    # user's stays, with only that file
    project.solve(BASE + CONDA + PIP)
    assert not (project.directory / "cuda-12.4").exists()
    assert project.names("cpu") == {"mine.txt"}
    assert {"environment.yml", "pylock.toml"} <= project.names()
    _user_files_kept(project)
    project.assert_fresh()


def test_an_output_put_back_by_hand_is_stale_for_both_checks(
    project: Project, tmp_path: Path
) -> None:
    project.solve(BASE + CONDA + PIP + GROUPS)
    kept = shutil.copy2(project.directory / "requirements-docs.txt", tmp_path / "kept.txt")
    project.solve(BASE + CONDA + PIP + GROUPS.replace(DOCS, ""))
    project.assert_fresh()
    stray = project.directory / "requirements-docs.txt"
    shutil.copy2(kept, stray)
    project.assert_stale(f"{stray}: group (or its pip entries) no longer in the spec")
    project.solve(BASE + CONDA + PIP + GROUPS.replace(DOCS, ""))  # the hint's remedy
    assert not stray.exists()
    project.assert_fresh()


def test_a_variant_folder_put_back_by_hand_is_stale_for_both_checks(
    project: Project, tmp_path: Path
) -> None:
    project.solve(BASE + 'cuda: [cpu, "12.6"]\n' + CONDA)
    kept = shutil.copytree(project.directory / "cuda-12.6", tmp_path / "kept")
    project.solve(BASE + "cuda: [cpu]\n" + CONDA)
    assert not {"cpu", "cuda-12.6"} & project.names()
    project.assert_fresh()
    folder = shutil.copytree(kept, project.directory / "cuda-12.6")
    count = len(list(folder.iterdir()))
    project.assert_stale(f"{folder}: {count} outputs of variant `cuda-12.6`, no longer in the spec")
    project.solve(BASE + "cuda: [cpu]\n" + CONDA)
    assert not folder.exists()
    project.assert_fresh()


def _output(variant: str | None = None) -> str:
    """A file with hybrid's output header (for `variant`, when given)."""
    extra = (("variant", variant),) if variant else ()
    header = Header(spec_name="spec.yaml", input_hash="sha256:00", extra=extra)
    return seal("\n".join(header.lines()) + "\nbody\n", set_sha256="sha256:11")


def test_only_hybrid_outputs_of_this_folder_and_its_variants_are_strays(tmp_path: Path) -> None:
    files = {
        "conda-linux-64.docs.lock": _output(),  # a stray
        "requirements.txt": "six==1.16.0\n",  # the user's, named like an output
        "Dockerfile": _output(),  # an export's name is never an output's
        "cuda-12.6/conda-lock.yml": _output("cuda-12.6"),  # a stray variant folder
        "cuda-12.6/notes.txt": "mine\n",
        "examples/environment.yml": _output(),  # another spec's outputs, next to it
        "cpu/environment.yml": _output("cuda-12.4"),  # not this folder's variant
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert stray_outputs(tmp_path, [tmp_path / "environment.yml"]) == [
        tmp_path / "conda-linux-64.docs.lock",
        tmp_path / "cuda-12.6" / "conda-lock.yml",
    ]
    write_output_set({tmp_path / "environment.yml": _output()}, directory=tmp_path)
    left = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert left == {"environment.yml", *files} - {
        "conda-linux-64.docs.lock",
        "cuda-12.6/conda-lock.yml",
    }


def test_a_set_without_environment_yml_removes_nothing(tmp_path: Path) -> None:
    """`hybrid init` without a solve writes a spec and a README, no output set."""
    stray = tmp_path / "conda-linux-64.lock"
    stray.write_text(_output(), encoding="utf-8")
    write_output_set({tmp_path / "README.md": "# demo\n"}, directory=tmp_path)
    assert stray.is_file()


@pytest.mark.skipif(os.name == "nt", reason="a directory symlink needs privileges there")
def test_new_files_named_through_another_path_are_kept(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    files = {real / "environment.yml": _output(), real / "conda-linux-64.lock": _output()}
    write_output_set(files, directory=link)
    assert sorted(p.name for p in real.iterdir()) == ["conda-linux-64.lock", "environment.yml"]
