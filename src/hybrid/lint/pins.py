"""Lint rules about what is pinned: both layers, conda `==`, locks, CUDA, the PyTorch index."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.utils import canonicalize_name

from hybrid.envfiles.cuda import PYTORCH_WHEELS, CudaPin, cuda_pins, is_pytorch_index
from hybrid.envfiles.inventory import Inventory, PipItem
from hybrid.guards.overlap import conda_providers, renamed
from hybrid.lint.rules import LintFinding, finding
from hybrid.mapping import CondaPypiMapping

_CONDA_EQ = re.compile(r"==\s*([0-9][0-9.]*)(?=$|[\s,|\]])")


def both_layers(inv: Inventory, mapping: CondaPypiMapping) -> Iterator[LintFinding]:
    """H003: a pip requirement that a conda request already installs."""
    for pip in inv.pip:
        wanted = canonicalize_name(pip.requirement.name)
        conda = next(conda_providers(wanted, inv.conda, mapping), None)
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
