"""jsonschema, imported without the optional format libraries it looks for.

`import jsonschema` tries a dozen optional libraries for its `FormatChecker` (fqdn, idna,
rfc3987, rfc3987_syntax, webcolors, isoduration → arrow, …). Where they are installed (a
Jupyter environment has most of them: jsonschema[format-nongpl]) the import costs seconds:
rfc3987_syntax builds a lark grammar at import, 2.4 s measured here. hybrid's spec schema
checks no `format`, so they are hidden while jsonschema is imported and visible again after.
"""

from __future__ import annotations

import sys

_FORMAT_LIBRARIES = (
    "fqdn", "idna", "isoduration", "jsonpointer", "rfc3339_validator", "rfc3986_validator",
    "rfc3987", "rfc3987_syntax", "uri_template", "webcolors",
)  # fmt: skip


def _import_jsonschema() -> None:
    hidden = [name for name in _FORMAT_LIBRARIES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        import jsonschema  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, sys) is None:
                del sys.modules[name]


_import_jsonschema()

from jsonschema import Draft202012Validator, validators  # noqa: E402
from jsonschema.exceptions import ValidationError  # noqa: E402

__all__ = ["Draft202012Validator", "ValidationError", "validators"]
