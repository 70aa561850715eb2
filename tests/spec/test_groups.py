"""`groups:` in a spec: typed groups, located problems, and the input hash of specs without."""

from __future__ import annotations

from hybrid.spec import load_spec
from hybrid.spec.fingerprint import input_hash, output_options
from tests.conftest import WriteSpec
from tests.spec.conftest import CheckSpec

BASE = """\
version: 1
name: demo
platforms: [linux-64, osx-arm64]
python: "3.11"
conda: [numpy]
pip: [requests]
"""
OPTIONS = output_options(hash_kind="md5")


def test_groups_are_typed_and_located(write_spec: WriteSpec) -> None:
    spec = load_spec(
        write_spec(
            BASE
            + "groups:\n"
            + "  dev:\n"
            + "    conda: [ipykernel, {spec: appnope, platforms: [osx-arm64]}]\n"
            + "    pip: [pytest >=8, ruff]\n"
            + "  docs:\n"
            + "    pip: [sphinx]\n"
        )
    )
    dev, docs = spec.groups
    assert (dev.name, docs.name) == ("dev", "docs")
    assert [d.spec for d in dev.conda_for("linux-64")] == ["ipykernel"]
    assert [d.spec for d in dev.conda_for("osx-arm64")] == ["ipykernel", "appnope"]
    assert [str(d.requirement) for d in dev.pip] == ["pytest>=8", "ruff"]
    assert dev.pip[0].field == "groups.dev.pip[0]"
    assert (dev.pip[0].location.line, dev.pip[0].location.column) == (10, 11)
    assert (dev.location.line, docs.location.line) == (8, 11)
    assert docs.conda == ()
    assert spec.group("docs") is docs and spec.group("prod") is None


def test_a_spec_without_groups_keeps_its_input_hash(write_spec: WriteSpec) -> None:
    plain = load_spec(write_spec(BASE))
    assert "groups" not in plain.to_dict()
    empty = load_spec(write_spec(BASE + "groups: {}\n", "empty.yaml"))
    assert input_hash(empty, OPTIONS) == input_hash(plain, OPTIONS)
    grouped = load_spec(write_spec(BASE + "groups: {dev: {pip: [ruff]}}\n", "grouped.yaml"))
    assert input_hash(grouped, OPTIONS) != input_hash(plain, OPTIONS)


def test_group_problems_are_located(check_spec: CheckSpec) -> None:
    result = check_spec(
        BASE
        + "groups:\n"
        + "  Dev.Tools:\n"  # 8
        + "    pip: [ruff]\n"
        + "  main:\n"  # 10
        + "    pip: [ruff]\n"
        + "  empty: {}\n"  # 12
        + "  dev:\n"  # 13
        + "    conda: [numpy >=2, python, ipykernel, ipykernel]\n"  # 14
        + "    pip: ['requests[socks]', pytest, 'pytest >=8', 'sphinx >>']\n"  # 15
    )
    assert result.exit_code == 2, result.stderr
    assert result.has("8:3", "`Dev.Tools` is not a usable group name", "file names")
    assert result.has("10:3", "`main` is reserved")
    assert result.has("12:3", "groups.empty: the group has no `conda:` or `pip:` entries")
    assert result.has(
        "14:13", "groups.dev.conda[0]: `numpy` is already requested by the base at conda[0] "
        "(line 5)"
    )
    assert result.has("14:24", "groups.dev.conda[1]: `python` is set by the base's `python:`")
    assert result.has("14:43", "groups.dev.conda[3]: `ipykernel` is already requested at "
                      "groups.dev.conda[2]")
    assert result.has("15:11", "groups.dev.pip[0]: `requests` is already requested by the base")
    assert result.has("15:38", "groups.dev.pip[2]: `pytest` is already requested at "
                      "groups.dev.pip[1]")
    assert result.has("15:52", "groups.dev.pip[3]: `sphinx >>` is not a valid PEP 508")
    assert len(result.problems) == 9, result.problems


def test_a_group_entry_of_the_wrong_shape_is_a_schema_problem(check_spec: CheckSpec) -> None:
    result = check_spec(BASE + "groups:\n  dev:\n    pip: ruff\n    npm: [x]\n")
    assert result.exit_code == 2
    assert any("groups.dev" in p for p in result.problems), result.problems


def test_validate_refuses_a_group_pip_entry_the_conda_layer_installs(
    check_spec: CheckSpec,
) -> None:
    # a channel the published mapping does not cover: the built-in table, no network
    spec = BASE.replace("platforms:", "channels: [lab]\nplatforms:")
    result = check_spec(spec + "groups:\n  dev:\n    pip: [numpy]\n")
    assert result.exit_code == 2, result.stderr
    assert result.has("10:11", "groups.dev.pip[0] `numpy` is also requested in the conda layer")
