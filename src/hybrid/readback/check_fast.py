"""`hybrid check`'s fast path: fresh when every output records the sha256 of the spec file's
current bytes, was written by this hybrid version, still has the body it was written with and
belongs to the same output set (one input hash, one set digest) as the others, and no output
an earlier solve left (a group, platform, pip layer or variant folder since removed) sits next
to them. It reads the output files and imports neither the schema validator nor a solver; any
doubt falls back to the full check."""

from __future__ import annotations

from pathlib import Path

from hybrid import __version__
from hybrid.emit.header import (
    INPUT_HASH_KEY,
    OUTPUTS_KEY,
    SET_HASH_KEY,
    SPEC_HASH_KEY,
    OutputText,
    parse_output,
)
from hybrid.emit.layout import ENVIRONMENT_YML
from hybrid.errors import UsageError
from hybrid.output_set import stray_outputs
from hybrid.spec.digest import source_digest
from hybrid.spec.input_file import read_input


def read_output(path: Path) -> OutputText:
    """An output's header and whether its body is intact. Read with universal newlines, so a
    checkout that turned LF into CRLF still matches; undecodable bytes never match."""
    return parse_output(path.read_text(encoding="utf-8", errors="replace"))


def fresh_by_source(spec_path: Path, out_dir: Path) -> bool:
    """True only when the outputs certainly match the spec file's bytes; False means "look
    closer", not "stale"."""
    try:
        digest = source_digest(read_input(spec_path))  # a FIFO, /dev/zero: refused
        sets: list[tuple[Path, str | None]]
        if (out_dir / ENVIRONMENT_YML).is_file():
            sets = [(out_dir, None)]
        else:
            sets = [(p.parent, p.parent.name) for p in sorted(out_dir.glob(f"*/{ENVIRONMENT_YML}"))]
        recorded: set[tuple[str | None, str | None]] = set()
        listed: list[Path] = []
        for directory, variant in sets:
            if not _set_is_fresh(directory, digest, variant, recorded, listed):
                return False
        one_set = bool(sets) and len(recorded) == 1 and None not in next(iter(recorded))
        return one_set and not stray_outputs(out_dir, listed)
    except (OSError, UsageError):  # the full check reads the spec and says what is wrong
        return False


def _set_is_fresh(
    directory: Path,
    digest: str,
    variant: str | None,
    recorded: set[tuple[str | None, str | None]],
    listed: list[Path],
) -> bool:
    """One variant's files: listed in its environment.yml, all intact, all from these bytes;
    adds the (input hash, set digest) each records to `recorded`, and the files to `listed`."""
    environment = read_output(directory / ENVIRONMENT_YML)
    manifest = environment.value(OUTPUTS_KEY)
    if manifest is None or (variant is not None and environment.value("variant") != variant):
        return False
    others = [name for name in manifest.split(",") if name != ENVIRONMENT_YML]
    listed.extend(directory / name for name in [ENVIRONMENT_YML, *others])
    for output in [environment, *(read_output(directory / name) for name in others)]:
        if not _written_from(output, digest):
            return False
        recorded.add((output.value(INPUT_HASH_KEY), output.value(SET_HASH_KEY)))
    return True


def _written_from(output: OutputText, digest: str) -> bool:
    """Written by this hybrid from spec bytes with `digest`, and not edited since."""
    return (
        output.body_intact
        and output.tool_version == __version__
        and output.value(SPEC_HASH_KEY) == digest
    )
