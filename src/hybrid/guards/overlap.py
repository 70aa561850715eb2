"""Guard: one package requested in both layers (through the conda -> PyPI mapping)."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from hybrid.errors import SpecError
from hybrid.mapping import CondaPypiMapping
from hybrid.spec.model import Spec

_WAY_OUT = (
    "keep it in one layer: `conda:` for conda's build (CUDA, MKL), `pip:` if only PyPI has "
    "the version you need"
)


def check_no_overlap(spec: Spec, mapping: CondaPypiMapping) -> None:
    """`pytorch` in conda and `torch` in pip are one package: a spec error at the pip entry,
    naming the conda entry (both located), so `validate` and `solve` refuse it alike."""
    problems = []
    for pip_dep in spec.pip:
        wanted = canonicalize_name(pip_dep.requirement.name)
        for conda_dep in spec.conda:
            names = mapping.pypi_names(conda_dep.name, depends_on_python=True)
            if wanted not in names:
                continue
            via = "" if canonicalize_name(conda_dep.name) == wanted else (
                f" (conda `{conda_dep.name}` installs the PyPI distribution `{wanted}`)"
            )
            problems.append(
                f"{pip_dep.location}: {pip_dep.field} `{pip_dep.requirement}` is also requested "
                f"in the conda layer at {conda_dep.location}: {conda_dep.field} "
                f"`{conda_dep.spec}`{via}; {_WAY_OUT}"
            )
    if problems:
        raise SpecError(problems, path=str(spec.path))
