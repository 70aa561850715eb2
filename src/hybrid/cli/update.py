"""`hybrid update SPEC [PKG…]`: re-solve, keeping every other package where possible."""

from __future__ import annotations

import shutil
import tempfile
from difflib import get_close_matches
from pathlib import Path

import click
from packaging.utils import canonicalize_name

from hybrid.cli.arguments import output_dir_option, spec_argument
from hybrid.cli.console import out_console
from hybrid.cli.diff import render_diff
from hybrid.cli.options import solve_options
from hybrid.cli.solve import solve_and_write
from hybrid.errors import UsageError
from hybrid.lock.model import PreviousLock
from hybrid.pipeline.options import SolveOptions
from hybrid.readback.diff import diff_paths, lock_files, read_locks
from hybrid.readback.previous import freed_names, read_previous
from hybrid.spec.model import Spec


@click.command()
@spec_argument
@click.argument("packages", metavar="[PKG]...", nargs=-1)
@output_dir_option
@solve_options
def update(
    spec_path: Path,
    packages: tuple[str, ...],
    output_dir: Path | None,
    *,
    options: SolveOptions,
    as_json: bool,
) -> None:
    """Re-solve SPEC. With PKG names (conda or PyPI), only those may change and every other
    package keeps its locked version where possible; without, everything is refreshed.
    Prints what changed."""
    with tempfile.TemporaryDirectory(prefix="hybrid-update-") as tmp:
        saved = Path(tmp) / "before"

        def before(spec: Spec, out_dir: Path) -> dict[str, PreviousLock]:
            locked = out_dir.is_dir() and bool(lock_files(out_dir))
            _check_known(packages, spec, out_dir if locked else None)
            if not locked:
                return {}
            _save_locks(out_dir, saved)
            return read_previous(spec, out_dir, unlock=packages) if packages else {}

        _, out_dir = solve_and_write(
            spec_path, output_dir, options=options, as_json=as_json, before=before
        )
        if as_json or not saved.exists():
            return
        out_console().print(
            render_diff(diff_paths(saved, out_dir), names=("previous lock", "new lock"))
        )


def _check_known(packages: tuple[str, ...], spec: Spec, out_dir: Path | None) -> None:
    """Refuse names that are in neither layer of the spec or of the lock in `out_dir`."""
    known = _known_names(spec, out_dir)
    matchable = known | {canonicalize_name(name) for name in known}
    unknown = [name for name in packages if not freed_names([name]) & matchable]
    if not unknown:
        return
    where = f"{spec.path.name} or its lock" if out_dir is not None else spec.path.name
    listed = ", ".join(f"`{name}`" for name in unknown)
    raise UsageError(
        f"update: {listed}: no such package in {where} (conda or PyPI names)",
        hint=_suggestion(unknown, known),
    )


def _known_names(spec: Spec, out_dir: Path | None) -> set[str]:
    """Every package name of both layers, the groups' included, as the spec and the lock
    write it."""
    names = {dep.name for dep in spec.conda} | {dep.name for dep in spec.pip}
    for group in spec.groups:
        names |= {dep.name for dep in group.conda} | {dep.name for dep in group.pip}
    if out_dir is not None:
        for packages in read_locks(out_dir).values():
            names |= {name for (_, _, name, _) in packages}
    return names


def _suggestion(unknown: list[str], known: set[str]) -> str:
    close = sorted({m for name in unknown for m in get_close_matches(name, sorted(known), n=3)})
    if close:
        return "did you mean " + " or ".join(f"`{name}`" for name in close) + "?"
    return "name packages of the spec's `conda:` or `pip:` entries or of their lock"


def _save_locks(out_dir: Path, saved: Path) -> None:
    """Copy the current conda-lock.yml files aside, to show the diff after writing."""
    for variant, path in lock_files(out_dir).items():
        target = saved / variant / path.name if path.parent != out_dir else saved / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
