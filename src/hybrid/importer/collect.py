"""Read the inputs of an import, following `-r other.txt` relative to the file that names it.

`-r https://…` is fetched (`importer.remote`) and read like a local file, and includes inside it
are relative to its URL, as pip reads them. A remote file never stops an import: when it
cannot be fetched, or holds lines that cannot be read, that is a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from hybrid.envfiles.inventory import Inventory, Item, Problem
from hybrid.envfiles.read import read_inventory
from hybrid.envfiles.reqfile import read_requirements
from hybrid.envfiles.text import decode, quoted, read_bytes, without_credentials
from hybrid.errors import FetchError, SpecError, UsageError
from hybrid.importer.remote import fetch_text, is_remote
from hybrid.spec.location import Location
from hybrid.spec.schema import control_character
from hybrid.spec.schema_errors import refused_control_character

Seen = set[Path | str]


def collect(inputs: Sequence[Path]) -> list[Inventory]:
    """Every input, then the files it includes; all parse problems in one `SpecError`."""
    inventories: list[Inventory] = []
    seen: Seen = set()
    for path in inputs:
        inv = read_inventory(path)
        if inv.kind == "spec":
            raise UsageError(
                f"{path}: is already a hybrid spec; nothing to import",
                hint=f"check it with `hybrid validate {path}`",
            )
        seen.add(path.resolve())
        _add(inv, inventories, seen)
    problems: list[Problem] = [p for inv in inventories for p in inv.problems]
    if problems:
        problems.sort(key=lambda p: (p[0].file, p[0].line, p[0].column))
        raise SpecError(
            [f"{where}: {message}" for where, message in problems],
            path=None if len(inputs) > 1 else str(inputs[0]),
        )
    return inventories


def _add(inv: Inventory, inventories: list[Inventory], seen: Seen) -> None:
    _refuse_control_characters(inv)
    inventories.append(inv)
    for include in inv.includes:
        reference = _reference(inv, include.text)
        if reference is not None and is_remote(reference):
            included = _remote(inv, include, reference, seen)
        elif inv.url is not None:
            why = "not followed: a remote requirements file can only include http(s) URLs"
            inv.note(include.location, f"-r {include.text}", why)
            included = None
        else:
            included = _local(inv, include, include.text, seen)
        if included is not None:
            _add(included, inventories, seen)


def _refuse_control_characters(inv: Inventory) -> None:
    """What a spec carries holds no control character: the schema refuses one (a line break
    in an index URL would be a line of its own in requirements.txt). Located problems in a
    local file; in a fetched one, notes, and the value is not carried."""
    for items in (inv.channels, inv.index_urls, inv.extra_index_urls, inv.find_links):
        items[:] = [item for item in items if _clean(inv, item.text, item.location)]
    inv.pip = [item for item in inv.pip if _clean(inv, str(item.requirement), item.location)]
    inv.conda = [item for item in inv.conda if _clean(inv, item.spec, item.location)]


def _clean(inv: Inventory, text: str, where: Location) -> bool:
    code = control_character(text)
    if code is None:
        return True
    why = refused_control_character(code)
    if inv.url is None:
        inv.problem(where, f"{quoted(text)!r} {why}")
    else:
        inv.note(where, quoted(text), f"not imported: it {why}")
    return False


def _reference(inv: Inventory, text: str) -> str | None:
    """What `-r text` names: a URL (joined to a remote includer's URL) or a local path."""
    if inv.url is not None:
        return urljoin(inv.url, text.strip())
    if is_remote(text):
        return text.strip()
    return None


def _local(inv: Inventory, include: Item, reference: str, seen: Seen) -> Inventory | None:
    try:
        target = _target(inv, reference)
        key = target.resolve()
    except (ValueError, RuntimeError, OSError) as exc:  # NUL bytes, `~user` unknown
        inv.problem(include.location, f"-r {quoted(include.text)}: not a usable path: {exc}")
        return None
    if key in seen:
        inv.note(include.location, f"-r {include.text}", "already read; included once")
        return None
    seen.add(key)
    return _read_included(inv, include, target)


def _target(inv: Inventory, text: str) -> Path:
    """The file `-r text` names; `file:` URLs are paths too (as pip reads them)."""
    parts = urlsplit(text)
    if parts.scheme.lower() == "file":
        return Path(url2pathname(parts.path))
    path = Path(text).expanduser()
    return path if path.is_absolute() else inv.path.parent / path


def _read_included(inv: Inventory, include: Item, target: Path) -> Inventory | None:
    try:
        raw = read_bytes(target)
    except UsageError as exc:
        inv.problem(include.location, f"-r {quoted(include.text)}: {exc.message}")
        return None
    text, why = decode(raw)
    if text is None:
        inv.problem(include.location, f"-r {quoted(include.text)}: {why}")
        return None
    return read_requirements(target, str(target), text)


def _remote(inv: Inventory, include: Item, url: str, seen: Seen) -> Inventory | None:
    """The fetched file, its unreadable lines turned into notes; None (noted) on failure."""
    shown = f"-r {quoted(without_credentials(url), limit=200)}"
    if url in seen:
        inv.note(include.location, shown, "already read; included once")
        return None
    seen.add(url)
    try:
        text = fetch_text(url)
    except FetchError as exc:
        inv.note(
            include.location,
            shown,
            f"a remote requirements file, not fetched ({exc}): its requirements are not "
            "imported; add them to `pip:`, or download the file and import it too",
        )
        return None
    name = PurePosixPath(urlsplit(url).path).name or "requirements.txt"
    included = read_requirements(Path(name), without_credentials(url), text)
    included.url = url
    for where, message in included.problems:
        included.note(where, "line not imported", message)
    included.problems.clear()
    inv.note(
        include.location,
        shown,
        f"fetched: its {len(included.pip)} requirement(s) are imported (the spec holds "
        "them, not the URL: edit the spec from now on)",
    )
    return included
