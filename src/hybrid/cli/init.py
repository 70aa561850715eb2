"""`hybrid init [--recipe NAME] DIR`: a research-lab repository started from a recipe."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from hybrid.cache import cache_dir
from hybrid.cli.console import err_console, out_console
from hybrid.cli.solve import tell_waiting
from hybrid.init import InitRequest, RepositoryPlan, plan_repository
from hybrid.output_set import write_output_set
from hybrid.pipeline.options import SolveOptions
from hybrid.recipes import DEFAULT_RECIPE
from hybrid.spec.channels import parse_mirrors


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--recipe",
    default=DEFAULT_RECIPE,
    show_default=True,
    metavar="NAME",
    help="The spec to start from (`hybrid recipes` lists them).",
)
@click.option(
    "--name",
    metavar="NAME",
    help="Environment name in the spec (default: DIR's name, or the recipe's).",
)
@click.option("--force", is_flag=True, help="Write into DIR even when it is not empty.")
@click.option(
    "--no-solve",
    is_flag=True,
    help="Write no lock files; run `hybrid solve spec.yaml` later.",
)
@click.option(
    "--mirror",
    "mirrors",
    multiple=True,
    metavar="NAME=URL",
    help="Read channel NAME from URL (a mirror); outputs keep NAME's canonical URLs.",
)
@click.option("--offline", is_flag=True, help="Use only cached repodata; no network.")
@click.option(
    "--hook-repo",
    metavar="URL",
    help="Repository publishing hybrid's pre-commit hook, used at tag v<version> "
    "(default: a local hook that installs this hybrid version from PyPI).",
)
@click.option(
    "--pypi-mapping",
    metavar="FILE|URL",
    help="conda -> PyPI name mapping (parselmouth compressed format) for the pip layer.",
)
def init(
    directory: Path,
    recipe: str,
    name: str | None,
    force: bool,
    no_solve: bool,
    mirrors: tuple[str, ...],
    offline: bool,
    pypi_mapping: str | None,
    hook_repo: str | None,
) -> None:
    """Create DIR: spec.yaml from a recipe, its lock files, a README saying how to create the
    environment, a CI check, a pre-commit hook and a .gitignore.

    The lock files are solved now when the channels can be reached; otherwise DIR gets a
    note saying how to create them (`hybrid solve spec.yaml`), and the command still succeeds.
    """
    options = None
    if not no_solve:
        options = SolveOptions(
            cache_dir=cache_dir(),
            offline=offline,
            mirrors=parse_mirrors(mirrors, base_dir=Path.cwd()),
            pypi_mapping=pypi_mapping,
        )
    plan = plan_repository(
        InitRequest(
            directory=directory,
            recipe=recipe,
            name=name,
            force=force,
            solve=options,
            hook_repo=hook_repo,
        )
    )
    write_output_set(plan.files, directory=plan.directory, on_wait=tell_waiting)
    _report(plan)


def _report(plan: RepositoryPlan) -> None:
    err = err_console()
    for notice in plan.notices:
        err.print(f"[yellow]notice:[/] {escape(notice)}")
    spec = plan.directory / "spec.yaml"
    if not plan.solved:
        err.print(
            f"[yellow]notice:[/] no lock files written: {escape(plan.unsolved or '')}; "
            f"create them with `hybrid solve {escape(str(spec))}` where the channels are "
            "reachable (until then `hybrid check` fails)"
        )
    out = out_console()
    out.print(
        f"created {escape(str(plan.directory))} from the `{escape(plan.recipe.name)}` recipe: "
        f"{len(plan.files)} files"
    )
    for path in sorted(plan.files):
        out.print(f"  {escape(str(path.relative_to(plan.directory)))}")
    out.print(
        "next: `git init`, `pre-commit install`, then see README.md to create the environment"
    )
