"""The real `hybrid` process exits with its documented code, never a crash at shutdown.

rattler's native threads crashed the interpreter at exit (134/139, about one run in seven)
when an unsatisfiable solve left rattler objects to be freed during shutdown. Running the
process many times only makes that crash unlikely to slip through; the tests here check the
mechanism instead, deterministically: the error a failed solve raises reaches no rattler
object (`_detached` in conda/rattler_backend.py), and no rattler gateway outlives the solve
once the error is dropped. Two runs of the console script check the exit code.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import rattler

from hybrid.conda.model import SolveRequest
from hybrid.conda.solver import CondaSolver, SolverOptions, get_solver
from hybrid.errors import CondaUnsatisfiableError, ExitCode
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec
from tests.conftest import WriteSpec

HYBRID = Path(sys.executable).with_name("hybrid")


def _is_rattler(obj: object) -> bool:
    module = type(obj).__module__ or ""
    return module == "rattler" or module.startswith("rattler.")


def _rattler_objects_reachable(root: object) -> list[str]:
    """Types of the rattler objects reachable from `root`, through attributes, containers,
    tracebacks and their frames' locals (not through modules, classes or functions, which
    reach global state the error does not hold)."""
    seen: set[int] = set()
    stack: list[object] = [root]
    found: list[str] = []
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if _is_rattler(obj):
            found.append(f"{type(obj).__module__}.{type(obj).__qualname__}")
        elif isinstance(obj, types.FrameType):
            stack.extend(obj.f_locals.values())
        elif not isinstance(
            obj, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType,
                  types.CodeType),
        ):
            stack.extend(gc.get_referents(obj))
    return sorted(set(found))


def _gateways() -> int:
    return sum(isinstance(obj, rattler.Gateway) for obj in gc.get_objects())


@pytest.fixture
def unsatisfiable(demo_channel: Path) -> SolveRequest:
    """`numpy <1` on the demo channel, which has numpy 1.26 and 2.1 only."""
    channel = ChannelRef(
        written="hybrid-demo",
        canonical_url="https://conda.anaconda.org/hybrid-demo",
        location_url=demo_channel.as_uri(),
    )
    return SolveRequest(
        platform="linux-64",
        specs=(CondaMatchSpec(name="numpy", version="<1"),),
        channels=(channel,),
        virtual_packages=(),
    )


@pytest.fixture
def solver(tmp_path: Path) -> CondaSolver:
    return get_solver("rattler", SolverOptions(cache_dir=tmp_path / "cache"))


@pytest.fixture
def no_automatic_gc() -> Iterator[None]:
    """Only reference counting frees objects: a cycle that keeps rattler alive stays visible."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_the_error_of_a_failed_solve_reaches_no_rattler_object(
    solver: CondaSolver, unsatisfiable: SolveRequest
) -> None:
    with pytest.raises(CondaUnsatisfiableError) as caught:
        solver.solve([unsatisfiable])
    assert "numpy <1" in caught.value.explanation
    assert _rattler_objects_reachable(caught.value) == []


def test_a_failed_solve_leaves_no_gateway_alive(
    solver: CondaSolver, unsatisfiable: SolveRequest, no_automatic_gc: None
) -> None:
    """Nothing outlives the solve (a gateway kept for reuse would be freed at shutdown)."""
    # Gateways of earlier tests (a batch's, freed by its worker thread) are held here, so the
    # count can only change by what this solve leaves behind.
    held = [obj for obj in gc.get_objects() if isinstance(obj, rattler.Gateway)]
    before = _gateways()
    assert before == len(held)
    with pytest.raises(CondaUnsatisfiableError):
        solver.solve([unsatisfiable])
    assert _gateways() == before
    del held


def _run(spec: Path, *mirrors: str) -> subprocess.CompletedProcess[str]:
    options = [arg for mirror in mirrors for arg in ("--mirror", mirror)]
    return subprocess.run(
        [str(HYBRID), "solve", str(spec), *options], capture_output=True, text=True, check=False
    )


def test_the_console_script_exits_3_on_an_unsatisfiable_solve(
    write_spec: WriteSpec, demo_channel: Path
) -> None:
    spec = write_spec(
        "version: 1\nname: u\nchannels: [hybrid-demo]\nplatforms: [linux-64, win-64]\n"
        "conda:\n  - numpy <1\n"
    )
    done = _run(spec, f"hybrid-demo={demo_channel}")
    assert done.returncode == ExitCode.UNSATISFIABLE, done.stderr
    assert "numpy <1" in done.stderr


@pytest.mark.snapshot
def test_the_console_script_exits_3_on_the_real_channel(
    write_spec: WriteSpec, shared_channels: Path
) -> None:
    """The case that crashed: four platforms of real conda-forge repodata."""
    spec = write_spec(
        "version: 1\nname: u\nchannels: [conda-forge]\n"
        "platforms: [linux-64, osx-64, osx-arm64, win-64]\nconda:\n  - numpy <1\n"
    )
    done = _run(spec, f"conda-forge={shared_channels / 'conda-forge'}")
    assert done.returncode == 3, done.stderr
