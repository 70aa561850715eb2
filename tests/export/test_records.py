"""A conda package the repodata cache does not have gets a record from the lock alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.export.locks import CondaLocked
from hybrid.export.records import build_number, cached_records, record_for

PACKAGE = CondaLocked(
    name="numpy", version="2.1.1", build="py311h0_3",
    url="https://conda.anaconda.org/nowhere-hybrid-test/linux-64/numpy-2.1.1-py311h0_3.conda",
    channel="https://conda.anaconda.org/nowhere-hybrid-test", md5="0" * 32, sha256="1" * 64,
    depends=("python >=3.11,<3.12.0a0",),
)


@pytest.mark.parametrize(("build", "number"), [("py311h0_3", 3), ("h0", 0), ("0", 0),
                                               ("h0_0_cpython", 0), ("5_cp311", 0)])
def test_build_number_is_the_trailing_number_after_an_underscore(build: str, number: int) -> None:
    assert build_number(build) == number


def test_a_package_missing_from_the_cache_keeps_the_locks_fields(tmp_path: Path) -> None:
    cached = cached_records([PACKAGE], platform="linux-64", cache_dir=tmp_path)
    assert cached == {}
    record = record_for(PACKAGE, cached)
    assert (record.name.normalized, str(record.version), str(record.build)) == (
        "numpy", "2.1.1", "py311h0_3")
    assert record.build_number == 3
    assert record.url == PACKAGE.url
    assert record.sha256 is not None and record.sha256.hex() == PACKAGE.sha256
    assert record.md5 is not None and record.md5.hex() == PACKAGE.md5
    assert list(record.depends) == list(PACKAGE.depends)
    assert record.license is None
