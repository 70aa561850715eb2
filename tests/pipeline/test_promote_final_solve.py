"""What a solve reports after promotion re-solved the conda layer is about the final solve:
`--solver both` compares the requests the lock was finally solved from (the promoted conda
spec included), and the snapshot's undated-records notice names the records locked."""

from __future__ import annotations

import json

import pytest

from hybrid.conda.solver import libmamba_importable
from tests.conftest import RunCli, WriteSpec
from tests.pipeline.test_promote import (  # noqa: F401  (the fixtures, registered here too)
    Index,
    _solve,
    _spec,
    index,
    lab_channel,
)


@pytest.mark.skipif(
    not libmamba_importable(),
    reason="libmambapy is not importable here (conda install -c conda-forge libmambapy)",
)
def test_both_compares_the_promoted_solve(
    run_cli: RunCli,
    write_spec: WriteSpec,
    index: Index,  # noqa: F811  (the fixture)
    lab_channel,  # noqa: F811
    demo_channel,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["torchvision>=0.20"])
    result = _solve(run_cli, spec, lab_channel, demo_channel, "--solver", "both", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    locked = document["packages"]["default"]["linux-64"]
    assert "torchvision" in {p["name"] for p in locked}
    (comparison,) = document["solver_comparison"]
    assert comparison["left"]["packages"] == len(locked)
    assert comparison["left"]["verified"] and comparison["right"]["verified"], comparison


def test_the_undated_notice_names_the_promoted_solve(
    run_cli: RunCli,
    write_spec: WriteSpec,
    index: Index,  # noqa: F811  (the fixture)
    lab_channel,  # noqa: F811
    demo_channel,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["torchvision>=0.20"])
    spec.write_text(spec.read_text(encoding="utf-8") + "snapshot: 2030-01-01\n", encoding="utf-8")
    result = _solve(run_cli, spec, lab_channel, demo_channel, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    locked = {p["name"]: p["version"] for p in document["packages"]["default"]["linux-64"]}
    (notice,) = [n for n in document["notices"] if "timestamp" in n]
    assert f"torchvision {locked['torchvision']}" in notice, notice
    assert f"pytorch {locked['pytorch']}" in notice, notice
