"""The contract every registered conda solver (`SOLVERS`) is held to: the same scenarios, the
same outputs. A backend whose engine is not importable here is skipped, saying why; a new
backend added to `SOLVERS` runs every test below without further change.

The generated-channel cases need nothing but the backend; the real-snapshot cases read
`../shared/channels` in place (skipped when absent)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid.conda.model import LockedRef, SolveRequest
from hybrid.conda.requests import solve_requests
from hybrid.conda.solver import SOLVERS, CondaSolver, SolverOptions, get_solver
from hybrid.devtools.local_channel import PackageSpec
from hybrid.errors import BackendError, CondaUnsatisfiableError
from hybrid.spec import load_spec
from hybrid.spec.channels import parse_mirrors
from hybrid.spec.variants import spec_variants
from tests.conda.golden import assert_golden_tree
from tests.conda.helpers import (
    CONDA_FORGE_URL,
    channel_index,
    explicit_lines,
    make_channel,
)
from tests.conda.test_scenarios import SCENARIOS, _extra_args, _marks, _mirrors
from tests.conftest import RunCli
from tests.pages import PageHandler, QuietServer

OFFLINE_SCENARIOS = [case for case in SCENARIOS if not _marks(case)]


@pytest.fixture(params=sorted(SOLVERS))
def solver_name(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each registered backend, skipped with its own reason where it cannot load."""
    name: str = request.param
    try:
        get_solver(name, SolverOptions(cache_dir=tmp_path / "probe-cache"))  # type: ignore[arg-type]
    except BackendError as exc:
        pytest.skip(f"the {name} backend cannot run here: {exc}")
    return name


def _solver(name: str, tmp_path: Path) -> CondaSolver:
    return get_solver(name, SolverOptions(cache_dir=tmp_path / "cache"))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`high` has `pkg 1.0`; `low` has `pkg 2.0`, `extra` and `needs-pkg2` (needs pkg >=2);
    `versions` has `lib 1.0` and `lib 2.0` (both noarch), and `app` needing any `lib`."""
    root = tmp_path_factory.mktemp("contract")
    make_channel(root / "high", [PackageSpec(name="pkg", version="1.0")])
    make_channel(
        root / "low",
        [
            PackageSpec(name="pkg", version="2.0"),
            PackageSpec(name="extra", version="3.0", subdir="linux-64"),
            PackageSpec(name="needs-pkg2", version="1.0", depends=("pkg >=2",)),
        ],
    )
    make_channel(
        root / "versions",
        [
            PackageSpec(name="lib", version="1.0"),
            PackageSpec(name="lib", version="2.0"),
            PackageSpec(name="app", version="1.0", depends=("lib",), timestamp=1704067200000),
            PackageSpec(name="new-glibc", version="1.0", subdir="linux-64",
                        depends=("__glibc >=2.34",)),
        ],
    )  # fmt: skip
    return root


def _spec(folder: Path, channels: str, conda: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(
        f"version: 1\nname: contract\nchannels: {channels}\nplatforms: [linux-64]\n"
        "conda:\n" + "".join(f"  - {entry}\n" for entry in conda.split(",")) + extra,
        encoding="utf-8",
    )
    return path


def _names_versions(out: Path, platform: str = "linux-64") -> dict[str, str]:
    return {line.name: line.version for line in explicit_lines(out / f"conda-{platform}.lock")}


# -- the golden scenarios: byte-identical outputs whatever the backend -------------------------


@pytest.mark.parametrize("case", OFFLINE_SCENARIOS, ids=[c.name for c in OFFLINE_SCENARIOS])
def test_golden_scenarios_are_byte_identical(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path, case: Path, solver_name: str
) -> None:
    """Strict priority over mirrors, a snapshot date, CUDA variants with their build rules
    and virtual packages: every file the solve writes matches the scenario's `expected/`."""
    out = tmp_path / "out"
    mirrors = _mirrors(case, tmp_path / "channels", demo_channel)
    options = [arg for mirror in mirrors for arg in ("--mirror", mirror)]
    result = run_cli(
        "solve", case / "spec.yaml", "-o", out, "--solver", solver_name,
        *options, *_extra_args(case),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_golden_tree(out, case / "expected")


# -- strict channel priority -------------------------------------------------------------------


def test_the_first_channel_with_a_name_owns_it(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, f"['{(channels / 'high').as_uri()}', '{(channels / 'low').as_uri()}']",
                 "pkg,extra")  # fmt: skip
    result = run_cli("solve", spec, "--solver", solver_name)
    assert result.exit_code == 0, result.output
    urls = sorted(line.url for line in explicit_lines(tmp_path / "conda-linux-64.lock"))
    assert urls == [
        f"{(channels / 'high').as_uri()}/noarch/pkg-1.0-0.tar.bz2",
        f"{(channels / 'low').as_uri()}/linux-64/extra-3.0-0.tar.bz2",
    ]


@pytest.mark.parametrize("entry", ["pkg >=2", "needs-pkg2"])
def test_a_lower_channel_never_supplies_a_name_a_higher_one_has(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str, entry: str
) -> None:
    """Directly (`pkg >=2`) or through a dependency (`needs-pkg2` needs `pkg >=2`)."""
    spec = _spec(tmp_path, f"['{(channels / 'high').as_uri()}', '{(channels / 'low').as_uri()}']",
                 entry)  # fmt: skip
    result = run_cli("solve", spec, "--solver", solver_name)
    assert result.exit_code == 3, result.output
    assert "linux-64" in result.stderr
    assert "pkg" in result.stderr
    assert not (tmp_path / "conda-linux-64.lock").exists()


@pytest.mark.parametrize("entry", ["app", "lab::app"])
def test_mirrors_keep_canonical_urls(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str, entry: str
) -> None:
    """Also for a spec that names its channel: it is read from the mirror too."""
    spec = _spec(tmp_path, "[lab]", entry)
    result = run_cli(
        "solve", spec, "--solver", solver_name, "--mirror", f"lab={channels / 'versions'}"
    )
    assert result.exit_code == 0, result.output
    urls = sorted(line.url for line in explicit_lines(tmp_path / "conda-linux-64.lock"))
    assert urls == [
        "https://conda.anaconda.org/lab/noarch/app-1.0-0.tar.bz2",
        "https://conda.anaconda.org/lab/noarch/lib-2.0-0.tar.bz2",
    ]


def test_a_group_solves_on_top_of_the_pinned_base(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str
) -> None:
    """Every base record is locked by its file's hash in the group's solve
    (`pipeline/group_conda.exact_pin`): the group adds `app` and keeps the base's `lib 1.0`,
    although `app` alone would take `lib 2.0`."""
    spec = _spec(tmp_path, "[lab]", "lib 1.*", extra="groups:\n  dev:\n    conda: [app]\n")
    result = run_cli(
        "solve", spec, "--solver", solver_name, "--mirror", f"lab={channels / 'versions'}"
    )
    assert result.exit_code == 0, result.output
    assert _names_versions(tmp_path) == {"lib": "1.0"}
    dev = {line.name: line.version for line in explicit_lines(tmp_path / "conda-linux-64.dev.lock")}
    assert dev == {"lib": "1.0", "app": "1.0"}


class _ChannelFiles(PageHandler):
    """Serves the files under `root` (a channel directory); 404 for anything else."""

    root: Path

    def do_GET(self) -> None:
        path = (self.root / self.path.split("?")[0].lstrip("/")).resolve()
        if not path.is_file() or self.root not in path.parents:
            self.send_error(404)
            return
        self.send_page(path.read_bytes(), "application/json")


@pytest.fixture
def http_channel(channels: Path) -> Iterator[str]:
    """The `versions` channel served on loopback over plain HTTP."""
    handler = type("Handler", (_ChannelFiles,), {"root": (channels / "versions").resolve()})
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_channel_is_fetched_then_read_offline_from_the_cache(
    run_cli: RunCli, http_channel: str, tmp_path: Path, solver_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "cache"))
    spec = _spec(tmp_path, f"['{http_channel}']", "app")
    online = run_cli("solve", spec, "--solver", solver_name, "-o", tmp_path / "online")
    assert online.exit_code == 0, online.output
    lines = explicit_lines(tmp_path / "online" / "conda-linux-64.lock")
    assert sorted(line.url for line in lines) == [
        f"{http_channel}/noarch/app-1.0-0.tar.bz2",
        f"{http_channel}/noarch/lib-2.0-0.tar.bz2",
    ]
    offline = run_cli(
        "solve", spec, "--solver", solver_name, "--offline", "-o", tmp_path / "offline"
    )
    assert offline.exit_code == 0, offline.output


# -- snapshot dates ----------------------------------------------------------------------------

DEMO_SPEC = "version: 1\nname: snap\nchannels: [hybrid-demo]\nplatforms: [linux-64, win-64]\n" \
    'python: "3.11"\nconda:\n  - numpy\n'  # fmt: skip


@pytest.mark.parametrize(
    ("snapshot", "numpy"), [("2024-08-01", "1.26.4"), ("2024-09-05", "2.1.1"), (None, "2.1.1")]
)
def test_a_snapshot_picks_what_existed_then(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path, solver_name: str,
    snapshot: str | None, numpy: str,
) -> None:  # fmt: skip
    spec = tmp_path / "spec.yaml"
    spec.write_text(DEMO_SPEC, encoding="utf-8")
    dated = ["--snapshot", snapshot] if snapshot else []
    mirror = ["--mirror", f"hybrid-demo={demo_channel}"]
    result = run_cli("solve", spec, "--solver", solver_name, *mirror, *dated)
    assert result.exit_code == 0, result.output
    for platform in ("linux-64", "win-64"):
        assert _names_versions(tmp_path, platform)["numpy"] == numpy


def test_a_snapshot_before_the_requested_python_is_unsatisfiable(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(DEMO_SPEC, encoding="utf-8")
    result = run_cli(
        "solve", spec, "--solver", solver_name, "--mirror", f"hybrid-demo={demo_channel}",
        "--snapshot", "2024-03-01",
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "python" in result.stderr


# -- unsatisfiable specs -----------------------------------------------------------------------


def test_unsatisfiable_names_the_platform_and_the_spec_entry(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, f"['{(channels / 'versions').as_uri()}']", "app,lib >=3")
    result = run_cli("solve", spec, "--solver", solver_name)
    assert result.exit_code == 3, result.output
    assert "linux-64" in result.stderr
    assert "spec entries involved" in result.stderr
    assert "lib >=3" in result.stderr
    assert "Traceback" not in result.output


def test_a_name_no_channel_has_blames_the_channel_list(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, f"['{(channels / 'versions').as_uri()}']", "app,no-such-thing")
    result = run_cli("solve", spec, "--solver", solver_name)
    assert result.exit_code == 3, result.output
    assert "the channel list is the cause" in result.stderr
    assert "`no-such-thing`" in result.stderr


# -- virtual packages: the spec's system floors ------------------------------------------------


def test_the_glibc_floor_decides(
    run_cli: RunCli, channels: Path, tmp_path: Path, solver_name: str
) -> None:
    channel = f"['{(channels / 'versions').as_uri()}']"
    refused = run_cli("solve", _spec(tmp_path / "a", channel, "new-glibc"), "--solver", solver_name)
    assert refused.exit_code == 3, refused.output
    assert "__glibc" in refused.stderr
    raised = _spec(tmp_path / "b", channel, "new-glibc", 'system: {glibc: "2.35"}\n')
    result = run_cli("solve", raised, "--solver", solver_name)
    assert result.exit_code == 0, result.output
    assert _names_versions(tmp_path / "b") == {"new-glibc": "1.0"}


# -- what the pipeline adds: pip for a pip layer, the previous lock for `update` ---------------


def _requests(spec_path: Path, mirror: str, **kwargs: object) -> tuple[SolveRequest, ...]:
    spec = load_spec(spec_path)
    (variant,) = spec_variants(spec)
    mirrors = parse_mirrors([mirror], base_dir=spec_path.parent)
    return solve_requests(spec, variant, mirrors=mirrors, **kwargs)  # type: ignore[arg-type]


def test_a_pip_layer_gets_pip_and_python(
    demo_channel: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nname: p\nchannels: [hybrid-demo]\nplatforms: [linux-64]\n"
        "conda:\n  - numpy\npip:\n  - requests\n",
        encoding="utf-8",
    )
    requests = _requests(spec, f"hybrid-demo={demo_channel}")
    (solution,) = _solver(solver_name, tmp_path).solve(requests)
    names = solution.by_name()
    assert {"pip", "python", "numpy"} <= names.keys()
    order = [p.name for p in solution.packages]
    assert order.index("python") < order.index("pip")  # install order: python first


def test_the_previous_lock_is_kept_where_possible(
    channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, "[lab]", "app")
    mirror = f"lab={channels / 'versions'}"
    locked = {"linux-64": (LockedRef(name="lib", version="1.0", build="0", subdir="noarch"),)}
    solver = _solver(solver_name, tmp_path)
    (fresh,) = solver.solve(_requests(spec, mirror))
    (kept,) = solver.solve(_requests(spec, mirror, locked=locked))
    assert fresh.by_name()["lib"].version == "2.0"
    assert kept.by_name()["lib"].version == "1.0"
    assert sorted(kept.by_name()) == ["app", "lib"]


def test_records_carry_what_the_writers_need(
    channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, "[lab]", "app")
    (solution,) = _solver(solver_name, tmp_path).solve(
        _requests(spec, f"lab={channels / 'versions'}")
    )
    app = solution.by_name()["app"]
    assert app.url == "https://conda.anaconda.org/lab/noarch/app-1.0-0.tar.bz2"
    assert app.channel == "https://conda.anaconda.org/lab"
    assert app.fn == "app-1.0-0.tar.bz2"
    assert app.md5 and len(app.md5) == 32
    assert app.sha256 and len(app.sha256) == 64
    assert app.depends == ("lib",)
    assert app.subdir == "noarch"
    assert app.timestamp == dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert [p.name for p in solution.packages] == ["lib", "app"]


def test_unsatisfiable_is_raised_per_platform(
    channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = _spec(tmp_path, "[lab]", "lib >=3")
    with pytest.raises(CondaUnsatisfiableError) as caught:
        _solver(solver_name, tmp_path).solve(_requests(spec, f"lab={channels / 'versions'}"))
    assert caught.value.platform == "linux-64"
    assert "lib" in caught.value.explanation


# -- the real snapshot -------------------------------------------------------------------------

PLATFORMS = ("linux-64", "osx-64", "osx-arm64", "win-64")
SCIENTIFIC_SPEC = """\
version: 1
name: sci
channels: [conda-forge]
platforms: [linux-64, osx-64, osx-arm64, win-64]
python: "3.11"
conda:
  - numpy
  - scipy
  - pandas
  - scikit-learn
"""


@pytest.mark.snapshot
def test_scientific_four_platforms_on_the_snapshot(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SCIENTIFIC_SPEC, encoding="utf-8")
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    result = run_cli("solve", spec, "--solver", solver_name, "--mirror", mirror, "--json")
    assert result.exit_code == 0, result.output
    index = channel_index(shared_channels / "conda-forge", CONDA_FORGE_URL)
    for platform in PLATFORMS:
        lines = explicit_lines(tmp_path / f"conda-{platform}.lock")
        names = {line.name for line in lines}
        assert {"python", "numpy", "scipy", "pandas", "scikit-learn"} <= names
        for line in lines:
            assert line.url in index, line.url
            assert index[line.url]["md5"] == line.digest
        python = next(line for line in lines if line.name == "python")
        assert python.version.startswith("3.11.")
    (verified,) = json.loads(result.stdout)["verification"].values()
    assert sorted(v["platform"] for v in verified) == sorted(PLATFORMS)


@pytest.mark.snapshot
def test_pytorch_cuda_variants_on_conda_forge(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nname: gpu\nchannels: [conda-forge]\nplatforms: [linux-64, osx-arm64]\n"
        'python: "3.11"\ncuda: [cpu, "12.6"]\nconda:\n  - pytorch\n',
        encoding="utf-8",
    )
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    result = run_cli("solve", spec, "--solver", solver_name, "--mirror", mirror)
    assert result.exit_code == 0, result.output
    cuda = explicit_lines(tmp_path / "cuda-12.6" / "conda-linux-64.lock")
    (torch,) = [line for line in cuda if line.name == "pytorch"]
    assert "cuda126" in torch.filename, torch.url
    assert any(line.name == "cuda-version" and line.version == "12.6" for line in cuda)
    for platform in ("linux-64", "osx-arm64"):
        cpu = explicit_lines(tmp_path / "cpu" / f"conda-{platform}.lock")
        (torch,) = [line for line in cpu if line.name == "pytorch"]
        assert "cuda" not in torch.filename, torch.url
        assert not any(line.name.startswith("cuda-") for line in cpu)


@pytest.mark.snapshot
def test_pytorch_cuda_on_the_pytorch_channel(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path, solver_name: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nname: pt\nchannels: [pytorch, nvidia, conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\ncuda: "12.1"\nconda:\n  - pytorch\n',
        encoding="utf-8",
    )
    mirrors = [
        arg
        for name in ("pytorch", "nvidia", "conda-forge")
        for arg in ("--mirror", f"{name}={shared_channels / name}")
    ]
    result = run_cli("solve", spec, "--solver", solver_name, *mirrors)
    assert result.exit_code == 0, result.output
    urls = [line.url for line in explicit_lines(tmp_path / "conda-linux-64.lock")]
    assert any("conda.anaconda.org/pytorch/linux-64/pytorch-cuda-12.1-" in u for u in urls)
    (torch,) = [u for u in urls if "/pytorch-2" in u or "/pytorch-1" in u]
    assert "cuda12.1" in torch, torch
