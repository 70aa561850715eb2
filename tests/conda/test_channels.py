"""Channels: names, file:// URLs and relative paths; strict priority; mirrors; errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec
from tests.conda.helpers import explicit_lines, make_channel
from tests.conftest import RunCli


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`<root>/high` has `pkg 1.0`; `<root>/low` has `pkg 2.0` and `extra`."""
    root = tmp_path_factory.mktemp("channels")
    make_channel(root / "high", [PackageSpec(name="pkg", version="1.0")])
    make_channel(
        root / "low",
        [
            PackageSpec(name="pkg", version="2.0"),
            PackageSpec(name="extra", version="3.0", subdir="linux-64"),
        ],
    )
    return root


def _spec(folder: Path, channels: str, conda: str = "pkg", name: str = "spec.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "version: 1\n"
        "name: chan\n"
        f"channels: {channels}\n"
        "platforms: [linux-64]\n"
        "conda:\n" + "".join(f"  - {entry}\n" for entry in conda.split(",")),
        encoding="utf-8",
    )
    return path


def _urls(out: Path) -> list[str]:
    return [line.url for line in explicit_lines(out / "conda-linux-64.lock")]


def test_a_channel_name_read_through_a_mirror_keeps_canonical_urls(
    run_cli: RunCli, channels: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, "[lab]")
    result = run_cli("solve", spec, "--mirror", f"lab={channels / 'high'}")
    assert result.exit_code == 0, result.output
    assert _urls(tmp_path) == ["https://conda.anaconda.org/lab/noarch/pkg-1.0-0.tar.bz2"]
    assert "  - lab\n" in (tmp_path / "environment.yml").read_text(encoding="utf-8")


def test_a_file_url_channel(run_cli: RunCli, channels: Path, tmp_path: Path) -> None:
    url = (channels / "low").as_uri()
    spec = _spec(tmp_path, f"['{url}']", "pkg,extra")
    result = run_cli("solve", spec)
    assert result.exit_code == 0, result.output
    assert sorted(_urls(tmp_path)) == [
        f"{url}/linux-64/extra-3.0-0.tar.bz2",
        f"{url}/noarch/pkg-2.0-0.tar.bz2",
    ]


def test_relative_paths_are_relative_to_the_spec_not_the_cwd(
    run_cli: RunCli, channels: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(channels / "projects" / "one", "[../../high]", name="rel.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out)
    assert result.exit_code == 0, result.output
    assert _urls(out) == [f"{(channels / 'high').as_uri()}/noarch/pkg-1.0-0.tar.bz2"]


def test_strict_priority_the_first_channel_wins_even_with_an_older_version(
    run_cli: RunCli, channels: Path, tmp_path: Path
) -> None:
    spec = _spec(channels / "projects" / "strict", "[../../high, ../../low]", "pkg,extra")
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out)
    assert result.exit_code == 0, result.output
    urls = _urls(out)
    assert f"{(channels / 'high').as_uri()}/noarch/pkg-1.0-0.tar.bz2" in urls
    assert f"{(channels / 'low').as_uri()}/linux-64/extra-3.0-0.tar.bz2" in urls
    assert not [u for u in urls if "pkg-2.0" in u]


def test_strict_priority_hides_lower_channels_versions_of_the_same_name(
    run_cli: RunCli, channels: Path, tmp_path: Path
) -> None:
    spec = _spec(channels / "projects" / "hidden", "[../../high, ../../low]", "pkg >=2")
    result = run_cli("solve", spec, "-o", tmp_path / "out")
    assert result.exit_code == 3, result.output
    assert "pkg >=2" in result.stderr
    assert "strict channel priority" in result.stderr
    assert f"{spec}:6:5: conda[0] `pkg >=2`" in result.stderr


def test_reversed_order_takes_the_newer_version(
    run_cli: RunCli, channels: Path, tmp_path: Path
) -> None:
    spec = _spec(channels / "projects" / "reversed", "[../../low, ../../high]")
    out = tmp_path / "out"
    assert run_cli("solve", spec, "-o", out).exit_code == 0
    assert _urls(out) == [f"{(channels / 'low').as_uri()}/noarch/pkg-2.0-0.tar.bz2"]


@pytest.mark.parametrize("value", ["conda-forge", "=file:///x", "conda-forge=", " = "])
def test_a_malformed_mirror_is_a_usage_error(
    run_cli: RunCli, channels: Path, tmp_path: Path, value: str
) -> None:
    spec = _spec(tmp_path, "[lab]")
    result = run_cli("solve", spec, "--mirror", value)
    assert result.exit_code == 2, result.output
    assert "NAME=URL" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "environment.yml").exists()


def test_a_missing_channel_directory_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    spec = _spec(tmp_path / "project", "[./no-such-channel]")
    result = run_cli("solve", spec)
    assert result.exit_code == 5, result.output
    assert str(tmp_path / "project" / "no-such-channel") in result.stderr
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_mirror_directory_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    spec = _spec(tmp_path, "[conda-forge]")
    missing = tmp_path / "mirrors" / "conda-forge"
    result = run_cli("solve", spec, "--mirror", f"conda-forge={missing}")
    assert result.exit_code == 5, result.output
    assert str(missing) in result.stderr
    assert "--mirror" in result.stderr


def test_offline_with_an_uncached_https_channel_never_fetches(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any connection attempt would fail with a proxy error, not with the offline message.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "empty-cache"))
    spec = _spec(tmp_path, "['https://conda.anaconda.org/conda-forge']", "python")
    started = time.monotonic()
    result = run_cli("solve", spec, "--offline")
    assert time.monotonic() - started < 10
    assert result.exit_code == 5, result.output
    assert "offline" in result.stderr
    assert "cache" in result.stderr
    assert "https://conda.anaconda.org/conda-forge" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "environment.yml").exists()


def test_offline_still_reads_local_channels(
    run_cli: RunCli, channels: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, "[lab]")
    result = run_cli("solve", spec, "--offline", "--mirror", f"lab={channels / 'high'}")
    assert result.exit_code == 0, result.output
