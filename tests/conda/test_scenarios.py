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
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from hybrid.devtools.local_channel import PackageSpec
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
