"""Match specs mean what conda means: checked against real conda 24.11.3's own readings
(tests/data/conda_matchspec_reference.json), and round-tripped through every rendering."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rattler
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hybrid.emit.yaml_text import scalar
from hybrid.spec.matchspec import CondaMatchSpec, MatchSpecSyntaxError, parse_match_spec

REFERENCE = Path(__file__).parents[1] / "data" / "conda_matchspec_reference.json"

# Where hybrid knowingly differs from conda, and why. Everything else must agree.
ACCEPTED_THOUGH_CONDA_REFUSES = {
    # conda refuses a dangling `=`; rattler reads `numpy=1.26=` as `numpy=1.26`.
    "numpy=1.26=",
    # leading blanks: hybrid strips a YAML scalar's surrounding spaces.
    "  numpy",
}
# conda accepts these and silently drops or misreads part of them (what precedes a single
# `:`, words after the build, `[license=…]`, extras); a lock must not drop meaning
# silently, so hybrid refuses them with a located error that says what to write.
REFUSED_THOUGH_CONDA_ACCEPTS = {
    "imageio[ffmpeg]",
    "imageio[extras=[ffmpeg]]",
    "numpy[license=BSD-3-Clause]",
    "numpy[version=1.26] >=1.0",
    "conda-forge:numpy",
    "numpy:1.26",
    "numpy >=1.26 if __linux",
    "numpy 1.26.4 py311h_0 extra",
    "numpy 1.26 py311 *",
    "numpy 1.26.4 py311h_0 0",
    "numpy===1.26",
    "numpy=",
    "numpy<",
    "numpy @ https://example.com/numpy.whl",
    "numpy@1.26",
    "numpy/linux-64",
    r"numpy ^1\.26\..*$",
    # globs in the name: an environment names its packages
    "numpy*",
    "*numpy*",
    "py*",
    "torch*",
    "*",
    "*[version=1.26.4]",
    "* 1.26.4",
    "*=1.26.4",
}
# Read by both, matched differently: conda ignores a parenthesised version after a space
# (hybrid applies it, and writes it back without parentheses, which conda then applies
# too); rattler matches build strings case-insensitively.
MATCHES_DIFFER = {"numpy (1.26|2.1)", "numpy (>=1.26,<2)", "numpy=1.26.4=PY311H_0"}


@cache
def _reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


def _record(fields: dict[str, Any]) -> rattler.PackageRecord:
    return rattler.PackageRecord(
        name=fields["name"],
        version=fields["version"],
        build=rattler.BuildString(fields["build"]),
        build_number=fields["build_number"],
        subdir=fields["subdir"],
    )


def _cases(accepted: bool) -> list[dict[str, Any]]:
    return [s for s in _reference()["specs"] if s["accepted"] is accepted]


def _parse_or_none(text: str) -> CondaMatchSpec | None:
    try:
        return parse_match_spec(text)
    except MatchSpecSyntaxError:
        return None


def _channel_neutral(spec: dict[str, Any]) -> bool:
    """rattler's `matches` ignores channel, subdir and file name (conda checks them), so
    those specs are compared field by field instead of record by record."""
    return spec["channel"] is None and spec["subdir"] is None and "fn" not in spec["spec"]


@pytest.mark.parametrize("case", _cases(True), ids=lambda c: c["spec"])
def test_accepted_specs_match_what_conda_matches(case: dict[str, Any]) -> None:
    parsed = _parse_or_none(case["spec"])
    if case["spec"] in REFUSED_THOUGH_CONDA_ACCEPTS:
        assert parsed is None
        return
    if parsed is None:
        pytest.fail(f"conda accepts {case['spec']!r} as {case['conda_str']!r}; hybrid refuses")
    if not _channel_neutral(case) or case["spec"] in MATCHES_DIFFER:
        assert parsed.subdir == case["subdir"]
        assert (parsed.channel is None) == (case["channel"] is None)
        return
    records = _reference()["records"]
    for rendering in (parsed.canonical(), str(parsed)):
        spec = rattler.MatchSpec(rendering, strict=False)
        matched = [i for i, record in enumerate(records) if spec.matches(_record(record))]
        assert matched == case["matches"], f"{case['spec']!r} rendered as {rendering!r}"


@pytest.mark.parametrize("case", _cases(False), ids=lambda c: c["spec"])
def test_specs_conda_refuses_are_refused(case: dict[str, Any]) -> None:
    if case["spec"] in ACCEPTED_THOUGH_CONDA_REFUSES:
        assert _parse_or_none(case["spec"]) is not None
        return
    assert _parse_or_none(case["spec"]) is None, f"conda refuses it: {case['error']}"


def test_the_known_differences_are_still_in_the_reference() -> None:
    known = {s["spec"] for s in _reference()["specs"]}
    assert known >= ACCEPTED_THOUGH_CONDA_REFUSES | REFUSED_THOUGH_CONDA_ACCEPTS | MATCHES_DIFFER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python 3.11.9", "python ==3.11.9"),
        ("numpy 2.1.3", "numpy ==2.1.3"),
        ("numpy=1.26", "numpy 1.26.*"),
        ("numpy=1.26.4=py311h64a7726_0", "numpy ==1.26.4 py311h64a7726_0"),
        (
            "pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0",
            "pytorch ==2.1.0 py3.10_cuda12.1_cudnn8.9.2_0",
        ),
        ("conda-forge::numpy>=1.26", "conda-forge::numpy >=1.26"),
        ("conda-forge/linux-64::numpy 1.26.4", "conda-forge/linux-64::numpy ==1.26.4"),
        ('numpy[version=">=1.26",build_number=1]', 'numpy >=1.26[build_number="==1"]'),
    ],
)
def test_everyday_forms_read_as_conda_reads_them(text: str, expected: str) -> None:
    assert str(parse_match_spec(text)) == expected


def test_a_build_with_a_pattern_goes_into_brackets_conda_can_split() -> None:
    spec = CondaMatchSpec(name="torchvision", version="0.16.*", build=r"^(.*_)?(cuda|cu\d).*$")
    assert str(spec) == r'torchvision 0.16.*[build="^(.*_)?(cuda|cu\d).*$"]'
    assert parse_match_spec(str(spec)) == spec


def test_extras_get_a_message_that_says_what_to_write() -> None:
    with pytest.raises(MatchSpecSyntaxError, match=r"write `imageio`"):
        parse_match_spec("imageio[ffmpeg]")


# --- Hypothesis: conda's grammar, round-tripped through every rendering -------------------

_names = st.from_regex(r"[a-z][a-z0-9_-]{0,12}[a-z0-9]", fullmatch=True)
_release = st.lists(st.integers(0, 30), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)
_versions = st.one_of(
    _release,
    _release.map(lambda v: f"{v}.*"),
    st.tuples(st.sampled_from([">=", "<=", ">", "<", "==", "!=", "~="]), _release).map(
        lambda t: "".join(t)
    ),
    st.tuples(_release, _release).map(lambda t: f">={t[0]},<{t[1]}"),
)
_builds = st.one_of(
    st.from_regex(
        r"(py3\.1[0-3]|py31[0-3]|h[0-9a-f]{7})(_(cuda1[12]\.[0-9]|cu12[0-9]|cpu))?_[0-9]",
        fullmatch=True,
    ),
    st.sampled_from(["*cuda*", "*_cu*", "py311*", "*mkl*", r"^(.*_)?(cuda|cu\d).*$"]),
)
_channels = st.sampled_from(
    [None, "conda-forge", "pytorch", "nvidia/label/cuda-12.1.0", "file:///srv/channels/lab"]
)


@st.composite
def match_specs(draw: st.DrawFn) -> str:
    name = draw(_names)
    version = draw(st.none() | _versions)
    build = draw(st.none() | _builds)
    channel = draw(_channels)
    form = draw(st.sampled_from(["space", "equals", "brackets"]))
    if form == "brackets":
        fields = {"version": version, "build": build}
        inner = ",".join(f'{k}="{v}"' for k, v in fields.items() if v is not None)
        text = f"{name}[{inner}]" if inner else name
    elif form == "equals" and version and build and version[0].isdigit() and "^" not in build:
        text = f"{name}={version}={build}"
    else:
        if build is not None and ("^" in build):
            text = f'{name}[version="{version or "*"}",build="{build}"]'
        else:
            text = " ".join(x for x in (name, version or ("*" if build else None), build) if x)
    return f"{channel}::{text}" if channel else text


@given(match_specs())
def test_every_rendering_reads_back_as_the_same_constraint(text: str) -> None:
    parsed = parse_match_spec(text)
    assert parse_match_spec(str(parsed)) == parsed
    assert parse_match_spec(parsed.canonical()) == parsed
    rattler.MatchSpec(parsed.canonical(), strict=True)  # what the solver is given


@given(match_specs())
def test_environment_yml_lines_read_back_as_the_same_constraint(text: str) -> None:
    parsed = parse_match_spec(text)
    document = f"dependencies:\n  - {scalar(str(parsed))}\n"
    line = YAML(typ="safe", pure=True).load(document)["dependencies"][0]
    assert parse_match_spec(line) == parsed
    plain = rattler.MatchSpec(line, strict=False)
    assert plain.build == parsed.build
    assert (None if plain.version == "*" else plain.version) == parsed.version
