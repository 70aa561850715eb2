"""`hybrid export`'s refusals and exit codes: missing locks, stale locks, existing outputs,
options that do not apply; and byte-identical output for identical locks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli


def test_a_missing_lock_file_is_named_and_exits_2(project: Path, run_cli: RunCli) -> None:
    (project.parent / "conda-osx-arm64.lock").unlink()
    result = run_cli("export", "sbom", project)
    assert result.exit_code == 2
    assert "conda-osx-arm64.lock: no such file; the lock is incomplete" in result.output
    assert "Traceback" not in result.output


def test_stale_locks_are_refused_unless_allowed(project: Path, run_cli: RunCli) -> None:
    spec_text = project.read_text(encoding="utf-8")
    project.write_text(spec_text.replace("  - numpy\n", "  - numpy\n  - tzdata\n"), "utf-8")
    refused = run_cli("export", "docker", project)
    assert refused.exit_code == 4
    assert "stale" in refused.output and "--allow-stale" in refused.output
    assert not (project.parent / "Dockerfile").exists()
    allowed = run_cli("export", "docker", project, "--allow-stale")
    assert allowed.exit_code == 0, allowed.output
    assert "warning: stale (--allow-stale)" in " ".join(allowed.stderr.split())
    assert (project.parent / "Dockerfile").is_file()


def test_an_existing_output_is_kept_unless_forced(project: Path, run_cli: RunCli) -> None:
    target = project.parent / "pixi.lock"
    target.write_text("mine\n", encoding="utf-8")
    kept = run_cli("export", "pixi", project)
    assert kept.exit_code == 2
    assert "already exists" in kept.output and "--force" in kept.output
    assert target.read_text(encoding="utf-8") == "mine\n"
    replaced = run_cli("export", "pixi", project, "--force")
    assert replaced.exit_code == 0, replaced.output
    assert target.read_text(encoding="utf-8").startswith("version: ")
    assert not [p for p in project.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("args", "message"), [
    (("sbom", "--base-image", "x@sha256:" + "0" * 64), "--base-image applies to docker"),
    (("pixi", "--smoke-import", "numpy"), "--smoke-import applies to docker"),
    (("pixi", "--variant", "default"), "pixi.lock holds every variant"),
    (("docker", "--variant", "cuda-12.6"), "--variant 'cuda-12.6': spec.yaml has default"),
    (("docker", "--platform", "osx-arm64"), "containers are built for linux-64"),
    (("sbom", "--platform", "win-64"), "the lock does not cover win-64"),
])
def test_options_that_do_not_apply_exit_2(
    args: tuple[str, ...], message: str, project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", args[0], project, *args[1:])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_exports_are_byte_identical_for_identical_locks(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    for kind, name in (("pixi", "pixi.lock"), ("sbom", "sbom.json"), ("docker", "Dockerfile")):
        first, second = project.parent / f"1-{name}", project.parent / f"2-{name}"
        assert run_cli("export", kind, project, "-o", first).exit_code == 0
        assert run_cli("export", kind, project, "-o", second).exit_code == 0
        assert first.read_bytes() == second.read_bytes(), kind


def test_a_spec_never_solved_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
                    "conda: [numpy]\n", encoding="utf-8")
    result = run_cli("export", "docker", spec)
    assert result.exit_code == 2
    assert f"{tmp_path / 'conda-lock.yml'}: no such file" in result.output
    assert "hybrid solve" in result.output
    assert not (tmp_path / "Dockerfile").exists()
