"""Guard: one package requested in both layers (through the conda -> PyPI mapping).

Both layers meet only on a platform where the conda entry applies (`platforms:`) and the pip
requirement's PEP 508 marker holds; the marker is evaluated with the platform's values and
the spec's Python (each Python 3 minor version when the spec names none).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.errors import SpecError
from hybrid.mapping import CondaPypiMapping
from hybrid.mapping.names import is_own_name
from hybrid.platforms import marker_values
from hybrid.spec.model import Spec

# The Python 3 minor versions a spec without `python:` may solve to.
_ANY_PYTHON = tuple(f"3.{minor}" for minor in range(30))

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
    not list counts as the PyPI package of its own name (`depends_on_python=True`). A request
    installs what `CondaPypiMapping.installs` says, or may install its uncertain names; the
    vendored names the mapping lists next to a package's own (`py` -> `iniconfig`) are not.
    """
    wanted = canonicalize_name(pypi_name)
    return (entry for entry in conda if wanted in _claims(entry.name, mapping))


def providers_by_name(conda: Iterable[C], mapping: CondaPypiMapping) -> dict[str, list[C]]:
    """`conda_providers` for every PyPI name at once: canonical name -> its requests, in
    order. One pass over `conda`, where asking per pip entry is conda x pip (100,000 conda
    and 1,000 pip entries: hours)."""
    found: dict[str, list[C]] = {}
    for entry in conda:
        for name in _claims(entry.name, mapping):
            requests = found.setdefault(name, [])
            if not requests or requests[-1] is not entry:
                requests.append(entry)
    return found


def _claims(conda_name: str, mapping: CondaPypiMapping) -> tuple[str, ...]:
    """What the request installs or may install, and its own name wherever listed (pip's
    `msgpack-python` next to conda's is one package, though conda's installs `msgpack`)."""
    installs = mapping.installs(conda_name, depends_on_python=True)
    listed = mapping.pypi_names(conda_name, depends_on_python=True)
    own = (name for name in listed if is_own_name(conda_name, name))
    return (*installs.names, *installs.uncertain, *own)


def pip_applies(requirement: Requirement, platform: str, python: str | None) -> bool:
    """Whether `requirement`'s marker holds on `platform` for the spec's `python` ("3.11",
    "3.11.9"), or for some Python 3 when it is None."""
    if requirement.marker is None:
        return True
    fixed = marker_values(platform)
    return any(
        requirement.marker.evaluate({**fixed, **_python_markers(version)})
        for version in _pythons(python)
    )


def _pythons(python: str | None) -> Sequence[str]:
    """Full versions standing for `python`: itself when complete, else a minor's extremes."""
    if python is not None and python.count(".") >= 2:
        return (python,)
    minors = (python,) if python is not None else _ANY_PYTHON
    return tuple(f"{minor}.{patch}" for minor in minors for patch in (0, 99))


def _python_markers(full: str) -> dict[str, str]:
    return {
        "python_version": ".".join(full.split(".")[:2]),
        "python_full_version": full,
        "implementation_name": "cpython",
        "implementation_version": full,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
    }


def renamed(conda_name: str, pypi_name: str) -> bool:
    """Whether the conda package goes by another name on PyPI (`pytorch` / `torch`)."""
    return canonicalize_name(conda_name) != canonicalize_name(pypi_name)


def check_no_overlap(spec: Spec, mapping: CondaPypiMapping) -> None:
    """`pytorch` in conda and `torch` in pip are one package: a spec error at the pip entry,
    naming the conda entry (both located), so `validate` and `solve` refuse it alike. Entries
    that never meet on one platform (see the module docstring) are no overlap."""
    problems = []
    providers = providers_by_name(spec.conda, mapping)
    for pip_dep in spec.pip:
        wanted = canonicalize_name(pip_dep.requirement.name)
        for conda_dep in providers.get(wanted, ()):
            shared = [
                platform
                for platform in spec.platforms
                if conda_dep in spec.conda_for(platform)
                and pip_applies(pip_dep.requirement, platform, spec.python)
            ]
            if not shared:
                continue
            via = (
                f" (conda `{conda_dep.name}` installs the PyPI distribution `{wanted}`)"
                if renamed(conda_dep.name, wanted)
                else ""
            )
            where = "" if len(shared) == len(spec.platforms) else f" on {', '.join(shared)}"
            problems.append(
                f"{pip_dep.location}: {pip_dep.field} `{pip_dep.requirement}` is also requested "
                f"in the conda layer{where} at {conda_dep.location}: {conda_dep.field} "
                f"`{conda_dep.spec}`{via}; {_WAY_OUT}"
            )
    if problems:
        raise SpecError(problems, path=str(spec.path))


def check_groups_no_overlap(spec: Spec, mapping: CondaPypiMapping) -> None:
    """`check_no_overlap` for each dependency group: its entries next to the base's."""
    for group in spec.groups:
        check_no_overlap(
            replace(spec, conda=(*spec.conda, *group.conda), pip=(*spec.pip, *group.pip)),
            mapping,
        )
