"""Which outputs `hybrid install` takes: the variant, the platform, and only fresh ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hybrid.errors import StaleError, UsageError
from hybrid.install.plan import plan_install
from hybrid.spec import load_spec
from tests.conftest import RunCli

VARIANTS = """\
version: 1
name: lab
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64]
python: "3.11"
cuda: [cpu, "12.4"]
conda:
  - numpy
  - {spec: tzdata, platforms: [osx-arm64]}
"""
SINGLE = VARIANTS.replace('cuda: [cpu, "12.4"]\n', "")


def test_several_variants_need_a_choice(write_spec: Callable[[str], Path]) -> None:
    spec = load_spec(write_spec(VARIANTS))
    with pytest.raises(UsageError, match=r"has 2 variants \(cpu, cuda-12.4\)") as info:
        plan_install(spec, spec.directory, platform="linux-64")
    assert "--variant cpu" in str(info.value)
    with pytest.raises(UsageError, match=r"--variant 'gpu': spec\.yaml has cpu, cuda-12\.4"):
        plan_install(spec, spec.directory, platform="linux-64", variant="gpu")


def test_the_variant_directory_and_forced_staleness(write_spec: Callable[[str], Path]) -> None:
    spec = load_spec(write_spec(VARIANTS))
    with pytest.raises(StaleError, match="missing") as info:
        plan_install(spec, spec.directory, platform="osx-arm64", variant="cuda-12.4")
    assert "--force" in str(info.value) and info.value.exit_code == 4
    plan = plan_install(spec, spec.directory, platform="osx-arm64", variant="cuda-12.4",
                        force=True)
    assert plan.explicit == spec.directory / "cuda-12.4" / "conda-osx-arm64.lock"
    assert plan.requirements is None and plan.ignored_staleness
    assert plan.requested_specs() == {"numpy": "numpy", "tzdata": "tzdata",
                                      "python": "python 3.11.*"}


def test_a_platform_the_spec_does_not_target(write_spec: Callable[[str], Path]) -> None:
    spec = load_spec(write_spec(SINGLE))
    with pytest.raises(UsageError, match=r"does not target win-64 \(platforms: linux-64, osx"):
        plan_install(spec, spec.directory, platform="win-64")


def test_fresh_outputs(
    write_spec: Callable[[str], Path], run_cli: RunCli, demo_channel: Path
) -> None:
    path = write_spec(SINGLE)
    assert run_cli("solve", path, "--mirror", f"hybrid-demo={demo_channel}").exit_code == 0
    spec = load_spec(path)
    plan = plan_install(spec, spec.directory, platform="linux-64", variant="default")
    assert plan.variant == "default" and plan.ignored_staleness == ()
    assert plan.explicit == spec.directory / "conda-linux-64.lock"
    assert plan.requested_specs() == {"numpy": "numpy", "python": "python 3.11.*"}
