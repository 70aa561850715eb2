"""Name rules shared by the mapping: PyPI name validity, dependency names, own-name matches."""

from __future__ import annotations

import re
from collections.abc import Iterable

from packaging.utils import NormalizedName, canonicalize_name

# PEP 508 distribution name.
_PYPI_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
# A conda match spec's package name ends where the version, build or brackets begin.
_SPEC_NAME_END = re.compile(r"[\s=<>!~\[]")
# Conda-forge prefixes for Python bindings whose PyPI name lacks them (py-lief -> lief).
_BINDING_PREFIXES = ("py-", "python-")
# Suffixes of conda split packages whose Python part carries the upstream name (dask-core).
_SPLIT_SUFFIXES = ("-base", "-core")


def is_pypi_name(name: str) -> bool:
    """Whether `name` is a valid PyPI distribution name (PEP 508)."""
    return _PYPI_NAME.match(name) is not None


def conda_key(conda_name: str) -> str:
    """The form conda names are compared in (conda names are case-insensitive)."""
    return conda_name.strip().lower()


def dependency_name(match_spec: str) -> str:
    """The package name of a conda match spec from a record's `depends`.

    >>> dependency_name("python >=3.10,<3.11.0a0")
    'python'
    >>> dependency_name("conda-forge::numpy[version='>=1.26']")
    'numpy'
    """
    spec = match_spec.strip()
    if "::" in spec:
        spec = spec.split("::", 1)[1]
    return conda_key(_SPEC_NAME_END.split(spec, maxsplit=1)[0])


def depends_on_python(depends: Iterable[str]) -> bool:
    """Whether a record's `depends` (its match specs) names `python`."""
    return any(dependency_name(spec) == "python" for spec in depends)


def is_own_name(conda_name: str, pypi_name: str) -> bool:
    """Whether `pypi_name` is the conda package's own name (py-lief and lief count as one)."""
    target = canonicalize_name(pypi_name)
    key = conda_key(conda_name)
    stems = [key, *(key[len(p) :] for p in _BINDING_PREFIXES if key.startswith(p))]
    return any(canonicalize_name(stem) == target for stem in stems if stem)


def is_split_name(conda_name: str, pypi_name: str) -> bool:
    """Whether `pypi_name` is a split package's upstream name (`dask-core` -> `dask`)."""
    key = conda_key(conda_name)
    stems = (key[: -len(s)] for s in _SPLIT_SUFFIXES if key.endswith(s))
    return any(canonicalize_name(stem) == canonicalize_name(pypi_name) for stem in stems if stem)


def rank_names(conda_name: str, pypi_names: set[NormalizedName]) -> tuple[NormalizedName, ...]:
    """Order PyPI names for one conda package: its own name first, then alphabetically."""
    if len(pypi_names) < 2:
        return tuple(pypi_names)
    return tuple(sorted(pypi_names, key=lambda n: (not is_own_name(conda_name, n), n)))


def claim_rank(conda_name: str, pypi_name: str, claimed: int) -> tuple[bool, int, bool, str]:
    """Sort key of a conda package's claim on a PyPI name; the smallest is the best match.

    The package's own name first, then the package claiming the fewest names, then one
    that is not a `lib*` C library, then by conda name.
    """
    key = conda_key(conda_name)
    return (not is_own_name(key, pypi_name), claimed, key.startswith("lib"), key)
