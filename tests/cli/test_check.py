"""`hybrid check`: exit 0 when outputs match the inputs, 4 when stale, naming what changed
and which file was edited."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli, main_in_process

SPEC = (
    "version: 1\nname: demo\nchannels: [hybrid-demo]\nplatforms: [linux-64, osx-arm64]\n"
    'python: "3.11"\nconda:\n  - numpy >=1.26\n'
)
HEAVY = ("rattler", "uv", "conda_lock", "pydantic", "jsonschema", "yaml", "ruamel")
WriteSpec = Callable[[str], Path]


def changes(result: CliResult) -> list[str]:
    """The lines `check` prints under "changed in the inputs since they were written:"."""
    _, found, rest = result.stderr.partition("changed in the inputs since they were written:\n")
    if not found:
        return []
    lines = [line.strip() for line in rest.splitlines() if line.startswith("  ")]
    return [line for line in lines if not line.startswith("hint:")]


@pytest.fixture(scope="module")
def solved_once(tmp_path_factory: pytest.TempPathFactory, demo_channel: Path) -> Path:
    """The spec solved once per module; tests edit copies of it."""
    directory = tmp_path_factory.mktemp("check-solved")
    spec = directory / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = main_in_process("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture
def solved(solved_once: Path, tmp_path: Path) -> Path:
    return shutil.copytree(solved_once, tmp_path / "project") / "spec.yaml"


def test_fresh_outputs(run_cli: RunCli, solved: Path) -> None:
    result = run_cli("check", solved)
    assert result.exit_code == 0
    assert "up to date" in result.stdout


def test_a_comment_does_not_make_outputs_stale(run_cli: RunCli, solved: Path) -> None:
    solved.write_text("# a comment\n" + SPEC, encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 0, result.output


def test_a_changed_spec_is_stale_and_says_what_changed(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace("numpy >=1.26", "numpy >=2\n  - tzdata"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "input hash differs" in result.stderr
    assert changes(result) == [
        "conda: `numpy` changed to `numpy >=2`",
        "conda: `tzdata` added",
    ]
    assert "hybrid solve" in result.stderr


def test_a_removed_conda_entry_is_named(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace("conda:\n  - numpy >=1.26\n", ""), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert changes(result) == ["conda: `numpy` removed"]


def test_a_new_platform_is_named(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace("osx-arm64]", "osx-arm64, win-64]"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-win-64.lock: missing" in result.stderr
    assert changes(result) == ["platforms: win-64 added"]


def test_a_removed_platform_leaves_a_stray_lock(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace(", osx-arm64]", "]"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-osx-arm64.lock: platform no longer in the spec" in result.stderr
    assert changes(result) == ["platforms: osx-arm64 removed"]


def test_a_python_edit_is_named(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace('"3.11"', '"3.12"'), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert changes(result) == ["python: changed to `3.12`"]


def test_a_deleted_output_is_missing(run_cli: RunCli, solved: Path) -> None:
    (solved.parent / "conda-lock.yml").unlink()
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-lock.yml: missing" in result.stderr
    assert changes(result) == []


OUTPUTS = ["conda-linux-64.lock", "conda-lock.yml", "environment.yml"]


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_hand_edited_body_is_stale(run_cli: RunCli, solved: Path, name: str) -> None:
    path = solved.parent / name
    path.write_text(path.read_text(encoding="utf-8") + "# added by hand\n", encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert f"{path}: edited or truncated" in result.stderr
    assert result.stderr.count("edited or truncated") == 1
    assert changes(result) == []  # the spec did not change


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_truncated_output_is_stale(run_cli: RunCli, solved: Path, name: str) -> None:
    path = solved.parent / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("\n", 0, -1) + 1], encoding="utf-8")  # the last line
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert f"{path}: edited or truncated" in result.stderr


def test_a_package_swapped_in_a_lock_is_stale(run_cli: RunCli, solved: Path) -> None:
    lock = solved.parent / "conda-linux-64.lock"
    text = lock.read_text(encoding="utf-8")
    assert "numpy-2.1.1" in text
    lock.write_text(text.replace("numpy-2.1.1", "numpy-1.26.4"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert f"{lock}: edited or truncated" in result.stderr


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda text: "\n".join(line for line in text.splitlines() if "input-hash:" not in line),
         "no `input-hash` line"),
        (lambda text: "\n".join(line for line in text.splitlines() if "body-sha256" not in line),
         "no `body-sha256` line"),
        (lambda text: "\n".join(line for line in text.splitlines() if not line.startswith("#")),
         "no `Generated by hybrid` line"),
        (lambda text: text[:40], "no `input-hash` line"),
        (lambda text: "", "no `Generated by hybrid` line"),
    ],
)
def test_a_missing_or_damaged_header_is_stale(
    run_cli: RunCli, solved: Path, edit: Callable[[str], str], what: str
) -> None:
    lock = solved.parent / "conda-linux-64.lock"
    lock.write_text(edit(lock.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert f"{lock}: header missing or damaged ({what};" in result.stderr


def test_a_crlf_checkout_is_fresh(run_cli: RunCli, solved: Path) -> None:
    for name in OUTPUTS:
        path = solved.parent / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli("check", solved)
    assert result.exit_code == 0, result.output


def test_no_outputs_at_all(run_cli: RunCli, write_spec: WriteSpec) -> None:
    spec = write_spec(SPEC)
    result = run_cli("check", spec)
    assert result.exit_code == 4
    assert "missing" in result.stderr
    assert "Traceback" not in result.output


def test_check_with_an_output_dir(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path, tmp_path: Path
) -> None:
    spec = write_spec(SPEC)
    out = tmp_path / "locks"
    mirror = f"hybrid-demo={demo_channel}"
    assert run_cli("solve", spec, "-o", out, "--mirror", mirror).exit_code == 0
    assert run_cli("check", spec, "-o", out).exit_code == 0
    assert run_cli("check", spec).exit_code == 4


def test_a_bad_spec_is_a_spec_error(run_cli: RunCli, write_spec: WriteSpec) -> None:
    spec = write_spec("version: 1\nname: x\nplatfroms: [linux-64]\n")
    result = run_cli("check", spec)
    assert result.exit_code == 2
    assert "did you mean `platforms`" in result.stderr


def _imported_by_check(spec: Path) -> tuple[int, list[str]]:
    """Run `hybrid check` in a fresh interpreter: its exit code and the heavy modules loaded."""
    script = (
        "import sys\nfrom hybrid.cli.main import main\ncode = main(sys.argv[1:])\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print(code, *heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, "check", str(spec)],
                          capture_output=True, text=True, check=True)
    code, *heavy = done.stdout.split("\n")[-2].split()
    return int(code), heavy


def test_the_fast_path_reads_bodies_without_heavy_imports(solved: Path) -> None:
    assert _imported_by_check(solved) == (0, [])
    lock = solved.parent / "conda-lock.yml"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, heavy = _imported_by_check(solved)
    assert code == 4
    assert not {"uv", "conda_lock", "pydantic"} & set(heavy)
