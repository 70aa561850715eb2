"""The loaded conda-to-PyPI mapping: forward and reverse name lookups, and where it came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.mapping.names import (
    claim_rank,
    conda_key,
    is_own_name,
    is_pypi_name,
    is_split_name,
    rank_names,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Installs:
    """The PyPI distributions one conda package installs, as far as the mapping tells.

    `names` it installs (the bridge stubs them). `uncertain` are listed names of which it may
    install some: the mapping lists several and none is the package's own, so none is
    stubbed (pip may then add one, which is a duplicate at worst, never a lost dependency).
    """

    names: tuple[NormalizedName, ...] = ()
    uncertain: tuple[NormalizedName, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaPypiMapping:
    """Which conda packages are Python distributions, and under which PyPI names.

    Names the table does not list follow the python rule: a record that depends on
    python is a Python distribution under its own (canonicalised) name.
    """

    #: Where the table came from: a URL, a file path, or "built-in".
    source: str
    #: True when the intended source was unavailable and the built-in table stands in.
    fallback: bool = False
    #: Why the result is not the usual one (stale cache, fallback, channel without a
    #: published mapping); None when it is. Meant for a one-line notice.
    note: str | None = None
    #: conda name -> PyPI names, own name first; () = not a Python distribution.
    table: Mapping[str, tuple[NormalizedName, ...]] = field(repr=False)
    #: conda name -> exactly the PyPI names it installs (the built-in table, checked by hand);
    #: these win over `table`, which lists every name seen in any build of a package.
    exact: Mapping[str, tuple[NormalizedName, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    _reverse: Mapping[NormalizedName, tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", MappingProxyType(dict(self.table)))
        object.__setattr__(self, "exact", MappingProxyType(dict(self.exact)))
        object.__setattr__(self, "_reverse", _reverse_index(self.table))

    @classmethod
    def from_entries(
        cls,
        entries: Mapping[str, Iterable[str] | None],
        *,
        source: str,
        fallback: bool = False,
        note: str | None = None,
    ) -> CondaPypiMapping:
        """Build a mapping from plain entries (None or [] = not a Python distribution)."""
        table = {
            conda_key(conda): rank_names(conda, {canonicalize_name(n) for n in names or ()})
            for conda, names in entries.items()
        }
        return cls(source=source, fallback=fallback, note=note, table=table)

    def pypi_names(self, conda_name: str, *, depends_on_python: bool) -> tuple[NormalizedName, ...]:
        """The PyPI names listed for a conda package, own name first; () = not Python.

        A published table lists every name seen in any build (see `installs` for what one
        record installs); guards that ask "could conda install this?" read this.
        """
        key = conda_key(conda_name)
        listed = self.table.get(key)
        if listed is not None:
            return listed
        if depends_on_python and is_pypi_name(key):
            return (canonicalize_name(key),)
        return ()

    def installs(self, conda_name: str, *, depends_on_python: bool) -> Installs:
        """What a record of `conda_name` installs, not every name `table` lists for it.

        Parselmouth lists every PyPI name seen in any build of a package, vendored ones
        included (`py` -> apipkg, iniconfig, py). A package installs: its `exact` entry;
        else the listed names that are its own (`py`, `lief` for `py-lief`, `dask` for
        `dask-core`); else the one name listed (a rename: `pytorch` -> `torch`). Several
        listed names, none its own, are `uncertain`.
        """
        key = conda_key(conda_name)
        exact = self.exact.get(key)
        if exact is not None:
            return Installs(names=exact)
        listed = self.pypi_names(key, depends_on_python=depends_on_python)
        own = tuple(n for n in listed if is_own_name(key, n) or is_split_name(key, n))
        if own or len(listed) <= 1:
            return Installs(names=own or listed)
        return Installs(uncertain=listed)

    def conda_names_for(self, pypi_name: str) -> tuple[str, ...]:
        """Conda packages the table lists as installing `pypi_name`, best match first.

        Only listed names are known here; a package found by the python rule alone
        (conda `requests` is PyPI `requests`) is not.
        """
        return self._reverse.get(canonicalize_name(pypi_name), ())


def _reverse_index(
    table: Mapping[str, tuple[NormalizedName, ...]],
) -> Mapping[NormalizedName, tuple[str, ...]]:
    """PyPI name -> the conda packages claiming it, best match first (ranked only where
    several claim it: most names have one claimant, and ranking 40,000 costs 0.2 s)."""
    claimants: dict[NormalizedName, list[str]] = {}
    for conda_name, pypi_names in table.items():
        for pypi_name in pypi_names:
            claimants.setdefault(pypi_name, []).append(conda_name)

    def ranked(pypi_name: NormalizedName, condas: list[str]) -> tuple[str, ...]:
        if len(condas) == 1:
            return (condas[0],)
        return tuple(sorted(condas, key=lambda c: claim_rank(c, pypi_name, len(table[c]))))

    return MappingProxyType(
        {pypi: ranked(pypi, condas) for pypi, condas in claimants.items()}
    )
