"""The options of a solve, typed: what the command line (or `init`) asks of the pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.conda.solver import DEFAULT_SOLVER, SolverChoice
from hybrid.pypi.resolver import DEFAULT_RESOLVER, ResolverName
from hybrid.spec.fingerprint import HashKind, output_options


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveOptions:
    """`mirrors` maps a channel name to where it is read from; `snapshot` overrides the
    spec's; `require_cuda` refuses CPU builds where a CUDA variant meets a platform without
    CUDA; `pypi_mapping` is a file or URL replacing the published conda -> PyPI mapping;
    `snapshot_strict` leaves conda records without a timestamp out of a snapshot solve."""

    cache_dir: Path
    solver: SolverChoice = DEFAULT_SOLVER
    offline: bool = False
    mirrors: Mapping[str, str] = field(default_factory=dict)
    hash_kind: HashKind = "md5"
    snapshot: dt.datetime | None = None
    snapshot_strict: bool = False
    require_cuda: bool = False
    pip_resolver: ResolverName = DEFAULT_RESOLVER
    pypi_mapping: str | None = None

    def output_shaping(self) -> dict[str, str]:
        """Options that change output content (and so belong in the input hash)."""
        return output_options(hash_kind=self.hash_kind, snapshot_strict=self.snapshot_strict)
