"""Virtual packages: the spec's `system:` (or the documented defaults) decide what solves."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec
from hybrid.platforms import DEFAULT_GLIBC, default_macos
from tests.conda.helpers import explicit_lines, make_channel
from tests.conftest import RunCli


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_channel(
        tmp_path_factory.mktemp("virtual") / "channel",
        [
            PackageSpec(name="new-glibc", version="1.0", subdir="linux-64",
                        depends=("__glibc >=2.34",)),
            PackageSpec(name="new-macos", version="1.0", subdir="osx-64",
                        depends=("__osx >=12",)),
            PackageSpec(name="new-macos", version="1.0", subdir="osx-arm64",
                        depends=("__osx >=12",)),
        ],
    )  # fmt: skip


def _spec(tmp_path: Path, channel: Path, platforms: str, package: str, system: str = "") -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "version: 1\n"
        "name: virtual\n"
        f"channels: ['{channel.as_uri()}']\n"
        f"platforms: [{platforms}]\n"
        f"conda:\n  - {package}\n" + system,
        encoding="utf-8",
    )
    return path


def test_the_defaults_are_the_documented_ones() -> None:
    assert DEFAULT_GLIBC == "2.28"
    assert (default_macos("x86_64"), default_macos("arm64")) == ("11.0", "13.0")


def test_glibc_234_is_not_available_by_default(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    result = run_cli("solve", _spec(tmp_path, channel, "linux-64", "new-glibc"))
    assert result.exit_code == 3, result.output
    assert "linux-64" in result.stderr
    assert "__glibc >=2.34" in result.stderr
    assert "Traceback" not in result.output


def test_glibc_234_solves_when_the_spec_raises_the_floor(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, "linux-64", "new-glibc", 'system: {glibc: "2.35"}\n')
    result = run_cli("solve", spec)
    assert result.exit_code == 0, result.output
    assert [line.name for line in explicit_lines(tmp_path / "conda-linux-64.lock")] == ["new-glibc"]


def test_osx_12_fails_on_intel_macs_with_the_default_11(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    result = run_cli("solve", _spec(tmp_path, channel, "osx-64, osx-arm64", "new-macos"))
    assert result.exit_code == 3, result.output
    assert "cannot be solved for osx-64" in result.stderr
    assert "__osx >=12" in result.stderr


def test_osx_12_solves_on_apple_silicon_with_the_default_13(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    result = run_cli("solve", _spec(tmp_path, channel, "osx-arm64", "new-macos"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "conda-osx-arm64.lock").is_file()


def test_a_macos_floor_applies_to_both_macs(run_cli: RunCli, channel: Path, tmp_path: Path) -> None:
    spec = _spec(tmp_path, channel, "osx-64, osx-arm64", "new-macos", 'system: {macos: "12.0"}\n')
    result = run_cli("solve", spec)
    assert result.exit_code == 0, result.output
    for platform in ("osx-64", "osx-arm64"):
        lines = explicit_lines(tmp_path / f"conda-{platform}.lock")
        assert [line.url.split("/")[-2] for line in lines] == [platform]
