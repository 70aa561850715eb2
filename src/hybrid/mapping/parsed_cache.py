"""The parsed conda -> PyPI name table, kept by the digest of the document it came from.

Parsing and validating parselmouth's compressed mapping (34,000 entries: JSON, then every
name checked and canonicalized) took about 0.1 s of each solve with a pip layer, for a
document that changes once a day at most. The table is stored with `marshal` next to the
mapping cache, keyed by the document's sha256 and the Python version (marshal's format is
per version); a copy that cannot be read is parsed again, never trusted half."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

from hybrid.atomic import write_files_atomically
from hybrid.errors import OutputError
from hybrid.mapping.compressed import NameTable

_VERSION = f"py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}-t1"


def parsed_table(
    data: bytes, parse: Callable[[bytes], NameTable], *, cache_dir: Path | None
) -> NameTable:
    """`parse(data)`, from the cache when this document was parsed before."""
    if cache_dir is None:
        return parse(data)
    digest = hashlib.sha256(data).hexdigest()[:32]
    path = cache_dir / "mapping" / "parsed" / f"{digest}-{_VERSION}.marshal"
    table = _read(path)
    if table is None:
        table = parse(data)  # raises on a malformed document: nothing is stored
        # a cache that cannot be written costs the next run a parse, nothing more
        with contextlib.suppress(OSError, OutputError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_files_atomically({path: marshal.dumps(table)})
    return table


def _read(path: Path) -> NameTable | None:
    try:
        value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    # written by `parsed_table` from a NameTable: str -> tuple of canonical names
    return cast(NameTable, value) if isinstance(value, dict) else None
