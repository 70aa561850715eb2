"""Variants: one output set per entry of `cuda:` (or a single unnamed one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hybrid.errors import UsageError

if TYPE_CHECKING:
    from hybrid.spec.model import Spec


@dataclass(frozen=True, kw_only=True, slots=True)
class Variant:
    """`cuda` is None (no `cuda:` key), "cpu", or a CUDA version such as "12.6"; `driver` and
    `arch` are the entry's floors (`__cuda`, `__cuda_arch`), which do not change the name."""

    cuda: str | None
    driver: str | None = None
    arch: str | None = None

    @property
    def name(self) -> str:
        if self.cuda is None:
            return "default"
        return "cpu" if self.cuda == "cpu" else f"cuda-{self.cuda}"

    @property
    def cuda_version(self) -> str | None:
        return None if self.cuda in (None, "cpu") else self.cuda

    @property
    def driver_floor(self) -> str | None:
        """The `__cuda` version the solve sees: the driver floor, else the CUDA version."""
        version = self.cuda_version
        return None if version is None else self.driver or version


def spec_variants(spec: Spec) -> tuple[Variant, ...]:
    if not spec.cuda:
        return (Variant(cuda=None),)
    return tuple(Variant(cuda=c.version, driver=c.driver, arch=c.arch) for c in spec.cuda)


def chosen_variant(spec: Spec, names: Sequence[str], requested: str | None) -> str:
    """The variant a command's `--variant` picks among `names` (the spec's, in spec order):
    `requested`, or the only one; a UsageError when it names none or several exist."""
    listed = ", ".join(names)
    if requested is None:
        if len(names) > 1:
            raise UsageError(
                f"{spec.path.name} has {len(names)} variants ({listed}); pick one with --variant",
                hint=f"e.g. --variant {names[0]}",
            )
        return names[0]
    if requested not in names:
        raise UsageError(f"--variant {requested!r}: {spec.path.name} has {listed}")
    return requested


def check_group_option(spec: Spec, group: str | None) -> None:
    """A command's `--group` names one of the spec's dependency groups (or is not given)."""
    if group is not None and spec.group(group) is None:
        names = ", ".join(g.name for g in spec.groups) or "none"
        raise UsageError(f"--group {group!r}: {spec.path.name} has no such group (groups: {names})")
