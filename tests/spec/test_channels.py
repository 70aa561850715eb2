"""Channel names: the short name on the default alias, the mapping's bare name, and the one
rule for whether a `channel::name` entry names a listed channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.spec.channels import (
    ChannelRef,
    canonical_url,
    channel_name,
    is_listed,
    listed_channel,
    parse_mirrors,
    resolve_channels,
    short_channel,
)


@pytest.mark.parametrize(
    ("channel", "short"),
    [
        ("conda-forge", "conda-forge"),
        (" https://conda.anaconda.org/conda-forge/ ", "conda-forge"),
        ("https://conda.anaconda.org/nvidia/label/cuda-11.8.0", "nvidia/label/cuda-11.8.0"),
        ("http://conda.anaconda.org/conda-forge", "http://conda.anaconda.org/conda-forge"),
        ("https://prefix.dev/conda-forge/", "https://prefix.dev/conda-forge"),
        ("https://conda.anaconda.org/", "https://conda.anaconda.org"),
    ],
)
def test_short_channel(channel: str, short: str) -> None:
    assert short_channel(channel) == short


def test_a_channel_ref_is_named_by_its_short_canonical_url(tmp_path: Path) -> None:
    for written in ("conda-forge", "https://conda.anaconda.org/conda-forge/"):
        url = canonical_url(written, base_dir=tmp_path)
        ref = ChannelRef(written=written, canonical_url=url, location_url=url)
        assert ref.name == "conda-forge"


@pytest.mark.parametrize(
    ("channel", "name"),
    [
        ("conda-forge", "conda-forge"),
        ("Conda-Forge", "conda-forge"),
        ("https://conda.anaconda.org/conda-forge", "conda-forge"),
        ("https://conda.anaconda.org/conda-forge/", "conda-forge"),
        ("https://prefix.dev/conda-forge", "conda-forge"),
        ("https://conda.anaconda.org/pytorch/label/nightly", "pytorch"),
        ("nvidia/label/cuda-12.1.0", "nvidia"),
        ("file:///srv/mirror/conda-forge", "conda-forge"),
        ("C:\\channels\\local", "local"),
    ],
)
def test_channel_name(channel: str, name: str) -> None:
    assert channel_name(channel) == name


@pytest.mark.parametrize(
    ("written", "channels", "listed"),
    [
        ("conda-forge", ["conda-forge"], True),
        ("conda-forge", ["https://conda.anaconda.org/conda-forge/"], True),
        ("https://conda.anaconda.org/conda-forge", ["conda-forge"], True),
        ("./local", ["./sub/../local/"], True),
        ("./local", ["local"], False),
        ("pytorch", ["conda-forge"], False),
        # another host's conda-forge is another channel, as for `hybrid solve`
        ("https://prefix.dev/conda-forge", ["conda-forge"], False),
        ("conda-forge", ["https://prefix.dev/conda-forge"], False),
        ("pkgs/main", ["https://repo.anaconda.com/pkgs/main"], False),
        ("nvidia/label/cuda-11.8.0", ["nvidia"], False),
    ],
)
def test_is_listed_is_the_rule_of_listed_channel(
    tmp_path: Path, written: str, channels: list[str], listed: bool
) -> None:
    assert is_listed(written, channels, base_dir=tmp_path) is listed
    refs = resolve_channels(channels, base_dir=tmp_path, mirrors={})
    assert (listed_channel(written, refs, base_dir=tmp_path) is not None) is listed


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("https://ci:s3cret@repo.lab/private", "https://repo.lab/private"),
        ("https://conda.anaconda.org/t/tk-123/lab/", "https://conda.anaconda.org/lab"),
        ("https://repo.lab/private?token=abc", "https://repo.lab/private"),
    ],
)
def test_a_credentialed_channel_is_read_with_them_and_named_without(
    tmp_path: Path, written: str, canonical: str
) -> None:
    [ref] = resolve_channels([written], base_dir=tmp_path, mirrors={})
    assert ref.canonical_url == canonical == canonical_url(written, base_dir=tmp_path)
    assert ref.location_url == written.rstrip("/")
    assert ref.name == short_channel(canonical)
    package = f"{ref.location_url}/noarch/x-1-0.conda"
    assert ref.to_canonical(package) == f"{canonical}/noarch/x-1-0.conda"


def test_a_credentialed_mirror_keeps_them_for_reading_only(tmp_path: Path) -> None:
    mirrors = parse_mirrors(
        ["https://u:p@repo.lab/private=https://ci:s3cret@mirror.lab/private"], base_dir=tmp_path
    )
    assert mirrors == {"https://repo.lab/private": "https://ci:s3cret@mirror.lab/private"}
    [ref] = resolve_channels(["https://repo.lab/private"], base_dir=tmp_path, mirrors=mirrors)
    assert ref.location_url == "https://ci:s3cret@mirror.lab/private"
    assert ref.canonical_url == "https://repo.lab/private"


def test_a_solvers_masked_channel_name_is_the_location(tmp_path: Path) -> None:
    """rattler hands back `user:********@` for a record's channel, and the full password in
    the record's URL: both are recognised as the channel read."""
    [ref] = resolve_channels(["http://alice:pw@127.0.0.1:8000/c"], base_dir=tmp_path, mirrors={})
    assert ref.reads_from("http://alice:********@127.0.0.1:8000/c/")
    assert not ref.reads_from("http://127.0.0.1:8000/other/")
    masked = "http://alice:********@127.0.0.1:8000/c/noarch/x-1-0.conda"
    assert ref.to_canonical(masked) == "http://127.0.0.1:8000/c/noarch/x-1-0.conda"
    assert ref.to_canonical("https://elsewhere/x.conda") == "https://elsewhere/x.conda"
