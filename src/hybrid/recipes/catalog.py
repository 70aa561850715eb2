"""Find and read the recipes: every folder of `data/` holding a `spec.yaml` is one."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

from hybrid.errors import UsageError

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

DEFAULT_RECIPE = "base"
SPEC_FILE = "spec.yaml"
README_FILE = "README.md"


@dataclass(frozen=True, kw_only=True, slots=True)
class Recipe:
    """A shipped spec and its README, as text."""

    name: str
    spec_text: str
    readme_text: str

    @property
    def summary(self) -> str:
        """The first line of the README's description (its first paragraph after the title)."""
        return description_line(self.readme_text)


def description_line(readme: str) -> str:
    """The first line of prose: not a heading, a blank line or inside a code fence."""
    fenced = False
    for line in readme.splitlines():
        text = line.strip()
        if text.startswith("```"):
            fenced = not fenced
        elif text and not fenced and not text.startswith("#"):
            return text
    return ""


def recipes_root() -> Traversable:
    return files("hybrid.recipes") / "data"


def list_recipes() -> tuple[Recipe, ...]:
    """Every shipped recipe, sorted by name."""
    return tuple(_read(folder) for folder in _folders())


def find_recipe(name: str) -> Recipe:
    """The recipe called `name`; an unknown name is a `UsageError` with suggestions."""
    for folder in _folders():
        if folder.name == name:
            return _read(folder)
    known = [folder.name for folder in _folders()]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    guess = f"did you mean {' or '.join(f'`{c}`' for c in close)}? " if close else ""
    raise UsageError(
        f"unknown recipe `{name}`", hint=f"{guess}recipes: {', '.join(known)} (`hybrid recipes`)"
    )


def _folders() -> list[Traversable]:
    root = recipes_root()
    return sorted(
        (entry for entry in root.iterdir() if entry.is_dir() and (entry / SPEC_FILE).is_file()),
        key=lambda entry: entry.name,
    )


def _read(folder: Traversable) -> Recipe:
    readme = folder / README_FILE
    return Recipe(
        name=folder.name,
        spec_text=(folder / SPEC_FILE).read_text(encoding="utf-8"),
        readme_text=readme.read_text(encoding="utf-8") if readme.is_file() else "",
    )
