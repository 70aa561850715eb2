"""`hybrid init`'s pre-commit hook: a local hook installing the running hybrid from PyPI by
default, or the hook of the repository `--hook-repo` names; pre-commit's own validator reads
both configurations, and the local hook runs what hybrid's published hook runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from hybrid import DISTRIBUTION, __version__
from tests.conftest import REPO, RunCli

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
    "pre-commit")
SAME_AS_PUBLISHED = ("id", "entry", "args", "language", "always_run", "pass_filenames")


def _repos(directory: Path) -> list[dict[str, Any]]:
    config = YAML(typ="safe").load((directory / ".pre-commit-config.yaml").read_text("utf-8"))
    repos = config["repos"]
    assert isinstance(repos, list)
    return repos


def _validate(config: Path) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    return subprocess.run([PRE_COMMIT, "validate-config", str(config)], capture_output=True,
                          text=True, check=False, timeout=60)


def test_default_hook_is_local_and_installs_the_running_hybrid(
    run_cli: RunCli, tmp_path: Path
) -> None:
    repo = tmp_path / "lab"
    assert run_cli("init", repo, "--no-solve").exit_code == 0
    [entry] = _repos(repo)
    assert entry["repo"] == "local"
    [hook] = entry["hooks"]
    assert hook["additional_dependencies"] == [f"{DISTRIBUTION}=={__version__}"]
    published = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    [shipped] = [h for h in published if h["id"] == hook["id"]]
    assert {k: hook[k] for k in SAME_AS_PUBLISHED} == {k: shipped[k] for k in SAME_AS_PUBLISHED}
    assert "example" not in (repo / ".pre-commit-config.yaml").read_text("utf-8")


def test_hook_repo_names_the_repository_at_the_running_version(
    run_cli: RunCli, tmp_path: Path
) -> None:
    repo = tmp_path / "lab"
    url = "https://github.com/our-lab/hybrid"
    assert run_cli("init", repo, "--no-solve", "--hook-repo", url).exit_code == 0
    assert _repos(repo) == [{"repo": url, "rev": f"v{__version__}",
                             "hooks": [{"id": "hybrid-check"}]}]


@pytest.mark.parametrize("bad", ["", "has space", "local", "x\ny: 1"])
def test_a_bad_hook_repo_is_a_usage_error_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path, bad: str
) -> None:
    repo = tmp_path / "lab"
    result = run_cli("init", repo, "--no-solve", "--hook-repo", bad)
    assert result.exit_code == 2, result.output
    assert "--hook-repo" in result.stderr and "Traceback" not in result.output
    assert not repo.exists()


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (the test extra)")
@pytest.mark.parametrize("options", [[], ["--hook-repo", "https://github.com/our-lab/hybrid"]])
def test_pre_commit_accepts_the_configuration(
    run_cli: RunCli, tmp_path: Path, options: list[str]
) -> None:
    repo = tmp_path / "lab"
    assert run_cli("init", repo, "--no-solve", *options).exit_code == 0
    done = _validate(repo / ".pre-commit-config.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (the test extra)")
def test_pre_commit_refuses_a_broken_configuration(tmp_path: Path) -> None:
    """The validator above can fail: a hook without an id is refused."""
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos:\n  - repo: local\n    hooks:\n      - name: x\n", "utf-8")
    assert _validate(config).returncode != 0
