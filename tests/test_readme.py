"""README.md promises nothing hybrid does not do: every fenced example in it runs here, for
real, on local channels (the generated demo channel, the interpreter channel of the install
tests, the snapshot of real channels in ../shared/channels). Markers, commands and output
matching: tests/readme_examples.py.

Commands run in-process from the example's directory. Where the README names a place this
machine cannot reach (conda-forge, a mirror at https://mirror.lab/…), the test reads the same
channel from a local copy with `--mirror`, as the README says a lab would.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from hybrid.devtools import demo_channel as demo_channel_module
from hybrid.devtools.local_channel import PackageSpec, build_channel
from hybrid.platforms import CUDA_PLATFORMS
from hybrid.prefix.paths import current_platform
from hybrid.spec import load_spec
from tests.conftest import REPO, CliResult, RunCli, main_in_process
from tests.install.conftest import (
    CHANNEL_NAME,
    WHEEL_NAME,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    needs_pip,
    posix_only,
    spec_text,
)
from tests.readme_examples import Command, Example, commands, read_examples, shows

README = REPO / "README.md"
EXAMPLES = read_examples(README)
QUICKSTART = REPO / "examples" / "quickstart"
REGISTERED: set[str] = set()


def example(name: str) -> Example:
    """The README example marked `name`; registers it as tested."""
    REGISTERED.add(name)
    [found] = [e for e in EXAMPLES if e.name == name]
    return found


@dataclass
class Shell:
    """Runs README command lines in the working directory; `extra` appends options per
    subcommand, and `replace` swaps text (an unreachable URL) inside arguments."""

    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replace: dict[str, str] = field(default_factory=dict)

    def run(self, command: Command) -> CliResult:
        program, *args = command.argv
        assert program == "hybrid", command
        for old, new in self.replace.items():
            args = [arg.replace(old, new) for arg in args]
        extra = self.extra.get(args[0], ())
        if extra and extra[0] in args:  # the command gives that option itself
            extra = ()
        return main_in_process(*args, *extra)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project directory, the working directory of the commands."""
    directory = tmp_path / "project"
    directory.mkdir()
    monkeypatch.chdir(directory)
    return directory


@pytest.fixture(scope="session")
def snapshot_mirrors(shared_channels: Path, shared_mapping: Path) -> tuple[str, ...]:
    """Options reading conda-forge, pytorch and nvidia from the snapshot (and its mapping)."""
    mirrors = [("--mirror", f"{name}={shared_channels / name}")
               for name in ("conda-forge", "pytorch", "nvidia")]
    return (*(a for pair in mirrors for a in pair), "--pypi-mapping", str(shared_mapping))


def _write(directory: Path, block: Example, name: str = "spec.yaml") -> Path:
    path = directory / name
    path.write_text(block.text, encoding="utf-8")
    return path


def _quickstart(directory: Path, channel: Path) -> Path:
    """examples/quickstart/spec.yaml in `directory`, its `./channel` the demo channel."""
    shutil.copy(QUICKSTART / "spec.yaml", directory / "spec.yaml")
    (directory / "channel").symlink_to(channel, target_is_directory=True)
    return directory / "spec.yaml"


def _yaml(text: str) -> Any:
    return YAML(typ="safe").load(text)


# --- every example is tested ------------------------------------------------------------


def test_every_example_is_marked_and_tested() -> None:
    unmarked = [f"README.md:{e.line}" for e in EXAMPLES if not e.name]
    assert unmarked == [], "fenced blocks without a <!-- readme-test: NAME --> marker"
    names = [e.name for e in EXAMPLES]
    assert len(names) == len(set(names)), "a marker name is used twice"
    assert set(names) == REGISTERED, "markers without a test, or tests without a marker"


# --- Quick start ------------------------------------------------------------------------

MAKE_TARGETS = example("make-targets")


def _make_dry_run(target: str) -> list[str]:
    """What `make TARGET` would run from scratch (-B: as if nothing were built yet)."""
    done = subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True,
                          text=True, check=True)
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="no `make` on this machine")
def test_make_demo_builds_the_demo_channel_and_solves_the_quickstart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [c.argv for c in commands(MAKE_TARGETS)] == [("make", "demo"), ("make", "test")]
    copy = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, copy, ignore=shutil.ignore_patterns("channel", "out"))
    steps = [line for line in _make_dry_run("demo")
             if "hybrid.devtools.demo_channel" in line or "hybrid solve" in line]
    assert len(steps) == 2, steps
    for line in steps:  # replayed on a copy: `make demo` itself would write into the repo
        argv = [arg.replace("examples/quickstart", str(copy)) for arg in shlex.split(line)]
        if "hybrid.devtools.demo_channel" in argv:
            assert demo_channel_module.main(argv[argv.index("-m") + 2:]) == 0
        else:
            assert Path(argv[0]).name == "hybrid" and argv[1] == "solve"
            result = main_in_process(*argv[1:])
            assert result.exit_code == 0, result.output
    assert (copy / "out" / "conda-lock.yml").is_file()
    assert (copy / "out" / "conda-linux-64.lock").is_file()


@pytest.mark.skipif(shutil.which("make") is None, reason="no `make` on this machine")
def test_make_test_runs_ruff_mypy_and_the_suite() -> None:
    steps = "\n".join(_make_dry_run("test"))
    for tool in ("bin/ruff check", "bin/mypy", "-m pytest"):
        assert tool in steps, steps


# --- The spec ---------------------------------------------------------------------------

VISION_LAB = example("vision-lab-spec")


def test_the_spec_example_is_valid(run_cli: RunCli, here: Path) -> None:
    spec = _write(here, VISION_LAB)
    result = run_cli("validate", spec)
    assert result.exit_code == 0, result.output
    assert "2 conda and 1 pip entries for linux-64, osx-arm64, win-64" in result.stdout


PIP_COMMANDS = example("pip-commands")


@dataclass(frozen=True)
class Solved:
    directory: Path
    result: CliResult


@pytest.fixture(scope="module")
def vision_lab(
    tmp_path_factory: pytest.TempPathFactory, snapshot_mirrors: tuple[str, ...],
    shared_mapping: Path,
) -> Solved:
    """The spec example solved once, by the README's `hybrid solve spec.yaml --pypi-mapping
    mapping.json` (the mapping file: the snapshot's), run in the spec's directory."""
    directory = tmp_path_factory.mktemp("vision-lab")
    _write(directory, VISION_LAB)
    shutil.copy(shared_mapping, directory / "mapping.json")
    *_, own_mapping = commands(PIP_COMMANDS)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(directory)
        result = Shell(extra={"solve": snapshot_mirrors[:-2]}).run(own_mapping)
    return Solved(directory=directory, result=result)


@pytest.mark.network
@pytest.mark.snapshot
def test_the_spec_example_solves(vision_lab: Solved) -> None:
    here, result = vision_lab.directory, vision_lab.result
    assert result.exit_code == 0, result.output
    locks = {p: (here / f"conda-{p}.lock").read_text() for p in ("linux-64", "osx-arm64",
                                                                  "win-64")}
    assert "/pywin32-" in locks["win-64"]
    assert "/pywin32-" not in locks["linux-64"] + locks["osx-arm64"]
    assert all("/python-3.11." in text for text in locks.values())
    assert "transformers==" in (here / "requirements.txt").read_text()


BROKEN_SPEC = example("broken-spec")
VALIDATE_BROKEN = example("validate-broken-spec")
VALIDATE_ENTRIES = example("validate-entries")


def test_validate_reports_every_problem_of_the_broken_spec(here: Path) -> None:
    _write(here, BROKEN_SPEC)
    [command] = commands(VALIDATE_BROKEN)
    result = Shell().run(command)
    assert result.exit_code == 2
    assert shows(command.output, result.output), result.output


def test_validate_reports_every_bad_entry(here: Path) -> None:
    fixed = (BROKEN_SPEC.text.replace("chanels:", "channels:")
             .replace("python: 3.10", 'python: "3.10"').replace("platform:", "platforms:")
             + "  - numpy >==2\n")
    (here / "spec.yaml").write_text(fixed, encoding="utf-8")
    [command] = commands(VALIDATE_ENTRIES)
    result = Shell().run(command)
    assert result.exit_code == 2
    assert shows(command.output, result.output), result.output


# --- Solving ----------------------------------------------------------------------------

SOLVE_COMMANDS = example("solve-commands")


def test_the_solve_commands(here: Path, demo_channel: Path) -> None:
    _quickstart(here, demo_channel)
    shell = Shell()
    default, elsewhere, sha256, as_json = commands(SOLVE_COMMANDS)
    assert shell.run(default).exit_code == 0
    assert (here / "conda-lock.yml").is_file()  # next to the spec
    assert shell.run(elsewhere).exit_code == 0
    assert (here / "locks" / "conda-lock.yml").is_file()
    assert shell.run(sha256).exit_code == 0
    lines = (here / "conda-linux-64.lock").read_text().split("@EXPLICIT\n", 1)[1].splitlines()
    assert lines and all("#sha256:" in line for line in lines)  # URL#sha256:<hex>
    result = shell.run(as_json)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["platforms"]  # machine-readable, on stdout


SOLVE_MANY_COMMANDS = example("solve-many-commands")


def test_the_solve_many_commands(here: Path, demo_channel: Path) -> None:
    for folder in ("alpha", "beta", "projects/one", "projects/two/deep", "projects/.hidden"):
        (here / folder).mkdir(parents=True)
        _quickstart(here / folder, demo_channel)
    shell = Shell()
    several, everything = commands(SOLVE_MANY_COMMANDS)
    result = shell.run(several)
    assert result.exit_code == 0, result.output
    assert all((here / f / "conda-lock.yml").is_file() for f in ("alpha", "beta"))
    result = shell.run(everything)
    assert result.exit_code == 0, result.output
    assert "solved 2 specs" in result.stdout
    assert (here / "projects" / "two" / "deep" / "conda-lock.yml").is_file()
    assert not (here / "projects" / ".hidden" / "conda-lock.yml").exists()


def _platforms(text: str, platforms: list[str]) -> str:
    """The spec for `platforms` only (an entry for another platform left out)."""
    lines = [line for line in text.splitlines()
             if "{spec:" not in line or any(p in line for p in platforms)]
    return "\n".join(
        f"platforms: [{', '.join(platforms)}]" if line.startswith("platforms:") else line
        for line in lines
    ) + "\n"


@pytest.mark.network
@pytest.mark.snapshot
def test_the_pip_layer_commands(
    here: Path, snapshot_mirrors: tuple[str, ...], vision_lab: Solved
) -> None:
    spec = _write(here, VISION_LAB)
    uv, pip_tools, _ = commands(PIP_COMMANDS)
    shell = Shell(extra={"solve": snapshot_mirrors[:-2]})  # no mapping: the README's
    result = shell.run(uv)
    assert result.exit_code == 0, result.output
    # Only the platforms this machine is not: pip-tools refuses before compiling anything
    # (with this machine's platform among them, it would compile that one first).
    native = current_platform()
    spec.write_text(_platforms(VISION_LAB.text, [p for p in ("linux-64", "osx-arm64", "win-64")
                                                 if p != native]), encoding="utf-8")
    refused = shell.run(pip_tools)
    assert refused.exit_code == 2
    assert "pip-tools compiles only for the platform and Python it runs on" in refused.stderr
    assert "--pip-resolver uv" in refused.stderr
    # This machine's platform, with `six` for `transformers`: pip-compile takes 7-17 s of
    # PyPI round trips to resolve transformers, and shows nothing more of hybrid.
    native_spec = _platforms(VISION_LAB.text, [native]).replace("transformers >=4.45", "six")
    spec.write_text(native_spec, encoding="utf-8")
    compiled = shell.run(pip_tools)
    assert compiled.exit_code == 0, compiled.output
    assert re.search(r"^six==", (here / "requirements.txt").read_text(), re.MULTILINE)
    # `--pypi-mapping mapping.json`: run once for this test and the spec example's
    own = vision_lab.result
    assert own.exit_code == 0, own.output
    assert "conda -> PyPI mapping" not in own.stderr  # no fallback notice: the file was used


PIP_CONFLICT = example("pip-conflict")
CONFLICT_SPEC = """\
version: 1
name: vision-lab
channels: [conda-forge]
platforms: [linux-64]
python: "3.11"
conda:
  - numpy 1.26.*
pip:
  - opencv-python>=4.12
"""


@pytest.mark.network
@pytest.mark.snapshot
def test_a_pip_conflict_is_explained_in_conda_terms(
    here: Path, snapshot_mirrors: tuple[str, ...]
) -> None:
    (here / "spec.yaml").write_text(CONFLICT_SPEC, encoding="utf-8")
    result = main_in_process("solve", "spec.yaml", *snapshot_mirrors)
    assert result.exit_code == 3, result.output
    # the Python patch release depends on the snapshot's newest build: numbers may move
    assert shows(PIP_CONFLICT.text.splitlines(), result.stderr, any_numbers=True), result.stderr


# --- CUDA variants and snapshots ----------------------------------------------------------

CUDA_VARIANTS = example("cuda-variants")
BASE = "version: 1\nname: lab\nchannels: [conda-forge]\n"


@pytest.mark.snapshot
def test_cuda_variants(here: Path, snapshot_mirrors: tuple[str, ...]) -> None:
    (here / "spec.yaml").write_text(BASE + CUDA_VARIANTS.text, encoding="utf-8")
    result = main_in_process("solve", "spec.yaml", *snapshot_mirrors)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in here.iterdir() if p.is_dir()) == ["cpu", "cuda-12.6"]
    cuda = (here / "cuda-12.6" / "conda-linux-64.lock").read_text()
    cpu = (here / "cpu" / "conda-linux-64.lock").read_text()
    assert "/cuda-version-12.6-" in cuda
    assert "cuda" not in cpu.split("@EXPLICIT", 1)[1].replace("cuda-version", "")
    assert "osx-arm64 has no CUDA: the cuda-12.6 variant uses CPU builds there" in result.stderr


SNAPSHOT_DATE = example("snapshot-date")
SNAPSHOT_EXEMPT = example("snapshot-exempt")
DEMO_BASE = 'version: 1\nname: lab\nchannels: [hybrid-demo]\nplatforms: [linux-64]\n' \
    'python: "3.11"\nconda: [numpy]\n'


@pytest.mark.parametrize("block", [SNAPSHOT_DATE, SNAPSHOT_EXEMPT], ids=lambda b: b.name)
def test_snapshot_forms_are_valid(here: Path, block: Example) -> None:
    (here / "spec.yaml").write_text(DEMO_BASE + block.text, encoding="utf-8")
    result = main_in_process("validate", "spec.yaml")
    assert result.exit_code == 0, result.output


GROUPS_SPEC = example("groups-spec")


def test_the_groups_example_is_valid(here: Path) -> None:
    spec = DEMO_BASE.replace("conda: [numpy]", "conda: [numpy]\npip: [requests]")
    (here / "spec.yaml").write_text(spec + GROUPS_SPEC.text, encoding="utf-8")
    result = main_in_process("validate", "spec.yaml")
    assert result.exit_code == 0, result.output


PIP_FROM_PYPROJECT = example("pip-from-pyproject")


def test_the_pyproject_example_reads_the_project(here: Path) -> None:
    (here / "pyproject.toml").write_text(
        '[project]\nname = "lab"\nversion = "0.1"\ndependencies = ["requests"]\n'
        '[project.optional-dependencies]\ntrain = ["wandb"]\n', encoding="utf-8"
    )
    spec = DEMO_BASE + PIP_FROM_PYPROJECT.text
    (here / "spec.yaml").write_text(spec, encoding="utf-8")
    assert main_in_process("validate", "spec.yaml").exit_code == 0
    spec_read = load_spec(here / "spec.yaml")
    assert [str(dep.requirement) for dep in spec_read.pip] == ["requests", "wandb"]


PROJECT_DIR = example("project-dir")


def test_the_project_example_names_the_spec_directory(here: Path) -> None:
    (here / "spec.yaml").write_text(DEMO_BASE + PROJECT_DIR.text, encoding="utf-8")
    assert main_in_process("validate", "spec.yaml").exit_code == 2  # no pyproject.toml yet
    (here / "pyproject.toml").write_text('[project]\nname = "lab"\n', encoding="utf-8")
    assert main_in_process("validate", "spec.yaml").exit_code == 0
    assert load_spec(here / "spec.yaml").project_dir == here.resolve()


def test_snapshot_instant_and_the_override(here: Path, demo_channel: Path) -> None:
    instant = SNAPSHOT_DATE.text.split("instant: ", 1)[1].strip()
    (here / "spec.yaml").write_text(DEMO_BASE + f"snapshot: {instant}\n", encoding="utf-8")
    mirror = ("--mirror", f"hybrid-demo={demo_channel}")
    assert main_in_process("solve", "spec.yaml", *mirror).exit_code == 0
    assert "/numpy-2.1.1-" in (here / "conda-linux-64.lock").read_text()
    # `--snapshot DATE` overrides the spec: numpy 2.1.1 was published 2024-09-04
    assert main_in_process("solve", "spec.yaml", *mirror, "--snapshot", "2024-06-01").exit_code == 0
    assert "/numpy-1.26.4-" in (here / "conda-linux-64.lock").read_text()


# --- Staleness ----------------------------------------------------------------------------

CHECK_STALE = example("check-stale")
PRE_COMMIT = example("pre-commit-hook")


def test_check_names_what_changed(here: Path, demo_channel: Path) -> None:
    spec = _quickstart(here, demo_channel)
    assert main_in_process("solve", "spec.yaml").exit_code == 0
    assert main_in_process("check", "spec.yaml").exit_code == 0
    spec.write_text(spec.read_text().replace("numpy >=1.26", "numpy >=2"), encoding="utf-8")
    [command] = commands(CHECK_STALE)
    result = Shell().run(command)
    assert result.exit_code == 4
    assert shows(command.output, result.output), result.output


def test_the_pre_commit_hook_runs_hybrid_check(here: Path, demo_channel: Path) -> None:
    [repo] = _yaml(PRE_COMMIT.text)
    [hook] = repo["hooks"]
    shipped = {h["id"]: h for h in _yaml((REPO / ".pre-commit-hooks.yaml").read_text())}
    definition = shipped[hook["id"]]
    argv = [*shlex.split(definition["entry"]), *definition["args"]]
    assert argv == ["hybrid", "check", "spec.yaml"]  # as the README's comment says
    assert definition["pass_filenames"] is False
    _quickstart(here, demo_channel)
    assert main_in_process("solve", "spec.yaml").exit_code == 0
    assert Shell().run(Command(argv=tuple(argv))).exit_code == 0


# --- install and doctor ---------------------------------------------------------------------

INSTALL_COMMANDS = example("install-commands")
INSTALL_VARIANT = example("install-variant")
MIRROR_URL = "https://mirror.lab/conda-forge"


def _install_spec(index: str, extra: str = "") -> str:
    """A spec on `conda-forge` that the interpreter channel stands in for."""
    return (spec_text(pip=(WHEEL_NAME,), index=index, extra=extra)
            .replace(f"channels: [{CHANNEL_NAME}]", "channels: [conda-forge]"))


@posix_only
@needs_pip
def test_the_install_commands(
    here: Path, interpreter_channel: Path, local_index: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HYBRID_ENVS_DIR", str(here.parent / "envs"))
    spec = here / "spec.yaml"
    spec.write_text(_install_spec(local_index), encoding="utf-8")
    mirror = ("--mirror", f"conda-forge={interpreter_channel}")
    assert main_in_process("solve", "spec.yaml", *mirror).exit_code == 0
    shell = Shell(extra={"install": mirror}, replace={MIRROR_URL: str(interpreter_channel)})
    named, mirrored, with_pip, forced = commands(INSTALL_COMMANDS)
    for command in (named, mirrored, with_pip):
        result = shell.run(command)
        assert result.exit_code == 0, (command.argv, result.output)
    assert (here.parent / "envs" / "vision-lab" / "conda-meta").is_dir()
    assert "with pip" in shell.run(with_pip).stdout
    spec.write_text(spec.read_text() + "# edited\nsnapshot: 2030-01-01\n", encoding="utf-8")
    stale = shell.run(Command(argv=forced.argv[:-1]))
    assert stale.exit_code == 4, stale.output
    result = shell.run(forced)
    assert result.exit_code == 0, result.output
    shown = result.stdout.replace(str(here), "/home/me").replace(current_platform(), "linux-64")
    assert shows(forced.output, shown, any_numbers=True), result.stdout


@posix_only
@needs_pip
def test_installing_one_variant(here: Path, interpreter_channel: Path, local_index: str) -> None:
    channel = here.parent / "channel"
    shutil.copytree(interpreter_channel, channel, symlinks=True)
    build_channel(channel, [PackageSpec(name="cuda-version", version="12.6")])
    (here / "spec.yaml").write_text(
        _install_spec(local_index, extra='cuda: [cpu, "12.6"]\n'), encoding="utf-8"
    )
    mirror = ("--mirror", f"conda-forge={channel}")
    assert main_in_process("solve", "spec.yaml", *mirror).exit_code == 0
    [command] = commands(INSTALL_VARIANT)
    result = Shell(extra={"install": mirror}).run(command)
    assert result.exit_code == 0, result.output
    assert "cuda-12.6" in result.stdout
    installed = {p.name.rsplit("-", 2)[0] for p in (here / "env" / "conda-meta").glob("*.json")}
    if current_platform() in CUDA_PLATFORMS:
        assert "cuda-version" in installed
    without = Shell(extra={"install": mirror}).run(
        Command(argv=("hybrid", "install", "spec.yaml", "--prefix", "./other"))
    )
    assert without.exit_code == 2 and "--variant" in without.stderr  # required when several


DOCTOR_OUTPUT = example("doctor-output")
DOCTOR_SPEC = """\
version: 1
name: vision-lab
channels: [hybrid-demo]
platforms: [{platform}]
python: "3.11"
conda:
  - numpy 1.26.*
"""


def _pip_over_conda(prefix: Path) -> None:
    """What `pip install --ignore-installed numpy==2.1.1` leaves over conda's numpy 1.26.4."""
    site = prefix / "lib" / "python3.11" / "site-packages"
    info = site / "numpy-2.1.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 2.1.1\n")
    (info / "INSTALLER").write_text("pip\n")
    (site / "numpy" / "__init__.py").write_text('__version__ = "2.1.1"\n')
    (info / "RECORD").write_text("numpy/__init__.py,,\nnumpy-2.1.1.dist-info/METADATA,,\n"
                                 "numpy-2.1.1.dist-info/INSTALLER,,\nnumpy-2.1.1.dist-info/RECORD,,\n")


def test_doctor_finds_pip_over_conda(
    here: Path, demo_channel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if current_platform() != "linux-64":
        pytest.skip("the README shows the demo channel's linux-64 builds")
    (here / "spec.yaml").write_text(DOCTOR_SPEC.format(platform=current_platform()))
    mirror = ("--mirror", f"hybrid-demo={demo_channel}")
    assert main_in_process("solve", "spec.yaml", *mirror).exit_code == 0
    assert main_in_process("install", "--prefix", "./env", *mirror).exit_code == 0
    _pip_over_conda(here / "env")
    monkeypatch.setenv("COLUMNS", "100")
    [command] = commands(DOCTOR_OUTPUT)
    result = Shell().run(command)
    assert result.exit_code == 1
    # the demo channel's python is a stand-in, so `pip check` is skipped (said on stderr)
    errors = [line for line in result.stderr.splitlines(True) if not line.startswith("skipped:")]
    shown = (result.stdout + "".join(errors)).replace(str(here), "/home/me")
    assert shows(command.output, shown), shown


# --- update and diff ------------------------------------------------------------------------

UPDATE_COMMANDS = example("update-commands")
UPDATE_SPEC = """\
version: 1
name: vision-lab
channels: [conda-forge]
platforms: [linux-64]
python: "3.11"
conda:
  - numpy
  - scipy
  - pandas
"""


@pytest.mark.snapshot
def test_the_update_and_diff_commands(here: Path, snapshot_mirrors: tuple[str, ...]) -> None:
    (here / "spec.yaml").write_text(UPDATE_SPEC, encoding="utf-8")
    mirror = snapshot_mirrors[:2]
    earlier = ("--snapshot", "2024-06-01")
    assert main_in_process("solve", "spec.yaml", *mirror, *earlier).exit_code == 0
    shell = Shell(extra={"update": mirror})
    one, everything, diff = commands(UPDATE_COMMANDS)
    result = shell.run(one)
    assert result.exit_code == 0, result.output
    assert shows(one.output, result.stdout), result.stdout
    refreshed = shell.run(everything)
    assert refreshed.exit_code == 0, refreshed.output
    assert "numpy" in refreshed.stdout and "upgraded" in refreshed.stdout
    for folder, options in (("old-locks", earlier), ("locks", ())):
        solved = main_in_process("solve", "spec.yaml", "-o", folder, *mirror, *options)
        assert solved.exit_code == 0, solved.output
    compared = shell.run(diff)
    assert compared.exit_code == 0, compared.output
    assert "old-locks -> locks" in compared.stdout and "pandas" in compared.stdout


# --- export ---------------------------------------------------------------------------------

EXPORT_COMMANDS = example("export-commands")


def test_the_export_commands(here: Path, demo_channel: Path) -> None:
    _quickstart(here, demo_channel)
    assert main_in_process("solve", "spec.yaml").exit_code == 0
    pixi, docker, apptainer, sbom = commands(EXPORT_COMMANDS)
    for command in (pixi, docker):
        result = Shell().run(command)
        assert result.exit_code == 0, result.output
        assert shows(command.output, result.stdout, any_numbers=True), result.stdout
    for command in (apptainer, sbom):
        assert Shell().run(command).exit_code == 0
    assert (here / "pixi.lock").is_file() and (here / "Dockerfile").is_file()
    assert "import numpy; import scipy" in (here / "hybrid.def").read_text(encoding="utf-8")
    document = json.loads((here / "sbom-linux-64.cdx.json").read_text(encoding="utf-8"))
    assert document["specVersion"] == "1.6" and document["components"]


# --- recipes and init -----------------------------------------------------------------------

RECIPES_COMMANDS = example("recipes-commands")
RECIPES = ("base", "scientific-python", "pytorch-cuda", "jax-cuda", "tensorflow", "huggingface")
LAB_FILES = {".github/workflows/hybrid-check.yml", ".gitignore", ".pre-commit-config.yaml",
             "README.md", "spec.yaml"}


def _files(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}


@pytest.mark.network
@pytest.mark.snapshot
def test_the_recipe_and_init_commands(
    here: Path, snapshot_mirrors: tuple[str, ...], shared_channels: Path
) -> None:
    shell = Shell(extra={"init": snapshot_mirrors, "solve": snapshot_mirrors},
                  replace={"/srv/mirror/conda-forge": str(shared_channels / "conda-forge")})
    listing, one, vision, nlp, later, solve_later = commands(RECIPES_COMMANDS)
    listed = shell.run(listing)
    assert [line.split()[0] for line in listed.stdout.splitlines()] == sorted(RECIPES)
    printed = shell.run(one)
    assert printed.stdout == (REPO / "recipes" / "pytorch-cuda" / "spec.yaml").read_text()
    for command, directory in ((vision, "vision-lab"), (nlp, "nlp-lab")):
        result = shell.run(command)
        assert result.exit_code == 0, result.output
        files = _files(here / directory)
        assert files >= LAB_FILES | {"cpu/conda-lock.yml", "cuda-12.6/conda-linux-64.lock"}
        assert "no lock files written" not in result.stderr
    assert "cpu/requirements.txt" in _files(here / "nlp-lab")
    assert shell.run(later).exit_code == 0
    assert _files(here / "lab") >= LAB_FILES and "conda-lock.yml" not in _files(here / "lab")
    assert shell.run(solve_later).exit_code == 0
    assert "conda-lock.yml" in _files(here / "lab")


# --- import and lint ------------------------------------------------------------------------

IMPORT_ENVIRONMENT = example("import-environment-yml")
IMPORT_REQUIREMENTS = example("import-requirements-txt")
IMPORT_LINT = example("import-lint-commands")


def test_the_import_and_lint_commands(here: Path, demo_channel: Path) -> None:
    _write(here, IMPORT_ENVIRONMENT, "environment.yml")
    _write(here, IMPORT_REQUIREMENTS, "requirements.txt")
    shell = Shell()
    imported, lint, explicit, selected = commands(IMPORT_LINT)
    result = shell.run(imported)
    assert result.exit_code == 0, result.output
    assert shows(imported.output, result.output), result.output
    assert main_in_process("validate", "spec.yaml").exit_code == 0  # "always validates"
    linted = shell.run(lint)
    assert linted.exit_code == 1  # findings
    assert shows(lint.output, linted.output), linted.output
    demo = here.parent / "demo"
    demo.mkdir()
    (demo / "spec.yaml").write_text(DEMO_BASE)
    assert main_in_process("solve", demo / "spec.yaml", "--mirror",
                           f"hybrid-demo={demo_channel}").exit_code == 0
    shutil.copy(demo / "conda-linux-64.lock", here / "conda-linux-64.lock")
    result = shell.run(explicit)
    assert result.exit_code == 0, result.output
    assert _yaml((here / "spec.yaml").read_text())["platforms"] == ["linux-64"]
    chosen = shell.run(selected)
    assert chosen.exit_code in (0, 1), chosen.output
    assert all(f["code"] in ("H003", "H008") for f in json.loads(chosen.stdout))


# --- claims outside fenced blocks -----------------------------------------------------------


@pytest.mark.parametrize(("python", "solved"), [("3.11.9", "3.11.9"), ("3.10", "3.10.14")])
def test_the_python_key(here: Path, demo_channel: Path, python: str, solved: str) -> None:
    """The key table: `"3.11"` is `python 3.11.*`, `"3.11.9"` is `python 3.11.9`."""
    (here / "spec.yaml").write_text(DEMO_BASE.replace('"3.11"', f'"{python}"'))
    result = main_in_process("solve", "spec.yaml", "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    assert f"/python-{solved}-" in (here / "conda-linux-64.lock").read_text()
