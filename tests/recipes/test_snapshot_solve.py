"""Acceptance: every recipe solved for its own platforms and variants against the snapshot of
real conda-forge records (`../shared/channels`, read through `--mirror`); recipes with a pip
layer also compile it against PyPI (network).

The snapshot is a union of harvested lock files, not a full channel. Where it cannot solve a
recipe, `GAPS` names the records that are missing; the test then checks that the failure is
an unsatisfiable solve (exit 3, not a crash) and skips with that reason. A gap that closes
fails the test, so the entry gets removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.conda.cuda import CUDA_BUILD_PACKAGES
from hybrid.platforms import CUDA_PLATFORMS
from hybrid.recipes import Recipe, list_recipes
from tests.conda.helpers import explicit_lines
from tests.conftest import RunCli
from tests.recipes.helpers import mirror_args, snapshot_records, spec_data

pytestmark = pytest.mark.snapshot

RECIPES = {recipe.name: recipe for recipe in list_recipes()}

# recipe -> (package whose records are missing, what the recipe needs that the snapshot lacks)
GAPS: dict[str, tuple[str, str]] = {
    "tensorflow": (
        "tensorflow",
        "the recipe needs tensorflow >=2.16 for Python 3.12 as CPU and CUDA 12.6 builds on "
        "linux-64 and a CPU build on osx-arm64; the snapshot has no tensorflow >=2.13 at all, "
        "no CPU build, no CUDA 12 build, nothing for Python 3.12 and nothing for osx-arm64 "
        "(even a spec pinned to its one record, Python 3.10 with a CUDA 11.8 variant, does "
        "not solve: the jax it depends on finds no installable CUDA jaxlib)",
    ),
}


def _params() -> list[object]:
    params: list[object] = []
    for name, recipe in sorted(RECIPES.items()):
        marks = [pytest.mark.network] if spec_data(recipe).get("pip") else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def _variant_dirs(recipe: Recipe, out: Path) -> dict[str, Path]:
    cuda = spec_data(recipe).get("cuda")
    if cuda is None:
        return {"default": out}
    variants = [cuda] if isinstance(cuda, str) else list(cuda)
    names = ["cpu" if v == "cpu" else f"cuda-{v}" for v in variants]
    return {name: out / name for name in names}


def test_the_gaps_name_shipped_recipes() -> None:
    assert set(GAPS) <= set(RECIPES)


@pytest.mark.parametrize("name", _params())
def test_recipe_solves_on_the_snapshot(
    name: str,
    run_cli: RunCli,
    shared_channels: Path,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    recipe = RECIPES[name]
    data = spec_data(recipe)
    spec = tmp_path / "spec.yaml"
    spec.write_text(recipe.spec_text, encoding="utf-8")
    args: list[str | Path] = ["solve", spec, *mirror_args(recipe, shared_channels)]
    if data.get("pip"):
        args += ["--pypi-mapping", request.getfixturevalue("shared_mapping")]
    result = run_cli(*args)
    if name in GAPS:
        package, missing = GAPS[name]
        assert result.exit_code == 3, f"the {name} gap may have closed:\n{result.output}"
        assert "Traceback" not in result.output
        present = snapshot_records(shared_channels, "conda-forge", package)
        pytest.skip(
            f"snapshot gap for recipe {name}: {missing}. The snapshot's only {package} "
            f"records: {', '.join(present) or 'none'}"
        )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    check = run_cli("check", spec)
    assert check.exit_code == 0, check.output
    platforms = data["platforms"]
    assert isinstance(platforms, list)
    for variant, directory in _variant_dirs(recipe, tmp_path).items():
        for platform in platforms:
            _check_lock(recipe, directory / f"conda-{platform}.lock", variant, platform)
        if data.get("pip"):
            _check_pip_layer(directory / "requirements.txt")


def _check_lock(recipe: Recipe, lock: Path, variant: str, platform: str) -> None:
    """Every conda entry is installed; CUDA builds exactly where the variant asks for them."""
    lines = explicit_lines(lock)
    by_name = {line.name: line for line in lines}
    conda = spec_data(recipe).get("conda") or []
    assert isinstance(conda, list)
    for entry in conda:
        wanted = str(entry).split()[0]
        assert wanted in by_name, f"{wanted} missing from {lock}"
    cuda_wanted = variant.startswith("cuda-") and platform in CUDA_PLATFORMS
    for package in sorted(CUDA_BUILD_PACKAGES & set(by_name)):
        has_cuda = "cuda" in by_name[package].filename
        assert has_cuda == cuda_wanted, f"{lock}: {by_name[package].filename}"
    if not cuda_wanted:
        assert not [line.name for line in lines if line.name.startswith(("cuda-", "libcublas"))]


def _check_pip_layer(requirements: Path) -> None:
    """The pip layer never duplicates what conda provides (torch and its PyPI-only deps)."""
    names = [
        line.split("==")[0].strip().lower()
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    ]
    assert names, requirements
    for forbidden in ("torch", "triton", "numpy", "pandas"):
        assert forbidden not in names, f"{forbidden} in {requirements}"
    assert not [n for n in names if n.startswith("nvidia-")], names
