"""Where a new repository goes and what its environment is called."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from hybrid.errors import UsageError
from hybrid.spec.location import printable

# The schema's pattern for `name`.
_VALID_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_NAME_LINE = re.compile(r"^name:[^\n]*$", re.MULTILINE)
_SHOWN = 5


def check_target(directory: Path, *, force: bool) -> None:
    """A new repository goes into a new or empty directory, or anywhere with `force`; a
    directory that cannot be looked at (a name too long, no permission) is a `UsageError`."""
    try:
        exists, is_dir = directory.exists(), directory.is_dir()
        if exists and not is_dir:
            raise UsageError(f"{directory} exists and is not a directory")
        if force or not is_dir:
            return
        entries = sorted(entry.name for entry in directory.iterdir())
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(
            f"cannot use {printable(str(directory))} as the new repository: {reason}"
        ) from None
    if entries:
        shown = ", ".join(entries[:_SHOWN]) + (", …" if len(entries) > _SHOWN else "")
        raise UsageError(
            f"{directory} is not empty ({shown})",
            hint="give a new or empty directory, or pass --force to write into this one "
            "(files of the same name are replaced, others are left alone)",
        )


def environment_name(directory: Path, recipe: str, name: str | None) -> str:
    """`name` if given (and valid); else the directory's name when it is a valid environment
    name, else the recipe's."""
    if name is not None:
        if not _VALID_NAME.match(name):
            raise UsageError(
                f"--name {name!r}: not a valid environment name",
                hint="letters, digits, `_`, `.` and `-`, starting with a letter or digit",
            )
        return name
    folder = directory.resolve().name
    return folder if _VALID_NAME.match(folder) else recipe


def with_name(spec_text: str, name: str) -> str:
    """The spec with its top-level `name:` line replaced, comments and layout kept."""
    new, count = _NAME_LINE.subn(f"name: {_yaml_scalar(name)}", spec_text, count=1)
    if count != 1:
        raise UsageError("the recipe has no top-level `name:` line to set the name on")
    return new


def _yaml_scalar(text: str) -> str:
    """`text` plain when YAML reads it back as that string, else double-quoted."""
    try:
        plain = YAML(typ="safe").load(text)
    except YAMLError:
        plain = None
    return text if plain == text else json.dumps(text)
