"""The lock verifier on hand-made locks: each kind of incompleteness is found and named; a
complete lock passes. No channel, no solve, no network."""

from __future__ import annotations

from dataclasses import replace

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from hybrid.conda.virtual import VirtualPackage
from hybrid.lock.verify import PipLayerFacts, conda_unmet, pip_unmet, unchecked_pins
from hybrid.pypi.model import PinnedDistribution, PipTarget, ProvidedDistribution
from hybrid.pypi.platforms import marker_environment
from tests.conda.helpers import package, solution

PYTHON = package("python", "3.11.9", "h_0_cpython", "__glibc >=2.17,<3.0.a0")
NUMPY = package("numpy", "1.26.4", "py311h_0", "python >=3.11,<3.12.0a0")
LINUX = marker_environment(PipTarget(platform="linux-64", python_version="3.11.9"))


def _with_glibc(version: str) -> object:
    found = solution("linux-64", PYTHON, NUMPY)
    glibc = VirtualPackage(name="__glibc", version=version)
    request = replace(found.request, virtual_packages=(glibc,))
    return replace(found, request=request)


def test_a_closed_conda_layer_passes() -> None:
    assert conda_unmet(_with_glibc("2.28")) == ()  # type: ignore[arg-type]


def test_a_missing_conda_dependency_is_named_with_its_dependent() -> None:
    broken = solution("linux-64", NUMPY)
    (problem,) = conda_unmet(broken)
    assert problem.layer == "conda"
    assert problem.required_by == "numpy 1.26.4 py311h_0"
    assert problem.requirement == "python >=3.11,<3.12.0a0"
    assert problem.conda_has is None
    assert "linux-64: numpy 1.26.4 py311h_0 requires `python >=3.11,<3.12.0a0`" in str(problem)


def test_a_conda_dependency_at_the_wrong_version_is_named_with_what_is_there() -> None:
    broken = solution("linux-64", package("python", "3.12.7", "h_0_cpython"), NUMPY)
    (problem,) = conda_unmet(broken)
    assert problem.conda_has == "python 3.12.7 h_0_cpython"


def test_a_broken_constraint_is_found() -> None:
    constrained = replace(NUMPY, constrains=("scipy <1",))
    broken = solution("linux-64", PYTHON, constrained, package("scipy", "1.14.1", "py311h_0"))
    problems = [p for p in conda_unmet(broken) if "constrains" in p.requirement]
    assert [p.conda_has for p in problems] == ["scipy 1.14.1 py311h_0"]


def test_a_virtual_package_below_what_a_record_needs_is_found() -> None:
    (problem,) = conda_unmet(_with_glibc("2.12"))  # type: ignore[arg-type]
    assert problem.requirement == "__glibc >=2.17,<3.0.a0"
    assert problem.conda_has == "__glibc 2.12"


def _pin(name: str, version: str) -> PinnedDistribution:
    return PinnedDistribution(name=canonicalize_name(name), version=Version(version))


def _facts(
    *pins: PinnedDistribution,
    requires: dict[str, list[str] | None],
    provided: dict[str, str] | None = None,
    requested: tuple[str, ...] = (),
    environment: dict[str, str] = LINUX,
) -> PipLayerFacts:
    return PipLayerFacts(
        platform="linux-64",
        pins=pins,
        provided={
            name: ProvidedDistribution(
                pypi_name=canonicalize_name(name), version=version, conda_name=name
            )
            for name, version in (provided or {}).items()
        },
        requested=[Requirement(r) for r in requested],
        environment=environment,
        requires=requires,
    )


def test_a_pip_requirement_neither_layer_has_is_named() -> None:
    facts = _facts(_pin("pytest", "8.3.4"), requires={"pytest": ["iniconfig", "pluggy<2,>=1.5"]},
                   provided={"pluggy": "1.5.0"})
    (problem,) = pip_unmet(facts)
    assert (problem.layer, problem.required_by, problem.requirement) == (
        "pip", "pytest==8.3.4", "iniconfig"
    )
    assert "conda has none; pip pins none" in str(problem)


def test_a_conda_version_that_does_not_fit_a_pip_requirement_is_named() -> None:
    facts = _facts(_pin("pydantic", "2.10.0"), requires={"pydantic": ["typing-extensions>=4.12"]},
                   provided={"typing-extensions": "4.5.0"})
    (problem,) = pip_unmet(facts)
    assert problem.conda_has == "typing-extensions 4.5.0"


def test_requirements_of_an_extra_count_only_when_the_extra_is_asked_for() -> None:
    requires: dict[str, list[str] | None] = {
        "google-api-core": ['grpcio>=1.33; extra == "grpc"'],
        "google-cloud-bigquery": ["google-api-core[grpc]>=2"],
    }
    alone = _facts(_pin("google-api-core", "2.24.0"), requires=requires)
    assert pip_unmet(alone) == ()
    asked = _facts(_pin("google-api-core", "2.24.0"), _pin("google-cloud-bigquery", "3.27.0"),
                   requires=requires)
    (problem,) = pip_unmet(asked)
    assert problem.required_by == "google-api-core==2.24.0[grpc]"
    assert problem.requirement.startswith("grpcio>=1.33")


def test_an_extra_asked_by_the_spec_counts() -> None:
    requires: dict[str, list[str] | None] = {"black": ['aiohttp>=3.10; extra == "d"']}
    facts = _facts(_pin("black", "24.10.0"), requires=requires, requested=("black[d]",))
    assert [p.requirement for p in pip_unmet(facts)] == ['aiohttp>=3.10; extra == "d"']


def test_markers_are_evaluated_for_the_platform() -> None:
    requires: dict[str, list[str] | None] = {"tqdm": ['colorama; platform_system == "Windows"']}
    assert pip_unmet(_facts(_pin("tqdm", "4.67.1"), requires=requires)) == ()
    windows = marker_environment(PipTarget(platform="win-64", python_version="3.11.9"))
    (problem,) = pip_unmet(_facts(_pin("tqdm", "4.67.1"), requires=requires, environment=windows))
    assert problem.requirement.startswith("colorama")


def test_a_pin_too_old_for_a_requirement_is_named() -> None:
    facts = _facts(_pin("a", "1.0"), _pin("b", "1.0"), requires={"a": ["b>=2"], "b": []})
    (problem,) = pip_unmet(facts)
    assert problem.pip_has == "b==1.0"


def test_a_complete_pip_layer_passes_and_unreadable_pins_are_listed() -> None:
    facts = _facts(_pin("a", "1.0"), _pin("b", "2.0"), _pin("c", "1.0"),
                   requires={"a": ["b>=2", "numpy>=1.26"], "b": [], "c": None},
                   provided={"numpy": "1.26.4"})
    assert pip_unmet(facts) == ()
    assert unchecked_pins(facts) == ("c",)
