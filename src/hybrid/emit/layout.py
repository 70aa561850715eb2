"""Where outputs go and what they are called: light, so `hybrid check` imports no solver."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from hybrid.errors import OutputError
from hybrid.spec.variants import spec_variants

if TYPE_CHECKING:
    from hybrid.spec.model import Spec
    from hybrid.spec.variants import Variant

ENVIRONMENT_YML = "environment.yml"
REQUIREMENTS_TXT = "requirements.txt"
CONDA_LOCK_YML = "conda-lock.yml"
OUTPUT_PATTERNS = (
    ENVIRONMENT_YML,
    "environment-*.yml",
    CONDA_LOCK_YML,
    "conda-*.lock",
    REQUIREMENTS_TXT,
    "requirements-*.txt",
    "pylock.toml",
    "pylock.*.toml",
)
"""Every name `expected_files` can give an output, as `fnmatch` patterns: where the outputs of
an earlier set (a group, platform, pip layer or variant since removed) can be found."""


def explicit_filename(platform: str) -> str:
    return f"conda-{platform}.lock"


def group_explicit_filename(platform: str, group: str) -> str:
    """`conda-linux-64.dev.lock`: base and group. Platforms hold no `.`, so this is never
    another platform's `conda-<platform>.lock`; variants are directories, not file names."""
    return f"conda-{platform}.{group}.lock"


def group_requirements_filename(group: str) -> str:
    """`requirements-dev.txt`: only what the group adds to requirements.txt."""
    return f"requirements-{group}.txt"


def environment_filename(platform: str) -> str:
    return f"environment-{platform}.yml"


def pylock_filename(variant: Variant) -> str:
    """`pylock.toml` for a spec without `cuda:`, else `pylock.<variant>.toml` with the variant
    as one segment (PEP 751 allows no dot in it): `pylock.cpu.toml`, `pylock.cuda126.toml`."""
    if variant.cuda is None:
        return "pylock.toml"
    return f"pylock.{variant.name.replace('-', '').replace('.', '')}.toml"


def splits_environment(spec: Spec) -> bool:
    """True when platforms can need different environment.yml lines: a platform-limited
    `conda:` entry, or CUDA variants (CUDA builds and pins only where CUDA exists). The
    rule reads only the spec, so `hybrid check` knows the file set without solving."""
    if len(spec.platforms) < 2:
        return False
    return bool(spec.cuda) or any(dep.platforms is not None for dep in spec.conda)


def output_directories(spec: Spec, out_dir: Path) -> list[Path]:
    """Where each variant's outputs go, in variant order; one variant writes into `out_dir`."""
    variants = spec_variants(spec)
    return [out_dir] if len(variants) == 1 else [out_dir / v.name for v in variants]


def expected_files(spec: Spec, directory: Path) -> list[Path]:
    """The files one variant's output set holds: requirements.txt when the base has pip
    entries, requirements-<group>.txt for each group with pip entries (even when the base's
    pins satisfy them all: then it holds no pin), pylock.toml when any of them has."""
    names = [ENVIRONMENT_YML, CONDA_LOCK_YML, *(explicit_filename(p) for p in spec.platforms)]
    if splits_environment(spec):
        names.extend(environment_filename(p) for p in spec.platforms)
    if spec.pip:
        names.append(REQUIREMENTS_TXT)
    if spec.pip or any(group.pip for group in spec.groups):
        names.append(pylock_filename(_directory_variant(spec, directory)))
    for group in spec.groups:
        names.extend(group_explicit_filename(p, group.name) for p in spec.platforms)
        if group.pip:
            names.append(group_requirements_filename(group.name))
    return [directory / name for name in names]


def _directory_variant(spec: Spec, directory: Path) -> Variant:
    """The variant whose outputs go to `directory` (as `output_directories` places them)."""
    variants = spec_variants(spec)
    if len(variants) == 1:
        return variants[0]
    return next((v for v in variants if v.name == directory.name), variants[0])


def refuse_overwriting_spec(spec: Spec, out_dir: Path) -> None:
    """Raise `OutputError` when an output `spec` writes into `out_dir` is the spec file itself
    (a spec named environment.yml, requirements.txt, … written next to itself)."""
    for directory in output_directories(spec, out_dir):
        for path in expected_files(spec, directory):
            if path.exists() and os.path.samefile(path, spec.path):
                raise OutputError(
                    f"{spec.path}: hybrid writes its output {path.name} to {path}, which is "
                    "this spec file; refusing to overwrite it",
                    hint="rename the spec (spec.yaml is the usual name), or write the outputs "
                    "elsewhere with `-o DIR`",
                )
