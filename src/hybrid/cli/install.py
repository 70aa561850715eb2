"""`hybrid install [SPEC] (--prefix PATH | -n NAME)`: create the environment on this machine."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from hybrid.cache import cache_dir
from hybrid.cli.console import err_console, out_console
from hybrid.errors import UsageError
from hybrid.install import (
    DEFAULT_INSTALLER,
    ENVS_DIR_ENV,
    INSTALLERS,
    InstallOptions,
    InstallReport,
    VerificationError,
    current_platform,
    install_environment,
    named_prefix,
    plan_install,
)
from hybrid.spec import load_spec
from hybrid.spec.channels import parse_mirrors


@click.command()
@click.argument(
    "spec_path", metavar="[SPEC]", required=False, default="spec.yaml",
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option("-o", "--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where `hybrid solve` wrote the outputs (default: the spec's directory).")
@click.option("-p", "--prefix", metavar="PATH", type=click.Path(path_type=Path, file_okay=False),
              help="Create the environment at PATH.")
@click.option("-n", "--name", "env_name", metavar="NAME",
              help=f"Create the environment in ${ENVS_DIR_ENV}/NAME (default ~/.hybrid/envs/NAME).")
@click.option("--variant", metavar="NAME", help="Which variant to install (required when several).")
@click.option("--group", metavar="NAME",
              help="Also install this dependency group (`groups:` in the spec) on the base.")
@click.option("--force", is_flag=True, help="Install even when the outputs are stale.")
@click.option("--installer", type=click.Choice(sorted(INSTALLERS)), default=DEFAULT_INSTALLER,
              show_default=True, help="Pip-layer installer: uv, or pip inside the environment.")
@click.option("--mirror", "mirrors", multiple=True, metavar="NAME=URL",
              help="Download channel NAME's packages from URL (hashes are still checked).")
@click.option("--no-verify", is_flag=True, help="Skip `pip check` and the import check.")
def install(
    spec_path: Path,
    output_dir: Path | None,
    prefix: Path | None,
    env_name: str | None,
    variant: str | None,
    group: str | None,
    force: bool,
    installer: str,
    mirrors: tuple[str, ...],
    no_verify: bool,
) -> None:
    """Create the environment SPEC's outputs describe, for this machine's platform.

    The conda layer comes from conda-<platform>.lock (every package checked against its
    hash), then the pip layer from requirements.txt (--no-deps --require-hashes); then
    `pip check` and an import of every pip-layer package. Exit 1: installed, but the
    checks failed; 4: outputs are stale (re-run `hybrid solve`, or --force).
    """
    target = _target(prefix, env_name)
    spec = load_spec(spec_path)
    out_dir = output_dir if output_dir is not None else spec.directory
    plan = plan_install(
        spec, out_dir, platform=current_platform(), variant=variant, force=force, group=group
    )
    for reason in plan.ignored_staleness:
        err_console().print(f"[yellow]warning:[/] stale (--force): {escape(reason)}")
    options = InstallOptions(
        cache=cache_dir() / "conda-packages",
        mirrors=parse_mirrors(mirrors, base_dir=Path.cwd()),
        installer=installer,
        verify=not no_verify,
    )
    report = install_environment(plan, target, options)
    _print(report)
    if not report.ok and report.verification is not None:
        raise VerificationError(
            f"the environment at {target} is installed, but verification failed:\n"
            + "\n".join(f"  {problem}" for problem in report.verification.problems),
            hint="run `hybrid doctor` on it for what to do",
        )


def _target(prefix: Path | None, env_name: str | None) -> Path:
    if (prefix is None) == (env_name is None):
        raise UsageError("give exactly one of --prefix PATH and -n NAME")
    return prefix.absolute() if prefix is not None else named_prefix(env_name or "")


def _print(report: InstallReport) -> None:
    console = out_console()
    plan = report.plan
    where = plan.platform if plan.variant == "default" else f"{plan.platform}, {plan.variant}"
    console.print(f"conda layer: {len(report.conda.packages)} packages "
                  f"({report.conda.seconds:.1f}s)")
    if report.pip is not None:
        console.print(f"pip layer: {len(report.pip_pins)} distributions with "
                      f"{report.pip.installer} ({report.pip.seconds:.1f}s)")
    if report.project is not None and plan.project is not None:
        console.print(f"project: {escape(str(plan.project))} (editable, --no-deps, with "
                      f"{report.project.installer})")
    if report.verification is not None:
        check = report.verification
        console.print(f"checked: {check.pip_check_tool} check, "
                      f"{len(check.imported)} module(s) imported, "
                      f"{len(check.problems)} problem(s)")
    console.print(f"installed {escape(str(report.prefix))} ({where})")
