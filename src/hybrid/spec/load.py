"""Load a spec file: read with positions, validate against the schema, normalize."""

from __future__ import annotations

from pathlib import Path

from hybrid.errors import SpecError
from hybrid.spec.loader import document_kind, load_document
from hybrid.spec.location import printable
from hybrid.spec.model import Spec
from hybrid.spec.normalize import normalize
from hybrid.spec.schema_errors import schema_problems


def load_spec(path: Path) -> Spec:
    """Read, validate and normalize `path`; every problem found is in one `SpecError`."""
    doc = load_document(path)
    if not isinstance(doc.data, dict):
        kind = document_kind(doc.data)
        raise SpecError(
            [
                f"{doc.display_name}:1:1: (document): expected a mapping of spec keys, "
                f"the file is {kind}"
            ],
            path=doc.display_name,
        )
    problems = schema_problems(doc)
    if not problems:
        spec, problems = normalize(doc)
        if spec is not None:
            return spec
    problems.sort(key=lambda item: (item[0].line, item[0].column))
    raise SpecError(
        [f"{where}: {printable(message)}" for where, message in problems], path=doc.display_name
    )
