"""A variant's dependency groups as files: per group `requirements-<group>.txt` (only the
pins the group adds, with hashes, used after requirements.txt with `--no-deps`; written for
every group with pip entries, as `layout.expected_files` lists it, even when the base's pins
or `promote:` leave it no pin of its own: then its header and index options, which pip takes) and
`conda-<platform>.<group>.lock` (base and group: the complete conda layer), and the group's
packages as conda-lock categories for conda-lock.yml."""

from __future__ import annotations

from pathlib import Path

from hybrid.conda.model import CondaPackage
from hybrid.emit.explicit import render_explicit
from hybrid.emit.header import Header
from hybrid.emit.layout import group_explicit_filename, group_requirements_filename
from hybrid.emit.requirements_txt import render_requirements
from hybrid.lock.model import VariantResult
from hybrid.pypi.model import PipArtifact
from hybrid.spec.fingerprint import HashKind

GROUP_KEY = "group"

#: (category, platform, package): one conda-lock.yml entry outside the `main` category.
Categorized = tuple[str, str, CondaPackage | PipArtifact]


def group_files(
    variant: VariantResult, directory: Path, header: Header, *, hash_kind: HashKind
) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for group in variant.groups:
        head = header.with_extra((GROUP_KEY, group.name))
        for solution in group.solutions:
            path = directory / group_explicit_filename(solution.platform, group.name)
            files[path] = render_explicit(solution, head, hash_kind=hash_kind)
        if group.pip:
            files[directory / group_requirements_filename(group.name)] = render_requirements(
                group.pip, header=head.lines(), index=group.pip_index
            )
    return files


def categorized_packages(variant: VariantResult) -> list[Categorized]:
    """What each group adds to the base, per platform, under the group's name as category:
    `conda-lock install` (its default `--dev`: a group named `dev`) or `-E docs` installs main
    plus it; `--no-dev` main alone."""
    out: list[Categorized] = []
    for group in variant.groups:
        for base in variant.solutions:
            out.extend((group.name, base.platform, p) for p in group.added_conda(base))
        out.extend((group.name, a.platform, a) for a in group.pip_artifacts)
    return out
