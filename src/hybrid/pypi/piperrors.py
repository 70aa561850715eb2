"""Read what pip (under pip-compile) says when it fails."""

from __future__ import annotations

import re

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

_NETWORK = re.compile(
    r"NewConnectionError|Max retries exceeded|ConnectTimeout|ReadTimeout|ProxyError|SSLError"
    r"|Temporary failure in name resolution|Name or service not known|Connection refused"
)
# resolvelib's cause list: RequirementInformation(requirement=SpecifierRequirement('numpy>=2'),
# parent=LinkCandidate('https://.../opencv_python-4.13.0.90-cp37-abi3-....whl (from ...)'))
_CAUSE = re.compile(
    r"RequirementInformation\(requirement=\w+\('(?P<requirement>[^']*)'\), "
    r"parent=(?:None|\w+\('(?P<parent>[^' ]*)[^']*'\))\)"
)
_FRIENDLY = re.compile(r"The conflict is caused by:\n(?P<body>(?:[ \t]+\S.*\n?)+)")


def is_network_failure(text: str) -> bool:
    """Whether pip's output says it could not reach an index."""
    return _NETWORK.search(text) is not None


def tidy_pip_failure(text: str) -> str:
    """pip's failure without the traceback: its ERROR lines and who depends on what."""
    errors = [line.strip() for line in text.splitlines() if line.strip().startswith("ERROR:")]
    causes = sorted({_cause(m["requirement"], m["parent"]) for m in _CAUSE.finditer(text)})
    friendly = _FRIENDLY.search(text)
    if friendly and not causes:
        causes = [line.strip() for line in friendly["body"].splitlines()]
    if not errors and not causes:
        return _without_traceback(text)
    return "\n".join([*dict.fromkeys(errors), *causes])


def _cause(requirement: str, parent: str | None) -> str:
    if parent is None:
        return f"you require {requirement}"
    return f"{_distribution(parent)} depends on {requirement}"


def _distribution(url: str) -> str:
    filename = url.rsplit("/", 1)[-1].split("#", 1)[0]
    try:
        if filename.endswith(".whl"):
            name, version, *_ = parse_wheel_filename(filename)
            return f"{name} {version}"
        if filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
            return f"{name} {version}"
    except (InvalidWheelFilename, InvalidSdistFilename):
        pass
    return filename or url


def _without_traceback(text: str) -> str:
    kept = [
        line for line in text.splitlines()
        if line.strip() and not line.startswith("  ") and not line.startswith("Traceback")
    ]
    return "\n".join(kept[-40:])


def without_build_output(text: str) -> str:
    """uv's message without the `[stderr]`/`[stdout]` blocks it quotes from a package's build
    backend (a third-party Python traceback that says nothing about the spec)."""
    kept: list[str] = []
    block_indent: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and (not line.strip() or indent >= block_indent):
            continue
        block_indent = None
        if line.strip() in ("[stderr]", "[stdout]"):
            block_indent = indent
            kept.append(" " * indent + "(the package's build output is left out)")
            continue
        kept.append(line)
    return "\n".join(kept)
