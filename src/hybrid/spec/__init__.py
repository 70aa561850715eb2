"""spec/: load, validate and normalize a spec file. Pure: no network, no solving.

The package itself imports nothing heavy: `hybrid check`'s fast path uses parts of it
without paying for the schema validator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hybrid.spec.load import load_spec
    from hybrid.spec.model import Spec

__all__ = ["Spec", "load_spec"]


def __getattr__(name: str) -> Any:
    if name == "load_spec":
        from hybrid.spec.load import load_spec

        return load_spec
    if name == "Spec":
        from hybrid.spec.model import Spec

        return Spec
    raise AttributeError(name)
