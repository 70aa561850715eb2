"""What `hybrid install` installs: which variant's files, for which platform, and are they fresh."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from hybrid.emit.layout import (
    REQUIREMENTS_TXT,
    explicit_filename,
    group_explicit_filename,
    group_requirements_filename,
    output_directories,
)
from hybrid.errors import StaleError, UsageError
from hybrid.readback.check import check_outputs
from hybrid.spec.model import Spec
from hybrid.spec.variants import check_group_option, chosen_variant, spec_variants

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True, slots=True)
class InstallPlan:
    """The lock files of one variant for one platform; `ignored_staleness` is why `--force`."""

    spec: Spec
    variant: str
    platform: str
    explicit: Path
    requirements: Path | None
    ignored_staleness: tuple[str, ...] = ()
    #: a dependency group installed with the base: `explicit` is then base and group, and
    #: `group_requirements` (only what the group adds) installs after `requirements`
    group: str | None = None
    group_requirements: Path | None = None
    #: the lab's own project (`project:`), installed editable after both layers
    project: Path | None = None

    def requested_specs(self) -> dict[str, str]:
        """{package name: spec} the spec asks for on this platform (recorded in conda-meta)."""
        specs = {d.name: d.spec for d in self.spec.conda_for(self.platform)}
        chosen = self.spec.group(self.group) if self.group else None
        if chosen is not None:
            specs.update({d.name: d.spec for d in chosen.conda_for(self.platform)})
        python = self.spec.python_spec()
        if python and "python" not in specs:
            specs["python"] = python
        return specs


def plan_install(
    spec: Spec,
    out_dir: Path,
    *,
    platform: str,
    variant: str | None = None,
    force: bool = False,
    group: str | None = None,
) -> InstallPlan:
    """Pick the variant's outputs for `platform` (with `group`'s on top); StaleError when
    stale, unless `force`."""
    check_group_option(spec, group)
    if platform not in spec.platforms:
        raise UsageError(
            f"{spec.path.name} does not target {platform} (platforms: "
            f"{', '.join(spec.platforms)})",
            hint=f"add {platform} to `platforms:` and run `hybrid solve`",
        )
    name, directory = _variant_directory(spec, out_dir, variant)
    report = check_outputs(spec, out_dir)
    if not report.fresh and not force:
        raise StaleError(
            f"outputs in {out_dir} are stale:\n" + "\n".join(f"  {r}" for r in report.stale),
            hint=f"run `hybrid solve {spec.path}` to re-create them, "
            "or pass --force to install them anyway",
        )
    for reason in report.stale:
        log.info("installing stale outputs (--force): %s", reason)
    requirements = directory / REQUIREMENTS_TXT
    added = None if group is None else directory / group_requirements_filename(group)
    return InstallPlan(
        spec=spec,
        variant=name,
        platform=platform,
        explicit=directory / (
            explicit_filename(platform)
            if group is None
            else group_explicit_filename(platform, group)
        ),
        requirements=requirements if requirements.is_file() else None,
        ignored_staleness=report.stale,
        group=group,
        group_requirements=added if added is not None and added.is_file() else None,
        project=spec.project_dir,
    )


def _variant_directory(spec: Spec, out_dir: Path, variant: str | None) -> tuple[str, Path]:
    pairs = {v.name: d for v, d in zip(spec_variants(spec), output_directories(spec, out_dir),
                                       strict=True)}
    name = chosen_variant(spec, list(pairs), variant)
    return name, pairs[name]
