"""`conda-<platform>.lock`: conda's explicit format, one `URL#hash` line per package."""

from __future__ import annotations

from hybrid.conda.explicit import EXPLICIT_MARKER
from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.emit.header import Header
from hybrid.emit.layout import explicit_filename
from hybrid.spec.fingerprint import SNAPSHOT_POLICY_KEY, STRICT, HashKind

__all__ = ["explicit_filename", "render_explicit"]


def render_explicit(solution: CondaSolution, header: Header, *, hash_kind: HashKind) -> str:
    """Packages in install order; `#sha256:<hex>` needs conda >= 24.9 or mamba >= 2.1.
    A solve that left undated records out (`--snapshot-strict`) says so in the header."""
    head = header.with_extra(("platform", solution.platform), ("hash", hash_kind))
    if solution.request.drop_undated:
        head = head.with_extra((SNAPSHOT_POLICY_KEY, STRICT))
    lines = [*head.lines(), EXPLICIT_MARKER]
    lines.extend(_line(package, hash_kind) for package in solution.packages)
    return "\n".join(lines) + "\n"


def _line(package: CondaPackage, hash_kind: HashKind) -> str:
    if hash_kind == "sha256" and package.sha256:
        return f"{package.url}#sha256:{package.sha256}"
    if package.md5:
        return f"{package.url}#{package.md5}"
    if package.sha256:
        return f"{package.url}#sha256:{package.sha256}"
    return package.url
