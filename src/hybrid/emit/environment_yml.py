"""`environment.yml`: conda specs plus hybrid's pins, then `pip`, then the `pip:` list last.

conda and mamba read no selector comments, so a spec whose platforms need different lines
(platform-limited entries, CUDA builds on some platforms only) gets one complete file per
platform, `environment-<platform>.yml`, beside an `environment.yml` of the lines every
platform shares. Every line is built from a parsed match spec, never sliced from text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hybrid.conda.cuda import CUDA_BUILD_PACKAGES, readable_build
from hybrid.conda.model import CondaSolution
from hybrid.emit.header import Header
from hybrid.emit.yaml_text import scalar
from hybrid.redact import redact
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant


@dataclass(frozen=True, kw_only=True, slots=True)
class DependencyLine:
    """One conda line of an environment file: `text` as written for its platform, `plain`
    without the build constraint derived from that platform's solve."""

    name: str
    text: str
    plain: str


def platform_dependencies(
    spec: Spec, solution: CondaSolution, variant: Variant, added: Sequence[CondaMatchSpec]
) -> list[DependencyLine]:
    """The conda lines for one platform: its `conda:` entries (CUDA-build packages with the
    build constraint of the build solved for them), then hybrid's `added` specs, `pip` last."""
    solved = solution.by_name()
    requested = [*(d.match for d in spec.conda_for(solution.platform)), *added]
    # `pip` last, whether the spec names it or hybrid adds it (at most one of the two).
    ordered = sorted(requested, key=lambda match: match.name == "pip")
    lines = []
    for match in ordered:
        built = match
        package = solved.get(match.name)
        if variant.cuda is not None and match.name in CUDA_BUILD_PACKAGES and package:
            build = readable_build(package.build)
            built = match if build is None else match.with_build(build)
        lines.append(DependencyLine(name=match.name, text=str(built), plain=str(match)))
    return lines


def shared_lines(per_platform: Sequence[Sequence[DependencyLine]]) -> list[str]:
    """The packages every platform has, in the first platform's order; a line that differs
    between platforms (a CUDA build on one, a CPU build on another) loses its build."""
    first, *others = per_platform
    by_name = [{line.name: line for line in lines} for lines in others]
    shared = []
    for line in first:
        twins = [lines.get(line.name) for lines in by_name]
        if all(twin is not None for twin in twins):
            same = all(twin is not None and twin.text == line.text for twin in twins)
            shared.append(line.text if same else line.plain)
    return shared


def render_environment_yml(
    spec: Spec,
    header: Header,
    *,
    channels: Sequence[ChannelRef],
    dependencies: Sequence[str],
    pip_lines: Sequence[str] = (),
    note: str | None = None,
) -> str:
    """One environment file: `dependencies` as conda lines (`pip` among them when there is
    a pip layer), `pip_lines` the pinned pip layer; `note` a comment on what the file holds.
    A `channel::name` line or a direct reference names its URL without credentials."""
    lines = [*header.lines()]
    if note:
        lines.append(f"# {note}")
    lines.extend([f"name: {scalar(spec.name)}", "channels:"])
    lines.extend(f"  - {scalar(ref.name)}" for ref in channels)
    lines.append("dependencies:")
    lines.extend(f"  - {scalar(redact(text))}" for text in dependencies)
    if pip_lines:
        lines.append("  - pip:")
        lines.extend(f"      - {scalar(redact(line))}" for line in pip_lines)
    return "\n".join(lines) + "\n"
