"""Guard, after every conda solve: a `cpu` variant holds no CUDA package, whatever the
channel metadata lets in (a silent CUDA build in a CPU environment is a wrong lock)."""

from __future__ import annotations

from hybrid.conda.cuda import cuda_leaks, dependents
from hybrid.conda.model import CondaSolution
from hybrid.errors import VariantError
from hybrid.spec.variants import Variant


def check_cpu_variant(variant: Variant, solutions: tuple[CondaSolution, ...]) -> None:
    """A `cpu` variant must hold no CUDA package, whatever the channel metadata says."""
    if variant.cuda != "cpu":
        return
    for solution in solutions:
        leaks = cuda_leaks(solution)
        if leaks:
            lines = [
                f"  {p.name} {p.version} {p.build}"
                + (
                    f" (needed by {', '.join(dependents(solution, p.name))})"
                    if dependents(solution, p.name)
                    else ""
                )
                for p in leaks
            ]
            raise VariantError(
                f"the cpu variant for {solution.platform} would install CUDA packages:\n"
                + "\n".join(lines),
                hint="the channel metadata lets a CUDA build in; pin a CPU build of the "
                "package that needs it (e.g. `pytorch * *cpu*`) or exclude it",
            )


