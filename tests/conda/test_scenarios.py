"""Every folder `tests/scenarios/<case>/` with a `spec.yaml` is a golden test of `hybrid solve`.

A scenario folder holds:

- `spec.yaml` — the spec, solved with `-o <tmp>`;
- `channels.json` (optional) — `{"<channel name>": [<PackageSpec fields>, ...]}`: each is built
  as a real local channel and read through `--mirror <name>=<tmp dir>`, so outputs show the
  canonical `https://conda.anaconda.org/<name>/...` URLs and no temporary paths;
- `args.txt` (optional) — extra command-line arguments, one per line;
- `expected/` — every file the solve must write, byte for byte (the tool version in headers
  is normalized). `HYBRID_UPDATE_GOLDEN=1 pytest tests/conda/test_scenarios.py` rewrites it.

A spec with `pip:` compiles its pip layer against the real PyPI (the test is marked
`network`); its `snapshot:` date keeps the pins and their hashes from moving.

The demo channel is always available as `hybrid-demo`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version
from ruamel.yaml import YAML

from hybrid.devtools.local_channel import PackageSpec
from hybrid.guards.cuda_runtime import check_abi_coupled, check_one_cuda_runtime
from hybrid.mapping import builtin_mapping
from hybrid.pypi.model import PinnedDistribution
from hybrid.readback.diff import read_locks
from tests.conda.golden import assert_golden_tree
from tests.conda.helpers import make_channel
from tests.conftest import RunCli

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
SCENARIOS = sorted(p for p in SCENARIOS_DIR.iterdir() if (p / "spec.yaml").is_file())


def _marks(case: Path) -> list[pytest.MarkDecorator]:
    """A scenario with a pip layer compiles it against the real package index: `network`."""
    spec = YAML(typ="safe").load((case / "spec.yaml").read_text("utf-8"))
    groups = (spec.get("groups") or {}).values()
    return [pytest.mark.network] if spec.get("pip") or any(g.get("pip") for g in groups) else []


_TUPLE_FIELDS = ("depends", "constrains", "track_features")


def _package(fields: dict[str, Any]) -> PackageSpec:
    values: dict[str, Any] = {
        key: tuple(value) if key in _TUPLE_FIELDS else value for key, value in fields.items()
    }
    return PackageSpec(**values)


def _mirrors(case: Path, root: Path, demo_channel: Path) -> list[str]:
    mirrors = [f"hybrid-demo={demo_channel}"]
    listing = case / "channels.json"
    if listing.is_file():
        channels: dict[str, list[dict[str, Any]]] = json.loads(listing.read_text("utf-8"))
        for name, packages in sorted(channels.items()):
            built = make_channel(root / name, [_package(p) for p in packages])
            mirrors.append(f"{name}={built}")
    return mirrors


def _extra_args(case: Path) -> list[str]:
    args = case / "args.txt"
    if not args.is_file():
        return []
    return [line.strip() for line in args.read_text("utf-8").splitlines() if line.strip()]


def test_there_are_scenarios() -> None:
    assert len(SCENARIOS) >= 2, f"expected scenario folders in {SCENARIOS_DIR}"


@pytest.mark.parametrize(
    "case", [pytest.param(case, marks=_marks(case), id=case.name) for case in SCENARIOS]
)
def test_scenario(run_cli: RunCli, demo_channel: Path, tmp_path: Path, case: Path) -> None:
    out = tmp_path / "out"
    mirrors = _mirrors(case, tmp_path / "channels", demo_channel)
    options = [arg for mirror in mirrors for arg in ("--mirror", mirror)]
    result = run_cli("solve", case / "spec.yaml", "-o", out, *options, *_extra_args(case))
    assert result.exit_code == 0, result.output
    assert_golden_tree(out, case / "expected")
    assert check_gpu_guards(out) == sorted(_variant_names(case)), "a variant went unguarded"


@dataclass(frozen=True)
class _Locked:
    name: str
    version: str


def check_gpu_guards(out: Path) -> list[str]:
    """The one-CUDA-runtime and ABI guards on every variant and platform written to `out`,
    read back from its conda-lock.yml files; the variants checked."""
    mapping = builtin_mapping()
    checked = []
    for variant, packages in sorted(read_locks(out).items()):
        for platform in sorted({platform for platform, _, _, _ in packages}):
            here = [(layer, name, locked.version)
                    for (where, layer, _, _), (name, locked) in packages.items()
                    if where == platform]
            conda = [_Locked(name, version) for layer, name, version in here if layer == "conda"]
            pins = [PinnedDistribution(name=canonicalize_name(name), version=Version(version))
                    for layer, name, version in here if layer == "pip"]
            provided = {str(pypi): record.name for record in conda
                        for pypi in mapping.installs(record.name, depends_on_python=True).names}
            check_abi_coupled(platform, pins, provided)
            check_one_cuda_runtime(platform, conda, pins)
        checked.append(variant)
    return checked


def _variant_names(case: Path) -> list[str]:
    spec = YAML(typ="safe").load((case / "spec.yaml").read_text("utf-8"))
    cuda = spec.get("cuda")
    if cuda is None:
        return ["default"]
    entries = cuda if isinstance(cuda, list) else [cuda]
    versions = [str(e["version"] if isinstance(e, dict) else e) for e in entries]
    if len(versions) == 1:
        return ["default"]
    return ["cpu" if v == "cpu" else f"cuda-{v}" for v in versions]
