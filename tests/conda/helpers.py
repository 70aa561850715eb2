"""Helpers for tests that run real solves: generated channels, reading explicit files."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hybrid.cli.main import main
from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.devtools.local_channel import PackageSpec, build_channel
from tests.conftest import CliResult

CONDA_FORGE_URL = "https://conda.anaconda.org/conda-forge"
EXPLICIT_MARKER = "@EXPLICIT"



@dataclass(frozen=True, kw_only=True, slots=True)
class ExplicitLine:
    """One `URL#hash` line of an explicit file."""

    url: str
    hash_kind: str
    digest: str

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[1]

    @property
    def name(self) -> str:
        """The package name: the file name without its last two `-` fields."""
        return self.filename.rsplit("-", 2)[0]

    @property
    def version(self) -> str:
        return self.filename.rsplit("-", 2)[1]


def package(
    name: str, version: str = "1.0", build: str = "0", *depends: str, subdir: str = "linux-64"
) -> CondaPackage:
    """A solved conda-forge package, as a solver returns it (for tests that need no solve)."""
    filename = f"{name}-{version}-{build}.conda"
    return CondaPackage(
        name=name,
        version=version,
        build=build,
        build_number=0,
        subdir=subdir,
        channel=CONDA_FORGE_URL,
        url=f"{CONDA_FORGE_URL}/{subdir}/{filename}",
        fn=filename,
        md5=None,
        sha256=None,
        depends=depends,
    )


def solution(platform: str, *packages: CondaPackage) -> CondaSolution:
    """One platform's solution holding `packages`, in that (install) order."""
    request = SolveRequest(platform=platform, specs=(), channels=(), virtual_packages=())
    return CondaSolution(request=request, packages=packages)


def make_channel(root: Path, packages: Iterable[PackageSpec]) -> Path:
    """A real, indexed conda channel at `root` (rebuilt from scratch)."""
    return build_channel(root, list(packages), clean=True)


def explicit_lines(path: Path) -> list[ExplicitLine]:
    """The package lines after `@EXPLICIT`; fails on anything unexpected after it."""
    text = path.read_text(encoding="utf-8")
    head, marker, body = text.partition(EXPLICIT_MARKER + "\n")
    assert marker, f"{path}: no {EXPLICIT_MARKER} line"
    assert all(line.startswith("#") for line in head.splitlines()), head
    out = []
    for line in body.splitlines():
        url, sep, fragment = line.partition("#")
        assert sep, f"{path}: unhashed line {line!r}"
        kind, colon, digest = fragment.partition(":")
        if not colon:
            kind, digest = "md5", fragment
        out.append(ExplicitLine(url=url, hash_kind=kind, digest=digest))
    return out


def header_fields(path: Path) -> dict[str, str]:
    """`# key: value` lines of a file's leading comment block."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(": ")
        if sep and " " not in key:
            fields[key] = value
    return fields


def read_tree(directory: Path) -> dict[str, bytes]:
    """Every file under `directory`, by relative POSIX path."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def channel_index(channel_dir: Path, canonical: str) -> dict[str, dict[str, Any]]:
    """{canonical package URL: repodata record} over every subdir of a channel directory."""
    index: dict[str, dict[str, Any]] = {}
    for repodata in sorted(channel_dir.glob("*/repodata.json")):
        data = json.loads(repodata.read_text(encoding="utf-8"))
        subdir = data.get("info", {}).get("subdir", repodata.parent.name)
        for key in ("packages", "packages.conda"):
            records: Mapping[str, dict[str, Any]] = data.get(key, {})
            for filename, record in records.items():
                index[f"{canonical}/{subdir}/{filename}"] = record
    return index


def invoke(*args: str | os.PathLike[str]) -> CliResult:
    """Run `hybrid ARGS…` in-process, like the `run_cli` fixture, for module-scoped fixtures."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(exit_code=code, stdout=out.getvalue(), stderr=err.getvalue())
