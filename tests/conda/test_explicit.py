"""The one reading of an explicit file's package line, shared by `readback/` and `envfiles/`."""

from __future__ import annotations

import pytest

from hybrid.conda.explicit import (
    ExplicitEntry,
    ExplicitLineError,
    is_marker,
    parse_entry,
    parse_url,
    split_line,
)

CF = "https://conda.anaconda.org/conda-forge"
MD5 = "a502d7aad449a1206efb366d6a12c52d"
SHA = "3f4365e11b28e244c95ba8579942b0802761ba7bb31c026f50d1a9ea9c728149"


def test_a_url_becomes_name_version_build_subdir_and_channel() -> None:
    entry = parse_url(f"{CF}/linux-64/numpy-1.26.4-py311h64a7726_0.conda")
    assert (entry.name, entry.version, entry.build) == ("numpy", "1.26.4", "py311h64a7726_0")
    assert (entry.subdir, entry.channel_url, entry.channel) == ("linux-64", CF, "conda-forge")
    assert entry.md5 is None and entry.sha256 is None


@pytest.mark.parametrize(
    ("url", "channel"),
    [
        ("https://conda.anaconda.org/nvidia/label/cuda-11.8.0/linux-64/cuda-11.8.0-0.tar.bz2",
         "nvidia/label/cuda-11.8.0"),
        ("https://repo.anaconda.com/pkgs/main/noarch/six-1.16.0-pyhd3eb1b0_1.conda",
         "https://repo.anaconda.com/pkgs/main"),
        ("file:///srv/channel/noarch/pkg-1.0-0.tar.bz2", "file:///srv/channel"),
    ],
)
def test_the_channel_is_named_as_a_spec_writes_it(url: str, channel: str) -> None:
    assert parse_url(url).channel == channel


@pytest.mark.parametrize(
    ("fragment", "md5", "sha256"),
    [("", None, None), (MD5, MD5, None), (MD5.upper(), MD5, None), (f"sha256:{SHA}", None, SHA)],
)
def test_the_hash_after_the_url(fragment: str, md5: str | None, sha256: str | None) -> None:
    url = f"{CF}/noarch/tzdata-2024a-h0c530f3_0.tar.bz2"
    line = f"  {url}#{fragment}  " if fragment else url
    assert parse_entry(line) == ExplicitEntry(url=url, md5=md5, sha256=sha256)


@pytest.mark.parametrize(
    ("line", "text", "why"),
    [
        ("numpy-1.26.4-0.conda", "numpy-1.26.4-0.conda", "not the URL of a conda package"),
        ("https://host/a-1-0.conda", "https://host/a-1-0.conda", "not the URL of a conda"),
        (f"{CF}/linux-64/numpy.whl", f"{CF}/linux-64/numpy.whl", "not the URL of a conda"),
        (f"{CF}/linux-64/numpy.conda", "numpy.conda", "is not name-version-build"),
        (f"{CF}/linux-64/numpy--0.conda", "numpy--0.conda", "is not name-version-build"),
        ("http://[::1/x/y.conda", "http://[::1/x/y.conda", "is not a URL"),
        (f"{CF}/linux-64/a-1-0.conda#sha256:{MD5}", f"#sha256:{MD5}", "neither an md5 nor"),
        (f"{CF}/linux-64/a-1-0.conda#xyz", "#xyz", "neither an md5 nor a sha256"),
    ],
)
def test_errors_name_the_part_at_fault(line: str, text: str, why: str) -> None:
    with pytest.raises(ExplicitLineError) as info:
        parse_entry(line)
    assert info.value.text == text
    assert why in info.value.why
    assert str(info.value).startswith(f"`{text}` ")


def test_split_line_and_the_marker() -> None:
    assert split_line(f" {CF}/noarch/a-1-0.conda # {MD5} ") == (f"{CF}/noarch/a-1-0.conda", MD5)
    assert split_line("x") == ("x", "")
    assert is_marker("  @EXPLICIT\r")
    assert not is_marker("# @EXPLICIT")
