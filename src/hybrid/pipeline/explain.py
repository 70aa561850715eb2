"""Unsatisfiable conda solves restated in the spec's terms: the entries involved, with their
file positions, and the variant's CUDA/CPU build rule when it is the reason."""

from __future__ import annotations

import re

from hybrid.conda.cuda import CUDA_BUILD_PACKAGES
from hybrid.conda.requests import entries_named_in
from hybrid.errors import CondaUnsatisfiableError
from hybrid.spec.model import Spec


def explained(spec: Spec, exc: CondaUnsatisfiableError) -> CondaUnsatisfiableError:
    """Add the spec entries the solver's explanation names, with their file positions."""
    involved = entries_named_in(spec, exc.platform, exc.explanation)
    lines = [exc.explanation.rstrip()]
    named = [f"  {dep.location}: {dep.field} `{dep.spec}`" for dep in involved]
    python = spec.python_match()
    if python is not None and spec.python_location and "python" in exc.explanation:
        named.append(f"  {spec.python_location}: python `{spec.python}` (`{python}`)")
    runtime = ("cuda-version", "pytorch-cuda", "cpuonly")
    if spec.cuda_location and any(name in exc.explanation for name in runtime):
        cuda = ", ".join(map(str, spec.cuda))
        named.append(f"  {spec.cuda_location}: cuda {cuda} (the {exc.label} pin)")
    named.extend(_floor_lines(spec, exc))
    if named:
        lines.append("spec entries involved:")
        lines.extend(named)
    kind = "CUDA" if exc.label.startswith("cuda-") else "CPU" if exc.label == "cpu" else None
    constrained = sorted(d.name for d in involved if d.name in CUDA_BUILD_PACKAGES)
    if kind and constrained:
        lines.append(
            f"in the {exc.label} variant hybrid accepts only {kind} builds of "
            f"{', '.join(constrained)}; none fits here, and a silent fallback is never taken"
        )
    return CondaUnsatisfiableError(
        platform=exc.platform, explanation="\n".join(lines), label=exc.label
    )


_WOULD_REQUIRE = re.compile(r"(?P<package>[^\s─└├│]+) (?P<version>\S+) would require")
_FLOOR = re.compile(r"(?P<spec>(?P<name>__cuda(?:_arch)?)\b[^,]*?)(?:, for which|$)")


def _floor_lines(spec: Spec, exc: CondaUnsatisfiableError) -> list[str]:
    """A package needing a newer driver (`__cuda`) or GPU (`__cuda_arch`) than the variant's
    `cuda:` entry declares, restated as that entry with its file position."""
    entry = next((c for c in spec.cuda if f"cuda-{c.version}" == exc.label), None)
    if entry is None:
        return []
    where = entry.location or spec.cuda_location
    lines: list[str] = []
    package = None
    for text in exc.explanation.splitlines():
        found = _WOULD_REQUIRE.search(text)
        if found:
            package = f"{found['package']} {found['version']}"
            continue
        floor = _FLOOR.search(text)
        if floor is None or package is None:
            continue
        need = " ".join(floor["spec"].split())
        if floor["name"] == "__cuda":
            lines.append(
                f"  {where}: {entry.field} `{entry}`: the {exc.label} variant must run on "
                f"drivers for CUDA {entry.driver_floor} (`__cuda={entry.driver_floor}`), but "
                f"{package} needs `{need}`, a newer driver; raise the entry's `driver`, or "
                f"keep {package.split()[0]} out of this variant"
            )
        else:
            declared = f"GPUs of compute capability {entry.arch}" if entry.arch else "no GPU floor"
            lines.append(
                f"  {where}: {entry.field} `{entry}`: the {exc.label} variant declares "
                f"{declared} (`arch`), but {package} needs `{need}`; raise the entry's `arch` "
                f"to what the target GPUs have, or keep {package.split()[0]} out of this variant"
            )
    return lines
