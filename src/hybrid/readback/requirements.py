"""Read the pip layer `requirements.txt` back: the pins that apply to one environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.errors import UsageError
from hybrid.pypi.reqfile import parse_compiled


@dataclass(frozen=True, kw_only=True, slots=True)
class LockedPin:
    """`name==version` (or `name @ url`, then `version` is None) of the pip layer."""

    name: NormalizedName
    version: str | None
    url: str | None

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else f"{self.name} @ {self.url}"


def read_pins(path: Path, markers: Mapping[str, str] | None = None) -> list[LockedPin]:
    """The pins of `path` whose marker holds in `markers` (all of them when None)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    pins = []
    for line in parse_compiled(text, tool=str(path)):
        requirement = line.requirement
        marker = requirement.marker
        if markers is not None and marker is not None and not marker.evaluate(dict(markers)):
            continue
        exact = [s.version for s in requirement.specifier if s.operator in ("==", "===")]
        pins.append(
            LockedPin(
                name=canonicalize_name(requirement.name),
                version=exact[0] if exact else None,
                url=requirement.url,
            )
        )
    return pins
