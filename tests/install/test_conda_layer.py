"""The conda layer: records read from the verified archives, linked by rattler, conda-meta
pointing at the lock's URLs; a second install brings the prefix in line with the lock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rattler

from hybrid.errors import IntegrityError
from hybrid.install.conda_layer import install_conda_layer
from hybrid.install.fetch import digests
from hybrid.readback.explicit import parse_explicit
from tests.install.conftest import PY_SHORT, SUBDIR, posix_only

pytestmark = posix_only
CANONICAL = "https://conda.example.org/interp"


def _explicit(channel: Path, names: list[str], tmp_path: Path, *, sha: bool = False) -> str:
    lines = ["# platform: " + SUBDIR, "@EXPLICIT"]
    for subdir in (SUBDIR, "noarch"):
        for archive in sorted((channel / subdir).glob("*.tar.bz2")):
            if archive.name.rsplit("-", 2)[0] in names:
                md5, sha256 = digests(archive)
                digest = f"sha256:{sha256}" if sha else md5
                lines.append(f"{CANONICAL}/{subdir}/{archive.name}#{digest}")
    return "\n".join(lines) + "\n"


def _install(channel: Path, names: list[str], prefix: Path, tmp_path: Path) -> list[str]:
    text = _explicit(channel, names, tmp_path)
    explicit = parse_explicit(text, path=tmp_path / "conda.lock")
    report = install_conda_layer(explicit, prefix, mirrors={CANONICAL: channel.as_uri()},
                                 cache=tmp_path / "cache", requested={"python": "python"})
    return list(report.packages)


def test_links_softlinks_noarch_and_records_lock_urls(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "env"
    installed = _install(interpreter_channel, ["python", "hybrid-test-conda-hello"], prefix,
                         tmp_path)
    assert [stem.rsplit("-", 2)[0] for stem in installed] == ["python", "hybrid-test-conda-hello"]
    assert (prefix / "bin" / f"python{PY_SHORT}").is_symlink()
    assert (prefix / "lib" / f"python{PY_SHORT}" / "site-packages" / "hybrid_test_conda_hello"
            ).is_dir()
    for path in (prefix / "conda-meta").glob("*.json"):
        record = rattler.PrefixRecord.from_path(path)
        assert record.url.startswith(CANONICAL + "/")
        assert record.channel == CANONICAL
        assert record.depends is not None
    python = json.loads(next((prefix / "conda-meta").glob("python-*.json")).read_text())
    assert python["requested_specs"] == ["python"]


def test_a_second_install_removes_what_the_lock_dropped(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "env"
    _install(interpreter_channel, ["python", "hybrid-test-conda-hello"], prefix, tmp_path)
    _install(interpreter_channel, ["python"], prefix, tmp_path)
    names = sorted(p.name.rsplit("-", 2)[0] for p in (prefix / "conda-meta").glob("*.json"))
    assert names == ["python"]
    assert not (prefix / "lib" / f"python{PY_SHORT}" / "site-packages" /
                "hybrid_test_conda_hello").exists()


def test_an_archive_that_is_not_what_its_name_says(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    channel = tmp_path / "channel"
    source = next((interpreter_channel / "noarch").glob("hybrid-test-conda-hello-*.tar.bz2"))
    (channel / "noarch").mkdir(parents=True)
    shutil.copy(source, channel / "noarch" / "impostor-1.0-0.tar.bz2")
    explicit = parse_explicit(_explicit(channel, ["impostor"], tmp_path), path=tmp_path / "x")
    with pytest.raises(IntegrityError, match="the archive says it is hybrid-test-conda-hello"):
        install_conda_layer(explicit, tmp_path / "env", mirrors={CANONICAL: channel.as_uri()},
                            cache=tmp_path / "cache")
    assert not (tmp_path / "env").exists()
