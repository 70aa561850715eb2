"""The loaded conda-to-PyPI mapping: forward and reverse name lookups, and where it came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.mapping.names import claim_rank, conda_key, is_pypi_name, rank_names


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
    _reverse: Mapping[NormalizedName, tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", MappingProxyType(dict(self.table)))
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
        """The PyPI names a conda package installs, own name first; () = not Python."""
        key = conda_key(conda_name)
        listed = self.table.get(key)
        if listed is not None:
            return listed
        if depends_on_python and is_pypi_name(key):
            return (canonicalize_name(key),)
        return ()

    def conda_names_for(self, pypi_name: str) -> tuple[str, ...]:
        """Conda packages the table lists as installing `pypi_name`, best match first.

        Only listed names are known here; a package found by the python rule alone
        (conda `requests` is PyPI `requests`) is not.
        """
        return self._reverse.get(canonicalize_name(pypi_name), ())


def _reverse_index(
    table: Mapping[str, tuple[NormalizedName, ...]],
) -> Mapping[NormalizedName, tuple[str, ...]]:
    claims: dict[NormalizedName, list[tuple[tuple[bool, int, bool, str], str]]] = {}
    for conda_name, pypi_names in table.items():
        for pypi_name in pypi_names:
            rank = claim_rank(conda_name, pypi_name, len(pypi_names))
            claims.setdefault(pypi_name, []).append((rank, conda_name))
    return MappingProxyType(
        {pypi: tuple(conda for _, conda in sorted(ranks)) for pypi, ranks in claims.items()}
    )
