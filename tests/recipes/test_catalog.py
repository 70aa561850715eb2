"""The shipped recipes: each one a valid spec with a README, found from the package data."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.errors import UsageError
from hybrid.recipes import DEFAULT_RECIPE, find_recipe, list_recipes
from hybrid.recipes.catalog import description_line, recipes_root
from tests.conftest import REPO, RunCli
from tests.recipes.helpers import channels, spec_data

RECIPES = {recipe.name: recipe for recipe in list_recipes()}
SCHEMA_LINE = "# yaml-language-server: $schema=https://hybrid.dev/schemas/spec-v1.schema.json"
REQUIRED = {"base", "scientific-python", "pytorch-cuda", "jax-cuda", "tensorflow", "huggingface"}
REAL_CHANNELS = {"conda-forge", "pytorch", "nvidia", "bioconda"}


def test_the_required_recipes_ship() -> None:
    assert set(RECIPES) >= REQUIRED
    assert DEFAULT_RECIPE in RECIPES


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_validates(run_cli: RunCli, name: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(RECIPES[name].spec_text, encoding="utf-8")
    result = run_cli("validate", spec)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_starts_with_the_schema_line_and_version_1(name: str) -> None:
    lines = RECIPES[name].spec_text.splitlines()
    assert lines[0] == SCHEMA_LINE
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    assert body[0] == "version: 1"
    assert spec_data(RECIPES[name])["name"] == name


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_names_real_channels(name: str) -> None:
    assert channels(RECIPES[name])
    assert set(channels(RECIPES[name])) <= REAL_CHANNELS


def test_description_line_skips_title_and_blank_lines() -> None:
    text = "# x\n\n```\ncode\n```\nFirst line.\nSecond line.\n"
    assert description_line(text) == "First line."
    assert description_line("# x\n\nFirst line.\nSecond.\n") == "First line."
    assert description_line("# only a title\n") == ""


def test_top_level_recipes_links_to_the_packaged_data() -> None:
    """One copy: every file under `recipes/` at the repository root is a symlink into the
    package data (like `schemas/`). File links, not a directory link: hatchling's sdist
    follows a linked directory and then leaves the package data out."""
    top = REPO / "recipes"
    data = (REPO / "src" / "hybrid" / "recipes" / "data").resolve()
    assert top.is_dir() and not top.is_symlink()
    assert Path(str(recipes_root())).resolve() == data
    linked = sorted(p for p in top.rglob("*") if not p.is_dir())
    assert linked, "recipes/ is empty"
    for path in linked:
        assert path.is_symlink(), f"{path} is a copy, not a link into the package data"
        assert path.resolve() == data / path.relative_to(top), path
    expected = {"README.md"} | {f"{n}/{f}" for n in RECIPES for f in ("spec.yaml", "README.md")}
    assert {p.relative_to(top).as_posix() for p in linked} == expected


def test_find_recipe() -> None:
    assert find_recipe("base").name == "base"


def test_an_unknown_recipe_suggests_close_names() -> None:
    with pytest.raises(UsageError) as caught:
        find_recipe("pytorch")
    assert "unknown recipe `pytorch`" in str(caught.value)
    assert "did you mean `pytorch-cuda`?" in str(caught.value)
    assert all(name in str(caught.value) for name in RECIPES)


def test_hybrid_recipes_lists_one_line_each(run_cli: RunCli) -> None:
    result = run_cli("recipes")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(RECIPES) >= 6
    for line, (name, recipe) in zip(lines, sorted(RECIPES.items()), strict=True):
        assert line.split()[0] == name
        summary = recipe.summary  # the README's first sentence, not its title
        assert summary and len(summary) <= 100 and not summary.startswith("#")
        assert line.rstrip().endswith(summary)


def test_hybrid_recipes_name_prints_the_spec(run_cli: RunCli) -> None:
    result = run_cli("recipes", "pytorch-cuda")
    assert result.exit_code == 0, result.output
    assert result.stdout == RECIPES["pytorch-cuda"].spec_text


def test_hybrid_recipes_unknown_name_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("recipes", "tensorflw")
    assert result.exit_code == 2
    assert "did you mean `tensorflow`?" in result.stderr
    assert "Traceback" not in result.output
