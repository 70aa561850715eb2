"""The "provided" set: PyPI distributions that a solved conda layer already installs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.utils import NormalizedName
from packaging.version import InvalidVersion, Version

from hybrid.mapping.cuda import CondaRecordLike, cuda_wheel_claims
from hybrid.mapping.model import CondaPypiMapping
from hybrid.mapping.names import claim_rank, depends_on_python

logger = logging.getLogger(__name__)

_Rank = tuple[tuple[bool, int, bool, str], str]


@dataclass(frozen=True, kw_only=True, slots=True)
class ProvidedDistribution:
    """A PyPI distribution the conda layer installs, at the conda record's version."""

    pypi_name: NormalizedName
    #: The conda version string, as solved; not always PEP 440 (see `pep440`).
    version: str
    conda_name: str
    #: The extras the PyPI release of this version declares (PEP 685 names), and their
    #: requirements (`Requires-Dist` lines whose marker names an extra); the bridge's stub
    #: declares them, so pip adds what a requested extra needs (`hybrid.pypi.extras`).
    extras: tuple[NormalizedName, ...] = ()
    extra_requires: tuple[Requirement, ...] = ()
    #: a pin of the base's pip layer shown as installed to a dependency group's compile
    #: (`conda_name` then names the pin), not a conda package
    base_pip_pin: bool = False

    @property
    def pep440(self) -> Version | None:
        """The version as PEP 440, or None when the conda version is not PEP 440."""
        return pep440_version(self.version)


def pep440_version(conda_version: str) -> Version | None:
    """`conda_version` as a packaging Version, or None when it is not PEP 440 (e.g. `9e`)."""
    try:
        return Version(conda_version)
    except InvalidVersion:
        return None


def provided_distributions(
    records: Iterable[CondaRecordLike], mapping: CondaPypiMapping
) -> dict[NormalizedName, ProvidedDistribution]:
    """PyPI name -> what provides it, for the records of one solved conda environment.

    A record provides what it installs (`CondaPypiMapping.installs`), never the vendored or
    historical names the mapping also lists for it (conda `py` provides `py`, not
    `iniconfig`): a stub for a name conda does not install would silently drop that
    dependency from the pip layer. When several records claim one PyPI name, the best claim
    wins (see `claim_rank`: the record whose own name it is, then the one claiming fewest).
    Conda CUDA libraries also provide the NVIDIA wheels holding the same libraries
    (`libcublas` 12.6.4.1 is `nvidia-cublas-cu12` 12.6.4.1, see `hybrid.mapping.cuda`), so
    the pip layer never brings a second CUDA runtime for them.
    """
    records = list(records)
    claims: dict[NormalizedName, list[tuple[_Rank, ProvidedDistribution]]] = {}
    for record in records:
        installs = mapping.installs(
            record.name, depends_on_python=depends_on_python(record.depends)
        )
        if installs.uncertain:
            logger.info(
                "conda %s may install %s (the mapping lists several names, none its own): "
                "not presented to pip as installed",
                record.name, ", ".join(installs.uncertain),
            )
        names = installs.names
        for pypi_name in names:
            dist = ProvidedDistribution(
                pypi_name=pypi_name, version=record.version, conda_name=record.name
            )
            claims.setdefault(pypi_name, []).append((_rank(dist, len(names)), dist))
    for wheel, claim in cuda_wheel_claims(records).items():
        if wheel not in claims:
            dist = ProvidedDistribution(
                pypi_name=wheel, version=claim.version, conda_name=claim.conda_name
            )
            claims[wheel] = [(_rank(dist, 1), dist)]
    provided: dict[NormalizedName, ProvidedDistribution] = {}
    for pypi_name in sorted(claims):
        winner, *others = (dist for _, dist in sorted(claims[pypi_name], key=lambda c: c[0]))
        provided[pypi_name] = winner
        for other in others:
            logger.debug(
                "%s: conda %s wins over %s", pypi_name, winner.conda_name, other.conda_name
            )
    return provided


def _rank(dist: ProvidedDistribution, claimed: int) -> _Rank:
    """Sort key of one claim on a PyPI name; the smallest wins."""
    return (claim_rank(dist.conda_name, dist.pypi_name, claimed), dist.version)
