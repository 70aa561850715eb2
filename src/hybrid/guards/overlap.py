"""Guard: one package requested in both layers (through the conda -> PyPI mapping)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from packaging.utils import canonicalize_name

from hybrid.errors import SpecError
from hybrid.mapping import CondaPypiMapping
from hybrid.spec.model import Spec

_WAY_OUT = (
    "keep it in one layer: `conda:` for conda's build (CUDA, MKL), `pip:` if only PyPI has "
    "the version you need"
)


class _CondaRequest(Protocol):
    @property
    def name(self) -> str: ...


C = TypeVar("C", bound=_CondaRequest)


def conda_providers(pypi_name: str, conda: Iterable[C], mapping: CondaPypiMapping) -> Iterator[C]:
    """The requests of `conda` that install the PyPI distribution `pypi_name`, in order.

    A request is not yet a record whose dependencies could be read, so one the mapping does
    not list counts as the PyPI package of its own name (`depends_on_python=True`).
    """
    wanted = canonicalize_name(pypi_name)
    return (
        entry for entry in conda if wanted in mapping.pypi_names(entry.name, depends_on_python=True)
    )


def renamed(conda_name: str, pypi_name: str) -> bool:
    """Whether the conda package goes by another name on PyPI (`pytorch` / `torch`)."""
    return canonicalize_name(conda_name) != canonicalize_name(pypi_name)


def check_no_overlap(spec: Spec, mapping: CondaPypiMapping) -> None:
    """`pytorch` in conda and `torch` in pip are one package: a spec error at the pip entry,
    naming the conda entry (both located), so `validate` and `solve` refuse it alike."""
    problems = []
    for pip_dep in spec.pip:
        wanted = canonicalize_name(pip_dep.requirement.name)
        for conda_dep in conda_providers(wanted, spec.conda, mapping):
            via = (
                f" (conda `{conda_dep.name}` installs the PyPI distribution `{wanted}`)"
                if renamed(conda_dep.name, wanted)
                else ""
            )
            problems.append(
                f"{pip_dep.location}: {pip_dep.field} `{pip_dep.requirement}` is also requested "
                f"in the conda layer at {conda_dep.location}: {conda_dep.field} "
                f"`{conda_dep.spec}`{via}; {_WAY_OUT}"
            )
    if problems:
        raise SpecError(problems, path=str(spec.path))
