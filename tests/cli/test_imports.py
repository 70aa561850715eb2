"""What the commands that write or read `conda-lock.yml` import, in a fresh interpreter:
hybrid writes and reads it itself, so neither conda-lock nor pydantic is ever loaded, and
PyYAML only where a lock file is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("conda_lock", "pydantic", "yaml", "rattler", "jsonschema")
SPEC = """\
version: 1
name: imports
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda:
  - numpy
"""


def imported(*args: str | Path) -> tuple[int, set[str]]:
    """Run `hybrid ARGS…`: its exit code and which of HEAVY it loaded."""
    script = (
        "import sys\nfrom hybrid.cli.main import main\ncode = main(sys.argv[1:])\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print(code, *heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    code, *heavy = done.stdout.splitlines()[-1].split()
    return int(code), set(heavy)


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_solve_loads_the_solver_but_not_conda_lock_pydantic_or_pyyaml(
    spec: Path, demo_channel: Path
) -> None:
    code, heavy = imported("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert code == 0
    assert heavy == {"rattler", "jsonschema"}
    assert (spec.parent / "conda-lock.yml").is_file()


def test_a_conda_only_solve_loads_none_of_the_pip_layer(spec: Path, demo_channel: Path) -> None:
    script = (
        "import sys\nfrom hybrid.cli.main import main\ncode = main(sys.argv[1:])\n"
        "print(code, *sorted(m for m in sys.modules if m.startswith(('hybrid.pypi.',"
        " 'hybrid.pipeline.pip_layers', 'hybrid.pipeline.promote', 'hybrid.pipeline.groups'))))\n"
    )
    argv = ["solve", str(spec), "--mirror", f"hybrid-demo={demo_channel}"]
    done = subprocess.run([sys.executable, "-c", script, *argv],
                          capture_output=True, text=True, check=True)  # fmt: skip
    code, *loaded = done.stdout.splitlines()[-1].split()
    assert code == "0"
    # the lock model's types and the requirements.txt writer's markers only
    assert set(loaded) <= {"hybrid.pypi.model", "hybrid.pypi.resolver", "hybrid.pypi.platforms"}


def test_update_and_diff_read_locks_with_pyyaml_only(spec: Path, demo_channel: Path) -> None:
    mirror = f"hybrid-demo={demo_channel}"
    assert imported("solve", spec, "--mirror", mirror)[0] == 0
    code, heavy = imported("update", spec, "numpy", "--mirror", mirror)
    assert code == 0
    assert not {"conda_lock", "pydantic"} & heavy and "yaml" in heavy
    lock = spec.parent / "conda-lock.yml"
    code, heavy = imported("diff", lock, lock)
    assert code == 0
    assert heavy == {"yaml"}
