"""`hybrid init`: a research-lab repository from a recipe, solved when the channels can be
read, a valid repository with a note on how to solve when they cannot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from hybrid import DISTRIBUTION, __version__
from hybrid.recipes import find_recipe, list_recipes
from tests.conftest import REPO, RunCli

TEMPLATE_FILES = {
    "spec.yaml",
    "README.md",
    ".github/workflows/hybrid-check.yml",
    ".pre-commit-config.yaml",
    ".gitignore",
}
BASE_PLATFORMS = ("linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64")
BASE_OUTPUTS = {"environment.yml", "conda-lock.yml", *(f"conda-{p}.lock" for p in BASE_PLATFORMS)}
# A mirror nothing listens on: the channel cannot be reached, without touching the network.
UNREACHABLE = "conda-forge=http://127.0.0.1:9/conda-forge"


def _tree(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}


def _yaml(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _mirror(shared_channels: Path) -> tuple[str, str]:
    return ("--mirror", f"conda-forge={shared_channels / 'conda-forge'}")


def _readme_paths(readme: str) -> set[str]:
    """The output files the README's commands name."""
    found = re.findall(r"--file (\S+)|-r (\S+)", readme)
    return {path for match in found for path in match if path}


@pytest.mark.snapshot
def test_init_solves_with_a_mirror(run_cli: RunCli, shared_channels: Path, tmp_path: Path) -> None:
    repo = tmp_path / "vision-lab"
    result = run_cli("init", repo, *_mirror(shared_channels))
    assert result.exit_code == 0, result.output
    assert _tree(repo) == TEMPLATE_FILES | BASE_OUTPUTS
    assert "notice" not in result.stderr
    assert run_cli("validate", repo / "spec.yaml").exit_code == 0
    check = run_cli("check", repo / "spec.yaml")
    assert check.exit_code == 0, check.output
    spec = (repo / "spec.yaml").read_text(encoding="utf-8")
    assert spec == find_recipe("base").spec_text.replace("name: base", "name: vision-lab")
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "not generated yet" not in readme
    for path in _readme_paths(readme):
        assert (repo / path).is_file(), f"README names {path}, which was not written"
    for platform in BASE_PLATFORMS:
        assert f"conda create -n vision-lab --file conda-{platform}.lock" in readme
    assert "conda activate vision-lab" in readme


@pytest.mark.snapshot
def test_init_a_cuda_recipe_writes_one_folder_per_variant(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "gpu-lab"
    result = run_cli("init", "--recipe", "pytorch-cuda", repo, *_mirror(shared_channels))
    assert result.exit_code == 0, result.output
    assert "osx-arm64 has no CUDA" in result.stderr
    outputs = {"environment.yml", "conda-lock.yml", "conda-linux-64.lock", "conda-osx-arm64.lock"}
    outputs |= {"environment-linux-64.yml", "environment-osx-arm64.yml"}
    expected = {f"{v}/{name}" for v in ("cpu", "cuda-12.6") for name in outputs}
    assert _tree(repo) == TEMPLATE_FILES | expected
    assert run_cli("check", repo / "spec.yaml").exit_code == 0
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "conda create -n gpu-lab --file cuda-12.6/conda-linux-64.lock" in readme
    assert "conda create -n gpu-lab --file cpu/conda-osx-arm64.lock" in readme
    assert "`cpu/`" in readme and "`cuda-12.6/`" in readme
    for path in _readme_paths(readme):
        assert (repo / path).is_file(), path


@pytest.mark.snapshot
@pytest.mark.network
def test_init_a_recipe_with_a_pip_layer(
    run_cli: RunCli, shared_channels: Path, shared_mapping: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "nlp-lab"
    result = run_cli(
        "init", "--recipe", "huggingface", repo, *_mirror(shared_channels),
        "--pypi-mapping", shared_mapping,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {"cpu/requirements.txt", "cuda-12.6/requirements.txt"} <= _tree(repo)
    assert run_cli("check", repo / "spec.yaml").exit_code == 0
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert (
        "conda run -n nlp-lab python -m pip install --no-deps --require-hashes "
        "-r cuda-12.6/requirements.txt"
    ) in readme
    for path in _readme_paths(readme):
        assert (repo / path).is_file(), path


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(("--mirror", UNREACHABLE), id="unreachable-channel"),
        pytest.param(("--offline",), id="offline-empty-cache"),
        pytest.param(("--no-solve",), id="no-solve"),
    ],
)
def test_init_without_reachable_channels_writes_a_notice(
    run_cli: RunCli, tmp_path: Path, how: tuple[str, ...]
) -> None:
    repo = tmp_path / "lab"
    result = run_cli("init", repo, *how)
    assert result.exit_code == 0, result.output
    assert _tree(repo) == TEMPLATE_FILES
    assert "notice:" in result.stderr
    assert f"hybrid solve {repo / 'spec.yaml'}" in result.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "The lock files are not generated yet" in readme
    assert "Run `hybrid solve spec.yaml`" in readme
    assert run_cli("validate", repo / "spec.yaml").exit_code == 0
    assert run_cli("check", repo / "spec.yaml").exit_code == 4


def test_init_into_a_non_empty_directory_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "lab"
    repo.mkdir()
    (repo / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("init", repo, "--no-solve")
    assert result.exit_code == 2
    assert "is not empty (notes.txt)" in result.stderr
    assert "--force" in result.stderr
    assert _tree(repo) == {"notes.txt"}


def test_init_force_writes_into_a_non_empty_directory(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "lab"
    repo.mkdir()
    (repo / "notes.txt").write_text("mine\n", encoding="utf-8")
    (repo / "README.md").write_text("old\n", encoding="utf-8")
    result = run_cli("init", repo, "--no-solve", "--force")
    assert result.exit_code == 0, result.output
    assert _tree(repo) == TEMPLATE_FILES | {"notes.txt"}
    assert (repo / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (repo / "README.md").read_text(encoding="utf-8").startswith("# lab\n")


def test_init_into_a_file_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x\n", encoding="utf-8")
    result = run_cli("init", target, "--no-solve", "--force")
    assert result.exit_code == 2
    assert "is a file" in result.stderr or "not a directory" in result.stderr


def test_init_unknown_recipe_suggests(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("init", "--recipe", "pytorch", tmp_path / "lab", "--no-solve")
    assert result.exit_code == 2
    assert "unknown recipe `pytorch`" in result.stderr
    assert "did you mean `pytorch-cuda`?" in result.stderr
    for recipe in list_recipes():
        assert recipe.name in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "lab").exists()


def test_init_name_option(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "My Lab"
    assert run_cli("init", repo, "--no-solve").exit_code == 0
    assert _yaml(repo / "spec.yaml")["name"] == "base", "an invalid folder name falls back"
    other = tmp_path / "other"
    result = run_cli("init", other, "--no-solve", "--recipe", "jax-cuda", "--name", "1.10")
    assert result.exit_code == 0, result.output
    assert _yaml(other / "spec.yaml")["name"] == "1.10"
    assert 'name: "1.10"' in (other / "spec.yaml").read_text(encoding="utf-8")
    assert run_cli("validate", other / "spec.yaml").exit_code == 0


def test_init_bad_name_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "lab", "--no-solve", "--name", "no spaces")
    assert result.exit_code == 2
    assert "not a valid environment name" in result.stderr
    assert not (tmp_path / "lab").exists()


@pytest.mark.snapshot
def test_init_an_unsolvable_recipe_writes_nothing_and_names_the_spec(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path
) -> None:
    """tensorflow cannot be solved on the snapshot (see tests/recipes): exit 3, the error
    points into DIR/spec.yaml (not a temporary copy), and nothing is written."""
    repo = tmp_path / "tf-lab"
    result = run_cli("init", "--recipe", "tensorflow", repo, *_mirror(shared_channels))
    assert result.exit_code == 3, result.output
    assert f"{repo / 'spec.yaml'}:" in result.stderr
    assert "hybrid-init-" not in result.stderr
    assert "--no-solve" in result.stderr
    assert not repo.exists()


def test_the_workflow_runs_hybrid_check(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "lab"
    assert run_cli("init", repo, "--no-solve").exit_code == 0
    workflow = _yaml(repo / ".github" / "workflows" / "hybrid-check.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    steps = workflow["jobs"]["hybrid-check"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "hybrid check spec.yaml" in runs
    pin = f'"{DISTRIBUTION}=={__version__}"'  # the running hybrid, under its PyPI name
    assert f"python -m pip install {pin}" in runs


def test_pre_commit_uses_the_hybrid_check_hook(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "lab"
    assert run_cli("init", repo, "--no-solve").exit_code == 0
    config = _yaml(repo / ".pre-commit-config.yaml")
    hooks = [hook["id"] for entry in config["repos"] for hook in entry["hooks"]]
    assert hooks == ["hybrid-check"]
    published = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in published if h["id"] == "hybrid-check")
    assert hook["args"] == ["spec.yaml"], "the hook checks spec.yaml at the repository root"


def test_gitignore_keeps_the_lock_files(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "lab"
    assert run_cli("init", repo, "--no-solve").exit_code == 0
    patterns = [
        line
        for line in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert "__pycache__/" in patterns
    assert not [p for p in patterns if "lock" in p or "spec" in p or p.endswith((".yml", ".txt"))]
