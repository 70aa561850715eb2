from __future__ import annotations

import base64
import hashlib
import logging
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from hybrid.errors import UsageError
from hybrid.pypi.model import ProvidedDistribution
from hybrid.pypi.stubs import is_stub_version, write_bridge

TORCH = ProvidedDistribution(
    pypi_name=canonicalize_name("torch"), version="2.6.0", conda_name="pytorch"
)
YAML = ProvidedDistribution(
    pypi_name=canonicalize_name("PyYAML"), version="6.0.2", conda_name="pyyaml"
)


def test_bridge_writes_one_stub_and_one_pin_per_distribution(tmp_path: Path) -> None:
    bridge = write_bridge([YAML, TORCH], tmp_path)
    wheels = sorted(p.name for p in bridge.find_links.iterdir())
    assert wheels == ["pyyaml-6.0.2+conda-py3-none-any.whl", "torch-2.6.0+conda-py3-none-any.whl"]
    assert bridge.constraints.read_bytes() == b"pyyaml==6.0.2+conda\ntorch==2.6.0+conda\n"
    assert set(bridge.stubbed) == {"pyyaml", "torch"}
    assert bridge.stubbed[canonicalize_name("torch")] is TORCH


def test_stub_is_a_valid_metadata_only_wheel(tmp_path: Path) -> None:
    bridge = write_bridge([TORCH], tmp_path)
    wheel = bridge.find_links / "torch-2.6.0+conda-py3-none-any.whl"
    name, version, _, tags = parse_wheel_filename(wheel.name)
    assert (name, version, {str(t) for t in tags}) == ("torch", Version("2.6.0+conda"),
                                                       {"py3-none-any"})
    with zipfile.ZipFile(wheel) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == [
            "torch-2.6.0+conda.dist-info/METADATA",
            "torch-2.6.0+conda.dist-info/WHEEL",
            "torch-2.6.0+conda.dist-info/RECORD",
        ]
        metadata = HeaderParser().parsestr(archive.read(names[0]).decode())
        assert metadata["Name"] == "torch"
        assert metadata["Version"] == "2.6.0+conda"
        assert metadata.get_all("Requires-Dist") is None
        record = archive.read(names[2]).decode().splitlines()
        for row in record[:-1]:
            path, digest, size = row.split(",")
            data = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == f"sha256={expected.decode()}"
            assert int(size) == len(data)
        assert record[-1] == "torch-2.6.0+conda.dist-info/RECORD,,"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_stubs_are_byte_identical_across_runs(tmp_path: Path) -> None:
    first = write_bridge([TORCH, YAML], tmp_path / "a")
    second = write_bridge([YAML, TORCH], tmp_path / "b")
    for wheel in first.find_links.iterdir():
        assert wheel.read_bytes() == (second.find_links / wheel.name).read_bytes()
    assert first.constraints.read_bytes() == second.constraints.read_bytes()


def test_a_conda_version_pip_cannot_read_gets_no_stub(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    odd = ProvidedDistribution(
        pypi_name=canonicalize_name("jpeg"), version="9e", conda_name="libjpeg-turbo"
    )
    with caplog.at_level(logging.WARNING, logger="hybrid.pypi.stubs"):
        bridge = write_bridge([odd, TORCH], tmp_path)
    assert set(bridge.stubbed) == {"torch"}
    assert "jpeg" not in bridge.constraints.read_text()
    assert "not a PEP 440 version" in caplog.text and "libjpeg-turbo" in caplog.text


def test_a_local_label_in_the_conda_version_is_replaced(tmp_path: Path) -> None:
    dist = ProvidedDistribution(
        pypi_name=canonicalize_name("foo"), version="1.2+cpu", conda_name="foo"
    )
    bridge = write_bridge([dist], tmp_path)
    assert bridge.constraints.read_text() == "foo==1.2+conda\n"


@pytest.mark.parametrize(
    ("version", "stub"),
    [("2.6.0+conda", True), ("2.6.0", False), ("2.6.0+cpu", False), ("2.6.0+conda.1", False)],
)
def test_is_stub_version(version: str, stub: bool) -> None:
    assert is_stub_version(Version(version)) is stub


def test_stubs_of_an_earlier_compile_are_removed(tmp_path: Path) -> None:
    write_bridge([TORCH, YAML], tmp_path)
    bridge = write_bridge([YAML], tmp_path)
    assert [p.name for p in bridge.find_links.iterdir()] == ["pyyaml-6.0.2+conda-py3-none-any.whl"]


def test_one_name_provided_at_two_versions_is_a_usage_error(tmp_path: Path) -> None:
    other = ProvidedDistribution(
        pypi_name=canonicalize_name("pyyaml"), version="6.0.1", conda_name="yaml-py"
    )
    with pytest.raises(UsageError, match="provides pyyaml twice"):
        write_bridge([YAML, other], tmp_path)
    same = ProvidedDistribution(
        pypi_name=canonicalize_name("pyyaml"), version="6.0.2", conda_name="pyyaml"
    )
    assert set(write_bridge([YAML, same], tmp_path).stubbed) == {"pyyaml"}
