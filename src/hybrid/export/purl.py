"""Package URLs (purl) of locked packages, as the purl specification's types define them.

conda: `pkg:conda/<name>@<version>?build=…&channel=…&subdir=…&type=…` (no namespace; the
qualifiers `build`, `channel`, `subdir` and `type`, the archive format `conda` or
`tar.bz2`). pypi: `pkg:pypi/<name>@<version>`, the name lowercased with `_` as `-`.
Qualifiers are sorted by key and every value is percent-encoded, as the canonical form asks.
"""

from __future__ import annotations

from urllib.parse import quote

from hybrid.conda.explicit import ARCHIVE_SUFFIXES
from hybrid.export.locks import CondaLocked, PipLocked
from hybrid.spec.channels import short_channel


def conda_purl(package: CondaLocked) -> str:
    qualifiers = {
        "build": package.build,
        "channel": short_channel(package.channel),
        "subdir": package.subdir,
        "type": _archive_type(package.filename),
    }
    query = "&".join(f"{key}={_encode(value)}" for key, value in sorted(qualifiers.items()))
    return f"pkg:conda/{_encode(package.name)}@{_encode(package.version)}?{query}"


def pypi_purl(dist: PipLocked) -> str:
    name = dist.name.lower().replace("_", "-")
    return f"pkg:pypi/{_encode(name)}@{_encode(dist.version)}"


def _archive_type(filename: str) -> str:
    for suffix in ARCHIVE_SUFFIXES:
        if filename.endswith(suffix):
            return suffix.lstrip(".")
    return "conda"


def _encode(text: str) -> str:
    return quote(text, safe="")
