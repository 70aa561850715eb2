"""Dependency groups solved on top of a base, on real local channels with the real rattler:
the base's outputs do not change, a group that would move the base fails naming why, and
conda-lock reads the group's packages back as its category."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conda_lock.lockfile import parse_conda_lock_file

from hybrid.devtools.local_channel import PackageSpec
from hybrid.emit.header import parse_output
from tests.conda.helpers import explicit_lines, make_channel
from tests.conftest import RunCli

BASE = """\
version: 1
name: groups
channels: [hybrid-demo, lab]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda: [numpy]
"""
DEV = """\
groups:
  dev:
    conda: [devtool, hybrid-demo-hello]
"""
LAB = [
    PackageSpec(name="devtool", version="1.0", noarch="generic", depends=("numpy >=1.26",)),
    PackageSpec(name="devtool", version="2.0", noarch="generic", depends=("numpy >=1.26",)),
    PackageSpec(name="oldtool", version="1.0", noarch="generic", depends=("numpy <2",)),
    PackageSpec(name="docstool", version="1.0", noarch="generic", depends=("devtool",)),
]
CONDA_LOCK = Path(sys.executable).with_name("conda-lock")


@pytest.fixture(scope="module")
def lab_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_channel(tmp_path_factory.mktemp("lab"), LAB)


Solve = Callable[[str, str], tuple[int, str, Path]]


@pytest.fixture
def solve(run_cli: RunCli, demo_channel: Path, lab_channel: Path, tmp_path: Path) -> Solve:
    """Write `text` as `<folder>/spec.yaml` and solve it into `<folder>/out`."""

    def run(text: str, folder: str) -> tuple[int, str, Path]:
        directory = tmp_path / folder
        directory.mkdir()
        (directory / "spec.yaml").write_text(text, encoding="utf-8")
        mirrors = ("--mirror", f"hybrid-demo={demo_channel}", "--mirror", f"lab={lab_channel}")
        result = run_cli("solve", directory / "spec.yaml", "-o", directory / "out", *mirrors)
        return result.exit_code, result.output, directory / "out"

    return run


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    header = parse_output(text).header
    assert header[-1].startswith("# body-sha256:") and parse_output(text).body_intact
    return text.split("\n", len(header))[-1]


def _packages(lock: Path, category: str) -> set[tuple[str, str, str]]:
    parsed = parse_conda_lock_file(lock)
    return {(p.platform, p.name, str(p.url)) for p in parsed.package if category in p.categories}


def test_the_base_outputs_are_the_same_with_a_group(solve: Solve) -> None:
    code, output, plain = solve(BASE, "plain")
    assert code == 0, output
    code, output, grouped = solve(BASE + DEV, "grouped")
    assert code == 0, output
    base_files = sorted(p.name for p in plain.iterdir())
    assert sorted(p.name for p in grouped.iterdir()) == sorted(
        [*base_files, "conda-linux-64.dev.lock", "conda-osx-arm64.dev.lock"]
    )
    # every base file's body is byte-identical; only header lines naming the inputs differ
    for name in base_files:
        if name != "conda-lock.yml":
            assert _body(grouped / name) == _body(plain / name), name
    main = _packages(grouped / "conda-lock.yml", "main")
    assert main == _packages(plain / "conda-lock.yml", "main")
    for platform in ("linux-64", "osx-arm64"):
        base = {line.url for line in explicit_lines(plain / f"conda-{platform}.lock")}
        both = explicit_lines(grouped / f"conda-{platform}.dev.lock")
        assert {line.url for line in both} - base == {
            url for p, _, url in _packages(grouped / "conda-lock.yml", "dev") if p == platform
        }
        assert base <= {line.url for line in both}
        base_names = {url.rsplit("/", 1)[1].rsplit("-", 2)[0] for url in base}
        assert {line.name for line in both} - base_names == {"devtool", "hybrid-demo-hello"}


@pytest.mark.skipif(not CONDA_LOCK.exists(), reason="conda-lock is not installed beside python")
def test_conda_lock_render_gives_base_and_group(solve: Solve, tmp_path: Path) -> None:
    code, output, out = solve(BASE + DEV, "render")
    assert code == 0, output
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    for flag, stem in (("--dev-dependencies", "dev"), ("--no-dev-dependencies", "main")):
        done = subprocess.run(
            [str(CONDA_LOCK), "render", "-k", "explicit", "-p", "linux-64", flag,
             "--filename-template", f"{stem}-{{platform}}.lock", str(out / "conda-lock.yml")],
            cwd=rendered, capture_output=True, text=True, check=False,
        )
        assert done.returncode == 0, done.stderr
    urls = {line.url for line in explicit_lines(rendered / "dev-linux-64.lock")}
    assert urls == {line.url for line in explicit_lines(out / "conda-linux-64.dev.lock")}
    urls = {line.url for line in explicit_lines(rendered / "main-linux-64.lock")}
    assert urls == {line.url for line in explicit_lines(out / "conda-linux-64.lock")}


def test_a_group_that_would_move_the_base_fails_naming_it(solve: Solve) -> None:
    spec = BASE + "groups:\n  old:\n    conda: [devtool, oldtool]\n"
    code, output, out = solve(spec, "conflict")
    assert code == 3, output
    assert "group `old`" in output
    assert "spec.yaml:9:" in output and "groups.old.conda[1] `oldtool`" in output
    assert "devtool`" not in output  # devtool alone fits the base: not named
    assert "numpy 2.1.1" in output and "-> 1.26.4" in output
    assert not out.exists()


def test_two_groups_adding_one_package_at_two_versions_fail(solve: Solve) -> None:
    spec = BASE + "groups:\n  dev:\n    conda: [devtool <2]\n  docs:\n    conda: [docstool]\n"
    code, output, _ = solve(spec, "disagree")
    assert code == 3, output
    assert "groups `dev` and `docs` add different conda builds of devtool" in output


def test_check_names_a_missing_group_file(solve: Solve, run_cli: RunCli) -> None:
    code, output, out = solve(BASE + DEV, "check")
    assert code == 0, output
    spec = out.parent / "spec.yaml"
    assert run_cli("check", spec, "-o", out).exit_code == 0
    (out / "conda-osx-arm64.dev.lock").unlink()
    result = run_cli("check", spec, "-o", out)
    assert result.exit_code == 4
    assert "conda-osx-arm64.dev.lock: missing" in result.output
    assert "conda-linux-64.dev.lock" not in result.output


def test_diff_shows_what_changed_in_a_group(solve: Solve, run_cli: RunCli) -> None:
    code, output, first = solve(BASE + DEV, "before")
    assert code == 0, output
    code, output, second = solve(BASE + DEV.replace("devtool", "devtool <2"), "after")
    assert code == 0, output
    result = run_cli("diff", first, second, "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert {(c["platform"], c["group"], c["name"], c["change"]) for c in changes} == {
        ("linux-64", "dev", "devtool", "downgraded"),
        ("osx-arm64", "dev", "devtool", "downgraded"),
    }


def test_a_group_pip_entry_conda_already_installs_is_refused(solve: Solve) -> None:
    code, output, _ = solve(BASE + "groups:\n  dev:\n    pip: [numpy]\n", "overlap")
    assert code == 2, output
    assert "spec.yaml:9:11: groups.dev.pip[0] `numpy` is also requested in the conda layer" \
        in output
    assert "conda[0] `numpy`" in output


def test_update_keeps_a_groups_packages_unless_named(
    solve: Solve, run_cli: RunCli, demo_channel: Path, lab_channel: Path
) -> None:
    code, output, out = solve(BASE + "groups:\n  dev:\n    conda: [devtool <2]\n", "update")
    assert code == 0, output
    spec = out.parent / "spec.yaml"
    spec.write_text(spec.read_text().replace("devtool <2", "devtool"), encoding="utf-8")
    mirrors = ("--mirror", f"hybrid-demo={demo_channel}", "--mirror", f"lab={lab_channel}")
    lock = out / "conda-linux-64.dev.lock"
    result = run_cli("update", spec, "numpy", "-o", out, *mirrors)
    assert result.exit_code == 0, result.output
    assert "/devtool-1.0-" in lock.read_text()  # kept: `numpy` was named, not devtool
    result = run_cli("update", spec, "devtool", "-o", out, *mirrors)
    assert result.exit_code == 0, result.output
    assert "/devtool-2.0-" in lock.read_text()


def test_solve_json_names_what_each_group_adds(
    run_cli: RunCli, demo_channel: Path, lab_channel: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE + DEV, encoding="utf-8")
    mirrors = ("--mirror", f"hybrid-demo={demo_channel}", "--mirror", f"lab={lab_channel}")
    result = run_cli("solve", spec, "--json", *mirrors)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    added = found["groups"]["default"]["dev"]["linux-64"]
    assert added == {"conda": {"devtool": "2.0", "hybrid-demo-hello": "1.0.0"}, "pip": {}}
    assert str(tmp_path / "conda-linux-64.dev.lock") in found["files"]
