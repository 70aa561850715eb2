"""Turn a resolver's failure into an error a user can act on.

The resolver only sees stubs (``numpy==1.26.4+conda``); a user knows the conda layer. When a
failure involves a stub, the message says which pip requirement is blocked by which conda
package at which version, on which platform, and the two ways out.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Mapping, Sequence

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

from hybrid.errors import UnsatisfiableError
from hybrid.pypi.model import PipTarget, ProvidedDistribution
from hybrid.pypi.stubs import STUB_LABEL

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_STUB_PIN = re.compile(rf"(?P<name>{_NAME})\s*==\s*(?P<version>[^\s,;()'\"]+?)\+{STUB_LABEL}\b")
# Both resolvers phrase a conflict as "<dependent> depends on <requirement>".
_DEPENDENCY = re.compile(rf"depends on (?P<name>{_NAME})")
_WORD = re.compile(_NAME)


def unsatisfiable(
    explanation: str,
    *,
    requirements: Sequence[Requirement],
    stubbed: Mapping[NormalizedName, ProvidedDistribution],
    target: PipTarget,
    resolver: str,
) -> UnsatisfiableError:
    """The error for a failed resolution; ``explanation`` is the resolver's own text."""
    blocking = _blocking(explanation, stubbed)
    involved = _involved(explanation, requirements)
    where = f"{target.platform} (Python {target.python_version})"
    pinned = {name for name, dist in stubbed.items() if dist.base_pip_pin}
    said = textwrap.indent(restate_stubs(explanation, pinned).strip(), "    ")
    if not blocking:
        asked = _describe(involved or requirements)
        return UnsatisfiableError(
            f"the pip layer cannot be resolved for {where}: {asked}\n"
            f"  what {resolver} said:\n{said}"
        )
    conda = ", ".join(provided_phrase(dist) for dist in blocking.values())
    pip_side = _describe(involved) if involved else "the pip layer"
    conda_names = ", ".join(f"`{dist.conda_name}`" for dist in blocking.values())
    bounds = ", ".join(f"`{req}`" for req in involved) or "the pip requirements"
    if all(dist.base_pip_pin for dist in blocking.values()):
        relax = (
            f"    - change the base's `pip:` entries so their own compile pins {conda_names} "
            "at a version this group accepts, or\n"
        )
        what = "the base pins"
    else:
        relax = (
            f"    - relax the conda spec for {conda_names} so the conda solver may pick a "
            "version the pip layer accepts, or\n"
        )
        what = "the conda layer provides"
    return UnsatisfiableError(
        f"pip requirement {pip_side} cannot be installed on {where} next to {conda}.\n"
        "  ways out:\n"
        f"{relax}"
        f"    - bound {bounds} to releases that accept what {what}.\n"
        f"  what {resolver} said:\n{said}"
    )


def provided_phrase(dist: ProvidedDistribution) -> str:
    """``numpy 1.26.4 from the conda layer (conda package `numpy`)``."""
    name = canonicalize_name(dist.pypi_name)
    if dist.base_pip_pin:
        return f"{name} {dist.version} pinned by the base's pip layer (requirements.txt)"
    return f"{name} {dist.version} from the conda layer (conda package `{dist.conda_name}`)"


def restate_stubs(text: str, base_pins: Collection[str] = ()) -> str:
    """``text`` with every stub pin (``numpy==1.26.4+conda``) said in conda terms, or as a
    pin of the base's pip layer for the canonical names in ``base_pins``."""

    def said(m: re.Match[str]) -> str:
        layer = "base pip pin" if canonicalize_name(m["name"]) in base_pins else "conda layer"
        return f"{m['name']}=={m['version']} ({layer})"

    return _STUB_PIN.sub(said, text)


def _blocking(
    text: str, stubbed: Mapping[NormalizedName, ProvidedDistribution]
) -> dict[NormalizedName, ProvidedDistribution]:
    names = {canonicalize_name(m["name"]) for m in _STUB_PIN.finditer(text)}
    names |= {canonicalize_name(m["name"]) for m in _DEPENDENCY.finditer(text)}
    return {name: stubbed[name] for name in sorted(names) if name in stubbed}


def _involved(text: str, requirements: Sequence[Requirement]) -> list[Requirement]:
    """The pip requirements the resolver's text names."""
    words = {canonicalize_name(word) for word in _WORD.findall(text)}
    return [req for req in requirements if canonicalize_name(req.name) in words]


def _describe(requirements: Sequence[Requirement]) -> str:
    return ", ".join(f"`{req}`" for req in requirements)
