"""The pip layer from uv's own answer, end to end on a PEP 503 (HTML only) index on localhost:
artifacts without reading index pages again, `--offline` without a connection, wheels only
unless `pip-build` says otherwise. No network: the conda layer is the demo channel."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli, WriteSpec
from tests.pypi.html_index import HtmlIndex, sdist, serve_html_index, wheel

LINUX_SPEC = """\
version: 1
name: t
channels: [hybrid-demo]
platforms: [linux-64]
python: "3.11"
pip:
  - {requirement}
pip-index:
  index-url: {index}
"""


@pytest.fixture
def html_index(tmp_path: Path) -> Iterator[HtmlIndex]:
    """labtool 1.0 (needs labdep) and labdep 2.0, pure wheels; floortool 1.0 (needs labdep)
    and oldtool 1.0: each a wheel for glibc 2.28 and up, and an sdist."""
    files = tmp_path / "files"
    files.mkdir()
    with serve_html_index([
        wheel(files, "labtool", "1.0", "py3-none-any", ("labdep>=2",)),
        wheel(files, "labdep", "2.0", "py3-none-any"),
        wheel(files, "floortool", "1.0", "py3-none-manylinux_2_28_x86_64", ("labdep",)),
        sdist(files, "floortool", "1.0", ("labdep",)),
        wheel(files, "oldtool", "1.0", "py3-none-manylinux_2_28_x86_64"),
        sdist(files, "oldtool", "1.0"),
    ]) as index:
        yield index


def _solve(run_cli: RunCli, spec: Path, demo_channel: Path, *extra: str) -> CliResult:
    return run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}", *extra)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_artifacts_come_from_uvs_answer_on_an_html_only_index(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path, html_index: HtmlIndex
) -> None:
    spec = write_spec(LINUX_SPEC.format(requirement="labtool", index=html_index.url))
    result = _solve(run_cli, spec, demo_channel)
    assert result.exit_code == 0, result.output
    lock = (spec.parent / "conda-lock.yml").read_text(encoding="utf-8")
    for name in ("labtool-1.0-py3-none-any.whl", "labdep-2.0-py3-none-any.whl"):
        assert f"url: {html_index.url.removesuffix('/simple')}/files/{name}\n" in lock
        assert f"sha256: {_sha(html_index.files[name])}\n" in lock
    requirements = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
    assert "--only-binary :all:\n" in requirements
    assert f"--hash=sha256:{_sha(html_index.files['labtool-1.0-py3-none-any.whl'])}" in (
        requirements)
    # uv read the index; hybrid never asked it for the pinned projects' pages again.
    assert any(path == "/simple/labtool/" for path, _ in html_index.requests)
    assert html_index.asked_by_others_than_uv("labtool", "labdep") == []


def test_offline_with_an_empty_uv_cache_names_what_is_missing_and_connects_nowhere(
    run_cli: RunCli,
    write_spec: WriteSpec,
    demo_channel: Path,
    html_index: HtmlIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "empty-uv-cache"))
    spec = write_spec(LINUX_SPEC.format(requirement="labtool", index=html_index.url))
    result = _solve(run_cli, spec, demo_channel, "--offline")
    assert result.exit_code == 5, result.output
    assert "offline" in result.output and "labtool" in result.output
    assert "cache" in result.output
    assert "Traceback" not in result.output
    assert html_index.requests == []
    assert not (spec.parent / "conda-lock.yml").exists()


def test_a_floor_that_leaves_no_wheel_is_unsatisfiable_naming_package_and_floors(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path, html_index: HtmlIndex
) -> None:
    text = LINUX_SPEC.format(requirement="floortool", index=html_index.url)
    spec = write_spec(text + 'system: {glibc: "2.17"}\n')
    result = _solve(run_cli, spec, demo_channel)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert "floortool" in message
    assert "glibc 2.17" in message  # the spec's floor
    assert "need glibc 2.28 or newer" in message  # what its wheels need
    assert "pip-build: [floortool]" in message
    assert not (spec.parent / "conda-lock.yml").exists()


def test_pip_build_lets_the_sdist_be_pinned_and_the_lock_says_so(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path, html_index: HtmlIndex
) -> None:
    text = LINUX_SPEC.format(requirement="floortool", index=html_index.url)
    spec = write_spec(text + 'system: {glibc: "2.17"}\npip-build: [floortool]\n')
    result = _solve(run_cli, spec, demo_channel)
    assert result.exit_code == 0, result.output
    sdist = html_index.files["floortool-1.0.tar.gz"]
    lock = (spec.parent / "conda-lock.yml").read_text(encoding="utf-8")
    assert f"url: {html_index.url.removesuffix('/simple')}/files/{sdist.name}\n" in lock
    assert f"sha256: {_sha(sdist)}\n" in lock
    requirements = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
    # Everything else stays a wheel; floortool may be built, and its sdist is hashed.
    assert "--only-binary labdep\n" in requirements
    assert ":all:" not in requirements and "--only-binary floortool" not in requirements
    assert f"--hash=sha256:{_sha(sdist)}" in requirements


def test_pip_build_lets_only_the_packages_it_names_be_built(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path, html_index: HtmlIndex
) -> None:
    """uv first pins both sdists; asked again with oldtool held to wheels, it has none."""
    text = LINUX_SPEC.format(requirement="floortool\n  - oldtool", index=html_index.url)
    spec = write_spec(text + 'system: {glibc: "2.17"}\npip-build: [floortool]\n')
    result = _solve(run_cli, spec, demo_channel)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert "no wheel of `oldtool` runs on glibc 2.17" in message
    assert "pip-build: [oldtool]" in message
