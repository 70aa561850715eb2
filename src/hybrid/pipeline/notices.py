"""What a solve tells the user besides its result: CPU builds in a CUDA variant, what hybrid
added to the conda layer for the pip layer, requirements that pip cannot hash-check."""

from __future__ import annotations

from hybrid.conda.requests import added_specs
from hybrid.errors import VariantError
from hybrid.lock.model import VariantResult
from hybrid.platforms import CUDA_PLATFORMS
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import Spec
from hybrid.spec.variants import spec_variants


def pip_layer_notices(spec: Spec) -> tuple[str, ...]:
    """Where hybrid adds `python` or `pip` to the conda layer for the pip layer."""
    return (*_added_for_pip(spec, "python"), *_added_for_pip(spec, "pip"))


def _added_for_pip(spec: Spec, name: str) -> tuple[str, ...]:
    """Say where hybrid adds a bare `python` or `pip` to the conda layer because the spec has
    pip deps and names none there (the pip layer installs with conda's pip into its python)."""
    variant = spec_variants(spec)[0]  # what is added for the pip layer is the same in each
    where = [
        platform
        for platform in spec.platforms
        if CondaMatchSpec(name=name) in added_specs(spec, platform, variant)
    ]
    if not where:
        return ()
    only = "" if len(where) == len(spec.platforms) else " on " + ", ".join(where)
    return (f"the spec has pip deps but no {name}: hybrid adds `{name}` to conda{only}",)


def cuda_notices(spec: Spec, *, require_cuda: bool) -> tuple[str, ...]:
    """CUDA variants on platforms without CUDA (macOS) get CPU builds: say so, or refuse."""
    cuda = [v for v in spec_variants(spec) if v.cuda_version is not None]
    without = [p for p in spec.platforms if p not in CUDA_PLATFORMS]
    if not cuda or not without:
        return ()
    names = ", ".join(v.name for v in cuda)
    text = f"{', '.join(without)} has no CUDA: the {names} variant uses CPU builds there"
    if require_cuda:
        raise VariantError(
            f"{text}, and --require-cuda forbids that",
            hint="drop those platforms, or add a `cpu` variant and run without --require-cuda",
        )
    return (text,)


def unhashable_notices(result: VariantResult) -> list[str]:
    """Say so when requirements.txt cannot be installed with `--require-hashes`."""
    from hybrid.pypi.pins import unhashable_pins  # the pip layer's modules: only when it has one

    pins = unhashable_pins(result.pip)
    if not pins:
        return []
    names = ", ".join(sorted({p.name for p in pins}))
    where = "" if result.variant.cuda is None else f" ({result.variant.name})"
    return [
        f"requirements.txt{where} pins version-control references ({names}); pip cannot "
        "hash-check those, so install it without --require-hashes"
    ]


def unverified_notices(result: VariantResult) -> list[str]:
    """Say which pip pins the lock verifier could not check (their requirements unread)."""
    names = sorted({name for v in result.verified for name in v.unchecked})
    if not names:
        return []
    where = "" if result.variant.cuda is None else f" ({result.variant.name})"
    return [
        f"the requirements of {', '.join(names)}{where} were not verified: no wheel metadata "
        "could be read (an sdist, a version-control reference, or offline without a cache)"
    ]
