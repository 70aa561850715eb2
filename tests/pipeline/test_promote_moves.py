"""Which pins move to the conda layer, and the conda spec each becomes (the rules alone; the
loop runs real solves in test_promote.py)."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.mapping import builtin_mapping, provided_distributions
from hybrid.pipeline.promote_moves import Move, candidates, moves
from hybrid.pypi.model import PinnedDistribution, PipLayerResult, PipTarget
from hybrid.spec.model import Promote

MAPPING = builtin_mapping()


def _conda(name: str, version: str, *depends: str) -> CondaPackage:
    return CondaPackage(
        name=name, version=version, build="h0_0", build_number=0, subdir="linux-64",
        channel="https://conda.anaconda.org/conda-forge", url=f"https://x/{name}.conda",
        fn=f"{name}.conda", md5=None, sha256=None, depends=depends,
    )


def _moves(
    promote: Promote,
    conda: list[CondaPackage],
    pins: list[str],
    needs: Sequence[tuple[str | None, str]],
) -> tuple[Move, ...]:
    solution = CondaSolution(
        request=SolveRequest(platform="linux-64", specs=(), channels=(), virtual_packages=()),
        packages=tuple(conda),
    )
    layer = PipLayerResult(
        target=PipTarget(platform="linux-64", python_version="3.11.9"),
        pins=tuple(PinnedDistribution(name=n, version=Version("1.0")) for n in pins),
        resolver="uv",
        provided={str(k): v for k, v in provided_distributions(conda, MAPPING).items()},
    )
    found = candidates(promote, solution, layer, MAPPING)
    who: list[tuple[NormalizedName | None, Requirement]] = [
        (canonicalize_name(w) if w else None, Requirement(r)) for w, r in needs
    ]
    return moves(found, who, MAPPING)


PYTHON = _conda("python", "3.11.9")
PYTORCH = _conda("pytorch", "2.5.1", "python >=3.11")
CUDA = [_conda("cuda-version", "12.6"), _conda("cuda-cudart", "12.6.77", "cuda-version >=12.6")]


def _said(found: tuple[Move, ...]) -> list[tuple[str, str, str, str | None]]:
    return [(m.pypi_name, str(m.conda_spec), m.reason, m.coupled_to) for m in found]


def test_an_abi_coupled_wheel_moves_with_every_range_asked_of_it() -> None:
    found = _moves(Promote(), [PYTHON, PYTORCH], ["timm", "torchvision", "tqdm"],
                   [("timm", "torchvision"), (None, "torchvision>=0.20"), ("timm", "tqdm")])
    assert _said(found) == [("torchvision", "torchvision >=0.20", "abi", "pytorch")]


def test_coupled_wheels_stay_without_their_conda_base_and_pure_python_stays() -> None:
    assert _moves(Promote(), [PYTHON], ["torchvision", "tqdm"], []) == ()


def test_cuda_wheels_move_only_next_to_conda_cuda_and_keep_their_range() -> None:
    pins = ["jax-cuda12-plugin", "nvidia-cufft-cu12", "nvidia-nccl-cu12"]
    needs = [("jax-cuda12-plugin", "nvidia-cufft-cu12>=11.2"),
             ("jax-cuda12-plugin", "nvidia-nccl-cu12==2.23.4")]
    assert _moves(Promote(), [PYTHON], pins, needs) == ()
    assert _said(_moves(Promote(), [PYTHON, *CUDA], pins, needs)) == [
        ("nvidia-cufft-cu12", "libcufft >=11.2", "cuda", "cuda-cudart"),
        ("nvidia-nccl-cu12", "nccl 2.23.4.*", "cuda", "cuda-cudart"),  # nccl has one part more
    ]


def test_an_nvidia_wheel_the_table_lacks_moves_the_pins_needing_it() -> None:
    found = _moves(Promote(), [PYTHON, *CUDA], ["cupy-cuda12x", "nvidia-unknown-cu12"],
                   [("cupy-cuda12x", "nvidia-unknown-cu12")])
    assert _said(found) == [("cupy-cuda12x", "cupy-cuda12x", "cuda", "cuda-cudart")]


def test_listed_names_move_whatever_they_are_and_promote_names_nothing_else() -> None:
    found = _moves(Promote(names=("tqdm",)), [PYTHON], ["timm", "tqdm"], [("timm", "tqdm>=4")])
    assert _said(found) == [("tqdm", "tqdm >=4", "listed", None)]
