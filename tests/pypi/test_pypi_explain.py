"""Resolver failures restated in conda terms (resolver texts as uv 0.13 and pip 26 print them)."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.errors import UnsatisfiableError
from hybrid.pypi.explain import restate_stubs, unsatisfiable
from hybrid.pypi.model import PipTarget, ProvidedDistribution
from hybrid.pypi.piperrors import is_network_failure, tidy_pip_failure

NUMPY = ProvidedDistribution(
    pypi_name=canonicalize_name("numpy"), version="1.26.4", conda_name="numpy"
)
TARGET = PipTarget(platform="linux-64", python_version="3.11.9")

UV_TEXT = """\
error: No solution found when resolving dependencies
  cause: Because opencv-python>=4.13.0.90 depends on numpy>=2 and numpy==1.26.4+conda, we can \
conclude that opencv-python>=4.13.0.90 cannot be used.
         And because you require opencv-python>=4.12, we can conclude that your requirements \
are unsatisfiable.
"""

PIP_TEXT = """\
  ERROR: Cannot install -r requirements.in (line 1) because these package versions have \
conflicting dependencies.
Traceback (most recent call last):
  File "/x/resolver.py", line 103, in resolve
pip._vendor.resolvelib.resolvers.exceptions.ResolutionImpossible: [RequirementInformation(\
requirement=SpecifierRequirement('numpy>=2; python_version >= "3.9"'), parent=LinkCandidate(\
'https://files.pythonhosted.org/packages/af/16/opencv_python-4.13.0.90-cp37-abi3-\
manylinux_2_28_x86_64.whl (from https://pypi.org/simple/opencv-python/) (requires-python:>=3.6)')\
), RequirementInformation(requirement=SpecifierRequirement('opencv-python>=4.12'), parent=None)]
"""


def _explain(text: str, *requirements: str) -> UnsatisfiableError:
    return unsatisfiable(
        text,
        requirements=[Requirement(r) for r in requirements],
        stubbed={canonicalize_name("numpy"): NUMPY},
        target=TARGET,
        resolver="uv",
    )


def test_conflict_with_the_conda_layer_is_said_in_conda_terms() -> None:
    error = _explain(UV_TEXT, "opencv-python>=4.12", "requests")
    message = str(error)
    assert message.startswith(
        "pip requirement `opencv-python>=4.12` cannot be installed on linux-64 (Python 3.11.9) "
        "next to numpy 1.26.4 from the conda layer (conda package `numpy`)."
    )
    assert "relax the conda spec for `numpy`" in message
    assert "bound `opencv-python>=4.12`" in message
    assert "requests" not in message
    assert "numpy==1.26.4 (conda layer)" in message  # the resolver's text, restated
    assert "+conda" not in message
    assert error.exit_code == 3


def test_pip_conflict_is_tidied_and_explained() -> None:
    tidy = tidy_pip_failure(PIP_TEXT)
    assert tidy.splitlines() == [
        "ERROR: Cannot install -r requirements.in (line 1) because these package versions have "
        "conflicting dependencies.",
        'opencv-python 4.13.0.90 depends on numpy>=2; python_version >= "3.9"',
        "you require opencv-python>=4.12",
    ]
    message = str(_explain(tidy, "opencv-python>=4.12"))
    assert "numpy 1.26.4 from the conda layer (conda package `numpy`)" in message
    assert "`opencv-python>=4.12`" in message
    assert "Traceback" not in message


def test_failure_without_the_conda_layer_keeps_the_resolver_text() -> None:
    text = ("error: No solution found when resolving dependencies\n  cause: Because "
            "no-such-pkg was not found in the package registry and you require no-such-pkg, we "
            "can conclude that your requirements are unsatisfiable.")
    message = str(_explain(text, "no-such-pkg", "six"))
    assert message.startswith("the pip layer cannot be resolved for linux-64 (Python 3.11.9): "
                              "`no-such-pkg`")
    assert "not found in the package registry" in message
    assert "conda" not in message


def test_restate_stubs() -> None:
    assert restate_stubs("a depends on torch==2.6.0+conda, b on numpy==1.26.4+conda.") == (
        "a depends on torch==2.6.0 (conda layer), b on numpy==1.26.4 (conda layer)."
    )


def test_network_failures_are_recognised() -> None:
    assert is_network_failure("WARNING: Retrying ... NewConnectionError('<...>: Failed')")
    assert not is_network_failure(PIP_TEXT)
