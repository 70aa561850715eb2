"""`hybrid update SPEC [PKG…]`: re-solve, keeping every other package where possible."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import click

from hybrid.cli.arguments import output_dir_option, spec_argument
from hybrid.cli.console import out_console
from hybrid.cli.diff import render_diff
from hybrid.cli.options import solve_options
from hybrid.cli.solve import solve_and_write
from hybrid.diff import diff_paths, lock_files
from hybrid.previous import PreviousLock, read_previous
from hybrid.spec.model import Spec


@click.command()
@spec_argument
@click.argument("packages", metavar="[PKG]...", nargs=-1)
@output_dir_option
@solve_options
def update(
    spec_path: Path, packages: tuple[str, ...], output_dir: Path | None, **options: Any
) -> None:
    """Re-solve SPEC. With PKG names (conda or PyPI), only those may change and every other
    package keeps its locked version where possible; without, everything is refreshed.
    Prints what changed."""
    with tempfile.TemporaryDirectory(prefix="hybrid-update-") as tmp:
        saved = Path(tmp) / "before"

        def before(spec: Spec, out_dir: Path) -> dict[str, PreviousLock]:
            if not out_dir.is_dir() or not lock_files(out_dir):
                return {}
            _save_locks(out_dir, saved)
            return read_previous(spec, out_dir, unlock=packages) if packages else {}

        _, out_dir = solve_and_write(spec_path, output_dir, before=before, **options)
        if options["as_json"] or not saved.exists():
            return
        out_console().print(render_diff(diff_paths(saved, out_dir)))


def _save_locks(out_dir: Path, saved: Path) -> None:
    """Copy the current conda-lock.yml files aside, to show the diff after writing."""
    for variant, path in lock_files(out_dir).items():
        target = saved / variant / path.name if path.parent != out_dir else saved / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
