"""What a container recipe does, whatever its format: the steps a Dockerfile and an Apptainer
definition share.

From a base image pinned by digest, the conda layer is created from the platform's explicit
file with micromamba (every URL carries its hash), then the pip layer is installed with
`--no-deps --require-hashes`, then `pip check` and an import of the spec's top-level
packages. Nothing is solved inside the image. The lock files are copied in one at a time,
each just before the step that reads it, so a change to requirements.txt rebuilds only the
pip layer. With a dependency group (`group`), the conda layer is the group's explicit file
(base and group) and its `requirements-<group>.txt` installs after requirements.txt.

A version-control pin has no hash, and pip refuses it in hash-checking mode, which any
`--hash` in the file turns on (with or without `--require-hashes`). A file holding such pins
is installed in two steps: its other lines with `--require-hashes`, then only its options
and those pins without it; the recipe says so in a comment.

The default base image is micromamba 2.3.3, `docker.io/mambaorg/micromamba:2.3.3` at the
digest below: the digest a published third-party record names for that tag (no registry is
reachable where hybrid was built, so it is not verified here). `--base-image` replaces it;
any replacement must be pinned by digest too and provide `micromamba` on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from hybrid import __version__
from hybrid.errors import UsageError
from hybrid.export.locks import ExportSource, VariantLock
from hybrid.readback.diff import MAIN

DEFAULT_BASE_IMAGE = (
    "docker.io/mambaorg/micromamba:2.3.3"
    "@sha256:800e7ade3ffe29c9a9ac2026163131495f8197c3852e572c5835beb4e8a33cd6"
)
ENV_PREFIX = "/opt/env"
LOCK_DIR = "/opt/hybrid"
CONTAINER_PLATFORMS = ("linux-64", "linux-aarch64")
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


@dataclass(frozen=True, kw_only=True, slots=True)
class LockCopy:
    """A lock file: where it is, relative to the recipe's directory, and where it goes."""

    source: str
    target: str


@dataclass(frozen=True, kw_only=True, slots=True)
class PipStep:
    """One requirements file of the pip layer, and its version-control pins (no hash)."""

    copy: LockCopy
    unhashable: tuple[str, ...] = ()

    def note(self) -> str | None:
        """The comment a recipe carries when this step cannot check every hash."""
        if not self.unhashable:
            return None
        return (f"{', '.join(self.unhashable)}: version-control pin(s), no hash possible; "
                "installed without --require-hashes (every other pin keeps it)")

    def command(self, python: str) -> str:
        target = self.copy.target
        if not self.unhashable:
            return _pip_install(python, target, require_hashes=True)
        names = "|".join(self.unhashable)
        hashed, vcs = "/tmp/hybrid-hashed.txt", "/tmp/hybrid-vcs.txt"
        return " && ".join([
            f"grep -v -E {shlex.quote(f'^({names}) @ ')} {target} > {hashed}",
            _pip_install(python, hashed, require_hashes=True),
            f"grep -E {shlex.quote(f'^(--|({names}) @ )')} {target} > {vcs}",
            _pip_install(python, vcs, require_hashes=False),
            f"rm {hashed} {vcs}",
        ])


def _pip_install(python: str, requirements: str, *, require_hashes: bool) -> str:
    hashes = " --require-hashes" if require_hashes else ""
    return f"{python} -m pip install --no-deps{hashes} --no-cache-dir -r {requirements}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ContainerRecipe:
    base_image: str
    platform: str
    variant: str
    explicit: LockCopy
    #: requirements.txt, then the group's requirements file when there is one
    pip_steps: tuple[PipStep, ...]
    modules: tuple[str, ...]
    comment: tuple[str, ...]
    #: the conda layer has pip: `pip check` can run (without a pip layer it may not)
    has_pip: bool

    @property
    def python(self) -> str:
        return f"{ENV_PREFIX}/bin/python"

    def conda_command(self) -> str:
        return (
            f"micromamba create --yes --prefix {ENV_PREFIX} --file {self.explicit.target}"
            " && micromamba clean --all --yes"
        )

    def check_commands(self) -> tuple[str, ...]:
        commands = [f"{self.python} -m pip check"] if self.has_pip else []
        if self.modules:
            code = "; ".join(f"import {m}" for m in self.modules)
            commands.append(f"{self.python} -c {shlex.quote(code)}")
        return tuple(commands)


def container_recipe(
    source: ExportSource,
    variant: VariantLock,
    *,
    platform: str,
    base_image: str,
    modules: tuple[str, ...],
    recipe_dir: Path,
    group: str | None = None,
) -> ContainerRecipe:
    """The recipe for `variant` on `platform` (with `group` on the base), its lock files
    named relative to `recipe_dir` (the build context)."""
    if platform not in CONTAINER_PLATFORMS:
        raise UsageError(
            f"--platform {platform}: containers are built for {' or '.join(CONTAINER_PLATFORMS)}",
        )
    if not _DIGEST.search(base_image):
        raise UsageError(
            f"--base-image {base_image}: not pinned by digest",
            hint="give it as NAME@sha256:<64 hex digits>, so every build starts from the same "
            "image",
        )
    locked = variant.platform(platform)
    chosen = locked.group(group) if group is not None else None
    explicit_path = chosen.explicit if chosen is not None else locked.explicit
    explicit = _copy(explicit_path, recipe_dir)
    steps = []
    if variant.requirements is not None and locked.pip:
        steps.append(_step(variant.requirements, variant, recipe_dir, MAIN))
    if chosen is not None and chosen.requirements is not None and chosen.pip:
        steps.append(_step(chosen.requirements, variant, recipe_dir, chosen.name))
    where = f"{platform}" if variant.name == "default" else f"{platform}, variant {variant.name}"
    if group is not None:
        where += f", group {group}"
    comment = (
        f"Generated by hybrid {__version__} from {source.spec.path.name} ({where}); "
        "do not edit.",
        f"Re-create with `hybrid export` after `hybrid solve`. input-hash: {source.input_hash}",
    )
    return ContainerRecipe(
        base_image=base_image, platform=platform, variant=variant.name, explicit=explicit,
        pip_steps=tuple(steps), modules=modules, comment=comment,
        has_pip=any(p.name == "pip" for p in (*locked.conda, *(chosen.conda if chosen else ()))),
    )


def _copy(path: Path, recipe_dir: Path) -> LockCopy:
    return LockCopy(source=_relative(path, recipe_dir), target=f"{LOCK_DIR}/{path.name}")


def _step(requirements: Path, variant: VariantLock, recipe_dir: Path, category: str) -> PipStep:
    """The step installing `requirements`, which holds `category`'s pins of every platform
    (`main`, or a group's)."""
    pins = [
        dist
        for locked in variant.platforms
        for dist in (locked.pip if category == MAIN else locked.group(category).pip)
    ]
    unhashable = sorted({canonicalize_name(d.name) for d in pins if not d.hashable})
    return PipStep(copy=_copy(requirements, recipe_dir), unhashable=tuple(unhashable))


def _relative(path: Path, recipe_dir: Path) -> str:
    """`path` relative to `recipe_dir`, with `/`; a file outside it cannot be copied in."""
    relative = Path(os.path.relpath(path.resolve(), recipe_dir.resolve()))
    if relative.parts and relative.parts[0] == "..":
        raise UsageError(
            f"{path} is outside {recipe_dir}, the directory the recipe is built from",
            hint="write the recipe into the lock's directory or one above it (-o)",
        )
    return relative.as_posix()
