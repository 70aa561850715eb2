"""Plan a research-lab repository from a recipe: the spec, its lock files (when the channels
can be reached), a README, a CI check, a pre-commit hook and a .gitignore. Nothing is written
here: the plan is {path: text}, for `write_files_atomically`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from hybrid import DISTRIBUTION, __version__
from hybrid.errors import HybridError
from hybrid.init.hook import pre_commit_repos
from hybrid.init.readme import files_table, install_section, status_section, variants_section
from hybrid.init.solve import solve_outputs
from hybrid.init.target import check_target, environment_name, with_name
from hybrid.init.templates import render_templates
from hybrid.pipeline.options import SolveOptions
from hybrid.recipes import DEFAULT_RECIPE, Recipe, find_recipe
from hybrid.spec import load_spec
from hybrid.spec.model import Spec

SPEC_FILE = "spec.yaml"


@dataclass(frozen=True, kw_only=True, slots=True)
class InitRequest:
    """`solve=None` writes no lock files (`--no-solve`); `hook_repo=None` writes a local
    pre-commit hook (`hybrid.init.hook`)."""

    directory: Path
    recipe: str = DEFAULT_RECIPE
    name: str | None = None
    force: bool = False
    solve: SolveOptions | None = None
    hook_repo: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RepositoryPlan:
    directory: Path
    recipe: Recipe
    spec: Spec
    files: Mapping[Path, str]
    notices: tuple[str, ...] = ()
    unsolved: str | None = None

    @property
    def solved(self) -> bool:
        return self.unsolved is None


def plan_repository(request: InitRequest) -> RepositoryPlan:
    check_target(request.directory, force=request.force)
    hooks = pre_commit_repos(request.hook_repo, __version__)  # a bad URL fails before solving
    recipe = find_recipe(request.recipe)
    name = environment_name(request.directory, recipe.name, request.name)
    spec_text = with_name(recipe.spec_text, name)
    spec_path = request.directory / SPEC_FILE
    with _staged(spec_text, spec_path) as spec:
        outcome = solve_outputs(spec, request.solve)
    values = {
        "name": spec.name,
        "recipe": recipe.name,
        "summary": recipe.summary,
        "version": __version__,
        "distribution": DISTRIBUTION,
        "pre_commit_repos": hooks,
        "status": status_section(outcome.unsolved),
        "variants": variants_section(spec),
        "install": install_section(spec),
        "files": files_table(spec),
    }
    files = {spec_path: spec_text}
    files.update((request.directory / rel, text) for rel, text in render_templates(values).items())
    files.update(outcome.files)
    return RepositoryPlan(
        directory=request.directory,
        recipe=recipe,
        spec=spec,
        files=files,
        notices=outcome.notices,
        unsolved=outcome.unsolved,
    )


@contextmanager
def _staged(spec_text: str, spec_path: Path) -> Iterator[Spec]:
    """The spec loaded from a temporary copy, as if it were at `spec_path` already.

    Nothing is written into the target before everything is planned; errors that locate
    a problem in the temporary copy are made to name `spec_path` instead.
    """
    with tempfile.TemporaryDirectory(prefix="hybrid-init-") as tmp:
        staged = Path(tmp) / SPEC_FILE
        staged.write_text(spec_text, encoding="utf-8")
        try:
            yield replace(load_spec(staged), path=spec_path)
        except HybridError as exc:
            exc.message = exc.message.replace(str(staged), str(spec_path))
            exc.args = (exc.message,)
            raise
