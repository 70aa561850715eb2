"""conda-lock.yml as its consumers read it: conda-lock's parser, `conda-lock render`, pip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conda_lock.lockfile import parse_conda_lock_file

from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.emit.conda_lock_yml import is_vcs_url, render_conda_lock_yml
from hybrid.emit.header import Header
from hybrid.pypi.model import PipArtifact
from hybrid.spec.channels import ChannelRef

CONDA_FORGE = "https://conda.anaconda.org/conda-forge"


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A local git repository holding a tiny package (no dependencies); (path, commit)."""
    repo = tmp_path_factory.mktemp("gitpkg-repo")
    (repo / "gitpkg").mkdir()
    (repo / "gitpkg" / "__init__.py").write_text("VALUE = 1\n")
    (repo / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "gitpkg"\nversion = "0.1.0"\n'
    )
    git = ["git", "-c", "user.name=hybrid", "-c", "user.email=hybrid@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "gitpkg 0.1.0"], cwd=repo, check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    return repo, commit


def _lock(tmp_path: Path, repo: Path, commit: str) -> Path:
    python = CondaPackage(
        name="python", version="3.11.9", build="h0_0_cpython", build_number=0,
        subdir="linux-64", channel=CONDA_FORGE,
        url=f"{CONDA_FORGE}/linux-64/python-3.11.9-h0_0_cpython.conda",
        fn="python-3.11.9-h0_0_cpython.conda", md5="0" * 32, sha256="f" * 64, depends=(),
    )  # fmt: skip
    request = SolveRequest(platform="linux-64", specs=(), channels=(), virtual_packages=())
    url = f"git+{repo.as_uri()}@{commit}"
    # The artifact as the pip layer hands it over: a VCS pin's "sha256" is its commit id.
    pip = PipArtifact(platform="linux-64", name="gitpkg", version="0.1.0", url=url, sha256=commit)
    text = render_conda_lock_yml(
        [CondaSolution(request=request, packages=(python,))],
        Header(spec_name="spec.yaml", input_hash="sha256:" + "ab" * 32),
        channels=[ChannelRef(written="conda-forge", canonical_url=CONDA_FORGE,
                             location_url=CONDA_FORGE)],
        spec_file="spec.yaml",
        pip=[pip],
    )  # fmt: skip
    path = tmp_path / "conda-lock.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _render(lock: Path, kind: str, cwd: Path) -> str:
    conda_lock = Path(sys.executable).with_name("conda-lock")
    subprocess.run(
        [str(conda_lock), "render", "-k", kind, "-p", "linux-64", str(lock)],
        cwd=cwd, check=True, capture_output=True, text=True,
    )  # fmt: skip
    suffix = ".lock.yml" if kind == "env" else ".lock"
    return (cwd / f"conda-linux-64{suffix}").read_text(encoding="utf-8")


def test_a_git_reference_has_no_fake_hash(tmp_path: Path, git_repo: tuple[Path, str]) -> None:
    repo, commit = git_repo
    lockfile = parse_conda_lock_file(_lock(tmp_path, repo, commit))
    (pip,) = [p for p in lockfile.package if p.manager == "pip"]
    assert pip.hash.sha256 is None and pip.hash.md5 is None
    assert pip.url == f"git+{repo.as_uri()}@{commit}"
    assert pip.source is not None and pip.source.url == pip.url


def test_conda_lock_render_gives_lines_pip_installs(
    tmp_path: Path, git_repo: tuple[Path, str]
) -> None:
    repo, commit = git_repo
    lock = _lock(tmp_path, repo, commit)
    expected = f"gitpkg @ git+{repo.as_uri()}@{commit}"
    env = _render(lock, "env", tmp_path)
    pip_lines = [line.strip()[2:] for line in env.splitlines() if line.startswith("      - ")]
    assert pip_lines == [expected]
    assert f"# pip {expected}" in _render(lock, "explicit", tmp_path).splitlines()
    requirements = tmp_path / "from-conda-lock.txt"
    requirements.write_text("\n".join(pip_lines) + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    finished = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
         "--no-build-isolation", "--quiet", "--report", str(report), "-r", str(requirements)],
        capture_output=True, text=True,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"},
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    assert commit in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "vcs"),
    [
        ("git+https://github.com/o/r@" + "a" * 40, True),
        ("git+ssh://git@github.com/o/r.git@v1", True),
        ("hg+https://hg.example.org/r@1", True),
        ("https://files.pythonhosted.org/packages/x/six-1.16.0-py2.py3-none-any.whl", False),
        ("file:///tmp/wheels/six-1.16.0-py2.py3-none-any.whl", False),
    ],
)
def test_is_vcs_url(url: str, vcs: bool) -> None:
    assert is_vcs_url(url) is vcs


def test_a_package_is_put_in_the_categories_given_for_it(tmp_path: Path) -> None:
    """`categories` (by manager, name, platform) puts a package in a dependency group; any
    other package stays in `main`, and conda-lock's parser reads both back."""
    packages = tuple(
        CondaPackage(
            name=name, version="1.0", build="0", build_number=0, subdir="linux-64",
            channel=CONDA_FORGE, url=f"{CONDA_FORGE}/linux-64/{name}-1.0-0.conda",
            fn=f"{name}-1.0-0.conda", md5="0" * 32, sha256="f" * 64, depends=(),
        )
        for name in ("python", "pytest")
    )  # fmt: skip
    request = SolveRequest(platform="linux-64", specs=(), channels=(), virtual_packages=())
    text = render_conda_lock_yml(
        [CondaSolution(request=request, packages=packages)],
        Header(spec_name="spec.yaml", input_hash="sha256:" + "ab" * 32),
        channels=[ChannelRef(written="conda-forge", canonical_url=CONDA_FORGE,
                             location_url=CONDA_FORGE)],
        spec_file="spec.yaml",
        categories={("conda", "pytest", "linux-64"): frozenset({"dev"})},
    )  # fmt: skip
    assert "  category: dev\n  optional: true\n" in text
    path = tmp_path / "conda-lock.yml"
    path.write_text(text, encoding="utf-8")
    parsed = {p.name: p.categories for p in parse_conda_lock_file(path).package}
    assert parsed == {"python": {"main"}, "pytest": {"dev"}}
