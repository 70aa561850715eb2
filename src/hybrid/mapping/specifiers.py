"""A PEP 440 version range as a conda version spec, for a package that moves from the pip
layer to the conda layer with the range pip needed of it (`timm` needs `torchvision` with no
bound; `jax-cuda12-plugin` needs `nvidia-cudnn-cu12>=9.8,<10`).

Both grammars share `==`, `!=`, `<`, `<=`, `>`, `>=`, `~=` and `==X.*`; a local label
(`+cu126`) has no conda meaning and is dropped; `===` (arbitrary equality) cannot be
expressed and leaves no bound. Where a conda package versions one more component than its
wheel (`nccl 2.23.4.1` is `nvidia-nccl-cu12 2.23.4`), an exact pin becomes a prefix match.
"""

from __future__ import annotations

from collections.abc import Iterable

import rattler
from packaging.specifiers import Specifier
from rattler.exceptions import InvalidVersionSpecError


def conda_version_spec(specifiers: Iterable[Specifier], *, cut: bool = False) -> str | None:
    """The conda version constraint for all of `specifiers` (None: no bound expressible).
    `cut`: the conda version has more components than the PyPI one (see the module)."""
    texts = {text for s in specifiers if (text := _one(s, cut=cut)) is not None}
    parts = sorted(texts, key=lambda text: (text[0] in "<!", text))  # lower bounds first
    return ",".join(parts) if parts else None


def _one(specifier: Specifier, *, cut: bool) -> str | None:
    operator, version = specifier.operator, specifier.version.split("+", 1)[0]
    if operator == "===":
        return None
    if operator == "==" and (cut or version.endswith(".*")):
        text = version if version.endswith(".*") else f"{version}.*"
    else:
        text = f"{operator}{version}"
    try:
        rattler.VersionSpec(text)
    except InvalidVersionSpecError:
        return None
    return text
