"""Unsatisfiable conda solves restated in the spec's terms: the entries involved, with their
file positions, and the variant's CUDA/CPU build rule when it is the reason."""

from __future__ import annotations

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
        named.append(f"  {spec.cuda_location}: cuda {', '.join(spec.cuda)} (the {exc.label} pin)")
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
