"""What a `lock()` run may borrow from its caller instead of making its own: a solver other
runs share (its repodata read once), the conda -> PyPI mappings loaded once per source, and
where progress goes. A single `hybrid solve` uses the defaults; a batch shares one of each."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.conda.solver import CondaSolver
from hybrid.mapping import CondaPypiMapping, mapping_for_channels
from hybrid.mapping.load import mapping_channel
from hybrid.pipeline.progress import Progress, no_progress


class MappingCache:
    """`mapping_for_channels`, loaded (fetched, parsed) once per mapping source and then
    shared: specs whose channels lead to the same mapping get the same immutable object.
    Safe across threads; a load that fails is not remembered."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str | None, str | None, bool, Path], CondaPypiMapping] = {}
        self._loading = threading.Lock()

    def load(
        self,
        channels: tuple[str, ...],
        *,
        override: str | None,
        offline: bool,
        cache_dir: Path,
    ) -> CondaPypiMapping:
        key = (mapping_channel(channels, override=override), override, offline, cache_dir)
        with self._loading:  # one load per source, not one per waiting spec
            found = self._loaded.get(key)
            if found is None:
                found = mapping_for_channels(
                    channels, override=override, offline=offline, cache_dir=cache_dir
                )
                self._loaded[key] = found
            return found


@dataclass(frozen=True, kw_only=True, slots=True)
class RunContext:
    """`solver` None: the run makes its own; `mappings` None: it loads its own mapping."""

    solver: CondaSolver | None = None
    mappings: MappingCache | None = None
    progress: Progress = field(default=no_progress)

    def mapping(
        self, channels: tuple[str, ...], *, override: str | None, offline: bool, cache_dir: Path
    ) -> CondaPypiMapping:
        if self.mappings is None:
            return mapping_for_channels(
                channels, override=override, offline=offline, cache_dir=cache_dir
            )
        return self.mappings.load(
            channels, override=override, offline=offline, cache_dir=cache_dir
        )
