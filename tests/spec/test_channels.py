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
