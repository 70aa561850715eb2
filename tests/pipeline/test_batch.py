"""Many specs in one run: which files are specs, one shared gateway and mapping, failures
kept to their spec, outcomes in the order given."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
import rattler

from hybrid.cache import cache_dir
from hybrid.errors import CondaUnsatisfiableError, ExitCode, SpecError, UsageError
from hybrid.pipeline.batch import distinct_specs, find_specs, solve_specs, worst_exit_code
from hybrid.pipeline.context import MappingCache
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.progress import ProgressEvent
from hybrid.spec.channels import parse_mirrors

SPEC = """\
version: 1
name: {name}
channels: [hybrid-demo]
platforms: [{platforms}]
python: "3.11"
conda:
  - {package}
"""


def _write(root: Path, folder: str, *, package: str = "numpy", platforms: str = "linux-64"
           ) -> Path:
    path = root / folder / "spec.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    name = folder.replace("/", "-").strip(".-") or "x"
    path.write_text(SPEC.format(name=name, package=package, platforms=platforms),
                    encoding="utf-8")
    return path


def test_find_specs_skips_hidden_directories_node_modules_and_virtual_environments(
    tmp_path: Path,
) -> None:
    wanted = [_write(tmp_path, f) for f in (".", "b", "a/deep/er")]
    for skipped in (".git/x", ".venv/lib", "node_modules/pkg", "venv/share", "b/__pycache__"):
        _write(tmp_path, skipped)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "a" / "link").symlink_to(tmp_path / "b", target_is_directory=True)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "spec.yml").write_text("not the name\n")
    assert find_specs(tmp_path) == sorted(wanted)


def test_find_specs_needs_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a directory"):
        find_specs(tmp_path / "missing")


def test_the_same_spec_twice_is_solved_once_and_two_in_one_directory_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _write(tmp_path, "a")
    monkeypatch.chdir(tmp_path)
    assert distinct_specs([spec, Path("a/spec.yaml")]) == [spec]
    other = spec.with_name("gpu.yaml")
    other.write_text(spec.read_text())
    with pytest.raises(UsageError, match="same directory"):
        distinct_specs([spec, other])


def test_mappings_load_once_per_source(tmp_path: Path) -> None:
    cache = MappingCache()

    def load(*channels: str) -> object:
        return cache.load(channels, override=None, offline=True, cache_dir=tmp_path)

    conda_forge = load("conda-forge")
    assert load("conda-forge", "bioconda") is conda_forge  # both read conda-forge's
    assert load("pytorch", "conda-forge") is not conda_forge


@pytest.fixture
def options(demo_channel: Path) -> SolveOptions:
    mirrors = parse_mirrors((f"hybrid-demo={demo_channel}",), base_dir=Path.cwd())
    return SolveOptions(cache_dir=cache_dir(), mirrors=mirrors)


GATEWAY = rattler.Gateway


def _gateways() -> int:
    return sum(isinstance(obj, GATEWAY) for obj in gc.get_objects())


def test_specs_share_one_gateway_and_a_failure_stays_with_its_spec(
    tmp_path: Path, options: SolveOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = [
        _write(tmp_path, "one", platforms="linux-64, osx-arm64"),
        _write(tmp_path, "broken", package="numpy <1"),
        _write(tmp_path, "two", platforms="win-64"),
        _write(tmp_path, "three", package="numpy 1.26.*"),
    ]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "spec.yaml").write_text("version: 1\nconda: [numpy]\n")
    specs.append(tmp_path / "bad" / "spec.yaml")
    made: list[Any] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(None)
        return GATEWAY(*args, **kwargs)

    monkeypatch.setattr(rattler, "Gateway", counted)  # the one rattler_backend calls
    events: list[ProgressEvent] = []
    before = _gateways()
    outcomes = list(solve_specs(specs, options, jobs=3, progress=events.append))
    assert len(made) == 1
    assert _gateways() == before  # released when the batch ended
    assert [o.spec_path for o in outcomes] == specs
    assert [o.exit_code for o in outcomes] == [
        ExitCode.OK, ExitCode.UNSATISFIABLE, ExitCode.OK, ExitCode.OK, ExitCode.USAGE,
    ]  # fmt: skip
    assert isinstance(outcomes[1].error, CondaUnsatisfiableError)
    assert isinstance(outcomes[4].error, SpecError)
    assert worst_exit_code(outcomes) == ExitCode.UNSATISFIABLE
    assert "/numpy-1.26." in (tmp_path / "three" / "conda-linux-64.lock").read_text()
    assert (tmp_path / "two" / "conda-win-64.lock").is_file()
    assert not (tmp_path / "broken" / "environment.yml").exists()
    # every event names its spec; each spec starts, then ends once, done or failed
    ends = {e.spec: e.phase for e in events if e.kind == "spec" and e.phase != "start"}
    assert ends == {
        specs[0]: "done", specs[1]: "failed", specs[2]: "done", specs[3]: "done",
        specs[4]: "failed",
    }  # fmt: skip
    for spec in specs:
        mine = [e for e in events if e.spec == spec]
        assert (mine[0].kind, mine[0].phase) == ("spec", "start")
        assert mine[-1].kind == "spec"
