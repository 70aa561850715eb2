"""Several inputs -> one `ImportPlan`: conda from environment and explicit files, pip from all."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from hybrid.conda.cuda import uses_pytorch_channel
from hybrid.envfiles.channels import merge_channels
from hybrid.envfiles.cuda import CPU_PIN_PACKAGES, CUDA_PIN_PACKAGES, CudaPin
from hybrid.envfiles.inventory import CondaItem, Inventory, Note, PipItem
from hybrid.envfiles.text import quoted
from hybrid.importer.merge_conda import merge_conda
from hybrid.importer.merge_pip import merge_index, merge_pip, with_selectors
from hybrid.importer.plan import ImportPlan
from hybrid.importer.secrets import without_secrets
from hybrid.importer.selectors import named_platforms
from hybrid.mapping import builtin_mapping
from hybrid.platforms import DEFAULT_PLATFORMS, PIP_PLATFORMS, PLATFORMS, has_pip_layer
from hybrid.spec.location import Location, printable

_NAME_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
# Conda requests an import turns into spec keys (or drops) rather than `conda:` entries.
_NOT_KEPT = frozenset({"pip", "python", *CUDA_PIN_PACKAGES, *CPU_PIN_PACKAGES})


def plan_import(
    inventories: Sequence[Inventory],
    *,
    output: Path,
    channel_map: Mapping[str, str] | None = None,
) -> ImportPlan:
    """Merge what the inputs hold; everything not carried as written becomes a note.

    `channel_map` ({old: new} channel names) replaces channels, `defaults` included.
    No credentials are carried (`without_secrets`).
    """
    inventories = [without_secrets(inv) for inv in inventories]
    notes = [note for inv in inventories for note in inv.notes]
    conda_files = [inv for inv in inventories if inv.kind in ("environment", "explicit")]
    items = [item for inv in conda_files for item in inv.conda]
    pip_items = [p for inv in inventories for p in inv.pip]
    platforms = _platforms(conda_files, items, pip_items, notes)
    pip_items = _pip_items(pip_items, platforms, notes)
    channels = merge_channels(
        conda_files,
        items,
        platforms=platforms,
        channel_map=channel_map or {},
        notes=notes,
    )
    conda = merge_conda(
        channels.items,
        platforms,
        notes,
        pytorch_channel=uses_pytorch_channel(
            channels.channels, [item.name for item in channels.items]
        ),
    )
    pins = conda.cuda_pins
    pip = merge_pip(
        with_selectors(pip_items, platforms, notes), conda.entries, builtin_mapping(), notes, pins
    )
    index = merge_index(inventories, notes, pins)
    _build_strings(conda_files, platforms, notes)
    return ImportPlan(
        sources=tuple(printable(inv.display) for inv in inventories),
        name=_name(conda_files, output, notes),
        channels=channels.channels,
        platforms=platforms,
        python=conda.python,
        cuda=_cuda(pins, notes),
        conda=tuple(conda.entries),
        pip=tuple(pip),
        pip_index=index,
        notes=tuple(sorted(notes, key=_note_order)),
    )


def _note_order(note: Note) -> tuple[str, int, int]:
    return (note.location.file, note.location.line, note.location.column)


def _platforms(
    files: Sequence[Inventory],
    items: Sequence[CondaItem],
    pip: Sequence[PipItem],
    notes: list[Note],
) -> tuple[str, ...]:
    """Explicit files' subdirs and `platforms:` keys; else the defaults (+ `# [aarch64]`).

    With pip requirements, platforms no pip layer can be compiled for are dropped, unless
    no other platform is left (then `_pip_items` drops the requirements).
    """
    declared = _declared_platforms(files, notes)
    if not declared:
        selectors = [(i.selector, i.location) for i in items] + [
            (p.selector, p.location) for p in pip
        ]
        for selector, where in selectors:
            for platform in named_platforms(selector or ""):
                declared.setdefault(platform, where)
        declared.update((p, None) for p in DEFAULT_PLATFORMS)
    chosen = tuple(p for p in PLATFORMS if p in declared)
    if not pip or not any(has_pip_layer(p) for p in chosen):
        return chosen
    return _with_pip_layer(chosen, declared, notes)


def _with_pip_layer(
    chosen: Sequence[str], declared: Mapping[str, Location | None], notes: list[Note]
) -> tuple[str, ...]:
    """The platforms of `chosen` a pip layer can be compiled for; a note for each other."""
    for platform in chosen:
        named_at = declared[platform]
        if not has_pip_layer(platform) and named_at is not None:
            notes.append(
                Note(
                    location=named_at,
                    what=f"platform {platform}",
                    why="dropped: the pip requirements need a pip layer, which uv compiles "
                    f"for {', '.join(PIP_PLATFORMS)} only",
                )
            )
    return tuple(p for p in chosen if has_pip_layer(p))


def _declared_platforms(
    files: Sequence[Inventory], notes: list[Note]
) -> dict[str, Location | None]:
    """The platforms explicit files and `platforms:` keys name, each where it is first named."""
    declared: dict[str, Location | None] = {}
    for inv in files:
        for item in inv.platforms:
            if item.text in PLATFORMS:
                declared.setdefault(item.text, item.location)
            else:
                notes.append(
                    Note(
                        location=item.location,
                        what=f"platform {quoted(item.text)}",
                        why=f"dropped: not one of {', '.join(PLATFORMS)}",
                    )
                )
    return declared


def _pip_items(
    items: Sequence[PipItem], platforms: Sequence[str], notes: list[Note]
) -> list[PipItem]:
    """`items`, or none when no platform of the spec can carry a pip layer."""
    if any(has_pip_layer(p) for p in platforms):
        return list(items)
    for item in items:
        notes.append(
            Note(
                location=item.location,
                what=f"`{quoted(item.written)}`",
                why=f"dropped: no platform of the spec ({', '.join(platforms)}) can carry a "
                "pip layer; add the package to conda instead",
            )
        )
    return []


def _cuda(pins: list[CudaPin], notes: list[Note]) -> str | None:
    if not pins:
        return None
    first = pins[0]
    for pin in pins[1:]:
        if pin.value != first.value:
            notes.append(
                Note(
                    location=pin.location,
                    what=pin.what,
                    why=f"contradicts the CUDA pin {first.what} ({first.location.file}:"
                    f'{first.location.line}); the spec keeps `cuda: "{first.value}"`',
                )
            )
    return first.value


def _name(files: Sequence[Inventory], output: Path, notes: list[Note]) -> str:
    named = next((inv.name for inv in files if inv.name is not None), None)
    written = named.text if named is not None else output.resolve().parent.name
    name = _NAME_BAD.sub("-", written).lstrip("-_.").rstrip("-") or "environment"
    if named is not None and name != written:
        notes.append(
            Note(
                location=named.location,
                what=f"name: {quoted(written)}",
                why=f"became `{name}` (letters, digits, `_`, `.` and `-` only)",
            )
        )
    return name


def _build_strings(
    files: Sequence[Inventory], platforms: tuple[str, ...], notes: list[Note]
) -> None:
    """Build strings from `conda env export` exist on one platform: say so once per file."""
    if len(platforms) < 2:
        return
    for inv in files:
        pinned = [
            item
            for item in inv.conda
            if item.build and item.platforms is None and item.name not in _NOT_KEPT
        ]
        if pinned:
            notes.append(
                Note(
                    location=pinned[0].location,
                    what=f"{len(pinned)} build-string pin(s) such as `{pinned[0].written}`",
                    why="kept, but a build string names one platform's "
                    "build: solving for the other platforms will likely fail; remove the build "
                    "strings or narrow `platforms:`",
                )
            )
