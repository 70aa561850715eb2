"""recipes/: the ready-made specs shipped with hybrid (`hybrid recipes`, `hybrid init --recipe`).

The recipes are package data in `data/<name>/` (`spec.yaml` + `README.md`), so an installed
wheel carries them. The repository's top-level `recipes/<name>/` holds symlinks to those
files (file links like `schemas/`: hatchling's sdist would drop the package data behind a
linked directory), so there is one copy.
"""

from __future__ import annotations

from hybrid.recipes.catalog import DEFAULT_RECIPE, Recipe, find_recipe, list_recipes

__all__ = ["DEFAULT_RECIPE", "Recipe", "find_recipe", "list_recipes"]
