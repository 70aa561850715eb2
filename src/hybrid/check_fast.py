"""`hybrid check`'s fast path: fresh when every output records the sha256 of the spec file's
current bytes and was written by this hybrid version. It reads a few header lines and imports
neither the schema validator nor a solver; any doubt falls back to the full check."""

from __future__ import annotations

from pathlib import Path

from hybrid import __version__
from hybrid.emit.header import (
    OUTPUTS_KEY,
    SPEC_HASH_KEY,
    read_header_value,
    read_input_hash,
    read_tool_version,
)
from hybrid.emit.layout import ENVIRONMENT_YML
from hybrid.spec.digest import source_digest

HEADER_LINES = 40


def read_head(path: Path, limit: int = HEADER_LINES) -> list[str]:
    """The leading comment lines of a file."""
    lines: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.startswith("#") or len(lines) >= limit:
                break
            lines.append(line.rstrip("\n"))
    return lines


def fresh_by_source(spec_path: Path, out_dir: Path) -> bool:
    """True only when the outputs certainly match the spec file's bytes; False means "look
    closer", not "stale"."""
    try:
        digest = source_digest(spec_path.read_bytes())
        sets: list[tuple[Path, str | None]]
        if (out_dir / ENVIRONMENT_YML).is_file():
            sets = [(out_dir, None)]
        else:
            sets = [(p.parent, p.parent.name) for p in sorted(out_dir.glob(f"*/{ENVIRONMENT_YML}"))]
        input_hashes: set[str | None] = set()
        for directory, variant in sets:
            if not _set_is_fresh(directory, digest, variant, input_hashes):
                return False
        return bool(sets) and len(input_hashes) == 1 and None not in input_hashes
    except OSError:
        return False


def _set_is_fresh(
    directory: Path, digest: str, variant: str | None, input_hashes: set[str | None]
) -> bool:
    """One variant's files: listed in its environment.yml, all from these spec bytes."""
    head = read_head(directory / ENVIRONMENT_YML)
    manifest = read_header_value(head, OUTPUTS_KEY)
    if manifest is None or (variant is not None and read_header_value(head, "variant") != variant):
        return False
    for name in [ENVIRONMENT_YML, *manifest.split(",")]:
        head = read_head(directory / name)
        if read_tool_version(head) != __version__:
            return False
        if read_header_value(head, SPEC_HASH_KEY) != digest:
            return False
        input_hashes.add(read_input_hash(head))
    return True
