"""init/: `hybrid init` — a research-lab repository started from a recipe.

The templates (README, CI workflow, pre-commit configuration, .gitignore) are package data
in `templates/`; `plan_repository` returns every file as text and writes nothing.
"""

from __future__ import annotations

from hybrid.init.repository import InitRequest, RepositoryPlan, plan_repository

__all__ = ["InitRequest", "RepositoryPlan", "plan_repository"]
