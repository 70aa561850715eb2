"""Shared by the recipe tests: which snapshot channels a recipe needs, records by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from hybrid.recipes import Recipe

SUBDIRS = ("noarch", "linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64")


def spec_data(recipe: Recipe) -> dict[str, Any]:
    data = YAML(typ="safe").load(recipe.spec_text)
    assert isinstance(data, dict)
    return data


def channels(recipe: Recipe) -> list[str]:
    found = spec_data(recipe).get("channels", ["conda-forge"])
    assert isinstance(found, list)
    return [str(c) for c in found]


def mirror_args(recipe: Recipe, shared_channels: Path) -> list[str]:
    """`--mirror NAME=<snapshot>/NAME` for every channel of the recipe."""
    args = []
    for channel in channels(recipe):
        assert (shared_channels / channel).is_dir(), f"no snapshot of channel {channel}"
        args += ["--mirror", f"{channel}={shared_channels / channel}"]
    return args


def snapshot_records(shared_channels: Path, channel: str, name: str) -> list[str]:
    """`subdir/filename` of every record called `name` in the snapshot of `channel`."""
    found = []
    for subdir in SUBDIRS:
        path = shared_channels / channel / subdir / "repodata.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("packages", "packages.conda"):
            found += [
                f"{subdir}/{filename}"
                for filename, record in data.get(key, {}).items()
                if record.get("name") == name
            ]
    return sorted(found)
