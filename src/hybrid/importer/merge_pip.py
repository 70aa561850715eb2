"""The pip requirements and index options of every input -> the spec's `pip:` and `pip-index:`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.envfiles.cuda import CudaPin, index_cuda, local_label, pip_cuda, without_local_label
from hybrid.envfiles.inventory import Inventory, Item, Note, PipItem
from hybrid.guards.overlap import providers_by_name, renamed
from hybrid.importer.plan import CondaEntry, PipIndexPlan
from hybrid.importer.selectors import platforms_marker, selector_platforms
from hybrid.mapping import CondaPypiMapping
from hybrid.platforms import PLATFORMS


def merge_pip(
    items: Sequence[PipItem],
    conda: Sequence[CondaEntry],
    mapping: CondaPypiMapping,
    notes: list[Note],
    cuda_pins: list[CudaPin],
) -> list[str]:
    """The `pip:` list: CUDA local labels become CUDA pins, conda-provided packages go."""
    kept: dict[tuple[str, str], tuple[Requirement, PipItem]] = {}
    providers = providers_by_name(conda, mapping)
    for item in items:
        requirement = item.requirement
        value = pip_cuda(requirement)
        if value is not None:
            cuda_pins.append(CudaPin(value=value, what=f"`{requirement}`", location=item.location))
            requirement = without_local_label(requirement)
            notes.append(
                _note(
                    item,
                    f"the local label +{local_label(item.requirement)} is "
                    f'dropped: it became `cuda: "{value}"`',
                )
            )
        if canonicalize_name(requirement.name) == "pip":
            notes.append(_note(item, "dropped: hybrid adds pip to the conda layer itself"))
            continue
        provider = next(iter(providers.get(canonicalize_name(requirement.name), ())), None)
        if provider is not None:
            via = (
                f" (conda `{provider.name}` is PyPI `{requirement.name}`)"
                if renamed(provider.name, requirement.name)
                else ""
            )
            notes.append(
                _note(
                    item,
                    f"dropped: the conda layer provides it: `{provider.spec}` "
                    f"({provider.location.file}:{provider.location.line}){via}; "
                    "hybrid installs each package from one layer, conda first",
                )
            )
            continue
        key = (canonicalize_name(requirement.name), str(requirement.marker or ""))
        twin = kept.get(key)
        if twin is None:
            kept[key] = (requirement, item)
        elif str(twin[0]) == str(requirement):
            notes.append(_note(item, f"already listed at {_where(twin[1])}; kept once"))
        else:
            notes.append(
                _note(
                    item,
                    f"dropped: it conflicts with `{twin[0]}` at {_where(twin[1])}, which is kept",
                )
            )
    return [str(requirement) for requirement, _ in kept.values()]


def with_selectors(
    items: Sequence[PipItem], platforms: Sequence[str], notes: list[Note]
) -> list[PipItem]:
    """Selector comments (`- psutil  # [linux64]`) as PEP 508 markers: a spec's pip entries
    have no per-platform form, so the marker names exactly the selector's platforms."""
    kept = []
    for item in items:
        moved = item if item.selector is None else _with_selector(item, platforms, notes)
        if moved is not None:
            kept.append(moved)
    return kept


def _with_selector(item: PipItem, platforms: Sequence[str], notes: list[Note]) -> PipItem | None:
    selector = item.selector or ""
    what = f"`{item.written}  # [{selector}]`"
    chosen = selector_platforms(selector, PLATFORMS)
    if chosen is None:
        why = f"selector [{selector}] not understood: the requirement is kept for every platform"
        notes.append(Note(location=item.location, what=what, why=why))
        return item
    if chosen >= frozenset(PLATFORMS):
        return item
    marker = platforms_marker(chosen)
    if marker is None or not chosen & set(platforms):
        only = ", ".join(sorted(chosen)) or "no platform"
        why = f"dropped: only for {only}, none of them a platform of the spec with a pip layer"
        notes.append(Note(location=item.location, what=what, why=why))
        return None
    requirement = Requirement(str(item.requirement))
    old = item.requirement.marker
    requirement.marker = Marker(f"({old}) and ({marker})" if old is not None else marker)
    why = f"became `{requirement}`: a spec's pip entries carry platforms as markers"
    notes.append(Note(location=item.location, what=what, why=why))
    return replace(item, requirement=requirement)


def merge_index(
    inventories: Sequence[Inventory], notes: list[Note], cuda_pins: list[CudaPin]
) -> PipIndexPlan:
    """One index URL (the first; later ones become extra index URLs), extras, find-links."""
    index_url: str | None = None
    extras: list[str] = []
    links: list[str] = []
    for inv in inventories:
        for item in inv.index_urls:
            url = item.text.strip()
            _cuda(item, cuda_pins)
            if not url:
                continue
            if index_url is None or index_url == url:
                index_url = url
                continue
            notes.append(
                Note(
                    location=item.location,
                    what=f"--index-url {url}",
                    why=f"a spec has one index URL ({index_url}, the first seen): "
                    "this one became an extra index URL",
                )
            )
            _append(extras, url)
        for item in inv.extra_index_urls:
            _cuda(item, cuda_pins)
            _append(extras, item.text.strip())
        for item in inv.find_links:
            _cuda(item, cuda_pins)
            _append(links, item.text.strip())
    return PipIndexPlan(
        index_url=index_url, extra_index_urls=tuple(extras), find_links=tuple(links)
    )


def _cuda(item: Item, pins: list[CudaPin]) -> None:
    value = index_cuda(item.text)
    if value is not None:
        pins.append(CudaPin(value=value, what=item.text.strip(), location=item.location))


def _append(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def _note(item: PipItem, why: str) -> Note:
    return Note(location=item.location, what=f"`{item.written}`", why=why)


def _where(item: PipItem) -> str:
    return f"{item.location.file}:{item.location.line}"
