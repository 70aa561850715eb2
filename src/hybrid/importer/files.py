"""`hybrid import`: environment / requirements / explicit files -> a spec that validates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hybrid.atomic import write_files_atomically
from hybrid.envfiles.inventory import Note
from hybrid.errors import ImportBugError, SpecError, UsageError
from hybrid.importer.collect import collect
from hybrid.importer.merge import plan_import
from hybrid.importer.writer import render_spec
from hybrid.spec import Spec, load_spec


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportResult:
    """The spec written, read back, and everything the inputs held that it does not carry."""

    path: Path
    spec: Spec
    notes: tuple[Note, ...]


def import_files(
    inputs: Sequence[Path],
    output: Path,
    *,
    force: bool = False,
    channel_map: Mapping[str, str] | None = None,
) -> ImportResult:
    """Merge `inputs` into a spec at `output`, then load it back to prove it validates.

    Unreadable or malformed inputs raise `UsageError` / `SpecError` (located); an `output`
    that exists is kept unless `force`. `channel_map` ({old: new}, see `parse_channel_map`)
    replaces channels, in `channels:` and before `::`.
    """
    if not inputs:
        raise UsageError(
            "nothing to import: name an environment.yml, requirements or explicit file"
        )
    _check_output(inputs, output, force=force)
    inventories = collect(inputs)
    plan = plan_import(inventories, output=output, channel_map=channel_map)
    write_files_atomically({output: render_spec(plan)})
    try:
        spec = load_spec(output)
    except SpecError as exc:
        raise ImportBugError(
            f"the spec `hybrid import` wrote to {output} does not validate:\n{exc}",
            hint="please report it with the input files",
        ) from exc
    return ImportResult(path=output, spec=spec, notes=plan.notes)


def _check_output(inputs: Sequence[Path], output: Path, *, force: bool) -> None:
    target = output.resolve()
    if any(path.resolve() == target for path in inputs):
        raise UsageError(f"{output}: is one of the inputs; write the spec elsewhere with -o")
    if output.is_dir():
        raise UsageError(f"{output}: is a directory", hint=f"use -o {output / 'spec.yaml'}")
    if output.exists() and not force:
        raise UsageError(f"{output}: already exists", hint="use --force to replace it")
