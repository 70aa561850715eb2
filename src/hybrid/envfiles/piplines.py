"""One line of pip requirements (a requirements file, an environment file's `pip:` item).

Option lines (`-r`, `-e`, `--index-url`, ...) and per-requirement options (`--hash`) are read
the way pip reads them; whatever a spec cannot hold is noted, never dropped silently.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

from hybrid.envfiles.inventory import Inventory, Item, PipItem
from hybrid.envfiles.pipurls import UnnamedReference, url_requirement
from hybrid.envfiles.text import quoted, strip_comment
from hybrid.spec.location import Location

_SHORT = {
    "-r": "--requirement",
    "-c": "--constraint",
    "-e": "--editable",
    "-i": "--index-url",
    "-f": "--find-links",
}
_TAKES_VALUE = frozenset(
    {
        "--requirement",
        "--constraint",
        "--editable",
        "--index-url",
        "--extra-index-url",
        "--find-links",
        "--trusted-host",
        "--only-binary",
        "--no-binary",
        "--hash",
        "--config-settings",
        "--global-option",
        "--install-option",
        "--use-feature",
    }
)
_INDEX_OPTIONS = frozenset({"--index-url", "--extra-index-url", "--find-links"})


@dataclass(frozen=True, kw_only=True, slots=True)
class _Line:
    """Where a pip line is and what applies to the requirements it holds."""

    where: Location
    block: int
    selector: str | None


def add_pip_line(
    inv: Inventory, raw: str, where: Location, *, block: int = 0, selector: str | None = None
) -> None:
    """Read one pip line into `inv` (a comment or blank line adds nothing).

    `selector` is the conda-lock style selector comment of an environment file's line.
    """
    line = strip_comment(raw)
    if not line:
        return
    at = _Line(where=where, block=block, selector=selector)
    if line.startswith("-"):
        _option_line(inv, line, at)
        return
    tokens = line.split()
    first_option = next((i for i, t in enumerate(tokens) if t.startswith("-")), len(tokens))
    options = _options(inv, " ".join(tokens[first_option:]), where)
    if options is None:
        return
    _requirement(inv, " ".join(tokens[:first_option]), at, options, editable=False)


def _option_line(inv: Inventory, line: str, at: _Line) -> None:
    where = at.where
    options = _options(inv, line, where)
    for name, value in options or ():
        if name == "--editable":
            _requirement(inv, value, at, [], editable=True)
        elif name == "--requirement":
            inv.includes.append(Item(text=value, location=where))
        elif name in _INDEX_OPTIONS:
            _index_list(inv, name).append(Item(text=value.strip(), location=where))
        elif name == "--constraint":
            inv.note(
                where,
                f"-c {value}",
                "constraints files are not carried over: a spec "
                "has no constraints; add the pins you need to `pip:`",
            )
        else:
            shown = f"{name} {value}".strip()
            inv.note(where, shown, "pip option not carried over: a spec has no place for it")


def _index_list(inv: Inventory, option: str) -> list[Item]:
    if option == "--index-url":
        return inv.index_urls
    return inv.extra_index_urls if option == "--extra-index-url" else inv.find_links


def _options(inv: Inventory, text: str, where: Location) -> list[tuple[str, str]] | None:
    """`--opt=value` / `--opt value` / `-rfile` pairs; None (and a problem) when malformed."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        inv.problem(where, f"cannot read the options {quoted(text)!r}: {exc}")
        return None
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.startswith("--"):
            name, eq, value = token.partition("=")
        elif token.startswith("-") and len(token) > 1:
            name, eq, value = _SHORT.get(token[:2], token[:2]), "", token[2:]
            eq = "=" if value else ""
        else:
            inv.problem(where, f"expected an option, found {quoted(token)!r}")
            return None
        if not eq and name in _TAKES_VALUE:
            if index >= len(tokens):
                inv.problem(where, f"option {name} needs a value")
                return None
            value = tokens[index]
            index += 1
        pairs.append((name, value))
    return pairs


def _requirement(
    inv: Inventory, text: str, at: _Line, options: list[tuple[str, str]], *, editable: bool
) -> None:
    where = at.where
    requirement = _parse(inv, text, where, editable=editable)
    if requirement is None:
        return
    hashes = tuple(value for name, value in options if name == "--hash")
    for name, value in options:
        if name == "--hash":
            continue
        if name == "--editable":
            inv.problem(where, "-e must start the line")
            return
        inv.note(where, f"{name} {value}".strip(), "per-requirement pip option not carried over")
    if hashes:
        inv.note(
            where,
            f"--hash on `{requirement.name}` ({len(hashes)})",
            "hashes are dropped: `hybrid solve` writes hashes for the versions it pins",
        )
    if editable:
        inv.note(
            where,
            f"-e {text}",
            f"editable install dropped: carried as `{requirement}`, "
            "installed as a regular package (a lock cannot hold an editable install)",
        )
    inv.pip.append(
        PipItem(
            requirement=requirement,
            written=text,
            location=where,
            hashes=hashes,
            editable=editable,
            block=at.block,
            selector=at.selector,
        )
    )


def _parse(inv: Inventory, text: str, where: Location, *, editable: bool) -> Requirement | None:
    if not editable:
        try:
            return Requirement(text)
        except InvalidRequirement as exc:
            error = str(exc).splitlines()[0] if str(exc) else "invalid requirement"
            if not _looks_like_reference(text):
                inv.problem(where, f"{quoted(text)!r} is not a valid requirement: {error}")
                return None
    flag = "-e " if editable else ""
    if _is_local_directory(text):
        inv.note(
            where,
            f"{flag}{text}",
            "a local path is not carried over (a lock holds published packages only): "
            f"install it after the environment with `pip install --no-deps {flag}{text}`",
        )
        return None
    try:
        return url_requirement(text)
    except UnnamedReference as exc:
        inv.note(where, f"{flag}{text}", str(exc))
        return None


_REFERENCE = re.compile(r"^([a-z][a-z0-9+.-]*://|(git|hg|svn|bzr)\+|[./\\~]|[A-Za-z]:[\\/])", re.I)
_URL = re.compile(r"^([a-z][a-z0-9+.-]*:|(git|hg|svn|bzr)\+)", re.I)
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_ARCHIVES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")


def _looks_like_reference(text: str) -> bool:
    """A URL or a path rather than a requirement: `git+https://…`, `./pkg`, `src/pkg`, `C:\\src`.

    pip reads a line holding a path separator, or starting with `.`, as a path.
    """
    return bool(_REFERENCE.match(text)) or "/" in text or "\\" in text or text.endswith(_ARCHIVES)


def _is_local_directory(text: str) -> bool:
    """`.`, `./pkg`, `src/pkg`, `..[dev]`: a project directory on the writer's machine."""
    path = text.strip()
    is_url = bool(_URL.match(path)) and not _WINDOWS_DRIVE.match(path)
    return not is_url and not path.lower().endswith(_ARCHIVES)
