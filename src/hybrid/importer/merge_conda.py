"""The conda requests of every input -> the spec's `python:`, CUDA pins and `conda:` list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from hybrid.envfiles.condaspec import release_parts
from hybrid.envfiles.cuda import (
    CUDA_PIN_PACKAGES,
    FIRST_CUDA_VERSION,
    FIRST_PYTORCH_CUDA,
    CudaPin,
    conda_cuda,
    has_runtime_pin,
)
from hybrid.envfiles.inventory import CondaItem, Note
from hybrid.importer.plan import CondaEntry
from hybrid.importer.selectors import selector_platforms


@dataclass(kw_only=True, slots=True)
class CondaMerge:
    """The result, filled while the requests are read in order."""

    platforms: tuple[str, ...]
    notes: list[Note]
    #: The pytorch channel serves pytorch: `cuda:` becomes `pytorch-cuda`, not `cuda-version`.
    pytorch_channel: bool = False
    python: str | None = None
    python_from: CondaItem | None = None
    cuda_pins: list[CudaPin] = field(default_factory=list)
    entries: list[CondaEntry] = field(default_factory=list)
    #: name -> the indexes in `entries` of its entries, so adding one is not a walk of all.
    by_name: dict[str, list[int]] = field(default_factory=dict)

    def note(self, item: CondaItem, why: str) -> None:
        self.notes.append(Note(location=item.location, what=f"`{item.written}`", why=why))


def merge_conda(
    items: Sequence[CondaItem],
    platforms: tuple[str, ...],
    notes: list[Note],
    *,
    pytorch_channel: bool = False,
) -> CondaMerge:
    merge = CondaMerge(platforms=platforms, notes=notes, pytorch_channel=pytorch_channel)
    for item in items:
        if item.name == "pip":
            merge.note(item, "dropped: hybrid adds pip to the conda layer itself")
        elif item.name == "python" and python_version(item) is not None:
            _python(merge, item)
        elif _cuda_field(merge, item) is not None:
            value = _cuda_field(merge, item) or ""
            merge.cuda_pins.append(
                CudaPin(value=value, what=f"`{item.written}`", location=item.location)
            )
            merge.note(
                item,
                f'removed from `conda:`: it became `cuda: "{value}"` '
                "(hybrid adds the CUDA pin of each variant itself)",
            )
        else:
            if item.name in CUDA_PIN_PACKAGES:
                merge.note(item, _kept_cuda_pin(merge, item))
            _add(merge, item)
    if merge.python is not None:
        _drop_other_pythons(merge)
    return merge


def _cuda_field(merge: CondaMerge, item: CondaItem) -> str | None:
    """The `cuda:` value a CUDA pin becomes; None when it stays a conda entry."""
    value = conda_cuda(item)
    if value is None or has_runtime_pin(value, pytorch_channel=merge.pytorch_channel):
        return value
    return None


def _kept_cuda_pin(merge: CondaMerge, item: CondaItem) -> str:
    value = conda_cuda(item)
    if value is None:
        return (
            "kept in `conda:` as written: `cuda:` needs one major.minor "
            'version ("12.1") and this pin does not name one'
        )
    runtime, first = (
        ("pytorch-cuda", FIRST_PYTORCH_CUDA)
        if merge.pytorch_channel
        else ("cuda-version", FIRST_CUDA_VERSION)
    )
    return (
        f"kept in `conda:` as `{item.spec}`: CUDA {value} is older than the first "
        f"`{runtime}` package ({first}), the pin `cuda:` would add"
    )


def _drop_other_pythons(merge: CondaMerge) -> None:
    """`python >=3.9` next to `python=3.11`: the `python:` key is the one python pin."""
    dropped = [e for e in merge.entries if e.name == "python"]
    merge.entries = [e for e in merge.entries if e.name != "python"]
    merge.by_name = {}  # its indexes no longer hold; nothing is added after this
    for entry in dropped:
        merge.notes.append(
            Note(
                location=entry.location,
                what=f"`{entry.spec}`",
                why=f'dropped: python is pinned by `python: "{merge.python}"`',
            )
        )


def python_version(item: CondaItem) -> str | None:
    """`python=3.11` -> "3.11", `python=3.11.7=h…` -> "3.11.7"; None for a range."""
    parts = release_parts(item.version)
    return ".".join(parts) if parts and len(parts) <= 3 else None


def _python(merge: CondaMerge, item: CondaItem) -> None:
    version = python_version(item) or ""
    first = merge.python_from
    if first is None:
        merge.python, merge.python_from = version, item
        lost = [f"the build string `{item.build}`"] if item.build else []
        lost += [f"the channel `{item.channel}`"] if item.channel else []
        lost += [f"the platform limit ({item.selector})"] if item.selector else []
        if lost:
            merge.note(item, f'became `python: "{version}"`; {" and ".join(lost)} dropped')
    elif version != merge.python:
        merge.note(
            item,
            f"contradicts `{first.written}` (line {first.location.line}); "
            f'the spec keeps `python: "{merge.python}"`',
        )
    else:
        merge.note(item, f"python is already pinned at line {first.location.line}; kept once")


def _add(merge: CondaMerge, item: CondaItem) -> None:
    """Keep `item` unless it repeats or contradicts an entry for the same platforms."""
    applies, only = _platforms(merge, item)
    if not applies:
        return
    entry = CondaEntry(spec=item.spec, name=item.name, platforms=only, location=item.location)
    twins = merge.by_name.setdefault(entry.name, [])
    for index in twins:
        twin = merge.entries[index]
        if twin.spec != entry.spec and _overlap(twin.platforms, only):
            where = f"{twin.location.file}:{twin.location.line}"
            merge.note(item, f"dropped: it conflicts with `{twin.spec}` ({where}), which is kept")
            return
    for index in twins:
        twin = merge.entries[index]
        if twin.spec == entry.spec:
            merge.entries[index] = replace(twin, platforms=_union(twin, entry, merge.platforms))
            if twin.platforms is None or entry.platforms is None:
                merge.note(item, f"already listed at line {twin.location.line}; kept once")
            return
    twins.append(len(merge.entries))
    merge.entries.append(entry)


def _overlap(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    return a is None or b is None or bool(a & b)


def _platforms(merge: CondaMerge, item: CondaItem) -> tuple[bool, frozenset[str] | None]:
    """Whether the entry applies to any platform, and to which (None = all)."""
    only = item.platforms
    if item.selector is not None:
        chosen = selector_platforms(item.selector, merge.platforms)
        if chosen is None:
            merge.note(
                item,
                f"selector [{item.selector}] not understood: the entry is kept for every platform",
            )
        else:
            only = chosen if only is None else only & chosen
    if only is None:
        return True, None
    kept = only & set(merge.platforms)
    if not kept:
        merge.note(
            item,
            f"dropped: only for {', '.join(sorted(only))}, which is not among the "
            f"spec's platforms ({', '.join(merge.platforms)})",
        )
        return False, None
    return True, None if kept >= set(merge.platforms) else frozenset(kept)


def _union(a: CondaEntry, b: CondaEntry, platforms: tuple[str, ...]) -> frozenset[str] | None:
    if a.platforms is None or b.platforms is None:
        return None
    both = a.platforms | b.platforms
    return None if both >= set(platforms) else both
