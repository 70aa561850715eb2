"""Lint rules about what is pinned: both layers, conda `==`, locks, CUDA, the PyTorch index."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.utils import canonicalize_name

from hybrid.envfiles.cuda import PYTORCH_WHEELS, CudaPin, cuda_pins, is_pytorch_index
from hybrid.envfiles.inventory import Inventory, PipItem
from hybrid.guards.cuda_runtime import coupled_to, is_cuda_wheel
from hybrid.guards.overlap import providers_by_name, renamed
from hybrid.lint.rules import LintFinding, finding
from hybrid.mapping import CondaPypiMapping
from hybrid.mapping.cuda import conda_for_wheel, is_cuda_library

_CONDA_EQ = re.compile(r"==\s*([0-9][0-9.]*)(?=$|[\s,|\]])")


def both_layers(inv: Inventory, mapping: CondaPypiMapping) -> Iterator[LintFinding]:
    """H003: a pip requirement that a conda request already installs."""
    providers = providers_by_name(inv.conda, mapping)
    for pip in inv.pip:
        wanted = canonicalize_name(pip.requirement.name)
        conda = next(iter(providers.get(wanted, ())), None)
        if conda is None:
            continue
        via = (
            f" (conda `{conda.name}` is the PyPI `{wanted}`)" if renamed(conda.name, wanted) else ""
        )
        yield finding(
            "H003",
            pip.location,
            f"`{pip.requirement}` is also requested in the conda layer: "
            f"`{conda.written}` (line {conda.location.line}){via}; pip would "
            "replace conda's build with PyPI's",
        )


def conda_double_equals(inv: Inventory) -> Iterator[LintFinding]:
    """H005: `numpy==1.26` in conda means exactly 1.26 (1.26.0), not any 1.26.x."""
    if inv.kind == "explicit":
        return
    for item in inv.conda:
        found = _CONDA_EQ.search(item.written)
        if found is None or item.build is not None:
            continue
        version = found.group(1).rstrip(".")
        if version.count(".") >= 2:
            continue
        yield finding(
            "H005",
            item.location,
            f"`{item.written}`: in conda `=={version}` means exactly {version}, not "
            f"{version}.x, which often surprises (`{item.name}={version}` means "
            f"{version}.*)",
            fix=f"write `{item.name} {version}.*` for any {version}.x, or the full "
            f"version `{item.name} =={version}.N`",
        )


def lock_pins(inv: Inventory) -> Iterator[LintFinding]:
    """H006: in a file that claims to be a lock, every entry is pinned exactly (and hashed)."""
    if not inv.claims_lock or inv.kind == "explicit":
        return
    why = "its name contains `lock`" if "lock" in inv.path.name.lower() else "it has `--hash` lines"
    for item in inv.conda:
        if item.version is None or not item.version.startswith("==") or "*" in item.version:
            yield finding(
                "H006",
                item.location,
                f"`{item.written}` is not pinned exactly, in a file that claims to be "
                f"a lock ({why})",
            )
    hashed = any(pip.hashes for pip in inv.pip)
    for pip in inv.pip:
        if not _pinned(pip):
            yield finding(
                "H006",
                pip.location,
                f"`{pip.requirement}` is not pinned with `==`, in a file that claims "
                f"to be a lock ({why})",
            )
        elif hashed and not pip.hashes and pip.requirement.url is None:
            yield finding(
                "H006",
                pip.location,
                f"`{pip.requirement}` has no `--hash` while other lines do: pip's "
                "hash-checking mode refuses the whole file",
            )


def _pinned(pip: PipItem) -> bool:
    if pip.requirement.url is not None:
        return True
    specs = list(pip.requirement.specifier)
    return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


def cuda_contradictions(inv: Inventory) -> Iterator[LintFinding]:
    """H007: pins naming different CUDA versions (or CUDA and a CPU-only build)."""
    pins = cuda_pins(inv)
    spec_keys = {item.location for item in inv.cuda}
    declared = [pin for pin in pins if pin.location in spec_keys]
    if declared:
        allowed = {pin.value for pin in declared}
        for pin in pins:
            if pin.value not in allowed:
                yield _contradiction(pin, declared[0], " or ".join(sorted(allowed)))
        return
    for pin in pins[1:]:
        if pin.value != pins[0].value:
            yield _contradiction(pin, pins[0], pins[0].value)


def _contradiction(pin: CudaPin, first: CudaPin, value: str) -> LintFinding:
    return finding(
        "H007",
        pin.location,
        f"{pin.what} means {_describe(pin.value)}, but {first.what} (line "
        f"{first.location.line}) means {_describe(value)}",
    )


def _describe(value: str) -> str:
    return "a CPU-only build" if value == "cpu" else f"CUDA {value}"


def torch_index(inv: Inventory) -> Iterator[LintFinding]:
    """H008: pip `torch` from PyPI's default index while the environment pins CUDA."""
    cuda = next((pin for pin in cuda_pins(inv) if pin.value != "cpu"), None)
    urls = [*inv.index_urls, *inv.extra_index_urls, *inv.find_links]
    if cuda is None or any(is_pytorch_index(url.text) for url in urls):
        return
    label = "cu" + cuda.value.replace(".", "")
    fix = (
        f"add `--extra-index-url https://download.pytorch.org/whl/{label}` (in a spec: "
        "`pip-index: {extra-index-urls: [...]}`), or take pytorch from conda"
    )
    for pip in inv.pip:
        name = canonicalize_name(pip.requirement.name)
        if name not in PYTORCH_WHEELS or pip.requirement.url is not None:
            continue
        if pip.location == cuda.location:
            why = (
                f"`{pip.requirement}` asks for a local CUDA {cuda.value} build, which PyPI's "
                "default index cannot have (PyPI refuses local versions); it is on "
                "download.pytorch.org"
            )
        else:
            why = (
                f"`{pip.requirement}` comes from PyPI's default index while {cuda.what} "
                f"(line {cuda.location.line}) pins CUDA {cuda.value}: PyPI has one CUDA build "
                "of each torch release, the others are on download.pytorch.org"
            )
        yield finding("H008", pip.location, why, fix=fix)


# Conda packages whose environment is a conda PyTorch / JAX (PyPI name of what they install).
_CONDA_BASES = {"pytorch": "torch", "pytorch-gpu": "torch", "pytorch-cpu": "torch",
                "jaxlib": "jaxlib", "jax": "jaxlib"}
# Conda packages that are (or pull in) the CUDA runtime libraries.
_CONDA_CUDA_META = frozenset(
    {"cuda", "cuda-toolkit", "cuda-runtime", "cuda-libraries", "pytorch-cuda"}
)
# Extras that make a pip package depend on NVIDIA's CUDA wheels (jax[cuda12],
# tensorflow[and-cuda], jax-cuda12-plugin[with-cuda], cupy-cuda12x[ctk]).
_CUDA_EXTRA = re.compile(r"^(cuda\d*.*|and-cuda|with-cuda|ctk)$")


def abi_coupled(inv: Inventory) -> Iterator[LintFinding]:
    """H012: a PyPI torchvision (xformers, flash-attn, ...) next to conda's pytorch, or a jax
    CUDA plugin next to conda's jaxlib: its PyPI build links against PyPI's base package."""
    bases = {_CONDA_BASES[item.name]: item for item in inv.conda if item.name in _CONDA_BASES}
    for pip in inv.pip:
        name = canonicalize_name(pip.requirement.name)
        base = coupled_to(name, bases)
        if base is None:
            continue
        conda = bases[base]
        yield finding(
            "H012",
            pip.location,
            f"`{pip.requirement}` from PyPI is built against PyPI's {base}, but the conda layer "
            f"has `{conda.written}` (line {conda.location.line}): its compiled extension may "
            "load the wrong libraries or fail at import",
            fix=f"move `{name}` to the conda dependencies, so conda solves a build matching "
            f"`{conda.name}`",
        )


def cuda_wheels(inv: Inventory) -> Iterator[LintFinding]:
    """H013: pip `nvidia-*` CUDA wheels (or a CUDA extra pulling them) next to conda CUDA
    libraries: two CUDA runtimes in one environment."""
    conda = next(
        (item for item in inv.conda
         if is_cuda_library(item.name) or item.name in _CONDA_CUDA_META),
        None,
    )
    if conda is None:
        return
    for pip in inv.pip:
        name = canonicalize_name(pip.requirement.name)
        extras = sorted(e for e in pip.requirement.extras if _CUDA_EXTRA.match(e))
        if not is_cuda_wheel(name) and not extras:
            continue
        what = (
            f"`{pip.requirement}` is NVIDIA's CUDA wheel"
            if is_cuda_wheel(name)
            else f"`{pip.requirement}` pulls NVIDIA's CUDA wheels (extra {', '.join(extras)})"
        )
        instead = conda_for_wheel(name)
        yield finding(
            "H013",
            pip.location,
            f"{what}, but the conda layer already has CUDA libraries: `{conda.written}` "
            f"(line {conda.location.line}); the environment would load two CUDA runtimes",
            fix=(f"replace it with conda `{instead[0]}`" if instead else
                 "drop the CUDA extra and add the CUDA libraries it needs to the conda "
                 "dependencies"),
        )
