"""`environment.yml`: conda specs as written plus hybrid's pins, then `pip`, then `pip:` last."""

from __future__ import annotations

from collections.abc import Sequence

from hybrid.conda.channels import ChannelRef
from hybrid.conda.cuda import CUDA_BUILD_PACKAGES, with_build
from hybrid.emit.header import Header
from hybrid.emit.yaml_text import scalar
from hybrid.platforms import SELECTORS
from hybrid.spec.model import Spec


def render_environment_yml(
    spec: Spec,
    header: Header,
    *,
    channels: Sequence[ChannelRef],
    added: Sequence[str],
    pip_lines: Sequence[str] = (),
    build: str | None = None,
) -> str:
    """`added` are the specs hybrid adds (python pin, pip); `pip_lines` the pinned pip layer;
    `build` the variant's build glob for packages that come in CPU and CUDA builds."""
    lines = [*header.lines(), f"name: {scalar(spec.name)}", "channels:"]
    lines.extend(f"  - {scalar(ref.name)}" for ref in channels)
    lines.append("dependencies:")
    for dep in spec.conda:
        if dep.name == "pip":
            continue
        text = dep.spec
        if build and dep.name in CUDA_BUILD_PACKAGES:
            text = with_build(dep.spec, build)
        lines.append(f"  - {scalar(text)}{_selector(dep.platforms, spec.platforms)}")
    lines.extend(f"  - {scalar(text)}" for text in added if text.split()[0] != "pip")
    pip_dep = next((d for d in spec.conda if d.name == "pip"), None)
    if pip_dep is not None or "pip" in added or pip_lines:
        lines.append(f"  - {scalar(pip_dep.spec) if pip_dep else 'pip'}")
    if pip_lines:
        lines.append("  - pip:")
        lines.extend(f"      - {scalar(line)}" for line in pip_lines)
    return "\n".join(lines) + "\n"


def _selector(only: frozenset[str] | None, platforms: Sequence[str]) -> str:
    """conda-lock style selector comment, e.g. `  # [win64]`, for platform-limited entries."""
    if only is None or set(platforms) <= only:
        return ""
    return "  # [" + " or ".join(SELECTORS[p] for p in sorted(only)) + "]"
